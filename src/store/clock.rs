//! [`LamportClock`]: a node's logical clock, persisted in a [`ClockStorage`].
//!
//! A Lamport clock orders events causally across nodes without trusting
//! wall-clock time: each local event takes the next tick, and a node that
//! sees a remote event moves past it. Every value the clock hands out is
//! saved before it is returned, so a restarted node resumes where it stopped
//! and never reuses a value.

use crate::contract::NonEmptyString;
use crate::error::{Error, Result, ValidationError};

/// A node's Lamport clock, loaded from and saved to its storage.
///
/// The clock only moves forward: [`tick`](LamportClock::tick) adds one,
/// [`update`](LamportClock::update) jumps past a remote value. A value is
/// persisted before it is handed out; if saving fails, the clock keeps its
/// previous value, so memory and storage never disagree.
///
/// ```
/// use spec_kitty_events::store::LamportClock;
/// use spec_kitty_events::store::InMemoryClockStorage;
///
/// let mut clock = LamportClock::new("cli", InMemoryClockStorage::default())?;
/// assert_eq!(clock.tick()?, 1);
/// assert_eq!(clock.update(10)?, 11);
/// assert_eq!(clock.update(3)?, 12);
///
/// // A new clock over the same storage resumes where this one stopped.
/// let clock = LamportClock::new("cli", clock.into_storage())?;
/// assert_eq!(clock.current(), 12);
/// # Ok::<(), spec_kitty_events::Error>(())
/// ```
#[derive(Debug)]
pub struct LamportClock<S: ClockStorage> {
    node_id: NonEmptyString,
    value: u64,
    storage: S,
}

impl<S: ClockStorage> LamportClock<S> {
    /// The clock of `node_id`, starting from the value `storage` holds for it
    /// (0 when it holds none).
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty `node_id`; [`Error::Storage`] when the
    /// value cannot be loaded.
    pub fn new(node_id: impl Into<String>, storage: S) -> Result<Self> {
        let node_id = NonEmptyString::new(node_id).map_err(|e| e.within("node_id"))?;
        let value = storage.load(node_id.as_str())?;
        Ok(Self {
            node_id,
            value,
            storage,
        })
    }

    /// Advances the clock by one for a local event, saves and returns the new
    /// value.
    ///
    /// # Errors
    /// [`Error::Storage`] when the value cannot be saved (the clock then keeps
    /// its previous value); [`Error::Validation`] if the clock is at
    /// `u64::MAX` and cannot advance.
    pub fn tick(&mut self) -> Result<u64> {
        let next = self.successor(self.value)?;
        self.persist(next)
    }

    /// Moves the clock past a received value: `max(current, remote) + 1`;
    /// saves and returns the new value.
    ///
    /// # Errors
    /// As [`tick`](LamportClock::tick).
    pub fn update(&mut self, remote: u64) -> Result<u64> {
        let next = self.successor(self.value.max(remote))?;
        self.persist(next)
    }

    /// The last value handed out (or loaded).
    pub fn current(&self) -> u64 {
        self.value
    }

    /// The node this clock belongs to.
    pub fn node_id(&self) -> &str {
        self.node_id.as_str()
    }

    /// The storage the clock saves to.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// Gives the storage back, e.g. to hand it to the node's next clock.
    pub fn into_storage(self) -> S {
        self.storage
    }

    fn successor(&self, value: u64) -> Result<u64> {
        value.checked_add(1).ok_or_else(|| {
            Error::from(ValidationError::new(
                "lamport_clock",
                format!(
                    "the clock of node {} cannot advance past {value}",
                    self.node_id
                ),
            ))
        })
    }

    fn persist(&mut self, next: u64) -> Result<u64> {
        self.storage.save(self.node_id.as_str(), next)?;
        self.value = next;
        Ok(next)
    }
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
