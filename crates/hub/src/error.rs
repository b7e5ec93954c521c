//! What can go wrong in the hub, kept with its source.

use std::path::PathBuf;

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
        /// A stable code the UI branches on.
        code: &'static str,
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

impl Error {
    /// A stable machine-readable code for the error, used over HTTP and by the desktop.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidPhone { .. } => "invalid_phone",
            Error::InvalidField { .. } => "invalid_field",
            Error::UnknownAccount(_) => "unknown_account",
            Error::UnknownCampaign(_) => "unknown_campaign",
            Error::UnknownSender(_) => "unknown_sender",
            Error::NotFound(_) => "not_found",
            Error::AlreadyExists(_) => "already_exists",
            Error::Refused { code, .. } => code,
            Error::CommandReused(_) => "command_reused",
            Error::Csv { .. } => "invalid_csv",
            Error::File { .. } => "file",
            Error::Cancelled => "cancelled",
            Error::ImportStopped { cause, .. } => cause.code(),
            Error::Storage(_) | Error::Corrupt(_) => "storage",
        }
    }

    /// Whether the error is the caller's fault (bad input or a refused command) rather than the hub's.
    pub fn is_client_error(&self) -> bool {
        match self {
            Error::ImportStopped { cause, .. } => cause.is_client_error(),
            _ => !matches!(self, Error::Storage(_) | Error::Corrupt(_) | Error::File { .. }),
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

    pub(crate) fn refused(code: &'static str, message: impl Into<String>) -> Error {
        Error::Refused { code, message: message.into() }
    }
}

/// The hub's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
