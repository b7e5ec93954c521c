//! Ingest through the hub's batch path, beside its baseline: the same rows written by plain
//! batched `INSERT`s into the same schema, in as many transactions, with foreign keys unchecked.
//!
//! The traffic is the demo's: outgoing messages and the replies the rules decide (keywords that
//! opt out or block, requests and wrong numbers that raise review flags, ordinary answers).
//! Each side starts from a fresh database with the demo organisation and no traffic; the sides
//! take turns, `RUNS` times, and the medians are compared.
//!
//! Usage: ingest DATABASE_URL_A DATABASE_URL_B [EVENTS] [BATCH] [RUNS]
//! (two databases: `sqlite:///tmp/a.sqlite3?mode=rwc` or `postgres://…`; each run empties them.)

#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use std::time::Instant;

use optout_hub::{DemoTraffic, Event, Hub};
use sqlx::any::AnyTypeInfoKind;
use sqlx::{AnyConnection, Column, Connection, Executor, Row, Value, ValueRef};

/// The tables ingest writes, in the order the baseline fills them.
const TABLES: [&str; 10] = [
    "contacts",
    "conversations",
    "messages",
    "opt_outs",
    "stop_requests",
    "provider_blocks",
    "opt_out_messages",
    "audit_log",
    "commands",
    "changes",
];

async fn fresh(url: &str) -> Hub {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    } else {
        let mut conn = AnyConnection::connect(url).await.unwrap();
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public").await.unwrap();
    }
    let hub = Hub::connect(url).await.unwrap();
    hub.add_demo_organisation().await.unwrap();
    hub
}

fn traffic(events: u64, batch: usize) -> Vec<Vec<Event>> {
    let mut traffic = DemoTraffic::new(11, events, chrono::Utc::now());
    let (mut batches, mut all) = (Vec::new(), Vec::new());
    while (all.len() as u64) < events && traffic.next_contact(&mut all).is_some() {}
    all.truncate(events as usize);
    while !all.is_empty() {
        let rest = all.split_off(batch.min(all.len()));
        batches.push(std::mem::replace(&mut all, rest));
    }
    batches
}

/// The rows ingest added to one table.
struct Written {
    table: &'static str,
    columns: Vec<String>,
    cells: Vec<Vec<Cell>>,
}

/// A value of any column, as read back to be written again.
#[derive(Clone)]
enum Cell {
    Null(AnyTypeInfoKind),
    Int(i64),
    Real(f64),
    Text(String),
}

/// The rows ingest added to each table: those past the demo organisation's own.
async fn rows_after(conn: &mut AnyConnection, marks: &[i64]) -> Vec<Written> {
    let mut out = Vec::new();
    for (&table, mark) in TABLES.iter().zip(marks) {
        let key = key_of(table);
        let rows = sqlx::query(&format!("SELECT * FROM {table} WHERE {key} > $1 ORDER BY {key}"))
            .bind(mark)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        let columns = rows.first().map_or_else(Vec::new, |r| r.columns().iter().map(|c| c.name().to_owned()).collect());
        let cells = rows
            .iter()
            .map(|row| {
                (0..row.columns().len())
                    .map(|i| {
                        let raw = row.try_get_raw(i).unwrap();
                        // PostgreSQL types a NULL as its column; SQLite as nothing in particular.
                        let column = row.columns()[i].type_info().kind();
                        if raw.is_null() {
                            return Cell::Null(column);
                        }
                        let value = ValueRef::to_owned(&raw);
                        match raw.type_info().kind() {
                            AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => {
                                Cell::Int(value.try_decode().unwrap())
                            }
                            AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => Cell::Real(value.try_decode().unwrap()),
                            AnyTypeInfoKind::Bool => Cell::Int(i64::from(value.try_decode::<bool>().unwrap())),
                            _ => Cell::Text(value.try_decode().unwrap()),
                        }
                    })
                    .collect()
            })
            .collect();
        out.push(Written { table, columns, cells });
    }
    out
}

/// The column that orders a table's rows; the demo organisation has no contacts.
fn key_of(table: &str) -> &'static str {
    match table {
        "contacts" => "created_at",
        "changes" => "seq",
        "commands" => "created_at",
        _ => "id",
    }
}

async fn marks(conn: &mut AnyConnection) -> Vec<i64> {
    let mut marks = Vec::new();
    for table in TABLES {
        let sql = format!("SELECT COALESCE(MAX({}), 0) FROM {table}", key_of(table));
        marks.push(sqlx::query_scalar::<_, i64>(&sql).fetch_one(&mut *conn).await.unwrap());
    }
    marks
}

