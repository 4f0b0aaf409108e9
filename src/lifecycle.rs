//! The mission lifecycle reducer (Feature 004): a whole mission log in, the
//! mission's status, phase and work packages out.
//!
//! [`reduce_lifecycle_events`] orders the log once (the canonical order of
//! [`canonical_order`](crate::canonical_order), then causal parents first),
//! folds the mission events itself and hands the `WPStatusChanged` events, in
//! that same order, to the status fold that [`reduce_status_events`](crate::reduce_status_events)
//! uses. The precedence rules of the seed plan:
//!
//! - **Cancel beats re-open (D4).** In a group of mission events sharing a
//!   lamport_clock, `MissionCancelled` is applied after the others, so a
//!   concurrent `PhaseEntered` or `ReviewRollback` still moves the phase and
//!   the mission ends cancelled. A concurrent `MissionCompleted` does not
//!   end the mission: it is an anomaly, superseded by the cancel.
//! - **Rollback appends (D5).** `ReviewRollback` moves `current_phase` and is
//!   recorded in `phases_entered`; no event is altered or dropped.
//! - **Idempotent dedup (D6).** Repeated event ids count once.
//! - **Causal lineage (FR-018).** An event whose causation_id names another
//!   event of the input is applied after it; a clock that says otherwise is
//!   an anomaly.

use std::borrow::Borrow;
use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::event::Event;
use crate::event_types::{KnownPayload, MISSION_EVENT_TYPES, MISSION_STARTED, WP_STATUS_CHANGED};
use crate::ids::Ulid;
use crate::lane::MissionStatus;
use crate::status::{
    AnomaliesJson, Inversion, ReducedStatus, StatusFold, TransitionAnomaly, WPState, WpStatesJson,
};

/// A lifecycle event the reducer could not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleAnomaly {
    /// The event.
    pub event_id: Ulid,
    /// Its event_type.
    pub event_type: String,
    /// Why it was not applied (or, for a causation inversion, why it was
    /// applied later than its clock says), in words.
    pub reason: String,
}

impl LifecycleAnomaly {
    /// A work package's anomaly, as the lifecycle reports it.
    fn from_transition(anomaly: &TransitionAnomaly) -> Self {
        Self {
            event_id: anomaly.event_id,
            event_type: WP_STATUS_CHANGED.to_owned(),
            reason: format!("WP {}: {}", anomaly.wp_id, anomaly.reason),
        }
    }
}

/// The mission's own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Mission {
    mission_id: Option<String>,
    mission_type: Option<String>,
    status: Option<MissionStatus>,
    current_phase: Option<String>,
    phases_entered: Vec<String>,
}

/// The result of [`reduce_lifecycle_events`].
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
    mission: Mission,
    lineage_anomalies: Vec<LifecycleAnomaly>,
    mission_anomalies: Vec<LifecycleAnomaly>,
    wps: ReducedStatus,
    event_count: usize,
    last_processed_event_id: Option<Ulid>,
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
    pub fn wp_states(&self) -> &[WPState] {
        self.wps.wp_states()
    }

    /// One work package's state.
    pub fn wp_state(&self, wp_id: &str) -> Option<&WPState> {
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
    pub fn last_processed_event_id(&self) -> Option<Ulid> {
        self.last_processed_event_id
    }

    /// The result as the Python library writes it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
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

/// Folds a mission log into the mission's state and its work packages'.
///
/// The log is ordered once (sort by
/// [`status_event_sort_key`](crate::status_event_sort_key), dedup by event
/// id, causal parents first); then, in that order:
///
/// - `MissionStarted` sets the id, type, status `active` and the initial
///   phase, which opens `phases_entered`; a second one is an anomaly.
/// - `PhaseEntered` and `ReviewRollback` move `current_phase` and append to
///   `phases_entered`.
/// - `MissionCompleted` and `MissionCancelled` end the mission; in a group
///   of mission events sharing a lamport_clock the cancel is applied last and
///   supersedes a concurrent completion (see the [module docs](self)).
/// - A mission event before `MissionStarted` or after the end, and a payload
///   that does not decode, are anomalies and change nothing.
/// - `WPStatusChanged` events go, in the same order, to the status fold of
///   [`reduce_status_events`](crate::reduce_status_events); their anomalies
///   are reported with event_type `WPStatusChanged` and a reason naming the
///   work package. Work packages move whatever the mission's status.
/// - Other event types only count toward `event_count`.
///
/// The result is the same for every permutation of the input, duplicates
/// included. It never fails and never panics.
///
/// ```
/// use spec_kitty_events::{reduce_lifecycle_events, Event};
/// let start = Event::from_json(r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","payload":{"mission_id":"M1","mission_type":"software-dev","initial_phase":"specify","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"causation_id":null,"project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":null,"correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"1.0.0","data_tier":0}"#)?;
/// let state = reduce_lifecycle_events(vec![start.clone(), start]);
/// assert_eq!(
///     state.to_json(),
///     r#"{"mission_id":"M1","mission_status":"active","mission_type":"software-dev","current_phase":"specify","phases_entered":["specify"],"wp_states":{},"anomalies":[],"event_count":1,"last_processed_event_id":"01JKQ4V7C00000000000000001"}"#
/// );
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
pub fn reduce_lifecycle_events<E: Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
) -> ReducedMissionState {
    let events: Vec<E> = events.into_iter().collect();
    let ordered = crate::status::causal_order_of(&events);
    let mut fold = LifecycleFold::default();
    ordered.for_each(|clock, inversion, event| fold.push(clock, inversion, event));
    fold.finish()
}

