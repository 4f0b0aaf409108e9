//! `validate`: every line of a log checked, envelope and payload.

use std::fmt::Write as _;

use spec_kitty_events::log::{LineError, read_log};

use crate::{Failure, plural, print, read_input};

pub(crate) fn validate(path: &str) -> Result<(), Failure> {
    let text = read_input(path)?;
    let read = read_log(&text);
    // (line, report): envelope errors, the torn tail and payload errors,
    // merged into line order.
    let mut bad: Vec<(usize, String)> = read
        .errors
        .iter()
        .map(|error| (error.line(), error.to_string()))
        .collect();
    if let Some(torn) = &read.torn_tail {
        bad.push((torn.line(), format!("{torn} (torn last line: no newline)")));
    }
    let mut valid = 0usize;
    for logged in &read.events {
        match logged.event.to_typed_payload() {
            Ok(_) => valid += 1,
            Err(error) => {
                let id = Some(logged.event.event_id().to_string());
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
    let _ = writeln!(
        out,
        "{} valid, {} bad",
        plural(valid, "event", "events"),
        plural(bad.len(), "line", "lines")
    );
    print(&out)?;
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}
