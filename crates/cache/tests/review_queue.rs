//! The review queue against the clock: sorted by due date, and counted as due today or overdue.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{Duration, Utc};
use optout_cache::{ConversationFilter, ConversationView, Syncer};
use optout_hub::IncomingReply;
use support::World;

fn plea(phone: &str, days_ago: i64) -> IncomingReply {
    IncomingReply {
        provider_message_id: format!("plea-{phone}"),
        sender_phone: "+12015550100".into(),
        contact_phone: phone.into(),
        body: "please stop texting me".into(),
        at: Some(Utc::now() - Duration::days(days_ago)),
        provider_action: None,
    }
}

#[tokio::test]
async fn the_queue_is_sorted_by_due_date_across_pages_and_counted_against_the_clock() {
    let world = World::demo(40).await;
    // Three weeks ago is overdue whatever the holidays; yesterday's is not due yet.
    for (phone, days_ago) in [("+12015550171", 1), ("+12015550172", 21), ("+12015550173", 30)] {
        world.hub.ingest_reply(&plea(phone, days_ago)).await.unwrap();
    }
    let desk = Syncer::new(world.cache("desk").await, world.embedded());
    desk.pull(|_| true).await.unwrap();

    let filter = ConversationFilter { view: ConversationView::NeedsReview, ..ConversationFilter::default() };
    let mut queue = Vec::new();
    let mut after = None;
    loop {
        let page = desk.cache().conversations(&filter, after.as_deref(), 2).await.unwrap();
        queue.extend(page.conversations);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert!(queue.len() >= 3, "{queue:?}");
    let ids: std::collections::HashSet<_> = queue.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), queue.len(), "every flag once across the pages");
    assert!(queue.iter().all(|c| c.review_reason.is_some() && c.review_due_at.is_some()));
    assert!(queue.windows(2).all(|w| w[0].review_due_at <= w[1].review_due_at), "the soonest due first");
    let oldest = &queue[0];
    assert_eq!(oldest.contact_phone, "+12015550173");
    assert!(oldest.review_raised_at.unwrap() < oldest.review_due_at.unwrap());

    let now = Utc::now();
    let counts = desk.cache().review_counts(now, now + Duration::hours(1)).await.unwrap();
    assert_eq!((counts.open, counts.overdue), (queue.len() as i64, 2), "{counts:?}");
    assert_eq!(counts.due_today, 0);
    // Once the day reaches past every deadline, every flag not overdue is due today.
    let far = desk.cache().review_counts(now, now + Duration::days(60)).await.unwrap();
    assert_eq!(far.due_today + far.overdue, far.open);

    // A lookup shows the flag's due date too.
    let record = desk.cache().number("+12015550173").await.unwrap();
    assert_eq!(record.conversations[0].review_due_at, oldest.review_due_at);
}
