//! Reading event logs in JSON Lines: the one decoding path for log text.
//!
//! A log is one [`Event`] per line. Blank lines are skipped. A line that does
//! not decode becomes a [`LineError`] that names the line, the event id when
//! one can be read, the field and the reason; reading goes on with the next
//! line, so one bad line never hides the rest of the log.
//!
//! A last line with no newline that does not decode is reported apart, as a
//! [torn tail](LogRead::torn_tail): it is what a writer killed mid-append
//! leaves behind, and stores treat it as a warning, not as corruption.
//!
//! ```
//! use spec_kitty_events::log::read_log;
//! let log = concat!(
//!     r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Note","aggregate_id":"M1","timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#, "\n",
//!     r#"{"event_id":"01JKQ4V7C00000000000000002","event_type":"Note","aggregate_id":"M1","timestamp":"2026-02-09T11:00:02Z","node_id":"cli","lamport_clock":-2,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#, "\n",
//! );
//! let read = read_log(log);
//! assert_eq!(read.events.len(), 1);
//! let error = &read.errors[0];
//! assert_eq!((error.line(), error.field()), (2, "lamport_clock"));
//! assert_eq!(error.event_id(), Some("01JKQ4V7C00000000000000002"));
//! ```

use std::fmt;

use crate::contract::{Event, SharedText};
use crate::error::ValidationError;
use crate::log::limits::MAX_LINE_BYTES;

/// A line of a log that could not be read as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    line: usize,
    event_id: Option<String>,
    error: ValidationError,
}

impl LineError {
    /// A decoding failure on line `line` (1-based).
    pub fn new(line: usize, event_id: Option<String>, error: ValidationError) -> Self {
        Self {
            line,
            event_id,
            error,
        }
    }

    /// The line number, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The line's `event_id`, when it could be read at all.
    pub fn event_id(&self) -> Option<&str> {
        self.event_id.as_deref()
    }

    /// The offending field (`payload.to_lane`); `""` when the line is not an
    /// object at all.
    pub fn field(&self) -> &str {
        self.error.field()
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        self.error.message()
    }

    /// The underlying validation error.
    pub fn validation_error(&self) -> &ValidationError {
        &self.error
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A hostile line can hold megabytes in its id or in the value an
        // error quotes: each is shortened, so a report stays readable.
        write!(f, "line {}", self.line)?;
        if let Some(id) = &self.event_id {
            write!(f, " (event {})", shorten(id, 40))?;
        }
        let message = shorten(self.message(), 300);
        if self.field().is_empty() {
            write!(f, ": {message}")
        } else {
            write!(f, ": field `{}`: {message}", shorten(self.field(), 80))
        }
    }
}

/// `text` itself when it has at most `most` characters; else its start,
/// its end and how long it was.
pub(crate) fn shorten(text: &str, most: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= most {
        return text.into();
    }
    let head: String = text.chars().take(most / 2).collect();
    let tail_chars = most / 4;
    let skip = text.chars().count() - tail_chars;
    let tail: String = text.chars().skip(skip).collect();
    format!("{head}…{tail} ({} bytes)", text.len()).into()
}

impl std::error::Error for LineError {}

/// What [`read_log`] found in a log.
#[derive(Debug, Clone, Default)]
pub struct LogRead {
    /// The events that decoded, in file order, with their line numbers.
    pub events: Vec<LoggedEvent>,
    /// Every line that did not decode, except a torn tail.
    pub errors: Vec<LineError>,
    /// A last line with no newline that did not decode: an interrupted append.
    pub torn_tail: Option<LineError>,
}

impl LogRead {
    /// The events alone, in file order.
    pub fn into_events(self) -> Vec<Event> {
        self.events.into_iter().map(|logged| logged.event).collect()
    }
}

/// An event and the line it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedEvent {
    /// The line number, from 1.
    pub line: usize,
    /// The event.
    pub event: Event,
}

