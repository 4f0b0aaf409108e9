//! `validate`: every line of a log checked, envelope and payload.

use std::collections::HashMap;
use std::fmt::Write as _;

use spec_kitty_events::contract::EventId;
use spec_kitty_events::log::{LineError, read_log_bytes};

use spec_kitty_events::spec_kitty::{Era, read_status_log};

use crate::status::check;
use crate::{Failure, plural, print, read_input_bytes, report, shorten};

pub(crate) fn validate(path: &str) -> Result<(), Failure> {
    let bytes = read_input_bytes(path)?;
    // spec-kitty's own status.events.jsonl is not a log of envelopes: its
    // lane and annotation rows would all be "bad events". Such a log is
    // checked by the rules of its era, as `status --check` does.
    if let Ok(text) = std::str::from_utf8(&bytes) {
        let status = read_status_log(text);
        if status.is_status_log() {
            report(format_args!(
                "{path}: spec-kitty's status log (lane and annotation rows): \
                 checked as `status --check` checks it"
            ));
            return check(&status, Era::of(&status));
        }
    }
    let read = read_log_bytes(&bytes);
    // (line, report): envelope errors, the torn tail, payload errors and
    // conflicting copies, merged into line order.
    let mut bad: Vec<(usize, String)> = read
        .errors
        .iter()
        .map(|error| (error.line(), error.to_string()))
        .collect();
    if let Some(torn) = &read.torn_tail {
        bad.push((torn.line(), format!("{torn} (torn last line: no newline)")));
    }
    let mut valid = 0usize;
    // The events of an event type this version does not know: valid
    // envelopes, payloads unchecked. Said in the summary, not as errors.
    let mut unknown: Vec<String> = Vec::new();
    // The first line of each event_id, to find a second, different copy.
    let mut first_of: HashMap<EventId, usize> = HashMap::with_capacity(read.events.len());
    for (at, logged) in read.events.iter().enumerate() {
        let event = &logged.event;
        if let Some(&first) = first_of.get(&event.event_id()) {
            let first = &read.events[first];
            if first.event != *event {
                let report = format!(
                    "line {} (event {}): conflicting copies of one event_id: differs from line {}",
                    logged.line,
                    event.event_id(),
                    first.line
                );
                bad.push((logged.line, report));
                continue;
            }
        } else {
            first_of.insert(event.event_id(), at);
        }
        match event.to_typed_payload() {
            Ok(Some(_)) => valid += 1,
            Ok(None) => {
                valid += 1;
                unknown.push(event.event_type().to_owned());
            }
            Err(error) => {
                let id = Some(event.event_id().to_string());
                let error = LineError::new(logged.line, id, error);
                bad.push((logged.line, error.to_string()));
            }
        }
    }
    bad.sort_by_key(|(line, _)| *line);
    let mut out = String::new();
    for (_, report) in &bad {
        let _ = writeln!(out, "{report}");
    }
    let errors = bad.len();
    let _ = write!(out, "{} valid", plural(valid, "event", "events"));
    if !unknown.is_empty() {
        let count = unknown.len();
        unknown.sort_unstable();
        unknown.dedup();
        let mut names: Vec<String> = unknown
            .iter()
            .take(5)
            .map(|name| format!("`{}`", shorten(name, 40)))
            .collect();
        if unknown.len() > 5 {
            names.push(format!("and {} more", unknown.len() - 5));
        }
        let _ = write!(
            out,
            " ({count} of an unknown event_type, payload not checked: {})",
            names.join(", ")
        );
    }
    let _ = writeln!(out, ", {} bad", plural(errors, "line", "lines"));
    print(&out)?;
    if errors == 0 {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}
