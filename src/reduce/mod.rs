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
//!   time.
//! - The data-tier filter ([`filter_by_tier`]): which events a sync
//!   destination may see.

mod causal;
pub(crate) mod id_hash;
mod lifecycle;
mod ordering;
mod projector;
mod status;
mod tier;

pub use lifecycle::{LifecycleAnomaly, ReducedMissionState, reduce_lifecycle_events};
pub use ordering::{
    canonical_order, dedup_events, is_concurrent, status_event_sort_key, total_order_key,
};
pub use projector::MissionProjector;
pub use status::{ReducedStatus, TransitionAnomaly, WpState, reduce_status_events};
pub use tier::{filter_by_tier, filter_by_tier_ref, is_allowed_at};
