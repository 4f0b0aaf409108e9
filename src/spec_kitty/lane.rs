//! The CLI's own lanes ([`CliLane`]): its vocabulary, wider than the 0.4.0
//! contract's [`Lane`](crate::contract::Lane).

use std::fmt;

use serde::Deserialize;

use crate::contract::Lane;
use crate::contract::decode::StrVisitor;
use crate::error::ValidationError;

/// A lane as the spec-kitty CLI writes it in `status.events.jsonl` and
/// `status.json`.
///
/// Besides the nine display lanes, `genesis` is the `from_lane` of a work
/// package's first row (the lane before it exists) and `uninitialized` the
/// lane `status.json` gives a work package known only from annotations.
/// The legacy name `doing` is read as [`CliLane::InProgress`] (February
/// 2026's logs may hold it); [`StatusRow::lane_alias`](super::StatusRow)
/// remembers it so `--check` can name it: the CLI 3.2.7 refuses the alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CliLane {
    /// Before the work package exists.
    Genesis,
    /// Known only from annotations; never written in a row.
    Uninitialized,
    /// Planned, not yet claimed.
    Planned,
    /// Claimed by an agent.
    Claimed,
    /// Being worked on.
    InProgress,
    /// Submitted for review.
    ForReview,
    /// Being reviewed.
    InReview,
    /// Approved by review, not yet merged.
    Approved,
    /// Done.
    Done,
    /// Waiting on something outside the work package.
    Blocked,
    /// Abandoned.
    Canceled,
}

impl CliLane {
    /// The nine lanes `status.json`'s `summary` counts (2026-08 shape), in
    /// the CLI's lifecycle order.
    pub const DISPLAY: [CliLane; 9] = [
        CliLane::Planned,
        CliLane::Claimed,
        CliLane::InProgress,
        CliLane::ForReview,
        CliLane::InReview,
        CliLane::Approved,
        CliLane::Done,
        CliLane::Blocked,
        CliLane::Canceled,
    ];

    /// The seven lanes the February 2026 `summary` counts.
    pub const FEBRUARY: [CliLane; 7] = [
        CliLane::Planned,
        CliLane::Claimed,
        CliLane::InProgress,
        CliLane::ForReview,
        CliLane::Done,
        CliLane::Blocked,
        CliLane::Canceled,
    ];

    /// The lane's name as the CLI writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            CliLane::Genesis => "genesis",
            CliLane::Uninitialized => "uninitialized",
            CliLane::Planned => "planned",
            CliLane::Claimed => "claimed",
            CliLane::InProgress => "in_progress",
            CliLane::ForReview => "for_review",
            CliLane::InReview => "in_review",
            CliLane::Approved => "approved",
            CliLane::Done => "done",
            CliLane::Blocked => "blocked",
            CliLane::Canceled => "canceled",
        }
    }

    /// Reads a lane name; `doing` is read as `in_progress`.
    ///
    /// # Errors
    /// A [`ValidationError`] listing the names the CLI writes.
    pub fn parse(name: &str) -> Result<Self, ValidationError> {
        Ok(match name {
            "genesis" => CliLane::Genesis,
            "uninitialized" => CliLane::Uninitialized,
            "planned" => CliLane::Planned,
            "claimed" => CliLane::Claimed,
            "in_progress" | "doing" => CliLane::InProgress,
            "for_review" => CliLane::ForReview,
            "in_review" => CliLane::InReview,
            "approved" => CliLane::Approved,
            "done" => CliLane::Done,
            "blocked" => CliLane::Blocked,
            "canceled" => CliLane::Canceled,
            other => {
                return Err(ValidationError::new(
                    "",
                    format!(
                        "{other:?} is not a lane of the CLI (genesis, planned, claimed, \
                         in_progress, for_review, in_review, approved, done, blocked, canceled)"
                    ),
                ));
            }
        })
    }

    /// The 0.4.0 contract's lane, when the contract has it (`genesis`,
    /// `uninitialized`, `in_review` and `approved` it has not).
    pub const fn to_contract(self) -> Option<Lane> {
        match self {
            CliLane::Planned => Some(Lane::Planned),
            CliLane::Claimed => Some(Lane::Claimed),
            CliLane::InProgress => Some(Lane::InProgress),
            CliLane::ForReview => Some(Lane::ForReview),
            CliLane::Done => Some(Lane::Done),
            CliLane::Blocked => Some(Lane::Blocked),
            CliLane::Canceled => Some(Lane::Canceled),
            CliLane::Genesis | CliLane::Uninitialized | CliLane::InReview | CliLane::Approved => {
                None
            }
        }
    }
}

impl fmt::Display for CliLane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for CliLane {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CliLane {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a lane name", CliLane::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lane_reads_back_from_its_name() {
        for (name, lane) in [
            ("genesis", CliLane::Genesis),
            ("planned", CliLane::Planned),
            ("in_review", CliLane::InReview),
            ("approved", CliLane::Approved),
            ("doing", CliLane::InProgress),
            ("canceled", CliLane::Canceled),
        ] {
            assert_eq!(CliLane::parse(name).unwrap(), lane);
        }
        assert!(CliLane::parse("Done").is_err());
        assert_eq!(CliLane::InReview.to_contract(), None);
        assert_eq!(CliLane::Done.to_contract(), Some(Lane::Done));
    }
}
