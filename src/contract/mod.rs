//! The contract: what one line of an event log holds, and the rules it obeys.
//!
//! - The envelope: [`Event`], assembled by [`EventBuilder`] or read with
//!   [`Event::from_json`], and its field types: [`Ulid`], [`NonEmptyString`],
//!   [`Timestamp`], [`SchemaVersion`], [`DataTier`].
//! - Payloads: [`Payload`] (the JSON object as it arrived) and the typed
//!   payloads of every event type, declared once in [`event_types`] with
//!   [`define_event_types!`](crate::define_event_types); [`EventPayload`]
//!   ties each to its event type.
//! - What payloads carry: [`DoneEvidence`] and its parts, [`ForceMetadata`],
//!   and the CI gates' field types ([`gates`], with
//!   [`map_check_run_conclusion`]).
//! - Lanes and the lifecycle: [`Lane`], [`ExecutionMode`], [`MissionStatus`],
//!   and the transition matrix with its guards, one per version
//!   ([`validate_lane_move`], [`validate_transition`],
//!   [`validate_transition_v3`]); [`StatusChange`], a move of either version.
//! - Versions: [`ContractVersion`], read from each event's `schema_version`:
//!   the envelope's shape, the lanes, the matrix and the payload rules an
//!   event is judged and written back by.
//!
//! Everything here validates where it is made — by a constructor or while
//! it deserializes — so a value that exists obeys the contract, and code
//! that holds one never checks again.

mod actor;
mod builder;
mod check_run;
pub(crate) mod decode;
mod envelope;
mod event;
mod event_id;
pub mod event_types;
mod evidence;
pub mod gates;
mod ids;
mod lane;
mod names;
mod payload;
mod plain_json;
#[cfg(test)]
mod plain_json_tests;
mod plain_text;
mod scan;
#[cfg(test)]
mod scan_tests;
mod status_change;
mod timestamp;
mod transition;
mod version;
mod white_space;
mod wire;

pub use actor::{FollowUpType, MoveActor};
pub use builder::{
    AggregateIdSet, CorrelationIdSet, DEFAULT_BUILD_ID, EventBuilder, FieldText, LamportClockSet,
    Missing, NodeIdSet, ProjectUuidSet, Set,
};
pub use check_run::{NonBlockingCallback, map_check_run_conclusion};
pub use envelope::{DataTier, MAX_LAMPORT_CLOCK, SCHEMA_VERSION, SchemaVersion};
pub use event::Event;
pub use event_id::EventId;
pub use evidence::{DoneEvidence, ForceMetadata, RepoEvidence, ReviewVerdict, VerificationEntry};
pub use ids::{NonEmptyString, Ulid};
pub use lane::{
    ExecutionMode, Lane, MissionStatus, SyncLaneV1, TERMINAL_LANES, TERMINAL_MISSION_STATUSES,
    normalize_lane,
};
pub use names::{Actor, MissionId, MissionType, Phase, ReviewRef, WpId};
pub use payload::{EventPayload, Payload};
pub use status_change::{StatusChange, validate_transition, validate_transition_v3};
pub use timestamp::Timestamp;
pub use transition::{
    LaneMove, TransitionValidation, is_allowed_transition, is_allowed_transition_under,
    validate_lane_move,
};
pub use version::ContractVersion;

pub(crate) use ids::SharedText;
pub(crate) use transition::lane_name;
