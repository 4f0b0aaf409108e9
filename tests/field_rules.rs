//! One test per field rule: a valid event with one field broken is rejected
//! with an error naming that field.
//!
//! Envelope rules are checked by `Event::from_json`; payload rules by
//! `Event::decode_payload` (the envelope stays valid: a log may carry a payload
//! that does not decode, and the reducers record it) and by the builder, which
//! refuses to make such an event. The tests are generated from the table at
//! the bottom.

use serde_json::{Value, json};
use spec_kitty_events::contract::Event;
use spec_kitty_events::contract::event_types::KnownPayload;

fn envelope(event_type: &str, payload: Value) -> Value {
    json!({
        "event_id": "01JKQ4V7C00000000000000001",
        "event_type": event_type,
        "aggregate_id": "M1",
        "payload": payload,
        "timestamp": "2026-02-09T11:00:01Z",
        "node_id": "cli",
        "lamport_clock": 1,
        "causation_id": "01JKQ4V7C00000000000000000",
        "project_uuid": "00000000-0000-0000-0000-000000000001",
        "project_slug": "spec-kitty",
        "correlation_id": "01JKQ4V7C00000000000000C0R",
        "schema_version": "1.0.0",
        "data_tier": 2
    })
}

fn started() -> Value {
    envelope(
        "MissionStarted",
        json!({"mission_id": "M1", "mission_type": "software-dev", "initial_phase": "specify", "actor": "rob"}),
    )
}

fn completed() -> Value {
    envelope(
        "MissionCompleted",
        json!({"mission_id": "M1", "mission_type": "software-dev", "final_phase": "accept", "actor": "rob"}),
    )
}

fn cancelled() -> Value {
    envelope(
        "MissionCancelled",
        json!({"mission_id": "M1", "reason": "scope moved", "actor": "rob", "cancelled_wp_ids": ["WP01"]}),
    )
}

fn phase() -> Value {
    envelope(
        "PhaseEntered",
        json!({"mission_id": "M1", "phase_name": "plan", "previous_phase": "specify", "actor": "rob"}),
    )
}

fn rollback() -> Value {
    envelope(
        "ReviewRollback",
        json!({"mission_id": "M1", "review_ref": "PR#1", "target_phase": "implement", "affected_wp_ids": ["WP01"], "actor": "ana"}),
    )
}

fn status() -> Value {
    envelope(
        "WPStatusChanged",
        json!({"feature_slug": "004", "wp_id": "WP01", "from_lane": "planned", "to_lane": "claimed",
               "actor": "rob", "force": false, "reason": null, "execution_mode": "worktree",
               "review_ref": null, "evidence": null}),
    )
}

fn done() -> Value {
    envelope(
        "WPStatusChanged",
        json!({"feature_slug": "004", "wp_id": "WP01", "from_lane": "for_review", "to_lane": "done",
               "actor": "ana", "execution_mode": "worktree",
               "evidence": {
                   "repos": [{"repo": "r", "branch": "b", "commit": "abc", "files_touched": ["a.rs"]}],
                   "verification": [{"command": "cargo test", "result": "pass", "summary": null}],
                   "review": {"reviewer": "ana", "verdict": "approved", "reference": null}}}),
    )
}

fn passed() -> Value {
    envelope(
        "GatePassed",
        json!({"gate_name": "ci/build", "gate_type": "ci", "conclusion": "success",
               "external_provider": "github", "check_run_id": 42,
               "check_run_url": "https://github.com/o/r/runs/42", "delivery_id": "d1", "pr_number": 7}),
    )
}

fn failed() -> Value {
    let mut event = passed();
    event["event_type"] = json!("GateFailed");
    event["payload"]["conclusion"] = json!("failure");
    event
}