/// What a mission event does, decoded once.
#[derive(Debug, Clone)]
enum Op {
    Started {
        mission_id: String,
        mission_type: String,
        phase: String,
    },
    EnterPhase(String),
    Completed,
    Cancelled,
    Invalid(String),
}

/// A decoded mission event.
#[derive(Debug, Clone)]
struct MissionEvent {
    event_id: Ulid,
    event_type: &'static str,
    op: Op,
}

/// The mission's fields before the open group's mission events, to apply
/// them again when the group grows.
///
/// Within a group `phases_entered` and the mission anomalies only grow, so
/// their lengths stand for them.
#[derive(Debug, Clone, Default)]
struct MissionMark {
    mission_id: Option<String>,
    mission_type: Option<String>,
    status: Option<MissionStatus>,
    current_phase: Option<String>,
    phases_len: usize,
    anomalies_len: usize,
}

/// The lifecycle replay, one event at a time: the full reducer and the
/// projector are the same code.
///
/// Work package events go straight to the [`StatusFold`], which is O(1)
/// amortized per event. Mission events of one concurrency group are applied
/// by event id with cancels last, so a member that does not sort last makes
/// the fold take back the group's mission events and apply them again:
/// O(mission events in the group), a handful in any real log.
#[derive(Debug, Clone, Default)]
pub(crate) struct LifecycleFold {
    pub(crate) state: ReducedMissionState,
    wps: StatusFold,
    /// The open group's clock, its mission events, and the mission before
    /// them.
    clock: Option<u64>,
    mission_group: Vec<MissionEvent>,
    mark: MissionMark,
}

impl LifecycleFold {
    /// The state, with the last group closed.
    pub(crate) fn finish(mut self) -> ReducedMissionState {
        self.wps.close_group(&mut self.state.wps);
        self.state
    }

    /// Applies the next event of the order
    /// [`causal_order`](crate::status::causal_order) gives.
    pub(crate) fn push(&mut self, clock: u64, inversion: Option<Inversion>, event: &Event) {
        if self.clock != Some(clock) {
            self.clock = Some(clock);
            self.mission_group.clear();
        }
        if let Some(inversion) = inversion {
            self.state.lineage_anomalies.push(LifecycleAnomaly {
                event_id: event.event_id(),
                event_type: event.event_type().to_owned(),
                reason: inversion.reason(event),
            });
        }
        self.state.event_count += 1;
        self.state.last_processed_event_id = Some(event.event_id());
        let kind = event.event_type();
        if kind == WP_STATUS_CHANGED {
            self.wps.step(&mut self.state.wps, clock, event);
        } else if let Some(event_type) = mission_type(kind) {
            self.push_mission(MissionEvent {
                event_id: event.event_id(),
                event_type,
                op: decode(event),
            });
        }
    }

    fn push_mission(&mut self, event: MissionEvent) {
        if self.mission_group.is_empty() {
            self.mark = self.mark();
        }
        let sorts_last = self
            .mission_group
            .iter()
            .all(|member| member.event_id < event.event_id && !matches!(member.op, Op::Cancelled));
        let cancel = matches!(event.op, Op::Cancelled);
        self.mission_group.push(event);
        if sorts_last && !cancel {
            // The common case: nothing applied so far moves.
            if let Some(event) = self.mission_group.last().cloned() {
                self.apply(&event);
            }
            return;
        }
        let mark = std::mem::take(&mut self.mark);
        self.rewind(&mark);
        self.mark = mark;
        let group = std::mem::take(&mut self.mission_group);
        self.apply_mission_group(&group);
        self.mission_group = group;
    }

    fn mark(&self) -> MissionMark {
        let mission = &self.state.mission;
        MissionMark {
            mission_id: mission.mission_id.clone(),
            mission_type: mission.mission_type.clone(),
            status: mission.status,
            current_phase: mission.current_phase.clone(),
            phases_len: mission.phases_entered.len(),
            anomalies_len: self.state.mission_anomalies.len(),
        }
    }

