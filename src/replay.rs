//! Replaying a log's text into mission state: reading and folding in one call.

use crate::jsonl::{LineError, read_log};
use crate::lifecycle::{ReducedMissionState, reduce_lifecycle_events};

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
/// use spec_kitty_events::replay_log;
/// let log = concat!(
///     r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","payload":{"mission_id":"M1","mission_type":"software-dev","initial_phase":"specify","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#,
///     "\nnot an event\n",
/// );
/// let replay = replay_log(log);
/// assert_eq!(replay.state.current_phase(), Some("specify"));
/// assert_eq!(replay.bad_lines[0].line(), 2);
/// ```
pub fn replay_log(text: &str) -> Replay {
    let read = read_log(text);
    let mut bad_lines = read.errors;
    bad_lines.extend(read.torn_tail);
    let state = reduce_lifecycle_events(read.events.into_iter().map(|logged| logged.event));
    Replay { state, bad_lines }
}
