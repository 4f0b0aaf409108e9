//! Reading a log in blocks of whole lines, with the limits of
//! [`read_limited`](crate::log::read_limited) checked as it checks them.

use std::io::Read;

use crate::log::limits::{MAX_LINE_BYTES, MAX_LOG_BYTES, ReadLimitError};

/// What [`read_limited`](crate::log::read_limited) reads at a time: the
/// limits are checked after each such read, as it checks them, so the same
/// input fails with the same error.
pub(super) const READ_BYTES: usize = 1 << 16;

/// The limits of `read_limited`, checked as it checks them.
pub(super) struct Limits {
    total: usize,
    line: usize,
    line_start: usize,
}

impl Limits {
    /// Nothing read yet.
    pub(super) fn new() -> Self {
        Self {
            total: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// Takes in `chunk`, read after `self.total` bytes.
    fn take(&mut self, chunk: &[u8]) -> Result<(), ReadLimitError> {
        let offset = self.total;
        if offset + chunk.len() > MAX_LOG_BYTES {
            return Err(ReadLimitError::TooLarge {
                limit: MAX_LOG_BYTES,
            });
        }
        let too_long = |line| ReadLimitError::LineTooLong {
            line,
            limit: MAX_LINE_BYTES,
        };
        for newline in memchr::memchr_iter(b'\n', chunk) {
            if offset + newline - self.line_start > MAX_LINE_BYTES {
                return Err(too_long(self.line));
            }
            self.line += 1;
            self.line_start = offset + newline + 1;
        }
        if offset + chunk.len() - self.line_start > MAX_LINE_BYTES {
            return Err(too_long(self.line));
        }
        self.total += chunk.len();
        Ok(())
    }
}

/// A block of text read: `buffer[..cut]` is whole lines (all of the input,
/// at its end), `buffer[cut..filled]` the start of the next block.
pub(super) struct Block {
    pub(super) filled: usize,
    pub(super) cut: usize,
    pub(super) at_end: bool,
    /// The lines before the next block's first.
    pub(super) lines_through_cut: usize,
}

/// Reads from `reader` into `buffer`, after the `filled` bytes it holds,
/// until it holds a block (at least `block_bytes`, or the end of the
/// input), checking the limits after each read as `read_limited` does.
pub(super) fn fill(
    reader: &mut impl Read,
    limits: &mut Limits,
    buffer: &mut Vec<u8>,
    mut filled: usize,
    block_bytes: usize,
) -> Result<Block, ReadLimitError> {
    loop {
        let end = filled;
        if buffer.len() < end + READ_BYTES {
            // A line longer than a block, within the line limit.
            buffer.resize(end + READ_BYTES, 0);
        }
        let read = loop {
            match reader.read(&mut buffer[end..end + READ_BYTES]) {
                Ok(n) => break n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(ReadLimitError::Io(error)),
            }
        };
        filled = end + read;
        limits.take(&buffer[end..filled])?;
        let at_end = read == 0;
        if !at_end && filled < block_bytes {
            continue;
        }
        // The block: every whole line (all of it at the end of the input).
        let cut = if at_end {
            filled
        } else {
            match memchr::memrchr(b'\n', &buffer[..filled]) {
                Some(newline) => newline + 1,
                // One line longer than a block, within the line limit: read
                // on until it ends.
                None => continue,
            }
        };
        // The limits counted every newline read, and none lies after the
        // cut (but at the end, where no block follows).
        let lines_through_cut = limits.line - 1;
        return Ok(Block {
            filled,
            cut,
            at_end,
            lines_through_cut,
        });
    }
}
