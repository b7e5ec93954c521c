//! Send checks, many to a query: the query, and the workers that gather them.
//!
//! A busy sender asks thousands of send checks a second, each a read of a few index entries, and
//! the read is the cheap part. On PostgreSQL each query costs a round trip to a server process,
//! and a connection taken from the pool costs two more: the pool tests it when handing it out and
//! when taking it back. On SQLite each query goes to its connection's thread and back: over HTTP
//! on two cores, the server spent over half its time in the kernel, mostly switching threads, and
//! batches doubled the send checks a second (bench/RESULTS.md, "Settings the code chose by
//! measuring").
//!
//! So send checks go to a few workers that each keep a connection of their own. A worker takes
//! every question waiting, up to [`BATCH`], and answers them with one query; while the workers
//! are busy, the next questions gather into the next batches. An idle hub answers a lone question
//! at once.
//!
//! Each batch is its own snapshot, taken after its questions were asked: a send check still sees
//! every opt-out committed before it.

use std::sync::{Arc, LazyLock};

use sqlx::{AnyConnection, AnyPool, Connection};
use tokio::sync::{mpsc, oneshot, Mutex};

use super::FactsRow;
use crate::{Backend, Error, Result};

/// The most questions answered by one query: a cap on how long the first of them waits for the
/// last.
const BATCH: usize = 64;

/// Questions that may wait for a worker before askers wait to ask.
const WAITING: usize = 4096;

/// The facts of [`super::Hub::facts`] for each question `q (i, sender, contact)` of the `FROM`
/// item `questions`, with its `i`; a question whose sender number no campaign sends from has no row.
fn facts_sql(questions: &str) -> String {
    format!(
        "SELECT q.i, a.name, CASE WHEN s.retired_at IS NULL THEN c.active ELSE -1 END, \
           (SELECT o.id FROM opt_outs o WHERE o.account_id = a.id AND o.phone = q.contact \
              AND o.reversed_at IS NULL), \
           (SELECT b.created_at FROM provider_blocks b WHERE b.contact_phone = q.contact \
              AND b.sender_phone = q.sender AND b.lifted_at IS NULL), \
           (SELECT MAX(i.created_at) FROM opt_ins i JOIN opt_outs o ON o.id = i.opt_out_id \
              WHERE o.account_id = a.id AND o.phone = q.contact AND o.reversed_at IS NOT NULL) \
         FROM {questions} \
         JOIN sender_numbers s ON s.phone = q.sender JOIN campaigns c ON c.id = s.campaign_id \
         JOIN accounts a ON a.id = c.account_id"
    )
}

/// One question, bound as `$1` (sender) and `$2` (contact).
static ONE: LazyLock<String> =
    LazyLock::new(|| facts_sql("(SELECT CAST(0 AS BIGINT) AS i, $1 AS sender, $2 AS contact) q"));

/// Many, as a JSON array of `[i, sender, contact]` bound as `$1`.
fn many(backend: Backend) -> &'static str {
    fn sql(backend: Backend) -> String {
        facts_sql(&format!(
            "(SELECT CAST(n.value ->> 0 AS BIGINT) AS i, n.value ->> 1 AS sender, n.value ->> 2 AS contact \
              FROM {}) q",
            backend.json_values("$1")
        ))
    }
    static SQLITE: LazyLock<String> = LazyLock::new(|| sql(Backend::Sqlite));
    static POSTGRES: LazyLock<String> = LazyLock::new(|| sql(Backend::Postgres));
    match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    }
}

type Row = (i64, String, i64, Option<i64>, Option<i64>, Option<i64>);

fn without_i((_, account, active, opt_out_id, blocked_since, opted_in_since): Row) -> FactsRow {
    (account, active, opt_out_id, blocked_since, opted_in_since)
}

/// The facts for each `(sender, contact)`, in order, from one query. On SQLite a lone question
/// is bound as two values: taking a one-question array apart costs more than the read.
async fn facts_of_many(
    conn: &mut AnyConnection,
    backend: Backend,
    questions: &[(&str, &str)],
) -> Result<Vec<Option<FactsRow>>> {
    if let ([(sender, contact)], Backend::Sqlite) = (questions, backend) {
        let row: Option<Row> = sqlx::query_as(&ONE).bind(*sender).bind(*contact).fetch_optional(conn).await?;
        return Ok(vec![row.map(without_i)]);
    }
    let array: Vec<(usize, &str, &str)> =
        questions.iter().enumerate().map(|(i, (sender, contact))| (i, *sender, *contact)).collect();
    let rows: Vec<Row> = sqlx::query_as(many(backend)).bind(serde_json::to_string(&array)?).fetch_all(conn).await?;
    let mut answers = vec![None; questions.len()];
    for row in rows {
        if let Some(answer) = usize::try_from(row.0).ok().and_then(|i| answers.get_mut(i)) {
            *answer = Some(without_i(row));
        }
    }
    Ok(answers)
}

