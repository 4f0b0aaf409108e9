//! Property: an event valid under the contract version it names stays
//! valid when this crate reads it — alone or in a log of any mix of
//! versions — and is written back byte for byte in its own version's shape.
//! A 0.4 `in_progress -> planned` with a reason, which 3.0.0's matrix
//! refuses, stays valid because it names schema 1.0.0.
//!
//! Valid events are built from the legal moves written out below (the 0.4
//! and 3.0.0 matrices, as `tests/transition_matrix*.rs` table them), not
//! from the code under test.

use proptest::prelude::*;
use serde_json::{Value, json};
use spec_kitty_events::contract::{ContractVersion, Event};
use spec_kitty_events::log::read_log;

/// Unforced legal moves of the 0.4 contract (`none` is a new work package).
const V1_MOVES: &[(&str, &str)] = &[
    ("none", "planned"),
    ("planned", "claimed"),
    ("claimed", "in_progress"),
    ("in_progress", "for_review"),
    ("for_review", "done"),
    ("in_progress", "planned"), // with a reason: valid in 0.4 only
    ("blocked", "in_progress"),
    ("planned", "blocked"),
    ("claimed", "canceled"),
    ("for_review", "in_progress"), // with a review_ref
];

/// Unforced legal moves of schema 3.0.0.
const V3_MOVES: &[(&str, &str)] = &[
    ("none", "planned"),
    ("genesis", "planned"),
    ("genesis", "canceled"),
    ("planned", "claimed"),
    ("claimed", "in_progress"),
    ("in_progress", "for_review"),
    ("in_progress", "approved"),
    ("for_review", "in_review"),
    ("for_review", "approved"),
    ("in_review", "for_review"),
    ("in_review", "done"),
    ("approved", "done"),
    ("approved", "in_progress"),  // with a review_ref
    ("in_review", "in_progress"), // with a review_ref
    ("blocked", "in_progress"),
    ("in_review", "blocked"),
];

/// Forced moves that are valid (force lifts the matrix; the review_ref
/// guard stays, so these carry one), of each version's lanes.
const V1_FORCED: &[(&str, &str)] = &[
    ("done", "planned"),
    ("canceled", "in_progress"),
    ("for_review", "claimed"),
];
const V3_FORCED: &[(&str, &str)] = &[
    ("done", "planned"),
    ("approved", "planned"),
    ("in_review", "planned"),
    ("none", "genesis"),
];

fn evidence() -> Value {
    json!({"repos": [{"repo": "r", "branch": "b", "commit": "abc"}],
           "review": {"reviewer": "ana", "verdict": "approved"}})
}

fn status_payload(version: ContractVersion, from: &str, to: &str, forced: bool) -> Value {
    let slug_key = match version {
        ContractVersion::V1 => "feature_slug",
        ContractVersion::V3 => "mission_slug",
    };
    let needs_evidence = to == "done" || (version == ContractVersion::V3 && to == "approved");
    let mut payload = json!({
        slug_key: "mission-001",
        "wp_id": "WP01",
        "from_lane": if from == "none" { Value::Null } else { json!(from) },
        "to_lane": to,
        "actor": "agent",
        "force": forced,
        "reason": "a reason",
        "execution_mode": "worktree",
        "review_ref": "review-cycle://1",
        "evidence": if needs_evidence { evidence() } else { Value::Null },
    });
    if version == ContractVersion::V1 {
        // 0.4's writer has no summary or mission_id; 3.0.0's has both.
        return payload;
    }
    payload["mission_id"] = Value::Null;
    payload["summary"] = Value::Null;
    payload
}

fn lifecycle_payload(kind: usize) -> (&'static str, Value) {
    match kind {
        0 => (
            "MissionCreated",
            json!({"mission_id": null, "mission_slug": "m", "mission_number": 1, "mission_type": "software-dev", "target_branch": "main", "wp_count": 2, "actor": null, "friendly_name": "M", "purpose_tldr": "t", "purpose_context": "c", "created_at": null}),
        ),
        1 => (
            "MissionClosed",
            json!({"mission_slug": "m", "mission_number": 1, "mission_type": "software-dev", "actor": null, "mission_id": null}),
        ),
        2 => (
            "MissionReopened",
            json!({"mission_id": "01KTESTMISSIONID0000000000", "mission_slug": "m", "reason": "rework", "reopened_by": "rob", "reopened_at": "2026-01-01T00:00:00+00:00", "cleared_merge": {"merged_pr": 42}}),
        ),
        _ => (
            "FollowUpRecorded",
            json!({"mission_id": "01KTESTMISSIONID0000000000", "mission_slug": "m", "follow_up_type": "commit", "commit_sha": "abc", "pr_number": null, "recorded_by": "rob", "recorded_at": "2026-01-01T00:00:00+00:00"}),
        ),
    }
}

