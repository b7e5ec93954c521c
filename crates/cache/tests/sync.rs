//! The sync under normal use and under faults, against a real hub.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use optout_cache::{Error, OutboxStatus, Syncer};
use optout_client::{Answer, Command, Link};
use optout_hub::{IncomingReply, OptInRequest, OptOutRequest, Region, Source};
use support::{Storage, World};
use uuid::Uuid;

fn opt_out(account: &str, phone: &str) -> Command {
    Command::OptOut(OptOutRequest {
        command_id: Uuid::new_v4(),
        account: account.into(),
        phone: phone.into(),
        region: Region::US,
        reason: "asked on the phone".into(),
        message: None,
        source: Source::Manual,
    })
}

const NORTHSIDE: &str = "Northside Tenants Union";

#[tokio::test]
async fn the_first_sync_fills_the_cache_with_the_hub_in_pages_and_the_next_one_finds_nothing() {
    let world = World::demo(80).await;
    let sync = Syncer::new(world.cache("desk").await, world.embedded()).with_page(37);
    let mut seen = Vec::new();
    let applied = sync
        .pull(|p| {
            seen.push(p);
            true
        })
        .await
        .unwrap();
    let head = world.hub.feed_head().await.unwrap();
    assert_eq!(applied as i64, head);
    assert!(seen.len() as i64 >= head / 37, "progress after every page");
    assert!(seen.windows(2).all(|w| w[0].percent() <= w[1].percent()));
    assert_eq!(seen.last().unwrap().percent(), 100.0);
    assert_eq!(sync.cache().opt_outs().await.unwrap(), world.hub_opt_outs().await);
    assert_eq!(sync.cache().accounts().await.unwrap(), world.hub.accounts().await.unwrap());
    let state = sync.cache().state().await.unwrap();
    assert_eq!((state.cursor, state.hub_head), (head, head));
    assert!(state.last_synced_at.is_some());
    assert_eq!(sync.pull(|_| true).await.unwrap(), 0, "nothing new, nothing applied");
}

#[tokio::test]
async fn a_cancelled_first_sync_resumes_where_it_stopped() {
    let world = World::demo(40).await;
    let cache = world.cache("desk").await;
    let sync = Syncer::new(cache.clone(), world.embedded()).with_page(25);
    let mut pages = 0;
    let first = sync
        .pull(|_| {
            pages += 1;
            pages < 3
        })
        .await
        .unwrap();
    assert_eq!(first, 75);
    assert_eq!(cache.state().await.unwrap().cursor, 75);
    let sync = Syncer::new(world.cache("desk").await, world.embedded()).with_page(25);
    let rest = sync.pull(|_| true).await.unwrap();
    assert_eq!(first + rest, world.hub.feed_head().await.unwrap() as u64, "nothing applied twice");
    assert_eq!(sync.cache().opt_outs().await.unwrap(), world.hub_opt_outs().await);
}

#[tokio::test]
async fn an_admin_action_waits_in_the_outbox_then_settles_and_its_change_arrives() {
    let world = World::demo(20).await;
    let sync = Syncer::new(world.cache("desk").await, world.embedded());
    sync.pull(|_| true).await.unwrap();
    let command = opt_out(NORTHSIDE, "(201) 555-0199");
    let item = sync.cache().enqueue(&command).await.unwrap();
    assert_eq!(item.status, OutboxStatus::Pending);
    assert_eq!(sync.cache().state().await.unwrap().pending, 1);
    assert!(sync.cache().opt_outs_of("+12015550199").await.unwrap().is_empty(), "not before the hub says so");

    let pushed = sync.push().await.unwrap();
    assert_eq!((pushed.accepted, pushed.refused), (1, 0));
    sync.pull(|_| true).await.unwrap();
    let cached = sync.cache().opt_outs_of("+12015550199").await.unwrap();
    assert_eq!(cached.len(), 1);
    assert_eq!((cached[0].actor.as_str(), cached[0].account.as_str()), ("ada", NORTHSIDE));
    assert_eq!(sync.cache().outbox_item(command.id()).await.unwrap().unwrap().status, OutboxStatus::Accepted);

    // The same command again, from the outbox or straight to the hub, changes nothing.
    sync.cache().enqueue(&command).await.unwrap();
    let head = world.hub.feed_head().await.unwrap();
    let again = sync.link().send(&command).await.unwrap();
    assert!(matches!(again, Answer::Accepted { .. }));
    assert_eq!(world.hub.feed_head().await.unwrap(), head);
    assert_eq!(sync.cache().outbox().await.unwrap().len(), 1);
}

