//! The desk as the window uses it, on a real embedded hub and a real cache in a temp folder.

#![allow(clippy::unwrap_used)]

use optout_cache::{ConversationFilter, ConversationView, OptOutQuery, OutboxStatus};
use optout_desktop::{Desk, FailureCode, FirstRun, HubMode, Options};

use optout_hub::{AccountSettings, Hub, Source};

mod support;
use support::until;

fn options() -> Options {
    support::options(FirstRun::Demo)
}

async fn synced(desk: &Desk) {
    until("the first sync", || async {
        let s = desk.status().await.unwrap();
        (s.preparing.is_none() && s.sync.last_synced_at.is_some() && s.cursor > 0).then_some(())
    })
    .await;
}

async fn settled(desk: &Desk, id: uuid::Uuid) -> optout_cache::OutboxItem {
    until("the hub's answer", || async {
        let item = desk.outbox().await.unwrap().into_iter().find(|i| i.id == id).unwrap();
        (item.status != OutboxStatus::Pending).then_some(item)
    })
    .await
}

/// A desk on a new data folder, synced with its first-run demo.
async fn synced_desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::start(dir.path(), options()).await.unwrap();
    synced(&desk).await;
    (dir, desk)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_run_builds_the_demo_and_every_screen_reads_it_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::start(dir.path(), options()).await.unwrap();
    let status = desk.status().await.unwrap();
    assert_eq!(status.mode, HubMode::Embedded);
    synced(&desk).await;

    let accounts = desk.accounts().await.unwrap();
    assert_eq!(accounts.len(), 3, "{accounts:?}");
    let page = desk.opt_outs(&OptOutQuery::default(), None, 50).await.unwrap();
    assert!(page.total > 0 && !page.opt_outs.is_empty());
    assert!(page.opt_outs.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");

    // Every page of the list, joined, is the whole list once.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = desk.opt_outs(&OptOutQuery::default(), after.as_deref(), 7).await.unwrap();
        seen.extend(page.opt_outs.iter().map(|o| o.id));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(seen.len() as i64, page.total);
    assert_eq!(unique.len(), seen.len());
    // Oldest first walks the same list the other way.
    let oldest = OptOutQuery { oldest_first: true, ..OptOutQuery::default() };
    let mut backwards = Vec::new();
    let mut after = None;
    loop {
        let page = desk.opt_outs(&oldest, after.as_deref(), 9).await.unwrap();
        backwards.extend(page.opt_outs.iter().map(|o| o.id));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    backwards.reverse();
    assert_eq!(backwards, seen);

    // Filters by source match only that source.
    let keyword = OptOutQuery { source: Some(Source::KeywordReply), ..OptOutQuery::default() };
    let automatic = desk.opt_outs(&keyword, None, 500).await.unwrap();
    assert!(automatic.total > 0 && automatic.opt_outs.iter().all(|o| o.source == Source::KeywordReply));

    // The messenger's views: review flags and automatic opt-outs, newest first.
    let review = ConversationFilter { view: ConversationView::NeedsReview, ..ConversationFilter::default() };
    let flagged = desk.conversations(&review, None, 100).await.unwrap();
    assert!(!flagged.conversations.is_empty() && flagged.conversations.iter().all(|c| c.review_reason.is_some()));
    let auto = ConversationFilter { view: ConversationView::AutoOptOuts, ..ConversationFilter::default() };
    let closed = desk.conversations(&auto, None, 100).await.unwrap();
    assert!(closed.conversations.iter().all(|c| c.opted_out == Some(Source::KeywordReply)));
    let one = desk.conversation(closed.conversations[0].id).await.unwrap();
    let opt_out = one.opt_out.unwrap();
    assert!(opt_out.evidence.is_some() && opt_out.rule.is_some(), "why it happened: {opt_out:?}");
    assert!(one.messages.iter().any(|m| m.direction == "incoming"));

    // Trends: the demo's 90 days hold every opt-out it recorded, by source, spread over many
    // days; campaigns have rates.
    let trends = desk.trends(120, 0).await.unwrap();
    let all = OptOutQuery { include_reversed: true, ..OptOutQuery::default() };
    let recorded = desk.opt_outs(&all, None, 1).await.unwrap().total;
    let by_day: Vec<i64> =
        trends.days.iter().map(|d| d.keyword_reply + d.manual + d.provider_block + d.import + d.api).collect();
    assert_eq!(by_day.iter().sum::<i64>(), recorded);
    assert!(by_day.iter().filter(|&&n| n > 0).count() >= 10, "spread over the weeks: {by_day:?}");
    assert!(trends.days.iter().any(|d| d.keyword_reply > 0) && trends.days.iter().any(|d| d.import > 0));
    assert_eq!(trends.campaigns.len(), 3);
    assert!(trends.campaigns.iter().all(|c| c.contacts > 0 && c.rate > 0.0 && c.rate < 1.0));

    // Lookup of a number written the way a person writes it.
    let phone = &opt_out.phone;
    let national = format!("({}) {}-{}", &phone[2..5], &phone[5..8], &phone[8..]);
    let record = desk.number(&national).await.unwrap();
    assert_eq!(&record.phone, phone);
    assert_eq!(record.accounts.len(), 3);
    assert!(record.accounts.iter().any(|a| a.opt_out.as_ref().is_some_and(|o| o.id == opt_out.id)));
    let bad = desk.number("555-01").await.unwrap_err();
    assert_eq!(bad.code, FailureCode::Invalid);
    assert!(bad.message.starts_with("phone:"), "{bad:?}");
    desk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn actions_go_through_the_outbox_and_come_back_on_the_feed() {
    let (dir, desk) = synced_desk().await;
    let account = "Vote Forward Ohio";

    // A manual opt-out: pending first, then accepted, and then in the list with its reason.
    let item = desk.opt_out(account, "201-555-0188", "asked on the phone", None).await.unwrap();
    assert_eq!(item.status, OutboxStatus::Pending);
    assert_eq!(settled(&desk, item.id).await.status, OutboxStatus::Accepted);
    let opt_out = until("the opt-out in the cache", || async {
        let record = desk.number("+12015550188").await.unwrap();
        record.accounts.into_iter().find(|a| a.account == account).and_then(|a| a.opt_out)
    })
    .await;
    assert_eq!((opt_out.source, opt_out.reason.as_str()), (Source::Manual, "asked on the phone"));

    // An opt-in without a reason is refused before it is queued; with one, it reverses it.
    let refused = desk.opt_in(account, &opt_out.phone, opt_out.id, None, "  ").await.unwrap_err();
    assert!(refused.message.starts_with("reason"), "{refused:?}");
    let item = desk.opt_in(account, &opt_out.phone, opt_out.id, None, "typed the wrong number").await.unwrap();
    assert_eq!(settled(&desk, item.id).await.status, OutboxStatus::Accepted);
    until("the opt-in in the cache", || async {
        let record = desk.number(&opt_out.phone).await.unwrap();
        record.history.iter().any(|o| o.id == opt_out.id && o.reversed_by.is_some()).then_some(())
    })
    .await;

    // Opting the same opt-out in again is refused by the hub, with its reason shown.
    let again = desk.opt_in(account, &opt_out.phone, opt_out.id, None, "again").await.unwrap();
    let again = settled(&desk, again.id).await;
    assert_eq!(again.status, OutboxStatus::Refused);

    // A pasted list: one bad line names its line and queues nothing.
    let before = desk.outbox().await.unwrap().len();
    let bad = desk.opt_out_many(account, "+12015550190\nnot a number\n", "list from the door").await.unwrap_err();
    assert!(bad.message.starts_with("line 2"), "{bad:?}");
    assert_eq!(desk.outbox().await.unwrap().len(), before);
    let unknown = desk.opt_out_many("Nobody", "+12015550190\n", "door").await.unwrap_err();
    assert_eq!(unknown.message, "account: no account named \"Nobody\"");
    assert_eq!(desk.outbox().await.unwrap().len(), before);
    let queued = desk.opt_out_many(account, "+12015550190\n(201) 555-0191\n+1 201 555 0190\n", "door").await.unwrap();
    assert_eq!(queued.len(), 2, "the same number twice is one opt-out");

    // Settings go the same way.
    let settings = AccountSettings { auto_opt_outs: Some(true), ..AccountSettings::default() };
    let item = desk.save_settings(account, settings).await.unwrap();
    assert_eq!(settled(&desk, item.id).await.status, OutboxStatus::Accepted);
    until("the setting in the cache", || async {
        desk.accounts().await.unwrap().iter().any(|a| a.name == account && a.auto_opt_outs).then_some(())
    })
    .await;
    desk.close().await;

    // The hub itself holds what the desk did.
    let hub = Hub::open(&dir.path().join("hub.sqlite3")).await.unwrap();
    assert!(hub.account(account).await.unwrap().auto_opt_outs);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_keeps_the_cache_and_does_not_build_the_demo_twice() {
    let (dir, desk) = synced_desk().await;
    let total = desk.opt_outs(&OptOutQuery::default(), None, 1).await.unwrap().total;
    desk.close().await;

    let desk = Desk::start(dir.path(), options()).await.unwrap();
    // Served from the cache at once, before any sync.
    assert_eq!(desk.opt_outs(&OptOutQuery::default(), None, 1).await.unwrap().total, total);
    synced(&desk).await;
    assert_eq!(desk.accounts().await.unwrap().len(), 3);
    assert_eq!(desk.opt_outs(&OptOutQuery::default(), None, 1).await.unwrap().total, total);
    desk.close().await;
}

async fn finished(desk: &Desk, id: u64) -> optout_desktop::Job {
    until("the job to finish", || async {
        let job = desk.job(id).unwrap();
        (job.state != optout_desktop::JobState::Running).then_some(job)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_imported_list_reaches_the_cache_and_the_filtered_list_exports_formula_safe() {
    let (dir, desk) = synced_desk().await;
    let account = "Vote Forward Ohio";

    // The demo has imported lists of its own: this file's numbers are the only ones in +1 614 555 013x.
    let imported =
        OptOutQuery { source: Some(Source::Import), phone: Some("+1614555013".into()), ..OptOutQuery::default() };
    assert_eq!(desk.opt_outs(&imported, None, 10).await.unwrap().total, 0);
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        "Name,Cell Phone\r\n=cmd|' /C calc'!A0,(614) 555-0131\r\nAda,not a number\r\nBo,614.555.0132\r\n",
    )
    .unwrap();
    // First what it would do: the same counts, and nothing written.
    let head = desk.status().await.unwrap().cursor;
    let job = desk.start_import(&list, account, optout_hub::Region::US, None, true).await.unwrap();
    let preview = finished(&desk, job.id).await.import.unwrap();
    assert!(preview.dry_run);
    assert_eq!((preview.rows, preview.opted_out, preview.rejected), (3, 2, 1));
    desk.retry().await.unwrap();
    assert_eq!(desk.status().await.unwrap().cursor, head, "a dry run changes nothing on the hub");
    assert_eq!(desk.opt_outs(&imported, None, 10).await.unwrap().total, 0);

    let job = desk.start_import(&list, account, optout_hub::Region::US, None, false).await.unwrap();
    let job = finished(&desk, job.id).await;
    assert_eq!(job.state, optout_desktop::JobState::Done, "{job:?}");
    let summary = job.import.unwrap();
    assert!(!summary.dry_run);
    assert_eq!((summary.rows, summary.opted_out, summary.rejected), (3, 2, 1));
    assert_eq!(summary.errors[0].line, 3, "the refused row names its line");

    until("the imported opt-outs in the cache", || async {
        (desk.opt_outs(&imported, None, 10).await.unwrap().total == 2).then_some(())
    })
    .await;

    // A missing file is named, and nothing is imported.
    let missing =
        desk.start_import(&dir.path().join("nope.csv"), account, optout_hub::Region::US, None, false).await.unwrap();
    let missing = finished(&desk, missing.id).await;
    let error = missing.error.unwrap();
    assert!(error.message.contains("nope.csv"), "{error:?}");

    // The export is the filtered list: only imports, exact E.164, the header of the hub's export.
    let out = dir.path().join("imports.csv");
    let job = desk.start_export(&out, imported.clone()).await.unwrap();
    assert_eq!(finished(&desk, job.id).await.state, optout_desktop::JobState::Done);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), optout_hub::EXPORT_HEADER.join(","));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows.iter().all(|r| r.starts_with("+1614555013") && r.contains(",import,")), "{text}");
    assert!(!dir.path().join(".imports.csv.partial").exists());

    // A reason that looks like a formula is written as text.
    let item = desk.opt_out(account, "+16145550133", "=HYPERLINK(\"http://x\")", None).await.unwrap();
    settled(&desk, item.id).await;
    let manual = OptOutQuery { phone: Some("+16145550133".into()), ..OptOutQuery::default() };
    until("the opt-out in the cache", || async {
        (desk.opt_outs(&manual, None, 1).await.unwrap().total == 1).then_some(())
    })
    .await;
    let job = desk.start_export(&out, manual).await.unwrap();
    finished(&desk, job.id).await;
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    desk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_import_keeps_what_it_committed_and_the_same_file_resumes() {
    let (dir, desk) = synced_desk().await;
    let account = "Vote Forward Ohio";
    let list = dir.path().join("long list.csv");
    let numbers: String = (0..300_000).map(|n| format!("(380) {}-{:04}\n", 200 + n / 10_000, n % 10_000)).collect();
    std::fs::write(&list, numbers).unwrap();

    let job = desk.start_import(&list, account, optout_hub::Region::US, None, false).await.unwrap();
    until("the first committed batch", || async { (desk.job(job.id).unwrap().rows > 0).then_some(()) }).await;
    desk.cancel_job(job.id).unwrap();
    let cancelled = finished(&desk, job.id).await;
    assert_eq!(cancelled.state, optout_desktop::JobState::Cancelled, "{cancelled:?}");
    assert!(cancelled.rows < 300_000, "stopped early: {cancelled:?}");

    let resumed = desk.start_import(&list, account, optout_hub::Region::US, None, false).await.unwrap();
    let resumed = finished(&desk, resumed.id).await;
    assert_eq!(resumed.state, optout_desktop::JobState::Done, "{resumed:?}");
    let summary = resumed.import.unwrap();
    assert_eq!((summary.rows, summary.opted_out, summary.already_opted_out), (300_000, 300_000, 0));
    let imported = OptOutQuery { phone: Some("+1380".into()), ..OptOutQuery::default() };
    until("every number in the cache once", || async {
        (desk.opt_outs(&imported, None, 1).await.unwrap().total == 300_000).then_some(())
    })
    .await;
    desk.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_connects_to_a_remote_hub_and_back_and_a_bad_token_changes_nothing() {
    // A hub served over HTTP on loopback, with the demo organisation and an admin token.
    let server = tempfile::tempdir().unwrap();
    let hub = Hub::open(&server.path().join("hub.sqlite3")).await.unwrap();
    hub.build_demo(200, 3, |_| true).await.unwrap();
    let (_, token) =
        hub.create_token(&optout_hub::Actor::admin("setup"), "ada", optout_hub::Role::Admin).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(optout_hub::http::serve(hub.clone(), listener, std::future::pending()));

    let dir = tempfile::tempdir().unwrap();
    let session = optout_desktop::Session::open(dir.path(), options()).await.unwrap();
    synced(&session.desk().await.unwrap()).await;

    let refused = session.connect(Some(&url), "not-the-token").await.unwrap_err();
    assert_eq!(refused.code, FailureCode::Unauthorized, "{refused:?}");
    assert_eq!(session.desk().await.unwrap().status().await.unwrap().mode, HubMode::Embedded, "nothing changed");
    let unreachable = session.connect(Some("http://127.0.0.1:9"), &token).await.unwrap_err();
    assert_eq!(unreachable.code, FailureCode::Unreachable, "{unreachable:?}");

    let actor = session.connect(Some(&url), &token).await.unwrap().unwrap();
    assert_eq!(actor.name, "ada");
    {
        let desk = session.desk().await.unwrap();
        synced(&desk).await;
        let status = desk.status().await.unwrap();
        assert_eq!((status.mode, status.hub.as_str()), (HubMode::Remote, url.as_str()));
        assert_eq!(status.actor.unwrap().name, "ada");
        let remote_total = desk.opt_outs(&OptOutQuery::default(), None, 1).await.unwrap().total;
        let hub_total = hub
            .list_opt_outs(&optout_hub::Actor::admin("ada"), &optout_hub::OptOutFilter::default(), None, 1000)
            .await
            .unwrap()
            .opt_outs
            .len();
        assert_eq!(remote_total as usize, hub_total, "the cache mirrors the remote hub");

        // An import goes up to the remote hub, and its opt-outs come back down the feed.
        let account = desk.accounts().await.unwrap().remove(0).name;
        let list = dir.path().join("remote list.csv");
        std::fs::write(&list, "Mobile\n(614) 555-0141\n614.555.0142\nnot a number\n").unwrap();
        let job = desk.start_import(&list, &account, optout_hub::Region::US, None, false).await.unwrap();
        let job = finished(&desk, job.id).await;
        assert_eq!(job.state, optout_desktop::JobState::Done, "{job:?}");
        let summary = job.import.unwrap();
        assert_eq!((summary.opted_out, summary.rejected, summary.errors[0].line), (2, 1, 4));
        let imported = OptOutQuery { phone: Some("+1614555014".into()), ..OptOutQuery::default() };
        until("the remote import in the cache", || async {
            (desk.opt_outs(&imported, None, 10).await.unwrap().total == 2).then_some(())
        })
        .await;
        let refused = desk.start_import(&list, "Nobody", optout_hub::Region::US, None, false).await.unwrap_err();
        assert!(refused.message.contains("no account named \"Nobody\""), "{refused:?}");
    }
    let settings = std::fs::read_to_string(dir.path().join("hub.json")).unwrap();
    assert!(!settings.contains(&token), "the token is kept out of the settings file");

    // A restart comes back to the remote hub; going back to this computer's hub finds its cache.
    drop(session);
    let session = optout_desktop::Session::open(dir.path(), options()).await.unwrap();
    assert_eq!(session.desk().await.unwrap().status().await.unwrap().mode, HubMode::Remote);
    assert!(session.connect(None, "").await.unwrap().is_none());
    let desk = session.desk().await.unwrap();
    assert_eq!(desk.status().await.unwrap().mode, HubMode::Embedded);
    assert_eq!(desk.accounts().await.unwrap().len(), 3, "served from the embedded hub's cache at once");
}
