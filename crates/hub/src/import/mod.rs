//! Importing an opt-out list from a CSV file or a file of bare numbers.
//!
//! Rows are read, parsed and de-duplicated on worker threads while the previous batch is written;
//! each batch is one transaction that also records how far the import got, so a crash leaves no
//! half row and the same import run again resumes after the last committed batch.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::phone::{e164, Region};
use crate::store::Bulk;

mod lines;
mod scan;
mod write;
use crate::{Error, Hub, Result};
use lines::Lines;

/// Lines per batch by default: one transaction each, and a progress report. Larger batches
/// write each page of the phone-first indexes fewer times, until a batch's pages outgrow the
/// bulk page cache. At 1M rows on two cores, 100,000 took 2.9-3.1 s, 200,000 2.6-2.8 s and
/// 400,000 3.0-3.4 s; this keeps a report about every half second and the memory of one batch
/// under 100 MB.
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
    /// Who imports: recorded on every opt-out.
    pub actor: String,
    /// Rows per transaction ([`DEFAULT_BATCH_ROWS`]); progress is reported after each.
    pub batch_rows: usize,
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

/// Where the phone number is in each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// A header row, then data with the number in this column.
    Header(usize),
    /// No header: the number is the first cell.
    Bare,
}

fn header_key(header: &str) -> String {
    header.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

/// Decides from the first row whether the file has a header, and where the number is.
fn layout(path: &Path, first: &csv::StringRecord, column: Option<&str>) -> Result<Layout> {
    let keys: Vec<String> = first.iter().map(header_key).collect();
    let error = |message: String| Error::Csv { path: path.to_owned(), line: 1, message };
    if let Some(column) = column {
        let wanted = header_key(column);
        return keys.iter().position(|k| *k == wanted).map(Layout::Header).ok_or_else(|| {
            error(format!("no column {column:?} in the header ({})", first.iter().collect::<Vec<_>>().join(", ")))
        });
    }
    if let Some(index) = PHONE_HEADERS.iter().find_map(|name| keys.iter().position(|k| k == name)) {
        return Ok(Layout::Header(index));
    }
    let first_cell = first.get(0).unwrap_or_default();
    if first.len() == 1 || first_cell.bytes().filter(u8::is_ascii_digit).count() >= 7 {
        return Ok(Layout::Bare);
    }
    Err(error(format!(
        "no phone column in the header ({}); name it with --column",
        first.iter().collect::<Vec<_>>().join(", ")
    )))
}

/// One row, read but not yet parsed.
struct Raw {
    line: u64,
    cell: Result<String, String>,
}

/// One row, parsed.
enum Parsed {
    Number(String),
    Rejected(RowError),
}

fn read_batch(reader: &mut csv::Reader<Lines>, column: usize, rows: usize, path: &Path) -> Result<Vec<Raw>> {
    let mut batch = Vec::with_capacity(rows);
    let mut record = csv::ByteRecord::new();
    while batch.len() < rows {
        let more = reader.read_byte_record(&mut record).map_err(|e| Error::Csv {
            path: path.to_owned(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|cell| cell.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let cell = match record.get(column) {
            None => Err(format!("the row has no column {}", column + 1)),
            Some(bytes) => std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| "not UTF-8 text".to_owned()),
        };
        batch.push(Raw { line, cell });
    }
    Ok(batch)
}

/// Parses a batch's numbers on `threads` threads, one of them this one: the phone module
/// compiles its expressions once per thread, and the threads that read batches are reused.
fn parse_batch(raw: &[Raw], region: Region, threads: usize) -> Vec<Parsed> {
    let parse = |rows: &[Raw]| -> Vec<Parsed> {
        rows.iter()
            .map(|row| match &row.cell {
                // A cell this long is no number, and the general parser would take its time.
                Ok(cell) if cell.chars().count() > scan::MAX_PHONE_CELL => Parsed::Rejected(RowError {
                    line: row.line,
                    value: cell.chars().take(scan::MAX_PHONE_CELL).chain("…".chars()).collect(),
                    reason: format!("longer than {} characters: not a phone number", scan::MAX_PHONE_CELL),
                }),
                Ok(cell) => match e164(cell, region) {
                    Ok(number) => Parsed::Number(number),
                    Err(reason) => Parsed::Rejected(RowError { line: row.line, value: cell.clone(), reason }),
                },
                Err(reason) => {
                    Parsed::Rejected(RowError { line: row.line, value: String::new(), reason: reason.clone() })
                }
            })
            .collect()
    };
    let (others, here) = raw.split_at(raw.len() - raw.len() / threads.max(1));
    std::thread::scope(|s| {
        let chunk = others.len().div_ceil(threads.saturating_sub(1).max(1)).max(1);
        let parts: Vec<_> = others.chunks(chunk).map(|rows| s.spawn(move || parse(rows))).collect();
        let mut all: Vec<Parsed> = parts.into_iter().flat_map(|part| part.join().unwrap_or_default()).collect();
        all.extend(parse(here));
        all
    })
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

/// The numbers an import has seen, each E.164 number as the integer of its digits: a country
/// code never starts with 0, so two numbers never share one.
type Seen = HashSet<u64>;

fn seen_key(e164: &str) -> u64 {
    e164.bytes().filter(u8::is_ascii_digit).fold(0, |key, digit| key * 10 + u64::from(digit - b'0'))
}

/// A batch read, parsed and de-duplicated, ready to be written.
struct Batch {
    /// The last line read; `None` at the end of the file.
    last_line: Option<u64>,
    /// Data rows counted: those at or after the line a resumed import starts from.
    rows: u64,
    /// Rows whose number appeared earlier in the file.
    duplicates: u64,
    /// Rows refused.
    errors: Vec<RowError>,
    /// How many numbers were first seen in this batch.
    fresh: u64,
    /// Those numbers as a JSON array, in phone order: the phone-first indexes are then written
    /// page by page rather than at random. Made here, beside the writer, not in its way.
    numbers: String,
    /// How far the file was read.
    bytes: u64,
}

/// Counts a parsed batch and keeps the numbers not seen before. Lines before `skip_before` were
/// committed by an earlier run of the same import and are passed over.
fn sift(raw: &[Raw], parsed: Vec<Parsed>, skip_before: u64, seen: &mut Seen, bytes: u64) -> Result<Batch> {
    let mut fresh = Vec::new();
    let mut batch = Batch {
        last_line: raw.last().map(|r| r.line),
        rows: 0,
        duplicates: 0,
        errors: Vec::new(),
        fresh: 0,
        numbers: String::new(),
        bytes,
    };
    for (row, parsed) in raw.iter().zip(parsed) {
        if row.line < skip_before {
            continue;
        }
        batch.rows += 1;
        match parsed {
            Parsed::Rejected(error) => batch.errors.push(error),
            Parsed::Number(number) if seen.insert(seen_key(&number)) => fresh.push(number),
            Parsed::Number(_) => batch.duplicates += 1,
        }
    }
    fresh.sort_unstable();
    batch.fresh = fresh.len() as u64;
    batch.numbers = serde_json::to_string(&fresh)?;
    Ok(batch)
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
    /// phone column, [`Error::UnknownAccount`], [`Error::Cancelled`].
    pub async fn import_csv(
        &self,
        path: &Path,
        options: &ImportOptions,
        mut progress: impl FnMut(Progress) -> bool,
    ) -> Result<ImportSummary> {
        let account = self.account(&options.account).await?;
        let total_bytes = std::fs::metadata(path).map_err(file_error(path))?.len();
        // The phone number library builds its tables on first use: let it while the file is
        // hashed rather than in the first batch.
        let region = options.region;
        std::thread::spawn(move || e164("+12015550123", region).is_ok());
        let hash = scan::scan(path)?;
        let (import_id, skip_before, mut summary) = self.start_import(account.id, &hash).await?;

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
        let (column, mut pending_first) = match layout(path, &first, options.column.as_deref())? {
            Layout::Header(column) => (column, None),
            Layout::Bare => (0, Some(Raw { line: 1, cell: Ok(first.get(0).unwrap_or_default().to_owned()) })),
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
                let mut raw = read_batch(&mut reader, column, rows, &path);
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
        let mut bulk = Bulk::open(&self.pool, self.backend).await?;
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
            if last_line >= skip_before {
                let written = Self::import_batch(
                    &mut bulk,
                    import_id,
                    &account,
                    &options.actor,
                    &batch,
                    last_line + 1,
                    &mut summary,
                )
                .await;
                written.map_err(|cause| committed.stopped(cause))?;
                committed = Committed { next_line: last_line + 1, ..Committed::of(&summary) };
            }
            let keep_going =
                progress(Progress { bytes: batch.bytes.min(total_bytes), total_bytes, rows: summary.rows });
            if !keep_going {
                return Err(Error::Cancelled);
            }
        }
        bulk.finish().await?;
        drop(bulk);
        self.finish_import(import_id, summary).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn record(cells: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(cells.to_vec())
    }

    #[test]
    fn the_phone_column_is_found_by_its_name() {
        let path = Path::new("list.csv");
        assert_eq!(layout(path, &record(&["Name", " Phone Number "]), None).ok(), Some(Layout::Header(1)));
        assert_eq!(layout(path, &record(&["id", "MOBILE", "email"]), None).ok(), Some(Layout::Header(1)));
        assert_eq!(layout(path, &record(&["E164"]), None).ok(), Some(Layout::Header(0)));
        assert_eq!(layout(path, &record(&["who", "tel"]), Some("TEL")).ok(), Some(Layout::Header(1)));
        assert_eq!(layout(path, &record(&["+1 201 555 0123"]), None).ok(), Some(Layout::Bare));
        let error = layout(path, &record(&["name", "email"]), None).unwrap_err().to_string();
        assert!(error.starts_with("list.csv:1: no phone column"), "{error}");
    }

    #[test]
    fn an_unknown_column_name_is_an_error_naming_the_columns() {
        let error = layout(Path::new("a.csv"), &record(&["name", "phone"]), Some("cell")).unwrap_err().to_string();
        assert_eq!(error, "a.csv:1: no column \"cell\" in the header (name, phone)");
    }
}
