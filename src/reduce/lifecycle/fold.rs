//! [`LifecycleFold`]: the lifecycle replay, one event at a time.

use crate::contract::event_types::{
    FOLLOW_UP_RECORDED, KnownPayload, MISSION_CLOSED, MISSION_CREATED, MISSION_EVENT_TYPES,
    MISSION_REOPENED, MISSION_STARTED, WP_STATUS_CHANGED,
};
use crate::contract::{ContractVersion, Event, EventId, MissionStatus};
use crate::reduce::causal::Inversion;
use crate::reduce::lifecycle::state::{LifecycleAnomaly, ReducedMissionState};
use crate::reduce::status::{ReducedStatus, StatusFold};
use crate::reduce::work;

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
    /// `MissionReopened`: a terminal mission becomes active again.
    Reopened,
    /// `FollowUpRecorded`: recorded against a completed or cancelled
    /// mission; changes nothing.
    FollowUp,
    /// `MissionCreated`, `MissionClosed`: catalogue facts that change no
    /// lifecycle state, in any state.
    Noted,
    Invalid(String),
}

/// A decoded mission event.
#[derive(Debug, Clone)]
struct MissionEvent {
    event_id: EventId,
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
/// by event id with cancels last. While they arrive in that order each is
/// applied as it comes; once one does not sort last, the group is applied
/// again as a whole, but only once, when it closes (or the projector
/// [settles](Self::settle) it): re-applying it at every such arrival made an
/// unlucky order quadratic.
#[derive(Debug, Clone, Default)]
pub(crate) struct LifecycleFold {
    pub(crate) state: ReducedMissionState,
    wps: StatusFold,
    /// The open group's clock, its mission events, and the mission before
    /// them.
    clock: Option<u64>,
    mission_group: Vec<MissionEvent>,
    mark: MissionMark,
    /// The open group's largest mission event id, and whether it holds a
    /// cancel: what decides in O(1) whether the next one sorts last.
    group_last: Option<EventId>,
    group_cancelled: bool,
    /// Set when the group's mission events are not all applied in order:
    /// they are applied again, as a whole, when it settles.
    unsettled: bool,
}

impl LifecycleFold {
    /// The state, with the last group closed.
    pub(crate) fn finish(mut self) -> ReducedMissionState {
        self.settle_missions();
        self.wps.close_group(&mut self.state.wps);
        self.state
    }

    /// The state, with the last group of mission events closed and `wps`
    /// as its work packages: what [`finish`](Self::finish) gives when every
    /// work package event was left to the caller
    /// ([`push_outside_wps`](Self::push_outside_wps)) and folded into `wps`.
    pub(crate) fn finish_with(mut self, wps: ReducedStatus) -> ReducedMissionState {
        self.settle_missions();
        self.state.wps = wps;
        self.state
    }

    /// Brings the state up to date with every event pushed, the open group
    /// included: the projector calls it after each event, the reducer only
    /// at the end.
    pub(crate) fn settle(&mut self) {
        self.settle_missions();
        self.wps.settle(&mut self.state.wps);
    }

    /// Records a copy of an event id whose content differs from the copy
    /// the canonical order kept (which alone is applied).
    pub(crate) fn conflicting_copy(&mut self, event: &Event) {
        self.state.lineage_anomalies.push(LifecycleAnomaly {
            event_id: event.event_id(),
            event_type: event.event_type().to_owned(),
            reason: crate::reduce::causal::CONFLICTING_COPY.to_owned(),
        });
    }

    fn settle_missions(&mut self) {
        if !self.unsettled {
            return;
        }
        self.unsettled = false;
        let mark = std::mem::take(&mut self.mark);
        self.rewind(&mark);
        self.mark = mark;
        let group = std::mem::take(&mut self.mission_group);
        self.apply_mission_group(&group);
        self.mission_group = group;
    }

    /// Applies the next event of the order
    /// [`causal_order`](crate::reduce::causal::causal_order) gives.
    pub(crate) fn push(&mut self, clock: u64, inversion: Option<Inversion>, event: &Event) {
        if self.push_outside_wps(clock, inversion, event) {
            self.wps.step(&mut self.state.wps, clock, event);
        }
    }

