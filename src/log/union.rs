//! The union of versions of one log, by event id, every line kept byte for
//! byte: what the `merge` git driver writes.
//!
//! A line is never rewritten: unknown fields, number spellings, timestamps
//! with leap seconds, nanoseconds or negative years all come out exactly as
//! they went in. A line that cannot be merged by id is refused with the
//! reason, never dropped or changed.
//!
//! The order, the same whichever side is ours:
//!
//! - when every line is a contract event (it has a `lamport_clock` and
//!   decodes), the canonical order: lamport_clock, timestamp as an instant,
//!   event_id;
//! - otherwise (spec-kitty's `status.events.jsonl` mixes lane rows without a
//!   clock, annotation rows, unclocked lifecycle envelopes, rows with a
//!   `type`): the base's lines in the base's order, then every other line
//!   ordered by its `at` text (`timestamp` when it has no `at`; none sorts
//!   first), then its event_id text. Text, not instants: spec-kitty writes
//!   `at` in one form, and a row's order must not hang on parsing it.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::contract::{Event, EventId};
use crate::log::read::{LineError, not_utf8, parse_line, shorten};

/// One side of a three-way merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The common ancestor.
    Base,
    /// Our version.
    Ours,
    /// Their version.
    Theirs,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Base => "base",
            Self::Ours => "ours",
            Self::Theirs => "theirs",
        })
    }
}

/// Why a merge was refused: a line it cannot keep, or two different lines
/// with one event id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeRefusal {
    /// A line that cannot be merged by id (not UTF-8, not a JSON object with
    /// a string `event_id`, a torn last line, or a line with a
    /// `lamport_clock` that does not decode as an event).
    Line {
        /// The side it is on.
        side: Side,
        /// What is wrong with it, with its line number.
        error: LineError,
    },
    /// Two different lines carry one event id: which one is true cannot be
    /// decided by a merge.
    Conflict {
        /// The event id.
        event_id: String,
        /// Where the first copy is: side and line.
        first: (Side, usize),
        /// Where the other copy is.
        second: (Side, usize),
    },
}

impl fmt::Display for MergeRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Line { side, error } => write!(f, "{side}: {error}"),
            Self::Conflict {
                event_id,
                first,
                second,
            } => write!(
                f,
                "conflicting copies of event {}: {} line {} and {} line {} differ",
                shorten(event_id, 40),
                first.0,
                first.1,
                second.0,
                second.1
            ),
        }
    }
}

impl std::error::Error for MergeRefusal {}

/// A line taken into the union.
struct Entry<'a> {
    side: Side,
    line: usize,
    bytes: &'a [u8],
    event_id: String,
    /// The canonical key, when the line is a contract event.
    clocked: Option<(u64, i64, EventId)>,
    /// Its `at` text, or its `timestamp` text, or nothing.
    time: String,
    /// The line's place in the base, when the base holds its id.
    base_position: Option<usize>,
}

/// The fields a line is merged by; the rest of the line is kept unread.
#[derive(Deserialize)]
struct Head {
    event_id: Option<serde_json::Value>,
    lamport_clock: Option<IgnoredAny>,
    at: Option<serde_json::Value>,
    timestamp: Option<serde_json::Value>,
}

