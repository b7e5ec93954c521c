//! Where the hub is: embedded (the default) or a remote `optout serve`, as saved in the data
//! folder. The token lives in a file of its own that only the owner may read, never in the cache
//! database, the settings file or a log.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Failure;

const SETTINGS_FILE: &str = "hub.json";
const TOKEN_FILE: &str = "hub-token";
/// The embedded hub's file in the data folder.
pub(crate) const HUB_FILE: &str = "hub.sqlite3";

/// Where the hub is. Its `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub enum Connection {
    /// A hub in this process, on `hub.sqlite3` in the data folder.
    Embedded,
    /// `optout serve` over HTTP.
    Remote {
        /// Its address.
        url: String,
        /// The bearer token.
        token: String,
    },
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Connection::Embedded => f.write_str("Embedded"),
            Connection::Remote { url, .. } => {
                f.debug_struct("Remote").field("url", url).field("token", &"<redacted>").finish()
            }
        }
    }
}

/// The saved hub settings, as the settings file holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HubSettings {
    /// The remote hub's address; none for the embedded hub.
    pub url: Option<String>,
}

fn io_failure(path: &Path, error: std::io::Error) -> Failure {
    Failure::storage(format!("{}: {error}", path.display()))
}

impl Connection {
    /// Reads the saved connection from `dir`; the embedded hub when nothing is saved.
    ///
    /// # Errors
    /// A [`Failure`] naming the file when the settings or token file cannot be read.
    pub fn load(dir: &Path) -> Result<Connection, Failure> {
        let path = dir.join(SETTINGS_FILE);
        let settings: HubSettings = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| Failure::invalid(&path.display().to_string(), format!("line {}: {e}", e.line())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HubSettings::default(),
            Err(e) => return Err(io_failure(&path, e)),
        };
        let Some(url) = settings.url else { return Ok(Connection::Embedded) };
        let token_path = dir.join(TOKEN_FILE);
        let token = std::fs::read_to_string(&token_path).map_err(|e| io_failure(&token_path, e))?;
        Ok(Connection::Remote { url, token: token.trim().to_owned() })
    }

    /// Saves this connection in `dir`: the address in the settings file, the token in a file
    /// that only the owner can read.
    ///
    /// # Errors
    /// A [`Failure`] naming the file that could not be written.
    pub fn save(&self, dir: &Path) -> Result<(), Failure> {
        std::fs::create_dir_all(dir).map_err(|e| io_failure(dir, e))?;
        let token_path = dir.join(TOKEN_FILE);
        let url = match self {
            Connection::Embedded => {
                match std::fs::remove_file(&token_path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_failure(&token_path, e)),
                    _ => {}
                }
                None
            }
            Connection::Remote { url, token } => {
                write_private(&token_path, token.as_bytes())?;
                Some(url.clone())
            }
        };
        let path = dir.join(SETTINGS_FILE);
        let text = serde_json::to_string_pretty(&HubSettings { url }).map_err(|e| Failure::storage(e.to_string()))?;
        std::fs::write(&path, text).map_err(|e| io_failure(&path, e))
    }

    /// The cache file that mirrors this hub: each hub has its own, so switching hubs never mixes
    /// two hubs' records.
    pub fn cache_path(&self, dir: &Path) -> PathBuf {
        match self {
            Connection::Embedded => dir.join("cache-embedded.sqlite3"),
            Connection::Remote { url, .. } => {
                let name: String =
                    url.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).take(80).collect();
                dir.join(format!("cache-{name}.sqlite3"))
            }
        }
    }
}

/// Writes `bytes` to a new file at `path` that only its owner may read or write.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        // An older file keeps its mode when truncated: tighten it first.
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| io_failure(path, e))?;
        }
    }
    let mut file = options.open(path).map_err(|e| io_failure(path, e))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| io_failure(path, e))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_connection_never_shows_its_token() {
        let remote = Connection::Remote { url: "https://hub.example.org".into(), token: "od_secret".into() };
        let shown = format!("{remote:?}");
        assert!(shown.contains("https://hub.example.org") && !shown.contains("od_secret"), "{shown}");
    }

    #[test]
    fn nothing_saved_means_the_embedded_hub() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Connection::load(dir.path()).unwrap(), Connection::Embedded);
    }

    #[test]
    fn a_remote_hub_round_trips_and_its_token_is_private_and_kept_out_of_the_settings() {
        let dir = tempfile::tempdir().unwrap();
        let remote = Connection::Remote { url: "http://127.0.0.1:8484".into(), token: "s3cret-token".into() };
        remote.save(dir.path()).unwrap();
        assert_eq!(Connection::load(dir.path()).unwrap(), remote);
        let settings = std::fs::read_to_string(dir.path().join(SETTINGS_FILE)).unwrap();
        assert!(!settings.contains("s3cret"), "{settings}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(TOKEN_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        Connection::Embedded.save(dir.path()).unwrap();
        assert_eq!(Connection::load(dir.path()).unwrap(), Connection::Embedded);
        assert!(!dir.path().join(TOKEN_FILE).exists(), "going back to the embedded hub forgets the token");
    }

    #[test]
    fn a_broken_settings_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SETTINGS_FILE), "{\n\"url\": ").unwrap();
        let failure = Connection::load(dir.path()).unwrap_err();
        assert!(failure.message.contains("hub.json") && failure.message.contains("line 2"), "{failure:?}");
    }
}
