//! The cross-field rules of the payloads in
//! [`event_types`](crate::contract::event_types): what no single field's
//! type can say.

use crate::contract::actor::FollowUpType;
use crate::contract::event_types::{
    FollowUpRecordedPayloadFields, StatusTransitionPayloadFields, StatusTransitionPayloadV3Fields,
};
use crate::contract::ids::NonEmptyString;
use crate::contract::lane::Lane;
use crate::contract::version::ContractVersion;
use crate::error::ValidationError;

/// 0.4: `force` needs a non-blank reason, `done` needs evidence, and the
/// lanes are the seven 0.4 has.
pub(crate) fn status_transition_rules(
    p: &StatusTransitionPayloadFields,
) -> Result<(), ValidationError> {
    for (field, lane) in [("from_lane", p.from_lane), ("to_lane", Some(p.to_lane))] {
        if let Some(lane) = lane.filter(|lane| !lane.exists_in(ContractVersion::V1)) {
            return Err(ValidationError::new(
                field,
                format!("unknown variant `{lane}`: the 0.4 contract has no such lane"),
            ));
        }
    }
    if p.force && p.reason.as_ref().is_none_or(NonEmptyString::is_blank) {
        return Err(ValidationError::new(
            "reason",
            "a forced transition needs a non-blank reason",
        ));
    }
    if p.to_lane == Lane::Done && p.evidence.is_none() {
        return Err(ValidationError::new(
            "evidence",
            "a transition to done needs evidence",
        ));
    }
    Ok(())
}

/// 3.0.0: `force` needs a non-blank reason; `approved` and `done` need
/// evidence.
pub(crate) fn status_transition_v3_rules(
    p: &StatusTransitionPayloadV3Fields,
) -> Result<(), ValidationError> {
    if p.force && p.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(ValidationError::new(
            "reason",
            "a forced transition needs a non-blank reason",
        ));
    }
    if matches!(p.to_lane, Lane::Approved | Lane::Done) && p.evidence.is_none() {
        return Err(ValidationError::new(
            "evidence",
            format!("a transition to {} needs evidence", p.to_lane),
        ));
    }
    Ok(())
}

/// A `commit` follow-up names its commit, a `pr` one its pull request.
pub(crate) fn follow_up_rules(p: &FollowUpRecordedPayloadFields) -> Result<(), ValidationError> {
    match p.follow_up_type {
        FollowUpType::Commit if p.commit_sha.is_none() => Err(ValidationError::new(
            "commit_sha",
            "a commit follow-up needs its commit_sha",
        )),
        FollowUpType::Pr if p.pr_number.is_none() => Err(ValidationError::new(
            "pr_number",
            "a pr follow-up needs its pr_number",
        )),
        _ => Ok(()),
    }
}
