//! The first run: with no hub saved and no hub file on this computer yet, the admin chooses how
//! to begin (the demo organisation, an empty organisation of their own, or a hub on a server)
//! instead of finding a demo they did not ask for.
//!
//! The tests and benchmarks set `OPTOUT_DESK_DEMO_CONTACTS` and get the demo without being
//! asked, as before there was a choice.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::connection::HUB_FILE;
use crate::Connection;

/// What a desk does on this computer's first run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirstRun {
    /// Builds the demo organisation without asking (the tests, the benchmarks, and any caller
    /// of [`crate::Desk::start`] that says nothing).
    #[default]
    Demo,
    /// Starts an empty organisation.
    Empty,
    /// Waits for the admin to choose ([`FirstRunChoice`]); the app's own default.
    Ask,
}

impl FirstRun {
    /// The app's first run, from the value of `OPTOUT_DESK_DEMO_CONTACTS`: the demo when it is
    /// set (to anything), the admin's choice when it is not.
    pub fn for_app(demo_contacts: Option<&str>) -> FirstRun {
        match demo_contacts {
            Some(_) => FirstRun::Demo,
            None => FirstRun::Ask,
        }
    }
}

/// How the admin chose to begin. Connecting to a hub on a server is the hub connection's own
/// command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FirstRunChoice {
    /// Explore the demo organisation on this computer's hub.
    Demo,
    /// Set up my own: an empty organisation on this computer's hub.
    Own,
}

impl From<FirstRunChoice> for FirstRun {
    fn from(choice: FirstRunChoice) -> FirstRun {
        match choice {
            FirstRunChoice::Demo => FirstRun::Demo,
            FirstRunChoice::Own => FirstRun::Empty,
        }
    }
}

/// How a desk begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beginning {
    /// Ask the admin first: nothing is opened, so that quitting now asks again next time.
    Ask,
    /// Open the hub; on a new embedded hub, build the demo organisation first when `demo`.
    Open {
        /// Whether to build the demo organisation.
        demo: bool,
    },
}

/// How a desk begins on `connection`, when the embedded hub's file exists or not, under
/// `first_run`. A remote hub, or a hub file from an earlier run, always just opens: only a
/// computer with no hub at all is a first run.
///
/// # Example
/// ```
/// use optout_desktop::{beginning, Beginning, Connection, FirstRun};
/// assert_eq!(beginning(&Connection::Embedded, false, FirstRun::Ask), Beginning::Ask);
/// assert_eq!(beginning(&Connection::Embedded, true, FirstRun::Ask), Beginning::Open { demo: false });
/// assert_eq!(beginning(&Connection::Embedded, false, FirstRun::Demo), Beginning::Open { demo: true });
/// ```
pub fn beginning(connection: &Connection, hub_file_exists: bool, first_run: FirstRun) -> Beginning {
    match (connection, hub_file_exists, first_run) {
        (Connection::Embedded, false, FirstRun::Ask) => Beginning::Ask,
        (Connection::Embedded, false, FirstRun::Demo) => Beginning::Open { demo: true },
        _ => Beginning::Open { demo: false },
    }
}

/// How a desk on the data folder `dir`, connected by `connection`, begins.
pub(crate) fn begins(dir: &Path, connection: &Connection, first_run: FirstRun) -> Beginning {
    beginning(connection, dir.join(HUB_FILE).exists(), first_run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_computer_without_any_hub_is_a_first_run() {
        let remote = Connection::Remote { url: "http://hub".into(), token: "t".into() };
        let cases = [
            (&Connection::Embedded, false, FirstRun::Ask, Beginning::Ask),
            (&Connection::Embedded, false, FirstRun::Demo, Beginning::Open { demo: true }),
            (&Connection::Embedded, false, FirstRun::Empty, Beginning::Open { demo: false }),
            // A hub file from an earlier run, even an empty organisation, is never rebuilt.
            (&Connection::Embedded, true, FirstRun::Ask, Beginning::Open { demo: false }),
            (&Connection::Embedded, true, FirstRun::Demo, Beginning::Open { demo: false }),
            (&remote, false, FirstRun::Ask, Beginning::Open { demo: false }),
            (&remote, false, FirstRun::Demo, Beginning::Open { demo: false }),
        ];
        for (connection, exists, first_run, expected) in cases {
            assert_eq!(beginning(connection, exists, first_run), expected, "{connection:?} {exists} {first_run:?}");
        }
    }

    #[test]
    fn the_demo_without_asking_only_when_the_tests_size_it() {
        assert_eq!(FirstRun::for_app(Some("400")), FirstRun::Demo);
        assert_eq!(FirstRun::for_app(Some("")), FirstRun::Demo);
        assert_eq!(FirstRun::for_app(None), FirstRun::Ask);
        assert_eq!(FirstRun::from(FirstRunChoice::Own), FirstRun::Empty);
    }
}
