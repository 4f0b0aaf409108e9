//! Replaying a log as it is read: blocks of whole lines, each parsed by
//! whichever core is free while the next are read, so that neither the
//! log's text nor a copy of it is ever held whole.
//!
//! [`replay_reader`] gives exactly what [`read_limited`] followed by
//! [`replay_bytes`] gives (the same state, bad lines, torn tail and limit
//! errors), in less memory and time: the command line's `replay` reads this
//! way.
//!
//! [`read_limited`]: crate::log::read_limited
//! [`replay_bytes`]: crate::log::replay_bytes

use std::io::Read;
use std::sync::{Mutex, PoisonError, mpsc};

use crate::contract::Event;
use crate::contract::SharedText;
use crate::log::blocks::{Block, Limits, READ_BYTES, fill};
use crate::log::free::drop_on_every_core;
use crate::log::limits::ReadLimitError;
use crate::log::read::{LineError, MAX_READERS, not_utf8, parse_line, split_bytes_at_lines};
use crate::log::replay::Replay;
use crate::reduce::{cores, reduce_lifecycle_events};

/// How much of the log one thread parses at a time: large enough that
/// handing it over costs little beside its parse (about 1,500 lines), small
/// enough that the first block is read soon and that the threads finish the
/// log close together.
const BLOCK_BYTES: usize = 1 << 20;

/// Folds the log `reader` yields into the mission's state, reading it in
/// blocks of whole lines, parsed on every core as they are read.
///
/// The same result as [`read_limited`](crate::log::read_limited) (with
/// [`MAX_LINE_BYTES`](crate::log::MAX_LINE_BYTES) and
/// [`MAX_LOG_BYTES`](crate::log::MAX_LOG_BYTES)) then
/// [`replay_bytes`](crate::log::replay_bytes), holding only the events and
/// a few blocks of text (one for each parsing thread, and two more).
///
/// # Errors
/// The [`ReadLimitError`] `read_limited` would give: a line longer than
/// [`MAX_LINE_BYTES`](crate::log::MAX_LINE_BYTES), a log larger than
/// [`MAX_LOG_BYTES`](crate::log::MAX_LOG_BYTES), or the reader's
/// I/O error.
pub fn replay_reader(reader: impl Read) -> Result<Replay, ReadLimitError> {
    replay_in_blocks(reader, BLOCK_BYTES)
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

/// A block handed to the parsing threads: `text[..cut]` is whole lines,
/// the first numbered `lines_before + 1`; the block's place in the log is
/// `index`.
struct Task {
    index: usize,
    lines_before: usize,
    text: Vec<u8>,
    cut: usize,
}

/// A parsed block, and its buffer to read another into; `part` is `None`
/// where the parse panicked (the block is then parsed again on the reading
/// thread).
struct Done {
    part: Option<Part>,
    task: Task,
}

/// Reads and parses the log in blocks. A log of one block is parsed on
/// every core at once; a longer one goes through a pipeline: the calling
/// thread reads block after block, and each parsing thread (one a core)
/// takes the next block read as soon as it is free, so no thread waits for
/// another at the end of each block, and the reading (the system's copies,
/// the limits' scan for newlines) is not a part of the replay that runs on
/// one core. A block's buffer, once parsed, is read into again: the memory
/// the blocks take is touched once.
fn read_in_blocks(
    mut reader: impl Read,
    block_bytes: usize,
) -> Result<(Vec<Vec<Event>>, Vec<LineError>), ReadLimitError> {
    let mut limits = Limits::new();
    let readers = reader_threads();
    // Zeroed once (the allocator's fresh pages): the reads fill them in
    // place, so no byte is zeroed again before each read.
    let mut first: Vec<u8> = vec![0; block_bytes + READ_BYTES];
    let block = fill(&mut reader, &mut limits, &mut first, 0, block_bytes)?;
    if block.at_end {
        return Ok(gather(
            parse_block(&first[..block.cut], 0, readers)
                .into_iter()
                .map(Some),
        ));
    }
    let (tasks, queue) = mpsc::channel::<Task>();
    let queue = Mutex::new(queue);
    let (finished, done) = mpsc::channel::<Done>();
    let mut parts: Vec<Option<Part>> = Vec::new();
    let read = std::thread::scope(|scope| {
        // Owned here, so that a panic on this thread also closes the queue:
        // the parsing threads then end, and the scope does not wait forever.
        let tasks = tasks;
        for _ in 0..readers {
            let (queue, finished) = (&queue, finished.clone());
            scope.spawn(move || parse_tasks(queue, &finished));
        }
        drop(finished);
        let read = read_tasks(
            Reading {
                reader: &mut reader,
                limits: &mut limits,
                block_bytes,
                buffers: readers + 2,
            },
            (first, block),
            &tasks,
            &done,
            &mut parts,
        );
        // The parsing threads end once every task sent is taken.
        drop(tasks);
        for finished in done.iter() {
            keep(&mut parts, finished);
        }
        read
    });
    // Were a parsing thread to end before its tasks, they would still wait
    // in the queue: parsed here.
    let queue = queue.into_inner().unwrap_or_else(PoisonError::into_inner);
    for task in queue.try_iter() {
        keep(&mut parts, Done { part: None, task });
    }
    read?;
    Ok(gather(parts))
}

/// The events and bad lines of `parts`, in order.
fn gather(parts: impl IntoIterator<Item = Option<Part>>) -> (Vec<Vec<Event>>, Vec<LineError>) {
    // The events stay in the lists their reader made, in line order: moving
    // them into one list would copy every event once more.
    let mut events = Vec::new();
    let mut bad_lines = Vec::new();
    for part in parts.into_iter().flatten() {
        events.push(part.events);
        bad_lines.extend(part.errors);
    }
    (events, bad_lines)
}

/// Stores a parsed block's part at its place (parsing it here if its
/// thread could not) and returns its buffer.
fn keep(parts: &mut Vec<Option<Part>>, done: Done) -> Vec<u8> {
    let Done { part, task } = done;
    let part = part.unwrap_or_else(|| parse_slice(&task.text[..task.cut], task.lines_before));
    if parts.len() <= task.index {
        parts.resize_with(task.index + 1, || None);
    }
    parts[task.index] = Some(part);
    task.text
}

/// A parsing thread: parses the tasks of `queue` until it is closed.
fn parse_tasks(queue: &Mutex<mpsc::Receiver<Task>>, finished: &mpsc::Sender<Done>) {
    loop {
        let task = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(task) = task else { return };
        // The parse has nothing that panics; were it to, the reading thread
        // parses the block again.
        let part = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            parse_slice(&task.text[..task.cut], task.lines_before)
        }))
        .ok();
        if finished.send(Done { part, task }).is_err() {
            return;
        }
    }
}

