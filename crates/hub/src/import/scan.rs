//! The pass over a file before anything of it is imported: its hash (an interrupted import of
//! the same file resumes), and the shapes that would make a CSV reader swallow numbers silently.
//!
//! - A quote that opens a field and never closes makes the rest of the file one cell: thousands
//!   of numbers would be one rejected row. A quoted field may hold line breaks (an address, a
//!   note), but one that runs over a line that looks like a phone number is an error naming the
//!   line where the quote opened.
//! - A line longer than [`MAX_LINE`] is not a row of an opt-out list.
//!
//! Both are found here, so that nothing of such a file is imported. The reader follows the CSV
//! reader's rules: a quote opens a field only at its start, `""` inside one is a quote, and CR,
//! LF and CRLF each end a line.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::file_error;
use crate::{Error, Result};

/// The longest line a list may have, in bytes.
pub(crate) const MAX_LINE: u64 = 1 << 20;

/// The longest phone cell worth reading, in characters.
pub(crate) const MAX_PHONE_CELL: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    /// At the start of a field: a quote here opens a quoted one.
    Start,
    /// In a field without quotes, or after a quoted one closed.
    Plain,
    /// In a quoted field.
    Quoted,
    /// In a quoted field, just after a quote: a closing one, or the first of `""`.
    QuotedQuote,
}

struct Scanner {
    field: Field,
    /// The line being read, from 1.
    line: u64,
    line_bytes: u64,
    after_cr: bool,
    /// The line where the quoted field being read opened.
    opened_at: u64,
    /// The start of a line inside a quoted field, while it may still look like a number.
    inside: Option<Vec<u8>>,
}

/// Whether a line inside a quoted field looks like a row of a phone list: a number, maybe with
/// a plus, spaces and the usual marks, and at least seven digits.
fn phone_like(line: &[u8]) -> bool {
    let digits = line.iter().filter(|b| b.is_ascii_digit()).count();
    digits >= 7 && line.iter().all(|b| b.is_ascii_digit() || b" +-().\t".contains(b))
}

impl Scanner {
    fn new() -> Scanner {
        Scanner { field: Field::Start, line: 1, line_bytes: 0, after_cr: false, opened_at: 0, inside: None }
    }

    fn swallowed(&self, path: &Path) -> Error {
        Error::Csv {
            path: path.to_owned(),
            line: self.opened_at,
            message: format!(
                "a quoted field opens on this line and runs on over line {}, which looks like a phone number: \
                 is a closing quote missing? Nothing of the file was imported",
                self.line
            ),
        }
    }

    /// A line ended inside a quoted field: was the one before it a number?
    fn line_inside_ended(&mut self, path: &Path) -> Result<()> {
        if let Some(start) = self.inside.take() {
            if phone_like(&start) {
                return Err(self.swallowed(path));
            }
        }
        Ok(())
    }

    fn byte(&mut self, b: u8, path: &Path) -> Result<()> {
        let line_end = b == b'\n' || b == b'\r';
        if b == b'\n' && self.after_cr {
            self.after_cr = false;
            return Ok(());
        }
        self.after_cr = b == b'\r';
        if line_end {
            if self.field == Field::Quoted {
                self.line_inside_ended(path)?;
            }
            self.line += 1;
            self.line_bytes = 0;
            match self.field {
                Field::Quoted => self.inside = Some(Vec::new()),
                _ => self.field = Field::Start,
            }
            return Ok(());
        }
        self.line_bytes += 1;
        if self.line_bytes > MAX_LINE {
            return Err(Error::Csv {
                path: path.to_owned(),
                line: self.line,
                message: format!("the line is over {} MiB: this is not a list of numbers", MAX_LINE >> 20),
            });
        }
        if let Some(start) = &mut self.inside {
            if b == b'"' || start.len() > MAX_PHONE_CELL {
                self.inside = None;
            } else {
                start.push(b);
            }
        }
        self.field = match (self.field, b) {
            (Field::Start, b'"') => {
                self.opened_at = self.line;
                Field::Quoted
            }
            (Field::Start | Field::Plain, b',') => Field::Start,
            (Field::Start | Field::Plain, _) => Field::Plain,
            (Field::Quoted, b'"') => Field::QuotedQuote,
            (Field::Quoted, _) => Field::Quoted,
            (Field::QuotedQuote, b'"') => Field::Quoted,
            (Field::QuotedQuote, b',') => Field::Start,
            (Field::QuotedQuote, _) => Field::Plain,
        };
        Ok(())
    }

    fn end(mut self, path: &Path) -> Result<()> {
        if self.field == Field::Quoted {
            self.line_inside_ended(path)?;
        }
        Ok(())
    }
}

/// The file's SHA-256 (hex), once it is known that no quote swallows numbers and no line is too
/// long.
///
/// # Errors
/// [`Error::File`] when it cannot be read; [`Error::Csv`] naming the line at fault.
pub(crate) fn scan(path: &Path) -> Result<String> {
    let mut file = File::open(path).map_err(file_error(path))?;
    let mut hasher = Sha256::new();
    let mut scanner = Scanner::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(file_error(path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        for &b in &buf[..n] {
            scanner.byte(b, path)?;
        }
    }
    scanner.end(path)?;
    Ok(format!("{:x}", hasher.finalize()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn scanned(text: &str) -> Result<()> {
        let mut scanner = Scanner::new();
        for b in text.bytes() {
            scanner.byte(b, Path::new("list.csv"))?;
        }
        scanner.end(Path::new("list.csv"))
    }

    #[test]
    fn a_quote_that_swallows_numbers_is_named_where_it_opened() {
        let error = scanned("phone\n+12125550127\n\"+12125550128\n+12125550129\n+12125550130\n").unwrap_err();
        let Error::Csv { line, message, .. } = error else { panic!("{error:?}") };
        assert_eq!(line, 3);
        assert!(message.contains("line 4"), "{message}");
        let crlf = scanned("name,phone\r\nSam,\"+1 212 555 0128\r\n(212) 555-0129\r\n").unwrap_err();
        assert!(matches!(crlf, Error::Csv { line: 2, .. }), "{crlf:?}");
    }

    #[test]
    fn quoted_fields_with_line_breaks_or_quotes_are_fine() {
        scanned("name,phone,notes\n\"Ines \"\"Nes\"\"\",+12125550128,\"moved\nnew address\"\n").unwrap();
        scanned("name,phone\nSam 5'11\",+12125550128\n\"Kim, Jr.\",\"+1 212 555 0129\"\n").unwrap();
        scanned("phone,notes\n+12125550128,\"call\nafter 6\"\n+12125550129,").unwrap();
    }

    #[test]
    fn a_line_over_the_limit_is_refused() {
        let long = format!("phone\n{}\n", "1".repeat(MAX_LINE as usize + 1));
        assert!(matches!(scanned(&long), Err(Error::Csv { line: 2, .. })));
    }
}