/// A change to a valid event.
enum Edit {
    Set(&'static str, Value),
    Remove(&'static str),
    Replace(&'static str),
}

fn apply(mut event: Value, edit: &Edit) -> String {
    match edit {
        Edit::Set(pointer, value) => {
            *event
                .pointer_mut(pointer)
                .unwrap_or_else(|| panic!("no {pointer}")) = value.clone();
        }
        Edit::Remove(pointer) => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let removed = event
                .pointer_mut(parent)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(key);
            assert!(removed.is_some(), "no {pointer}");
        }
        Edit::Replace(text) => return (*text).to_owned(),
    }
    event.to_string()
}

fn check(base: Value, edit: Edit, field: &str) {
    // The unbroken event is valid, so the edit is what the error is about.
    let good = Event::from_json(&base.to_string()).unwrap();
    assert!(good.to_typed_payload().is_ok(), "base payload invalid");

    let line = apply(base, &edit);
    if field.starts_with("payload.") {
        let event = Event::from_json(&line).unwrap_or_else(|e| panic!("envelope rejected: {e}"));
        let err = event.to_typed_payload().unwrap_err();
        assert_eq!(err.field(), field, "{err} for {line}");
        assert!(!err.message().is_empty());
        let direct = KnownPayload::decode(event.event_type(), event.payload().json()).unwrap_err();
        assert_eq!(direct, err);
        let built = event.to_builder().build().unwrap_err();
        assert_eq!(built.field(), field, "builder: {built}");
    } else {
        let err = Event::from_json(&line).unwrap_err();
        assert_eq!(err.field(), field, "{err} for {line}");
        assert!(!err.message().is_empty());
    }
}

macro_rules! rules {
    ($($name:ident: $base:ident, $edit:expr => $field:expr;)+) => {
        $(
            #[test]
            fn $name() {
                check($base(), $edit, $field);
            }
        )+
    };
}

use Edit::{Remove, Replace, Set};

rules! {
    // The line itself.
    not_json: started, Replace("nope") => "";
    truncated_json: started, Replace("{\"event_id\":") => "event_id";
    not_an_object: started, Replace("[1,2]") => "";

    // Envelope.
    event_id_missing: started, Remove("/event_id") => "event_id";
    event_id_empty: started, Set("/event_id", json!("")) => "event_id";
    event_id_wrong_type: started, Set("/event_id", json!(7)) => "event_id";
    event_id_too_short: started, Set("/event_id", json!("01JKQ4V7C0000000000000001")) => "event_id";
    event_id_not_crockford: started, Set("/event_id", json!("01JKQ4V7C0000000000000000U")) => "event_id";
    event_id_overflows: started, Set("/event_id", json!("81JKQ4V7C00000000000000001")) => "event_id";
    event_type_missing: started, Remove("/event_type") => "event_type";
    event_type_empty: started, Set("/event_type", json!("")) => "event_type";
    event_type_wrong_type: started, Set("/event_type", json!(null)) => "event_type";
    aggregate_id_missing: started, Remove("/aggregate_id") => "aggregate_id";
    aggregate_id_empty: started, Set("/aggregate_id", json!("")) => "aggregate_id";
    payload_not_an_object: started, Set("/payload", json!(["mission_id"])) => "payload";
    payload_a_string: started, Set("/payload", json!("{}")) => "payload";
    timestamp_missing: started, Remove("/timestamp") => "timestamp";
    timestamp_not_a_time: started, Set("/timestamp", json!("yesterday")) => "timestamp";
    timestamp_impossible_date: started, Set("/timestamp", json!("2026-02-30T11:00:01Z")) => "timestamp";
    timestamp_wrong_type: started, Set("/timestamp", json!(1_770_634_801)) => "timestamp";
    node_id_missing: started, Remove("/node_id") => "node_id";
    node_id_empty: started, Set("/node_id", json!("")) => "node_id";
    lamport_clock_missing: started, Remove("/lamport_clock") => "lamport_clock";
    lamport_clock_negative: started, Set("/lamport_clock", json!(-1)) => "lamport_clock";
    lamport_clock_string: started, Set("/lamport_clock", json!("1")) => "lamport_clock";
    lamport_clock_fraction: started, Set("/lamport_clock", json!(1.5)) => "lamport_clock";
    causation_id_bad_ulid: started, Set("/causation_id", json!("parent")) => "causation_id";
    causation_id_empty: started, Set("/causation_id", json!("")) => "causation_id";
    project_uuid_missing: started, Remove("/project_uuid") => "project_uuid";
    project_uuid_bad: started, Set("/project_uuid", json!("00000000-0000-0000-0000-00000000000g")) => "project_uuid";
    project_uuid_empty: started, Set("/project_uuid", json!("")) => "project_uuid";
    project_slug_wrong_type: started, Set("/project_slug", json!(5)) => "project_slug";
    correlation_id_missing: started, Remove("/correlation_id") => "correlation_id";
    correlation_id_bad_ulid: started, Set("/correlation_id", json!("mission-1")) => "correlation_id";
    schema_version_two_parts: started, Set("/schema_version", json!("1.0")) => "schema_version";
    schema_version_prefixed: started, Set("/schema_version", json!("v1.0.0")) => "schema_version";
    schema_version_prerelease: started, Set("/schema_version", json!("1.0.0-beta")) => "schema_version";
    schema_version_number: started, Set("/schema_version", json!(1)) => "schema_version";
    data_tier_five: started, Set("/data_tier", json!(5)) => "data_tier";
    data_tier_negative: started, Set("/data_tier", json!(-1)) => "data_tier";
    data_tier_string: started, Set("/data_tier", json!("0")) => "data_tier";

    // WPStatusChanged.
    status_feature_slug_missing: status, Remove("/payload/feature_slug") => "payload.feature_slug";
    status_feature_slug_empty: status, Set("/payload/feature_slug", json!("")) => "payload.feature_slug";
    status_wp_id_empty: status, Set("/payload/wp_id", json!("")) => "payload.wp_id";
    status_from_lane_unknown: status, Set("/payload/from_lane", json!("nowhere")) => "payload.from_lane";
    status_to_lane_missing: status, Remove("/payload/to_lane") => "payload.to_lane";
    status_to_lane_empty: status, Set("/payload/to_lane", json!("")) => "payload.to_lane";
    status_to_lane_wrong_type: status, Set("/payload/to_lane", json!(3)) => "payload.to_lane";
    status_actor_empty: status, Set("/payload/actor", json!("")) => "payload.actor";
    status_force_wrong_type: status, Set("/payload/force", json!("yes")) => "payload.force";
    status_force_without_reason: status, Set("/payload/force", json!(true)) => "payload.reason";
    status_reason_empty: status, Set("/payload/reason", json!("")) => "payload.reason";
    status_execution_mode_unknown: status, Set("/payload/execution_mode", json!("remote")) => "payload.execution_mode";
    status_execution_mode_missing: status, Remove("/payload/execution_mode") => "payload.execution_mode";
    status_review_ref_empty: status, Set("/payload/review_ref", json!("")) => "payload.review_ref";
    done_without_evidence: done, Remove("/payload/evidence") => "payload.evidence";
    done_with_null_evidence: done, Set("/payload/evidence", json!(null)) => "payload.evidence";
    done_evidence_empty_repos: done, Set("/payload/evidence/repos", json!([])) => "payload.evidence.repos";
    done_evidence_repo_commit_empty: done, Set("/payload/evidence/repos/0/commit", json!("")) => "payload.evidence.repos[0].commit";
    done_evidence_repo_branch_missing: done, Remove("/payload/evidence/repos/0/branch") => "payload.evidence.repos[0].branch";
    done_evidence_files_touched_wrong_type: done, Set("/payload/evidence/repos/0/files_touched", json!("a.rs")) => "payload.evidence.repos[0].files_touched";
    done_evidence_verification_result_missing: done, Remove("/payload/evidence/verification/0/result") => "payload.evidence.verification[0].result";
    done_evidence_review_missing: done, Remove("/payload/evidence/review") => "payload.evidence.review";
    done_evidence_reviewer_empty: done, Set("/payload/evidence/review/reviewer", json!("")) => "payload.evidence.review.reviewer";

    // GatePassed / GateFailed.
    gate_name_empty: passed, Set("/payload/gate_name", json!("")) => "payload.gate_name";
    gate_type_not_ci: passed, Set("/payload/gate_type", json!("cd")) => "payload.gate_type";
    gate_passed_with_failure: passed, Set("/payload/conclusion", json!("failure")) => "payload.conclusion";
    gate_failed_with_success: failed, Set("/payload/conclusion", json!("success")) => "payload.conclusion";
    gate_failed_with_neutral: failed, Set("/payload/conclusion", json!("neutral")) => "payload.conclusion";
    gate_conclusion_case: failed, Set("/payload/conclusion", json!("Failure")) => "payload.conclusion";
    gate_provider_not_github: passed, Set("/payload/external_provider", json!("gitlab")) => "payload.external_provider";
    gate_check_run_id_as_string: passed, Set("/payload/check_run_id", json!("42")) => "payload.check_run_id";
    gate_check_run_id_zero: passed, Set("/payload/check_run_id", json!(0)) => "payload.check_run_id";
    gate_check_run_id_negative: failed, Set("/payload/check_run_id", json!(-5)) => "payload.check_run_id";
    gate_check_run_id_fraction: failed, Set("/payload/check_run_id", json!(4.2)) => "payload.check_run_id";
    gate_check_run_id_missing: passed, Remove("/payload/check_run_id") => "payload.check_run_id";
    gate_check_run_url_not_http: passed, Set("/payload/check_run_url", json!("ftp://github.com/x")) => "payload.check_run_url";
    gate_check_run_url_not_a_url: failed, Set("/payload/check_run_url", json!("runs/42")) => "payload.check_run_url";
    gate_delivery_id_empty: passed, Set("/payload/delivery_id", json!("")) => "payload.delivery_id";
    gate_pr_number_zero: passed, Set("/payload/pr_number", json!(0)) => "payload.pr_number";
    gate_pr_number_as_string: failed, Set("/payload/pr_number", json!("7")) => "payload.pr_number";

    // Lifecycle payloads.
    started_mission_id_missing: started, Remove("/payload/mission_id") => "payload.mission_id";
    started_mission_id_empty: started, Set("/payload/mission_id", json!("")) => "payload.mission_id";
    started_mission_type_empty: started, Set("/payload/mission_type", json!("")) => "payload.mission_type";
    started_initial_phase_missing: started, Remove("/payload/initial_phase") => "payload.initial_phase";
    started_actor_wrong_type: started, Set("/payload/actor", json!(["rob"])) => "payload.actor";
    completed_final_phase_empty: completed, Set("/payload/final_phase", json!("")) => "payload.final_phase";
    completed_mission_type_missing: completed, Remove("/payload/mission_type") => "payload.mission_type";
    cancelled_reason_empty: cancelled, Set("/payload/reason", json!("")) => "payload.reason";
    cancelled_wp_ids_wrong_type: cancelled, Set("/payload/cancelled_wp_ids", json!("WP01")) => "payload.cancelled_wp_ids";
    cancelled_wp_id_empty: cancelled, Set("/payload/cancelled_wp_ids", json!(["WP01", ""])) => "payload.cancelled_wp_ids[1]";
    phase_name_empty: phase, Set("/payload/phase_name", json!("")) => "payload.phase_name";
    phase_previous_empty: phase, Set("/payload/previous_phase", json!("")) => "payload.previous_phase";
    phase_actor_missing: phase, Remove("/payload/actor") => "payload.actor";
    rollback_review_ref_empty: rollback, Set("/payload/review_ref", json!("")) => "payload.review_ref";
    rollback_target_phase_missing: rollback, Remove("/payload/target_phase") => "payload.target_phase";
    rollback_affected_wp_id_wrong_type: rollback, Set("/payload/affected_wp_ids", json!([1])) => "payload.affected_wp_ids[0]";
}

/// What is not a violation: defaults, aliases, unknown fields.
#[test]
fn defaults_aliases_and_unknown_fields_are_accepted() {
    let mut event = status();
    for key in [
        "causation_id",
        "project_slug",
        "schema_version",
        "data_tier",
    ] {
        event.as_object_mut().unwrap().remove(key);
    }
    event["payload"]["from_lane"] = json!("doing");
    event["payload"]["to_lane"] = json!("for_review");
    event["payload"]["added_in_1_1"] = json!({"x": 1});
    event["added_in_1_1"] = json!(true);
    let event = Event::from_json(&event.to_string()).unwrap();
    assert_eq!(event.schema_version().as_str(), "1.0.0");
    assert_eq!(event.data_tier().get(), 0);
    assert_eq!(event.causation_id(), None);
    let Some(KnownPayload::WPStatusChanged(p)) = event.to_typed_payload().unwrap() else {
        panic!("a status payload")
    };
    assert_eq!(p.from_lane().map(|l| l.as_str()), Some("in_progress"));
    // An event without a payload has `{}`.
    let mut bare = started();
    bare.as_object_mut().unwrap().remove("payload");
    bare["event_type"] = json!("Custom");
    assert_eq!(
        Event::from_json(&bare.to_string())
            .unwrap()
            .payload()
            .json(),
        "{}"
    );
}
