//! In-process measurements for `bench/hub.sh`, each beside its baseline on the same database:
//!
//! - lookup and send check latency (p50, p99) on random numbers, against the floor of one
//!   indexed `SELECT` of the same opt-out through the same pool;
//! - reading the change feed from 0, against scanning the same rows without decoding them.
//!
//! Usage: measure DATABASE_URL ACCOUNT SENDER PHONES_FILE

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use optout_hub::{Hub, Region};
use sqlx::Connection;

fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1e6;
    format!("p50 {:>7.1} µs   p99 {:>7.1} µs   max {:>8.1} µs", at(0.5), at(0.99), at(1.0))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (url, account, sender, phones) = (&args[1], &args[2], &args[3], &args[4]);
    let phones: Vec<String> = std::fs::read_to_string(phones).unwrap().lines().map(str::to_owned).collect();
    let hub = Hub::connect(url).await.unwrap();
    let account_id = hub.account(account).await.unwrap().id;
    let samples = 20_000.min(phones.len());
    let pick = |i: usize| &phones[(i * 7919) % phones.len()];

    // Warm the caches the same way for each.
    for i in 0..2000 {
        hub.send_check(account, sender, pick(i)).await;
    }
    let mut floor = Vec::with_capacity(samples);
    let mut raw = sqlx::AnyConnection::connect(url).await.unwrap();
    for i in 0..samples {
        let t = Instant::now();
        let _: Option<i64> =
            sqlx::query_scalar("SELECT id FROM opt_outs WHERE account_id = $1 AND phone = $2 AND reversed_at IS NULL")
                .bind(account_id)
                .bind(pick(i))
                .fetch_optional(&mut raw)
                .await
                .unwrap();
        floor.push(t.elapsed());
    }
    let mut checks = Vec::with_capacity(samples);
    let mut denied = 0;
    for i in 0..samples {
        let t = Instant::now();
        let check = hub.send_check(account, sender, pick(i)).await;
        checks.push(t.elapsed());
        denied += usize::from(!check.allowed);
    }
    let mut lookups = Vec::with_capacity(samples / 4);
    for i in 0..samples / 4 {
        let t = Instant::now();
        hub.lookup(&optout_hub::Actor::admin("measure"), pick(i), Region::US).await.unwrap();
        lookups.push(t.elapsed());
    }
    println!("baseline: one indexed SELECT  {}", percentiles(floor));
    println!("send check                    {}   ({denied} of {samples} denied)", percentiles(checks));
    println!("lookup                        {}", percentiles(lookups));

    let head = hub.feed_head().await.unwrap();
    let t = Instant::now();
    let mut rows = 0u64;
    let mut cursor = 0;
    loop {
        let batch: Vec<(i64, String)> =
            sqlx::query_as("SELECT seq, payload FROM changes WHERE seq > $1 ORDER BY seq LIMIT 5000")
                .bind(cursor)
                .fetch_all(&mut raw)
                .await
                .unwrap();
        let Some(last) = batch.last() else { break };
        cursor = last.0;
        rows += batch.len() as u64;
    }
    let scan = t.elapsed();
    let t = Instant::now();
    let mut read = 0u64;
    let mut cursor = 0;
    loop {
        let page = hub.changes_after(&optout_hub::Actor::admin("measure"), cursor, 5000).await.unwrap();
        let Some(last) = page.last() else { break };
        cursor = last.seq;
        read += page.len() as u64;
    }
    let feed = t.elapsed();
    println!("baseline: scan changes rows   {:>10.0} rows/s   ({rows} rows)", rows as f64 / scan.as_secs_f64());
    println!("change feed from 0            {:>10.0} changes/s ({read} of {head})", read as f64 / feed.as_secs_f64());
}
