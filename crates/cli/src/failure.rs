//! Why a command failed, as its exit code tells.

use std::process::ExitCode;

/// 1 when the input was wrong or the hub refused (a bad number, an unknown account, a missing
/// or broken file, a bad token), 3 when storage or the connection to the hub failed.
#[derive(Debug)]
pub enum Failure {
    /// Exit 1.
    Refused(String),
    /// Exit 3.
    Broken(String),
}

impl Failure {
    /// Says what went wrong on stderr and exits with its code.
    pub fn exit(result: Result<(), Failure>) -> ExitCode {
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(Failure::Refused(message)) => {
                eprintln!("optout: {message}");
                ExitCode::from(1)
            }
            Err(Failure::Broken(message)) => {
                eprintln!("optout: {message}");
                ExitCode::from(3)
            }
        }
    }
}

impl From<optout_hub::Error> for Failure {
    fn from(error: optout_hub::Error) -> Failure {
        match error.is_callers() {
            true => Failure::Refused(error.to_string()),
            false => Failure::Broken(error.to_string()),
        }
    }
}

impl From<optout_client::Error> for Failure {
    fn from(error: optout_client::Error) -> Failure {
        use optout_client::Error as E;
        match error {
            E::Refused { .. } | E::InvalidField { .. } | E::Unauthorized(_) => Failure::Refused(error.to_string()),
            E::Unreachable(_) | E::Protocol(_) => Failure::Broken(error.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Failure;

    fn stopped(cause: optout_hub::Error) -> Failure {
        Failure::from(optout_hub::Error::ImportStopped { cause: Box::new(cause), next_line: 7, kept: "6 rows".into() })
    }

    #[test]
    fn an_import_stopped_by_storage_exits_3_and_by_bad_input_or_a_broken_file_exits_1() {
        assert!(matches!(stopped(optout_hub::Error::Corrupt("page".into())), Failure::Broken(_)));
        assert!(matches!(stopped(optout_hub::Error::UnknownAccount("Acme".into())), Failure::Refused(_)));
        let unreadable = optout_hub::Error::File { path: "list.csv".into(), source: std::io::Error::other("gone") };
        assert!(matches!(stopped(unreadable), Failure::Refused(_)));
    }
}
