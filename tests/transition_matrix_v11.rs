//! The schema 3.0.0 transition matrix, written out: every (from or none, to,
//! force), with and without the guard fields, and its verdict. The same
//! cases are put to spec-kitty-events 11.0.0's `validate_transition`, which
//! must agree. (The 0.4 matrix is `tests/transition_matrix.rs`.)

#[path = "support/reference.rs"]
mod reference;

use reference::Oracle;
use serde_json::{Value, json};
use spec_kitty_events::contract::event_types::{StatusTransitionPayloadV3, WP_STATUS_CHANGED};
use spec_kitty_events::contract::{
    ContractVersion, Lane, TransitionValidation, is_allowed_transition_under, validate_lane_move,
    validate_transition_v3,
};

const FROM: [&str; 11] = [
    "none",
    "genesis",
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "in_review",
    "approved",
    "done",
    "blocked",
    "canceled",
];
const TO: [&str; 10] = [
    "genesis",
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "in_review",
    "approved",
    "done",
    "blocked",
    "canceled",
];

/// Verdicts, rows `FROM`, columns `TO`: `Y` valid; `n` invalid; `g` invalid
/// unless the guard field `review_ref` is given (the review rollbacks to
/// in_progress); `f` a review rejection back to planned, invalid unforced
/// whatever the guards.
#[rustfmt::skip]
const WITHOUT_FORCE: [&str; 11] = [
    //  ge pl cl ip fr ir ap dn bl ca
    "   n  Y  n  n  n  n  n  n  n  n", // none
    "   n  Y  n  n  n  n  n  n  Y  Y", // genesis
    "   n  n  Y  n  n  n  n  n  Y  Y", // planned
    "   n  n  n  Y  n  n  n  n  Y  Y", // claimed
    "   n  f  n  n  Y  n  Y  n  Y  Y", // in_progress
    "   n  f  n  g  n  Y  Y  Y  Y  Y", // for_review
    "   n  f  n  g  Y  n  Y  Y  Y  Y", // in_review
    "   n  f  n  g  n  n  n  Y  Y  Y", // approved
    "   n  n  n  n  n  n  n  n  n  n", // done
    "   n  n  n  Y  n  n  n  n  Y  Y", // blocked
    "   n  n  n  n  n  n  n  n  n  n", // canceled
];

/// With force the matrix is skipped (terminal lanes and genesis included);
/// the review_ref guard is not.
#[rustfmt::skip]
const WITH_FORCE: [&str; 11] = [
    //  ge pl cl ip fr ir ap dn bl ca
    "   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y", // none
    "   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y", // genesis
    "   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y", // planned
    "   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y", // claimed
    "   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y", // in_progress
    "   Y  Y  Y  g  Y  Y  Y  Y  Y  Y", // for_review
    "   Y  Y  Y  g  Y  Y  Y  Y  Y  Y", // in_review
    "   Y  Y  Y  g  Y  Y  Y  Y  Y  Y", // approved
    "   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y", // done
    "   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y", // blocked
    "   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y", // canceled
];

struct Case {
    from: &'static str,
    to: &'static str,
    force: bool,
    guarded: bool,
    valid: bool,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (force, table) in [(false, WITHOUT_FORCE), (true, WITH_FORCE)] {
        for (row, from) in table.iter().zip(FROM) {
            let verdicts: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(verdicts.len(), TO.len());
            for (verdict, to) in verdicts.into_iter().zip(TO) {
                for guarded in [false, true] {
                    let valid = match verdict {
                        "Y" => true,
                        "n" | "f" => false,
                        "g" => guarded,
                        other => panic!("bad verdict {other}"),
                    };
                    cases.push(Case {
                        from,
                        to,
                        force,
                        guarded,
                        valid,
                    });
                }
            }
        }
    }
    assert_eq!(cases.len(), 11 * 10 * 2 * 2);
    cases
}

fn payload(case: &Case) -> Value {
    let evidence = json!({
        "repos": [{"repo": "r", "branch": "b", "commit": "abc"}],
        "review": {"reviewer": "ana", "verdict": "approved"}
    });
    json!({
        "mission_slug": "mission-001",
        "wp_id": "WP01",
        "from_lane": if case.from == "none" { Value::Null } else { json!(case.from) },
        "to_lane": case.to,
        "actor": "rob",
        "force": case.force,
        "reason": if case.force || case.guarded { json!("a reason") } else { Value::Null },
        "execution_mode": "worktree",
        "review_ref": if case.guarded { json!("review-cycle://1") } else { Value::Null },
        "evidence": if matches!(case.to, "done" | "approved") { evidence } else { Value::Null },
    })
}