/// Reads every line of `text`; never fails, never panics.
///
/// A large log is read by several threads, one slice of whole lines each (as
/// many as the machine has cores, at most [`MAX_READERS`]); the result is the
/// same as reading it line by line.
pub fn read_log(text: &str) -> LogRead {
    let mut parts = read_parts(text);
    if parts.len() == 1 {
        return parts.pop().unwrap_or_default();
    }
    let mut read = LogRead::default();
    read.events
        .reserve(parts.iter().map(|p| p.events.len()).sum());
    for part in parts {
        read.events.extend(part.events);
        read.errors.extend(part.errors);
        read.torn_tail = part.torn_tail;
    }
    read
}

/// What [`read_log`] reads of each slice of `text`, in order: one slice of
/// whole lines a thread, or the whole text when it is small.
pub(crate) fn read_parts(text: &str) -> Vec<LogRead> {
    let readers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_READERS);
    let slices = split_at_lines(text, readers);
    if slices.len() == 1 {
        return vec![read_slice(text, 0)];
    }
    // Counted on this thread before the slices are read: the last slice's
    // lines number no later slice, so they are not counted.
    let mut first_lines = Vec::with_capacity(slices.len());
    let mut lines_before = 0;
    for slice in &slices {
        first_lines.push(lines_before);
        if first_lines.len() < slices.len() {
            lines_before += memchr::memchr_iter(b'\n', slice.as_bytes()).count();
        }
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = slices
            .iter()
            .zip(&first_lines)
            .map(|(slice, &first)| scope.spawn(move || read_slice(slice, first)))
            .collect();
        handles
            .into_iter()
            // A reader thread only decodes; it has nothing that panics. Were
            // one to, its slice would be read again on this thread.
            .zip(slices.iter().zip(&first_lines))
            .map(|(handle, (slice, &first))| {
                handle.join().unwrap_or_else(|_| read_slice(slice, first))
            })
            .collect()
    })
}

/// Reads every line of `bytes`, which need not be UTF-8; never fails,
/// never panics.
///
/// A line that is not UTF-8 is a [`LineError`] naming its line and the
/// column of the first bad byte, and reading goes on with the next line:
/// one bad byte never hides the rest of the log. Otherwise the same as
/// [`read_log`].
pub fn read_log_bytes(bytes: &[u8]) -> LogRead {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return read_log(text);
    }
    let mut read = LogRead::default();
    let complete = bytes.ends_with(b"\n");
    let mut lines = bytes.split(|&b| b == b'\n').enumerate().peekable();
    while let Some((index, line)) = lines.next() {
        let number = index + 1;
        if lines.peek().is_none() && line.is_empty() {
            break;
        }
        let parsed = match std::str::from_utf8(line) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => parse_line(number, text.strip_suffix('\r').unwrap_or(text)),
            Err(error) => Err(not_utf8(number, line, &error)),
        };
        match parsed {
            Ok(event) => read.events.push(LoggedEvent {
                line: number,
                event,
            }),
            Err(error) if lines.peek().is_none() && !complete => read.torn_tail = Some(error),
            Err(error) => read.errors.push(error),
        }
    }
    read
}

/// The error for a line that is not UTF-8.
pub(crate) fn not_utf8(number: usize, line: &[u8], error: &std::str::Utf8Error) -> LineError {
    let at = error.valid_up_to();
    let why = format!(
        "not UTF-8: byte 0x{:02x} at column {} (save the log as UTF-8)",
        line.get(at).copied().unwrap_or(0),
        at + 1
    );
    LineError::new(number, None, ValidationError::new("", why))
}

/// The most threads [`read_log`] uses.
pub const MAX_READERS: usize = 4;

