//! Every event type of the contract, declared once with its payload by
//! [`define_event_types!`](crate::define_event_types).
//!
//! Each declaration below yields the event type's constant, its payload
//! struct and `…Fields` input, serde, field and cross-field validation, the
//! [`EventPayload`](crate::contract::EventPayload) link, and a variant of
//! [`KnownPayload`], the one decoder of untrusted payloads.

use crate::contract::evidence::DoneEvidence;
use crate::contract::gates::{
    ExternalProvider, FailedConclusion, GateType, HttpUrl, PassedConclusion, PositiveInt,
};
use crate::contract::ids::NonEmptyString;
use crate::contract::lane::{ExecutionMode, Lane};
use crate::error::ValidationError;

crate::define_event_types! {
    /// A payload of any event type this crate knows, decoded by `event_type`.
    pub enum KnownPayload;

    /// A work package moves from one lane to another.
    ///
    /// Rules beyond the fields: `force` needs a non-blank `reason`, and a move
    /// to `done` carries `evidence`.
    #[event_type(WPStatusChanged, const WP_STATUS_CHANGED)]
    pub struct StatusTransitionPayload {
        /// Feature (mission) the work package belongs to.
        feature_slug: NonEmptyString,
        /// Work package identifier, e.g. `WP01`.
        wp_id: NonEmptyString,
        /// The lane being left; `None` for a new work package.
        #[serde(default)]
        from_lane: Option<Lane>,
        /// The lane being entered.
        to_lane: Lane,
        /// Who made the move.
        actor: NonEmptyString,
        /// Whether the move skips the transition matrix.
        #[serde(default)]
        force: bool,
        /// Why the move was made; required when forced.
        #[serde(default)]
        reason: Option<NonEmptyString>,
        /// How the work package is carried out.
        execution_mode: ExecutionMode,
        /// The review that sent the work package back, for review rollbacks.
        #[serde(default)]
        review_ref: Option<NonEmptyString>,
        /// Evidence of completion; required when entering `done`.
        #[serde(default)]
        evidence: Option<DoneEvidence>,
    }
    check = status_transition_rules;

    /// A CI gate concluded successfully.
    #[event_type(GatePassed, const GATE_PASSED)]
    pub struct GatePassedPayload {
        /// Name of the gate, e.g. `ci/build`.
        gate_name: NonEmptyString,
        /// Kind of gate (`ci`).
        gate_type: GateType,
        /// Conclusion (`success`).
        conclusion: PassedConclusion,
        /// CI provider (`github`).
        external_provider: ExternalProvider,
        /// GitHub check-run id (> 0).
        check_run_id: PositiveInt,
        /// URL of the check run.
        check_run_url: HttpUrl,
        /// Webhook delivery id: the idempotency key.
        delivery_id: NonEmptyString,
        /// Pull request number, when the gate belongs to one.
        #[serde(default)]
        pr_number: Option<PositiveInt>,
    }

    /// A CI gate concluded with a failure.
    #[event_type(GateFailed, const GATE_FAILED)]
    pub struct GateFailedPayload {
        /// Name of the gate, e.g. `ci/build`.
        gate_name: NonEmptyString,
        /// Kind of gate (`ci`).
        gate_type: GateType,
        /// Conclusion: failure, timed_out, cancelled or action_required.
        conclusion: FailedConclusion,
        /// CI provider (`github`).
        external_provider: ExternalProvider,
        /// GitHub check-run id (> 0).
        check_run_id: PositiveInt,
        /// URL of the check run.
        check_run_url: HttpUrl,
        /// Webhook delivery id: the idempotency key.
        delivery_id: NonEmptyString,
        /// Pull request number, when the gate belongs to one.
        #[serde(default)]
        pr_number: Option<PositiveInt>,
    }

    /// A mission starts: it becomes active in its initial phase.
    #[event_type(MissionStarted, const MISSION_STARTED)]
    pub struct MissionStartedPayload {
        /// Mission identifier.
        mission_id: NonEmptyString,
        /// Kind of mission, e.g. `software-dev`.
        mission_type: NonEmptyString,
        /// Phase the mission starts in.
        initial_phase: NonEmptyString,
        /// Who started it.
        actor: NonEmptyString,
    }

    /// A mission completes.
    #[event_type(MissionCompleted, const MISSION_COMPLETED)]
    pub struct MissionCompletedPayload {
        /// Mission identifier.
        mission_id: NonEmptyString,
        /// Kind of mission.
        mission_type: NonEmptyString,
        /// Phase the mission ended in.
        final_phase: NonEmptyString,
        /// Who completed it.
        actor: NonEmptyString,
    }

    /// A mission is cancelled.
    #[event_type(MissionCancelled, const MISSION_CANCELLED)]
    pub struct MissionCancelledPayload {
        /// Mission identifier.
        mission_id: NonEmptyString,
        /// Why it was cancelled.
        reason: NonEmptyString,
        /// Who cancelled it.
        actor: NonEmptyString,
        /// Work packages the cancellation affects.
        #[serde(default)]
        cancelled_wp_ids: Vec<NonEmptyString>,
    }

    /// A mission enters a phase.
    #[event_type(PhaseEntered, const PHASE_ENTERED)]
    pub struct PhaseEnteredPayload {
        /// Mission identifier.
        mission_id: NonEmptyString,
        /// The phase entered.
        phase_name: NonEmptyString,
        /// The phase left; `None` for the first.
        #[serde(default)]
        previous_phase: Option<NonEmptyString>,
        /// Who moved the mission.
        actor: NonEmptyString,
    }

    /// A review sends the mission back to an earlier phase.
    #[event_type(ReviewRollback, const REVIEW_ROLLBACK)]
    pub struct ReviewRollbackPayload {
        /// Mission identifier.
        mission_id: NonEmptyString,
        /// The review that triggered the rollback.
        review_ref: NonEmptyString,
        /// The phase rolled back to.
        target_phase: NonEmptyString,
        /// Work packages the rollback affects.
        #[serde(default)]
        affected_wp_ids: Vec<NonEmptyString>,
        /// Who rolled back.
        actor: NonEmptyString,
    }
}

/// The mission-level event types (the lifecycle reducer's own).
pub const MISSION_EVENT_TYPES: [&str; 5] = [
    MISSION_STARTED,
    MISSION_COMPLETED,
    MISSION_CANCELLED,
    PHASE_ENTERED,
    REVIEW_ROLLBACK,
];

fn status_transition_rules(p: &StatusTransitionPayloadFields) -> Result<(), ValidationError> {
    if p.force && p.reason.as_ref().is_none_or(NonEmptyString::is_blank) {
        return Err(ValidationError::new(
            "reason",
            "a forced transition needs a non-blank reason",
        ));
    }
    if p.to_lane == Lane::Done && p.evidence.is_none() {
        return Err(ValidationError::new(
            "evidence",
            "a transition to done needs evidence",
        ));
    }
    Ok(())
}
