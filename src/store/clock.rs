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

/// A [`ClockStorage`] in one small JSON file, shared by every node and
/// process that names it: `{"node-a": 12, "node-b": 40}`.
///
/// Each load and save holds an advisory lock on a sibling file
/// (`<path>.lock`: shared to load, exclusive to save), and a save writes the
/// whole table to `<path>.tmp`, `fsync`s it and renames it over `path`. So a
/// reader never sees half a file, a crash leaves the old table or the new one,
/// and processes saving different nodes' values at once lose none of them.
///
/// Two processes ticking the *same* node at once are not serialized (the
/// clock keeps its value in memory between load and save): give each
/// concurrent process its own node id.
///
/// ```
/// use spec_kitty_events::store::{FileClockStorage, LamportClock};
/// # let dir = tempfile::tempdir()?;
/// let path = dir.path().join("clocks.json");
/// let mut clock = LamportClock::new("cli", FileClockStorage::new(&path))?;
/// assert_eq!(clock.tick()?, 1);
/// assert_eq!(clock.tick()?, 2);
/// // Another process (here: another clock) resumes from the file.
/// let clock = LamportClock::new("cli", FileClockStorage::new(&path))?;
/// assert_eq!(clock.current(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct FileClockStorage {
    path: std::path::PathBuf,
}

impl FileClockStorage {
    /// The storage kept in `path`; nothing is created until the first save,
    /// and a missing file holds no value.
    pub fn new(path: impl Into<std::path::PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file holding the values.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn sibling(&self, extension: &str) -> std::path::PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(extension);
        std::path::PathBuf::from(name)
    }

    fn io(&self, doing: &str, error: std::io::Error) -> Error {
        Error::io(format!("cannot {doing} {}", self.path.display()), error)
    }

    /// Opens (creating) the lock file and locks it, shared or exclusive.
    fn lock(&self, exclusive: bool) -> Result<std::fs::File> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.sibling(".lock"))
            .map_err(|e| self.io("open the lock of", e))?;
        let locked = if exclusive {
            file.lock()
        } else {
            file.lock_shared()
        };
        locked.map_err(|e| self.io("lock", e))?;
        Ok(file)
    }

    /// The table as the file holds it (empty when there is no file).
    fn read_table(&self) -> Result<std::collections::BTreeMap<String, u64>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::storage(format!(
                    "{} is not a table of clock values: {e}",
                    self.path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Default::default()),
            Err(e) => Err(self.io("read", e)),
        }
    }
}

impl ClockStorage for FileClockStorage {
    fn load(&self, node_id: &str) -> Result<u64> {
        let _lock = self.lock(false)?;
        Ok(self.read_table()?.get(node_id).copied().unwrap_or(0))
    }

    fn save(&mut self, node_id: &str, value: u64) -> Result<()> {
        use std::io::Write;
        let _lock = self.lock(true)?;
        let mut table = self.read_table()?;
        table.insert(node_id.to_owned(), value);
        let bytes = serde_json::to_vec(&table)
            .map_err(|e| Error::storage(format!("cannot encode the clock table: {e}")))?;
        let temporary = self.sibling(".tmp");
        let mut file = std::fs::File::create(&temporary).map_err(|e| self.io("write", e))?;
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| self.io("write", e))?;
        std::fs::rename(&temporary, &self.path).map_err(|e| self.io("replace", e))
    }
}
