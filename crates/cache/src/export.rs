//! Exporting the opt-out list the admin is looking at, from the cache, as CSV: the hub's
//! columns, formula-safe, streamed a page at a time.

use std::io::Write;

use optout_hub::{ExportRecord, EXPORT_HEADER};

use crate::opt_out_list::{OptOutQuery, OptOutSelection};
use crate::{Cache, Error, Result};

/// Rows read from the cache at a time: memory stays flat however long the list.
const PAGE: u32 = 5000;

impl Cache {
    /// Writes the opt-outs that `query` selects to `out` as CSV, in its order, with the hub's
    /// header ([`EXPORT_HEADER`]). Numbers stay exact E.164; any text cell a spreadsheet would
    /// run as a formula gets a leading `'`. `progress` is told the rows written after each page;
    /// returning `false` cancels. Returns the number of rows.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `phone` for a search that cannot be read, or `out_name`
    /// when writing fails; [`Error::Cancelled`].
    pub async fn export_csv(
        &self,
        query: &OptOutQuery,
        out: impl Write,
        out_name: &str,
        mut progress: impl FnMut(u64) -> bool,
    ) -> Result<u64> {
        let failed = |e: csv::Error| Error::field(out_name, e.to_string());
        let filter = OptOutSelection::new(query)?;
        let mut csv = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 16, out));
        csv.write_record(EXPORT_HEADER).map_err(failed)?;
        let mut written = 0;
        let mut after = None;
        loop {
            let (rows, next) = self.opt_out_rows(&filter, after, PAGE).await?;
            for o in &rows {
                let opt_in = o.reversed_by.as_ref();
                let record = ExportRecord {
                    phone: &o.phone,
                    account: &o.account,
                    source: o.source.as_str(),
                    opted_out_at: o.created_at,
                    actor: &o.actor,
                    reason: &o.reason,
                    evidence: o.evidence.as_deref(),
                    sender_phone: o.sender_phone.as_deref(),
                    opt_out_id: o.id,
                    opted_in_at: opt_in.map(|i| i.created_at),
                    opt_in_reason: opt_in.map(|i| i.reason.as_str()),
                };
                record.write(&mut csv).map_err(failed)?;
            }
            written += rows.len() as u64;
            if !progress(written) {
                return Err(Error::Cancelled);
            }
            match next {
                Some(position) => after = Some(position),
                None => break,
            }
        }
        csv.flush().map_err(|e| Error::field(out_name, e.to_string()))?;
        Ok(written)
    }
}