#[tokio::test]
async fn bad_commands_are_refused_before_they_are_queued() {
    let world = World::demo(10).await;
    let sync = Syncer::new(world.cache("desk").await, world.embedded());
    sync.pull(|_| true).await.unwrap();
    let error = sync.cache().enqueue(&opt_out("Nobody", "+12015550199")).await.unwrap_err();
    assert_eq!(error.to_string(), "account: no account named \"Nobody\"");
    let error = sync.cache().enqueue(&opt_out(NORTHSIDE, "555-CALL-NOW")).await.unwrap_err();
    assert!(error.to_string().starts_with("phone: "), "{error}");
    assert!(sync.cache().outbox().await.unwrap().is_empty());
}

/// One admin reverses an opt-out while the contact texts STOP again and another admin, on
/// another desktop, reverses the same opt-out: the new opt-out stands, and the second admin is
/// told why.
/// Runs a story on a hub in SQLite and on one in PostgreSQL, as two tests named after it.
macro_rules! on_both_storages {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    super::$story(super::support::Storage::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    super::$story(super::support::Storage::Postgres).await;
                }
            )*
        }
    };
}

on_both_storages!(
    an_opt_in_that_races_a_new_stop_is_refused_and_the_admin_sees_why,
    a_request_to_stop_again_reaches_the_cache_and_only_an_opt_in_naming_it_goes_through,
    after_a_faulty_network_heals_the_cache_equals_the_hub_and_no_command_ran_twice,
);

/// Two desktops and the hub's ingest at once: the opt-out wins and the admin sees why.
async fn an_opt_in_that_races_a_new_stop_is_refused_and_the_admin_sees_why(storage: Storage) {
    let world = World::demo_on(storage, 10).await;
    let phone = "+12015550177";
    world.hub.ingest_reply(&reply("+12015550100", phone, "STOP")).await.unwrap();
    let ana = Syncer::new(world.cache("ana").await, world.embedded());
    let bob = Syncer::new(world.cache("bob").await, world.embedded());
    ana.pull(|_| true).await.unwrap();
    bob.pull(|_| true).await.unwrap();
    let original = ana.cache().opt_outs_of(phone).await.unwrap().remove(0);

    let opt_in = |id| {
        Command::OptIn(OptInRequest {
            command_id: Uuid::new_v4(),
            account: NORTHSIDE.into(),
            phone: phone.into(),
            region: Region::US,
            opt_out_id: id,
            overrides_request_id: None,
            reason: "replied STOP by mistake".into(),
        })
    };
    let from_ana = opt_in(original.id);
    let from_bob = opt_in(original.id);
    ana.cache().enqueue(&from_ana).await.unwrap();
    bob.cache().enqueue(&from_bob).await.unwrap();
    ana.sync().await.unwrap();
    // A first response in another conversation: an automatic opt-out.
    world.hub.ingest_reply(&reply("+12015550101", phone, "STOP")).await.unwrap();
    bob.sync().await.unwrap();

    let refused = bob.cache().outbox_item(from_bob.id()).await.unwrap().unwrap();
    assert_eq!(refused.status, OutboxStatus::Refused);
    let Some(Answer::Refused { code, message }) = refused.answer else { panic!("{refused:?}") };
    assert_eq!(code, "opted_out_again");
    assert!(message.contains("opted out again since"), "{message}");
    let history = bob.cache().opt_outs_of(phone).await.unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[0].reversed_by.is_none(), "the new opt-out stands");
    assert!(history[1].reversed_by.is_some(), "the first was reversed by ana");
}

