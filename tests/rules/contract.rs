//! Lanes, the transition matrices, their guards and the contract versions,
//! checked against tables written out here from the contract (CONTRACT.md
//! §4 for 0.4, the 11.0.0 matrix for schema 3.0.0), never computed with the
//! functions under test.

use serde_json::json;
use spec_kitty_events::contract::event_types::{
    KnownPayload, StatusTransitionPayload, StatusTransitionPayloadV3,
};
use spec_kitty_events::contract::{
    ContractVersion, ExecutionMode, Lane, LaneMove, MissionStatus, StatusChange, SyncLaneV1,
    TERMINAL_LANES, TERMINAL_MISSION_STATUSES, is_allowed_transition, is_allowed_transition_under,
    normalize_lane, validate_lane_move, validate_transition, validate_transition_v3,
};

/// Every lane, with its wire name, whether 0.4 has it, whether it is
/// terminal, and its sync-protocol lane.
const LANES: [(Lane, &str, bool, bool, SyncLaneV1); 10] = [
    (Lane::Genesis, "genesis", false, false, SyncLaneV1::Planned),
    (Lane::Planned, "planned", true, false, SyncLaneV1::Planned),
    (Lane::Claimed, "claimed", true, false, SyncLaneV1::Planned),
    (
        Lane::InProgress,
        "in_progress",
        true,
        false,
        SyncLaneV1::Doing,
    ),
    (
        Lane::ForReview,
        "for_review",
        true,
        false,
        SyncLaneV1::ForReview,
    ),
    (
        Lane::InReview,
        "in_review",
        false,
        false,
        SyncLaneV1::ForReview,
    ),
    (Lane::Approved, "approved", false, false, SyncLaneV1::Done),
    (Lane::Done, "done", true, true, SyncLaneV1::Done),
    (Lane::Blocked, "blocked", true, false, SyncLaneV1::Doing),
    (Lane::Canceled, "canceled", true, true, SyncLaneV1::Planned),
];

fn lane(name: &str) -> Option<Lane> {
    LANES.iter().find(|l| l.1 == name).map(|l| l.0)
}

/// CONTRACT.md §4: the unforced moves of 0.4 (`none` is a new work package).
const V1_ALLOWED: &[(&str, &str)] = &[
    ("none", "planned"),
    ("planned", "claimed"),
    ("claimed", "in_progress"),
    ("in_progress", "for_review"),
    ("for_review", "done"),
    ("for_review", "in_progress"),
    ("in_progress", "planned"),
    ("blocked", "in_progress"),
    ("planned", "blocked"),
    ("planned", "canceled"),
    ("claimed", "blocked"),
    ("claimed", "canceled"),
    ("in_progress", "blocked"),
    ("in_progress", "canceled"),
    ("for_review", "blocked"),
    ("for_review", "canceled"),
    ("blocked", "blocked"),
    ("blocked", "canceled"),
];

/// The schema 3.0.0 matrix (11.0.0): unforced moves.
const V3_ALLOWED: &[(&str, &str)] = &[
    ("none", "planned"),
    ("genesis", "planned"),
    ("planned", "claimed"),
    ("claimed", "in_progress"),
    ("in_progress", "for_review"),
    ("in_progress", "approved"),
    ("for_review", "in_review"),
    ("for_review", "approved"),
    ("for_review", "done"),
    ("for_review", "in_progress"),
    ("in_review", "for_review"),
    ("in_review", "approved"),
    ("in_review", "done"),
    ("in_review", "in_progress"),
    ("approved", "done"),
    ("approved", "in_progress"),
    ("blocked", "in_progress"),
    ("genesis", "blocked"),
    ("genesis", "canceled"),
    ("planned", "blocked"),
    ("planned", "canceled"),
    ("claimed", "blocked"),
    ("claimed", "canceled"),
    ("in_progress", "blocked"),
    ("in_progress", "canceled"),
    ("for_review", "blocked"),
    ("for_review", "canceled"),
    ("in_review", "blocked"),
    ("in_review", "canceled"),
    ("approved", "blocked"),
    ("approved", "canceled"),
    ("blocked", "blocked"),
    ("blocked", "canceled"),
];

