//! Work-package lanes, execution modes and mission statuses.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::contract::version::ContractVersion;
use crate::error::ValidationError;

/// The lane a work package is in.
///
/// On the wire each lane is its snake_case name; the legacy name `"doing"` is
/// read as [`Lane::InProgress`] and never written. The 0.4 contract
/// ([`ContractVersion::V1`]) has the first seven ([`Lane::ALL`]); schema 3.0.0
/// ([`ContractVersion::V3`]) adds [`Lane::Genesis`], [`Lane::InReview`] and
/// [`Lane::Approved`] ([`Lane::CURRENT`]). [`Lane::of_version`] gives each
/// version's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// Planned, not yet claimed.
    Planned,
    /// Claimed by an agent, work not started.
    Claimed,
    /// Being worked on.
    #[serde(alias = "doing")]
    InProgress,
    /// Submitted, waiting for review.
    ForReview,
    /// Approved with evidence. Terminal.
    Done,
    /// Waiting on something outside the work package.
    Blocked,
    /// Abandoned for good. Terminal.
    Canceled,
    /// Not yet seeded: a work package no lane event has placed; its only
    /// moves out without force are to `planned` (the seed), `blocked` and
    /// `canceled`. Schema 3.0.0 on.
    Genesis,
    /// Under review (picked up from `for_review`). Schema 3.0.0 on.
    InReview,
    /// Approved by review, with evidence, not yet done. Schema 3.0.0 on.
    Approved,
}

impl Lane {
    /// The seven lanes of the 0.4 contract ([`ContractVersion::V1`]), in
    /// lifecycle order: the lanes the 0.4 summaries (spec-kitty's
    /// `status.json`, the command line's tables) count.
    pub const ALL: [Lane; 7] = [
        Lane::Planned,
        Lane::Claimed,
        Lane::InProgress,
        Lane::ForReview,
        Lane::Done,
        Lane::Blocked,
        Lane::Canceled,
    ];

    /// The ten lanes of schema 3.0.0 ([`ContractVersion::V3`]), in the
    /// order `spec-kitty-events` 11.0.0 lists them.
    pub const CURRENT: [Lane; 10] = [
        Lane::Genesis,
        Lane::Planned,
        Lane::Claimed,
        Lane::InProgress,
        Lane::ForReview,
        Lane::InReview,
        Lane::Approved,
        Lane::Done,
        Lane::Blocked,
        Lane::Canceled,
    ];

    /// The lanes contract `version` has names for.
    pub const fn of_version(version: ContractVersion) -> &'static [Lane] {
        match version {
            ContractVersion::V1 => &Lane::ALL,
            ContractVersion::V3 => &Lane::CURRENT,
        }
    }

    /// Whether contract `version` has this lane.
    pub const fn exists_in(self, version: ContractVersion) -> bool {
        !matches!(
            (version, self),
            (
                ContractVersion::V1,
                Lane::Genesis | Lane::InReview | Lane::Approved
            )
        )
    }

    /// The lane's canonical wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Lane::Planned => "planned",
            Lane::Claimed => "claimed",
            Lane::InProgress => "in_progress",
            Lane::ForReview => "for_review",
            Lane::Done => "done",
            Lane::Blocked => "blocked",
            Lane::Canceled => "canceled",
            Lane::Genesis => "genesis",
            Lane::InReview => "in_review",
            Lane::Approved => "approved",
        }
    }

    /// Whether leaving this lane needs force (`done`, `canceled`).
    pub const fn is_terminal(self) -> bool {
        matches!(self, Lane::Done | Lane::Canceled)
    }
}

/// The four lanes of the first sync protocol, which every lane maps onto
/// ([`Lane::sync_v1`]) for consumers that only know those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncLaneV1 {
    /// Not started: genesis, planned, claimed, canceled.
    Planned,
    /// Being worked on: in_progress, blocked.
    Doing,
    /// Waiting on or under review: for_review, in_review.
    ForReview,
    /// Finished: approved, done.
    Done,
}

