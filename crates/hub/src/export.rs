//! Exporting the opt-out list as CSV, streamed a page at a time.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::lookup::{read_after, Conditions, OptOutFilter};
use crate::model::{time, Actor};
use crate::page::PageCursor;
use crate::{Backend, Error, Hub, Result};

/// The export's columns, in order.
pub const EXPORT_HEADER: [&str; 11] = [
    "phone",
    "account",
    "source",
    "opted_out_at",
    "actor",
    "reason",
    "evidence",
    "sender_phone",
    "opt_out_id",
    "opted_in_at",
    "opt_in_reason",
];

/// A cell that a spreadsheet would run as a formula gets a leading apostrophe, so it shows as
/// the text it is.
///
/// # Example
/// ```
/// use optout_hub::neutralise;
/// assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(neutralise("asked by phone"), "asked by phone");
/// ```
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Rows per page: the database aggregates each page into one JSON array, so one value crosses
/// from it per page instead of one per row.
const PAGE: u32 = 5000;

/// One exported row as the page's JSON holds it: the header's columns, with times in
/// microseconds.
type ExportRow =
    (String, String, String, i64, String, String, Option<String>, Option<String>, i64, Option<i64>, Option<String>);

/// One row of the export as the hub and the app both write it, under [`EXPORT_HEADER`].
#[derive(Debug, Clone, Copy)]
pub struct ExportRecord<'a> {
    /// E.164, written as it is.
    pub phone: &'a str,
    /// The account's name.
    pub account: &'a str,
    /// How the opt-out came, as [`crate::Source::as_str`] names it.
    pub source: &'a str,
    /// When the number was opted out.
    pub opted_out_at: DateTime<Utc>,
    /// Who opted it out.
    pub actor: &'a str,
    /// Why.
    pub reason: &'a str,
    /// The reply that asked, if one did.
    pub evidence: Option<&'a str>,
    /// The sender number the reply came to.
    pub sender_phone: Option<&'a str>,
    /// The opt-out's id.
    pub opt_out_id: i64,
    /// When it was opted back in, if it was.
    pub opted_in_at: Option<DateTime<Utc>>,
    /// Why it was opted back in.
    pub opt_in_reason: Option<&'a str>,
}

impl ExportRecord<'_> {
    /// Writes the record: times in RFC 3339 to the second in UTC, numbers exact, and every
    /// free-text cell [`neutralise`]d.
    ///
    /// # Errors
    /// The writer's error.
    pub fn write<W: std::io::Write>(&self, csv: &mut csv::Writer<W>) -> csv::Result<()> {
        let time = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        csv.write_record([
            self.phone,
            &neutralise(self.account),
            self.source,
            &time(self.opted_out_at),
            &neutralise(self.actor),
            &neutralise(self.reason),
            &neutralise(self.evidence.unwrap_or_default()),
            self.sender_phone.unwrap_or_default(),
            &self.opt_out_id.to_string(),
            &self.opted_in_at.map(time).unwrap_or_default(),
            &neutralise(self.opt_in_reason.unwrap_or_default()),
        ])
    }
}

/// Writes rows as the export's CSV records; `write_error` says what a failed write means.
fn write_rows<W: std::io::Write>(
    csv: &mut csv::Writer<W>,
    rows: &[ExportRow],
    write_error: impl Fn(csv::Error) -> Error,
) -> Result<()> {
    for (phone, account, source, at, actor, reason, evidence, sender, id, opt_in_at, opt_in_reason) in rows {
        let record = ExportRecord {
            phone,
            account,
            source,
            opted_out_at: time(*at)?,
            actor,
            reason,
            evidence: evidence.as_deref(),
            sender_phone: sender.as_deref(),
            opt_out_id: *id,
            opted_in_at: opt_in_at.map(time).transpose()?,
            opt_in_reason: opt_in_reason.as_deref(),
        };
        record.write(csv).map_err(&write_error)?;
    }
    Ok(())
}

impl Hub {
    /// One page of the export, oldest first, after `after`.
    async fn export_rows(&self, filter: &OptOutFilter, after: Option<PageCursor>) -> Result<Vec<ExportRow>> {
        read_after(filter, after, false, PAGE as usize, |c, limit| {
            Box::pin(async move { self.export_part(&c, limit).await })
        })
        .await
    }

    /// Up to `limit` rows that `c` selects, oldest first.
    async fn export_part(&self, c: &Conditions, limit: usize) -> Result<Vec<ExportRow>> {
        let (aggregate, row) = match self.backend {
            Backend::Sqlite => ("json_group_array", "json_array"),
            Backend::Postgres => ("json_agg", "json_build_array"),
        };
        let sql = format!(
            "SELECT CAST({aggregate}({row}(p.phone, p.account, p.source, p.created_at, p.actor, p.reason, \
               p.evidence, p.sender_phone, p.id, p.opt_in_at, p.opt_in_reason)) AS TEXT) \
             FROM (SELECT o.phone, a.name AS account, o.source, o.created_at, o.actor, o.reason, o.evidence, \
               o.sender_phone, o.id, i.created_at AS opt_in_at, i.reason AS opt_in_reason \
               FROM opt_outs o JOIN accounts a ON a.id = o.account_id LEFT JOIN opt_ins i ON i.opt_out_id = o.id\
               {} ORDER BY o.created_at, o.id LIMIT {limit}) p",
            c.sql
        );
        let page: Option<String> = c.bind(sqlx::query(&sql)).fetch_one(&self.pool).await?.try_get(0)?;
        let mut rows: Vec<ExportRow> = serde_json::from_str(page.as_deref().unwrap_or("[]"))?;
        // An aggregate's input order is not promised; the page's order is (already sorted in
        // practice, so this costs one pass).
        rows.sort_by_key(|row| (row.3, row.8));
        Ok(rows)
    }

