//! The status reducer's result: every work package's state and the
//! anomalies met on the way, serialized as the Python library writes them.

use std::fmt;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::contract::{DoneEvidence, EventId, Lane, Payload, Timestamp};
use crate::reduce::cores;

/// The state of one work package after a replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WpState {
    pub(super) wp_id: String,
    pub(super) current_lane: Lane,
    pub(super) last_event_id: EventId,
    pub(super) last_transition_at: Timestamp,
    pub(super) evidence: Option<DoneEvidence>,
}

impl WpState {
    /// The work package's id, e.g. `WP01`.
    pub fn wp_id(&self) -> &str {
        &self.wp_id
    }

    /// The lane it is in.
    pub fn current_lane(&self) -> Lane {
        self.current_lane
    }

    /// The event that put it there.
    pub fn last_event_id(&self) -> EventId {
        self.last_event_id
    }

    /// When that event happened, with the offset it was written with.
    pub fn last_transition_at(&self) -> Timestamp {
        self.last_transition_at
    }

    /// The evidence of completion: present exactly when the lane is `done`.
    pub fn evidence(&self) -> Option<&DoneEvidence> {
        self.evidence.as_ref()
    }
}

/// A status event the reducer could not apply, and why.
///
/// `from_lane` and `to_lane` are the event's own (null when its payload does
/// not decode); `wp_id` is `<unknown>` when the payload names none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransitionAnomaly {
    /// The event.
    pub event_id: EventId,
    /// The work package it names.
    pub wp_id: String,
    /// The lane it claims to leave.
    pub from_lane: Option<Lane>,
    /// The lane it wants to enter.
    pub to_lane: Option<Lane>,
    /// Why it was not applied, in words.
    pub reason: String,
}

/// The result of [`reduce_status_events`](crate::reduce::reduce_status_events): every work package's state, and
/// the anomalies met on the way.
///
/// It serializes as the Python library's `ReducedStatus`:
/// `{"wp_states":{…},"anomalies":[…],"event_count":n,"last_processed_event_id":…}`,
/// with `wp_states` keyed by wp_id in the order the work packages first
/// entered a lane.
#[derive(Debug, Clone, Default)]
pub struct ReducedStatus {
    pub(super) wp_states: Vec<WpState>,
    /// Payloads that do not decode: the reference reports them before any
    /// other anomaly, whatever their place in the log.
    pub(super) undecodable: Vec<TransitionAnomaly>,
    /// The anomalies of closed concurrency groups.
    pub(super) anomalies: Vec<TransitionAnomaly>,
    /// The open group's anomalies, work package by work package (the
    /// projector's state between two groups).
    pub(super) open: Vec<OpenBucket>,
    pub(super) event_count: usize,
    pub(super) last_processed_event_id: Option<EventId>,
}

/// One work package's anomalies in the open group: forward moves, then
/// rollbacks, as the group applies them.
#[derive(Debug, Clone, Default)]
pub(super) struct OpenBucket {
    pub(super) forward: Vec<TransitionAnomaly>,
    pub(super) rollback: Vec<TransitionAnomaly>,
}

impl PartialEq for ReducedStatus {
    fn eq(&self, other: &Self) -> bool {
        self.wp_states == other.wp_states
            && self.event_count == other.event_count
            && self.last_processed_event_id == other.last_processed_event_id
            && self.anomalies().eq(other.anomalies())
    }
}

impl Eq for ReducedStatus {}

impl ReducedStatus {
    /// Every work package that entered a lane, in the order it first did.
    pub fn wp_states(&self) -> &[WpState] {
        &self.wp_states
    }

    /// One work package's state.
    pub fn wp_state(&self, wp_id: &str) -> Option<&WpState> {
        self.wp_states.iter().find(|state| state.wp_id == wp_id)
    }

    /// The events that were not applied: first those whose payload does not
    /// decode, then the others, each in the order of the log.
    pub fn anomalies(&self) -> impl Iterator<Item = &TransitionAnomaly> + Clone {
        self.undecodable.iter().chain(&self.anomalies).chain(
            self.open
                .iter()
                .flat_map(|bucket| bucket.forward.iter().chain(&bucket.rollback)),
        )
    }