/// Below this size a log is read on the calling thread: starting threads
/// would cost more than they save.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Cuts `text` into at most `parts` slices of whole lines (each but the last
/// ends with a newline); one slice when it is too small to share out.
fn split_at_lines(text: &str, parts: usize) -> Vec<&str> {
    if parts <= 1 || text.len() < PARALLEL_FROM_BYTES {
        return vec![text];
    }
    // The cuts fall just after a newline byte: always a char boundary.
    let mut start = 0;
    split_bytes_at_lines(text.as_bytes(), parts)
        .into_iter()
        .map(|slice| {
            let part = &text[start..start + slice.len()];
            start += slice.len();
            part
        })
        .collect()
}

/// Cuts `bytes` into at most `parts` slices of whole lines (each but the
/// last ends with a newline), of about equal size.
pub(crate) fn split_bytes_at_lines(bytes: &[u8], parts: usize) -> Vec<&[u8]> {
    let mut slices = Vec::with_capacity(parts);
    let mut rest = bytes;
    for remaining in (2..=parts).rev() {
        let target = rest.len() / remaining;
        match memchr::memchr(b'\n', &rest[target..]) {
            Some(offset) => {
                let (slice, tail) = rest.split_at(target + offset + 1);
                slices.push(slice);
                rest = tail;
            }
            None => break,
        }
    }
    slices.push(rest);
    slices
}

/// Reads the lines of `text`, numbering them from `lines_before + 1`.
fn read_slice(text: &str, lines_before: usize) -> LogRead {
    // The slice's events share the long texts they repeat.
    let _shared = SharedText::start();
    let mut read = LogRead::default();
    let complete = text.ends_with('\n');
    let mut lines = text.lines().enumerate().peekable();
    while let Some((index, line)) = lines.next() {
        let number = lines_before + index + 1;
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(number, line) {
            Ok(event) => read.events.push(LoggedEvent {
                line: number,
                event,
            }),
            Err(error) if lines.peek().is_none() && !complete => read.torn_tail = Some(error),
            Err(error) => read.errors.push(error),
        }
    }
    read
}

/// Reads one line as an event.
///
/// A line longer than [`MAX_LINE_BYTES`] is refused unread; a byte-order
/// mark, a float or out-of-range integer, and a line cut off inside a field
/// name get a message that says so (and how to fix it).
///
/// # Errors
/// A [`LineError`] for line `number`, with the event id when the line has a
/// readable one.
pub fn parse_line(number: usize, line: &str) -> Result<Event, LineError> {
    if line.len() > MAX_LINE_BYTES {
        let why = format!(
            "the line is {} bytes, longer than the longest line read ({MAX_LINE_BYTES})",
            line.len()
        );
        return Err(LineError::new(number, None, ValidationError::new("", why)));
    }
    if let Some(rest) = line.strip_prefix('\u{feff}') {
        let why = "the line starts with a UTF-8 byte-order mark (BOM): save the log as UTF-8 without a BOM";
        let id = salvage_event_id(rest);
        return Err(LineError::new(number, id, ValidationError::new("", why)));
    }
    Event::from_json(line)
        .map_err(|error| LineError::new(number, salvage_event_id(line), explain(line, error)))
}

/// Rewrites the decoder's messages that would mislead a reader of the log.
fn explain(line: &str, error: ValidationError) -> ValidationError {
    let field = error.field();
    // serde_json reads an integer past u64 as a float, and says "floating
    // point `1.8446744073709552e19`": quote the number as written instead.
    if error.message().starts_with("invalid type: floating point")
        && !field.is_empty()
        && !field.contains('.')
        && let Some(number) = raw_number(line, field)
    {
        let integer = number.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        let message = if integer {
            format!("integer `{number}` is out of range")
        } else {
            format!("`{number}` is not an integer: write it without a fraction or exponent")
        };
        return ValidationError::new(field, message);
    }
    // A line cut off where a field name is due: serde names the field `?`.
    if field == "?" || field.ends_with(".?") {
        let parent = field.strip_suffix('?').unwrap_or("").trim_end_matches('.');
        let of = if parent.is_empty() {
            String::new()
        } else {
            format!(" of `{parent}`")
        };
        let message = if error.message().contains("while parsing a string") {
            format!(
                "the line ends inside a field name{of} (`{}…`): {}",
                partial_name(line),
                error.message()
            )
        } else {
            let after =
                last_field(line).map_or(String::new(), |name| format!(" after field `{name}`"));
            format!(
                "the line ends{after}{of}, before the object closes: {}",
                error.message()
            )
        };
        return ValidationError::new(parent, message);
    }
    error
}

