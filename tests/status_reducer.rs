//! The status reducer: lanes per work package, anomalies, concurrency groups,
//! causal lineage, determinism under permutation, and no panics on garbage.
//!
//! Expected JSON here is what the Python reference writes for the same log
//! (anomaly wording aside), found by feeding it these logs.

#[path = "support/mission_logs.rs"]
mod mission_logs;

use mission_logs::{E, Mix, Rng, events, id, random_mission, shuffled_with_duplicates, wp};
use proptest::prelude::*;
use serde_json::{Value, json};
use spec_kitty_events::contract::{Event, Lane};
use spec_kitty_events::reduce::{ReducedStatus, TransitionAnomaly, reduce_status_events};

fn change(n: u64, clock: u64, wp_id: &str, from: Option<&str>, to: &str) -> E {
    E::new(n, "WPStatusChanged", wp(wp_id, from, to), clock)
}

fn anomalies(result: &ReducedStatus) -> Vec<TransitionAnomaly> {
    result.anomalies().cloned().collect()
}

fn reasons_blanked(mut value: Value) -> Value {
    if let Some(anomalies) = value["anomalies"].as_array_mut() {
        for anomaly in anomalies {
            anomaly["reason"] = json!("");
        }
    }
    value
}

fn reduced(parts: &[E]) -> Value {
    serde_json::from_str(&reduce_status_events(events(parts)).to_json()).unwrap()
}

#[test]
fn empty_log_gives_the_empty_result() {
    assert_eq!(
        reduce_status_events(Vec::<Event>::new()).to_json(),
        r#"{"wp_states":{},"anomalies":[],"event_count":0,"last_processed_event_id":null}"#
    );
}

#[test]
fn work_packages_appear_in_the_order_they_first_entered_a_lane() {
    let parts = [
        change(1, 1, "WP03", Some("planned"), "claimed"),
        change(2, 2, "WP02", None, "planned"),
        change(3, 2, "WP01", None, "planned"),
        change(4, 3, "WP02", Some("claimed"), "done"),
        change(5, 3, "WP03", None, "planned"),
    ];
    let result = reduce_status_events(events(&parts));
    let order: Vec<&str> = result.wp_states().iter().map(|wp| wp.wp_id()).collect();
    assert_eq!(order, ["WP02", "WP01", "WP03"]);
    let json = result.to_json();
    assert!(json.starts_with(
        r#"{"wp_states":{"WP02":{"wp_id":"WP02","current_lane":"planned","last_event_id":"#
    ));
    let seen: Vec<(String, Option<Lane>, Option<Lane>)> = result
        .anomalies()
        .map(|a| (a.wp_id.clone(), a.from_lane, a.to_lane))
        .collect();
    assert_eq!(
        seen,
        [
            ("WP03".to_owned(), Some(Lane::Planned), Some(Lane::Claimed)),
            ("WP02".to_owned(), Some(Lane::Claimed), Some(Lane::Done)),
        ]
    );
    assert!(anomalies(&result)[1].reason.contains("from_lane mismatch"));
    assert_eq!(result.event_count(), 5);
}

#[test]
fn concurrent_moves_are_checked_against_the_state_before_the_group_and_the_last_valid_wins() {
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 2, "WP01", Some("planned"), "claimed"),
        change(3, 2, "WP01", Some("planned"), "blocked"),
        // Valid after event 2, but not against the state before the group.
        change(4, 2, "WP01", Some("claimed"), "in_progress"),
    ];
    let value = reasons_blanked(reduced(&parts));
    assert_eq!(
        value,
        json!({
            "wp_states": {"WP01": {"wp_id": "WP01", "current_lane": "blocked", "last_event_id": id(3), "last_transition_at": "2026-02-09T11:00:02Z", "evidence": null}},
            "anomalies": [{"event_id": id(4), "wp_id": "WP01", "from_lane": "claimed", "to_lane": "in_progress", "reason": ""}],
            "event_count": 4,
            "last_processed_event_id": id(4)
        })
    );
}

#[test]
fn a_reviewer_rollback_wins_over_concurrent_forward_moves_whatever_the_ids() {
    for (rollback_id, done_id, blocked_id) in [(10, 11, 12), (12, 10, 11), (11, 12, 10)] {
        let parts = [
            change(1, 1, "WP01", None, "planned"),
            change(2, 2, "WP01", Some("planned"), "claimed"),
            change(3, 3, "WP01", Some("claimed"), "in_progress"),
            change(4, 4, "WP01", Some("in_progress"), "for_review"),
            change(rollback_id, 5, "WP01", Some("for_review"), "in_progress"),
            change(done_id, 5, "WP01", Some("for_review"), "done"),
            change(blocked_id, 5, "WP01", Some("for_review"), "blocked"),
        ];
        let result = reduce_status_events(events(&parts));
        let state = result.wp_state("WP01").unwrap();
        assert_eq!(state.current_lane(), Lane::InProgress);
        assert_eq!(state.last_event_id().as_str(), id(rollback_id));
        assert!(state.evidence().is_none());
        assert!(anomalies(&result).is_empty());
    }
}

