//! Lists in and out: importing a CSV of numbers to opt out, exporting the opt-out list, and the
//! jobs that run them in the background.

use std::path::Path;

use optout_cache::OptOutQuery;
use optout_client::ImportRequest;
use optout_hub::Region;

use crate::desk::{get, local_admin};
use crate::{Desk, Failure, Job, JobKind};

impl Desk {
    /// Starts importing the CSV at `path` into `account`: numbers without `+` are read in
    /// `region`, the phone column is found by its header or named by `column`. On the embedded
    /// hub the import goes in batches with progress; a remote hub receives the file in one
    /// request. Either way its opt-outs reach the cache through the sync, and cancelling keeps
    /// what was committed (the same file again resumes). With `dry_run`, the import only says
    /// what it would do (new opt-outs, numbers already opted out, repeats, refused rows) and
    /// writes nothing.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for an unknown account or an unreadable file.
    pub async fn start_import(
        &self,
        path: &Path,
        account: &str,
        region: Region,
        column: Option<String>,
        dry_run: bool,
    ) -> Result<Job, Failure> {
        let column = column.filter(|c| !c.trim().is_empty());
        self.cache.require_account(account).await?;
        let (job, running) = self.jobs.begin(JobKind::Import, &path.display().to_string());
        let actor = get(&self.actor).unwrap_or_else(local_admin);
        let request = ImportRequest { account, region, column: column.as_deref(), dry_run };
        self.importer.start(path, &request, actor, self.syncer.clone(), running);
        Ok(job)
    }

    /// Starts exporting the opt-outs that `query` selects, from the cache, to a CSV at `path`.
    /// The file appears whole when done: it is written beside it and renamed at the end.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for a search that cannot be read.
    pub async fn start_export(&self, path: &Path, query: OptOutQuery) -> Result<Job, Failure> {
        let total = self.cache.opt_out_page(&query, None, 1).await?.total.max(1) as f64;
        let (job, running) = self.jobs.begin(JobKind::Export, &path.display().to_string());
        let (path, cache) = (path.to_owned(), self.cache.clone());
        tokio::spawn(async move {
            let name = path.display().to_string();
            let result = async {
                let (partial, file) = optout_hub::Partial::create(&path)?;
                cache
                    .export_csv(&query, file, &name, |rows| running.progress(rows, rows as f64 * 100.0 / total))
                    .await?;
                Ok::<_, Failure>(partial.commit()?)
            }
            .await;
            running.finish(result.map(|()| None));
        });
        Ok(job)
    }

    /// Where a job stands.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for an unknown job.
    pub fn job(&self, id: u64) -> Result<Job, Failure> {
        self.jobs.get(id)
    }

    /// Stops a job at its next step.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for an unknown job.
    pub fn cancel_job(&self, id: u64) -> Result<(), Failure> {
        self.jobs.cancel(id)
    }
}
