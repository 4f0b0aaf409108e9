//! [`StatusChange`]: one work-package move, whatever contract version its
//! payload was written under — the one model the status reducer folds.

use crate::contract::event_types::{
    KnownPayload, StatusTransitionPayload, StatusTransitionPayloadV3,
};
use crate::contract::evidence::DoneEvidence;
use crate::contract::ids::NonEmptyString;
use crate::contract::lane::Lane;
use crate::contract::transition::{LaneMove, TransitionValidation, validate_lane_move};
use crate::contract::version::ContractVersion;

/// A `WPStatusChanged` payload of any version, upcast: 0.4's `feature_slug`
/// reads as the mission slug, `doing` was read as `in_progress` already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange<'a> {
    /// The contract version the payload was written under.
    pub version: ContractVersion,
    /// The mission (`mission_slug`; 0.4's `feature_slug`).
    pub mission_slug: &'a NonEmptyString,
    /// The work package.
    pub wp_id: &'a NonEmptyString,
    /// The move, as the matrix sees it.
    pub lane_move: LaneMove,
    /// Evidence of completion, when given.
    pub evidence: Option<&'a DoneEvidence>,
}

impl<'a> StatusChange<'a> {
    /// The move judged by its own version's matrix and guards.
    pub fn validate(&self) -> TransitionValidation {
        validate_lane_move(self.version, &self.lane_move)
    }

    /// Whether the move is a review rollback to in_progress carrying its
    /// `review_ref` (from for_review in 0.4; from for_review, in_review or
    /// approved in 3.0.0).
    pub fn is_review_rollback(&self) -> bool {
        let LaneMove {
            from,
            to,
            has_review_ref,
            ..
        } = self.lane_move;
        let from_review = match self.version {
            ContractVersion::V1 => from == Some(Lane::ForReview),
            ContractVersion::V3 => {
                matches!(
                    from,
                    Some(Lane::ForReview | Lane::InReview | Lane::Approved)
                )
            }
        };
        from_review && to == Lane::InProgress && has_review_ref
    }

    /// Whether the move is a bootstrap seed (schema 3.0.0 on): forced into
    /// `planned` from nothing or from `planned`. A producer writes one when
    /// its own log of the work package is empty; a reducer applies it only
    /// to a work package that has no lane yet, never to regress one.
    pub fn is_bootstrap_planned(&self) -> bool {
        let LaneMove {
            from, to, force, ..
        } = self.lane_move;
        self.version == ContractVersion::V3
            && force
            && to == Lane::Planned
            && matches!(from, None | Some(Lane::Planned))
    }

    /// The 0.4 payload's move.
    pub fn of_v1(payload: &'a StatusTransitionPayload) -> Self {
        Self {
            version: ContractVersion::V1,
            mission_slug: payload.feature_slug(),
            wp_id: payload.wp_id(),
            lane_move: LaneMove {
                from: payload.from_lane().copied(),
                to: *payload.to_lane(),
                force: *payload.force(),
                has_reason: payload.reason().is_some(),
                has_review_ref: payload.review_ref().is_some(),
            },
            evidence: payload.evidence(),
        }
    }

    /// The 3.0.0 payload's move; an empty `reason` or `review_ref` counts as
    /// none, as in 11.0.0.
    pub fn of_v3(payload: &'a StatusTransitionPayloadV3) -> Self {
        let given = |text: Option<&String>| text.is_some_and(|text| !text.is_empty());
        Self {
            version: ContractVersion::V3,
            mission_slug: payload.mission_slug(),
            wp_id: payload.wp_id(),
            lane_move: LaneMove {
                from: payload.from_lane().copied(),
                to: *payload.to_lane(),
                force: *payload.force(),
                has_reason: given(payload.reason()),
                has_review_ref: given(payload.review_ref()),
            },
            evidence: payload.evidence(),
        }
    }
}

/// Checks a 0.4 transition against the 0.4 matrix and the guards that force
/// does not lift ([`validate_lane_move`] under [`ContractVersion::V1`]).
///
/// The payload's own rules (force needs a reason, done needs evidence)
/// already hold, since the payload exists.
///
/// ```
/// use spec_kitty_events::contract::validate_transition;
/// use spec_kitty_events::contract::event_types::StatusTransitionPayload;
/// let payload: StatusTransitionPayload = serde_json::from_str(
///     r#"{"feature_slug":"f","wp_id":"WP01","from_lane":"planned","to_lane":"for_review","actor":"a","execution_mode":"worktree"}"#,
/// )?;
/// let verdict = validate_transition(&payload);
/// assert!(!verdict.valid);
/// assert_eq!(verdict.violations, ["planned -> for_review is not allowed"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn validate_transition(payload: &StatusTransitionPayload) -> TransitionValidation {
    StatusChange::of_v1(payload).validate()
}

/// Checks a schema 3.0.0 transition against the 3.0.0 matrix and its guards
/// ([`validate_lane_move`] under [`ContractVersion::V3`]); an empty
/// `review_ref` counts as none, as in 11.0.0.
///
/// ```
/// use spec_kitty_events::contract::validate_transition_v3;
/// use spec_kitty_events::contract::event_types::StatusTransitionPayloadV3;
/// let payload: StatusTransitionPayloadV3 = serde_json::from_str(
///     r#"{"mission_slug":"m","wp_id":"WP01","from_lane":"in_review","to_lane":"in_progress","actor":"a","execution_mode":"worktree"}"#,
/// )?;
/// let verdict = validate_transition_v3(&payload);
/// assert_eq!(verdict.violations, ["in_review -> in_progress needs a review_ref"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn validate_transition_v3(payload: &StatusTransitionPayloadV3) -> TransitionValidation {
    StatusChange::of_v3(payload).validate()
}

impl KnownPayload {
    /// The work-package move this payload holds, of whichever version;
    /// `None` for a payload of another event type.
    pub fn status_change(&self) -> Option<StatusChange<'_>> {
        match self {
            KnownPayload::WPStatusChanged(payload) => Some(StatusChange::of_v1(payload)),
            KnownPayload::WPStatusChangedV3(payload) => Some(StatusChange::of_v3(payload)),
            _ => None,
        }
    }
}
