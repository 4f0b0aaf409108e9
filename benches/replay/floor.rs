//! The floor: parse, sort, fold, with no validation at all.
//!
//! serde_json into borrowed `&str` structs (payload raw, then the WP payload
//! read the same way), a sort by (lamport_clock, timestamp text, event_id),
//! a fold of `to_lane` per WP into a `HashMap`. serde skips white space
//! between tokens and reads fields in any order, so the same code is each
//! rendering's floor.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[allow(dead_code)] // read to pay for reading them, as the floor must
struct FloorEvent<'a> {
    event_id: &'a str,
    event_type: &'a str,
    aggregate_id: &'a str,
    #[serde(borrow)]
    payload: &'a RawValue,
    timestamp: &'a str,
    node_id: &'a str,
    lamport_clock: u64,
    causation_id: Option<&'a str>,
    project_uuid: &'a str,
    project_slug: Option<&'a str>,
    correlation_id: &'a str,
    schema_version: &'a str,
    data_tier: u8,
}

#[derive(Deserialize)]
struct FloorWp<'a> {
    wp_id: &'a str,
    to_lane: &'a str,
}

/// Parses, sorts and folds `text`; returns the number of work packages.
pub fn floor(text: &str) -> usize {
    let mut events: Vec<FloorEvent<'_>> = text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    events.sort_unstable_by(|a, b| {
        (a.lamport_clock, a.timestamp, a.event_id).cmp(&(b.lamport_clock, b.timestamp, b.event_id))
    });
    let mut lanes: HashMap<&str, &str> = HashMap::new();
    for event in &events {
        if event.event_type == "WPStatusChanged"
            && let Ok(wp) = serde_json::from_str::<FloorWp<'_>>(event.payload.get())
        {
            lanes.insert(wp.wp_id, wp.to_lane);
        }
    }
    lanes.len()
}
