//! The limits on what a log reader takes in, so that endless or hostile
//! input (`/dev/zero`, a line of gigabytes) ends in a clear error instead of
//! exhausting memory.
//!
//! - [`MAX_LINE_BYTES`]: the longest line read. A longer line is refused by
//!   [`parse_line`](crate::log::parse_line) without being parsed, and a
//!   stream is not read past it ([`read_limited`]).
//! - [`MAX_LOG_BYTES`]: the largest log read whole into memory.
//!
//! The command line states both in its `--help`.

use std::fmt;
use std::io::Read;

/// The longest line a reader accepts: 16 MiB. An event line is a few
/// hundred bytes; a line longer than this is not an event a writer made.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// The largest log read whole into memory: 1 GiB (millions of events).
pub const MAX_LOG_BYTES: usize = 1 << 30;

/// What [`read_limited`] refuses to read.
#[derive(Debug)]
pub enum ReadLimitError {
    /// Line `line` (from 1) is longer than `limit` bytes.
    LineTooLong {
        /// The line number, from 1.
        line: usize,
        /// The limit it passed, in bytes.
        limit: usize,
    },
    /// The input is larger than `limit` bytes.
    TooLarge {
        /// The limit it passed, in bytes.
        limit: usize,
    },
    /// The input could not be read.
    Io(std::io::Error),
}

impl fmt::Display for ReadLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LineTooLong { line, limit } => write!(
                f,
                "line {line} is longer than {} (the longest line read); not an event log?",
                bytes(*limit)
            ),
            Self::TooLarge { limit } => write!(
                f,
                "larger than {} (the largest log read whole); not an event log?",
                bytes(*limit)
            ),
            Self::Io(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for ReadLimitError {}

/// `limit` in MiB when it is a whole number of them.
fn bytes(limit: usize) -> String {
    if limit >= 1 << 20 && limit.is_multiple_of(1 << 20) {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{limit} bytes")
    }
}

/// Reads `reader` to its end, refusing, as soon as it is passed, a line
/// longer than `max_line` bytes or more than `max_total` bytes in all.
///
/// It never holds more than `max_total` bytes plus one read buffer, so
/// endless input ends in an error, not in exhausted memory.
///
/// # Errors
/// [`ReadLimitError`]: a limit passed, or the reader's I/O error.
pub fn read_limited(
    mut reader: impl Read,
    max_line: usize,
    max_total: usize,
) -> Result<Vec<u8>, ReadLimitError> {
    let mut data = Vec::new();
    let mut buffer = vec![0u8; 1 << 16];
    // Where the current (unfinished) line starts in `data`, and its number.
    let mut line_start = 0usize;
    let mut line = 1usize;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => return Ok(data),
            Ok(n) => n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(ReadLimitError::Io(error)),
        };
        let chunk = &buffer[..n];
        if data.len() + n > max_total {
            return Err(ReadLimitError::TooLarge { limit: max_total });
        }
        let offset = data.len();
        for newline in memchr::memchr_iter(b'\n', chunk) {
            if offset + newline - line_start > max_line {
                return Err(ReadLimitError::LineTooLong {
                    line,
                    limit: max_line,
                });
            }
            line += 1;
            line_start = offset + newline + 1;
        }
        if offset + n - line_start > max_line {
            return Err(ReadLimitError::LineTooLong {
                line,
                limit: max_line,
            });
        }
        data.extend_from_slice(chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_input_stops_at_the_line_limit() {
        let zeros = std::io::repeat(0).take(10_000);
        match read_limited(zeros, 1000, 1 << 20) {
            Err(ReadLimitError::LineTooLong {
                line: 1,
                limit: 1000,
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn many_short_lines_stop_at_the_total_limit() {
        let lines = std::io::repeat(b'\n').take(10_000);
        assert!(matches!(
            read_limited(lines, 10, 5000),
            Err(ReadLimitError::TooLarge { limit: 5000 })
        ));
    }

    #[test]
    fn a_line_at_the_limit_is_read_and_the_third_line_is_named() {
        let text = b"1234\n12345\n123456\n";
        assert_eq!(read_limited(&text[..11], 5, 100).unwrap(), &text[..11]);
        let error = read_limited(&text[..], 5, 100).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 3 is longer than 5 bytes (the longest line read); not an event log?"
        );
    }
}