fn froms() -> impl Iterator<Item = (Option<Lane>, &'static str)> {
    std::iter::once((None, "none")).chain(LANES.iter().map(|l| (Some(l.0), l.1)))
}

#[test]
fn every_lane_has_its_name_terminality_version_and_sync_lane() {
    for (lane, name, in_v1, terminal, sync) in LANES {
        assert_eq!(lane.as_str(), name);
        assert_eq!(lane.to_string(), name);
        assert_eq!(normalize_lane(name).unwrap(), lane);
        assert_eq!(name.parse::<Lane>().unwrap(), lane);
        assert_eq!(lane.is_terminal(), terminal, "{name}");
        assert_eq!(TERMINAL_LANES.contains(&lane), terminal, "{name}");
        assert_eq!(lane.sync_v1(), sync, "{name}");
        assert_eq!(lane.exists_in(ContractVersion::V1), in_v1, "{name}");
        assert!(lane.exists_in(ContractVersion::V3), "{name}");
        assert_eq!(Lane::of_version(ContractVersion::V1).contains(&lane), in_v1);
        assert!(Lane::of_version(ContractVersion::V3).contains(&lane));
    }
    assert_eq!(Lane::of_version(ContractVersion::V1).len(), 7);
    assert_eq!(Lane::of_version(ContractVersion::V3).len(), 10);
    assert_eq!(normalize_lane("doing").unwrap(), Lane::InProgress);
    let error = normalize_lane("sideways").unwrap_err().to_string();
    assert!(error.contains("lane"), "{error}");
    assert!(error.contains("\"sideways\""), "{error}");
    assert!("Done".parse::<Lane>().is_err());
}

#[test]
fn mission_statuses_and_execution_modes_have_their_names() {
    let statuses = [
        (MissionStatus::Active, "active", false),
        (MissionStatus::Completed, "completed", true),
        (MissionStatus::Cancelled, "cancelled", true),
        (MissionStatus::Reopened, "reopened", false),
    ];
    for (status, name, terminal) in statuses {
        assert_eq!(status.as_str(), name);
        assert_eq!(status.to_string(), name);
        assert_eq!(status.is_terminal(), terminal, "{name}");
        assert_eq!(TERMINAL_MISSION_STATUSES.contains(&status), terminal);
    }
    assert_eq!(ExecutionMode::Worktree.as_str(), "worktree");
    assert_eq!(ExecutionMode::DirectRepo.as_str(), "direct_repo");
    assert_eq!(ExecutionMode::Worktree.to_string(), "worktree");
    assert_eq!(ExecutionMode::DirectRepo.to_string(), "direct_repo");
}

#[test]
fn contract_versions_name_their_schema_and_release() {
    assert_eq!(ContractVersion::V1.schema_version(), "1.0.0");
    assert_eq!(ContractVersion::V3.schema_version(), "3.0.0");
    assert_eq!(ContractVersion::V1.reference_release(), "0.4.0a0");
    assert_eq!(ContractVersion::V3.reference_release(), "11.0.0");
    let majors = [
        (0, ContractVersion::V1),
        (1, ContractVersion::V1),
        (2, ContractVersion::V1),
        (3, ContractVersion::V3),
        (4, ContractVersion::V3),
        (u64::MAX, ContractVersion::V3),
    ];
    for (major, version) in majors {
        assert_eq!(ContractVersion::of_schema_major(major), version, "{major}");
    }
    assert_eq!(
        ContractVersion::V1.to_string(),
        "schema 1.0.0 (spec-kitty-events 0.4.0a0)"
    );
    assert_eq!(
        ContractVersion::V3.to_string(),
        "schema 3.0.0 (spec-kitty-events 11.0.0)"
    );
    assert_eq!(ContractVersion::CURRENT, ContractVersion::V3);
    assert_eq!(
        ContractVersion::ALL,
        [ContractVersion::V1, ContractVersion::V3]
    );
}

#[test]
fn the_matrices_allow_exactly_the_tabled_moves() {
    for (version, table) in [
        (ContractVersion::V1, V1_ALLOWED),
        (ContractVersion::V3, V3_ALLOWED),
    ] {
        for (from, from_name) in froms() {
            for (to, to_name, ..) in LANES {
                let expected = table.contains(&(from_name, to_name));
                assert_eq!(
                    is_allowed_transition_under(version, from, to),
                    expected,
                    "{version}: {from_name} -> {to_name}"
                );
                if version == ContractVersion::V1 {
                    assert_eq!(
                        is_allowed_transition(from, to),
                        expected,
                        "{from_name} -> {to_name}"
                    );
                }
            }
        }
    }
}

