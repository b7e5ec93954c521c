//! The desk the window talks to, which connecting to another hub replaces.

use std::path::{Path, PathBuf};

use optout_cache::{Link, Remote};
use optout_hub::Actor;
use tokio::sync::{RwLock, RwLockReadGuard};

use crate::{Connection, Desk, Failure, Options};

/// The app's desk and where it keeps its data.
pub struct Session {
    dir: PathBuf,
    options: Options,
    desk: RwLock<Desk>,
}

impl Session {
    /// Starts the desk saved in `dir` (the embedded hub unless a remote one is saved).
    ///
    /// # Errors
    /// As [`Desk::start`].
    pub async fn open(dir: &Path, options: Options) -> Result<Session, Failure> {
        let desk = Desk::start(dir, options.clone()).await?;
        Ok(Session { dir: dir.to_owned(), options, desk: RwLock::new(desk) })
    }

    /// The desk now.
    pub async fn desk(&self) -> RwLockReadGuard<'_, Desk> {
        self.desk.read().await
    }

    /// Connects to the hub at `url` with `token`, or back to this computer's own hub when `url`
    /// is `None`. A remote hub is asked who the token belongs to first: a hub that cannot be
    /// reached or refuses the token changes nothing. Each hub keeps its own cache, so switching
    /// back finds the earlier one as it was, with its pending commands.
    ///
    /// # Errors
    /// `invalid` for a malformed address or token, `unreachable`, `unauthorized`, `protocol`.
    pub async fn connect(&self, url: Option<&str>, token: &str) -> Result<Option<Actor>, Failure> {
        let (connection, actor) = match url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                let remote = Remote::new(url, token)?;
                let actor = remote.whoami().await?;
                (Connection::Remote { url: url.to_owned(), token: token.trim().to_owned() }, Some(actor))
            }
            None => (Connection::Embedded, None),
        };
        let mut desk = self.desk.write().await;
        connection.save(&self.dir)?;
        let next = start_off_thread(self.dir.clone(), self.options.clone()).await?;
        std::mem::replace(&mut *desk, next).close().await;
        Ok(actor)
    }
}

/// Starts a desk on a blocking thread of the runtime. The opening future holds sqlx
/// connections across awaits in a way the compiler cannot prove `Send` (a known limit of its
/// higher-ranked reasoning), and a command handler of the app must be `Send`; run there, it
/// need not be.
async fn start_off_thread(dir: PathBuf, options: Options) -> Result<Desk, Failure> {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(Desk::start(&dir, options)))
        .await
        .map_err(|e| Failure::new("storage", format!("opening the hub stopped: {e}")))?
}
