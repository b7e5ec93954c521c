//! What the window is told when something fails: a stable code to branch on, and words for the
//! admin. Never a stack trace, a path inside the hub or SQL.

use serde::{Deserialize, Serialize};

/// A failure as it crosses to the window: `{ "code": "...", "message": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[error("{message}")]
pub struct Failure {
    /// `invalid` (a field is wrong; the message names it), `unreachable`, `unauthorized`,
    /// `protocol`, `storage`, `other_hub`, or `first_run` (no hub yet: the admin has not chosen
    /// how to begin).
    pub code: String,
    /// What happened, for the admin.
    pub message: String,
}

impl Failure {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Failure {
        Failure { code: code.to_owned(), message: message.into() }
    }

    pub(crate) fn invalid(field: &str, message: impl std::fmt::Display) -> Failure {
        Failure::new("invalid", format!("{field}: {message}"))
    }

    pub(crate) fn first_run() -> Failure {
        Failure::new("first_run", "this computer has no hub yet: choose the demo, your own, or a hub on a server")
    }
}

impl From<optout_cache::Error> for Failure {
    fn from(error: optout_cache::Error) -> Failure {
        use optout_cache::Error as E;
        let code = match &error {
            E::InvalidField { .. } | E::Refused { .. } => "invalid",
            E::Unreachable(_) => "unreachable",
            E::Unauthorized(_) => "unauthorized",
            E::Protocol(_) => "protocol",
            E::OtherHub { .. } => "other_hub",
            E::Cancelled => "cancelled",
            E::Storage(_) => "storage",
        };
        Failure::new(code, error.to_string())
    }
}

/// As the cache says it: the same code and words whether the sync or a direct call to the hub
/// failed.
impl From<optout_client::Error> for Failure {
    fn from(error: optout_client::Error) -> Failure {
        Failure::from(optout_cache::Error::from(error))
    }
}

impl From<optout_hub::Error> for Failure {
    fn from(error: optout_hub::Error) -> Failure {
        let code = match &error {
            optout_hub::Error::Cancelled => "cancelled",
            // A file the admin chose that cannot be read: the message names it.
            optout_hub::Error::File { .. } => "invalid",
            e if e.is_client_error() => "invalid",
            _ => "storage",
        };
        Failure::new(code, error.to_string())
    }
}