/// The contact replies STOP to a second sender number while opted out: the cache shows the
/// request after the opt-out, and an opt-in goes through only once it names that request.
async fn a_request_to_stop_again_reaches_the_cache_and_only_an_opt_in_naming_it_goes_through(storage: Storage) {
    let world = World::demo_on(storage, 10).await;
    let phone = "+12015550178";
    world.hub.ingest_reply(&reply("+12015550100", phone, "STOP")).await.unwrap();
    world.hub.ingest_reply(&reply("+12015550101", phone, "Stop it")).await.unwrap();
    let desk = Syncer::new(world.cache("desk").await, world.embedded());
    desk.pull(|_| true).await.unwrap();
    let record = desk.cache().number(phone).await.unwrap();
    let opt_out = record.history[0].clone();
    assert_eq!(record.requests.len(), 1, "{record:#?}");
    let request = &record.requests[0];
    assert_eq!((request.opt_out_id, request.evidence.as_deref()), (opt_out.id, Some("Stop it")));
    assert_eq!(request.sender_phone.as_deref(), Some("+12015550101"));

    let opt_in = |overrides_request_id| {
        Command::OptIn(OptInRequest {
            command_id: Uuid::new_v4(),
            account: NORTHSIDE.into(),
            phone: phone.into(),
            region: Region::US,
            opt_out_id: opt_out.id,
            overrides_request_id,
            reason: "confirmed by phone that they want texts".into(),
        })
    };
    let blind = opt_in(None);
    desk.cache().enqueue(&blind).await.unwrap();
    desk.sync().await.unwrap();
    let refused = desk.cache().outbox_item(blind.id()).await.unwrap().unwrap();
    let Some(Answer::Refused { code, message }) = refused.answer else { panic!("{refused:?}") };
    assert_eq!(code, "opted_out_again");
    assert!(message.contains("asked to stop again") && message.contains("Stop it"), "{message}");

    let read = opt_in(Some(request.id));
    desk.cache().enqueue(&read).await.unwrap();
    desk.sync().await.unwrap();
    assert_eq!(desk.cache().outbox_item(read.id()).await.unwrap().unwrap().status, OutboxStatus::Accepted);
    assert!(desk.cache().number(phone).await.unwrap().accounts.iter().all(|a| a.opt_out.is_none()));
}

fn reply(sender: &str, phone: &str, body: &str) -> IncomingReply {
    IncomingReply {
        provider_message_id: Uuid::new_v4().to_string(),
        sender_phone: sender.into(),
        contact_phone: phone.into(),
        body: body.into(),
        at: None,
        provider_action: None,
    }
}

#[tokio::test]
async fn with_the_hub_unreachable_reads_work_actions_queue_and_nothing_is_lost_across_a_restart() {
    let world = World::demo(20).await;
    let (url, token) = world.serve().await;
    let sync = Syncer::new(world.cache("desk").await, World::remote(&url, &token));
    sync.sync().await.unwrap();
    let before = sync.cache().opt_outs().await.unwrap();

    // The hub's address stops answering.
    let gone = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", gone.local_addr().unwrap());
    drop(gone);
    let offline = Syncer::new(world.cache("desk").await, World::remote(&dead, &token));
    let command = opt_out(NORTHSIDE, "+12015550188");
    offline.cache().enqueue(&command).await.unwrap();
    let error = offline.sync().await.unwrap_err();
    assert!(matches!(error, Error::Unreachable(_)), "{error}");
    let status = offline.status().borrow().clone();
    assert!(status.offline && status.pending == 1, "{status:?}");
    assert_eq!(offline.cache().opt_outs().await.unwrap(), before, "reads still work");
    offline.cache().close().await;

    // The app restarts, the hub is back.
    let back = Syncer::new(world.cache("desk").await, World::remote(&url, &token));
    let item = back.cache().outbox_item(command.id()).await.unwrap().unwrap();
    assert_eq!((item.status, item.attempts), (OutboxStatus::Pending, 1));
    assert!(item.last_error.unwrap().contains("no connection"));
    back.cache().retry_now().await.unwrap();
    back.sync().await.unwrap();
    assert_eq!(back.cache().opt_outs_of("+12015550188").await.unwrap().len(), 1);
    assert_eq!(back.cache().opt_outs().await.unwrap(), world.hub_opt_outs().await);
}