/// The name of the last field whose value the line holds.
fn last_field(line: &str) -> Option<&str> {
    let colon = line.rfind("\":")?;
    let start = line[..colon].rfind('"')? + 1;
    Some(&line[start..colon])
}

/// The number written for top-level `field` in `line`, as written.
fn raw_number<'a>(line: &'a str, field: &str) -> Option<&'a str> {
    let key = format!("\"{field}\"");
    let after = &line[line.find(&key)? + key.len()..];
    let value = after.trim_start().strip_prefix(':')?.trim_start();
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(value.len());
    Some(&value[..end]).filter(|number| !number.is_empty())
}

/// The start of the field name a line was cut off in.
fn partial_name(line: &str) -> &str {
    let start = line.rfind('"').map_or(0, |at| at + 1);
    &line[start..]
}

/// The `event_id` of a line that did not decode, if the line is a JSON object
/// with a string `event_id`.
fn salvage_event_id(line: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        event_id: Option<serde_json::Value>,
    }
    let id = serde_json::from_str::<IdOnly>(line).ok()?.event_id?;
    id.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Note","aggregate_id":"M1","timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#;

    #[test]
    fn a_torn_last_line_is_reported_apart() {
        let torn = &GOOD[..GOOD.len() / 2];
        let read = read_log(&format!("{GOOD}\n{torn}"));
        assert_eq!(read.events.len(), 1);
        assert!(read.errors.is_empty());
        assert_eq!(read.torn_tail.map(|e| e.line()), Some(2));
    }

    #[test]
    fn a_bad_line_with_a_newline_is_an_error_and_reading_goes_on() {
        let read = read_log(&format!("{GOOD}\n{{\"event_id\":7}}\n\n{GOOD}\n"));
        assert_eq!(read.events.len(), 2);
        assert_eq!(read.events[1].line, 4);
        assert_eq!(read.errors.len(), 1);
        assert_eq!(read.errors[0].line(), 2);
        assert_eq!(read.errors[0].event_id(), None);
        assert!(read.torn_tail.is_none());
    }

    #[test]
    fn a_large_log_read_in_slices_reads_as_one() {
        let bad = GOOD.replace("\"node_id\":\"cli\"", "\"node_id\":\"\"");
        let mut text = String::new();
        let mut line = 0;
        while text.len() < 3 * PARALLEL_FROM_BYTES {
            line += 1;
            text.push_str(if line % 97 == 0 { &bad } else { GOOD });
            text.push('\n');
            if line % 89 == 0 {
                text.push('\n');
            }
        }
        text.push_str(&GOOD[..40]);
        let slices = split_at_lines(&text, 4);
        assert_eq!(slices.len(), 4);
        assert_eq!(slices.concat(), text);
        let whole = read_slice(&text, 0);
        let parallel = read_log(&text);
        assert_eq!(parallel.events, whole.events);
        assert_eq!(parallel.errors, whole.errors);
        assert_eq!(parallel.torn_tail, whole.torn_tail);
        assert!(whole.torn_tail.is_some() && !whole.errors.is_empty());
    }

    #[test]
    fn the_error_names_line_event_and_field() {
        let bad = GOOD.replace("\"node_id\":\"cli\"", "\"node_id\":\"\"");
        let error = parse_line(9, &bad).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 9 (event 01JKQ4V7C00000000000000001): field `node_id`: must not be empty"
        );
    }
}
