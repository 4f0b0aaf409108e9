//! Differential test against the Python reference (`spec-kitty-events`
//! 0.4.0a0, used as a black box): a seeded generator writes a few hundred
//! random mission logs — concurrent groups, rollbacks, illegal moves, bad
//! payloads, duplicates, shuffled — and both implementations fold each one
//! with the lifecycle and the status reducer. The JSON must be equal, byte
//! for byte once anomaly `reason`s are blanked (their wording is free).
//!
//! The generator keeps out what issue #3 decides differently from the
//! reference — a cancel and a completion at one lamport_clock, causation
//! inversions, mixed UTC offsets — which `tests/lifecycle_reducer.rs` covers
//! with named tests.

#[path = "support/mission_logs.rs"]
mod mission_logs;
#[path = "support/reference.rs"]
mod reference;

use mission_logs::{Mix, random_mission};
use serde_json::{Value, json};
use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::{reduce_lifecycle_events, reduce_status_events};

/// How many logs CI folds; `DIFFERENTIAL_LOGS` asks for a deeper run.
fn log_count() -> u64 {
    std::env::var("DIFFERENTIAL_LOGS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

/// Runs every log through one reference process.
fn reference_results(requests: &[String]) -> Vec<String> {
    reference::run("reduce.py", &["--batch"], &requests.join("\n"))
        .lines()
        .map(str::to_owned)
        .collect()
}

fn request(kind: &str, log: &[Event]) -> String {
    let events: Vec<Value> = log
        .iter()
        .map(|event| serde_json::from_str(&event.to_json()).unwrap())
        .collect();
    json!({"kind": kind, "events": events}).to_string()
}

/// The JSON with every anomaly reason blanked, keys kept in order.
fn comparable(text: &str) -> String {
    let mut value: Value = serde_json::from_str(text).unwrap();
    if let Some(anomalies) = value["anomalies"].as_array_mut() {
        for anomaly in anomalies {
            anomaly["reason"] = json!("");
        }
    }
    value.to_string()
}

/// A short form for failure messages: the state, then each anomaly as
/// `id-tail:type`.
fn brief(text: &str) -> String {
    let mut value: Value = serde_json::from_str(text).unwrap();
    let anomalies: Vec<String> = value["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let id = a["event_id"].as_str().unwrap_or("");
            let kind = a
                .get("event_type")
                .or(a.get("wp_id"))
                .cloned()
                .unwrap_or_default();
            format!("{}:{}", &id[id.len().saturating_sub(4)..], kind)
        })
        .collect();
    value["anomalies"] = json!(anomalies);
    value["wp_states"] = json!(value["wp_states"].as_object().map(|m| m.len()));
    value.to_string()
}

#[test]
fn both_reducers_agree_with_the_python_reference_on_random_logs() {
    let count = log_count();
    let logs: Vec<Vec<Event>> = (0..count)
        .map(|seed| random_mission(seed, 4 + (seed as usize * 7) % 60, Mix::AGREED))
        .collect();
    let mut requests = Vec::new();
    let mut ours = Vec::new();
    for log in &logs {
        requests.push(request("lifecycle", log));
        ours.push(reduce_lifecycle_events(log.clone()).to_json());
        requests.push(request("status", log));
        ours.push(reduce_status_events(log.clone()).to_json());
    }
    let theirs = reference_results(&requests);
    assert_eq!(theirs.len(), ours.len());
    let mut disagreements = Vec::new();
    let mut anomalies = 0;
    let mut concurrent = 0;
    for (i, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
        let (ours, theirs) = (comparable(ours), comparable(theirs));
        anomalies += serde_json::from_str::<Value>(&ours).unwrap()["anomalies"]
            .as_array()
            .map_or(0, Vec::len);
        if ours != theirs {
            disagreements.push(format!(
                "seed {} ({}):\n  ours:   {}\n  theirs: {}",
                i / 2,
                if i % 2 == 0 { "lifecycle" } else { "status" },
                brief(&ours),
                brief(&theirs)
            ));
        }
    }
    for log in &logs {
        let mut clocks: Vec<u64> = log.iter().map(Event::lamport_clock).collect();
        clocks.sort_unstable();
        concurrent += usize::from(clocks.windows(2).any(|w| w[0] == w[1]));
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} results differ; first:\n{}",
        disagreements.len(),
        ours.len(),
        disagreements
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generator must exercise what it claims to.
    assert!(anomalies > count as usize, "only {anomalies} anomalies");
    assert!(
        concurrent > count as usize / 2,
        "only {concurrent} logs with concurrency"
    );
}
