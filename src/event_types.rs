//! Every event type of the contract, declared once with its payload.
//!
//! Each declaration below yields the event type's constant, its payload
//! struct and `…Fields` input, serde, field and cross-field validation, the
//! [`EventPayload`](crate::payload::EventPayload) link, and a variant of
//! [`KnownPayload`], the one decoder of untrusted payloads.
//!
//! Another crate declares its own event types the same way (it depends on
//! `serde` too):
//!
//! ```
//! use spec_kitty_events::{Event, EventPayload, FieldError, NonEmptyString};
//!
//! spec_kitty_events::define_event_types! {
//!     /// The payloads of a note-taking extension.
//!     pub enum NotePayload;
//!
//!     /// Someone wrote a note on a mission.
//!     #[event_type(NoteAdded, const NOTE_ADDED)]
//!     pub struct NoteAddedPayload {
//!         /// The note.
//!         text: NonEmptyString,
//!         /// Labels; absent on the wire means none.
//!         #[serde(default)]
//!         labels: Vec<NonEmptyString>,
//!     }
//!     check = short_enough;
//! }
//!
//! fn short_enough(fields: &NoteAddedPayloadFields) -> Result<(), FieldError> {
//!     if fields.text.as_str().len() > 280 {
//!         return Err(FieldError::new("text", "a note has at most 280 bytes"));
//!     }
//!     Ok(())
//! }
//!
//! assert_eq!(NOTE_ADDED, "NoteAdded");
//! let note = NotePayload::decode(NOTE_ADDED, r#"{"text":"ship it"}"#)?;
//! assert!(matches!(note, Some(NotePayload::NoteAdded(ref p)) if p.labels().is_empty()));
//! let long = format!(r#"{{"text":"{}"}}"#, "x".repeat(300));
//! assert_eq!(NotePayload::decode(NOTE_ADDED, &long).unwrap_err().field(), "payload.text");
//! assert_eq!(NotePayload::decode(NOTE_ADDED, r#"{"text":""}"#).unwrap_err().field(), "payload.text");
//!
//! // The event type comes from the payload's type: it cannot be mislabelled.
//! let payload = NoteAddedPayload::try_from(NoteAddedPayloadFields {
//!     text: "ship it".parse()?,
//!     labels: vec![],
//! })?;
//! let event = Event::builder(&payload)
//!     .aggregate_id("M1")
//!     .node_id("cli")
//!     .lamport_clock(1)
//!     .project_uuid("00000000-0000-0000-0000-000000000001".parse()?)
//!     .correlation_id("01JKQ4V7C00000000000000C0R".parse()?)
//!     .build()?;
//! assert_eq!(event.event_type(), NoteAddedPayload::EVENT_TYPE);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::evidence::DoneEvidence;
use crate::gates::{
    ExternalProvider, FailedConclusion, GateType, HttpUrl, PassedConclusion, PositiveInt,
};
use crate::ids::NonEmptyString;
use crate::lane::{ExecutionMode, Lane};
use crate::payload::FieldError;

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

fn status_transition_rules(p: &StatusTransitionPayloadFields) -> Result<(), FieldError> {
    if p.force && p.reason.as_ref().is_none_or(NonEmptyString::is_blank) {
        return Err(FieldError::new(
            "reason",
            "a forced transition needs a non-blank reason",
        ));
    }
    if p.to_lane == Lane::Done && p.evidence.is_none() {
        return Err(FieldError::new(
            "evidence",
            "a transition to done needs evidence",
        ));
    }
    Ok(())
}
