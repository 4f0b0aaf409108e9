//! Replaying a log as it is read: blocks of whole lines, each parsed on
//! every core, so that neither the log's text nor a copy of it is ever held
//! whole.
//!
//! [`replay_reader`] gives exactly what [`read_limited`] followed by
//! [`replay_bytes`] gives (the same state, bad lines, torn tail and limit
//! errors), in less memory and time: the command line's `replay` reads this
//! way.
//!
//! [`read_limited`]: crate::log::read_limited
//! [`replay_bytes`]: crate::log::replay_bytes

use std::io::Read;

use crate::contract::Event;
use crate::contract::SharedText;
use crate::log::limits::{MAX_LINE_BYTES, MAX_LOG_BYTES, ReadLimitError};
use crate::log::read::{LineError, MAX_READERS, not_utf8, parse_line, split_bytes_at_lines};
use crate::log::replay::Replay;
use crate::reduce::{cores, reduce_lifecycle_events};

/// How much of the log is parsed at once: large enough that starting the
/// reader threads costs little beside it, small beside the events it holds.
const BLOCK_BYTES: usize = 4 << 20;

/// What [`read_limited`](crate::log::read_limited) reads at a time: the
/// limits are checked after each such read, as it checks them, so the same
/// input fails with the same error.
const READ_BYTES: usize = 1 << 16;

/// Folds the log `reader` yields into the mission's state, reading it in
/// blocks of whole lines and parsing each block on every core.
///
/// The same result as [`read_limited`](crate::log::read_limited) (with
/// [`MAX_LINE_BYTES`] and [`MAX_LOG_BYTES`]) then
/// [`replay_bytes`](crate::log::replay_bytes), holding only the events and
/// one block of text.
///
/// # Errors
/// The [`ReadLimitError`] `read_limited` would give: a line longer than
/// [`MAX_LINE_BYTES`], a log larger than [`MAX_LOG_BYTES`], or the reader's
/// I/O error.
pub fn replay_reader(reader: impl Read) -> Result<Replay, ReadLimitError> {
    replay_in_blocks(reader, BLOCK_BYTES)
}

/// The limits of `read_limited`, checked as it checks them.
struct Limits {
    total: usize,
    line: usize,
    line_start: usize,
}