fn moved(from: &str, to: &str, force: bool, reason: bool, review_ref: bool) -> LaneMove {
    LaneMove {
        from: lane(from),
        to: lane(to).unwrap(),
        force,
        has_reason: reason,
        has_review_ref: review_ref,
    }
}

/// The verdict's violations, as written out from the rules.
fn violations(version: ContractVersion, change: LaneMove) -> Vec<String> {
    let verdict = validate_lane_move(version, &change);
    assert_eq!(verdict.valid, verdict.violations.is_empty());
    verdict.violations
}

#[test]
fn unforced_moves_outside_the_matrix_name_the_move() {
    for (version, table) in [
        (ContractVersion::V1, V1_ALLOWED),
        (ContractVersion::V3, V3_ALLOWED),
    ] {
        for (from, from_name) in froms() {
            for (to, to_name, ..) in LANES {
                let change = LaneMove {
                    from,
                    to,
                    force: false,
                    has_reason: true,
                    has_review_ref: true,
                };
                let mut expected = Vec::new();
                if matches!(from_name, "done" | "canceled") {
                    expected.push(format!("{from_name} is terminal; leaving it needs force"));
                }
                let rejection = version == ContractVersion::V3
                    && to_name == "planned"
                    && matches!(
                        from_name,
                        "in_progress" | "for_review" | "in_review" | "approved"
                    );
                if rejection {
                    expected.push(format!(
                        "review-rejection rollback {from_name} -> planned needs force"
                    ));
                } else if !table.contains(&(from_name, to_name)) {
                    expected.push(format!("{from_name} -> {to_name} is not allowed"));
                }
                assert_eq!(
                    violations(version, change),
                    expected,
                    "{version}: {from_name} -> {to_name}"
                );
            }
        }
    }
}

/// (version, from, to, forced, with a reason, with a review_ref, the
/// violations expected).
type GuardCase = (
    ContractVersion,
    &'static str,
    &'static str,
    bool,
    bool,
    bool,
    &'static [&'static str],
);

#[test]
fn forced_moves_skip_the_matrix_but_not_the_guards() {
    use ContractVersion::{V1, V3};
    // Forced, with reason and review_ref: nothing is broken, whatever lanes.
    for version in [V1, V3] {
        for (from, _) in froms() {
            for (to, ..) in LANES {
                let change = LaneMove {
                    from,
                    to,
                    force: true,
                    has_reason: true,
                    has_review_ref: true,
                };
                let valid_lanes = to.exists_in(version);
                if valid_lanes {
                    assert_eq!(violations(version, change), Vec::<String>::new());
                }
            }
        }
    }
    let cases: &[GuardCase] = &[
        (
            V1,
            "for_review",
            "in_progress",
            true,
            true,
            false,
            &["for_review -> in_progress needs a review_ref"],
        ),
        (
            V1,
            "for_review",
            "in_progress",
            false,
            true,
            false,
            &["for_review -> in_progress needs a review_ref"],
        ),
        (V1, "for_review", "in_progress", false, false, true, &[]),
        (
            V1,
            "in_progress",
            "planned",
            true,
            false,
            true,
            &["in_progress -> planned needs a reason"],
        ),
        (
            V1,
            "in_progress",
            "planned",
            false,
            false,
            false,
            &["in_progress -> planned needs a reason"],
        ),
        (V1, "in_progress", "planned", false, true, false, &[]),
        // 0.4 has no in_review/approved rollbacks: only for_review's.
        (V1, "done", "in_progress", true, false, false, &[]),
        (V1, "blocked", "in_progress", false, false, false, &[]),
        (
            V3,
            "for_review",
            "in_progress",
            false,
            false,
            false,
            &["for_review -> in_progress needs a review_ref"],
        ),
        (
            V3,
            "in_review",
            "in_progress",
            true,
            true,
            false,
            &["in_review -> in_progress needs a review_ref"],
        ),
        (
            V3,
            "approved",
            "in_progress",
            false,
            true,
            false,
            &["approved -> in_progress needs a review_ref"],
        ),
        (V3, "approved", "in_progress", false, false, true, &[]),
        (V3, "in_progress", "planned", true, false, false, &[]),
        (V3, "blocked", "in_progress", false, false, false, &[]),
        (
            V3,
            "done",
            "planned",
            false,
            true,
            true,
            &[
                "done is terminal; leaving it needs force",
                "done -> planned is not allowed",
            ],
        ),
        (
            V3,
            "canceled",
            "in_progress",
            false,
            false,
            false,
            &[
                "canceled is terminal; leaving it needs force",
                "canceled -> in_progress is not allowed",
            ],
        ),
        (
            V1,
            "done",
            "for_review",
            false,
            false,
            false,
            &[
                "done is terminal; leaving it needs force",
                "done -> for_review is not allowed",
            ],
        ),
        (
            V1,
            "none",
            "claimed",
            false,
            false,
            false,
            &["none -> claimed is not allowed"],
        ),
        (V1, "for_review", "in_review", true, true, true, &[]),
    ];
    for &(version, from, to, force, reason, review_ref, expected) in cases {
        let change = moved(from, to, force, reason, review_ref);
        let verdict = validate_lane_move(version, &change);
        if version == V1 && to == "in_review" {
            // A 0.4 lane name it does not have is refused by the matrix only.
            assert!(verdict.valid, "forced: the matrix is skipped");
            continue;
        }
        assert_eq!(
            verdict.violations, expected,
            "{version}: {from} -> {to} force={force}"
        );
        assert_eq!(verdict.valid, expected.is_empty());
    }
}

