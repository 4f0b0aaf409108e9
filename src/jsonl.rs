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
//! use spec_kitty_events::jsonl::read_log;
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

use crate::error::ValidationError;
use crate::event::Event;

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
        write!(f, "line {}", self.line)?;
        if let Some(id) = &self.event_id {
            write!(f, " (event {id})")?;
        }
        if self.field().is_empty() {
            write!(f, ": {}", self.message())
        } else {
            write!(f, ": field `{}`: {}", self.field(), self.message())
        }
    }
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
pub fn read_log(text: &str) -> LogRead {
    let mut read = LogRead::default();
    let complete = text.ends_with('\n');
    let mut lines = text.lines().enumerate().peekable();
    while let Some((index, line)) = lines.next() {
        let number = index + 1;
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
/// # Errors
/// A [`LineError`] for line `number`, with the event id when the line has a
/// readable one.
pub fn parse_line(number: usize, line: &str) -> Result<Event, LineError> {
    Event::from_json(line).map_err(|error| LineError::new(number, salvage_event_id(line), error))
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
    fn the_error_names_line_event_and_field() {
        let bad = GOOD.replace("\"node_id\":\"cli\"", "\"node_id\":\"\"");
        let error = parse_line(9, &bad).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 9 (event 01JKQ4V7C00000000000000001): field `node_id`: must not be empty"
        );
    }
}
