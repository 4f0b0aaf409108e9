//! The full transition matrix, written out: every (from or none, to, force),
//! with and without the guard fields, and its verdict. Then the same cases are
//! put to the Python reference's `validate_transition`, which must agree.

#[path = "support/reference.rs"]
mod reference;

use serde_json::{Value, json};
use spec_kitty_events::contract::event_types::StatusTransitionPayload;
use spec_kitty_events::contract::validate_transition;

const FROM: [&str; 8] = [
    "none",
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "done",
    "blocked",
    "canceled",
];
const TO: [&str; 7] = [
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "done",
    "blocked",
    "canceled",
];

/// Verdicts, rows `FROM`, columns `TO`:
/// `Y` valid; `n` invalid; `g` invalid unless the guard field is given
/// (`reason` for in_progress→planned, `review_ref` for for_review→in_progress).
#[rustfmt::skip]
const WITHOUT_FORCE: [&str; 8] = [
    //  pl cl ip fr dn bl ca
    "   Y  n  n  n  n  n  n", // none
    "   n  Y  n  n  n  Y  Y", // planned
    "   n  n  Y  n  n  Y  Y", // claimed
    "   g  n  n  Y  n  Y  Y", // in_progress
    "   n  n  g  n  Y  Y  Y", // for_review
    "   n  n  n  n  n  n  n", // done
    "   n  n  Y  n  n  Y  Y", // blocked
    "   n  n  n  n  n  n  n", // canceled
];

/// With force the matrix is skipped, the guards are not. A forced move always
/// carries a reason (a payload rule), so only the review_ref guard can fail.
#[rustfmt::skip]
const WITH_FORCE: [&str; 8] = [
    //  pl cl ip fr dn bl ca
    "   Y  Y  Y  Y  Y  Y  Y", // none
    "   Y  Y  Y  Y  Y  Y  Y", // planned
    "   Y  Y  Y  Y  Y  Y  Y", // claimed
    "   Y  Y  Y  Y  Y  Y  Y", // in_progress
    "   Y  Y  g  Y  Y  Y  Y", // for_review
    "   Y  Y  Y  Y  Y  Y  Y", // done
    "   Y  Y  Y  Y  Y  Y  Y", // blocked
    "   Y  Y  Y  Y  Y  Y  Y", // canceled
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
                        "n" => false,
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
    assert_eq!(cases.len(), 8 * 7 * 2 * 2);
    cases
}

fn payload(case: &Case) -> Value {
    let evidence = json!({
        "repos": [{"repo": "r", "branch": "b", "commit": "abc"}],
        "review": {"reviewer": "ana", "verdict": "approved"}
    });
    json!({
        "feature_slug": "004",
        "wp_id": "WP01",
        "from_lane": if case.from == "none" { Value::Null } else { json!(case.from) },
        "to_lane": case.to,
        "actor": "rob",
        "force": case.force,
        "reason": if case.force || case.guarded { json!("a reason") } else { Value::Null },
        "execution_mode": "worktree",
        "review_ref": if case.guarded { json!("PR#1-review-1") } else { Value::Null },
        "evidence": if case.to == "done" { evidence } else { Value::Null },
    })
}

fn describe(case: &Case) -> String {
    format!(
        "{} -> {} force={} guarded={}",
        case.from, case.to, case.force, case.guarded
    )
}

#[test]
fn every_transition_has_the_tabled_verdict() {
    for case in cases() {
        let payload: StatusTransitionPayload = serde_json::from_value(payload(&case))
            .unwrap_or_else(|e| panic!("{}: {e}", describe(&case)));
        let verdict = validate_transition(&payload);
        assert_eq!(
            verdict.valid,
            case.valid,
            "{}: {:?}",
            describe(&case),
            verdict.violations
        );
        assert_eq!(
            verdict.violations.is_empty(),
            verdict.valid,
            "{}",
            describe(&case)
        );
    }
}

#[test]
fn the_python_reference_gives_the_same_verdicts() {
    let cases = cases();
    let input: String = cases.iter().map(|c| format!("{}\n", payload(c))).collect();
    let verdicts: Vec<Value> = reference::run("validate_transitions.py", &[], &input)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(verdicts.len(), cases.len());
    let disagreements: Vec<String> = cases
        .iter()
        .zip(&verdicts)
        .filter(|(case, verdict)| verdict["valid"] != json!(case.valid))
        .map(|(case, verdict)| format!("{}: reference says {verdict}", describe(case)))
        .collect();
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
