//! Storage traits for events, Lamport clocks and error entries.
//!
//! In-memory implementations live in [`memory`]; the
//! JSON Lines file store in [`jsonl_store`](crate::jsonl_store).

use std::num::NonZeroUsize;

use crate::error::Result;
use crate::error_log::ErrorEntry;
use crate::event::Event;

pub mod memory;

/// Where events are kept.
///
/// Saving is idempotent by `event_id`. Loading returns events ordered by
/// [`total_order_key`](crate::total_order_key) — `(lamport_clock, node_id)` —
/// with ties in a stable, documented order of the implementation.
pub trait EventStore {
    /// Saves `event`. Saving an event id that is already stored keeps one
    /// copy (what a re-save keeps is the implementation's documented choice).
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot write.
    fn save_event(&mut self, event: &Event) -> Result<()>;

    /// The events of one aggregate, in total order.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot read.
    fn load_events(&self, aggregate_id: &str) -> Result<Vec<Event>>;

    /// Every event, in total order.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot read.
    fn load_all_events(&self) -> Result<Vec<Event>>;
}

/// Where a node's Lamport clock value is kept.
pub trait ClockStorage {
    /// The stored value for `node_id`; 0 when none was ever saved.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot read.
    fn load(&self, node_id: &str) -> Result<u64>;

    /// Stores `value` for `node_id`, replacing any earlier value.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot write.
    fn save(&mut self, node_id: &str, value: u64) -> Result<()>;
}

/// Where error entries are kept, with bounded retention.
pub trait ErrorStorage {
    /// Appends `entry`, evicting the oldest entries beyond the retention bound.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot write.
    fn append(&mut self, entry: ErrorEntry) -> Result<()>;

    /// Up to `limit` entries, newest first.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot read.
    fn load_recent(&self, limit: NonZeroUsize) -> Result<Vec<ErrorEntry>>;
}