#[test]
fn evidence_is_kept_only_in_done() {
    let mut forced_back = wp("WP01", Some("done"), "in_progress");
    forced_back["force"] = json!(true);
    forced_back["reason"] = json!("reopened");
    forced_back["review_ref"] = json!("r");
    let mut forced_done = wp("WP01", Some("planned"), "done");
    forced_done["force"] = json!(true);
    forced_done["reason"] = json!("skip");
    let done = [
        change(1, 1, "WP01", None, "planned"),
        E::new(2, "WPStatusChanged", forced_done, 2),
    ];
    let value = reduced(&done);
    assert_eq!(
        value["wp_states"]["WP01"]["evidence"]["repos"][0]["files_touched"],
        json!(["src/lib.rs"])
    );
    assert_eq!(
        value["wp_states"]["WP01"]["evidence"]["review"]["reference"],
        json!("PR#1")
    );
    let mut reopened = done.to_vec();
    reopened.push(E::new(3, "WPStatusChanged", forced_back, 3));
    let value = reduced(&reopened);
    assert_eq!(
        value["wp_states"]["WP01"]["current_lane"],
        json!("in_progress")
    );
    assert_eq!(value["wp_states"]["WP01"]["evidence"], Value::Null);
}

#[test]
fn leaving_a_terminal_lane_without_force_is_an_anomaly() {
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 2, "WP01", Some("planned"), "canceled"),
        change(3, 3, "WP01", Some("canceled"), "planned"),
        change(4, 4, "WP01", None, "planned"),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(
        result.wp_state("WP01").unwrap().current_lane(),
        Lane::Canceled
    );
    assert_eq!(anomalies(&result).len(), 2);
    assert!(anomalies(&result)[0].reason.contains("terminal"));
    assert_eq!(anomalies(&result)[1].from_lane, None);
}

#[test]
fn payloads_that_do_not_decode_are_anomalies_naming_what_they_can() {
    let parts = [
        E::new(1, "WPStatusChanged", json!({"wp_id": "WP01"}), 1),
        E::new(2, "WPStatusChanged", json!({"x": 1}), 2),
        E::new(3, "WPStatusChanged", wp("WP01", None, "bogus"), 3),
        E::new(4, "WPStatusChanged", json!({"wp_id": 5, "to_lane": []}), 4),
    ];
    let result = reduce_status_events(events(&parts));
    let named: Vec<&str> = result.anomalies().map(|a| a.wp_id.as_str()).collect();
    assert_eq!(named, ["WP01", "<unknown>", "WP01", "<unknown>"]);
    assert!(
        result
            .anomalies()
            .all(|a| a.from_lane.is_none() && a.to_lane.is_none())
    );
    assert!(anomalies(&result)[2].reason.contains("to_lane"));
    assert!(result.wp_states().is_empty());
    assert_eq!(result.event_count(), 4);
}

#[test]
fn other_event_types_are_not_status_events() {
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        E::new(2, "MissionStarted", mission_logs::started("specify"), 2),
        E::new(3, "GatePassed", json!({}), 3),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(result.event_count(), 1);
    assert_eq!(result.last_processed_event_id().unwrap().as_str(), id(1));
}

