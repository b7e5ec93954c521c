//! How the desktop and the command line reach a hub.
//!
//! [`Link`] is what a hub does for its clients: the change feed, the commands, the reads, and
//! the CSV import and export. Two links implement it: [`Embedded`] (a hub in this process, on
//! a local file or a database) and [`Remote`] (`optout serve` over HTTP). [`AnyLink`] is
//! either, chosen at run time. The desktop's cache syncs through a link; the `optout` command
//! runs every command that goes to a hub through one.

#![deny(missing_docs)]

mod any;
mod error;
mod link;
mod remote;

pub use any::AnyLink;
pub use error::{Error, Result};
pub use link::{Answer, Command, Embedded, ImportRequest, Link, Page, When};
pub use remote::{Remote, MAX_RESPONSE};
