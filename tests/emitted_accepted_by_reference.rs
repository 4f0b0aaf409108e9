//! Every event the typestate builders emit is accepted by the Python reference
//! library (`spec-kitty-events==0.4.0a0`, used as a black box): each line
//! validates as a reference `Event`, dumps back to the same JSON, its payload
//! validates as the reference model of its event type, every lane move passes
//! the reference `validate_transition`, and the reference lifecycle reducer
//! folds the whole log with no anomaly into the state the walk ended in.
//!
//! The same holds for the default writer (schema 3.0.0, with in_review and
//! approved) against `spec-kitty-events==11.0.0`, with the same script.

#[path = "support/typestate_driver.rs"]
mod driver;
#[path = "support/reference.rs"]
mod reference;

use serde_json::Value;

use spec_kitty_events::contract::ContractVersion;

use driver::{MISSION_ID, Op, Walk, walk, walk_under};
use reference::Oracle;

fn validate(oracle: Oracle, jsonl: &str) -> Value {
    serde_json::from_str(&reference::run_with(
        oracle,
        "validate_events.py",
        &[],
        jsonl,
    ))
    .unwrap()
}

/// A fixed pseudo-random walk: SplitMix64 over `seed`.
fn ops(seed: u64, len: usize) -> Vec<Op> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let [kind, which, how, ..] = (z ^ (z >> 31)).to_le_bytes();
            (kind, which, how)
        })
        .collect()
}

fn assert_accepted(oracle: Oracle, walk: &Walk) {
    let jsonl: String = walk.events.iter().map(|e| e.to_json() + "\n").collect();
    let verdict = validate(oracle, &jsonl);
    assert_eq!(verdict["rejected"], serde_json::json!([]), "{verdict}");
    assert_eq!(verdict["accepted"], walk.events.len());
    let reduced = &verdict["reduced"];
    assert_eq!(reduced["anomalies"], serde_json::json!([]), "{reduced}");
    assert_eq!(reduced["event_count"], walk.events.len());
    assert_eq!(reduced["mission_id"], MISSION_ID);
    assert_eq!(reduced["mission_status"], walk.status.as_str());
    assert_eq!(reduced["current_phase"], walk.phase.as_str());
    let lanes: std::collections::BTreeMap<String, String> = reduced["wp_states"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, state)| {
            (
                id.clone(),
                state["current_lane"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: std::collections::BTreeMap<String, String> = walk
        .lanes
        .iter()
        .map(|(id, lane)| (id.clone(), lane.as_str().to_owned()))
        .collect();
    assert_eq!(lanes, expected);
}

#[test]
fn every_emitted_event_is_accepted_by_the_python_reference() {
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 1..=6 {
        let walk = walk(&ops(seed, 160));
        assert!(
            walk.events.len() > 40,
            "seed {seed}: {} events",
            walk.events.len()
        );
        for event in &walk.events {
            kinds.insert(event.event_type().to_owned());
            if let Some(force) = event.payload().to_map().get("force") {
                kinds.insert(format!("force={force}"));
            }
        }
        assert_accepted(Oracle::V04, &walk);
    }
    // The walks reached every event type the builders emit, forced moves included.
    for kind in [
        "MissionStarted",
        "PhaseEntered",
        "ReviewRollback",
        "GatePassed",
        "WPStatusChanged",
        "force=true",
        "force=false",
    ] {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
    assert!(kinds.contains("MissionCompleted") || kinds.contains("MissionCancelled"));
}

#[test]
fn every_event_emitted_under_schema_3_is_accepted_by_the_current_reference() {
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 1..=6 {
        let walk = walk_under(ContractVersion::V3, &ops(seed, 160));
        assert!(
            walk.events.len() > 40,
            "seed {seed}: {} events",
            walk.events.len()
        );
        for event in &walk.events {
            assert_eq!(event.schema_version().as_str(), "3.0.0");
            kinds.insert(event.event_type().to_owned());
            let payload = event.payload().to_map();
            if let Some(force) = payload.get("force") {
                kinds.insert(format!("force={force}"));
            }
            if let Some(lane) = payload.get("to_lane").and_then(Value::as_str) {
                kinds.insert(format!("to_lane={lane}"));
            }
        }
        assert_accepted(Oracle::V11, &walk);
    }
    for kind in [
        "MissionStarted",
        "PhaseEntered",
        "ReviewRollback",
        "GatePassed",
        "WPStatusChanged",
        "force=true",
        "force=false",
        "to_lane=in_review",
        "to_lane=approved",
    ] {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
}
