//! The error log: what an agent tried, what went wrong, and how it was resolved.
//!
//! [`ErrorEntry`] is one record; [`ErrorLog`] appends records to an
//! [`ErrorStorage`] and reads back the most recent ones, so an agent can see
//! what already failed before it tries again.

use std::num::NonZeroUsize;

use crate::contract::{NonEmptyString, Timestamp};
use crate::error::{Result, ValidationError};

/// One recorded error.
///
/// Its JSON is the Python library's:
/// `{"timestamp":…,"action_attempted":…,"error_message":…,"resolution":"","agent":"unknown"}`.
/// `action_attempted` and `error_message` cannot be empty; build an entry with
/// [`ErrorEntry::new`] to have them checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorEntry {
    /// When it happened.
    pub timestamp: Timestamp,
    /// What was being attempted.
    pub action_attempted: NonEmptyString,
    /// What went wrong.
    pub error_message: NonEmptyString,
    /// How it was resolved (`""` when it was not).
    #[serde(default)]
    pub resolution: String,
    /// Who was acting (`"unknown"` when not known).
    #[serde(default = "unknown_agent")]
    pub agent: String,
}

fn unknown_agent() -> String {
    "unknown".to_owned()
}

impl ErrorEntry {
    /// An unresolved entry by an unknown agent.
    ///
    /// # Errors
    /// A [`ValidationError`] for `action_attempted` or `error_message` when
    /// it is empty.
    ///
    /// ```
    /// use spec_kitty_events::contract::Timestamp;
    /// use spec_kitty_events::store::ErrorEntry;
    /// let entry = ErrorEntry::new(Timestamp::now(), "cargo test", "2 failures")?
    ///     .with_agent("claude")
    ///     .with_resolution("fixed the off-by-one");
    /// assert_eq!(entry.agent, "claude");
    /// assert_eq!(ErrorEntry::new(Timestamp::now(), "", "x").unwrap_err().field(), "action_attempted");
    /// # Ok::<(), spec_kitty_events::ValidationError>(())
    /// ```
    pub fn new(
        timestamp: Timestamp,
        action_attempted: impl Into<String>,
        error_message: impl Into<String>,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            timestamp,
            action_attempted: NonEmptyString::new(action_attempted)
                .map_err(|e| e.within("action_attempted"))?,
            error_message: NonEmptyString::new(error_message)
                .map_err(|e| e.within("error_message"))?,
            resolution: String::new(),
            agent: unknown_agent(),
        })
    }

    /// The same entry, resolved as `resolution` says.
    #[must_use]
    pub fn with_resolution(mut self, resolution: impl Into<String>) -> Self {
        self.resolution = resolution.into();
        self
    }

    /// The same entry, attributed to `agent`.
    #[must_use]
    pub fn with_agent(mut self, agent: impl Into<String>) -> Self {
        self.agent = agent.into();
        self
    }
}

/// Records errors into an [`ErrorStorage`] and reads back the latest.
///
/// ```
/// use spec_kitty_events::contract::Timestamp;
/// use spec_kitty_events::store::ErrorEntry;
/// use spec_kitty_events::store::ErrorLog;
/// use spec_kitty_events::store::InMemoryErrorStorage;
///
/// let mut log = ErrorLog::new(InMemoryErrorStorage::new());
/// log.log_error(ErrorEntry::new(Timestamp::now(), "build", "linker failed")?)?;
/// log.log_error(ErrorEntry::new(Timestamp::now(), "test", "3 failures")?)?;
/// let recent = log.get_recent_errors(ErrorLog::<InMemoryErrorStorage>::DEFAULT_LIMIT)?;
/// assert_eq!(recent[0].action_attempted, "test"); // newest first
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ErrorLog<S: ErrorStorage> {
    storage: S,
}

impl<S: ErrorStorage> ErrorLog<S> {
    /// How many entries [`recent_errors`](ErrorLog::recent_errors) returns: 10.
    pub const DEFAULT_LIMIT: NonZeroUsize = NonZeroUsize::new(10).unwrap();

    /// A log writing to `storage`.
    pub fn new(storage: S) -> Self {
        Self { storage }
    }

    /// Records `entry`; the storage may evict its oldest entries.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the storage cannot write.
    pub fn log_error(&mut self, entry: ErrorEntry) -> Result<()> {
        self.storage.append(entry)
    }

    /// Up to `limit` entries, newest first. A limit of zero cannot be asked
    /// for: the type rules it out.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the storage cannot read.
    pub fn get_recent_errors(&self, limit: NonZeroUsize) -> Result<Vec<ErrorEntry>> {
        self.storage.load_recent(limit)
    }

    /// The [`DEFAULT_LIMIT`](ErrorLog::DEFAULT_LIMIT) most recent entries,
    /// newest first.
    ///
    /// # Errors
    /// As [`get_recent_errors`](ErrorLog::get_recent_errors).
    pub fn recent_errors(&self) -> Result<Vec<ErrorEntry>> {
        self.get_recent_errors(Self::DEFAULT_LIMIT)
    }

    /// The storage the log writes to.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// Gives the storage back.
    pub fn into_storage(self) -> S {
        self.storage
    }
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
