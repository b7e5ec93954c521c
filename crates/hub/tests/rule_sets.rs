//! The rules as an account chooses them: its rule set decides its automatic opt-outs and is
//! recorded with each; a confirmation goes within five minutes or not at all; a review flag
//! carries its due date, and the review log says who settled it. Each story runs on SQLite and
//! on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{Duration, Utc};
use optout_hub::{AccountSettings, IncomingReply, Region, ReviewAction, ReviewRequest};
use optout_rules::RuleSet;
use support::organisation::*;
use support::TestHub;
use uuid::Uuid;

const CANADIAN: &str = "+14165550123";

async fn us_2025(t: &TestHub) {
    let change = AccountSettings { rule_set: Some(RuleSet::Us2025), ..Default::default() };
    assert_eq!(settings(t, "Acme", change).await.rule_set, RuleSet::Us2025);
}

async fn the_account_s_rule_set_decides_and_is_recorded_with_what_it_decided(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let reference = reply(t, US_SENDER, CONTACT, "Revoke").await;
    assert_eq!((reference.opt_out_id, reference.rule_set.as_str()), (None, "reference@1"));
    assert_eq!(reference.review_reason.as_deref(), Some("opt_out_request"), "the reference list only flags it");

    us_2025(t).await;
    for (contact, words) in [("+12015550130", "REVOKE"), ("+12015550131", "opt out"), (CANADIAN, "Arrêt")] {
        text(t, US_SENDER, contact).await;
        let outcome = reply(t, US_SENDER, contact, words).await;
        let id = outcome.opt_out_id.unwrap_or_else(|| panic!("{words:?} opts out under US 2025: {outcome:?}"));
        assert_eq!(outcome.rule_set, "us_2025@1");
        let lookup = t.hub.lookup(&admin(), contact, Region::US).await.unwrap();
        let opt_out = lookup.accounts.iter().find_map(|a| a.opt_out.clone()).unwrap();
        assert_eq!((opt_out.id, opt_out.rule_set.as_deref()), (id, Some("us_2025@1")));
        let line = lookup.history.iter().find(|l| l.action == "opt_out").unwrap();
        assert_eq!(line.rule_set.as_deref(), Some("us_2025@1"), "the history says which rules decided");
    }
    // ARRET is a keyword for Canadian contacts only.
    text(t, US_SENDER, "+12015550132").await;
    assert_eq!(reply(t, US_SENDER, "+12015550132", "Arret").await.opt_out_id, None);
    let refused = t
        .hub
        .update_account(&admin(), "Acme", &AccountSettings { review_days: Some(11), ..Default::default() })
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("review_days"), "{refused}");
}

fn reply_at(sender: &str, contact: &str, body: &str, minutes_ago: i64) -> IncomingReply {
    IncomingReply {
        provider_message_id: Uuid::new_v4().to_string(),
        sender_phone: sender.into(),
        contact_phone: contact.into(),
        body: body.into(),
        at: Some(Utc::now() - Duration::minutes(minutes_ago)),
        provider_action: None,
    }
}

async fn a_confirmation_goes_within_five_minutes_once_or_not_at_all(t: &TestHub) {
    organisation(t).await;
    for (contact, minutes_ago, body, sent) in [
        ("+12015550140", 0, "STOP", true),
        ("+12015550141", 4, "STOP", true),
        ("+12015550142", 9, "STOP", false),
        ("+12015550143", 0, "stop — these texts cost me money", false),
    ] {
        text(t, US_SENDER, contact).await;
        let reply = reply_at(US_SENDER, contact, body, minutes_ago);
        let outcome = t.hub.ingest_reply(&reply).await.unwrap().reply.unwrap();
        assert_eq!(outcome.confirmation.is_some(), sent, "{contact}: {outcome:?}");
        if minutes_ago > 5 {
            assert!(outcome.opt_out_id.is_some(), "the opt-out stands however late");
            let why = outcome.confirmation_withheld.unwrap();
            assert!(why.contains("5 minutes") || why.contains("five minutes"), "{why}");
            let history = t.hub.lookup(&admin(), contact, Region::US).await.unwrap().history;
            assert!(history.iter().any(|l| l.action == "confirmation_withheld"), "the record says so: {history:?}");
        }
        // The same reply again: answered the same, and still one confirmation at most.
        let again = t.hub.ingest_reply(&reply).await.unwrap().reply.unwrap();
        assert_eq!(again.confirmation, outcome.confirmation);
    }
    // Provider 2 sends its own; a blocked sender number gets none.
    settings(t, "Brit", AccountSettings { auto_opt_outs: Some(true), ..Default::default() }).await;
    text(t, UK_SENDER, UK_CONTACT).await;
    let uk = reply(t, UK_SENDER, UK_CONTACT, "STOP").await;
    assert!(uk.opt_out_id.is_some() && uk.confirmation.is_none());
    assert!(uk.confirmation_withheld.unwrap().contains("provider"));
}

async fn a_review_flag_is_due_within_the_account_s_business_days_and_logged(t: &TestHub) {
    organisation(t).await;
    text(t, US_SENDER, CONTACT).await;
    let raised = Utc::now() - Duration::minutes(1);
    let outcome = t.hub.ingest_reply(&reply_at(US_SENDER, CONTACT, "please take me off your list", 1)).await.unwrap();
    let due = outcome.reply.unwrap().review_due_at.unwrap();
    let expected = optout_rules::review_due(raised, optout_rules::DEFAULT_REVIEW_DAYS);
    assert!((due - expected).num_minutes().abs() <= 1, "{due} against {expected}");
    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    assert_eq!(lookup.conversations[0].review_due_at, Some(due), "the lookup shows the open flag's due date");

    settings(t, "Acme", AccountSettings { review_days: Some(2), ..Default::default() }).await;
    text(t, US_SENDER, "+12015550150").await;
    let sooner = reply(t, US_SENDER, "+12015550150", "wrong number").await.review_due_at.unwrap();
    assert!(sooner < due, "two business days come before ten");

    let conversation = lookup.conversations[0].id;
    let request =
        ReviewRequest { command_id: Uuid::new_v4(), conversation_id: conversation, action: ReviewAction::Dismiss };
    t.hub.review(&admin(), &request).await.unwrap();
    let texter = optout_hub::Actor::texter("tom");
    let settle = ReviewRequest { command_id: Uuid::new_v4(), ..request };
    assert!(t.hub.review(&texter, &settle).await.is_err(), "only admins settle flags");
    let log = t.hub.review_log_csv(&admin(), None, None).await.unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(log.as_bytes()).records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{log}");
    assert_eq!((&rows[0][4], &rows[0][5], &rows[0][7]), ("flag raised", "rules", "please take me off your list"));
    assert_eq!((&rows[2][4], &rows[2][5]), ("flag settled", "ada@example.org"));
    assert!(rows[2][6].contains("dismissed"), "{log}");
}

stories!(
    the_account_s_rule_set_decides_and_is_recorded_with_what_it_decided,
    a_confirmation_goes_within_five_minutes_once_or_not_at_all,
    a_review_flag_is_due_within_the_account_s_business_days_and_logged,
);
