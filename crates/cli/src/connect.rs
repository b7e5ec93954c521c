//! Where the hub is: its own database (the embedded SQLite file, or PostgreSQL with
//! `--database-url`), or `optout serve` with `--hub`; and the link the commands go through.

use std::path::PathBuf;

use optout_client::{AnyLink, Embedded, Remote};
use optout_hub::{Actor, Error, Hub};

use crate::failure::Failure;
use crate::hub::Common;

/// Where the desktop app keeps its data; the CLI uses the same hub file by default.
pub fn data_dir(common: &Common) -> Result<PathBuf, Error> {
    common
        .data_dir
        .clone()
        .or_else(|| dirs::data_dir().map(|d| d.join("org.optoutdesk.app")))
        .ok_or_else(|| Error::InvalidField { field: "--data-dir".into(), message: "no home folder; pass one".into() })
}

fn actor_name() -> String {
    std::env::var("USER").ok().filter(|u| !u.is_empty()).map_or_else(|| "cli".to_owned(), |u| format!("{u} (cli)"))
}

/// The token from `--token`, or else from `OPTOUT_TOKEN`.
fn token(common: &Common) -> Result<String, Failure> {
    common.token.clone().or_else(|| std::env::var("OPTOUT_TOKEN").ok()).filter(|t| !t.trim().is_empty()).ok_or_else(
        || Failure::Refused("--hub needs a token: --token TOKEN, or OPTOUT_TOKEN in the environment".into()),
    )
}

/// The hub's own database.
pub async fn open(common: &Common) -> Result<Hub, Error> {
    match &common.database_url {
        Some(url) => Hub::connect(url).await,
        None => Hub::open(&data_dir(common)?.join("hub.sqlite3")).await,
    }
}

/// The link the commands go through: to `optout serve` with `--hub`, recorded as the token's
/// holder; else to the hub's own database, as the person at this terminal, an admin.
pub async fn link(common: &Common) -> Result<AnyLink, Failure> {
    Ok(match &common.hub {
        Some(url) => AnyLink::Remote(Remote::new(url, &token(common)?)?),
        None => AnyLink::Embedded(Embedded::new(open(common).await?, Actor::admin(actor_name()), "local")),
    })
}
