//! What the window is told when something fails: a stable code to branch on, and words for the
//! admin. Never a stack trace, a path inside the hub or SQL.

use serde::{Deserialize, Serialize};

/// What kind of failure it is: what the window branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FailureCode {
    /// A field is wrong, or the hub refused the command; the message names why.
    Invalid,
    /// The hub cannot be reached now: the window shows it offline.
    Unreachable,
    /// The hub does not accept the token: the window sends the admin to the hub connection.
    Unauthorized,
    /// The hub answered something this app cannot use.
    Protocol,
    /// This computer's storage (the cache, the embedded hub, the data folder) failed.
    Storage,
    /// The cache holds another hub's records.
    OtherHub,
    /// No hub yet: the admin has not chosen how to begin.
    FirstRun,
    /// The admin stopped it.
    Cancelled,
}

/// A failure as it crosses to the window: `{ "code": "...", "message": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[error("{message}")]
pub struct Failure {
    /// What kind of failure, to branch on.
    pub code: FailureCode,
    /// What happened, for the admin.
    pub message: String,
}

impl Failure {
    pub(crate) fn new(code: FailureCode, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into() }
    }

    pub(crate) fn invalid(field: &str, message: impl std::fmt::Display) -> Failure {
        Failure::new(FailureCode::Invalid, format!("{field}: {message}"))
    }

    pub(crate) fn storage(message: impl Into<String>) -> Failure {
        Failure::new(FailureCode::Storage, message)
    }

    pub(crate) fn first_run() -> Failure {
        Failure::new(
            FailureCode::FirstRun,
            "this computer has no hub yet: choose the demo, your own, or a hub on a server",
        )
    }
}

impl From<optout_cache::Error> for Failure {
    fn from(error: optout_cache::Error) -> Failure {
        use optout_cache::Error as E;
        let code = match &error {
            E::InvalidField { .. } | E::Refused { .. } => FailureCode::Invalid,
            E::Unreachable(_) => FailureCode::Unreachable,
            E::Unauthorized(_) => FailureCode::Unauthorized,
            E::Protocol(_) => FailureCode::Protocol,
            E::OtherHub { .. } => FailureCode::OtherHub,
            E::Cancelled => FailureCode::Cancelled,
            E::Storage(_) => FailureCode::Storage,
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
        use optout_hub::Error as E;
        let code = match &error {
            E::Cancelled => FailureCode::Cancelled,
            E::InvalidPhone { .. }
            | E::InvalidField { .. }
            | E::UnknownAccount(_)
            | E::UnknownCampaign(_)
            | E::UnknownSender(_)
            | E::NotFound(_)
            | E::AlreadyExists(_)
            | E::Refused { .. }
            | E::CommandReused(_)
            | E::Csv { .. } => FailureCode::Invalid,
            // A file the admin chose that cannot be read: the message names it.
            E::File { .. } => FailureCode::Invalid,
            E::ImportStopped { cause, .. } if cause.is_callers() => FailureCode::Invalid,
            E::ImportStopped { .. } | E::Storage(_) | E::Corrupt(_) => FailureCode::Storage,
        };
        Failure::new(code, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::{Failure, FailureCode};

    fn stopped(cause: optout_hub::Error) -> FailureCode {
        Failure::from(optout_hub::Error::ImportStopped { cause: Box::new(cause), next_line: 7, kept: "6 rows".into() })
            .code
    }

    /// The admin sees "storage" only for the hub's own trouble: a list that cannot be read, or
    /// a bad row, is theirs to put right, also when it stops an import partway.
    #[test]
    fn an_import_stopped_by_the_admins_file_is_invalid_and_by_the_hub_is_storage() {
        assert_eq!(stopped(optout_hub::Error::Corrupt("page".into())), FailureCode::Storage);
        assert_eq!(stopped(optout_hub::Error::UnknownAccount("Acme".into())), FailureCode::Invalid);
        let unreadable = optout_hub::Error::File { path: "list.csv".into(), source: std::io::Error::other("gone") };
        assert_eq!(stopped(unreadable), FailureCode::Invalid);
    }
}
