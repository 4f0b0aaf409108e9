//! # spec-kitty-events
//!
//! The spec-kitty event contract in Rust: every change of a mission and of
//! its work packages (WPs) is an [`Event`] in an append-only log. The crate has
//! two halves.
//!
//! - **Emission, checked at compile time.** Typestate builders
//!   ([`emit::Mission`], [`emit::WorkPackage`]) only have the methods the
//!   lifecycle allows in their current state, so approving a work package that
//!   is not in review does not compile. Event types and payloads are declared
//!   once, by [`define_event_types!`].
//! - **Reduction of untrusted logs, at run time.** [`reduce_status_events`] and
//!   [`reduce_lifecycle_events`] fold logs from any writer, in any order, with
//!   duplicates and garbage, into the state of every WP and of the mission. What
//!   cannot be applied becomes an anomaly in the result; they never fail and
//!   never panic.
//!
//! The JSON on the wire is the Python library's, byte for byte, and both
//! reducers give the Python reducers' results.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Lets `define_event_types!` name this crate as `::spec_kitty_events` both here
// and in downstream crates.
extern crate self as spec_kitty_events;

pub use spec_kitty_events_macros::define_event_types;

pub mod clock;
pub mod conflict;
pub mod crdt;
pub mod emit;
pub mod error;
pub mod error_log;
pub mod event;
pub mod event_types;
pub mod evidence;
pub mod gates;
pub mod ids;
pub mod jsonl;
pub mod jsonl_store;
pub mod lane;
pub mod lifecycle;
pub mod ordering;
pub mod payload;
pub mod projector;
pub mod replay;
pub mod spec_kitty;
pub mod status;
pub mod storage;
pub mod tier;
pub mod timestamp;
pub mod topology;
pub mod transition;

pub use clock::LamportClock;
pub use conflict::{ConflictResolution, DEFAULT_STATE_KEY, state_machine_merge};
pub use crdt::{merge_counter, merge_gset};
pub use error::{Error, Result, ValidationError};
pub use error_log::{ErrorEntry, ErrorLog};
pub use event::{DataTier, Event, EventBuilder, Payload, SCHEMA_VERSION, SchemaVersion};
pub use event_types::*;
pub use evidence::{DoneEvidence, ForceMetadata, RepoEvidence, ReviewVerdict, VerificationEntry};
pub use gates::map_check_run_conclusion;
pub use ids::{NonEmptyString, Ulid};
pub use jsonl::{LineError, LogRead, read_log};
pub use lane::{
    ExecutionMode, Lane, MissionStatus, TERMINAL_LANES, TERMINAL_MISSION_STATUSES, normalize_lane,
};
pub use lifecycle::{LifecycleAnomaly, ReducedMissionState, reduce_lifecycle_events};
pub use ordering::{
    canonical_order, dedup_events, is_concurrent, status_event_sort_key, total_order_key,
};
pub use payload::{EventPayload, FieldError, PayloadError};
pub use projector::MissionProjector;
pub use replay::{Replay, replay_file, replay_log};
pub use status::{ReducedStatus, TransitionAnomaly, WPState, reduce_status_events};
pub use storage::memory::{InMemoryClockStorage, InMemoryErrorStorage, InMemoryEventStore};
pub use storage::{ClockStorage, ErrorStorage, EventStore};
pub use timestamp::Timestamp;
pub use topology::topological_sort;
pub use transition::{TransitionValidation, is_allowed_transition, validate_transition};

// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
