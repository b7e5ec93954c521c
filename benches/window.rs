//! The app's window with the demo organisation at scale: the first sync, the memory of the app and
//! its web process, how soon a lookup shows after Enter, and how soon the Opt Out Manager shows a
//! changed filter. Each screen figure stands beside its baseline from the same run: the same
//! command called straight over the window's IPC, with nothing drawn.
//!
//! `cargo bench --bench window [-- CONTACTS]` (default 1,000,000). The demo hub is built once
//! (about five minutes at 1M) in `$BENCH_DIR/demo-CONTACTS` and copied for each run.
//! `BENCH_RAW=1` also prints every time in the order measured (the first lookup after opening
//! the area is the slow one).

#![allow(clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use optout_hub::{Hub, OptOutFilter};
use serde_json::{json, Value};

const RUNS: usize = 100;

/// Times in the page, from the action until the frame that shows its result.
const LOOKUP: &str = r#"
const [phone, expected, done] = arguments;
const input = document.querySelector('[data-testid=lookup-phone]');
input.value = phone;
input.dispatchEvent(new Event('input', { bubbles: true }));
const start = performance.now();
input.form.requestSubmit();
const shown = () => document.querySelector('[data-testid=lookup-number]')?.textContent.trim() === expected;
const observer = new MutationObserver(() => {
  if (shown()) { observer.disconnect(); requestAnimationFrame(() => done(performance.now() - start)); }
});
observer.observe(document.body, { subtree: true, childList: true, characterData: true });
setTimeout(() => { observer.disconnect(); done(-1); }, 5000);
"#;

const FILTER: &str = r#"
const [source, done] = arguments;
const select = document.querySelector('[data-testid=filter-source]');
const total = () => document.querySelector('[data-testid=total]').textContent;
const before = total();
select.value = source;
const start = performance.now();
select.dispatchEvent(new Event('change', { bubbles: true }));
const observer = new MutationObserver(() => {
  if (total() !== before) { observer.disconnect(); requestAnimationFrame(() => done(performance.now() - start)); }
});
observer.observe(document.body, { subtree: true, childList: true, characterData: true });
setTimeout(() => { observer.disconnect(); done(-1); }, 5000);
"#;

/// The baseline: one IPC command, answered and decoded, nothing drawn.
const INVOKE: &str = r#"
const [command, args, done] = arguments;
const start = performance.now();
window.__TAURI_INTERNALS__.invoke(command, args).then(() => done(performance.now() - start), () => done(-1));
"#;

fn percentiles(mut ms: Vec<f64>) -> String {
    assert!(ms.iter().all(|t| *t >= 0.0), "a run timed out or failed: {ms:?}");
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 * p) as usize).min(ms.len() - 1)];
    format!("p50 {:>6.1} ms  p90 {:>6.1} ms  p99 {:>6.1} ms  ({} runs)", at(0.5), at(0.9), at(0.99), ms.len())
}

/// The demo hub of `contacts`, built once and kept.
async fn demo(contacts: u64) -> PathBuf {
    let work = std::env::var_os("BENCH_DIR")
        .map_or_else(|| PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/optout-desk/bench"), PathBuf::from);
    let dir = work.join(format!("demo-{contacts}"));
    let ready = dir.join("ready");
    if !ready.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        eprintln!("building the demo organisation of {contacts} contacts in {} (once)", dir.display());
        let start = Instant::now();
        let hub = Hub::open(&dir.join("hub.sqlite3")).await.unwrap();
        hub.build_demo(contacts, 1, |_| true).await.unwrap();
        hub.close().await;
        eprintln!("built in {:.0} s", start.elapsed().as_secs_f64());
        std::fs::write(&ready, "").unwrap();
    }
    dir.join("hub.sqlite3")
}

/// Resident memory of the processes whose command line contains `pattern`, in MiB.
fn rss_mib(pattern: &str) -> f64 {
    let out = std::process::Command::new("pgrep").args(["-f", pattern]).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .sum::<f64>()
        / 1024.0
}

