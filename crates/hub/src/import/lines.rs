//! Line ends for the CSV reader.

use std::fs::File;
use std::io::{BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A reader that turns CRLF and lone CR line ends into LF, and counts the bytes it has read for
/// progress. The CSV reader then numbers lines right: it numbers a record after CRLF as if it
/// were still on the line before.
pub(super) struct Lines {
    inner: BufReader<File>,
    read: Arc<AtomicU64>,
    pending_cr: bool,
}

impl Read for Lines {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        // A chunk of nothing but a CR writes nothing yet; zero would mean the end, so read on.
        loop {
            match self.read_some(out)? {
                Some(0) => continue,
                Some(n) => return Ok(n),
                None => return Ok(0),
            }
        }
    }
}

impl Lines {
    pub(super) fn new(inner: BufReader<File>, read: Arc<AtomicU64>) -> Lines {
        Lines { inner, read, pending_cr: false }
    }

    fn read_some(&mut self, out: &mut [u8]) -> std::io::Result<Option<usize>> {
        use std::io::BufRead;
        let chunk = self.inner.fill_buf()?;
        if chunk.is_empty() {
            if self.pending_cr && !out.is_empty() {
                self.pending_cr = false;
                out[0] = b'\n';
                return Ok(Some(1));
            }
            return Ok(None);
        }
        let (mut consumed, mut written) = (0, 0);
        while consumed < chunk.len() && written < out.len() {
            let byte = chunk[consumed];
            if self.pending_cr {
                self.pending_cr = false;
                out[written] = b'\n';
                written += 1;
                if byte == b'\n' {
                    consumed += 1;
                }
                continue;
            }
            consumed += 1;
            if byte == b'\r' {
                self.pending_cr = true;
            } else {
                out[written] = byte;
                written += 1;
            }
        }
        self.inner.consume(consumed);
        self.read.fetch_add(consumed as u64, Ordering::Relaxed);
        Ok(Some(written))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_become_lf_across_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crlf.csv");
        std::fs::write(&path, b"a\r\nb\rc\r\n\r\nd\r").unwrap();
        let read = Arc::new(AtomicU64::new(0));
        let inner = BufReader::with_capacity(3, File::open(&path).unwrap());
        let mut lines = Lines::new(inner, read.clone());
        let mut out = Vec::new();
        let mut buf = [0u8; 2];
        loop {
            let n = lines.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(out, b"a\nb\nc\n\nd\n");
        assert_eq!(read.load(Ordering::Relaxed), 12);
    }
}
