//! Every event type of the contract, declared once per contract version
//! with its payload by [`define_event_types!`](crate::define_event_types).
//!
//! The 0.4 payloads hold under [`ContractVersion::V1`]
//! and ignore unknown fields; the schema 3.0.0 ones (`…V3`, and the
//! lifecycle events 3.0.0 added) hold under
//! [`ContractVersion::V3`] and refuse
//! unknown fields, as 11.0.0 does. The gates' payloads are the same in both.
//!
//! Each declaration below yields the event type's constant, its payload
//! struct and `…Fields` input, serde, field and cross-field validation, the
//! [`EventPayload`](crate::contract::EventPayload) link, and a variant of
//! [`KnownPayload`], the one decoder of untrusted payloads.

use crate::contract::actor::{FollowUpType, MoveActor};
use crate::contract::evidence::DoneEvidence;
use crate::contract::gates::{
    ExternalProvider, FailedConclusion, GateType, HttpUrl, PassedConclusion, PositiveInt,
};
use crate::contract::ids::NonEmptyString;
use crate::contract::lane::{ExecutionMode, Lane};
use crate::contract::version::ContractVersion;
use crate::error::ValidationError;

crate::define_event_types! {
    /// A payload of any event type this crate knows, decoded by `event_type`.
    ///
    /// The payloads larger than a 0.4 status change (`WPStatusChangedV3`,
    /// `MissionCreated`, `MissionReopened`, `FollowUpRecorded`) are held
    /// boxed, so that every value takes at most a status change's size.
    pub enum KnownPayload;

    /// A work package moves from one lane to another.
    ///
    /// Rules beyond the fields: `force` needs a non-blank `reason`, and a move
    /// to `done` carries `evidence`.
    #[event_type(WPStatusChanged, const WP_STATUS_CHANGED)]
    #[versions(V1)]
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
    #[versions(V1)]
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
    #[versions(V1)]
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
    #[versions(V1)]
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
    #[versions(V1)]
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
    #[versions(V1)]
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

    /// A work package moves from one lane to another, under schema 3.0.0.
    ///
    /// Rules beyond the fields: `force` needs a non-blank `reason`, and a move
    /// to `approved` or `done` carries `evidence`.
    #[event_type(WPStatusChangedV3, const WP_STATUS_CHANGED_V3, wire WPStatusChanged)]
    #[versions(V3)]
    #[strict(V3)]
    #[variant(boxed)]
    pub struct StatusTransitionPayloadV3 {
        /// The mission the work package belongs to (0.4's `feature_slug`).
        mission_slug: NonEmptyString,
        /// The mission's machine identity (a ULID), when given.
        #[serde(default)]
        mission_id: Option<NonEmptyString>,
        /// Work package identifier, e.g. `WP01`.
        wp_id: NonEmptyString,
        /// The lane being left; `None` for a new work package.
        #[serde(default)]
        from_lane: Option<Lane>,
        /// The lane being entered.
        to_lane: Lane,
        /// Who made the move: a name or an object of audit fields.
        actor: MoveActor,
        /// Whether the move skips the transition matrix.
        #[serde(default)]
        force: bool,
        /// Why the move was made; required (non-blank) when forced.
        #[serde(default)]
        reason: Option<String>,
        /// How the work package is carried out.
        execution_mode: ExecutionMode,
        /// The review that sent the work package back (a pointer, not prose).
        #[serde(default)]
        review_ref: Option<String>,
        /// A one-line gist of the move.
        #[serde(default)]
        summary: Option<String>,
        /// Evidence of completion; required when entering `approved` or `done`.
        #[serde(default)]
        evidence: Option<DoneEvidence>,
    }
    check = status_transition_v3_rules;

    /// A mission starts, under schema 3.0.0.
    #[event_type(MissionStartedV3, const MISSION_STARTED_V3, wire MissionStarted)]
    #[versions(V3)]
    #[strict(V3)]
    pub struct MissionStartedPayloadV3 {
        /// Mission identifier.
        mission_id: NonEmptyString,
        /// Kind of mission, e.g. `software-dev`.
        mission_type: NonEmptyString,
        /// Phase the mission starts in.
        initial_phase: NonEmptyString,
        /// Who started it.
        actor: NonEmptyString,
        /// The mission's slug, for display.
        #[serde(default)]
        mission_slug: Option<String>,
    }

    /// A mission completes, under schema 3.0.0.
    #[event_type(MissionCompletedV3, const MISSION_COMPLETED_V3, wire MissionCompleted)]
    #[versions(V3)]
    #[strict(V3)]
    pub struct MissionCompletedPayloadV3 {
        /// Mission identifier.
        mission_id: NonEmptyString,
        /// Kind of mission.
        mission_type: NonEmptyString,
        /// Phase the mission ended in.
        final_phase: NonEmptyString,
        /// Who completed it.
        actor: NonEmptyString,
        /// The mission's slug, for display.
        #[serde(default)]
        mission_slug: Option<String>,
    }

    /// A mission is cancelled, under schema 3.0.0.
    #[event_type(MissionCancelledV3, const MISSION_CANCELLED_V3, wire MissionCancelled)]
    #[versions(V3)]
    #[strict(V3)]
    pub struct MissionCancelledPayloadV3 {
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

    /// A mission enters a phase, under schema 3.0.0.
    #[event_type(PhaseEnteredV3, const PHASE_ENTERED_V3, wire PhaseEntered)]
    #[versions(V3)]
    #[strict(V3)]
    pub struct PhaseEnteredPayloadV3 {
        /// Mission identifier.
        mission_id: NonEmptyString,
        /// The phase entered.
        phase_name: NonEmptyString,
        /// The phase left; `None` for the first.
        #[serde(default)]
        previous_phase: Option<String>,
        /// Who moved the mission.
        actor: NonEmptyString,
        /// The mission's slug, for display.
        #[serde(default)]
        mission_slug: Option<String>,
    }

    /// A review sends the mission back to an earlier phase, under schema 3.0.0.
    #[event_type(ReviewRollbackV3, const REVIEW_ROLLBACK_V3, wire ReviewRollback)]
    #[versions(V3)]
    #[strict(V3)]
    pub struct ReviewRollbackPayloadV3 {
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

    /// A mission is created (schema 3.0.0 on).
    #[event_type(MissionCreated, const MISSION_CREATED)]
    #[versions(V3)]
    #[strict(V3)]
    #[variant(boxed)]
    pub struct MissionCreatedPayload {
        /// The mission's machine identity (a ULID), when given.
        #[serde(default)]
        mission_id: Option<NonEmptyString>,
        /// The mission's slug.
        mission_slug: NonEmptyString,
        /// The mission's number (≥ 1), when it has one.
        #[serde(default)]
        mission_number: Option<PositiveInt>,
        /// Kind of mission, e.g. `software-dev`.
        mission_type: NonEmptyString,
        /// The branch the planning artifacts target.
        target_branch: NonEmptyString,
        /// How many work packages the mission starts with.
        wp_count: u64,
        /// Who created it, when known.
        #[serde(default)]
        actor: Option<NonEmptyString>,
        /// Human-friendly title.
        friendly_name: NonEmptyString,
        /// One-line summary of the purpose.
        purpose_tldr: NonEmptyString,
        /// A short paragraph of context.
        purpose_context: NonEmptyString,
        /// When it was created, when given.
        #[serde(default)]
        created_at: Option<NonEmptyString>,
    }

    /// A mission is closed (schema 3.0.0 on).
    #[event_type(MissionClosed, const MISSION_CLOSED)]
    #[versions(V3)]
    #[strict(V3)]
    pub struct MissionClosedPayload {
        /// The mission's slug.
        mission_slug: NonEmptyString,
        /// The mission's number (≥ 1).
        mission_number: PositiveInt,
        /// Kind of mission.
        mission_type: NonEmptyString,
        /// Who closed it, when known.
        #[serde(default)]
        actor: Option<NonEmptyString>,
        /// The mission's machine identity (a ULID), when given.
        #[serde(default)]
        mission_id: Option<NonEmptyString>,
    }

    /// A closed or merged mission is opened again (schema 3.0.0 on); every
    /// re-open is a fact of its own.
    #[event_type(MissionReopened, const MISSION_REOPENED)]
    #[versions(V3)]
    #[strict(V3)]
    #[variant(boxed)]
    pub struct MissionReopenedPayload {
        /// The mission's machine identity.
        mission_id: NonEmptyString,
        /// The mission's slug.
        mission_slug: NonEmptyString,
        /// Why it was re-opened.
        reason: NonEmptyString,
        /// Who re-opened it.
        reopened_by: NonEmptyString,
        /// When (ISO-8601).
        reopened_at: NonEmptyString,
        /// The merge fields the re-open cleared, for audit; `None` when none.
        #[serde(default)]
        cleared_merge: Option<serde_json::Map<String, serde_json::Value>>,
    }

    /// A follow-up commit or pull request is recorded against a mission
    /// (schema 3.0.0 on).
    ///
    /// Rules beyond the fields: a `commit` carries `commit_sha`, a `pr`
    /// carries `pr_number`.
    #[event_type(FollowUpRecorded, const FOLLOW_UP_RECORDED)]
    #[versions(V3)]
    #[strict(V3)]
    #[variant(boxed)]
    pub struct FollowUpRecordedPayload {
        /// The mission's machine identity.
        mission_id: NonEmptyString,
        /// The mission's slug.
        mission_slug: NonEmptyString,
        /// Commit or pull request.
        follow_up_type: FollowUpType,
        /// The commit; required for a `commit`.
        #[serde(default)]
        commit_sha: Option<NonEmptyString>,
        /// The pull request (≥ 1); required for a `pr`.
        #[serde(default)]
        pr_number: Option<PositiveInt>,
        /// Who recorded it.
        recorded_by: NonEmptyString,
        /// When (ISO-8601).
        recorded_at: NonEmptyString,
    }
    check = follow_up_rules;
}

// A 0.4 status change, the bulk of a log, takes its own 136 bytes, not the
// 240 of the largest payload: every larger one is boxed.
const _: () = assert!(size_of::<KnownPayload>() == size_of::<StatusTransitionPayload>());

/// The mission-level event types (the lifecycle reducer's own), of every
/// contract version.
pub const MISSION_EVENT_TYPES: [&str; 9] = [
    MISSION_STARTED,
    MISSION_COMPLETED,
    MISSION_CANCELLED,
    PHASE_ENTERED,
    REVIEW_ROLLBACK,
    MISSION_CREATED,
    MISSION_CLOSED,
    MISSION_REOPENED,
    FOLLOW_UP_RECORDED,
];

/// 0.4: `force` needs a non-blank reason, `done` needs evidence, and the
/// lanes are the seven 0.4 has.
fn status_transition_rules(p: &StatusTransitionPayloadFields) -> Result<(), ValidationError> {
    for (field, lane) in [("from_lane", p.from_lane), ("to_lane", Some(p.to_lane))] {
        if let Some(lane) = lane.filter(|lane| !lane.exists_in(ContractVersion::V1)) {
            return Err(ValidationError::new(
                field,
                format!("unknown variant `{lane}`: the 0.4 contract has no such lane"),
            ));
        }
    }
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

/// 3.0.0: `force` needs a non-blank reason; `approved` and `done` need
/// evidence.
fn status_transition_v3_rules(p: &StatusTransitionPayloadV3Fields) -> Result<(), ValidationError> {
    if p.force && p.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(ValidationError::new(
            "reason",
            "a forced transition needs a non-blank reason",
        ));
    }
    if matches!(p.to_lane, Lane::Approved | Lane::Done) && p.evidence.is_none() {
        return Err(ValidationError::new(
            "evidence",
            format!("a transition to {} needs evidence", p.to_lane),
        ));
    }
    Ok(())
}

/// A `commit` follow-up names its commit, a `pr` one its pull request.
fn follow_up_rules(p: &FollowUpRecordedPayloadFields) -> Result<(), ValidationError> {
    match p.follow_up_type {
        FollowUpType::Commit if p.commit_sha.is_none() => Err(ValidationError::new(
            "commit_sha",
            "a commit follow-up needs its commit_sha",
        )),
        FollowUpType::Pr if p.pr_number.is_none() => Err(ValidationError::new(
            "pr_number",
            "a pr follow-up needs its pr_number",
        )),
        _ => Ok(()),
    }
}