    /// [`push`](Self::push) but for a work package's move, which it
    /// leaves to the caller: `true` when `event` is one.
    pub(crate) fn push_outside_wps(
        &mut self,
        clock: u64,
        inversion: Option<Inversion>,
        event: &Event,
    ) -> bool {
        work::count(1);
        if self.clock != Some(clock) {
            self.settle_missions();
            self.clock = Some(clock);
            self.mission_group.clear();
            self.group_last = None;
            self.group_cancelled = false;
        }
        if let Some(inversion) = inversion {
            self.state
                .lineage_anomalies
                .push(inversion_anomaly(inversion, event));
        }
        self.state.event_count += 1;
        self.state.last_processed_event_id = Some(event.event_id());
        let kind = event.event_type();
        if kind == WP_STATUS_CHANGED {
            return true;
        }
        if let Some(event_type) = mission_type(kind, event.contract_version()) {
            self.push_mission(MissionEvent {
                event_id: event.event_id(),
                event_type,
                op: decode(event),
            });
        }
        false
    }

    fn push_mission(&mut self, event: MissionEvent) {
        if self.mission_group.is_empty() {
            self.mark = self.mark();
        }
        let sorts_last = self.group_last.is_none_or(|last| last < event.event_id);
        let cancel = matches!(event.op, Op::Cancelled);
        self.group_last = self.group_last.max(Some(event.event_id));
        let in_order = sorts_last && !cancel && !self.group_cancelled && !self.unsettled;
        self.group_cancelled |= cancel;
        if in_order {
            // The common case: nothing applied so far moves.
            self.apply(&event);
        } else {
            self.unsettled = true;
        }
        self.mission_group.push(event);
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
        order.sort_unstable_by(|a, b| {
            work::count(1);
            a.event_id.cmp(&b.event_id)
        });
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
        work::count(1);
        let mission = &mut self.state.mission;
        let rejection = match (&event.op, mission.status) {
            // The schema 3.0.0 lifecycle events: catalogue facts apply in
            // any state; a re-open or a follow-up needs a completed or
            // cancelled mission, and only a re-open changes it.
            (Op::Noted, _) => None,
            (Op::Invalid(error), _) if LIFECYCLE_V3.contains(&event.event_type) => {
                Some(format!("Invalid {} payload: {error}", event.event_type))
            }
            (Op::Reopened, Some(status)) if status.is_terminal() => {
                mission.status = Some(MissionStatus::Reopened);
                None
            }
            (Op::Reopened | Op::FollowUp, Some(status)) if status.is_terminal() => None,
            (Op::Reopened | Op::FollowUp, _) => Some(format!(
                "{} before completion (mission not terminal)",
                event.event_type
            )),
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

/// The event types schema 3.0.0 added to the mission lifecycle.
const LIFECYCLE_V3: [&str; 4] = [
    MISSION_CREATED,
    MISSION_CLOSED,
    MISSION_REOPENED,
    FOLLOW_UP_RECORDED,
];

/// The mission event type named `kind`, if it is one under contract
/// `version` (0.4 has no lifecycle events beyond its five: a later one in a
/// 0.4 envelope is an event type it does not know, and ignores).
fn mission_type(kind: &str, version: ContractVersion) -> Option<&'static str> {
    MISSION_EVENT_TYPES
        .into_iter()
        .filter(|known| version == ContractVersion::V3 || !LIFECYCLE_V3.contains(known))
        .find(|known| *known == kind)
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
        Ok(Some(KnownPayload::MissionStartedV3(payload))) => Op::Started {
            mission_id: payload.mission_id().to_string(),
            mission_type: payload.mission_type().to_string(),
            phase: payload.initial_phase().to_string(),
        },
        Ok(Some(KnownPayload::PhaseEnteredV3(payload))) => {
            Op::EnterPhase(payload.phase_name().to_string())
        }
        Ok(Some(KnownPayload::ReviewRollbackV3(payload))) => {
            Op::EnterPhase(payload.target_phase().to_string())
        }
        Ok(Some(KnownPayload::MissionCompleted(_) | KnownPayload::MissionCompletedV3(_))) => {
            Op::Completed
        }
        Ok(Some(KnownPayload::MissionCancelled(_) | KnownPayload::MissionCancelledV3(_))) => {
            Op::Cancelled
        }
        Ok(Some(KnownPayload::MissionReopened(_))) => Op::Reopened,
        Ok(Some(KnownPayload::FollowUpRecorded(_))) => Op::FollowUp,
        Ok(Some(KnownPayload::MissionCreated(_) | KnownPayload::MissionClosed(_))) => Op::Noted,
        Ok(_) => Op::Invalid("not a mission payload".to_owned()),
        Err(error) => Op::Invalid(error.to_string()),
    }
}

/// The lineage anomaly of `event`, applied against its causation order
/// (the serial fold's and the split's one wording).
pub(super) fn inversion_anomaly(inversion: Inversion, event: &Event) -> LifecycleAnomaly {
    LifecycleAnomaly {
        event_id: event.event_id(),
        event_type: event.event_type().to_owned(),
        reason: inversion.reason(event),
    }
}