/// What the reading thread reads from, and how many buffers it may fill
/// ahead of the parse.
struct Reading<'a, R> {
    reader: &'a mut R,
    limits: &'a mut Limits,
    block_bytes: usize,
    buffers: usize,
}

/// The reading thread: sends each block read to the parsing threads,
/// starting with `first`, until the end of the input or a limit's error.
fn read_tasks<R: Read>(
    reading: Reading<'_, R>,
    first: (Vec<u8>, Block),
    tasks: &mpsc::Sender<Task>,
    done: &mpsc::Receiver<Done>,
    parts: &mut Vec<Option<Part>>,
) -> Result<(), ReadLimitError> {
    let Reading {
        reader,
        limits,
        block_bytes,
        buffers,
    } = reading;
    let (mut current, mut block) = first;
    let mut allocated = 1;
    let mut lines_before = 0;
    for index in 0.. {
        let at_end = block.at_end;
        let mut next = Vec::new();
        let tail = block.filled - block.cut;
        if !at_end {
            // A buffer parsed already (its pages touched), else a new one
            // while fewer than `buffers` exist, else the next parsed.
            next = match done.try_recv() {
                Ok(finished) => keep(parts, finished),
                Err(_) if allocated < buffers => {
                    allocated += 1;
                    vec![0; block_bytes + READ_BYTES]
                }
                Err(_) => match done.recv() {
                    Ok(finished) => keep(parts, finished),
                    Err(_) => vec![0; block_bytes + READ_BYTES],
                },
            };
            // The text after the cut starts the next block.
            if next.len() < tail + READ_BYTES {
                next.resize(tail.max(block_bytes) + READ_BYTES, 0);
            }
            next[..tail].copy_from_slice(&current[block.cut..block.filled]);
        }
        let task = Task {
            index,
            lines_before,
            text: current,
            cut: block.cut,
        };
        if let Err(mpsc::SendError(task)) = tasks.send(task) {
            keep(parts, Done { part: None, task });
        }
        if at_end {
            break;
        }
        lines_before = block.lines_through_cut;
        block = fill(reader, limits, &mut next, tail, block_bytes)?;
        current = next;
    }
    Ok(())
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
    use crate::log::limits::{MAX_LINE_BYTES, MAX_LOG_BYTES};
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
        // Read whole, and in blocks cut before the long line: the error
        // then comes while the first block is being parsed.
        for block in [1, 64, 1 << 20] {
            let error = in_blocks(&long, block).unwrap_err();
            assert_eq!(Err(error), through_read_limited(&long).map(|_| ()));
            assert!(in_blocks(&long, block).unwrap_err().contains("line 2"));
        }
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
