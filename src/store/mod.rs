//! Where events, Lamport clocks and error entries are kept.
//!
//! - [`EventStore`], with [`InMemoryEventStore`] and [`JsonlFileStore`] (one
//!   append-only JSON Lines file, locked and `fsync`ed);
//! - [`VerbatimEventStore`], the same stores (and, with the `postgres`
//!   feature, `postgres::PostgresEventStore`) keeping each event as the exact
//!   text it arrived as, refusing a different text under a known id;
//! - [`LamportClock`], a node's logical clock, kept in a [`ClockStorage`]
//!   such as [`InMemoryClockStorage`];
//! - [`ErrorLog`] of [`ErrorEntry`] records, kept in an [`ErrorStorage`]
//!   such as [`InMemoryErrorStorage`].

use crate::contract::Event;
use crate::error::Result;

mod clock;
mod error_log;
mod jsonl_file;
mod memory;
#[cfg(feature = "postgres")]
pub mod postgres;
mod verbatim;

pub use clock::{ClockStorage, FileClockStorage, LamportClock};
pub use error_log::{ErrorEntry, ErrorLog, ErrorStorage};
pub use jsonl_file::JsonlFileStore;
pub use memory::{InMemoryClockStorage, InMemoryErrorStorage, InMemoryEventStore};
pub use verbatim::{MissionKey, SaveOutcome, VerbatimEvent, VerbatimEventStore};

/// Where events are kept.
///
/// Saving is idempotent by `event_id`. Loading returns events ordered by
/// [`total_order_key`](crate::reduce::total_order_key) — `(lamport_clock, node_id)` —
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
