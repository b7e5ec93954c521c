//! What can go wrong in the hub, kept with its source.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// An error from the hub.
///
/// Every variant that comes from bad input names the place (field, file and line) so that the
/// person who typed it can fix it. Storage errors keep their source for logs but never reach an
/// HTTP client (see [`Error::code`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A phone number that does not parse or is not a valid number.
    #[error("{field}: {value:?} is not a valid phone number ({reason})")]
    InvalidPhone {
        /// Which field or argument held the number.
        field: String,
        /// What was given.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A field that is missing, empty or out of range.
    #[error("{field}: {message}")]
    InvalidField {
        /// The field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// No account of that name.
    #[error("no account named {0:?}")]
    UnknownAccount(String),
    /// No campaign of that name in the account.
    #[error("no campaign named {0:?}")]
    UnknownCampaign(String),
    /// No campaign sends from that number.
    #[error("no campaign sends from {0}")]
    UnknownSender(String),
    /// Something looked up by id that does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The name is taken.
    #[error("{0} already exists")]
    AlreadyExists(String),
    /// A command the hub refuses; the record is unchanged.
    #[error("{message}")]
    Refused {
        /// Why, as a code the UI and other systems branch on.
        code: Refusal,
        /// What happened, for a person.
        message: String,
    },
    /// A command id that was already used for a different command.
    #[error("command {0} was already used for a different command")]
    CommandReused(uuid::Uuid),
    /// A CSV file that cannot be read at all.
    #[error("{path}:{line}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The line where reading stopped.
        line: u64,
        /// What went wrong.
        message: String,
    },
    /// A file that cannot be opened, read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The work was cancelled through its progress callback.
    #[error("cancelled")]
    Cancelled,
    /// An import that failed after some of its batches were committed: those are kept, and
    /// running the same file again resumes after them.
    #[error("{cause} (the import stopped at line {next_line}; {kept})")]
    ImportStopped {
        /// Why it stopped.
        cause: Box<Error>,
        /// The first line not imported.
        next_line: u64,
        /// What was kept, in words.
        kept: String,
    },
    /// The database failed.
    #[error("storage: {0}")]
    Storage(#[from] sqlx::Error),
    /// A stored value that the hub cannot read back (a bug or a hand-edited database).
    #[error("corrupt record: {0}")]
    Corrupt(String),
}

/// A record the hub wrote as JSON and cannot read back, or cannot write.
impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Error {
        Error::Corrupt(error.to_string())
    }
}

/// Why the hub refused a command whose input was well formed: the record is unchanged, and the
/// same command sent again gets the same refusal (it is kept with the command's answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Only an admin may do that.
    Forbidden,
    /// The opt-out (or request to stop) named is not the one of this account and number.
    NotThisOptOut,
    /// The contact asked to stop again after the opt-out named: that request stands.
    OptedOutAgain,
    /// The opt-out named was already reversed.
    AlreadyReversed,
    /// No message may go to the contact: opted out, or blocked by the provider.
    NotTextable,
}

impl Refusal {
    /// The code as it is written over HTTP and in a stored answer: `opted_out_again`.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Forbidden => "forbidden",
            Refusal::NotThisOptOut => "not_this_opt_out",
            Refusal::OptedOutAgain => "opted_out_again",
            Refusal::AlreadyReversed => "already_reversed",
            Refusal::NotTextable => "not_textable",
        }
    }
}

/// A stable machine-readable code for an [`Error`], as the HTTP API and the desktop give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// [`Error::InvalidPhone`].
    InvalidPhone,
    /// [`Error::InvalidField`].
    InvalidField,
    /// [`Error::UnknownAccount`].
    UnknownAccount,
    /// [`Error::UnknownCampaign`].
    UnknownCampaign,
    /// [`Error::UnknownSender`].
    UnknownSender,
    /// [`Error::NotFound`].
    NotFound,
    /// [`Error::AlreadyExists`].
    AlreadyExists,
    /// [`Error::CommandReused`].
    CommandReused,
    /// [`Error::Csv`].
    InvalidCsv,
    /// [`Error::File`].
    File,
    /// [`Error::Cancelled`].
    Cancelled,
    /// [`Error::Storage`] and [`Error::Corrupt`].
    Storage,
    /// [`Error::Refused`]: the refusal's own code.
    #[serde(untagged)]
    Refused(Refusal),
}