impl Lane {
    /// The sync-protocol lane this lane shows as (11.0.0's
    /// `CANONICAL_TO_SYNC_V1`).
    pub const fn sync_v1(self) -> SyncLaneV1 {
        match self {
            Lane::Genesis | Lane::Planned | Lane::Claimed | Lane::Canceled => SyncLaneV1::Planned,
            Lane::InProgress | Lane::Blocked => SyncLaneV1::Doing,
            Lane::ForReview | Lane::InReview => SyncLaneV1::ForReview,
            Lane::Approved | Lane::Done => SyncLaneV1::Done,
        }
    }
}

/// The terminal lanes: leaving them needs force.
pub const TERMINAL_LANES: [Lane; 2] = [Lane::Done, Lane::Canceled];

/// Reads a lane name of any contract version, aliases included (`"doing"` is
/// `in_progress`); [`Lane::exists_in`] says whether a version has it.
///
/// Matching is exact and case-sensitive, as on the wire (and as in the Python
/// library): `" doing "` and `"Done"` are not lanes.
///
/// # Errors
/// A [`ValidationError`] for the field `lane` listing the accepted names.
pub fn normalize_lane(name: &str) -> Result<Lane, ValidationError> {
    match name {
        "planned" => Ok(Lane::Planned),
        "claimed" => Ok(Lane::Claimed),
        "in_progress" | "doing" => Ok(Lane::InProgress),
        "for_review" => Ok(Lane::ForReview),
        "done" => Ok(Lane::Done),
        "blocked" => Ok(Lane::Blocked),
        "canceled" => Ok(Lane::Canceled),
        "genesis" => Ok(Lane::Genesis),
        "in_review" => Ok(Lane::InReview),
        "approved" => Ok(Lane::Approved),
        other => Err(ValidationError::new(
            "lane",
            format!(
                "unknown lane {other:?}; expected one of genesis, planned, claimed, in_progress (or doing), for_review, in_review, approved, done, blocked, canceled"
            ),
        )),
    }
}

impl FromStr for Lane {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        normalize_lane(s)
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a work package is being carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionMode {
    /// In a git worktree of its own.
    Worktree,
    /// Directly in the repository.
    DirectRepo,
}

impl ExecutionMode {
    /// The mode's wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ExecutionMode::Worktree => "worktree",
            ExecutionMode::DirectRepo => "direct_repo",
        }
    }
}

impl fmt::Display for ExecutionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of a mission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissionStatus {
    /// Started, not yet ended.
    Active,
    /// Ended by `MissionCompleted`. Terminal.
    Completed,
    /// Ended by `MissionCancelled`. Terminal.
    Cancelled,
    /// Completed or cancelled, then opened again by `MissionReopened`
    /// (schema 3.0.0 on): not terminal, so the mission moves on.
    Reopened,
}

impl MissionStatus {
    /// The status's wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            MissionStatus::Active => "active",
            MissionStatus::Completed => "completed",
            MissionStatus::Cancelled => "cancelled",
            MissionStatus::Reopened => "reopened",
        }
    }

    /// Whether no further mission event may apply.
    pub const fn is_terminal(self) -> bool {
        matches!(self, MissionStatus::Completed | MissionStatus::Cancelled)
    }
}

/// The terminal mission statuses.
pub const TERMINAL_MISSION_STATUSES: [MissionStatus; 2] =
    [MissionStatus::Completed, MissionStatus::Cancelled];

impl fmt::Display for MissionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doing_is_read_as_in_progress_and_written_canonically() {
        let lane: Lane = serde_json::from_str("\"doing\"").unwrap();
        assert_eq!(lane, Lane::InProgress);
        assert_eq!(serde_json::to_string(&lane).unwrap(), "\"in_progress\"");
        assert!(normalize_lane(" doing ").is_err());
    }

    #[test]
    fn every_lane_round_trips_through_its_name() {
        for lane in Lane::ALL {
            assert_eq!(normalize_lane(lane.as_str()).unwrap(), lane);
            let json = serde_json::to_string(&lane).unwrap();
            assert_eq!(json, format!("\"{lane}\""));
        }
        assert!(normalize_lane("Done").is_err());
        for lane in Lane::CURRENT {
            assert_eq!(normalize_lane(lane.as_str()).unwrap(), lane);
            assert_eq!(
                lane.exists_in(ContractVersion::V1),
                Lane::ALL.contains(&lane)
            );
            assert!(lane.exists_in(ContractVersion::V3));
        }
        assert!(normalize_lane("awaiting_review").is_err());
        assert!(normalize_lane("").is_err());
    }
}
