//! Exporting the opt-out list as CSV, streamed row by row.

use futures_util::TryStreamExt;

use crate::lookup::{conditions, OptOutFilter};
use crate::optouts::{opt_out_from, OPT_OUT_COLUMNS};
use crate::{Error, Hub, Result};

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

impl Hub {
    /// Writes the opt-outs that `filter` selects as CSV, oldest first, with a header row.
    ///
    /// Phone numbers are written exactly as E.164; free-text cells are neutralised against
    /// formula injection ([`neutralise`]). Rows stream from the database: memory stays flat
    /// however long the list. `progress` is called every 10,000 rows with the count so far;
    /// returning `false` cancels. Returns the number of rows written.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for a bad filter, [`Error::File`] when writing fails,
    /// [`Error::Cancelled`].
    pub async fn export_csv(
        &self,
        filter: &OptOutFilter,
        out: impl std::io::Write,
        out_name: &std::path::Path,
        mut progress: impl FnMut(u64) -> bool,
    ) -> Result<u64> {
        let write_error = |source: csv::Error| match source.into_kind() {
            csv::ErrorKind::Io(source) => Error::File { path: out_name.to_owned(), source },
            other => Error::Corrupt(format!("{other:?}")),
        };
        let mut csv = csv::WriterBuilder::new().from_writer(std::io::BufWriter::with_capacity(1 << 16, out));
        csv.write_record(EXPORT_HEADER).map_err(write_error)?;
        let c = conditions(filter)?;
        let sql = format!("SELECT {OPT_OUT_COLUMNS}{} ORDER BY o.created_at, o.id", c.sql);
        let mut rows = c.bind(sqlx::query(&sql)).fetch(&self.pool);
        let mut written = 0u64;
        while let Some(row) = rows.try_next().await? {
            let o = opt_out_from(&row)?;
            let opted_out_at = o.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let id = o.id.to_string();
            let (opted_in_at, opt_in_reason) = match &o.reversed_by {
                Some(i) => (i.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), i.reason.as_str()),
                None => (String::new(), ""),
            };
            csv.write_record([
                o.phone.as_str(),
                &neutralise(&o.account),
                o.source.as_str(),
                &opted_out_at,
                &neutralise(&o.actor),
                &neutralise(&o.reason),
                &neutralise(o.evidence.as_deref().unwrap_or_default()),
                o.sender_phone.as_deref().unwrap_or_default(),
                &id,
                &opted_in_at,
                &neutralise(opt_in_reason),
            ])
            .map_err(write_error)?;
            written += 1;
            if written.is_multiple_of(10_000) && !progress(written) {
                return Err(Error::Cancelled);
            }
        }
        csv.flush().map_err(|source| Error::File { path: out_name.to_owned(), source })?;
        progress(written);
        Ok(written)
    }
}
