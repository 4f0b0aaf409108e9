//! Replaying a log's text into mission state: reading and folding in one call.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::contract::Event;
use crate::error::ValidationError;
use crate::log::free::drop_on_every_core;
use crate::log::limits::{MAX_LINE_BYTES, MAX_LOG_BYTES};
use crate::log::read::{LineError, LogRead, not_utf8, parse_line, read_log_bytes, read_parts};
use crate::reduce::{ReducedMissionState, reduce_lifecycle_events};

/// What [`replay_log`] made of a log.
#[derive(Debug, Clone)]
pub struct Replay {
    /// The mission state folded from every line that decoded.
    pub state: ReducedMissionState,
    /// The lines that did not decode, in line order (a torn last line
    /// included): they are not part of `state`.
    pub bad_lines: Vec<LineError>,
}

/// Folds the text of a JSON Lines log into the mission's state.
///
/// Every envelope and payload is validated: a line that does not decode is
/// left out of the fold and reported in [`Replay::bad_lines`]; a payload that
/// does not decode is an anomaly of the state. This is the fastest public
/// path from log text to [`ReducedMissionState`]; it never fails and never
/// panics.
///
/// ```
/// use spec_kitty_events::log::replay_log;
/// let log = concat!(
///     r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","payload":{"mission_id":"M1","mission_type":"software-dev","initial_phase":"specify","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#,
///     "\nnot an event\n",
/// );
/// let replay = replay_log(log);
/// assert_eq!(replay.state.current_phase(), Some("specify"));
/// assert_eq!(replay.bad_lines[0].line(), 2);
/// ```
pub fn replay_log(text: &str) -> Replay {
    fold_parts(read_parts(text))
}

/// [`replay_log`] over bytes that need not be UTF-8: a line that is not is
/// a bad line, named by its number, and the other lines are folded.
pub fn replay_bytes(bytes: &[u8]) -> Replay {
    match std::str::from_utf8(bytes) {
        Ok(text) => replay_log(text),
        Err(_) => fold_read(read_log_bytes(bytes)),
    }
}

/// Folds the slices of a log read on several threads as they lie: the
/// reducer borrows each slice's events, so no list of every event is made
/// (a copy of each, on one thread), and the slices are freed on every core.
fn fold_parts(mut parts: Vec<LogRead>) -> Replay {
    // The errors in line order; a torn tail can only end the last slice.
    let torn_tail = parts.last_mut().and_then(|part| part.torn_tail.take());
    let mut bad_lines = Vec::new();
    for part in &mut parts {
        bad_lines.append(&mut part.errors);
    }
    bad_lines.extend(torn_tail);
    let mut events: Vec<&Event> = Vec::with_capacity(parts.iter().map(|p| p.events.len()).sum());
    events.extend(parts.iter().flat_map(|part| &part.events).map(|l| &l.event));
    let state = reduce_lifecycle_events(events);
    let threads = parts.len();
    drop_on_every_core(parts, threads);
    Replay { state, bad_lines }
}

fn fold_read(read: LogRead) -> Replay {
    let mut bad_lines = read.errors;
    bad_lines.extend(read.torn_tail);
    let state = reduce_lifecycle_events(read.events.into_iter().map(|logged| logged.event));
    Replay { state, bad_lines }
}