    /// How many anomalies [`anomalies`](Self::anomalies) yields.
    pub fn anomaly_count(&self) -> usize {
        let open: usize = self
            .open
            .iter()
            .map(|bucket| bucket.forward.len() + bucket.rollback.len())
            .sum();
        self.undecodable.len() + self.anomalies.len() + open
    }

    /// How many distinct `WPStatusChanged` events the input held.
    pub fn event_count(&self) -> usize {
        self.event_count
    }

    /// The last `WPStatusChanged` event in the canonical order.
    pub fn last_processed_event_id(&self) -> Option<EventId> {
        self.last_processed_event_id
    }

    /// The result as the Python library writes it: what its `Serialize`
    /// writes, the work packages written on every core (a large table).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        write_wp_states_onward(
            &mut out,
            &self.wp_states,
            &AnomaliesJson(self.anomalies()),
            self.event_count,
            self.last_processed_event_id,
        );
        out
    }
}

/// From this many work packages on, the table is written on every core:
/// a work package takes about a microsecond to write, a thread tens of
/// microseconds to start (an estimate, as `cores::PARALLEL_MIN`).
const WRITE_PARALLEL_MIN: usize = 1024;

/// Appends `value` as compact JSON.
pub(crate) fn push_json(out: &mut String, value: &impl Serialize) {
    // Serializing the reducers' results into a string cannot fail: every
    // map key is a string.
    out.push_str(&serde_json::to_string(value).unwrap_or_default());
}

/// Appends the fields both reducers' results end with, from the WP table
/// to the closing brace, as their `Serialize` writes them:
/// `"wp_states":{…},"anomalies":[…],"event_count":…,"last_processed_event_id":…}`.
pub(crate) fn write_wp_states_onward(
    out: &mut String,
    states: &[WpState],
    anomalies: &impl Serialize,
    event_count: usize,
    last_processed_event_id: Option<EventId>,
) {
    out.push_str("\"wp_states\":");
    write_wp_states(out, states);
    out.push_str(",\"anomalies\":");
    push_json(out, anomalies);
    out.push_str(",\"event_count\":");
    push_json(out, &event_count);
    out.push_str(",\"last_processed_event_id\":");
    push_json(out, &last_processed_event_id);
    out.push('}');
}

/// Appends `states` as [`WpStatesJson`] writes them, byte for byte: the
/// table cut into consecutive parts, each written by its own thread, then
/// joined in order.
fn write_wp_states(out: &mut String, states: &[WpState]) {
    let threads = cores::threads_from(states.len(), WRITE_PARALLEL_MIN);
    let parts = cores::map_parts(states, threads, |part| {
        serde_json::to_string(&WpStatesJson(part)).unwrap_or_default()
    });
    // Made to size once: grown by doubling, the table's text would be
    // copied on this thread about once more.
    out.reserve(parts.iter().map(String::len).sum());
    out.push('{');
    for (n, part) in parts.iter().enumerate() {
        // Each part is an object: its entries are what lies between its
        // braces (an empty table is one part, `{}`).
        let entries = part
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or_default();
        if n > 0 && !entries.is_empty() {
            out.push(',');
        }
        out.push_str(entries);
    }
    out.push('}');
}

/// Writes `wp_states` as a JSON object keyed by wp_id, keeping its order.
pub(crate) struct WpStatesJson<'a>(pub(crate) &'a [WpState]);

impl Serialize for WpStatesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for state in self.0 {
            map.serialize_entry(&state.wp_id, state)?;
        }
        map.end()
    }
}

/// Writes an iterator of anomalies as a JSON array.
pub(crate) struct AnomaliesJson<I>(pub(crate) I);

impl<T: Serialize, I: Iterator<Item = T> + Clone> Serialize for AnomaliesJson<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

impl Serialize for ReducedStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ReducedStatus", 4)?;
        out.serialize_field("wp_states", &WpStatesJson(&self.wp_states))?;
        out.serialize_field("anomalies", &AnomaliesJson(self.anomalies()))?;
        out.serialize_field("event_count", &self.event_count)?;
        out.serialize_field("last_processed_event_id", &self.last_processed_event_id)?;
        out.end()
    }
}

impl fmt::Display for ReducedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// The wp_id a payload names, even one that does not decode.
pub(super) fn wp_id_of(payload: &Payload) -> String {
    match payload.field::<String>("wp_id") {
        Ok(Some(id)) => id,
        _ => "<unknown>".to_owned(),
    }
}
