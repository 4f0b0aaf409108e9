//! The decoders never panic: arbitrary JSON values as payloads of every event
//! type, arbitrary strings and mutated valid lines as events. Every error has
//! a message, and a payload error names a field under `payload`.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use spec_kitty_events::contract::Event;
use spec_kitty_events::contract::event_types::KnownPayload;

const VALID_LINE: &str = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"WPStatusChanged","aggregate_id":"WP01","payload":{"feature_slug":"004","wp_id":"WP01","from_lane":"for_review","to_lane":"done","actor":"ana","force":false,"reason":null,"execution_mode":"worktree","review_ref":null,"evidence":{"repos":[{"repo":"r","branch":"b","commit":"abc","files_touched":["a.rs"]}],"verification":[],"review":{"reviewer":"ana","verdict":"approved","reference":null}}},"timestamp":"2026-02-09T12:00:01.123456+02:00","node_id":"cli","lamport_clock":7,"causation_id":"01JKQ4V7C00000000000000000","project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":"spec-kitty","correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"1.0.0","data_tier":3}"#;

/// Field names of every payload and of the envelope, so generated objects
/// often hit real fields.
const KEYS: &[&str] = &[
    "feature_slug",
    "wp_id",
    "from_lane",
    "to_lane",
    "actor",
    "force",
    "reason",
    "execution_mode",
    "review_ref",
    "evidence",
    "repos",
    "repo",
    "branch",
    "commit",
    "files_touched",
    "verification",
    "command",
    "result",
    "summary",
    "review",
    "reviewer",
    "verdict",
    "reference",
    "gate_name",
    "gate_type",
    "conclusion",
    "external_provider",
    "check_run_id",
    "check_run_url",
    "delivery_id",
    "pr_number",
    "mission_id",
    "mission_type",
    "initial_phase",
    "final_phase",
    "cancelled_wp_ids",
    "phase_name",
    "previous_phase",
    "target_phase",
    "affected_wp_ids",
    "event_id",
    "event_type",
    "aggregate_id",
    "payload",
    "timestamp",
    "node_id",
    "lamport_clock",
    "causation_id",
    "project_uuid",
    "project_slug",
    "correlation_id",
    "schema_version",
    "data_tier",
    "x",
];

/// Strings that are valid somewhere, and some that almost are.
const WORDS: &[&str] = &[
    "",
    " ",
    "planned",
    "doing",
    "in_progress",
    "done",
    "canceled",
    "blocked",
    "worktree",
    "direct_repo",
    "ci",
    "github",
    "success",
    "failure",
    "Success",
    "https://github.com/x",
    "ftp://x",
    "http://",
    "01JKQ4V7C00000000000000001",
    "81JKQ4V7C00000000000000001",
    "00000000-0000-0000-0000-000000000001",
    "2026-02-09T11:00:01Z",
    "2026-02-30T11:00:01+25:00",
    "1.0.0",
    "1.0",
    "\u{0}",
    "é中\u{1F600}",
    "\\\"",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (-1e300f64..1e300).prop_map(|f| json!(f)),
        prop::sample::select(WORDS).prop_map(|s| json!(s)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            arb_object(inner),
        ]
    })
}

fn arb_object(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(KEYS), value), 0..8).prop_map(|pairs| {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    })
}

