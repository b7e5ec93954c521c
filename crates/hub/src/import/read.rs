//! Reading an import: where the number (and any history) is, rows read and parsed on worker
//! threads, and each batch counted and de-duplicated, ready to be written.

use std::collections::HashSet;
use std::path::Path;

use chrono::Utc;

use super::history::{header_key, Columns, Kept, Written};
use super::lines::Lines;
use super::{scan, RowError, PHONE_HEADERS};
use crate::phone::{e164, Region};
use crate::{Error, Result};

/// Where the phone number is in each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// A header row, then data with the number in this column, and maybe history beside it.
    Header(usize, Columns),
    /// No header: the number is the first cell.
    Bare,
}

/// Decides from the first row whether the file has a header, and where the number is.
pub(super) fn layout(path: &Path, first: &csv::StringRecord, column: Option<&str>) -> Result<Layout> {
    let keys: Vec<String> = first.iter().map(header_key).collect();
    let error = |message: String| Error::Csv { path: path.to_owned(), line: 1, message };
    let history = Columns::of(first);
    if let Some(column) = column {
        let wanted = header_key(column);
        return keys.iter().position(|k| *k == wanted).map(|at| Layout::Header(at, history)).ok_or_else(|| {
            error(format!("no column {column:?} in the header ({})", first.iter().collect::<Vec<_>>().join(", ")))
        });
    }
    if let Some(index) = PHONE_HEADERS.iter().find_map(|name| keys.iter().position(|k| k == name)) {
        return Ok(Layout::Header(index, history));
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
pub(super) struct Raw {
    pub(super) line: u64,
    pub(super) cell: Result<String, String>,
    /// What the row says of the opt-out's history, when the file has such columns.
    pub(super) history: Option<Written>,
}

/// One row, parsed.
pub(super) enum Parsed {
    Number(String, Option<Kept>, Option<RowError>),
    Rejected(RowError),
}

/// A cell of `record` as text, if it is there and UTF-8.
fn cell(record: &csv::ByteRecord, column: Option<usize>) -> Option<String> {
    std::str::from_utf8(record.get(column?)?).ok().map(str::to_owned)
}

pub(super) fn read_batch(
    reader: &mut csv::Reader<Lines>,
    (column, history): (usize, Columns),
    rows: usize,
    path: &Path,
) -> Result<Vec<Raw>> {
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
        let phone = match record.get(column) {
            None => Err(format!("the row has no column {}", column + 1)),
            Some(bytes) => std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| "not UTF-8 text".to_owned()),
        };
        let history = history.any().then(|| Written {
            date: cell(&record, history.date),
            reason: cell(&record, history.reason),
            campaign: cell(&record, history.campaign),
        });
        batch.push(Raw { line, cell: phone, history });
    }
    Ok(batch)
}

/// Parses a batch's numbers on `threads` threads, one of them this one: the phone module
/// compiles its expressions once per thread, and the threads that read batches are reused.
pub(super) fn parse_batch(raw: &[Raw], region: Region, threads: usize) -> Vec<Parsed> {
    let now = Utc::now();
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
                    Ok(number) => match &row.history {
                        None => Parsed::Number(number, None, None),
                        Some(written) => {
                            let (kept, warning) = written.kept(row.line, region, now);
                            Parsed::Number(number, Some(kept), warning)
                        }
                    },
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

/// The numbers an import has seen, each E.164 number as the integer of its digits: a country
/// code never starts with 0, so two numbers never share one.
pub(super) type Seen = HashSet<u64>;

fn seen_key(e164: &str) -> u64 {
    e164.bytes().filter(u8::is_ascii_digit).fold(0, |key, digit| key * 10 + u64::from(digit - b'0'))
}

/// A batch read, parsed and de-duplicated, ready to be written.
pub(super) struct Batch {
    /// The last line read; `None` at the end of the file.
    pub(super) last_line: Option<u64>,
    /// Data rows counted: those at or after the line a resumed import starts from.
    pub(super) rows: u64,
    /// Rows whose number appeared earlier in the file.
    pub(super) duplicates: u64,
    /// Rows refused.
    pub(super) errors: Vec<RowError>,
    /// Rows imported with the import's time, as their dates could not be read.
    pub(super) warnings: Vec<RowError>,
    /// How many numbers were first seen in this batch.
    pub(super) fresh: u64,
    /// Those numbers as a JSON array, in phone order: the phone-first indexes are then written
    /// page by page rather than at random. Made here, beside the writer, not in its way.
    pub(super) numbers: String,
    /// With the file's history, those numbers with it: a JSON array of `[phone, micros or null,
    /// reason or null]`, in phone order.
    pub(super) history: Option<String>,
    /// Rows that keep their own date.
    pub(super) dated: u64,
    /// How far the file was read.
    pub(super) bytes: u64,
}

/// Counts a parsed batch and keeps the numbers not seen before. Lines before `skip_before` were
/// committed by an earlier run of the same import and are passed over.
pub(super) fn sift(raw: &[Raw], parsed: Vec<Parsed>, skip_before: u64, seen: &mut Seen, bytes: u64) -> Result<Batch> {
    let mut fresh = Vec::new();
    let mut kept = Vec::new();
    let mut batch = Batch {
        last_line: raw.last().map(|r| r.line),
        rows: 0,
        duplicates: 0,
        errors: Vec::new(),
        warnings: Vec::new(),
        fresh: 0,
        numbers: String::new(),
        history: None,
        dated: 0,
        bytes,
    };
    for (row, parsed) in raw.iter().zip(parsed) {
        if row.line < skip_before {
            continue;
        }
        batch.rows += 1;
        match parsed {
            Parsed::Rejected(error) => batch.errors.push(error),
            Parsed::Number(number, history, warning) if seen.insert(seen_key(&number)) => {
                batch.warnings.extend(warning);
                if let Some(history) = history {
                    batch.dated += u64::from(history.created_at.is_some());
                    kept.push((number.clone(), history.created_at, history.reason));
                }
                fresh.push(number);
            }
            Parsed::Number(..) => batch.duplicates += 1,
        }
    }
    fresh.sort_unstable();
    batch.fresh = fresh.len() as u64;
    batch.numbers = serde_json::to_string(&fresh)?;
    if raw.first().is_some_and(|row| row.history.is_some()) {
        kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        batch.history = Some(serde_json::to_string(&kept)?);
    }
    Ok(batch)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn column(layout: Result<Layout>) -> Option<usize> {
        match layout.ok()? {
            Layout::Header(column, _) => Some(column),
            Layout::Bare => None,
        }
    }

    fn record(cells: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(cells.to_vec())
    }

    #[test]
    fn the_phone_column_is_found_by_its_name() {
        let path = Path::new("list.csv");
        assert_eq!(column(layout(path, &record(&["Name", " Phone Number "]), None)), Some(1));
        assert_eq!(column(layout(path, &record(&["id", "MOBILE", "email"]), None)), Some(1));
        assert_eq!(column(layout(path, &record(&["E164"]), None)), Some(0));
        assert_eq!(column(layout(path, &record(&["who", "tel"]), Some("TEL"))), Some(1));
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