/// Responses dropped, cut midway, duplicated, delayed and reordered: after the network heals,
/// the cache equals the hub and no command was applied twice.
async fn after_a_faulty_network_heals_the_cache_equals_the_hub_and_no_command_ran_twice(storage: Storage) {
    let world = World::demo_on(storage, 60).await;
    let (url, token) = world.serve().await;
    let healed = Arc::new(AtomicBool::new(false));
    let (proxy, faults) = support::faulty_proxy(url, healed.clone()).await;
    let sync = Syncer::new(world.cache("desk").await, World::remote(&proxy, &token)).with_page(40);
    let phones: Vec<String> = (0..12).map(|i| format!("+1201555{:04}", 3000 + i)).collect();
    let (mut failures, mut queued) = (0, 0);
    for round in 0..200 {
        // Commands join as soon as the cache knows the account, and go out while the feed comes in.
        if round % 10 == 0 && !sync.cache().accounts().await.unwrap().is_empty() {
            if let Some(phone) = phones.get(queued) {
                sync.cache().enqueue(&opt_out(NORTHSIDE, phone)).await.unwrap();
                queued += 1;
            }
        }
        sync.cache().retry_now().await.unwrap();
        if sync.sync().await.is_err() {
            failures += 1;
        }
    }
    assert!(failures > 10, "the proxy must have hurt: {faults:?}");
    healed.store(true, Ordering::SeqCst);
    sync.cache().retry_now().await.unwrap();
    sync.sync().await.unwrap();

    assert_eq!(sync.cache().opt_outs().await.unwrap(), world.hub_opt_outs().await, "{faults:?}");
    assert_eq!(sync.cache().state().await.unwrap().pending, 0);
    assert!(queued >= 8, "only {queued} commands were queued");
    // Each command reached the hub's record once, however often the proxy delivered it.
    let ids: Vec<String> = sync.cache().outbox().await.unwrap().iter().map(|i| i.id.to_string()).collect();
    let mut recorded = std::collections::HashMap::new();
    let mut cursor = 0;
    loop {
        let page = world.hub.changes_after(&optout_hub::Actor::admin("ada"), cursor, 1000).await.unwrap();
        let Some(last) = page.last() else { break };
        cursor = last.seq;
        for change in page.iter().filter(|c| c.kind == "command") {
            let payload: serde_json::Value = serde_json::from_str(change.payload.get()).unwrap();
            *recorded.entry(payload["id"].as_str().unwrap().to_owned()).or_insert(0) += 1;
        }
    }
    for id in &ids {
        assert_eq!(recorded.get(id), Some(&1), "command {id}");
    }
    for phone in &phones[..queued] {
        let lookup = world.hub.lookup(&optout_hub::Actor::admin("ada"), phone, Region::US).await.unwrap();
        let opt_outs = lookup.history.iter().filter(|e| e.action == "opt_out").count();
        assert_eq!(opt_outs, 1, "{phone}: {:?}", lookup.history);
    }
    assert_eq!(sync.cache().integrity_check().await.unwrap(), "ok");
}