impl ErrorCode {
    /// The code as the HTTP API writes it: `invalid_phone`, `opted_out_again`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::UnknownAccount => "unknown_account",
            ErrorCode::UnknownCampaign => "unknown_campaign",
            ErrorCode::UnknownSender => "unknown_sender",
            ErrorCode::NotFound => "not_found",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::CommandReused => "command_reused",
            ErrorCode::InvalidCsv => "invalid_csv",
            ErrorCode::File => "file",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Storage => "storage",
            ErrorCode::Refused(refusal) => refusal.as_str(),
        }
    }
}

impl Error {
    /// A stable machine-readable code for the error, used over HTTP and by the desktop.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidPhone { .. } => ErrorCode::InvalidPhone,
            Error::InvalidField { .. } => ErrorCode::InvalidField,
            Error::UnknownAccount(_) => ErrorCode::UnknownAccount,
            Error::UnknownCampaign(_) => ErrorCode::UnknownCampaign,
            Error::UnknownSender(_) => ErrorCode::UnknownSender,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::AlreadyExists(_) => ErrorCode::AlreadyExists,
            Error::Refused { code, .. } => ErrorCode::Refused(*code),
            Error::CommandReused(_) => ErrorCode::CommandReused,
            Error::Csv { .. } => ErrorCode::InvalidCsv,
            Error::File { .. } => ErrorCode::File,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::ImportStopped { cause, .. } => cause.code(),
            Error::Storage(_) | Error::Corrupt(_) => ErrorCode::Storage,
        }
    }

    /// Whether the error is the caller's fault (bad input or a refused command) rather than the hub's.
    pub fn is_client_error(&self) -> bool {
        match self {
            Error::ImportStopped { cause, .. } => cause.is_client_error(),
            Error::InvalidPhone { .. }
            | Error::InvalidField { .. }
            | Error::UnknownAccount(_)
            | Error::UnknownCampaign(_)
            | Error::UnknownSender(_)
            | Error::NotFound(_)
            | Error::AlreadyExists(_)
            | Error::Refused { .. }
            | Error::CommandReused(_)
            | Error::Csv { .. }
            | Error::Cancelled => true,
            Error::Storage(_) | Error::Corrupt(_) | Error::File { .. } => false,
        }
    }

    /// Whether the caller can put it right: a [client error](Error::is_client_error), or their
    /// own file that cannot be read or written, also when it stopped an import partway.
    pub fn is_callers(&self) -> bool {
        match self {
            Error::File { .. } => true,
            Error::ImportStopped { cause, .. } => cause.is_callers(),
            other => other.is_client_error(),
        }
    }

    /// For an import that stopped: what was kept and how to resume, without the cause (which
    /// may name the hub's insides).
    pub fn kept_and_resume(&self) -> String {
        match self {
            Error::ImportStopped { next_line, kept, .. } => {
                format!("the import stopped at line {next_line}: {kept}; send the same file again to resume")
            }
            _ => "nothing was changed".to_owned(),
        }
    }

    /// The error with the CSV file it names shown as `shown`: the name the client gave its file,
    /// not the hub's copy.
    pub fn naming(self, shown: &std::path::Path) -> Error {
        match self {
            Error::Csv { line, message, .. } => Error::Csv { path: shown.to_owned(), line, message },
            Error::ImportStopped { cause, next_line, kept } => {
                Error::ImportStopped { cause: Box::new(cause.naming(shown)), next_line, kept }
            }
            other => other,
        }
    }

    pub(crate) fn field(field: &str, message: impl Into<String>) -> Error {
        Error::InvalidField { field: field.to_owned(), message: message.into() }
    }

    pub(crate) fn refused(code: Refusal, message: impl Into<String>) -> Error {
        Error::Refused { code, message: message.into() }
    }
}

/// The hub's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_written_as_its_serde_name() {
        let codes = [
            ErrorCode::InvalidPhone,
            ErrorCode::InvalidField,
            ErrorCode::UnknownAccount,
            ErrorCode::UnknownCampaign,
            ErrorCode::UnknownSender,
            ErrorCode::NotFound,
            ErrorCode::AlreadyExists,
            ErrorCode::CommandReused,
            ErrorCode::InvalidCsv,
            ErrorCode::File,
            ErrorCode::Cancelled,
            ErrorCode::Storage,
            ErrorCode::Refused(Refusal::Forbidden),
            ErrorCode::Refused(Refusal::NotThisOptOut),
            ErrorCode::Refused(Refusal::OptedOutAgain),
            ErrorCode::Refused(Refusal::AlreadyReversed),
            ErrorCode::Refused(Refusal::NotTextable),
        ];
        for code in codes {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("{:?}", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        assert!(serde_json::from_str::<Refusal>("\"refused\"").is_err(), "an unknown code is no refusal");
    }
}
