//! Merging what several replicas wrote (Features 001–003).
//!
//! - CRDT merges: a grow-only set of tags ([`merge_gset`]) and a counter of
//!   deltas ([`merge_counter`]); their result depends only on the set of
//!   events.
//! - Conflict resolution: one of several concurrent events by the priority
//!   of the state it sets ([`state_machine_merge`]).
//! - The causal sort: parents before children ([`topological_sort`]).

mod conflict;
mod crdt;
mod topology;

pub use conflict::{ConflictResolution, DEFAULT_STATE_KEY, state_machine_merge};
pub use crdt::{merge_counter, merge_gset};
pub use topology::topological_sort;