/// Folds a log file into the mission's state, reading it line by line.
///
/// The same result as [`replay_log`] over the file's text, without holding
/// the text: only the decoded events stay in memory, so replaying a large log
/// takes little more memory than its events. A line that is not UTF-8 is a
/// bad line like any other; so is a line longer than [`MAX_LINE_BYTES`],
/// which is skipped without being held in memory.
///
/// # Errors
/// The I/O error when the file cannot be opened or read; also an error when
/// a line does not end within [`MAX_LOG_BYTES`]: the input is endless
/// (`/dev/zero`) or not a log.
pub fn replay_file(path: impl AsRef<Path>) -> std::io::Result<Replay> {
    let file = File::open(path)?;
    // No event line is shorter than this: reserving for the most events the
    // file can hold means the event list never reallocates (and copies) while
    // it grows, and the pages it does not use are never touched.
    const SHORTEST_EVENT_LINE: u64 = 192;
    let most_events = file.metadata()?.len() / SHORTEST_EVENT_LINE;
    let mut events = Vec::with_capacity(usize::try_from(most_events).unwrap_or(0));
    let mut bad_lines = Vec::new();
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let limit = MAX_LINE_BYTES as u64 + 2;
        if (&mut reader).take(limit).read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        if line.len() > MAX_LINE_BYTES + 1
            || (line.len() > MAX_LINE_BYTES && !line.ends_with(b"\n"))
        {
            let why =
                format!("the line is longer than the longest line read ({MAX_LINE_BYTES} bytes)");
            bad_lines.push(LineError::new(number, None, ValidationError::new("", why)));
            skip_line(&mut reader, MAX_LOG_BYTES)?;
            continue;
        }
        let decoded = match std::str::from_utf8(&line) {
            Ok(text) => text.trim_end_matches(['\n', '\r']),
            Err(error) => {
                bad_lines.push(not_utf8(number, &line, &error));
                continue;
            }
        };
        if decoded.trim().is_empty() {
            continue;
        }
        match parse_line(number, decoded) {
            Ok(event) => events.push(event),
            Err(error) => bad_lines.push(error),
        }
    }
    Ok(Replay {
        state: reduce_lifecycle_events(events),
        bad_lines,
    })
}

/// Reads past the rest of the current line, holding none of it; an error
/// when the line does not end within `most` bytes (endless input such as
/// `/dev/zero` never does).
fn skip_line(reader: &mut impl BufRead, most: usize) -> std::io::Result<()> {
    let mut skipped = 0usize;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', buffer) {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let n = buffer.len();
                reader.consume(n);
                skipped += n;
                if skipped > most {
                    return Err(std::io::Error::other(format!(
                        "a line does not end within {most} bytes: not an event log?"
                    )));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::read_log;

    #[test]
    fn endless_input_is_an_error_not_a_hang() {
        let mut reader = BufReader::with_capacity(64, std::io::repeat(0));
        let error = skip_line(&mut reader, 1000).unwrap_err();
        assert!(error.to_string().contains("does not end within"), "{error}");
        let mut short = BufReader::new(&b"abc\ndef"[..]);
        skip_line(&mut short, 1000).unwrap();
        assert_eq!(short.fill_buf().unwrap(), b"def");
    }

    #[test]
    fn a_log_read_in_slices_replays_as_its_events_read_whole_do() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/mission.jsonl"
        ))
        .unwrap();
        // Long enough to be read in slices, with bad lines in every slice
        // and a torn tail.
        let damaged = text.replacen('\n', "\nnot an event\n\n", 3);
        let mut log = String::new();
        while log.len() < 3 << 20 {
            log.push_str(&damaged);
        }
        log.push_str("{\"event_id\":");
        let read = read_log(&log);
        let mut bad_lines = read.errors.clone();
        bad_lines.extend(read.torn_tail.clone());
        let replay = replay_log(&log);
        assert_eq!(replay.bad_lines, bad_lines);
        assert_eq!(replay.state, reduce_lifecycle_events(read.into_events()));
        assert_eq!(
            replay.bad_lines.last().map(LineError::line),
            Some(log.lines().count())
        );
        assert_eq!(replay_bytes(log.as_bytes()).state, replay.state);
    }

    #[test]
    fn a_file_replays_as_its_text_does() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/mission.jsonl"
        ))
        .unwrap();
        let mut damaged = text.replacen("\n", "\nnot an event\n", 2);
        damaged.push_str("{\"event_id\":");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, &damaged).unwrap();
        let from_file = replay_file(&path).unwrap();
        let from_text = replay_log(&damaged);
        assert_eq!(from_file.state, from_text.state);
        assert_eq!(from_file.bad_lines, from_text.bad_lines);
        assert_eq!(from_file.bad_lines.len(), 3);
        std::fs::write(&path, b"\xff\xfe\n").unwrap();
        assert_eq!(replay_file(&path).unwrap().bad_lines[0].line(), 1);
    }
}
