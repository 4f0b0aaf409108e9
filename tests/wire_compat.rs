//! Wire compatibility with the Python reference library.
//!
//! A log written by the reference (`tests/reference/write_every_type.py`,
//! every event type, rich and lean payloads, varied envelopes) and every
//! example event of CONTRACT.md must read and write back unchanged: as
//! `serde_json::Value`s and byte for byte. Typed payloads must also write the
//! reference's JSON.

use std::collections::BTreeSet;

use serde_json::Value;
use spec_kitty_events::contract::event_types::KnownPayload;
use spec_kitty_events::contract::{Event, Timestamp};

#[path = "support/reference.rs"]
mod reference;

/// The reference log: (lines with offsets, lines without).
fn reference_log() -> (Vec<String>, Vec<String>) {
    let text = reference::run("write_every_type.py", &[], "");
    let (aware, naive) = text.split_once("# naive\n").expect("the naive marker");
    let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
    (lines(aware), lines(naive))
}

/// A typed payload written back as JSON text.
fn typed_json(payload: &KnownPayload) -> String {
    match payload {
        KnownPayload::WPStatusChanged(p) => serde_json::to_string(p),
        KnownPayload::GatePassed(p) => serde_json::to_string(p),
        KnownPayload::GateFailed(p) => serde_json::to_string(p),
        KnownPayload::MissionStarted(p) => serde_json::to_string(p),
        KnownPayload::MissionCompleted(p) => serde_json::to_string(p),
        KnownPayload::MissionCancelled(p) => serde_json::to_string(p),
        KnownPayload::PhaseEntered(p) => serde_json::to_string(p),
        KnownPayload::ReviewRollback(p) => serde_json::to_string(p),
        other => panic!("no writer for {} in this test", other.event_type()),
    }
    .unwrap()
}

fn assert_round_trip(line: &str) -> Event {
    let event = Event::from_json(line).unwrap_or_else(|e| panic!("{e}\n{line}"));
    let written = event.to_json();
    assert_eq!(
        serde_json::from_str::<Value>(&written).unwrap(),
        serde_json::from_str::<Value>(line).unwrap(),
        "values differ"
    );
    assert_eq!(written, line, "texts differ");
    event
}

#[test]
fn every_event_the_reference_writes_reads_and_writes_back_unchanged() {
    let (lines, _) = reference_log();
    assert!(
        lines.len() >= 40,
        "the reference wrote {} lines",
        lines.len()
    );
    let mut types = BTreeSet::new();
    let (mut tiers, mut offsets) = (BTreeSet::new(), BTreeSet::new());
    let mut typed_equal = 0;
    for line in &lines {
        let event = assert_round_trip(line);
        types.insert(event.event_type().to_owned());
        tiers.insert(event.data_tier().get());
        offsets.insert(event.timestamp().offset().seconds());
        let Some(payload) = event
            .to_typed_payload()
            .unwrap_or_else(|e| panic!("{e}\n{line}"))
        else {
            assert_eq!(event.event_type(), "SomethingNew");
            continue;
        };
        assert_eq!(payload.event_type(), event.event_type());
        // Rich payloads carry every field, as a typed payload writes them.
        let typed = typed_json(&payload);
        let original: Value = serde_json::from_str(event.payload().json()).unwrap();
        let every_field = original.as_object().unwrap().len()
            == serde_json::from_str::<Value>(&typed)
                .unwrap()
                .as_object()
                .unwrap()
                .len();
        if every_field {
            assert_eq!(typed, event.payload().json(), "typed payload of {line}");
            typed_equal += 1;
        }
    }
    let known: BTreeSet<String> = KnownPayload::EVENT_TYPES
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
    assert!(
        types.is_superset(&known),
        "missing types: {:?}",
        known.difference(&types)
    );
    assert_eq!(tiers, BTreeSet::from([0, 1, 2, 3, 4]));
    assert!(offsets.len() >= 3, "offsets {offsets:?}");
    assert!(
        typed_equal >= 20,
        "only {typed_equal} typed payloads compared"
    );
}

#[test]
fn offset_less_reference_timestamps_read_as_utc() {
    let (_, naive) = reference_log();
    assert_eq!(naive.len(), 2);
    for line in naive {
        let event = Event::from_json(&line).unwrap();
        let mut expected: Value = serde_json::from_str(&line).unwrap();
        let text = expected["timestamp"].as_str().unwrap().to_owned();
        let utc: Timestamp = format!("{text}Z").parse().unwrap();
        assert_eq!(event.timestamp(), utc);
        // Everything else is unchanged; the timestamp gains its `Z`.
        expected["timestamp"] = Value::String(utc.to_string());
        assert_eq!(
            serde_json::from_str::<Value>(&event.to_json()).unwrap(),
            expected
        );
        assert!(event.to_json().contains(&format!("\"{text}Z\"")));
    }
}

/// Every backticked JSON object in CONTRACT.md that starts with `event_id` is
/// an example event (section 1). Section 7's example is a reduced state, not
/// an event: the lifecycle reducer's tests own it.
#[test]
fn every_example_event_of_the_contract_round_trips() {
    let contract = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/CONTRACT.md"
    ))
    .expect("tests/data/CONTRACT.md");
    let examples: Vec<&str> = contract
        .split('`')
        .filter(|chunk| chunk.starts_with('{') && chunk.ends_with('}'))
        .filter(|chunk| chunk.starts_with(r#"{"event_id":"#))
        .collect();
    assert!(!examples.is_empty());
    for line in examples {
        let event = assert_round_trip(line);
        assert!(event.to_typed_payload().unwrap().is_some());
    }
}
