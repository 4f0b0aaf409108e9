//! # spec-kitty-events
//!
//! The spec-kitty event contract in Rust: every change of a mission and of
//! its work packages (WPs) is an [`Event`](contract::Event) in an append-only
//! log. The crate has two halves.
//!
//! - **Emission, checked at compile time.** Typestate builders
//!   ([`emit::Mission`], [`emit::WorkPackage`]) only have the methods the
//!   lifecycle allows in their current state, so approving a work package that
//!   is not in review does not compile. Event types and payloads are declared
//!   once, by [`define_event_types!`].
//! - **Reduction of untrusted logs, at run time.**
//!   [`reduce_status_events`](reduce::reduce_status_events) and
//!   [`reduce_lifecycle_events`](reduce::reduce_lifecycle_events) fold logs
//!   from any writer, in any order, with duplicates and garbage, into the
//!   state of every WP and of the mission. What cannot be applied becomes an
//!   anomaly in the result; they never fail and never panic.
//!
//! The JSON on the wire is the Python library's, byte for byte, and both
//! reducers give the Python reducers' results.
//!
//! ```
//! use spec_kitty_events::prelude::*;
//!
//! let log = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/mission.jsonl"))?;
//! let replay = replay_log(&log);
//! assert!(replay.bad_lines.is_empty());
//! let state: &ReducedMissionState = &replay.state;
//! assert_eq!(state.mission_status(), Some(MissionStatus::Completed));
//! assert!(state.wp_states().iter().all(|wp| wp.current_lane() == Lane::Done));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is where
//!
//! | module | what it holds |
//! |---|---|
//! | [`contract`] | the envelope ([`Event`](contract::Event), [`EventBuilder`](contract::EventBuilder)) and its validated fields (ULIDs, event ids that are ULIDs or UUIDs, non-empty strings, instants, schema version, data tier); the event types and payloads ([`contract::event_types`]), evidence, CI gates; lanes, mission statuses, the transition matrix and its guards |
//! | [`define_event_types!`] | the macro that declares each event type and its payload once ([`example_generated`] shows what it writes) |
//! | [`reduce`] | the one ordering and the causal order; the status and lifecycle reducers; the incremental projector; the data-tier filter |
//! | [`log`] | JSON Lines logs: reading them (line, event id and field in every error) and replaying them into mission state |
//! | [`emit`] | typestate emission: `Mission<S>`, `WorkPackage<L>`, the `Emitter` |
//! | [`store`] | the event store trait, in-memory stores, the JSON Lines file store; Lamport clocks and their storage; the error log |
//! | [`merge`] | CRDT merges, conflict resolution by state priority, the causal (topological) sort |
//! | [`spec_kitty`] | spec-kitty's own flat status logs: their rows, the CLI's `status.json`, their lift to events, their check against the contract |
//! | [`prelude`] | the everyday items, for a glob import |
//! | [`Error`], [`Result`], [`ValidationError`] | what can go wrong: one error enum, and the error that names the field which broke a rule |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod define;
mod error;

pub mod contract;
pub mod emit;
#[cfg(doc)]
pub mod example_generated;
pub mod log;
pub mod merge;
pub mod prelude;
pub mod reduce;
pub mod spec_kitty;
pub mod store;

pub use error::{Error, Result, ValidationError};

#[doc(hidden)]
pub use define::__private;

// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
