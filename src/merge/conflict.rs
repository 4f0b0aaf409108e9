//! [`state_machine_merge`]: resolving concurrent updates of one aggregate by
//! state priority.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::contract::Event;
use crate::error::{Result, ValidationError};

/// The payload key [`state_machine_merge`] reads by default. With this key
/// (and only with it) an event without `state` is read from `status`.
pub const DEFAULT_STATE_KEY: &str = "state";

/// The payload key read when an event has no [`DEFAULT_STATE_KEY`].
const FALLBACK_STATE_KEY: &str = "status";

/// The outcome of [`state_machine_merge`]: the event whose state wins, and
/// why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictResolution {
    merged_event: Event,
    resolution_note: String,
    conflicting_events: Vec<Event>,
}

impl ConflictResolution {
    /// The winning event.
    pub fn merged_event(&self) -> &Event {
        &self.merged_event
    }

    /// How the winner was chosen, in words (the Python library's wording).
    pub fn resolution_note(&self) -> &str {
        &self.resolution_note
    }

    /// Whether a person must decide: always `false`, since a priority map
    /// decides every conflict.
    pub fn requires_manual_review(&self) -> bool {
        false
    }

    /// Every event that was merged, in input order (the winner included).
    pub fn conflicting_events(&self) -> &[Event] {
        &self.conflicting_events
    }

    /// The winner and the merged events, by value.
    pub fn into_parts(self) -> (Event, Vec<Event>) {
        (self.merged_event, self.conflicting_events)
    }
}

/// Picks one of several concurrent events by the priority of the state each
/// one sets.
///
/// All `events` must share `lamport_clock` and `aggregate_id` (they are
/// concurrent updates of one aggregate). Each event's state is the string at
/// `payload[state_key]`; with [`DEFAULT_STATE_KEY`], an event without `state`
/// (or with `state: null`) is read from `status`. The state with the highest
/// priority in `priority_map` wins; among events in that state, the smallest
/// `node_id` wins, then the smallest `event_id` — so the winner never depends
/// on input order (the Python library takes the first in input order there).
///
/// # Errors
/// [`Error::Validation`](crate::Error::Validation) with the field
/// - `events` when `events` is empty;
/// - `lamport_clock` or `aggregate_id` when an event differs from the first
///   in it;
/// - `payload.<state_key>` when an event has no state, a state that is not a
///   string, or a state `priority_map` does not know.
///
/// ```
/// use std::collections::BTreeMap;
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::merge::{state_machine_merge, DEFAULT_STATE_KEY};
/// let event = |id: &str, node: &str, state: &str| Event::from_json(&format!(
///     r#"{{"event_id":"{id}","event_type":"StateSet","aggregate_id":"A","payload":{{"state":"{state}"}},"timestamp":"2026-02-09T11:00:01Z","node_id":"{node}","lamport_clock":7,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#));
/// let priorities = BTreeMap::from([("done".to_owned(), 3), ("doing".to_owned(), 1)]);
/// let merged = state_machine_merge(
///     &[event("01JKQ4V7C00000000000000001", "laptop", "doing")?,
///       event("01JKQ4V7C00000000000000002", "ci", "done")?],
///     &priorities,
///     DEFAULT_STATE_KEY,
/// )?;
/// assert_eq!(merged.merged_event().node_id(), "ci");
/// assert_eq!(merged.resolution_note(), "Selected state 'done' (priority=3) from node 'ci' over 1 conflicting states");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn state_machine_merge(
    events: &[Event],
    priority_map: &BTreeMap<String, i64>,
    state_key: &str,
) -> Result<ConflictResolution> {
    let Some(first) = events.first() else {
        return Err(ValidationError::new("events", "cannot merge an empty list of events").into());
    };
    let mut candidates = Vec::with_capacity(events.len());
    for event in events {
        if event.lamport_clock() != first.lamport_clock() {
            return Err(ValidationError::new(
                "lamport_clock",
                format!(
                    "events to merge share one clock: {} has {}, {} has {}",
                    event.event_id(),
                    event.lamport_clock(),
                    first.event_id(),
                    first.lamport_clock()
                ),
            )
            .into());
        }
        if event.aggregate_id() != first.aggregate_id() {
            return Err(ValidationError::new(
                "aggregate_id",
                format!(
                    "events to merge share one aggregate: {} is of {:?}, {} of {:?}",
                    event.event_id(),
                    event.aggregate_id(),
                    first.event_id(),
                    first.aggregate_id()
                ),
            )
            .into());
        }
        let state = read_state(event, state_key)?;
        let Some(&priority) = priority_map.get(&state) else {
            let known: Vec<&String> = priority_map.keys().collect();
            return Err(ValidationError::new(
                format!("payload.{state_key}"),
                format!(
                    "state {state:?} of event {} is not in the priority map (known: {known:?})",
                    event.event_id()
                ),
            )
            .into());
        };
        candidates.push((priority, state, event));
    }

    let Some((priority, state, winner)) = candidates.iter().min_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.2.node_id().cmp(b.2.node_id()))
            .then_with(|| a.2.event_id().cmp(&b.2.event_id()))
    }) else {
        return Err(ValidationError::new("events", "cannot merge an empty list of events").into());
    };
    let resolution_note = if events.len() == 1 {
        format!("Single event, no conflict: state={state}")
    } else if candidates.iter().all(|(_, s, _)| s == state) {
        format!(
            "All events have same state: {state} (tiebroken by node '{}')",
            winner.node_id()
        )
    } else {
        format!(
            "Selected state '{state}' (priority={priority}) from node '{}' over {} conflicting states",
            winner.node_id(),
            events.len() - 1
        )
    };
    Ok(ConflictResolution {
        merged_event: (*winner).clone(),
        resolution_note,
        conflicting_events: events.to_vec(),
    })
}

fn read_state(event: &Event, state_key: &str) -> Result<String> {
    let mut payload = event.payload().to_map();
    let mut value = payload.remove(state_key).filter(|v| !v.is_null());
    let mut key = state_key;
    if value.is_none() && state_key == DEFAULT_STATE_KEY {
        value = payload.remove(FALLBACK_STATE_KEY).filter(|v| !v.is_null());
        key = FALLBACK_STATE_KEY;
    }
    match value {
        Some(Value::String(state)) => Ok(state),
        Some(other) => Err(ValidationError::new(
            format!("payload.{key}"),
            format!(
                "must be a string, found {other} in event {}",
                event.event_id()
            ),
        )
        .into()),
        None => Err(ValidationError::new(
            format!("payload.{state_key}"),
            if state_key == DEFAULT_STATE_KEY {
                format!(
                    "event {} has neither `state` nor `status`",
                    event.event_id()
                )
            } else {
                format!("event {} has no `{state_key}`", event.event_id())
            },
        )
        .into()),
    }
}
