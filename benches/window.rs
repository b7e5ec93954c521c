//! The app's window with the demo organisation at scale: the first sync, the memory of the app and
//! its WebKit processes, how soon a lookup shows after Enter, and how soon the Opt Out Manager
//! shows a changed filter. Each figure stands beside its baseline from the same run: for the
//! screens, the same command called straight over the window's IPC, with nothing drawn; for
//! memory, the same app synced with a demo of 20,000 contacts.
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

/// Memory of the app's process and of the WebKit processes it starts, in MiB.
struct Memory {
    /// The app's own process: its resident set, and its proportional share (PSS), which splits
    /// each page shared with other processes (WebKit's and GTK's libraries, mostly) among them.
    app_rss: f64,
    app_pss: f64,
    /// Its WebKit web and network processes, PSS.
    helpers_pss: f64,
}

impl Memory {
    fn now() -> Memory {
        let kib = |pid: &str, field: &str| -> f64 {
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
            let line = rollup.lines().find(|l| l.starts_with(field)).unwrap_or_default().to_owned();
            line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0.0)
        };
        let pgrep = |args: &[&str]| -> Vec<String> {
            let out = std::process::Command::new("pgrep").args(args).output().unwrap();
            String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
        };
        let apps = pgrep(&["-f", env!("CARGO_BIN_EXE_optout-desk")]);
        assert_eq!(apps.len(), 1, "one app running, not {apps:?}");
        let app = &apps[0];
        Memory {
            app_rss: kib(app, "Rss:") / 1024.0,
            app_pss: kib(app, "Pss:") / 1024.0,
            helpers_pss: pgrep(&["-P", app]).iter().map(|child| kib(child, "Pss:")).sum::<f64>() / 1024.0,
        }
    }
}

impl std::fmt::Display for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "app {:.0} MiB PSS ({:.0} MiB resident), its WebKit processes {:.0} MiB PSS, together {:.0} MiB",
            self.app_pss,
            self.app_rss,
            self.helpers_pss,
            self.app_pss + self.helpers_pss
        )
    }
}

/// The opt-outs in force in a hub, and every 97th number among them.
async fn in_force(hub_file: &Path) -> (usize, Vec<String>) {
    let hub = Hub::open(hub_file).await.unwrap();
    let (mut phones, mut count, mut after) = (Vec::new(), 0, None);
    loop {
        let page = hub
            .list_opt_outs(&optout_hub::Actor::admin("bench"), &OptOutFilter::default(), after.as_deref(), 1000)
            .await
            .unwrap();
        count += page.opt_outs.len();
        phones.extend(page.opt_outs.iter().step_by(97).map(|o| o.phone.clone()));
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    hub.close().await;
    (count, phones)
}

/// Launches the app on a copy of `hub_file` and waits until the Opt Out Manager lists all
/// `count` opt-outs in force; returns how long that took, and the app's memory five seconds on.
async fn synced(hub_file: &Path, count: usize, data: &Path) -> (support::Desktop, Duration, Memory) {
    copy_hub(hub_file, data);
    let launched = Instant::now();
    let app = support::launch_on(data).await;
    app.click("[data-area=manager]").await;
    let expected = format!("{count}");
    app.text_within(Duration::from_secs(1800), "[data-testid=total]", |t| {
        t.replace(',', "").split_whitespace().next() == Some(expected.as_str())
    })
    .await;
    let synced = launched.elapsed();
    tokio::time::sleep(Duration::from_secs(5)).await;
    (app, synced, Memory::now())
}

async fn run_js(app: &support::Desktop, script: &str, args: Vec<Value>) -> f64 {
    app.client.execute_async(script, args).await.unwrap().as_f64().unwrap()
}

#[tokio::main]
async fn main() {
    let contacts: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let hub_file = demo(contacts).await;

    // The baseline for memory: the same app once it has synced a small organisation.
    let small = 20_000;
    let small_memory = {
        let hub_file = demo(small).await;
        let (count, _) = in_force(&hub_file).await;
        let data = tempfile::tempdir().unwrap();
        let (app, _, memory) = synced(&hub_file, count, data.path()).await;
        app.close().await;
        memory
    };

    // What the app must show: the opt-outs in force, and numbers to look up.
    let (in_force, mut phones) = in_force(&hub_file).await;
    phones.truncate(RUNS - 10);
    phones.extend((0..10).map(|n| format!("+1415555{:04}", 100 + n)));
    let data = tempfile::tempdir().unwrap();
    let (app, synced, memory) = synced(&hub_file, in_force, data.path()).await;

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
    println!("ours      memory once synced: {memory}");
    println!("baseline  the same at {small} contacts: {small_memory}");
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
