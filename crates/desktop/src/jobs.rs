//! Long work the admin starts and may cancel: importing a CSV into the hub, exporting the list
//! from the cache. Each runs in the background; the window polls its status for a progress bar.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use optout_hub::ImportSummary;
use serde::{Deserialize, Serialize};

use crate::{Failure, FailureCode};

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Still working.
    Running,
    /// Finished.
    Done,
    /// Stopped by the admin; what an import committed before stays, and running the same file
    /// again resumes it.
    Cancelled,
    /// Failed; see `error`.
    Failed,
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A CSV list of opt-outs, into the hub.
    Import,
    /// The opt-out list, from the cache to a CSV file.
    Export,
}

/// An import or export, as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Job {
    /// Its id, to ask again or cancel.
    pub id: u64,
    /// What it does.
    pub kind: JobKind,
    /// The file.
    pub file: String,
    /// Where it stands.
    pub state: JobState,
    /// How far, 0 to 100.
    pub percent: f64,
    /// Rows done so far.
    pub rows: u64,
    /// An import's result, when it is done.
    pub import: Option<ImportSummary>,
    /// Why it failed.
    pub error: Option<Failure>,
}

/// Each job by id, with the flag that cancels it.
type Table = HashMap<u64, (Job, Arc<AtomicBool>)>;

/// The running and finished jobs of this session.
#[derive(Clone, Default)]
pub(crate) struct Jobs {
    next: Arc<AtomicU64>,
    jobs: Arc<Mutex<Table>>,
}

/// A running job's handle: progress goes in, cancellation comes out.
pub(crate) struct Running {
    jobs: Jobs,
    id: u64,
    cancelled: Arc<AtomicBool>,
}

impl Jobs {
    /// Starts tracking a job on `file`.
    pub(crate) fn begin(&self, kind: JobKind, file: &str) -> (Job, Running) {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Job {
            id,
            kind,
            file: file.to_owned(),
            state: JobState::Running,
            percent: 0.0,
            rows: 0,
            import: None,
            error: None,
        };
        let cancelled = Arc::new(AtomicBool::new(false));
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.insert(id, (job.clone(), cancelled.clone()));
        }
        (job, Running { jobs: self.clone(), id, cancelled })
    }

    /// A job's status.
    pub(crate) fn get(&self, id: u64) -> Result<Job, Failure> {
        self.jobs
            .lock()
            .ok()
            .and_then(|jobs| jobs.get(&id).map(|(job, _)| job.clone()))
            .ok_or_else(|| Failure::invalid("job", format!("no job {id}")))
    }

    /// Asks a job to stop at its next step.
    pub(crate) fn cancel(&self, id: u64) -> Result<(), Failure> {
        let jobs = self.jobs.lock().map_err(|_| Failure::storage("the job list is unusable"))?;
        let (_, cancelled) = jobs.get(&id).ok_or_else(|| Failure::invalid("job", format!("no job {id}")))?;
        cancelled.store(true, Ordering::Relaxed);
        Ok(())
    }
}

impl Running {
    fn update(&self, change: impl FnOnce(&mut Job)) {
        if let Ok(mut jobs) = self.jobs.jobs.lock() {
            if let Some((job, _)) = jobs.get_mut(&self.id) {
                change(job);
            }
        }
    }

    /// Notes progress; false once the admin has cancelled.
    pub(crate) fn progress(&self, rows: u64, percent: f64) -> bool {
        self.update(|job| {
            job.rows = rows;
            job.percent = percent.clamp(0.0, 100.0);
        });
        !self.cancelled.load(Ordering::Relaxed)
    }

    /// Ends the job with its outcome.
    pub(crate) fn finish(self, outcome: Result<Option<ImportSummary>, Failure>) {
        self.update(|job| match outcome {
            Ok(summary) => {
                job.state = JobState::Done;
                job.percent = 100.0;
                job.import = summary;
            }
            Err(failure) if failure.code == FailureCode::Cancelled => job.state = JobState::Cancelled,
            Err(failure) => {
                job.state = JobState::Failed;
                job.error = Some(failure);
            }
        });
    }
}
