//! Importing an opt-out list from a CSV file or a file of bare numbers.
//!
//! Rows are read, parsed and de-duplicated on worker threads while the previous batch is written;
//! each batch is one transaction that also records how far the import got, so a crash leaves no
//! half row and the same import run again resumes after the last committed batch.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::phone::{e164, Region};
use crate::store::Bulk;

mod history;
mod lines;
mod read;
mod scan;
mod write;
use crate::{Actor, Error, Hub, Result};
use lines::Lines;
use read::{layout, parse_batch, read_batch, sift, Batch, Layout, Raw, Seen};

/// Lines per batch by default: one transaction each, and a progress report. Larger batches
/// write each page of the phone-first indexes fewer times, until a batch's pages outgrow the
/// bulk page cache (bench/RESULTS.md, "Settings the code chose by measuring"). This size keeps a
/// report about every half second and the memory of one batch under 100 MB.
pub const DEFAULT_BATCH_ROWS: usize = 200_000;

/// The refused rows an import lists one by one; the rest are counted by reason. A file of bad
/// rows kept every one, ten times the file's size in the record.
pub const MAX_ROW_ERRORS: usize = 1000;

impl ImportSummary {
    /// Counts refused rows, listing them while there is room.
    fn reject(&mut self, errors: Vec<RowError>) {
        self.rejected += errors.len() as u64;
        for error in errors {
            *self.rejected_by_reason.entry(error.reason.clone()).or_default() += 1;
            if self.errors.len() < MAX_ROW_ERRORS {
                self.errors.push(error);
            } else {
                self.errors_left_out += 1;
            }
        }
    }

    /// Counts a batch's rows imported with the import's time, listing them while there is room.
    fn warn(&mut self, warnings: Vec<RowError>) {
        let room = MAX_ROW_ERRORS.saturating_sub(self.warnings.len());
        self.warnings_left_out += warnings.len().saturating_sub(room) as u64;
        self.warnings.extend(warnings.into_iter().take(room));
    }
}

/// Header names that hold the phone number, compared without case, spaces, `_` or `-`.
const PHONE_HEADERS: &[&str] =
    &["phone", "phonenumber", "cell", "cellphone", "mobile", "mobilenumber", "number", "e164"];

/// How to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// The account the numbers are opted out of.
    pub account: String,
    /// Numbers without `+` are read in this region.
    pub region: Region,
    /// The phone column's header, when it is not one of the usual names.
    pub column: Option<String>,
    /// Rows per transaction ([`DEFAULT_BATCH_ROWS`]); progress is reported after each.
    pub batch_rows: usize,
    /// Report what the import would do (new, already opted out, duplicates, rejected) and
    /// write nothing.
    pub dry_run: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportSummary {
    /// Data rows read (the header is not counted).
    pub rows: u64,
    /// Numbers opted out by this import.
    pub opted_out: u64,
    /// Numbers that were already opted out of the account: counted, not duplicated.
    pub already_opted_out: u64,
    /// Rows whose number appeared earlier in the file.
    pub duplicates: u64,
    /// Rows refused; see `errors`.
    pub rejected: u64,
    /// The first [`MAX_ROW_ERRORS`] refused rows, with their line and why.
    pub errors: Vec<RowError>,
    /// Refused rows past the first [`MAX_ROW_ERRORS`], counted but not listed.
    #[serde(default)]
    pub errors_left_out: u64,
    /// Every refused row, counted by its reason.
    #[serde(default)]
    pub rejected_by_reason: std::collections::BTreeMap<String, u64>,
    /// The line an interrupted earlier run of this import had reached, if this run resumed it.
    pub resumed_at_line: Option<u64>,
    /// The columns beside the number that the import kept, as the header names them: the date
    /// each opt-out happened, its reason, its campaign.
    #[serde(default)]
    pub history_columns: Vec<String>,
    /// Opt-outs that keep the date the file gives them.
    #[serde(default)]
    pub dated: u64,
    /// The first [`MAX_ROW_ERRORS`] rows imported with the import's time, as their date could
    /// not be read.
    #[serde(default)]
    pub warnings: Vec<RowError>,
    /// Such rows past those listed.
    #[serde(default)]
    pub warnings_left_out: u64,
    /// Whether this only says what the import would do: nothing was written.
    #[serde(default)]
    pub dry_run: bool,
}

