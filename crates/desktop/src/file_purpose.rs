//! What a file the admin chooses in a native dialog is for.

use serde::{Deserialize, Serialize};

/// What the admin chooses a file for: a list to read, or where to write one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// A CSV list of opt-outs to import.
    Import,
    /// Where to write the opt-out list.
    Export,
    /// Where to write the review log.
    ReviewLog,
}