fn valid_payloads() -> Vec<(&'static str, Map<String, Value>)> {
    let event: Value = serde_json::from_str(VALID_LINE).unwrap();
    let status = event["payload"].as_object().unwrap().clone();
    let gate = json!({"gate_name": "ci/build", "gate_type": "ci", "conclusion": "success",
        "external_provider": "github", "check_run_id": 42,
        "check_run_url": "https://github.com/o/r/runs/42", "delivery_id": "d1", "pr_number": 7});
    let mut failed = gate.clone();
    failed["conclusion"] = json!("timed_out");
    let others = [
        ("GatePassed", gate),
        ("GateFailed", failed),
        (
            "MissionStarted",
            json!({"mission_id": "M1", "mission_type": "t", "initial_phase": "p", "actor": "a"}),
        ),
        (
            "MissionCompleted",
            json!({"mission_id": "M1", "mission_type": "t", "final_phase": "p", "actor": "a"}),
        ),
        (
            "MissionCancelled",
            json!({"mission_id": "M1", "reason": "r", "actor": "a", "cancelled_wp_ids": ["WP01"]}),
        ),
        (
            "PhaseEntered",
            json!({"mission_id": "M1", "phase_name": "p", "previous_phase": "q", "actor": "a"}),
        ),
        (
            "ReviewRollback",
            json!({"mission_id": "M1", "review_ref": "r", "target_phase": "p", "affected_wp_ids": [], "actor": "a"}),
        ),
    ];
    let mut all = vec![("WPStatusChanged", status)];
    all.extend(
        others
            .into_iter()
            .map(|(t, v)| (t, v.as_object().unwrap().clone())),
    );
    all
}

fn check_payload(event_type: &str, payload: &Value) -> Result<(), TestCaseError> {
    let text = payload.to_string();
    match KnownPayload::decode(event_type, &text) {
        Ok(Some(decoded)) => prop_assert_eq!(decoded.event_type(), event_type),
        Ok(None) => prop_assert!(false, "{} is a known type", event_type),
        Err(e) => {
            prop_assert!(!e.message().is_empty());
            prop_assert!(e.field().starts_with("payload"), "field {:?}", e.field());
        }
    }
    Ok(())
}

fn check_line(line: &str) -> Result<(), TestCaseError> {
    match Event::from_json(line) {
        Ok(event) => {
            // Whatever was accepted writes back as an event that reads again
            // to the same value.
            let again = Event::from_json(&event.to_json()).unwrap();
            prop_assert_eq!(&again, &event);
            let _ = event.to_typed_payload();
        }
        Err(e) => prop_assert!(!e.message().is_empty(), "empty message for {:?}", line),
    }
    Ok(())
}

#[test]
fn the_valid_inputs_are_valid() {
    assert!(
        Event::from_json(VALID_LINE)
            .unwrap()
            .to_typed_payload()
            .unwrap()
            .is_some()
    );
    for (event_type, payload) in valid_payloads() {
        assert!(
            KnownPayload::decode(event_type, &Value::Object(payload).to_string())
                .unwrap()
                .is_some()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_values_as_payloads_never_panic(payload in arb_json()) {
        for event_type in KnownPayload::EVENT_TYPES {
            check_payload(event_type, &payload)?;
        }
    }

    #[test]
    fn valid_payloads_with_one_field_replaced_never_panic(
        index in any::<prop::sample::Index>(),
        key in prop::sample::select(KEYS),
        value in arb_json(),
        remove in any::<bool>(),
    ) {
        for (event_type, mut payload) in valid_payloads() {
            // Half the time a field the payload has, else any known name.
            let key = if remove || payload.is_empty() {
                key.to_owned()
            } else {
                payload.keys().nth(index.index(payload.len())).unwrap().clone()
            };
            if remove {
                payload.remove(&key);
            } else {
                payload.insert(key, value.clone());
            }
            check_payload(event_type, &Value::Object(payload))?;
        }
    }

    #[test]
    fn arbitrary_strings_as_lines_never_panic(line in ".{0,200}") {
        check_line(&line)?;
    }

    #[test]
    fn arbitrary_envelopes_never_panic(
        key in prop::sample::select(KEYS),
        value in arb_json(),
    ) {
        let mut event: Value = serde_json::from_str(VALID_LINE).unwrap();
        event[key] = value;
        check_line(&event.to_string())?;
    }

    #[test]
    fn mutated_valid_lines_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<char>()), 1..6)
    ) {
        let mut chars: Vec<char> = VALID_LINE.chars().collect();
        for (at, kind, c) in edits {
            let i = at.index(chars.len() + 1);
            match kind {
                0 => chars.insert(i, c),
                1 if i < chars.len() => { chars.remove(i); }
                _ if i < chars.len() => chars[i] = c,
                _ => chars.push(c),
            }
        }
        check_line(&chars.into_iter().collect::<String>())?;
    }
}
