//! A batch of events is written a kind of row at a time, but decided event by event, in order:
//! what one event does is what the next one sees. Each story runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use optout_hub::{Event, IncomingReply, OutgoingMessage, Region};
use support::organisation::*;
use support::{Storage, TestHub};

fn out(id: &str, contact: &str) -> Event {
    Event::Outgoing(OutgoingMessage {
        provider_message_id: id.into(),
        sender_phone: US_SENDER.into(),
        contact_phone: contact.into(),
        contact_name: Some("Sam".into()),
        body: "Can we count on you Tuesday?".into(),
        at: None,
    })
}

fn reply(id: &str, contact: &str, body: &str) -> Event {
    Event::Reply(IncomingReply {
        provider_message_id: id.into(),
        sender_phone: US_SENDER.into(),
        contact_phone: contact.into(),
        body: body.into(),
        at: None,
        provider_action: None,
    })
}

async fn one_batch_decides_each_event_after_the_ones_before_it(t: &TestHub) {
    organisation(t).await;
    let other = "+12015550124";
    let events = [
        out("o1", CONTACT),
        reply("r1", CONTACT, "STOP"),
        reply("r2", CONTACT, "STOP"),
        out("o2", other),
        reply("r1", CONTACT, "STOP"),
        reply("r3", other, "Count me in"),
        reply("r4", other, "please stop texting me"),
    ];
    let done = t.hub.ingest_batch(&events).await.unwrap();
    let first = done[1].reply.clone().unwrap();
    assert!(first.first_response && first.opt_out_id.is_some(), "{first:?}");
    let second = done[2].reply.clone().unwrap();
    assert!(!second.first_response, "the second reply of the conversation");
    assert_eq!(second.opt_out_id, None);
    assert!(second.stop_request.is_some(), "asked again while opted out: kept");
    assert_eq!(done[4], done[1], "the same provider id in one batch is one message");
    assert_eq!(done[0].conversation_id, done[1].conversation_id);
    assert_ne!(done[3].conversation_id, done[0].conversation_id);
    let later = done[6].reply.clone().unwrap();
    assert!(!later.first_response);
    assert_eq!(later.review_reason.as_deref(), Some("opt_out_request"));

    let lookup = t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap();
    assert_eq!(lookup.conversations[0].messages, 3, "o1, r1 and r2");
    let lookup = t.hub.lookup(&admin(), other, Region::US).await.unwrap();
    assert_eq!(lookup.conversations[0].messages, 3);
    // The whole batch again: every answer the same, nothing added.
    let head = t.hub.feed_head().await.unwrap();
    assert_eq!(t.hub.ingest_batch(&events).await.unwrap(), done);
    assert_eq!(t.hub.feed_head().await.unwrap(), head);
}

async fn a_bad_event_fails_the_whole_batch_and_names_its_place(t: &TestHub) {
    organisation(t).await;
    let head = t.hub.feed_head().await.unwrap();
    let events = [out("o1", CONTACT), reply("r1", "555-CALL", "STOP")];
    let error = t.hub.ingest_batch(&events).await.unwrap_err();
    assert!(error.to_string().starts_with("events[1].contact_phone"), "{error}");
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing was written");
}

async fn the_demo_writes_all_its_traffic_and_breaks_no_reference(t: &TestHub) {
    let summary = t.hub.build_demo(300, 5, |_| true).await.unwrap();
    let messages: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM messages").fetch_one(&mut t.raw().await).await.unwrap();
    assert_eq!(messages as u64, summary.messages, "every message of the demo's traffic is in the record");
    if t.storage == Storage::Sqlite {
        // The demo writes its traffic on a connection that leaves foreign keys to it.
        let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut t.raw().await).await.unwrap();
        assert_eq!(broken.len(), 0, "rows with a broken reference");
    }
}

stories!(
    one_batch_decides_each_event_after_the_ones_before_it,
    a_bad_event_fails_the_whole_batch_and_names_its_place,
    the_demo_writes_all_its_traffic_and_breaks_no_reference
);