fn describe(case: &Case) -> String {
    format!(
        "{} -> {} force={} guarded={}",
        case.from, case.to, case.force, case.guarded
    )
}

fn ours(case: &Case) -> TransitionValidation {
    let payload: StatusTransitionPayloadV3 =
        serde_json::from_value(payload(case)).unwrap_or_else(|e| panic!("{}: {e}", describe(case)));
    validate_transition_v3(&payload)
}

#[test]
fn every_transition_has_the_tabled_verdict() {
    for case in cases() {
        let verdict = ours(&case);
        assert_eq!(
            verdict.valid,
            case.valid,
            "{}: {:?}",
            describe(&case),
            verdict.violations
        );
        assert_eq!(verdict.violations.is_empty(), verdict.valid);
    }
}

#[test]
fn the_review_rejections_name_force_and_the_rollbacks_name_review_ref() {
    for case in cases().iter().filter(|c| !c.valid) {
        let violations = ours(case).violations.join("; ");
        if case.to == "planned"
            && ["in_progress", "for_review", "in_review", "approved"].contains(&case.from)
        {
            assert!(
                violations.contains("review-rejection") && violations.contains("force"),
                "{violations}"
            );
        }
        if case.to == "in_progress" && ["for_review", "in_review", "approved"].contains(&case.from)
        {
            assert!(violations.contains("review_ref"), "{violations}");
        }
    }
}

#[test]
fn the_21_explicit_moves_of_the_matrix() {
    // The issue's count: the unforced moves between lanes that are not the
    // generic "any live lane -> blocked or canceled" (16), the seed of a
    // new work package (none -> planned), and the four review rejections
    // back to planned (forced).
    let lanes = Lane::CURRENT;
    let explicit = lanes
        .iter()
        .flat_map(|from| lanes.iter().map(move |to| (*from, *to)))
        .filter(|(_, to)| !matches!(to, Lane::Blocked | Lane::Canceled))
        .filter(|(from, to)| is_allowed_transition_under(ContractVersion::V3, Some(*from), *to))
        .count();
    let rejections = 4;
    let seed = usize::from(is_allowed_transition_under(
        ContractVersion::V3,
        None,
        Lane::Planned,
    ));
    assert_eq!(explicit, 16);
    assert_eq!(explicit + rejections + seed, 21);
}

#[test]
fn a_move_is_judged_by_its_own_version() {
    // in_progress -> planned with a reason: valid under 0.4, a review
    // rejection needing force under 3.0.0 (spec-kitty issue 3001).
    let abandon = |version| {
        validate_lane_move(
            version,
            &spec_kitty_events::contract::LaneMove {
                from: Some(Lane::InProgress),
                to: Lane::Planned,
                force: false,
                has_reason: true,
                has_review_ref: false,
            },
        )
        .valid
    };
    assert!(abandon(ContractVersion::V1));
    assert!(!abandon(ContractVersion::V3));
    // The 0.4 contract has no in_review lane.
    let v1 = spec_kitty_events::contract::event_types::KnownPayload::decode_under(
        ContractVersion::V1,
        WP_STATUS_CHANGED,
        r#"{"feature_slug":"f","wp_id":"WP01","from_lane":"for_review","to_lane":"in_review","actor":"a","execution_mode":"worktree"}"#,
    )
    .unwrap_err();
    assert_eq!(v1.field(), "payload.to_lane");
    assert_eq!(v1.version(), Some(ContractVersion::V1));
    // What `validate` prints for the line names the version.
    assert!(
        v1.to_string()
            .ends_with("[rule of schema 1.0.0 (spec-kitty-events 0.4.0a0)]"),
        "{v1}"
    );
}

#[test]
fn spec_kitty_events_11_gives_the_same_verdicts() {
    let cases = cases();
    let input: String = cases.iter().map(|c| format!("{}\n", payload(c))).collect();
    let verdicts: Vec<Value> =
        reference::run_with(Oracle::V11, "validate_transitions.py", &[], &input)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    assert_eq!(verdicts.len(), cases.len());
    let disagreements: Vec<String> = cases
        .iter()
        .zip(&verdicts)
        .filter(|(case, verdict)| verdict["valid"] != json!(case.valid))
        .map(|(case, verdict)| format!("{}: 11.0.0 says {verdict}", describe(case)))
        .collect();
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