/// The union of `base` (absent when the sides share no ancestor), `ours`
/// and `theirs` by event id, each line exactly as read (unknown fields,
/// number spellings, timestamps included), one `\n` after each.
///
/// The order, the same whichever side is ours: when every line is a
/// contract event (it has a `lamport_clock` and decodes), the canonical
/// order (lamport_clock, timestamp as an instant, event_id); otherwise, as
/// in spec-kitty's `status.events.jsonl` (lane rows without a clock,
/// annotation rows, unclocked lifecycle envelopes, rows with a `type`), the
/// base's lines in the base's order, then every other line by its `at` text
/// (`timestamp` when it has no `at`; none sorts first), then its event_id
/// text. Blank lines are dropped. Two copies of one event that differ only
/// in spelling (key order, spaces) are one event: the copy whose bytes sort
/// first is kept.
///
/// ```
/// use spec_kitty_events::log::merge_logs;
/// let base = b"{\"event_id\":\"a\",\"at\":\"1\"}\n";
/// let ours = b"{\"event_id\":\"a\",\"at\":\"1\"}\n{\"event_id\":\"c\", \"at\":\"3\"}\n";
/// let theirs = b"{\"event_id\":\"a\",\"at\":\"1\"}\n{\"event_id\":\"b\",\"at\":\"2\",\"n\":1.50}\n";
/// let merged = merge_logs(Some(base), ours, theirs).unwrap();
/// assert_eq!(
///     merged,
///     b"{\"event_id\":\"a\",\"at\":\"1\"}\n{\"event_id\":\"b\",\"at\":\"2\",\"n\":1.50}\n{\"event_id\":\"c\", \"at\":\"3\"}\n"
/// );
/// assert_eq!(merge_logs(Some(base), theirs, ours).unwrap(), merged);
/// ```
///
/// # Errors
/// Every [`MergeRefusal`] found, when there is one: nothing is merged then.
pub fn merge_logs(
    base: Option<&[u8]>,
    ours: &[u8],
    theirs: &[u8],
) -> Result<Vec<u8>, Vec<MergeRefusal>> {
    let mut refusals = Vec::new();
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let sides = [
        (Side::Base, base),
        (Side::Ours, Some(ours)),
        (Side::Theirs, Some(theirs)),
    ];
    for (side, bytes) in sides {
        let Some(bytes) = bytes else { continue };
        let complete = bytes.is_empty() || bytes.ends_with(b"\n");
        let mut lines = bytes.split(|&b| b == b'\n').enumerate().peekable();
        while let Some((index, raw)) = lines.next() {
            let last = lines.peek().is_none();
            if last && raw.is_empty() {
                break;
            }
            let mut entry = match entry(side, index + 1, raw) {
                Ok(Some(entry)) => entry,
                Ok(None) => continue,
                Err(mut error) => {
                    if last && !complete {
                        error = LineError::new(
                            error.line(),
                            error.event_id().map(str::to_owned),
                            crate::ValidationError::new(
                                error.field(),
                                format!("{} (torn last line: no newline)", error.message()),
                            ),
                        );
                    }
                    refusals.push(MergeRefusal::Line { side, error });
                    continue;
                }
            };
            match by_id.get(&entry.event_id) {
                None => {
                    if side == Side::Base {
                        entry.base_position = Some(entries.len());
                    }
                    by_id.insert(entry.event_id.clone(), entries.len());
                    entries.push(entry);
                }
                Some(&at) => {
                    let kept = &mut entries[at];
                    if kept.bytes == entry.bytes {
                        continue;
                    }
                    if same_json(kept.bytes, entry.bytes) {
                        // One event, spelled two ways: keep the spelling
                        // that sorts first, whichever side it is on.
                        if entry.bytes < kept.bytes {
                            kept.bytes = entry.bytes;
                        }
                        continue;
                    }
                    refusals.push(MergeRefusal::Conflict {
                        event_id: entry.event_id,
                        first: (kept.side, kept.line),
                        second: (side, entry.line),
                    });
                }
            }
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    if entries.iter().all(|e| e.clocked.is_some()) {
        entries.sort_by_key(|e| e.clocked);
    } else {
        // Base lines first, in base order; then the others by time text and
        // id (an event with a clock sorts by its id alone).
        entries.sort_by(|a, b| row_key(a).cmp(&row_key(b)));
    }
    let mut merged = Vec::with_capacity(entries.iter().map(|e| e.bytes.len() + 1).sum());
    for entry in &entries {
        merged.extend_from_slice(entry.bytes);
        merged.push(b'\n');
    }
    Ok(merged)
}

/// The order of a line of a log that is not all contract events.
fn row_key<'e>(entry: &'e Entry<'_>) -> (bool, Option<usize>, &'e str, &'e str) {
    (
        entry.base_position.is_none(),
        entry.base_position,
        &entry.time,
        &entry.event_id,
    )
}

/// Reads one line as a merge entry: `None` for a blank line.
fn entry(side: Side, line: usize, raw: &[u8]) -> Result<Option<Entry<'_>>, LineError> {
    let text = std::str::from_utf8(raw).map_err(|error| not_utf8(line, raw, &error))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let refuse = |why: String| LineError::new(line, None, crate::ValidationError::new("", why));
    if text.starts_with('\u{feff}') {
        // parse_line words the hint.
        return Err(parse_line(line, text)
            .err()
            .unwrap_or_else(|| refuse("a BOM".into())));
    }
    if !text.trim_start().starts_with('{') {
        return Err(refuse(
            "not a JSON object: a merge keeps only lines with an event_id".into(),
        ));
    }
    let head: Head = serde_json::from_str(text.trim_end_matches('\r'))
        .map_err(|error| refuse(format!("not valid JSON: {error}")))?;
    let event_id = match head.event_id {
        Some(serde_json::Value::String(id)) => id,
        _ => {
            return Err(LineError::new(
                line,
                None,
                crate::ValidationError::new(
                    "event_id",
                    "missing or not a string: a line is merged by its event_id",
                ),
            ));
        }
    };
    let clocked = match head.lamport_clock {
        Some(_) => {
            let event: Event = parse_line(line, text.trim_end_matches('\r'))?;
            Some((
                event.lamport_clock(),
                event.timestamp().as_microsecond(),
                event.event_id(),
            ))
        }
        None => None,
    };
    let time = match (head.at, head.timestamp) {
        (Some(serde_json::Value::String(at)), _) => at,
        (_, Some(serde_json::Value::String(timestamp))) => timestamp,
        _ => String::new(),
    };
    Ok(Some(Entry {
        side,
        line,
        bytes: raw,
        event_id,
        clocked,
        time,
        base_position: None,
    }))
}

/// Whether two lines hold the same JSON value (key order aside).
fn same_json(a: &[u8], b: &[u8]) -> bool {
    match (
        serde_json::from_slice::<serde_json::Value>(a),
        serde_json::from_slice::<serde_json::Value>(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
