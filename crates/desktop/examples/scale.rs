//! The desktop at scale: a first sync of a million-contact organisation into a new cache, then
//! the screens' reads on it, each beside a named baseline measured in the same run.
//!
//! `cargo run --release -p optout-desktop --example scale -- [CONTACTS] [DIR] [ours]` (default
//! 1,000,000 contacts: 1M conversations, 1M messages and 1M opt-outs, 3M changes; `ours` skips
//! the slow baseline while iterating, `http` runs only the first sync from `optout serve`). `bench/desk.sh` runs it whole.
//!
//! The feed comes from [`SyntheticHub`], which makes each page on request, so the figures are the
//! cache's: decoding pages and writing them, with nothing of a hub's own cost in them.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use optout_cache::synthetic::{phone, SyntheticHub, ACCOUNTS};
use optout_cache::{Cache, ConversationFilter, ConversationView, OptOutQuery, Syncer};
use optout_hub::Source;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Executor};

/// The process's peak resident memory, from the kernel.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn percentiles(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    format!("p50 {:>8.3} ms  p99 {:>8.3} ms", at(0.5).as_secs_f64() * 1e3, at(0.99).as_secs_f64() * 1e3)
}

async fn timed<T, F: std::future::Future<Output = T>>(runs: usize, mut run: impl FnMut(usize) -> F) -> Vec<Duration> {
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        std::hint::black_box(run(i).await);
        times.push(start.elapsed());
    }
    times
}