/// A hub that answers with broken or hostile pages: each is a clear error, and the cache keeps
/// what it had.
#[tokio::test]
async fn a_broken_or_hostile_hub_gets_a_clear_error_and_the_cache_stays_as_it_was() {
    let world = World::demo(10).await;
    let change = |seq: i64, kind: &str, payload: &str| {
        format!(r#"{{"seq":{seq},"at":"2026-11-23T00:00:00Z","kind":"{kind}","payload":{payload}}}"#)
    };
    let message = r#"{"id":9,"conversation_id":1,"direction":"incoming","body":"<img src=x onerror=alert(1)>","at":"2026-11-23T00:00:00Z"}"#;
    let sideways = message.replace("incoming", "in");
    let cases: Vec<(&str, String, &str)> = vec![
        ("1", "{not json".into(), "malformed JSON"),
        ("2", r#"{"changes":[],"head":0}"#.into(), "protocol 2"),
        ("1", format!(r#"{{"changes":[{}],"head":2}}"#, change(2, "message", message)), "expected change 1"),
        ("1", format!(r#"{{"changes":[{}],"head":1}}"#, change(1, "message", r#"{"id":"x"}"#)), "is malformed"),
        ("1", format!(r#"{{"changes":[{}],"head":1}}"#, change(1, "message", &sideways)), "unknown variant `in`"),
        ("1", format!(r#"{{"changes":[{}],"head":1}}"#, change(1, "script", "{}")), "does not know"),
        ("1", format!(r#"{{"changes":[{}],"head":0}}"#, change(1, "message", message)), "behind its own change"),
        (
            "1",
            format!(r#"{{"changes":[{},{}],"head":2}}"#, change(1, "message", message), change(2, "opt_out", "{}")),
            "is malformed",
        ),
        ("1", "x".repeat(optout_client::MAX_RESPONSE + 1), "too large"),
    ];
    for (i, (version, body, expected)) in cases.into_iter().enumerate() {
        let url = fake_hub(version, body).await;
        let cache = world.cache(&format!("case{i}")).await;
        let before = (cache.state().await.unwrap(), cache.counts().await.unwrap());
        let error = Syncer::new(cache.clone(), World::remote(&url, "od_token")).pull(|_| true).await.unwrap_err();
        let text = error.to_string();
        assert!(text.contains(expected), "case {i}: {text}");
        assert!(matches!(error, Error::Protocol(_)), "case {i}: {error:?}");
        assert_eq!((cache.state().await.unwrap(), cache.counts().await.unwrap()), before, "case {i}: nothing stored");
    }

    // A cache never takes another hub's records.
    let sync = Syncer::new(world.cache("desk").await, world.embedded());
    sync.pull(|_| true).await.unwrap();
    let before = sync.cache().counts().await.unwrap();
    let other = fake_hub("1", r#"{"changes":[],"head":0}"#.to_owned()).await;
    let error = Syncer::new(sync.cache().clone(), World::remote(&other, "od_token")).pull(|_| true).await.unwrap_err();
    assert!(matches!(error, Error::OtherHub { .. }), "{error}");
    assert_eq!(sync.cache().counts().await.unwrap(), before);
}

/// A newer hub may refuse a command with a code this app does not know yet: the admin sees the
/// refusal and its words, and the sync goes on past it instead of stopping at "malformed".
#[tokio::test]
async fn a_refusal_code_from_a_newer_hub_settles_the_command_and_the_sync_goes_on() {
    let world = World::demo(10).await;
    let cache = world.cache("desk").await;
    let command = Command::AddAccount(optout_hub::NewAccount {
        command_id: Uuid::new_v4(),
        name: "Acme".into(),
        auto_opt_outs: true,
    });
    cache.enqueue(&command).await.unwrap();
    let answer = format!(
        r#"{{"id":"{}","kind":"add_account","answer":{{"refused":{{"code":"over_quota","message":"this plan holds 3 accounts"}}}}}}"#,
        command.id()
    );
    let page = format!(
        r#"{{"changes":[{{"seq":1,"at":"2026-12-02T00:00:00Z","kind":"command","payload":{answer}}}],"head":1}}"#
    );
    let url = fake_hub("1", page).await;
    // This hub answers every page alike: stop after the first.
    Syncer::new(cache.clone(), World::remote(&url, "od_token")).pull(|_| false).await.unwrap();

    let item = cache.outbox_item(command.id()).await.unwrap().unwrap();
    assert_eq!(item.status, OutboxStatus::Refused);
    let Some(Answer::Refused { code, message }) = item.answer else { panic!("{:?}", item.answer) };
    assert_eq!((code.as_str(), message.as_str()), ("over_quota", "this plan holds 3 accounts"));
    assert_eq!(cache.state().await.unwrap().cursor, 1, "the sync read past the change");
}

/// A server that answers every request with `body`, naming protocol `version`.
async fn fake_hub(version: &'static str, body: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = Arc::new(body);
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                let _ = stream.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\noptout-protocol: {version}\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(body.as_bytes()).await;
            });
        }
    });
    url
}
