//! The transition matrix of work-package lanes, and its guards.

use crate::contract::event_types::StatusTransitionPayload;
use crate::contract::lane::Lane;

/// Whether the matrix allows `from -> to` without force (guards aside).
///
/// Allowed: a new work package enters `planned`; planned→claimed,
/// claimed→in_progress, in_progress→for_review, for_review→done,
/// for_review→in_progress (review rollback), in_progress→planned (abandon),
/// blocked→in_progress; and any non-terminal lane → blocked or canceled.
/// Nothing leaves `done` or `canceled` without force.
pub const fn is_allowed_transition(from: Option<Lane>, to: Lane) -> bool {
    use Lane::*;
    match (from, to) {
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
    }
}

/// The verdict on one transition: valid, or the rules it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionValidation {
    /// Whether the transition may be applied.
    pub valid: bool,
    /// Every rule it breaks, in words; empty when valid.
    pub violations: Vec<String>,
}

/// Checks a transition against the matrix and the guards that force does not
/// lift.
///
/// Force skips the matrix (and so the terminal-lane rule), never the guards:
/// for_review→in_progress needs a `review_ref`, in_progress→planned a
/// `reason`. The payload's own rules (force needs a reason, done needs
/// evidence) already hold, since the payload exists. A broken rule is a
/// verdict, not an error: this function never fails.
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
    let from = payload.from_lane().copied();
    let to = *payload.to_lane();
    let mut violations = Vec::new();
    if !*payload.force() {
        if let Some(from) = from.filter(|lane| lane.is_terminal()) {
            violations.push(format!("{from} is terminal; leaving it needs force"));
        }
        if !is_allowed_transition(from, to) {
            violations.push(format!("{} -> {to} is not allowed", lane_name(from)));
        }
    }
    if from == Some(Lane::ForReview) && to == Lane::InProgress && payload.review_ref().is_none() {
        violations.push("for_review -> in_progress needs a review_ref".to_owned());
    }
    if from == Some(Lane::InProgress) && to == Lane::Planned && payload.reason().is_none() {
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
