//! Where a page of a list ends, for keyset pagination: the last row's sort time and id.

use std::fmt;

/// The position after a page's last row: its sort time in microseconds and its id, written
/// `"{at}.{id}"`. The hub's opt-out list and export and the app's lists all page with it; as text
/// it is the `after` a client passes back for the next page.
///
/// # Example
/// ```
/// use optout_hub::PageCursor;
/// let cursor = PageCursor { at: 1_700_000_000_000_000, id: 42 };
/// assert_eq!(cursor.to_string(), "1700000000000000.42");
/// assert_eq!(PageCursor::parse("1700000000000000.42"), Some(cursor));
/// assert_eq!(PageCursor::parse("42"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCursor {
    /// The row's sort time, in microseconds since 1970.
    pub at: i64,
    /// The row's id, which orders rows of the same time.
    pub id: i64,
}

impl PageCursor {
    /// Reads a cursor as [`PageCursor`]'s `Display` writes it; `None` for anything else.
    pub fn parse(text: &str) -> Option<PageCursor> {
        let (at, id) = text.split_once('.')?;
        Some(PageCursor { at: at.parse().ok()?, id: id.parse().ok()? })
    }

    /// [`PageCursor::parse`] for the hub's `after` field.
    pub(crate) fn parse_after(text: &str) -> crate::Result<PageCursor> {
        PageCursor::parse(text).ok_or_else(|| crate::Error::field("after", "is not a cursor this hub gave out"))
    }
}

impl fmt::Display for PageCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.at, self.id)
    }
}