/// Writes `rows` in `transactions` transactions, each a share of every table's rows in
/// multi-row `INSERT`s of up to 500 rows.
async fn baseline(url: &str, rows: &[Written], transactions: usize) -> f64 {
    let mut conn = AnyConnection::connect(url).await.unwrap();
    // The same durability as the hub's; foreign keys unchecked, as each transaction takes a
    // slice of every table (which only makes the baseline faster).
    if url.starts_with("sqlite:") {
        conn.execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF").await.unwrap();
    } else {
        conn.execute("SET session_replication_role = replica").await.unwrap();
    }
    let sqlite = url.starts_with("sqlite:");
    let start = Instant::now();
    for t in 0..transactions {
        let mut tx = conn.begin().await.unwrap();
        for Written { table, columns, cells } in rows {
            let share = cells.len().div_ceil(transactions);
            let part = &cells[(t * share).min(cells.len())..((t + 1) * share).min(cells.len())];
            for chunk in part.chunks(500) {
                // PostgreSQL's identity columns take the copied ids only when told to.
                let overriding = if sqlite { "" } else { "OVERRIDING SYSTEM VALUE " };
                let mut sql = format!("INSERT INTO {table} ({}) {overriding}VALUES ", columns.join(", "));
                let mut n = 0;
                for (r, _) in chunk.iter().enumerate() {
                    sql.push_str(if r == 0 { "(" } else { ", (" });
                    for c in 0..columns.len() {
                        n += 1;
                        // SQLite binds `?` in order; a named `$n` it looks up by walking a list.
                        let placeholder = if sqlite { "?".to_owned() } else { format!("${n}") };
                        sql.push_str(&format!("{}{placeholder}", if c == 0 { "" } else { ", " }));
                    }
                    sql.push(')');
                }
                let mut query = sqlx::query(&sql);
                for cell in chunk.iter().flatten() {
                    query = match cell.clone() {
                        Cell::Null(AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt) => {
                            query.bind(None::<i64>)
                        }
                        Cell::Null(AnyTypeInfoKind::Real | AnyTypeInfoKind::Double) => query.bind(None::<f64>),
                        Cell::Null(_) => query.bind(None::<String>),
                        Cell::Int(v) => query.bind(v),
                        Cell::Real(v) => query.bind(v),
                        Cell::Text(v) => query.bind(v),
                    };
                }
                query.execute(&mut *tx).await.unwrap();
            }
        }
        tx.commit().await.unwrap();
    }
    start.elapsed().as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    sqlx::any::install_default_drivers();
    let args: Vec<String> = std::env::args().collect();
    let (a, b) = (&args[1], &args[2]);
    let events: u64 = args.get(3).map_or(200_000, |n| n.parse().unwrap());
    let batch: usize = args.get(4).map_or(2_000, |n| n.parse().unwrap());
    let runs: usize = args.get(5).map_or(3, |n| n.parse().unwrap());
    let batches = traffic(events, batch);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let hub = fresh(a).await;
        let mut conn = AnyConnection::connect(a).await.unwrap();
        let before = marks(&mut conn).await;
        let start = Instant::now();
        for events in &batches {
            hub.ingest_batch(events).await.unwrap();
        }
        let took = start.elapsed().as_secs_f64();
        if std::env::var_os("HUB_ONLY").is_some() {
            println!("run {run}: hub ingest {took:.2} s = {:.0} events/s", events as f64 / took);
            continue;
        }
        let rows = rows_after(&mut conn, &before).await;
        drop(hub);
        // The baseline fills the other database, made the same way, with the very same rows.
        drop(fresh(b).await);
        let base = baseline(b, &rows, batches.len()).await;
        let written: usize = rows.iter().map(|w| w.cells.len()).sum();
        println!(
            "run {run}: hub ingest {took:.2} s = {:.0} events/s;  plain INSERTs of its {written} rows {base:.2} s = \
             {:.0} events/s",
            events as f64 / took,
            events as f64 / base
        );
        ours.push(took);
        theirs.push(base);
    }
    if theirs.is_empty() {
        return;
    }
    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "median of {runs}: {events} events in batches of {batch}: hub {:.0} events/s; baseline {:.0} events/s ({:.2}x \
         the baseline's time)",
        events as f64 / ours,
        events as f64 / theirs,
        ours / theirs
    );
}
