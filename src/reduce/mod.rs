//! Reduction: untrusted logs in, state out.
//!
//! - The one ordering ([`canonical_order`]: sort by
//!   [`status_event_sort_key`], then each event id once), and the causal
//!   order built on it, which moves an event after its causal parent.
//! - The reducers: [`reduce_status_events`] (every work package's lane) and
//!   [`reduce_lifecycle_events`] (the mission and its work packages). They
//!   fold logs from any writer, in any order, with duplicates and garbage;
//!   what cannot be applied becomes an anomaly of the result. They never
//!   fail and never panic, and give the Python reducers' results.
//! - [`MissionProjector`]: the lifecycle reducer kept current one event at a
//!   time; [`ServiceProjector`]: the same for every mission of a service,
//!   their events interleaved, in one arena and one id index.
//! - The data-tier filter ([`filter_by_tier`]): which events a sync
//!   destination may see.
//!
//! # The lifecycle's precedence rules
//!
//! [`reduce_lifecycle_events`] orders the log once (the canonical order, then
//! causal parents first), folds the mission events itself and hands the
//! `WPStatusChanged` events, in that same order, to the status fold that
//! [`reduce_status_events`] uses. The precedence rules of the seed plan:
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
//!
//! # Versions
//!
//! Each event is folded by the rules of the contract version it was written
//! under ([`ContractVersion`](crate::contract::ContractVersion)), so a log
//! may mix 0.4 and schema 3.0.0 events. A work-package move of either
//! version is one [`StatusChange`](crate::contract::StatusChange), judged by
//! its own version's matrix. The schema 3.0.0 rules, as 11.0.0 folds them:
//!
//! - `MissionCreated` and `MissionClosed` change no state, in any state.
//! - `MissionReopened` turns a completed or cancelled mission into
//!   `reopened` (not terminal: phases, completion and cancellation apply
//!   again); on any other mission it is an anomaly.
//! - `FollowUpRecorded` is recorded against a completed or cancelled
//!   mission and changes nothing; on any other mission it is an anomaly.
//! - A forced move bypasses a `from_lane` that is not the work package's
//!   current lane; a forced bootstrap into `planned` (from nothing or from
//!   `planned`) is an anomaly once the work package has a lane.

mod causal;
#[doc(hidden)]
pub mod cores;
pub(crate) mod id_hash;
mod lifecycle;
mod ordering;
mod projector;
mod service;
mod status;
mod tier;
#[doc(hidden)]
pub mod work;

#[doc(hidden)]
pub use causal::causal_order_len;
pub use lifecycle::{LifecycleAnomaly, ReducedMissionState, reduce_lifecycle_events};
pub use ordering::{
    canonical_order, clock_rank, dedup_events, is_concurrent, status_event_sort_key,
    total_order_key,
};
pub use projector::MissionProjector;
pub use service::{ProjectedMission, ServiceProjector};
pub use status::{ReducedStatus, TransitionAnomaly, WpState, reduce_status_events};
pub use tier::{filter_by_tier, filter_by_tier_ref, is_allowed_at};
