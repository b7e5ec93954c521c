//! Review flags: what an admin does with them, and what an opt-out does to them. Each story runs
//! on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use optout_hub::{Error, Refusal, Region, ReviewAction, ReviewRequest};
use support::organisation::*;
use support::TestHub;
use uuid::Uuid;

async fn flagged(t: &TestHub, contact: &str) -> i64 {
    organisation(t).await;
    text(t, US_SENDER, contact).await;
    let outcome = reply(t, US_SENDER, contact, "please take me off your list").await;
    assert_eq!(outcome.review_reason.as_deref(), Some("opt_out_request"));
    t.hub.lookup(&admin(), contact, Region::US).await.unwrap().conversations[0].id
}

fn request(conversation_id: i64, action: ReviewAction) -> ReviewRequest {
    ReviewRequest { command_id: Uuid::new_v4(), conversation_id, action }
}

async fn flag(t: &TestHub, contact: &str) -> Option<String> {
    t.hub.lookup(&admin(), contact, Region::US).await.unwrap().conversations[0].review_reason.clone()
}

async fn dismissing_clears_the_flag_and_opts_nobody_out(t: &TestHub) {
    let id = flagged(t, CONTACT).await;
    let outcome = t.hub.review(&admin(), &request(id, ReviewAction::Dismiss)).await.unwrap();
    assert_eq!(outcome.review_reason.as_deref(), Some("opt_out_request"));
    assert_eq!(flag(t, CONTACT).await, None);
    assert!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed);
    // The cleared flag is on the feed, before the command's own change.
    let feed = t.hub.changes_after(&admin(), 0, 1000).await.unwrap();
    let cleared = feed.iter().rev().find(|c| c.kind == "review").unwrap();
    let payload = cleared.payload.get();
    assert!(
        payload.contains("\"review_reason\":null") && payload.contains("\"settled_by\":\"ada@example.org\""),
        "{payload}"
    );
}

async fn asking_sends_the_question_from_the_conversation_unless_the_contact_is_opted_out(t: &TestHub) {
    let id = flagged(t, CONTACT).await;
    let ask = ReviewAction::Ask { message: "Would you like us to stop texting you?".into() };
    let outcome = t.hub.review(&admin(), &request(id, ask.clone())).await.unwrap();
    assert!(outcome.message_id.is_some());
    assert_eq!(flag(t, CONTACT).await, None);
    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    assert_eq!(lookup.conversations[0].last_message.as_deref(), Some("Would you like us to stop texting you?"));

    // Their answer goes through the rules as a later reply: a keyword now asks for a manual opt-out.
    let answer = reply(t, US_SENDER, CONTACT, "STOP").await;
    assert_eq!(answer.review_reason.as_deref(), Some("manual_opt_out"));

    // Opting them out settles the flag; a question to an opted-out contact is refused.
    t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "asked to stop")).await.unwrap();
    assert_eq!(flag(t, CONTACT).await, None, "an opt-out leaves nothing to review");
    match t.hub.review(&admin(), &request(id, ask)).await {
        Err(Error::Refused { code, .. }) => assert_eq!(code, Refusal::NotTextable),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_review_of_nothing_or_an_empty_question_is_refused(t: &TestHub) {
    let id = flagged(t, CONTACT).await;
    assert!(matches!(
        t.hub.review(&admin(), &request(id + 1000, ReviewAction::Dismiss)).await,
        Err(Error::NotFound(_))
    ));
    let empty = ReviewAction::Ask { message: "  ".into() };
    assert!(matches!(t.hub.review(&admin(), &request(id, empty)).await, Err(Error::InvalidField { .. })));
    assert_eq!(flag(t, CONTACT).await.as_deref(), Some("opt_out_request"), "nothing changed");
}

stories!(
    dismissing_clears_the_flag_and_opts_nobody_out,
    asking_sends_the_question_from_the_conversation_unless_the_contact_is_opted_out,
    a_review_of_nothing_or_an_empty_question_is_refused,
);
