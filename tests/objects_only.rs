//! Structs in a payload are JSON objects on the wire. serde's derived code
//! would also read one from an array of its field values in declaration
//! order; the decoders refuse that, and say where.

use serde_json::{Value, json};
use spec_kitty_events::contract::event_types::{KnownPayload, StatusTransitionPayload};
use spec_kitty_events::contract::{Event, EventPayload, ForceMetadata};

const ARRAY_REFUSED: &str = "invalid type: sequence, expected a JSON object";

/// A move to done whose payload is `payload`, read from a log line.
fn done_event(payload: Value) -> Event {
    let line = json!({
        "event_id": "01JKQ4V7C00000000000000001",
        "event_type": "WPStatusChanged",
        "aggregate_id": "WP01",
        "payload": payload,
        "timestamp": "2026-02-09T11:00:01Z",
        "node_id": "cli",
        "lamport_clock": 1,
        "project_uuid": "00000000-0000-0000-0000-000000000001",
        "correlation_id": "01JKQ4V7C00000000000000C0R",
    });
    Event::from_json(&line.to_string()).expect("the envelope is valid whatever the payload")
}

fn done_payload(evidence: Value) -> Value {
    json!({
        "feature_slug": "004-lifecycle",
        "wp_id": "WP01",
        "from_lane": "for_review",
        "to_lane": "done",
        "actor": "agent",
        "execution_mode": "worktree",
        "evidence": evidence,
    })
}

fn repo() -> Value {
    json!({"repo": "spec-kitty", "branch": "WP01", "commit": "0123abc"})
}

fn review() -> Value {
    json!({"reviewer": "rob", "verdict": "approved"})
}

/// The field and message of the payload's decoding error.
fn refusal(event: &Event) -> (String, String) {
    let error = event
        .typed_payload()
        .expect_err("the payload must not decode");
    (error.field().to_owned(), error.message().to_owned())
}

#[test]
fn evidence_written_as_objects_decodes() {
    let event = done_event(done_payload(json!({"repos": [repo()], "review": review()})));
    let Ok(Some(KnownPayload::WPStatusChanged(payload))) = event.typed_payload() else {
        panic!("a decoded WPStatusChanged payload: {event:?}");
    };
    let evidence = payload.evidence().expect("evidence");
    assert_eq!(evidence.repos()[0].commit.as_str(), "0123abc");
    assert_eq!(evidence.review().reviewer.as_str(), "rob");
}

#[test]
fn evidence_written_as_an_array_is_refused() {
    let event = done_event(done_payload(json!([[repo()], [], review()])));
    assert_eq!(
        refusal(&event),
        ("payload.evidence".to_owned(), ARRAY_REFUSED.to_owned())
    );
}

#[test]
fn a_repository_written_as_an_array_is_refused() {
    let evidence = json!({"repos": [["spec-kitty", "WP01", "0123abc", null]], "review": review()});
    let event = done_event(done_payload(evidence));
    assert_eq!(
        refusal(&event),
        (
            "payload.evidence.repos[0]".to_owned(),
            ARRAY_REFUSED.to_owned()
        )
    );
}

#[test]
fn a_review_written_as_an_array_is_refused() {
    let evidence = json!({"repos": [repo()], "review": ["rob", "approved", null]});
    let event = done_event(done_payload(evidence));
    assert_eq!(
        refusal(&event),
        (
            "payload.evidence.review".to_owned(),
            ARRAY_REFUSED.to_owned()
        )
    );
}

#[test]
fn a_verification_step_written_as_an_array_is_refused() {
    let evidence = json!({
        "repos": [repo()],
        "verification": [["cargo test", "passed", null]],
        "review": review(),
    });
    let event = done_event(done_payload(evidence));
    assert_eq!(
        refusal(&event),
        (
            "payload.evidence.verification[0]".to_owned(),
            ARRAY_REFUSED.to_owned()
        )
    );
}

#[test]
fn a_whole_payload_written_as_an_array_is_refused() {
    // Every field, in declaration order: what serde's derived code would
    // have read as the struct.
    let array = json!([
        "004-lifecycle",
        "WP01",
        null,
        "planned",
        "agent",
        false,
        null,
        "worktree",
        null,
        null
    ])
    .to_string();
    let error = StatusTransitionPayload::decode(&array).expect_err("an array is not a payload");
    assert_eq!(error.field(), "payload");
    assert_eq!(error.message(), ARRAY_REFUSED);
    let direct = serde_json::from_str::<StatusTransitionPayload>(&array)
        .expect_err("an array is not a payload");
    assert!(direct.to_string().contains(ARRAY_REFUSED), "{direct}");
    // The same values as an object decode.
    let object = json!({
        "feature_slug": "004-lifecycle",
        "wp_id": "WP01",
        "to_lane": "planned",
        "actor": "agent",
        "execution_mode": "worktree",
    });
    assert!(StatusTransitionPayload::decode(&object.to_string()).is_ok());
}

#[test]
fn force_metadata_written_as_an_array_is_refused() {
    let error = serde_json::from_str::<ForceMetadata>(r#"[true, "rob", "hotfix"]"#)
        .expect_err("an array is not force metadata");
    assert!(error.to_string().contains(ARRAY_REFUSED), "{error}");
    let object = serde_json::from_str::<ForceMetadata>(
        r#"{"force": true, "actor": "rob", "reason": "hotfix"}"#,
    );
    assert!(object.is_ok(), "{object:?}");
}