/// The envelope as each version's Python writer lays it out.
fn line(
    version: ContractVersion,
    n: u64,
    clock: Option<u64>,
    event_type: &str,
    payload: Value,
) -> String {
    let id = format!("01JKQ4V7C00000000000000{n:03}");
    match version {
        ContractVersion::V1 => format!(
            r#"{{"event_id":"{id}","event_type":"{event_type}","aggregate_id":"M1","payload":{payload},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":{},"causation_id":null,"project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":null,"correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"1.0.0","data_tier":0}}"#,
            clock.unwrap_or(1)
        ),
        ContractVersion::V3 => format!(
            r#"{{"event_id":"{id}","event_type":"{event_type}","aggregate_id":"M1","payload":{payload},"timestamp":"2026-02-09T11:00:01Z","build_id":"build-1","node_id":"cli","lamport_clock":{},"causation_id":null,"project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":null,"correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"3.0.0","data_tier":0}}"#,
            clock.map_or("null".to_owned(), |c| c.to_string())
        ),
    }
}

/// One valid event of either version, and the version it names.
fn valid_event() -> impl Strategy<Value = (ContractVersion, String)> {
    (
        0usize..2,
        any::<prop::sample::Index>(),
        0usize..3,
        0usize..4,
        1u64..999,
        prop::option::of(0u64..50),
    )
        .prop_map(|(v, index, shape, kind, n, clock)| {
            let version = ContractVersion::ALL[v];
            let (event_type, payload) = match (version, shape) {
                (ContractVersion::V3, 0) => lifecycle_payload(kind),
                (ContractVersion::V1, 1) => {
                    let (from, to) = *index.get(V1_FORCED);
                    ("WPStatusChanged", status_payload(version, from, to, true))
                }
                (ContractVersion::V3, 1) => {
                    let (from, to) = *index.get(V3_FORCED);
                    ("WPStatusChanged", status_payload(version, from, to, true))
                }
                (ContractVersion::V1, _) => {
                    let (from, to) = *index.get(V1_MOVES);
                    ("WPStatusChanged", status_payload(version, from, to, false))
                }
                (ContractVersion::V3, _) => {
                    let (from, to) = *index.get(V3_MOVES);
                    ("WPStatusChanged", status_payload(version, from, to, false))
                }
            };
            (version, line(version, n, clock, event_type, payload))
        })
}

fn assert_valid(version: ContractVersion, text: &str, event: &Event) -> Result<(), TestCaseError> {
    prop_assert_eq!(event.contract_version(), version);
    let known = event
        .typed_payload()
        .map_err(|e| TestCaseError::fail(format!("{e} in {text}")))?;
    let known = known.ok_or_else(|| TestCaseError::fail(format!("unknown type in {text}")))?;
    if let Some(change) = known.status_change() {
        prop_assert_eq!(change.version, version);
        let verdict = change.validate();
        prop_assert!(verdict.valid, "{:?} for {}", verdict.violations, text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn an_event_valid_under_its_version_stays_valid_when_read(
        (version, text) in valid_event(),
    ) {
        // Reading consults no writer default (the crate has no global one:
        // a builder names the schema version it writes): the event is judged
        // and written back by the version it names.
        let event = Event::from_json(&text).map_err(|e| TestCaseError::fail(format!("{e} in {text}")))?;
        assert_valid(version, &text, &event)?;
        prop_assert_eq!(event.to_json(), text.clone());
        let again = Event::from_json(&event.to_json()).unwrap();
        prop_assert_eq!(&again, &event);
    }

    #[test]
    fn a_log_of_mixed_versions_keeps_each_events_verdict(
        events in prop::collection::vec(valid_event(), 1..20),
    ) {
        let log: String = events.iter().map(|(_, text)| format!("{text}\n")).collect();
        let read = read_log(&log);
        prop_assert!(read.errors.is_empty(), "{:?}", read.errors);
        prop_assert_eq!(read.events.len(), events.len());
        for ((version, text), logged) in events.iter().zip(&read.events) {
            assert_valid(*version, text, &logged.event)?;
            prop_assert_eq!(&logged.event.to_json(), text);
        }
    }
}
