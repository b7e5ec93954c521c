//! The review clock through the desk: the queue by due date, the counts the sidebar shows, and
//! the hub's review log written to a file.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{Duration, Utc};
use optout_cache::{ConversationFilter, ConversationView};
use optout_desktop::{Desk, FailureCode, FirstRun};
use optout_hub::{Hub, IncomingReply};
use support::{options, synced, until};

#[tokio::test(flavor = "multi_thread")]
async fn overdue_flags_lead_the_queue_are_counted_and_reach_the_review_log() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::start(dir.path(), options(FirstRun::Demo)).await.unwrap();
    synced(&desk).await;
    let before = desk.status().await.unwrap().review;
    assert!(before.open > 0 && before.overdue == 0, "the demo's flags are new: {before:?}");

    // A reply a month old, written into the hub beside the desk: overdue whatever the holidays.
    let hub = Hub::open(&dir.path().join("hub.sqlite3")).await.unwrap();
    let late = IncomingReply {
        provider_message_id: "late-plea".into(),
        sender_phone: "+12015550100".into(),
        contact_phone: "+12015550166".into(),
        body: "Please take me off your list".into(),
        at: Some(Utc::now() - Duration::days(30)),
        provider_action: None,
    };
    hub.ingest_reply(&late).await.unwrap();
    desk.retry().await.unwrap();
    let counts = until("the overdue flag counted", || async {
        let review = desk.status().await.unwrap().review;
        (review.overdue == 1).then_some(review)
    })
    .await;
    assert_eq!(counts.open, before.open + 1);
    // At the far end of the world's time zones, the same flags.
    assert_eq!(desk.review_counts(Utc::now(), 14 * 60).await.unwrap().overdue, 1);
    let far = desk.review_counts(Utc::now() + Duration::days(60), 0).await.unwrap();
    assert_eq!(far.overdue, far.open, "two months on, every flag is overdue");

    let queue = ConversationFilter { view: ConversationView::NeedsReview, ..ConversationFilter::default() };
    let first = desk.conversations(&queue, None, 5).await.unwrap().conversations.remove(0);
    assert_eq!(first.contact_phone, "+12015550166", "the overdue flag comes first");
    assert!(first.review_due_at.unwrap() < Utc::now());

    let out = dir.path().join("review log.csv");
    desk.export_review_log(&out, None, None).await.unwrap();
    let log = std::fs::read_to_string(&out).unwrap();
    assert_eq!(log.lines().next().unwrap(), optout_hub::REVIEW_LOG_HEADER.join(","));
    assert!(log.contains("+12015550166") && log.contains("flag raised"), "{log}");
    // A period that ends before the late reply leaves it out.
    let until_then = Utc::now() - Duration::days(31);
    desk.export_review_log(&out, None, Some(until_then)).await.unwrap();
    assert!(!std::fs::read_to_string(&out).unwrap().contains("+12015550166"));
    let nowhere = desk.export_review_log(&dir.path().join("no/such/dir/log.csv"), None, None).await.unwrap_err();
    assert_eq!(nowhere.code, FailureCode::Invalid, "{nowhere:?}");
    desk.close().await;
}
