//! The lifecycle reducer's result: the mission's state, its work packages'
//! and every anomaly, serialized as the Python library writes them.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::contract::event_types::WP_STATUS_CHANGED;
use crate::contract::{EventId, MissionStatus};
use crate::reduce::status::{
    AnomaliesJson, ReducedStatus, TransitionAnomaly, WpState, WpStatesJson, push_json,
    write_wp_states_onward,
};

/// A lifecycle event the reducer could not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleAnomaly {
    /// The event.
    pub event_id: EventId,
    /// Its event_type.
    pub event_type: String,
    /// Why it was not applied (or, for a causation inversion, why it was
    /// applied later than its clock says), in words.
    pub reason: String,
}

impl LifecycleAnomaly {
    /// A work package's anomaly, as the lifecycle reports it.
    pub(super) fn from_transition(anomaly: &TransitionAnomaly) -> Self {
        Self {
            event_id: anomaly.event_id,
            event_type: WP_STATUS_CHANGED.to_owned(),
            reason: format!("WP {}: {}", anomaly.wp_id, anomaly.reason),
        }
    }
}

/// The mission's own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Mission {
    pub(super) mission_id: Option<String>,
    pub(super) mission_type: Option<String>,
    pub(super) status: Option<MissionStatus>,
    pub(super) current_phase: Option<String>,
    pub(super) phases_entered: Vec<String>,
}

/// The result of [`reduce_lifecycle_events`](crate::reduce::reduce_lifecycle_events).
///
/// It serializes exactly as the Python library's `ReducedMissionState`:
/// `mission_id`, `mission_status`, `mission_type`, `current_phase`,
/// `phases_entered`, `wp_states` (an object keyed by wp_id, in the order the
/// work packages first entered a lane), `anomalies`, `event_count`,
/// `last_processed_event_id`; absent values are `null`.
///
/// The anomalies come in runs, each in application order: causation
/// inversions; mission anomalies; work package payloads that do not decode;
/// other work package anomalies. That is the Python reference's order (it
/// replays the mission before delegating to the status reducer, which
/// decodes every payload before it replays).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReducedMissionState {
    pub(super) mission: Mission,
    pub(super) lineage_anomalies: Vec<LifecycleAnomaly>,
    pub(super) mission_anomalies: Vec<LifecycleAnomaly>,
    pub(super) wps: ReducedStatus,
    pub(super) event_count: usize,
    pub(super) last_processed_event_id: Option<EventId>,
}

impl ReducedMissionState {
    /// The mission's id, once started.
    pub fn mission_id(&self) -> Option<&str> {
        self.mission.mission_id.as_deref()
    }

    /// The mission's status; `None` before `MissionStarted`.
    pub fn mission_status(&self) -> Option<MissionStatus> {
        self.mission.status
    }

    /// The kind of mission, once started.
    pub fn mission_type(&self) -> Option<&str> {
        self.mission.mission_type.as_deref()
    }

    /// The phase the mission is in.
    pub fn current_phase(&self) -> Option<&str> {
        self.mission.current_phase.as_deref()
    }

    /// Every phase entered, in order: the initial phase, then one entry per
    /// applied `PhaseEntered` or `ReviewRollback`, repeats included.
    pub fn phases_entered(&self) -> &[String] {
        &self.mission.phases_entered
    }

    /// Every work package that entered a lane, in the order it first did.
    pub fn wp_states(&self) -> &[WpState] {
        self.wps.wp_states()
    }

    /// One work package's state.
    pub fn wp_state(&self, wp_id: &str) -> Option<&WpState> {
        self.wps.wp_state(wp_id)
    }

    /// Every anomaly, in the order it is serialized.
    pub fn anomalies(&self) -> impl Iterator<Item = LifecycleAnomaly> + Clone + '_ {
        self.lineage_anomalies
            .iter()
            .chain(&self.mission_anomalies)
            .cloned()
            .chain(self.wps.anomalies().map(LifecycleAnomaly::from_transition))
    }

    /// How many anomalies [`anomalies`](Self::anomalies) yields.
    pub fn anomaly_count(&self) -> usize {
        self.lineage_anomalies.len() + self.mission_anomalies.len() + self.wps.anomaly_count()
    }

    /// How many distinct events, of any type, the input held.
    pub fn event_count(&self) -> usize {
        self.event_count
    }

    /// The last event in the application order.
    pub fn last_processed_event_id(&self) -> Option<EventId> {
        self.last_processed_event_id
    }

    /// The result as the Python library writes it: what its `Serialize`
    /// writes, the work packages written on every core (a large table).
    pub fn to_json(&self) -> String {
        let mission = &self.mission;
        let mut out = String::from("{\"mission_id\":");
        push_json(&mut out, &mission.mission_id);
        out.push_str(",\"mission_status\":");
        push_json(&mut out, &mission.status);
        out.push_str(",\"mission_type\":");
        push_json(&mut out, &mission.mission_type);
        out.push_str(",\"current_phase\":");
        push_json(&mut out, &mission.current_phase);
        out.push_str(",\"phases_entered\":");
        push_json(&mut out, &mission.phases_entered);
        out.push(',');
        write_wp_states_onward(
            &mut out,
            self.wps.wp_states(),
            &AnomaliesJson(self.anomalies()),
            self.event_count,
            self.last_processed_event_id,
        );
        out
    }
}

impl Serialize for ReducedMissionState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ReducedMissionState", 9)?;
        out.serialize_field("mission_id", &self.mission.mission_id)?;
        out.serialize_field("mission_status", &self.mission.status)?;
        out.serialize_field("mission_type", &self.mission.mission_type)?;
        out.serialize_field("current_phase", &self.mission.current_phase)?;
        out.serialize_field("phases_entered", &self.mission.phases_entered)?;
        out.serialize_field("wp_states", &WpStatesJson(self.wps.wp_states()))?;
        out.serialize_field("anomalies", &AnomaliesJson(self.anomalies()))?;
        out.serialize_field("event_count", &self.event_count)?;
        out.serialize_field("last_processed_event_id", &self.last_processed_event_id)?;
        out.end()
    }
}

impl fmt::Display for ReducedMissionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}