/// The baseline: the same rows' values, bound into plain prepared INSERTs, 5,000 to a
/// transaction, into an empty copy of the cache's tables (no decoding, no upserts, no cursor).
/// Returns its rows a second.
async fn baseline(dir: &std::path::Path, contacts: i64) -> f64 {
    let base = dir.join("baseline.sqlite3");
    Cache::open(&base).await.unwrap().close().await;
    let options = SqliteConnectOptions::new().filename(&base).journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
    let mut db = sqlx::SqliteConnection::connect_with(&options).await.unwrap();
    db.execute("PRAGMA synchronous = NORMAL").await.unwrap();
    let start = Instant::now();
    for chunk in (0..contacts).collect::<Vec<_>>().chunks(5000 / 3) {
        let mut tx = db.begin().await.unwrap();
        for &n in chunk {
            let account = ACCOUNTS[(n % 3) as usize];
            sqlx::query("INSERT INTO conversations (id, campaign_id, account, sender_phone, contact_phone, contact_name) VALUES (?, ?, ?, ?, ?, 'Sam')")
                .bind(n + 1).bind(n % 3 + 1).bind(account).bind("+12015550101").bind(phone(n)).execute(&mut *tx).await.unwrap();
            sqlx::query(
                "INSERT INTO messages (id, conversation_id, direction, body, at) VALUES (?, ?, 'incoming', 'STOP', ?)",
            )
            .bind(n + 1)
            .bind(n + 1)
            .bind(n)
            .execute(&mut *tx)
            .await
            .unwrap();
            sqlx::query("INSERT INTO opt_outs (id, account, phone, source, actor, reason, evidence, sender_phone, rule, created_at) \
                 VALUES (?, ?, ?, 'keyword_reply', 'rules', 'Replied STOP', 'STOP', '+12015550101', 'automatic_opt_out', ?)")
                .bind(n + 1).bind(account).bind(phone(n)).bind(n).execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    let baseline = start.elapsed();
    drop(db);
    let baseline_rate = (3 * contacts) as f64 / baseline.as_secs_f64();
    println!(
        "baseline  plain prepared INSERTs of the same rows   {:>8.1} s  {:>9.0} rows/s",
        baseline.as_secs_f64(),
        baseline_rate
    );
    baseline_rate
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let contacts: i64 = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let dir = args.get(2).map_or_else(|| std::env::temp_dir().join("optout-scale"), std::path::PathBuf::from);
    match args.get(3).map(String::as_str) {
        Some("serve") => return serve(&dir).await,
        Some("http") => return over_http(&dir, contacts).await,
        _ => {}
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let hub = SyntheticHub::new(contacts);
    println!("== first sync of {contacts} contacts: {} changes", hub.head());

    let baseline_rate =
        if args.get(3).map(String::as_str) == Some("ours") { f64::NAN } else { baseline(&dir, contacts).await };

    let peak_before = peak_mib();
    let cache = Cache::open(&dir.join("cache.sqlite3")).await.unwrap();
    let syncer = Syncer::new(cache.clone(), hub);
    let start = Instant::now();
    let applied = syncer.pull(|_| true).await.unwrap();
    let sync = start.elapsed();
    println!(
        "ours      first sync through the Syncer            {:>8.1} s  {:>9.0} changes/s  ({:.2}x the baseline's rate); peak RSS {:.0} MiB (before: {:.0})",
        sync.as_secs_f64(),
        applied as f64 / sync.as_secs_f64(),
        (applied as f64 / sync.as_secs_f64()) / baseline_rate,
        peak_mib(),
        peak_before
    );
    let start = Instant::now();
    let nothing = syncer.pull(|_| true).await.unwrap();
    println!(
        "ours      incremental sync with nothing new          {:>8.3} ms ({nothing} changes)",
        start.elapsed().as_secs_f64() * 1e3
    );

    println!("== the screens' reads on {contacts} contacts");
    let runs = 300;
    let pick = |i: usize| phone((i as i64 * 7919) % contacts);
    let floor = timed(runs, |i| {
        let cache = cache.clone();
        async move { cache.opt_outs_of(&pick(i)).await.unwrap() }
    })
    .await;
    println!("baseline  one indexed SELECT of a number's opt-outs   {}", percentiles(floor));
    let lookups = timed(runs, |i| {
        let cache = cache.clone();
        let typed = pick(i)[2..].to_owned();
        async move { cache.number(&typed).await.unwrap() }
    })
    .await;
    println!("ours      phone lookup (parse, every account, blocks, conversations, history)  {}", percentiles(lookups));

    let filters: Vec<(&str, OptOutQuery)> = vec![
        ("no filter", OptOutQuery::default()),
        ("one account", OptOutQuery { account: Some(ACCOUNTS[1].into()), ..OptOutQuery::default() }),
        ("one source", OptOutQuery { source: Some(Source::Import), ..OptOutQuery::default() }),
        (
            "account and source",
            OptOutQuery {
                account: Some(ACCOUNTS[0].into()),
                source: Some(Source::KeywordReply),
                ..OptOutQuery::default()
            },
        ),
        ("number prefix", OptOutQuery { phone: Some("+1201212".into()), ..OptOutQuery::default() }),
        (
            "date range",
            OptOutQuery {
                from: Some(Utc.timestamp_opt(1_790_000_000 + contacts, 0).unwrap()),
                ..OptOutQuery::default()
            },
        ),
    ];
    for (name, query) in filters {
        let times = timed(20, |_| {
            let (cache, query) = (cache.clone(), query.clone());
            async move { cache.opt_out_page(&query, None, 200).await.unwrap() }
        })
        .await;
        println!("ours      Opt Out Manager filter: {name:<20} (first page and count)  {}", percentiles(times));
    }
    let views = [
        ConversationView::All,
        ConversationView::NeedsReview,
        ConversationView::AutoOptOuts,
        ConversationView::OptedOut,
    ];
    for view in views {
        let filter = ConversationFilter { view, ..ConversationFilter::default() };
        let times = timed(20, |_| {
            let (cache, filter) = (cache.clone(), filter.clone());
            async move { cache.conversations(&filter, None, 100).await.unwrap() }
        })
        .await;
        println!("ours      Messenger view: {view:<20?} (first page)  {}", percentiles(times));
    }
    let start = Instant::now();
    let trends = cache.trends(30, 0).await.unwrap();
    println!(
        "ours      trends (30 days, {} campaigns)   {:>8.1} ms",
        trends.campaigns.len(),
        start.elapsed().as_secs_f64() * 1e3
    );
    println!("peak RSS of this process: {:.0} MiB", peak_mib());
    over_http(&dir.with_extension("http"), contacts).await;
}

/// The child process of [`over_http`]: serves the hub in `dir` on loopback, as `optout serve`
/// does, and prints its URL.
async fn serve(dir: &std::path::Path) {
    let hub = optout_hub::Hub::open(&dir.join("hub.sqlite3")).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("http://{}", listener.local_addr().unwrap());
    optout_hub::http::serve(hub, listener, std::future::pending()).await.unwrap();
}

/// Builds the hub of [`over_http`] in `dir`: `opt_outs` imported opt-outs and as many sent
/// messages, each in its own conversation. Kept between runs: it takes minutes.
async fn build_http_hub(dir: &std::path::Path, opt_outs: i64) -> optout_hub::Hub {
    let ready = dir.join(format!("hub-{opt_outs}.ready"));
    if ready.exists() {
        return optout_hub::Hub::open(&dir.join("hub.sqlite3")).await.unwrap();
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let hub = optout_hub::Hub::open(&dir.join("hub.sqlite3")).await.unwrap();
    let setup = optout_hub::Actor::admin("setup");
    let account =
        optout_hub::NewAccount { command_id: uuid::Uuid::new_v4(), name: ACCOUNTS[0].into(), auto_opt_outs: true };
    hub.add_account(&setup, &account).await.unwrap();
    let sender = "+12015550100";
    let campaign = optout_hub::NewCampaign {
        command_id: uuid::Uuid::new_v4(),
        account: ACCOUNTS[0].into(),
        name: "Bench".into(),
        provider: 1,
        sender_numbers: vec![sender.to_string()],
    };
    hub.add_campaign(&setup, &campaign).await.unwrap();
    let start = Instant::now();
    for first in (0..opt_outs).step_by(5000) {
        let events: Vec<optout_hub::Event> = (first..(first + 5000).min(opt_outs))
            .map(|n| {
                optout_hub::Event::Outgoing(optout_hub::OutgoingMessage {
                    provider_message_id: format!("bench-{n}"),
                    sender_phone: sender.into(),
                    contact_phone: phone(n),
                    contact_name: None,
                    body: "Polls open at 7am tomorrow. Reply STOP to opt out.".into(),
                    at: None,
                })
            })
            .collect();
        hub.ingest_batch(&events).await.unwrap();
    }
    println!("(set-up: {opt_outs} messages ingested in {:.1} s)", start.elapsed().as_secs_f64());
    let list = dir.join("list.csv");
    let numbers: String = (0..opt_outs).map(|n| phone(n) + "\n").collect();
    std::fs::write(&list, numbers).unwrap();
    let options = optout_hub::ImportOptions {
        dry_run: false,
        account: ACCOUNTS[0].into(),
        region: optout_hub::Region::US,
        column: None,
        batch_rows: optout_hub::DEFAULT_BATCH_ROWS,
    };
    hub.import_csv(&optout_hub::Actor::admin("bench"), &list, &options, |_| true).await.unwrap();
    std::fs::write(&ready, "").unwrap();
    hub
}

/// A first sync from `optout serve` on loopback: a hub whose record holds `opt_outs` imported
/// opt-outs and as many sent messages (each in its own conversation), served by a child process
/// and read through the same [`Remote`] link the app uses, so this process's memory is the
/// sync's alone. Baseline: the same feed read in the hub's process, with no HTTP and no cache.
async fn over_http(dir: &std::path::Path, opt_outs: i64) {
    println!("== first sync over HTTP on loopback from a hub of {opt_outs} opt-outs and {opt_outs} messages");
    let hub = build_http_hub(dir, opt_outs).await;
    let head = hub.feed_head().await.unwrap();

    let start = Instant::now();
    let mut cursor = 0;
    while cursor < head {
        cursor = hub.changes_after(&optout_hub::Actor::admin("scale"), cursor, 5000).await.unwrap().last().unwrap().seq;
    }
    let floor = start.elapsed();
    println!(
        "baseline  the feed read in the hub's process          {:>8.1} s  {:>9.0} changes/s",
        floor.as_secs_f64(),
        head as f64 / floor.as_secs_f64()
    );
    let (_, token) =
        hub.create_token(&optout_hub::Actor::admin("setup"), "bench", optout_hub::Role::Admin).await.unwrap();
    hub.close().await;

    let mut server = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["0", dir.to_str().unwrap(), "serve"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut url).unwrap();
    // The high-water mark so far is the hub's set-up; from here on it is the sync's.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let _ = std::fs::remove_file(dir.join("cache-http.sqlite3"));
    let cache = Cache::open(&dir.join("cache-http.sqlite3")).await.unwrap();
    let syncer = Syncer::new(cache, optout_client::Remote::new(url.trim(), &token).unwrap());
    let start = Instant::now();
    let applied = syncer.pull(|_| true).await.unwrap();
    let took = start.elapsed();
    // An import's opt-outs travel twenty to a change: count what arrived as well.
    let mut conn =
        sqlx::SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(dir.join("cache-http.sqlite3")))
            .await
            .unwrap();
    let records: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM opt_outs) + (SELECT COUNT(*) FROM messages) + (SELECT COUNT(*) FROM conversations)",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    println!(
        "ours      first sync from optout serve                {:>8.1} s  {:>9.0} changes/s, {:>9.0} records/s \
         ({applied} changes, {records} opt-outs, messages and conversations); peak RSS {:.0} MiB",
        took.as_secs_f64(),
        applied as f64 / took.as_secs_f64(),
        records as f64 / took.as_secs_f64(),
        peak_mib()
    );
    let times = timed(100, |_| syncer.pull(|_| true)).await;
    println!("ours      incremental sync with nothing new, over HTTP  {}", percentiles(times));
    let _ = server.kill();
    let _ = server.wait();
}
