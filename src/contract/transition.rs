//! The transition matrix of work-package lanes and its guards, one per
//! contract version.
//!
//! A move is judged by the matrix of the version its event was written
//! under ([`validate_lane_move`]): history that was valid when written stays
//! valid when a later version tightens a guard.

use crate::contract::lane::Lane;
use crate::contract::version::ContractVersion;

/// Whether the 0.4 matrix allows `from -> to` without force (guards aside).
///
/// Allowed: a new work package enters `planned`; planned→claimed,
/// claimed→in_progress, in_progress→for_review, for_review→done,
/// for_review→in_progress (review rollback), in_progress→planned (abandon),
/// blocked→in_progress; and any non-terminal lane → blocked or canceled.
/// Nothing leaves `done` or `canceled` without force.
pub const fn is_allowed_transition(from: Option<Lane>, to: Lane) -> bool {
    is_allowed_transition_under(ContractVersion::V1, from, to)
}

/// Whether contract `version`'s matrix allows `from -> to` without force
/// (guards aside). A lane the version does not have is never allowed.
///
/// Schema 3.0.0 ([`ContractVersion::V3`]) allows: a new work package enters
/// `planned`; genesis→planned; planned→claimed; claimed→in_progress;
/// in_progress→for_review or approved; for_review→in_review, approved or
/// done; in_review→for_review, approved or done; approved→done; for_review,
/// in_review and approved→in_progress (review rollbacks, guarded by a
/// `review_ref`); blocked→in_progress; and any non-terminal lane (genesis
/// included) → blocked or canceled. Moves back to `planned` from in_progress,
/// for_review, in_review or approved (review rejections) need force, as does
/// leaving `done` or `canceled`.
pub const fn is_allowed_transition_under(
    version: ContractVersion,
    from: Option<Lane>,
    to: Lane,
) -> bool {
    use Lane::*;
    if !to.exists_in(version) {
        return false;
    }
    if let Some(from) = from
        && !from.exists_in(version)
    {
        return false;
    }
    match version {
        ContractVersion::V1 => match (from, to) {
            (None, Planned) => true,
            (None, _) => false,
            (Some(from), _) if from.is_terminal() => false,
            (Some(_), Blocked | Canceled) => true,
            (Some(Planned), Claimed)
            | (Some(Claimed), InProgress)
            | (Some(InProgress), ForReview)
            | (Some(ForReview), Done)
            | (Some(ForReview), InProgress)
            | (Some(InProgress), Planned)
            | (Some(Blocked), InProgress) => true,
            _ => false,
        },
        ContractVersion::V3 => match (from, to) {
            (None, Planned) => true,
            (None, _) => false,
            (Some(from), _) if from.is_terminal() => false,
            (Some(_), Blocked | Canceled) => true,
            (Some(Genesis), Planned)
            | (Some(Planned), Claimed)
            | (Some(Claimed), InProgress)
            | (Some(InProgress), ForReview | Approved)
            | (Some(ForReview), InReview | Approved | Done | InProgress)
            | (Some(InReview), ForReview | Approved | Done | InProgress)
            | (Some(Approved), Done | InProgress)
            | (Some(Blocked), InProgress) => true,
            _ => false,
        },
    }
}

/// What the matrix and its guards look at in one lane move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneMove {
    /// The lane left; `None` for a new work package.
    pub from: Option<Lane>,
    /// The lane entered.
    pub to: Lane,
    /// Whether the move is forced.
    pub force: bool,
    /// Whether a non-empty `reason` is given.
    pub has_reason: bool,
    /// Whether a non-empty `review_ref` is given.
    pub has_review_ref: bool,
}

/// The verdict on one transition: valid, or the rules it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionValidation {
    /// Whether the transition may be applied.
    pub valid: bool,
    /// Every rule it breaks, in words; empty when valid.
    pub violations: Vec<String>,
}

/// Checks a lane move against contract `version`'s matrix and the guards
/// that force does not lift. A broken rule is a verdict, not an error.
///
/// - 0.4 ([`ContractVersion::V1`]): force skips the matrix (and so the
///   terminal-lane rule), never the guards: for_review→in_progress needs a
///   `review_ref`, in_progress→planned a `reason`.
/// - 3.0.0 ([`ContractVersion::V3`]): force skips the matrix; a move to
///   in_progress from for_review, in_review or approved needs a `review_ref`,
///   forced or not; a move back to planned from in_progress, for_review,
///   in_review or approved (a review rejection) needs force.
pub fn validate_lane_move(version: ContractVersion, change: &LaneMove) -> TransitionValidation {
    use Lane::*;
    let LaneMove { from, to, .. } = *change;
    let mut violations = Vec::new();
    let rejection = matches!(from, Some(InProgress | ForReview | InReview | Approved))
        && to == Planned
        && version == ContractVersion::V3;
    if !change.force {
        if let Some(from) = from.filter(|lane| lane.is_terminal()) {
            violations.push(format!("{from} is terminal; leaving it needs force"));
        }
        if rejection {
            violations.push(format!(
                "review-rejection rollback {} -> planned needs force",
                lane_name(from)
            ));
        } else if !is_allowed_transition_under(version, from, to) {
            violations.push(format!("{} -> {to} is not allowed", lane_name(from)));
        }
    }
    let rewinds = match version {
        ContractVersion::V1 => matches!(from, Some(ForReview)),
        ContractVersion::V3 => matches!(from, Some(ForReview | InReview | Approved)),
    };
    if rewinds && to == InProgress && !change.has_review_ref {
        violations.push(format!(
            "{} -> in_progress needs a review_ref",
            lane_name(from)
        ));
    }
    if version == ContractVersion::V1
        && from == Some(InProgress)
        && to == Planned
        && !change.has_reason
    {
        violations.push("in_progress -> planned needs a reason".to_owned());
    }
    TransitionValidation {
        valid: violations.is_empty(),
        violations,
    }
}

/// A lane's name, or `none` for a work package that does not exist yet.
pub(crate) fn lane_name(lane: Option<Lane>) -> &'static str {
    lane.map_or("none", Lane::as_str)
}