    fn rewind(&mut self, mark: &MissionMark) {
        let mission = &mut self.state.mission;
        mission.mission_id.clone_from(&mark.mission_id);
        mission.mission_type.clone_from(&mark.mission_type);
        mission.status = mark.status;
        mission.current_phase.clone_from(&mark.current_phase);
        mission.phases_entered.truncate(mark.phases_len);
        self.state.mission_anomalies.truncate(mark.anomalies_len);
    }

    /// The mission events of one group: by event id (as the reference
    /// orders them, timestamps aside), except that cancels go last and, when
    /// there is one, completions just before them, superseded while the
    /// mission is active.
    fn apply_mission_group(&mut self, events: &[MissionEvent]) {
        let mut order: Vec<&MissionEvent> = events.iter().collect();
        order.sort_by_key(|event| event.event_id);
        let cancelled = order.iter().any(|event| matches!(event.op, Op::Cancelled));
        if !cancelled {
            for event in order {
                self.apply(event);
            }
            return;
        }
        let (tail, body): (Vec<&MissionEvent>, Vec<&MissionEvent>) = order
            .into_iter()
            .partition(|event| matches!(event.op, Op::Cancelled | Op::Completed));
        for event in body {
            self.apply(event);
        }
        let (cancels, completions): (Vec<&MissionEvent>, Vec<&MissionEvent>) = tail
            .into_iter()
            .partition(|event| matches!(event.op, Op::Cancelled));
        for completion in completions {
            if self.state.mission.status == Some(MissionStatus::Active) {
                self.anomaly(
                    completion,
                    "MissionCompleted superseded by a concurrent MissionCancelled".to_owned(),
                );
            } else {
                self.apply(completion);
            }
        }
        for cancel in cancels {
            self.apply(cancel);
        }
    }

    fn apply(&mut self, event: &MissionEvent) {
        let mission = &mut self.state.mission;
        let rejection = match (&event.op, mission.status) {
            (Op::Started { .. }, Some(_)) => {
                Some("Duplicate MissionStarted (first one wins)".to_owned())
            }
            (
                Op::Started {
                    mission_id,
                    mission_type,
                    phase,
                },
                None,
            ) => {
                mission.mission_id = Some(mission_id.clone());
                mission.mission_type = Some(mission_type.clone());
                mission.status = Some(MissionStatus::Active);
                mission.current_phase = Some(phase.clone());
                mission.phases_entered.push(phase.clone());
                None
            }
            (Op::Invalid(error), None) if event.event_type == MISSION_STARTED => {
                Some(format!("Invalid MissionStarted payload: {error}"))
            }
            (_, None) => Some("Event before MissionStarted".to_owned()),
            (_, Some(status)) if status.is_terminal() => {
                Some(format!("Event after terminal state ({status})"))
            }
            (Op::Invalid(error), Some(_)) => {
                Some(format!("Invalid {} payload: {error}", event.event_type))
            }
            (Op::EnterPhase(phase), Some(_)) => {
                mission.current_phase = Some(phase.clone());
                mission.phases_entered.push(phase.clone());
                None
            }
            (Op::Completed, Some(_)) => {
                mission.status = Some(MissionStatus::Completed);
                None
            }
            (Op::Cancelled, Some(_)) => {
                mission.status = Some(MissionStatus::Cancelled);
                None
            }
        };
        if let Some(reason) = rejection {
            self.anomaly(event, reason);
        }
    }

    fn anomaly(&mut self, event: &MissionEvent, reason: String) {
        self.state.mission_anomalies.push(LifecycleAnomaly {
            event_id: event.event_id,
            event_type: event.event_type.to_owned(),
            reason,
        });
    }
}

/// The mission event type named `kind`, if it is one.
fn mission_type(kind: &str) -> Option<&'static str> {
    MISSION_EVENT_TYPES.into_iter().find(|known| *known == kind)
}

fn decode(event: &Event) -> Op {
    match event.typed_payload() {
        Ok(Some(KnownPayload::MissionStarted(payload))) => Op::Started {
            mission_id: payload.mission_id().to_string(),
            mission_type: payload.mission_type().to_string(),
            phase: payload.initial_phase().to_string(),
        },
        Ok(Some(KnownPayload::PhaseEntered(payload))) => {
            Op::EnterPhase(payload.phase_name().to_string())
        }
        Ok(Some(KnownPayload::ReviewRollback(payload))) => {
            Op::EnterPhase(payload.target_phase().to_string())
        }
        Ok(Some(KnownPayload::MissionCompleted(_))) => Op::Completed,
        Ok(Some(KnownPayload::MissionCancelled(_))) => Op::Cancelled,
        Ok(_) => Op::Invalid("not a mission payload".to_owned()),
        Err(error) => Op::Invalid(error.to_string()),
    }
}