/// A row the import refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowError {
    /// The line in the file, from 1.
    pub line: u64,
    /// The cell as written.
    pub value: String,
    /// Why.
    pub reason: String,
}

/// How far an import has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of the file read so far.
    pub bytes: u64,
    /// The file's size.
    pub total_bytes: u64,
    /// Data rows read so far.
    pub rows: u64,
}

/// What the batches committed so far keep, should a later one fail.
#[derive(Clone, Copy)]
struct Committed {
    next_line: u64,
    opted_out: u64,
    already_opted_out: u64,
}

impl Committed {
    fn of(summary: &ImportSummary) -> Committed {
        Committed { next_line: 0, opted_out: summary.opted_out, already_opted_out: summary.already_opted_out }
    }

    /// `cause` as the import's error: once a batch is committed, it says what is kept.
    fn stopped(self, cause: Error) -> Error {
        if self.next_line == 0 {
            return cause;
        }
        Error::ImportStopped {
            cause: Box::new(cause),
            next_line: self.next_line,
            kept: format!(
                "the lines before it are imported and kept ({} numbers opted out, {} already were)",
                self.opted_out, self.already_opted_out
            ),
        }
    }
}

fn file_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::File { path: path.to_owned(), source }
}

impl Hub {
    /// Imports an opt-out list into one account.
    ///
    /// The file is a CSV with a header row (the phone column is found by its name, or named in
    /// `options.column`) or a file of bare numbers; UTF-8 with or without a BOM, CRLF or LF,
    /// quoted fields. Each number is parsed and validated and stored as E.164. Refused rows are
    /// reported with their line and do not stop the others. `progress` is called after each
    /// batch; returning `false` cancels, keeping the batches already committed.
    ///
    /// # Errors
    /// [`Error::File`] when the file cannot be read, [`Error::Csv`] when it is not CSV or has no
    /// phone column, [`Error::UnknownAccount`], [`Error::Cancelled`]; [`Error::Refused`]
    /// (`forbidden`) for anybody but an admin. `actor` is recorded on every opt-out.
    pub async fn import_csv(
        &self,
        actor: &Actor,
        path: &Path,
        options: &ImportOptions,
        mut progress: impl FnMut(Progress) -> bool,
    ) -> Result<ImportSummary> {
        actor.admin_only("import an opt-out list")?;
        let account = self.account(&options.account).await?;
        let total_bytes = std::fs::metadata(path).map_err(file_error(path))?.len();
        // The phone number library builds its tables on first use: let it while the file is
        // hashed rather than in the first batch.
        let region = options.region;
        std::thread::spawn(move || e164("+12015550123", region).is_ok());
        let hash = scan::scan(path)?;
        let (import_id, skip_before, mut summary) = match options.dry_run {
            true => (0, 0, ImportSummary { dry_run: true, ..Default::default() }),
            false => self.start_import(account.id, &hash).await?,
        };

        let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut inner = BufReader::with_capacity(1 << 20, File::open(path).map_err(file_error(path))?);
        if std::io::BufRead::fill_buf(&mut inner).map_err(file_error(path))?.starts_with(b"\xEF\xBB\xBF") {
            std::io::BufRead::consume(&mut inner, 3);
        }
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(Lines::new(inner, read.clone()));
        let mut first = csv::StringRecord::new();
        let read_first = reader.read_record(&mut first).map_err(|e| Error::Csv {
            path: path.to_owned(),
            line: 1,
            message: e.to_string(),
        })?;
        if !read_first {
            return self.finish_import(import_id, summary).await;
        }
        let (columns, mut pending_first) = match layout(path, &first, options.column.as_deref())? {
            Layout::Header(column, history) => {
                summary.history_columns = history.named(&first);
                ((column, history), None)
            }
            Layout::Bare => {
                let first = Raw { line: 1, cell: Ok(first.get(0).unwrap_or_default().to_owned()), history: None };
                ((0, history::Columns::default()), Some(first))
            }
        };

        let batch_rows = options.batch_rows.max(1);
        let owned_path: PathBuf = path.to_owned();
        // Reading, parsing and de-duplicating the next batch happen on other threads while the
        // current one is written: the writer is the slowest part.
        // The first batch is an eighth of `batch_rows` and parsed on every core, so that the
        // first write starts soon; each is then twice the last, up to `batch_rows`, read while
        // the one before is written, on the cores the writer leaves.
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let opening_rows = batch_rows.div_ceil(8);
        let next = move |mut reader: csv::Reader<Lines>, mut seen: Seen, rows: usize, first: Option<Raw>| {
            let (path, read) = (owned_path.clone(), read.clone());
            let threads = if rows == opening_rows { cores } else { (cores - 1).max(1) };
            tokio::task::spawn_blocking(move || {
                let mut raw = read_batch(&mut reader, columns, rows, &path);
                if let (Ok(raw), Some(first)) = (&mut raw, first) {
                    raw.insert(0, first);
                }
                let raw = raw?;
                // How far the file is read once this batch is: the progress to show when it is
                // committed, while the next batch is already being read.
                let bytes = read.load(std::sync::atomic::Ordering::Relaxed);
                let batch = sift(&raw, parse_batch(&raw, region, threads), skip_before, &mut seen, bytes)?;
                Ok::<_, Error>((reader, seen, batch))
            })
        };
        let mut rows = opening_rows;
        let mut pending = next(reader, Seen::default(), rows, pending_first.take());
        let mut bulk = match options.dry_run {
            true => None,
            false => Some(Bulk::open(&self.pool, self.backend).await?),
        };
        // The first line that no committed batch holds, and what those batches opted out.
        let mut committed = Committed { next_line: skip_before, ..Committed::of(&summary) };
        loop {
            let (reader, seen, mut batch) = match pending.await {
                Ok(Ok(read)) => read,
                Ok(Err(cause)) => return Err(committed.stopped(cause)),
                Err(join) => return Err(committed.stopped(Error::Corrupt(join.to_string()))),
            };
            let Some(last_line) = batch.last_line else { break };
            rows = (rows * 2).min(batch_rows);
            pending = next(reader, seen, rows, None);
            summary.rows += batch.rows;
            summary.duplicates += batch.duplicates;
            summary.reject(std::mem::take(&mut batch.errors));
            summary.warn(std::mem::take(&mut batch.warnings));
            summary.dated += batch.dated;
            if let (Some(bulk), true) = (&mut bulk, last_line >= skip_before) {
                let written =
                    Self::import_batch(bulk, import_id, &account, &actor.name, &batch, last_line + 1, &mut summary)
                        .await;
                written.map_err(|cause| committed.stopped(cause))?;
                committed = Committed { next_line: last_line + 1, ..Committed::of(&summary) };
            } else if bulk.is_none() {
                let already = self.already_opted_out(account.id, &batch.numbers).await?;
                summary.opted_out += batch.fresh - already;
                summary.already_opted_out += already;
            }
            let keep_going =
                progress(Progress { bytes: batch.bytes.min(total_bytes), total_bytes, rows: summary.rows });
            if !keep_going {
                return Err(Error::Cancelled);
            }
        }
        let Some(mut bulk) = bulk else { return Ok(summary) };
        bulk.finish().await?;
        drop(bulk);
        self.finish_import(import_id, summary).await
    }
}
