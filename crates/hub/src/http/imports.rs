//! `POST /v1/imports`: the CSV in the body, streamed to a file of the hub's own as it arrives
//! (never held in memory), then imported.
//!
//! The caller is an admin before a byte of the body is read (see `guarded`). Uploads go to a
//! folder only the hub's user may enter, are removed however the import ends, and the ones a
//! crash left behind are removed when the server starts. At most a few imports run at once:
//! the record takes one writer at a time anyway, and each holds a file of up to
//! [`IMPORT_LIMIT`] on disk.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Extension, Query, State};
use axum::http::StatusCode;
use axum::Json;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

use super::{query, Api, ApiError, ApiResult, ServeOptions, IMPORT_LIMIT};
use crate::{Actor, Error, Region};

/// Where uploads go, and how many imports may run at once.
pub(crate) struct Uploads {
    dir: PathBuf,
    running: Semaphore,
}

impl Uploads {
    pub(crate) fn new(options: &ServeOptions) -> Uploads {
        Uploads { dir: options.upload_dir.clone(), running: Semaphore::new(options.max_imports.max(1)) }
    }
}

/// Makes the upload folder, owner-only, and removes the uploads an earlier run left behind.
///
/// # Errors
/// [`Error::File`] naming the folder.
pub(crate) fn prepare(dir: &Path) -> Result<(), Error> {
    let failed = |source| Error::File { path: dir.to_owned(), source };
    std::fs::create_dir_all(dir).map_err(failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(failed)?;
    }
    for entry in std::fs::read_dir(dir).map_err(failed)?.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(UPLOAD_PREFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

const UPLOAD_PREFIX: &str = "import-";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ImportQuery {
    account: String,
    region: Option<String>,
    column: Option<String>,
    /// The file's name on the client, so that errors name it.
    name: Option<String>,
    /// Say what the import would do, and write nothing.
    #[serde(default)]
    dry_run: bool,
}

/// Removes the uploaded copy however the import ends.
struct Upload(PathBuf);

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Imports the CSV in the body ([`crate::Hub::import_csv`]) and answers its summary. The same
/// file sent again resumes or counts as already imported, as on the command line.
pub(super) async fn import(
    State(api): State<Api>,
    Extension(actor): Extension<Actor>,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: Body,
) -> ApiResult<crate::ImportSummary> {
    let q = query(q)?;
    let options = crate::ImportOptions {
        dry_run: q.dry_run,
        account: q.account,
        region: q.region.as_deref().map(Region::parse).transpose()?.unwrap_or_default(),
        column: q.column,
        batch_rows: crate::DEFAULT_BATCH_ROWS,
    };
    api.hub.account(&options.account).await?;
    let _turn = api.uploads.running.try_acquire().map_err(|_| {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "busy", "other imports are running; send the file again shortly")
    })?;
    // Errors name the client's file, never the hub's copy of it.
    let shown =
        PathBuf::from(q.name.as_deref().and_then(|n| Path::new(n).file_name()).unwrap_or("the uploaded CSV".as_ref()));
    let upload = Upload(api.uploads.dir.join(format!("{UPLOAD_PREFIX}{}.csv", uuid::Uuid::new_v4())));
    receive(body, &upload.0).await?;
    let summary =
        api.hub.import_csv(&actor, &upload.0, &options, |_| true).await.map_err(|error| error.naming(&shown))?;
    Ok(Json(summary))
}

/// Writes the body to a new owner-only file at `path`, refusing it past [`IMPORT_LIMIT`].
async fn receive(body: Body, path: &Path) -> Result<(), ApiError> {
    let failed = |source| ApiError::from(Error::File { path: path.to_owned(), source });
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).await.map_err(failed)?;
    let mut stream = body.into_data_stream();
    let mut received = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| match super::timed_out(&e) {
            true => ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", "the upload stopped arriving"),
            false => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", format!("the upload broke off: {e}")),
        })?;
        received += chunk.len();
        if received > IMPORT_LIMIT {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("a list may be at most {} MiB; split it and send the parts", IMPORT_LIMIT >> 20),
            ));
        }
        file.write_all(&chunk).await.map_err(failed)?;
    }
    file.flush().await.map_err(failed)
}
