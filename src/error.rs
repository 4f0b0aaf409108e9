//! The crate's errors: one [`Error`] enum, and the [`ValidationError`] that
//! names the field which broke a rule.

use std::fmt;

use crate::contract::ContractVersion;

/// A value broke a rule of the contract; `field` says which value.
///
/// `field` is a path into the JSON: `event_id`, `payload.evidence.repos`,
/// `payload.check_run_id`. A rule that ties several fields together names the
/// one that has to change.
///
/// A rule that belongs to one version of the contract (a lane that version
/// has no name for, a transition its matrix forbids) also names the version
/// ([`ValidationError::version`]), and `Display` shows it: a log mixes
/// versions, and each line is judged by its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    field: String,
    message: String,
    version: Option<ContractVersion>,
}

impl ValidationError {
    /// A rule on `field` was broken, as `message` says.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            version: None,
        }
    }

    /// The same error, as the breach of a rule of contract `version`.
    pub fn under(mut self, version: ContractVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// The contract version whose rule was broken, when the rule is one
    /// version's own.
    pub fn version(&self) -> Option<ContractVersion> {
        self.version
    }

    /// The path of the offending field (`payload.wp_id`); `""` for the whole value.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What was wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error, one level deeper: `prefix.field`.
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)?;
        } else {
            write!(f, "{}: {}", self.field, self.message)?;
        }
        match self.version {
            Some(version) => write!(f, " [rule of {version}]"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ValidationError {}

/// Everything that can go wrong in this crate, apart from what the reducers
/// record as anomalies (they never fail).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A store could not read or write.
    #[error("storage error: {message}")]
    Storage {
        /// What the store was doing and what failed.
        message: String,
        /// The I/O error underneath, if any.
        #[source]
        source: Option<std::io::Error>,
    },
    /// A value broke a rule of the contract.
    #[error("invalid {0}")]
    Validation(#[from] ValidationError),
    /// The causation links of the given events form a cycle.
    #[error("causation cycle among events {}", .event_ids.join(", "))]
    CyclicDependency {
        /// The events on the cycle (or left unsorted because of it), in id order.
        event_ids: Vec<String>,
    },
    /// A lane transition or merge is not allowed.
    #[error("transition error: {0}")]
    Transition(String),
    /// A GitHub check-run conclusion this contract does not know.
    #[error("unknown check-run conclusion {0:?}")]
    UnknownConclusion(String),
}

impl Error {
    /// A storage error with no I/O error underneath.
    pub fn storage(message: impl Into<String>) -> Self {
        Self::Storage {
            message: message.into(),
            source: None,
        }
    }

    /// A storage error caused by an I/O error.
    pub fn io(message: impl Into<String>, source: std::io::Error) -> Self {
        Self::Storage {
            message: message.into(),
            source: Some(source),
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
