//! What can go wrong reaching a hub, in words an admin can act on.

/// A failure to get an answer from a hub, or the hub's refusal.
#[derive(Debug, thiserror::Error)]
pub enum Error {
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
    /// A setting, an argument or the caller's own file is wrong.
    #[error("{field}: {message}")]
    InvalidField {
        /// Which (for a file, its path).
        field: String,
        /// Why.
        message: String,
    },
}

impl Error {
    pub(crate) fn field(field: &str, message: impl Into<String>) -> Error {
        Error::InvalidField { field: field.to_owned(), message: message.into() }
    }
}

/// The result of a hub's answer.
pub type Result<T, E = Error> = std::result::Result<T, E>;
