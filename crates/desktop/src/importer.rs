//! Where an import goes: straight into the embedded hub, in batches with progress; or up to a
//! remote hub's `POST /v1/imports`, in one request.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use optout_cache::Syncer;
use optout_client::{AnyLink, ImportRequest, Link, Remote};
use optout_hub::{Actor, Hub, ImportOptions};

use crate::jobs::Running;
use crate::{Failure, FailureCode};

pub(crate) enum Importer {
    Embedded(Hub),
    Remote(Remote),
}

impl Importer {
    /// Runs the import of the CSV at `path` in the background as `running`, recorded as
    /// `actor`, and nudges the sync when it ends, however it ends.
    pub(crate) fn start(
        &self,
        path: &Path,
        request: &ImportRequest<'_>,
        actor: Actor,
        syncer: Arc<Syncer<AnyLink>>,
        running: Running,
    ) {
        let path = path.to_owned();
        let (account, region, column) = (request.account.to_owned(), request.region, request.column.map(str::to_owned));
        let dry_run = request.dry_run;
        match self {
            Importer::Embedded(hub) => {
                let hub = hub.clone();
                let batch_rows = optout_hub::DEFAULT_BATCH_ROWS;
                let options = ImportOptions { account, region, column, batch_rows, dry_run };
                tokio::spawn(async move {
                    let result = hub
                        .import_csv(&actor, &path, &options, |p| {
                            let percent =
                                if p.total_bytes == 0 { 100.0 } else { p.bytes as f64 * 100.0 / p.total_bytes as f64 };
                            running.progress(p.rows, percent)
                        })
                        .await;
                    syncer.nudge();
                    running.finish(result.map(Some).map_err(Failure::from));
                });
            }
            Importer::Remote(remote) => {
                let remote = remote.clone();
                tokio::spawn(async move {
                    let upload = async {
                        let request = ImportRequest { account: &account, region, column: column.as_deref(), dry_run };
                        Ok::<_, Failure>(remote.import(&path, &request).await?)
                    };
                    // The hub reports no progress for one request; cancelling drops it, and the
                    // hub stops at its next batch.
                    let cancelled = async {
                        while running.progress(0, 0.0) {
                            tokio::time::sleep(Duration::from_millis(200)).await;
                        }
                    };
                    let result = tokio::select! {
                        result = upload => result,
                        () = cancelled => Err(Failure::new(FailureCode::Cancelled, "cancelled")),
                    };
                    syncer.nudge();
                    running.finish(result.map(Some));
                });
            }
        }
    }
}
