//! The error log: what an agent tried, what went wrong, and how it was resolved.

use crate::ids::NonEmptyString;
use crate::timestamp::Timestamp;

/// One recorded error.
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