    /// Writes the opt-outs that `filter` selects as CSV, oldest first, with a header row.
    ///
    /// Phone numbers are written exactly as E.164; free-text cells are neutralised against
    /// formula injection ([`neutralise`]). Rows stream from the database a page at a time:
    /// memory stays flat however long the list. `progress` is called after each page of 5,000
    /// rows with the count so far; returning `false` cancels. Returns the number of rows written.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for a bad filter, [`Error::File`] when writing fails,
    /// [`Error::Cancelled`], [`Error::Refused`] (`forbidden`) for anybody but an admin.
    pub async fn export_csv(
        &self,
        actor: &Actor,
        filter: &OptOutFilter,
        out: impl std::io::Write,
        out_name: &std::path::Path,
        mut progress: impl FnMut(u64) -> bool,
    ) -> Result<u64> {
        actor.admin_only("export the opt-out list")?;
        let write_error = |source: csv::Error| match source.into_kind() {
            csv::ErrorKind::Io(source) => Error::File { path: out_name.to_owned(), source },
            other => Error::Corrupt(format!("{other:?}")),
        };
        let mut csv = csv::WriterBuilder::new().from_writer(std::io::BufWriter::with_capacity(1 << 16, out));
        csv.write_record(EXPORT_HEADER).map_err(write_error)?;
        let mut written = 0u64;
        let mut rows = self.export_rows(filter, None).await?;
        while let Some(last) = rows.last() {
            // The database reads the next page while this one is written out.
            let next = self.export_rows(filter, Some(PageCursor { at: last.3, id: last.8 }));
            let write = async { write_rows(&mut csv, &rows, write_error) };
            let (next, wrote) = tokio::join!(next, write);
            wrote?;
            written += rows.len() as u64;
            if !progress(written) {
                return Err(Error::Cancelled);
            }
            rows = next?;
        }
        csv.flush().map_err(|source| Error::File { path: out_name.to_owned(), source })?;
        progress(written);
        Ok(written)
    }

    /// One page of the same export as CSV text, for a client that writes the file itself:
    /// the header row first when `after` is `None`, then up to 5,000 rows. Returns the text and
    /// the `after` of the next page (`None` after the last). Concatenated, the pages are
    /// byte for byte what [`Hub::export_csv`] writes.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for a bad filter or cursor; [`Error::Refused`] (`forbidden`)
    /// for anybody but an admin.
    pub async fn export_page(
        &self,
        actor: &Actor,
        filter: &OptOutFilter,
        after: Option<&str>,
    ) -> Result<(Vec<u8>, Option<String>)> {
        actor.admin_only("export the opt-out list")?;
        let cursor = after.map(PageCursor::parse_after).transpose()?;
        let rows = self.export_rows(filter, cursor).await?;
        let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        let corrupt = |e: csv::Error| Error::Corrupt(e.to_string());
        if cursor.is_none() {
            csv.write_record(EXPORT_HEADER).map_err(corrupt)?;
        }
        write_rows(&mut csv, &rows, corrupt)?;
        let text = csv.into_inner().map_err(|e| Error::Corrupt(e.to_string()))?;
        let next = rows
            .last()
            .filter(|_| rows.len() == PAGE as usize)
            .map(|last| PageCursor { at: last.3, id: last.8 }.to_string());
        Ok((text, next))
    }
}

/// An export's file while it is written: a temporary file beside `out`, renamed to `out` only
/// when the export finished, so a failed export never leaves a half-written list where a whole
/// one is expected. Dropped without [`Partial::commit`], it removes itself.
pub struct Partial {
    path: PathBuf,
    out: PathBuf,
}

impl Partial {
    /// Creates the temporary file beside `out`.
    ///
    /// # Errors
    /// [`Error::File`] naming `out`.
    pub fn create(out: &Path) -> Result<(Partial, std::fs::File)> {
        let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let path = dir.join(format!(".{name}.partial"));
        let file = std::fs::File::create(&path).map_err(|source| Error::File { path: out.to_owned(), source })?;
        Ok((Partial { path, out: out.to_owned() }, file))
    }

    /// Puts the finished file in place as `out`.
    ///
    /// # Errors
    /// [`Error::File`] naming `out`.
    pub fn commit(self) -> Result<()> {
        std::fs::rename(&self.path, &self.out).map_err(|source| Error::File { path: self.out.clone(), source })
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        // After a commit the file has moved and this finds nothing.
        let _ = std::fs::remove_file(&self.path);
    }
}
