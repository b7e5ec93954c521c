//! Every request to stop is recorded, also when the number is already opted out, and an opt-in
//! that names an opt-out is refused when the contact asked to stop again after it: in sequence,
//! from each source, and when the two race. Each story runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use optout_hub::{Actor, Error, ImportOptions, OptInRequest, Refusal, Region, Source};
use support::organisation::*;
use support::TestHub;

/// The contact replied STOP to the first sender number: Acme opted them out (O1).
async fn opted_out_by_keyword(t: &TestHub, contact: &str) -> i64 {
    text(t, US_SENDER, contact).await;
    reply(t, US_SENDER, contact, "STOP").await.opt_out_id.unwrap()
}

/// Opting in naming `opt_out_id` is refused as `opted_out_again`, with a message that says
/// when, how and in which words the later request came; nothing changes.
async fn opt_in_is_refused(t: &TestHub, contact: &str, opt_out_id: i64, words: &str) {
    let refused = t.hub.opt_in(&admin(), &opt_in_request("Acme", contact, opt_out_id)).await;
    let Err(Error::Refused { code: Refusal::OptedOutAgain, message }) = refused else { panic!("{refused:?}") };
    assert!(message.contains(words), "the refusal quotes the request: {message}");
    assert!(message.contains("UTC"), "the refusal says when: {message}");
    for sender in [US_SENDER, US_SENDER_2] {
        let check = t.hub.send_check("Acme", sender, contact).await;
        assert_eq!(check.code, "opted_out", "{sender}: {check:?}");
    }
}

/// The lookup's history holds the repeated request as its own line.
async fn history_shows(t: &TestHub, contact: &str, source: &str, evidence: Option<&str>) -> optout_hub::AuditEntry {
    let lookup = t.hub.lookup(&admin(), contact, Region::US).await.unwrap();
    let line = lookup.history.iter().find(|l| l.action == "stop_request" && l.source == source);
    let line = line.unwrap_or_else(|| panic!("no {source} request in {:#?}", lookup.history)).clone();
    assert_eq!(line.evidence.as_deref(), evidence);
    assert_eq!(line.account.as_deref(), Some("Acme"));
    assert!(line.opt_out_id.is_some(), "it names the opt-out in force when it came");
    line
}

async fn a_keyword_to_another_sender_number_is_recorded_and_stops_the_opt_in(t: &TestHub) {
    organisation(t).await;
    let o1 = opted_out_by_keyword(t, CONTACT).await;
    text(t, US_SENDER_2, CONTACT).await;
    let again = reply(t, US_SENDER_2, CONTACT, "Stop").await;
    assert_eq!(again.opt_out_id, Some(o1), "the opt-out in force stands; no second one");
    let line = history_shows(t, CONTACT, "keyword_reply", Some("Stop")).await;
    assert_eq!((line.actor.as_str(), line.sender_phone.as_deref()), ("rules", Some(US_SENDER_2)));
    opt_in_is_refused(t, CONTACT, o1, "\"Stop\"").await;
}

async fn a_later_keyword_and_a_plain_request_are_recorded_too(t: &TestHub) {
    organisation(t).await;
    let o1 = opted_out_by_keyword(t, CONTACT).await;
    // Not the first response in this conversation: the rules would ask for a manual opt-out.
    let later = reply(t, US_SENDER, CONTACT, "END").await;
    assert_eq!(later.review_reason, None, "nothing left to review: the contact is opted out");
    history_shows(t, CONTACT, "keyword_reply", Some("END")).await;

    let other = "+12015550124";
    let o2 = opted_out_by_keyword(t, other).await;
    text(t, US_SENDER_2, other).await;
    let plain = reply(t, US_SENDER_2, other, "please stop texting me").await;
    assert_eq!(plain.review_reason, None);
    history_shows(t, other, "reply", Some("please stop texting me")).await;
    opt_in_is_refused(t, CONTACT, o1, "\"END\"").await;
    opt_in_is_refused(t, other, o2, "please stop texting me").await;
}

async fn a_manual_or_api_opt_out_of_an_opted_out_number_is_recorded(t: &TestHub) {
    organisation(t).await;
    for (i, source) in [Source::Manual, Source::Api].into_iter().enumerate() {
        let contact = format!("+1201555013{i}");
        let o1 = opted_out_by_keyword(t, &contact).await;
        let texter = Actor::texter("tom");
        let request = optout_hub::OptOutRequest {
            source,
            ..opt_out_request("Acme", &contact, "Said on the phone: no more texts, ever")
        };
        let outcome = t.hub.opt_out(&texter, &request).await.unwrap();
        assert!(outcome.already_opted_out);
        let line = history_shows(t, &contact, source.as_str(), None).await;
        assert_eq!(line.actor, "tom");
        assert_eq!(line.reason, "Said on the phone: no more texts, ever");
        assert_eq!(line.command_id, Some(request.command_id.to_string()));
        opt_in_is_refused(t, &contact, o1, "no more texts, ever").await;
        // The command replayed changes nothing: still one request.
        t.hub.opt_out(&texter, &request).await.unwrap();
        let lookup = t.hub.lookup(&admin(), &contact, Region::US).await.unwrap();
        assert_eq!(lookup.history.iter().filter(|l| l.action == "stop_request").count(), 1);
    }
}