#[test]
fn lanes_a_version_does_not_have_are_never_allowed() {
    for (lane, name, in_v1, ..) in LANES {
        if in_v1 {
            continue;
        }
        for (other, ..) in LANES {
            assert!(!is_allowed_transition(Some(lane), other), "{name} -> any");
            assert!(!is_allowed_transition(Some(other), lane), "any -> {name}");
        }
        assert!(!is_allowed_transition(None, lane));
    }
}

fn v1_payload(from: Option<&str>, to: &str, extra: serde_json::Value) -> StatusTransitionPayload {
    let mut value = json!({"feature_slug": "f", "wp_id": "WP07", "from_lane": from, "to_lane": to, "actor": "a", "execution_mode": "worktree"});
    for (key, field) in extra.as_object().unwrap() {
        value[key] = field.clone();
    }
    serde_json::from_value(value).unwrap()
}

fn v3_payload(from: Option<&str>, to: &str, extra: serde_json::Value) -> StatusTransitionPayloadV3 {
    let mut value = json!({"mission_slug": "m", "wp_id": "WP08", "from_lane": from, "to_lane": to, "actor": "a", "execution_mode": "worktree"});
    for (key, field) in extra.as_object().unwrap() {
        value[key] = field.clone();
    }
    serde_json::from_value(value).unwrap()
}

#[test]
fn status_changes_read_each_versions_payload() {
    let payload = v1_payload(
        Some("for_review"),
        "in_progress",
        json!({"review_ref": "r1"}),
    );
    let change = StatusChange::of_v1(&payload);
    assert_eq!(change.version, ContractVersion::V1);
    assert_eq!(change.mission_slug.as_str(), "f");
    assert_eq!(change.wp_id.as_str(), "WP07");
    assert_eq!(
        change.lane_move,
        moved("for_review", "in_progress", false, false, true)
    );
    assert!(change.is_review_rollback());
    assert!(!change.is_bootstrap_planned());
    assert!(validate_transition(&payload).valid);

    let forced = v1_payload(
        Some("in_progress"),
        "planned",
        json!({"force": true, "reason": "r"}),
    );
    assert_eq!(
        StatusChange::of_v1(&forced).lane_move,
        moved("in_progress", "planned", true, true, false)
    );
    // 0.4 has no bootstrap seed, even forced into planned from nothing.
    let seed_v1 = v1_payload(None, "planned", json!({"force": true, "reason": "seed"}));
    assert!(!StatusChange::of_v1(&seed_v1).is_bootstrap_planned());

    // Empty reason and review_ref count as none in 3.0.0.
    let empty = v3_payload(
        Some("in_review"),
        "in_progress",
        json!({"review_ref": "", "reason": ""}),
    );
    let change = StatusChange::of_v3(&empty);
    assert_eq!(change.version, ContractVersion::V3);
    assert_eq!(change.mission_slug.as_str(), "m");
    assert_eq!(change.wp_id.as_str(), "WP08");
    assert_eq!(
        change.lane_move,
        moved("in_review", "in_progress", false, false, false)
    );
    assert!(!change.is_review_rollback());
    assert_eq!(
        validate_transition_v3(&empty).violations,
        ["in_review -> in_progress needs a review_ref"]
    );
    let given = v3_payload(
        Some("approved"),
        "in_progress",
        json!({"review_ref": "r", "reason": "x"}),
    );
    let change = StatusChange::of_v3(&given);
    assert_eq!(
        change.lane_move,
        moved("approved", "in_progress", false, true, true)
    );
    assert!(change.is_review_rollback());
    assert!(validate_transition_v3(&given).valid);
}