#[test]
fn a_child_is_applied_after_its_parent_even_when_its_clock_says_otherwise() {
    // The claim carries clock 1 but names the planning (clock 5) as parent.
    let parts = [
        change(1, 5, "WP01", None, "planned"),
        change(2, 1, "WP01", Some("planned"), "claimed").caused_by(1),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(
        result.wp_state("WP01").unwrap().current_lane(),
        Lane::Claimed
    );
    assert_eq!(anomalies(&result).len(), 1);
    assert_eq!(anomalies(&result)[0].event_id.as_str(), id(2));
    assert!(anomalies(&result)[0].reason.contains("causation inversion"));
    assert_eq!(result.last_processed_event_id().unwrap().as_str(), id(2));
}

#[test]
fn a_causation_cycle_does_not_hang_or_panic_and_stays_deterministic() {
    let parts = [
        change(1, 2, "WP01", None, "planned").caused_by(2),
        change(2, 1, "WP01", Some("planned"), "claimed").caused_by(1),
        change(3, 1, "WP01", Some("claimed"), "in_progress").caused_by(3),
    ];
    let all = events(&parts);
    let first = reduce_status_events(all.clone()).to_json();
    let mut rng = Rng(7);
    for _ in 0..50 {
        let again = shuffled_with_duplicates(&all, &mut rng);
        assert_eq!(reduce_status_events(again).to_json(), first);
    }
}

#[test]
fn forced_moves_out_of_done_need_force_and_keep_guards() {
    let mut no_ref = wp("WP01", Some("for_review"), "in_progress");
    no_ref.as_object_mut().unwrap().remove("review_ref");
    no_ref["force"] = json!(true);
    no_ref["reason"] = json!("because");
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 2, "WP01", Some("planned"), "claimed"),
        change(3, 3, "WP01", Some("claimed"), "in_progress"),
        change(4, 4, "WP01", Some("in_progress"), "for_review"),
        E::new(5, "WPStatusChanged", no_ref, 5),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(
        result.wp_state("WP01").unwrap().current_lane(),
        Lane::ForReview
    );
    assert!(anomalies(&result)[0].reason.contains("review_ref"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Every permutation of a log, with duplicates, gives the same JSON.
    #[test]
    fn every_permutation_with_duplicates_gives_identical_json(seed in any::<u64>(), size in 1usize..40) {
        let log = random_mission(seed, size, Mix::ALL);
        let expected = reduce_status_events(log.clone()).to_json();
        let mut rng = Rng(seed ^ 0x5eed);
        for _ in 0..5 {
            let again = shuffled_with_duplicates(&log, &mut rng);
            prop_assert_eq!(reduce_status_events(again).to_json(), expected.clone());
        }
    }

    /// Arbitrary JSON as a status payload is an anomaly at worst.
    #[test]
    fn arbitrary_payloads_never_panic(payload in arbitrary_json(), to in any::<Option<String>>()) {
        let mut payload = payload;
        if let (Some(object), Some(to)) = (payload.as_object_mut(), to) {
            object.insert("to_lane".into(), json!(to));
            object.insert("wp_id".into(), json!("WP01"));
        }
        let parts = [
            change(1, 1, "WP01", None, "planned"),
            E::new(2, "WPStatusChanged", payload.clone(), 2),
            E::new(3, "WPStatusChanged", payload, 2),
        ];
        if let Ok(events) = parts.iter().map(|p| Event::from_json(&p.json().to_string())).collect::<Result<Vec<_>, _>>() {
            let result = reduce_status_events(events);
            prop_assert_eq!(result.event_count(), 3);
        }
    }

    /// Arbitrary lines never panic the reader, and what it accepts never
    /// panics the reducer.
    #[test]
    fn arbitrary_lines_never_panic(lines in proptest::collection::vec(".{0,200}", 0..8)) {
        let events: Vec<Event> = lines.iter().filter_map(|line| Event::from_json(line).ok()).collect();
        let _ = reduce_status_events(events);
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just("planned".to_owned()),
            Just("done".to_owned()),
            Just("WP01".to_owned()),
            ".{0,12}"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("feature_slug".to_owned()),
                    Just("wp_id".to_owned()),
                    Just("from_lane".to_owned()),
                    Just("to_lane".to_owned()),
                    Just("actor".to_owned()),
                    Just("execution_mode".to_owned()),
                    Just("force".to_owned()),
                    Just("evidence".to_owned()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..8
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

#[test]
fn payloads_that_do_not_decode_are_reported_before_other_anomalies() {
    // As the reference does: it decodes every payload before replaying.
    let parts = [
        change(1, 1, "WP01", Some("planned"), "claimed"),
        E::new(2, "WPStatusChanged", json!({"wp_id": "WP02"}), 2),
    ];
    let result = reduce_status_events(events(&parts));
    let order: Vec<String> = anomalies(&result)
        .iter()
        .map(|a| a.event_id.to_string())
        .collect();
    assert_eq!(order, [id(2), id(1)]);
}

#[test]
fn within_a_group_anomalies_go_work_package_by_work_package_rollbacks_last() {
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 1, "WP02", None, "planned"),
        // Clock 2: WP02 appears first, so its anomalies come first; WP01's
        // rollback-shaped move is checked after its forward move.
        change(3, 2, "WP02", Some("claimed"), "in_progress"),
        change(4, 2, "WP01", Some("for_review"), "in_progress"),
        change(5, 2, "WP01", Some("planned"), "done"),
        change(6, 2, "WP02", Some("planned"), "for_review"),
    ];
    let result = reduce_status_events(events(&parts));
    let order: Vec<String> = anomalies(&result)
        .iter()
        .map(|a| a.event_id.to_string())
        .collect();
    assert_eq!(order, [id(3), id(6), id(5), id(4)]);
}

#[test]
fn new_work_packages_of_one_group_enter_in_order_of_first_appearance() {
    // WP03 appears first (with a rejected move) but enters its lane after
    // WP04 and WP05 did; the reference still lists it first.
    let parts = [
        change(1, 1, "WP03", Some("planned"), "claimed"),
        change(2, 1, "WP04", None, "planned"),
        change(3, 1, "WP05", None, "planned"),
        change(4, 1, "WP03", None, "planned"),
        change(5, 2, "WP04", Some("planned"), "claimed"),
    ];
    let result = reduce_status_events(events(&parts));
    let order: Vec<&str> = result.wp_states().iter().map(|wp| wp.wp_id()).collect();
    assert_eq!(order, ["WP03", "WP04", "WP05"]);
    // Every state is still found where it was put.
    assert_eq!(
        result.wp_state("WP04").unwrap().current_lane(),
        Lane::Claimed
    );
    assert_eq!(
        result.wp_state("WP03").unwrap().last_event_id().as_str(),
        id(4)
    );
}
