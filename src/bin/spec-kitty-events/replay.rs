//! `replay`: a log folded into the mission state, as a table or JSON.

use std::fmt::Write as _;

use spec_kitty_events::contract::Lane;
use spec_kitty_events::log::replay_log;
use spec_kitty_events::reduce::ReducedMissionState;

use crate::{Failure, print, read_input};

pub(crate) fn replay(path: &str, json: bool) -> Result<(), Failure> {
    let text = read_input(path)?;
    let replay = replay_log(&text);
    for error in &replay.bad_lines {
        eprintln!("{path}: {error}");
    }
    let state = &replay.state;
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
    let mut out = String::new();
    let _ = writeln!(out, "mission        {}", or_dash(state.mission_id()));
    let _ = writeln!(out, "type           {}", or_dash(state.mission_type()));
    let status = state.mission_status().map(|s| s.as_str());
    let _ = writeln!(out, "status         {}", or_dash(status));
    let _ = writeln!(out, "phase          {}", or_dash(state.current_phase()));
    let phases = state.phases_entered().join(" -> ");
    let _ = writeln!(
        out,
        "phases entered {}",
        if phases.is_empty() { "-" } else { &phases }
    );
    let _ = writeln!(out, "events         {}", state.event_count());
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<14} {:<12} {:<26} AT",
        "WORK PACKAGE", "LANE", "LAST EVENT"
    );
    // Every version's lanes; the 0.4 ones keep their relative order.
    for lane in Lane::CURRENT {
        for wp in state
            .wp_states()
            .iter()
            .filter(|wp| wp.current_lane() == lane)
        {
            let _ = writeln!(
                out,
                "{:<14} {:<12} {:<26} {}",
                wp.wp_id(),
                lane.as_str(),
                wp.last_event_id(),
                wp.last_transition_at()
            );
        }
    }
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
