//! What can go wrong, in words an admin can act on.

/// A cache or sync failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The cache's own database failed.
    #[error("the local cache failed: {0}")]
    Storage(#[from] sqlx::Error),
    /// The hub cannot be reached now; the work waits and is retried.
    #[error("cannot reach the hub: {0}")]
    Unreachable(String),
    /// The hub answered something this app cannot use; nothing from it was stored.
    #[error("the hub sent something this app cannot use: {0}")]
    Protocol(String),
    /// The hub does not accept the token.
    #[error("the hub refused the token: {0}")]
    Unauthorized(String),
    /// The hub refused a request; its record is unchanged.
    #[error("{message}")]
    Refused {
        /// The hub's stable code (`unknown_account`, `invalid_phone`, …).
        code: String,
        /// The hub's reason, for a person.
        message: String,
    },
    /// The cache holds another hub's records.
    #[error("this cache holds the records of {cached}, not of {connected}")]
    OtherHub {
        /// The hub the cache mirrors.
        cached: String,
        /// The hub connected now.
        connected: String,
    },
    /// A setting or argument is wrong.
    #[error("{field}: {message}")]
    InvalidField {
        /// Which.
        field: String,
        /// Why.
        message: String,
    },
    /// The caller stopped it.
    #[error("cancelled")]
    Cancelled,
}

/// A link's failure as the cache's: each of its variants has one here with the same words, so
/// the desktop tells the admin the same thing however the hub was reached.
impl From<optout_client::Error> for Error {
    fn from(error: optout_client::Error) -> Error {
        use optout_client::Error as E;
        match error {
            E::Unreachable(message) => Error::Unreachable(message),
            E::Protocol(message) => Error::Protocol(message),
            E::Unauthorized(message) => Error::Unauthorized(message),
            E::Refused { code, message } => Error::Refused { code, message },
            E::InvalidField { field, message } => Error::InvalidField { field, message },
        }
    }
}

impl Error {
    pub(crate) fn field(field: &str, message: impl Into<String>) -> Error {
        Error::InvalidField { field: field.to_owned(), message: message.into() }
    }
}

/// The result of cache and sync operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;