async fn run_js(app: &support::Desktop, script: &str, args: Vec<Value>) -> f64 {
    app.client.execute_async(script, args).await.unwrap().as_f64().unwrap()
}

#[tokio::main]
async fn main() {
    let contacts: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let hub_file = demo(contacts).await;

    // What the app must show: the opt-outs in force, and numbers to look up.
    let hub = Hub::open(&hub_file).await.unwrap();
    let (mut phones, mut in_force, mut after) = (Vec::new(), 0, None);
    loop {
        let page = hub.list_opt_outs(&OptOutFilter::default(), after.as_deref(), 1000).await.unwrap();
        in_force += page.opt_outs.len();
        phones.extend(page.opt_outs.iter().step_by(97).map(|o| o.phone.clone()));
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    phones.truncate(RUNS - 10);
    phones.extend((0..10).map(|n| format!("+1415555{:04}", 100 + n)));
    hub.close().await;

    let data = tempfile::tempdir().unwrap();
    copy_hub(&hub_file, data.path());
    let launched = Instant::now();
    let app = support::launch_on(data.path()).await;
    app.click("[data-area=manager]").await;
    let expected = format!("{in_force}");
    app.text_within(Duration::from_secs(1800), "[data-testid=total]", |t| {
        t.replace(',', "").split_whitespace().next() == Some(expected.as_str())
    })
    .await;
    let synced = launched.elapsed();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let app_mib = rss_mib(env!("CARGO_BIN_EXE_optout-desk"));
    let web_mib = rss_mib("WebKitWebProcess");

    let mut filters = Vec::new();
    let mut filter_base = Vec::new();
    for i in 0..RUNS {
        let source = ["keyword_reply", "manual", "provider_block", ""][i % 4];
        filters.push(run_js(&app, FILTER, vec![json!(source)]).await);
        let query = json!({ "account": null, "source": if source.is_empty() { Value::Null } else { json!(source) },
            "from": null, "to": null, "phone": null, "include_reversed": false, "oldest_first": false });
        let args = json!({ "query": query, "after": null, "limit": 200 });
        filter_base.push(run_js(&app, INVOKE, vec![json!("opt_outs"), args]).await);
    }

    app.click("[data-area=lookup]").await;
    let mut lookups = Vec::new();
    let mut lookup_base = Vec::new();
    for phone in &phones {
        lookups.push(run_js(&app, LOOKUP, vec![json!(phone), json!(phone)]).await);
        lookup_base.push(run_js(&app, INVOKE, vec![json!("number"), json!({ "phone": phone })]).await);
    }
    app.screenshot("bench-lookup").await;
    if std::env::var_os("BENCH_RAW").is_some() {
        eprintln!("lookups in order: {lookups:?}\nfilters in order: {filters:?}");
    }
    app.close().await;

    println!("demo organisation of {contacts} contacts, {in_force} opt-outs in force");
    println!("ours      launch to the whole demo synced and listed   {:>7.1} s", synced.as_secs_f64());
    println!("ours      memory once synced: app {app_mib:.0} MiB, its web process {web_mib:.0} MiB");
    println!("ours      filter change to the new list drawn       {}", percentiles(filters));
    println!("baseline  opt_outs over IPC, nothing drawn           {}", percentiles(filter_base));
    println!("ours      lookup, Enter to the result drawn          {}", percentiles(lookups));
    println!("baseline  number over IPC, nothing drawn             {}", percentiles(lookup_base));
}

/// The hub file (and its write-ahead log, if any) into a new data folder.
fn copy_hub(hub: &Path, data: &Path) {
    for suffix in ["", "-wal"] {
        let from = PathBuf::from(format!("{}{suffix}", hub.display()));
        if from.exists() {
            std::fs::copy(&from, data.join(format!("hub.sqlite3{suffix}"))).unwrap();
        }
    }
}
