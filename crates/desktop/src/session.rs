//! The desk the window talks to, which connecting to another hub replaces; before the first
//! run's choice, there is none.

use std::path::{Path, PathBuf};

use optout_client::{Link, Remote};
use optout_hub::Actor;
use tokio::sync::{RwLock, RwLockReadGuard};

use crate::first_run::{begins, Beginning};
use crate::{Connection, Desk, DeskStatus, Failure, FirstRunChoice, Options};

/// The app's desk and where it keeps its data.
pub struct Session {
    dir: PathBuf,
    options: Options,
    /// `None` until the admin chooses how to begin on a computer with no hub yet.
    desk: RwLock<Option<Desk>>,
}

impl Session {
    /// Starts the desk saved in `dir` (the embedded hub unless a remote one is saved), or none
    /// when this computer has no hub yet and `options.first_run` asks the admin first.
    ///
    /// # Errors
    /// As [`Desk::start`].
    pub async fn open(dir: &Path, options: Options) -> Result<Session, Failure> {
        let desk = match begins(dir, &Connection::load(dir)?, options.first_run) {
            Beginning::Ask => None,
            Beginning::Open { .. } => Some(Desk::start(dir, options.clone()).await?),
        };
        Ok(Session { dir: dir.to_owned(), options, desk: RwLock::new(desk) })
    }

    /// The desk now.
    ///
    /// # Errors
    /// `first_run` before the admin has chosen how to begin.
    pub async fn desk(&self) -> Result<RwLockReadGuard<'_, Desk>, Failure> {
        RwLockReadGuard::try_map(self.desk.read().await, Option::as_ref).map_err(|_| Failure::first_run())
    }

    /// Where things stand; before the first run's choice, a status that says so.
    ///
    /// # Errors
    /// As [`Desk::status`].
    pub async fn status(&self) -> Result<DeskStatus, Failure> {
        match &*self.desk.read().await {
            Some(desk) => desk.status().await,
            None => Ok(DeskStatus::first_run()),
        }
    }

    /// Begins on this computer's own hub as the admin chose on the first run: the demo
    /// organisation, or an empty one of their own. Once a hub exists, it is opened as it is.
    ///
    /// # Errors
    /// As [`Desk::start`].
    pub async fn begin(&self, choice: FirstRunChoice) -> Result<DeskStatus, Failure> {
        let mut desk = self.desk.write().await;
        if desk.is_none() {
            let options = Options { first_run: choice.into(), ..self.options.clone() };
            *desk = Some(start_off_thread(self.dir.clone(), options).await?);
        }
        match &*desk {
            Some(desk) => desk.status().await,
            None => Ok(DeskStatus::first_run()),
        }
    }

    /// Connects to the hub at `url` with `token`, or back to this computer's own hub when `url`
    /// is `None`. A remote hub is asked who the token belongs to first: a hub that cannot be
    /// reached or refuses the token changes nothing. Each hub keeps its own cache, so switching
    /// back finds the earlier one as it was, with its pending commands. Back on a computer that
    /// has no hub of its own yet, the first run's question is asked again.
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
        let next = match begins(&self.dir, &connection, self.options.first_run) {
            Beginning::Ask => None,
            Beginning::Open { .. } => Some(start_off_thread(self.dir.clone(), self.options.clone()).await?),
        };
        if let Some(previous) = std::mem::replace(&mut *desk, next) {
            previous.close().await;
        }
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
        .map_err(|e| Failure::storage(format!("opening the hub stopped: {e}")))?
}