#[test]
fn review_rollbacks_and_bootstrap_seeds_are_recognised_by_the_table() {
    use ContractVersion::{V1, V3};
    // (version, from, to, review_ref, is a rollback)
    let rollbacks = [
        (V1, "for_review", "in_progress", true, true),
        (V1, "for_review", "in_progress", false, false),
        (V1, "in_review", "in_progress", true, false),
        (V1, "approved", "in_progress", true, false),
        (V1, "for_review", "done", true, false),
        (V1, "blocked", "in_progress", true, false),
        (V3, "for_review", "in_progress", true, true),
        (V3, "in_review", "in_progress", true, true),
        (V3, "approved", "in_progress", true, true),
        (V3, "approved", "in_progress", false, false),
        (V3, "in_progress", "for_review", true, false),
        (V3, "blocked", "in_progress", true, false),
        (V3, "in_review", "approved", true, false),
    ];
    let slug = spec_kitty_events::contract::NonEmptyString::new("m").unwrap();
    let wp_id = spec_kitty_events::contract::NonEmptyString::new("WP01").unwrap();
    for (version, from, to, review_ref, expected) in rollbacks {
        let change = StatusChange {
            version,
            mission_slug: &slug,
            wp_id: &wp_id,
            lane_move: moved(from, to, false, false, review_ref),
            evidence: None,
        };
        assert_eq!(
            change.is_review_rollback(),
            expected,
            "{version}: {from} -> {to}"
        );
    }
    // (version, from, to, force, is a seed)
    let seeds = [
        (V3, "none", "planned", true, true),
        (V3, "planned", "planned", true, true),
        (V3, "none", "planned", false, false),
        (V3, "claimed", "planned", true, false),
        (V3, "none", "claimed", true, false),
        (V1, "none", "planned", true, false),
        (V1, "planned", "planned", true, false),
    ];
    for (version, from, to, force, expected) in seeds {
        let change = StatusChange {
            version,
            mission_slug: &slug,
            wp_id: &wp_id,
            lane_move: moved(from, to, force, true, false),
            evidence: None,
        };
        assert_eq!(
            change.is_bootstrap_planned(),
            expected,
            "{version}: {from} -> {to} force={force}"
        );
        assert_eq!(
            change.validate(),
            validate_lane_move(version, &change.lane_move)
        );
    }
}

#[test]
fn only_status_payloads_hold_a_status_change() {
    let v1 = v1_payload(Some("planned"), "claimed", json!({}));
    let known = KnownPayload::WPStatusChanged(v1);
    let change = known.status_change().unwrap();
    assert_eq!(change.version, ContractVersion::V1);
    assert_eq!(
        change.lane_move,
        moved("planned", "claimed", false, false, false)
    );
    let v3 = v3_payload(Some("planned"), "claimed", json!({}));
    let change = KnownPayload::from(v3);
    assert_eq!(change.status_change().unwrap().version, ContractVersion::V3);
    let other: KnownPayload = KnownPayload::MissionCompleted(
        serde_json::from_value(json!({"mission_id": "M1", "mission_type": "software-dev", "final_phase": "accept", "actor": "rob"})).unwrap(),
    );
    assert!(other.status_change().is_none());
}
