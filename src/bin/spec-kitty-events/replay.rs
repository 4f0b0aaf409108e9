//! `replay`: a log folded into the mission state, as a table or JSON.

use std::fmt::Write as _;

use spec_kitty_events::contract::Lane;
use spec_kitty_events::log::replay_reader;
use spec_kitty_events::reduce::ReducedMissionState;

use crate::{Failure, Table, cannot_read, open_input, plural, print, report, report_bad_lines};

pub(crate) fn replay(path: &str, json: bool) -> Result<(), Failure> {
    // Read as a stream: the log's text is never held whole, only its events.
    let replay = replay_reader(open_input(path)?).map_err(|e| cannot_read(path, &e))?;
    report_bad_lines(path, &replay.bad_lines);
    let state = &replay.state;
    // A log of nothing but bad lines has no state to show: an empty table
    // would read as an empty mission.
    if state.event_count() == 0 && !replay.bad_lines.is_empty() {
        report(format_args!(
            "{path}: no line is an event ({}): nothing to replay",
            plural(replay.bad_lines.len(), "bad line", "bad lines")
        ));
        return Err(Failure::Problems);
    }
    if json {
        print(&format!("{}\n", state.to_json()))?;
    } else {
        print(&mission_table(state))?;
    }
    if replay.bad_lines.is_empty() && state.anomaly_count() == 0 {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}

/// The mission state as a table: the mission, then work packages by lane,
/// then anomalies.
fn mission_table(state: &ReducedMissionState) -> String {
    let or_dash = |value: Option<&str>| value.unwrap_or("-").to_owned();
    let mut mission = Table::new(&[]);
    let phases = state.phases_entered().join(" -> ");
    let status = state.mission_status().map(|s| s.as_str());
    for (name, value) in [
        ("mission", or_dash(state.mission_id())),
        ("type", or_dash(state.mission_type())),
        ("status", or_dash(status)),
        ("phase", or_dash(state.current_phase())),
        (
            "phases entered",
            if phases.is_empty() {
                "-".to_owned()
            } else {
                phases
            },
        ),
        ("events", state.event_count().to_string()),
    ] {
        mission.row(vec![name.to_owned(), value]);
    }
    let mut out = mission.render();
    let _ = writeln!(out);
    let mut wps = Table::new(&["WORK PACKAGE", "LANE", "LAST EVENT", "AT"]);
    // Every version's lanes; the 0.4 ones keep their relative order.
    for lane in Lane::CURRENT {
        for wp in state
            .wp_states()
            .iter()
            .filter(|wp| wp.current_lane() == lane)
        {
            wps.row(vec![
                wp.wp_id().to_owned(),
                lane.as_str().to_owned(),
                wp.last_event_id().to_string(),
                wp.last_transition_at().to_string(),
            ]);
        }
    }
    out.push_str(&wps.render());
    let _ = writeln!(out);
    let _ = writeln!(out, "anomalies      {}", state.anomaly_count());
    for anomaly in state.anomalies() {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            anomaly.event_id, anomaly.event_type, anomaly.reason
        );
    }
    out
}