/// A question and where its answer goes: the facts, or none when no campaign sends from the
/// sender number.
struct Question {
    sender: String,
    contact: String,
    answer: oneshot::Sender<Result<Option<FactsRow>>>,
}

/// The askers' side: a handle on the workers, shared by the hub's clones.
#[derive(Clone)]
pub(crate) struct Batcher {
    questions: mpsc::Sender<Question>,
}

impl Batcher {
    /// Starts the workers, which take their connections from `pool` when first asked and end
    /// when the pool closes or the last handle is dropped.
    pub(crate) fn start(pool: &AnyPool, backend: Backend) -> Batcher {
        let (questions, waiting) = mpsc::channel(WAITING);
        let waiting = Arc::new(Mutex::new(waiting));
        for _ in 0..workers() {
            tokio::spawn(work(pool.clone(), backend, Arc::clone(&waiting)));
        }
        Batcher { questions }
    }

    /// The facts for a send from `sender` to `contact`, both E.164.
    pub(crate) async fn facts(&self, sender: &str, contact: &str) -> Result<Option<FactsRow>> {
        let (answer, answered) = oneshot::channel();
        let question = Question { sender: sender.to_owned(), contact: contact.to_owned(), answer };
        self.questions.send(question).await.map_err(|_| Error::Storage(sqlx::Error::PoolClosed))?;
        answered.await.map_err(|_| Error::Storage(sqlx::Error::PoolClosed))?
    }
}

/// One worker per core, between 2 and 8. On two cores, HTTP send checks on PostgreSQL ran at
/// 20-27k/s with two workers or four.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get).clamp(2, 8)
}

async fn work(pool: AnyPool, backend: Backend, waiting: Arc<Mutex<mpsc::Receiver<Question>>>) {
    let mut conn = None;
    while let Some(batch) = next_batch(&pool, &waiting).await {
        let questions: Vec<(&str, &str)> = batch.iter().map(|q| (q.sender.as_str(), q.contact.as_str())).collect();
        match ask(&pool, backend, &mut conn, &questions).await {
            Ok(answers) => {
                for (question, facts) in batch.into_iter().zip(answers) {
                    // An asker that gave up no longer needs its answer.
                    let _ = question.answer.send(Ok(facts));
                }
            }
            Err(error) => {
                let message = error.to_string();
                for question in batch {
                    let error = std::io::Error::other(format!("send check batch: {message}"));
                    let _ = question.answer.send(Err(Error::Storage(sqlx::Error::Io(error))));
                }
            }
        }
    }
    if let Some(conn) = conn {
        let _ = conn.close().await;
    }
}

/// The questions waiting, at least one, or none when the hub is closing.
async fn next_batch(pool: &AnyPool, waiting: &Mutex<mpsc::Receiver<Question>>) -> Option<Vec<Question>> {
    let mut waiting = waiting.lock().await;
    let first = tokio::select! {
        biased;
        () = pool.close_event() => return None,
        question = waiting.recv() => question?,
    };
    let mut batch = vec![first];
    while batch.len() < BATCH {
        match waiting.try_recv() {
            Ok(question) => batch.push(question),
            Err(_) => break,
        }
    }
    Some(batch)
}

/// Runs the batch on the worker's connection, taking a new one (once) when it fails: the server
/// may have restarted since the last batch.
async fn ask(
    pool: &AnyPool,
    backend: Backend,
    conn: &mut Option<AnyConnection>,
    questions: &[(&str, &str)],
) -> Result<Vec<Option<FactsRow>>> {
    let mut retried = false;
    loop {
        // The worker's connection outlives the pool's: a closed hub answers nothing.
        if pool.is_closed() {
            return Err(sqlx::Error::PoolClosed.into());
        }
        let live = match conn {
            Some(live) => live,
            None => conn.insert(pool.acquire().await?.detach()),
        };
        match facts_of_many(live, backend, questions).await {
            Ok(answers) => return Ok(answers),
            Err(error) => {
                *conn = None;
                if retried {
                    return Err(error);
                }
                retried = true;
            }
        }
    }
}