async fn an_import_row_of_an_opted_out_number_is_recorded(t: &TestHub) {
    organisation(t).await;
    let o1 = opted_out_by_keyword(t, CONTACT).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old-tool.csv");
    std::fs::write(&path, format!("phone\n{CONTACT}\n+12015550199\n")).unwrap();
    let options =
        ImportOptions { dry_run: false, account: "Acme".into(), region: Region::US, column: None, batch_rows: 1000 };
    let summary = t.hub.import_csv(&admin(), &path, &options, |_| true).await.unwrap();
    assert_eq!((summary.opted_out, summary.already_opted_out), (1, 1));
    let line = history_shows(t, CONTACT, "import", None).await;
    assert_eq!(line.actor, "ada@example.org");
    opt_in_is_refused(t, CONTACT, o1, "Imported").await;
}

async fn a_provider_block_on_another_sender_of_an_opted_out_number_is_recorded(t: &TestHub) {
    organisation(t).await;
    // Brit texts the UK with automatic opt-outs off; an admin opted the contact out by hand.
    let o1 = t.hub.opt_out(&admin(), &opt_out_request("Brit", UK_CONTACT, "Asked by email")).await.unwrap();
    text(t, UK_SENDER_2, UK_CONTACT).await;
    let outcome = reply(t, UK_SENDER_2, UK_CONTACT, "STOP").await;
    assert!(outcome.provider_block.is_some(), "the provider blocks the sender number");
    let lookup = t.hub.lookup(&admin(), UK_CONTACT, Region::GB).await.unwrap();
    let line = lookup.history.iter().find(|l| l.action == "stop_request").expect("the keyword is a request");
    assert_eq!((line.sender_phone.as_deref(), line.evidence.as_deref()), (Some(UK_SENDER_2), Some("STOP")));
    let refused = t.hub.opt_in(&admin(), &opt_in_request("Brit", UK_CONTACT, o1.opt_out.id)).await;
    assert!(matches!(refused, Err(Error::Refused { code: Refusal::OptedOutAgain, .. })), "{refused:?}");
}

async fn an_admin_who_read_the_later_request_may_still_opt_in(t: &TestHub) {
    organisation(t).await;
    let o1 = opted_out_by_keyword(t, CONTACT).await;
    text(t, US_SENDER_2, CONTACT).await;
    reply(t, US_SENDER_2, CONTACT, "STOP").await;
    let seen = history_shows(t, CONTACT, "keyword_reply", Some("STOP")).await;
    let request_id = t.hub.stop_requests(&admin(), o1).await.unwrap().last().unwrap().id;

    // Naming a request other than the latest is refused, as naming none is.
    let stale = OptInRequest { overrides_request_id: Some(request_id - 1), ..opt_in_request("Acme", CONTACT, o1) };
    assert!(matches!(t.hub.opt_in(&admin(), &stale).await, Err(Error::Refused { code: Refusal::OptedOutAgain, .. })));
    let read = OptInRequest { overrides_request_id: Some(request_id), ..opt_in_request("Acme", CONTACT, o1) };
    t.hub.opt_in(&admin(), &read).await.unwrap();
    assert!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed);
    assert!(seen.at <= chrono::Utc::now());
}

/// An opt-in and a new request to stop, sent at the same moment, many times over: whichever
/// commits first, the contact ends opted out.
async fn an_opt_in_racing_a_new_request_never_loses_the_opt_out(t: &TestHub) {
    organisation(t).await;
    let hub = Arc::new(t.hub.clone());
    for round in 0..15 {
        let contact = format!("+1201555{:04}", 2000 + round);
        let o1 = opted_out_by_keyword(t, &contact).await;
        text(t, US_SENDER_2, &contact).await;
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let opt_in = tokio::spawn({
            let (hub, barrier, contact) = (hub.clone(), barrier.clone(), contact.clone());
            async move {
                barrier.wait().await;
                hub.opt_in(&admin(), &opt_in_request("Acme", &contact, o1)).await
            }
        });
        let again = tokio::spawn({
            let (hub, barrier, contact) = (hub.clone(), barrier.clone(), contact.clone());
            async move {
                barrier.wait().await;
                if round % 2 == 0 {
                    hub.ingest_reply(&optout_hub::IncomingReply {
                        provider_message_id: format!("race-{round}"),
                        sender_phone: US_SENDER_2.into(),
                        contact_phone: contact,
                        body: "STOP".into(),
                        at: None,
                        provider_action: None,
                    })
                    .await
                    .map(|_| ())
                } else {
                    let request = opt_out_request("Acme", &contact, "Called the office: stop");
                    hub.opt_out(&Actor::texter("tom"), &request).await.map(|_| ())
                }
            }
        });
        let (opt_in, again) = (opt_in.await.unwrap(), again.await.unwrap());
        again.unwrap();
        match opt_in {
            Ok(_) | Err(Error::Refused { code: Refusal::OptedOutAgain, .. }) => {}
            other => panic!("round {round}: {other:?}"),
        }
        for sender in [US_SENDER, US_SENDER_2] {
            let check = t.hub.send_check("Acme", sender, &contact).await;
            assert!(!check.allowed, "round {round}: the opt-out was lost ({check:?})");
        }
    }
}

stories!(
    a_keyword_to_another_sender_number_is_recorded_and_stops_the_opt_in,
    a_later_keyword_and_a_plain_request_are_recorded_too,
    a_manual_or_api_opt_out_of_an_opted_out_number_is_recorded,
    an_import_row_of_an_opted_out_number_is_recorded,
    a_provider_block_on_another_sender_of_an_opted_out_number_is_recorded,
    an_admin_who_read_the_later_request_may_still_opt_in,
    an_opt_in_racing_a_new_request_never_loses_the_opt_out,
);