impl Limits {
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

fn replay_in_blocks(reader: impl Read, block_bytes: usize) -> Result<Replay, ReadLimitError> {
    let (events, bad_lines) = read_in_blocks(reader, block_bytes)?;
    // The reducer takes its input as a list: one made to size here, where
    // the flattened lists would grow one by doubling.
    let mut all: Vec<&Event> = Vec::with_capacity(events.iter().map(Vec::len).sum());
    all.extend(events.iter().flatten());
    let state = reduce_lifecycle_events(all);
    drop_on_every_core(events, reader_threads());
    Ok(Replay { state, bad_lines })
}

/// The reading half of [`replay_reader`], for the benchmark's phases: the
/// events of every line that decodes, in lists in line order, and the bad
/// lines.
///
/// # Errors
/// As [`replay_reader`].
#[doc(hidden)]
pub fn read_reader(reader: impl Read) -> Result<(Vec<Vec<Event>>, Vec<LineError>), ReadLimitError> {
    read_in_blocks(reader, BLOCK_BYTES)
}

/// How many threads parse a block: every core, at most [`MAX_READERS`] (or
/// what [`with_threads`](crate::reduce::cores::with_threads) forces, so
/// that the tests compare thread counts).
fn reader_threads() -> usize {
    cores::threads_from(usize::MAX, 0).min(MAX_READERS)
}

/// A block of text read: `buffer[..cut]` is whole lines (all of the input,
/// at its end), `buffer[cut..filled]` the start of the next block.
struct Block {
    filled: usize,
    cut: usize,
    at_end: bool,
    /// The lines before the next block's first.
    lines_through_cut: usize,
}

/// Reads from `reader` into `buffer`, after the `filled` bytes it holds,
/// until it holds a block (at least `block_bytes`, or the end of the
/// input), checking the limits after each read as `read_limited` does.
fn fill(
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

/// Reads and parses the log in blocks: while the cores parse one block,
/// the calling thread reads the next into a second buffer, so that the
/// reading (the system's copies, the limits' scan for newlines) is not a
/// part of the replay that runs on one core.
fn read_in_blocks(
    mut reader: impl Read,
    block_bytes: usize,
) -> Result<(Vec<Vec<Event>>, Vec<LineError>), ReadLimitError> {
    // The events stay in the lists their reader made, in line order: moving
    // them into one list would copy every event once more.
    let mut events: Vec<Vec<Event>> = Vec::new();
    let mut bad_lines = Vec::new();
    let mut limits = Limits {
        total: 0,
        line: 1,
        line_start: 0,
    };
    let readers = reader_threads();
    // Zeroed once (the allocator's fresh pages): the reads fill them in
    // place, so no byte is zeroed again before each read.
    let mut current: Vec<u8> = vec![0; block_bytes + READ_BYTES];
    let mut block = fill(&mut reader, &mut limits, &mut current, 0, block_bytes)?;
    let mut next: Vec<u8> = Vec::new();
    // The number of lines before the current block's first.
    let mut lines_before = 0;
    loop {
        let text = &current[..block.cut];
        let (parts, following) = if block.at_end {
            (parse_block(text, lines_before, readers), None)
        } else {
            // The text after the cut starts the next block.
            let tail = block.filled - block.cut;
            if next.len() < tail + READ_BYTES {
                next.resize(tail.max(block_bytes) + READ_BYTES, 0);
            }
            next[..tail].copy_from_slice(&current[block.cut..block.filled]);
            std::thread::scope(|scope| {
                let parsing = scope.spawn(|| parse_block(text, lines_before, readers));
                let following = fill(&mut reader, &mut limits, &mut next, tail, block_bytes);
                // The parse has nothing that panics; were it to, the block
                // is parsed again on this thread.
                let parts = parsing
                    .join()
                    .unwrap_or_else(|_| parse_block(text, lines_before, readers));
                (parts, Some(following))
            })
        };
        for part in parts {
            events.push(part.events);
            bad_lines.extend(part.errors);
        }
        match following {
            None => break,
            Some(following) => {
                lines_before = block.lines_through_cut;
                block = following?;
                std::mem::swap(&mut current, &mut next);
            }
        }
    }
    Ok((events, bad_lines))
}

/// Frees the event lists on up to `threads` threads: freeing a million
/// events, each with its strings and payload, one after the other, was a
/// tenth of a replay.
fn drop_on_every_core(mut lists: Vec<Vec<Event>>, threads: usize) {
    if threads < 2 || lists.len() < 2 {
        return;
    }
    let half = lists.split_off(lists.len() / 2);
    std::thread::scope(|scope| {
        scope.spawn(move || drop(half));
        drop(lists);
    });
}

/// The events and bad lines of a slice of whole lines, in line order.
#[derive(Default)]
struct Part {
    events: Vec<Event>,
    errors: Vec<LineError>,
}

/// Parses `block` (whole lines, numbered from `lines_before + 1`) in up to
/// `readers` slices, one thread each.
fn parse_block(block: &[u8], lines_before: usize, readers: usize) -> Vec<Part> {
    let slices = split_bytes_at_lines(block, readers);
    if slices.len() == 1 {
        return vec![parse_slice(block, lines_before)];
    }
    let mut firsts = Vec::with_capacity(slices.len());
    let mut before = lines_before;
    for slice in &slices {
        firsts.push(before);
        // The last slice's lines number no later slice.
        if firsts.len() < slices.len() {
            before += memchr::memchr_iter(b'\n', slice).count();
        }
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = slices[1..]
            .iter()
            .zip(&firsts[1..])
            .map(|(&slice, &first)| scope.spawn(move || parse_slice(slice, first)))
            .collect();
        let mut parts = vec![parse_slice(slices[0], firsts[0])];
        // A reader thread only decodes; it has nothing that panics. Were one
        // to, its slice would be read again on this thread.
        for ((handle, &slice), &first) in handles.into_iter().zip(&slices[1..]).zip(&firsts[1..]) {
            parts.push(handle.join().unwrap_or_else(|_| parse_slice(slice, first)));
        }
        parts
    })
}

/// Reads the lines of `bytes` as [`read_log_bytes`](crate::log::read_log_bytes)
/// reads each line: not UTF-8 is a bad line, a trailing `\r` is dropped,
/// blank lines are skipped.
fn parse_slice(bytes: &[u8], lines_before: usize) -> Part {
    // The slice's events share the long texts they repeat.
    let _shared = SharedText::start();
    // At most one event a line: the list is made once, to its size.
    let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut part = Part {
        events: Vec::with_capacity(lines),
        errors: Vec::new(),
    };
    let mut start = 0;
    let mut number = lines_before;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |at| start + at);
        let line = &bytes[start..end];
        start = end + 1;
        number += 1;
        let parsed = match std::str::from_utf8(line) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => parse_line(number, text.strip_suffix('\r').unwrap_or(text)),
            Err(error) => Err(not_utf8(number, line, &error)),
        };
        match parsed {
            Ok(event) => part.events.push(event),
            Err(error) => part.errors.push(error),
        }
    }
    part
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{read_limited, replay_bytes};
    use proptest::prelude::*;

    fn through_read_limited(bytes: &[u8]) -> Result<Replay, String> {
        read_limited(bytes, MAX_LINE_BYTES, MAX_LOG_BYTES)
            .map(|whole| replay_bytes(&whole))
            .map_err(|e| e.to_string())
    }

    fn in_blocks(bytes: &[u8], block: usize) -> Result<Replay, String> {
        replay_in_blocks(bytes, block).map_err(|e| e.to_string())
    }

    fn assert_same(bytes: &[u8], block: usize) {
        let (whole, blocks) = (through_read_limited(bytes), in_blocks(bytes, block));
        match (whole, blocks) {
            (Ok(whole), Ok(blocks)) => {
                assert_eq!(blocks.state, whole.state);
                assert_eq!(blocks.bad_lines, whole.bad_lines);
            }
            (whole, blocks) => assert_eq!(blocks.err(), whole.err()),
        }
    }

    fn example() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/mission.jsonl"
        ))
        .unwrap()
    }

    #[test]
    fn a_damaged_log_replays_in_blocks_as_it_does_whole() {
        let text = example();
        let mut damaged = text
            .replacen('\n', "\nnot an event\n\r\n\n", 2)
            .into_bytes();
        damaged.extend_from_slice(b"\xff\xfe bad bytes\n");
        damaged.extend_from_slice(text.lines().nth(3).unwrap().as_bytes());
        damaged.extend_from_slice(b"\r\n{\"event_id\":");
        for block in [1, 7, 100, 1000, 1 << 20] {
            assert_same(&damaged, block);
        }
        let replay = in_blocks(&damaged, 64).unwrap();
        // Two lines that are not events, the bytes that are not UTF-8, and
        // the torn last line, in line order.
        let lines: Vec<usize> = replay.bad_lines.iter().map(LineError::line).collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines.windows(2).all(|pair| pair[0] < pair[1]), "{lines:?}");
        assert!(replay.state.event_count() > 0);
    }

    #[test]
    fn a_line_over_the_limit_is_the_error_read_limited_gives() {
        let mut long = b"{}\n".to_vec();
        long.resize(MAX_LINE_BYTES + 10, b' ');
        long.extend_from_slice(b"\n{}\n");
        let error = in_blocks(&long, 1 << 20).unwrap_err();
        assert_eq!(Err(error), through_read_limited(&long).map(|_| ()));
        assert!(in_blocks(&long, 1 << 20).unwrap_err().contains("line 2"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_bytes_replay_in_blocks_as_they_do_whole(
            picks in proptest::collection::vec((0usize..40, any::<u8>(), 0usize..4), 0..60),
            block in 1usize..600,
            threads in 1usize..6,
        ) {
            // Lines of the example, cut, joined and spoiled at random.
            let text = example();
            let lines: Vec<&str> = text.lines().collect();
            let mut bytes = Vec::new();
            for (pick, byte, how) in picks {
                let line = lines[pick % lines.len()].as_bytes();
                match how {
                    0 => bytes.extend_from_slice(line),
                    1 => bytes.extend_from_slice(&line[..pick.min(line.len())]),
                    2 => bytes.push(byte),
                    _ => bytes.extend_from_slice(b"\r"),
                }
                if how != 2 {
                    bytes.push(b'\n');
                }
            }
            cores::with_threads(threads, || assert_same(&bytes, block));
        }
    }
}
