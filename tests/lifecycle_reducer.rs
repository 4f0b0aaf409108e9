//! The mission lifecycle reducer: the contract's JSON, the seed's precedence
//! rules (F-Reducer-001..003, each over 1000 shuffled orderings with
//! duplicates), SC-001 determinism, causal lineage and mixed offsets.

#[path = "support/mission_logs.rs"]
mod mission_logs;

use mission_logs::{
    E, Mix, Rng, cancelled, completed, events, id, phase, random_mission, rollback,
    shuffled_with_duplicates, started, wp,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use spec_kitty_events::contract::{Event, Lane, MissionStatus};
use spec_kitty_events::reduce::reduce_lifecycle_events;

fn change(n: u64, clock: u64, wp_id: &str, from: Option<&str>, to: &str) -> E {
    E::new(n, "WPStatusChanged", wp(wp_id, from, to), clock)
}

fn value(events: Vec<Event>) -> Value {
    serde_json::from_str(&reduce_lifecycle_events(events).to_json()).unwrap()
}

/// Folds `log` in 1000 shuffled orderings with random duplicates and
/// returns the one JSON they all give.
fn same_json_over_1000_orderings(log: &[Event], seed: u64) -> String {
    let expected = reduce_lifecycle_events(log.to_vec()).to_json();
    let mut rng = Rng(seed);
    for _ in 0..1000 {
        let again = shuffled_with_duplicates(log, &mut rng);
        assert_eq!(reduce_lifecycle_events(again).to_json(), expected);
    }
    expected
}

#[test]
fn empty_log_gives_nulls_and_empty_collections() {
    assert_eq!(
        reduce_lifecycle_events(Vec::<Event>::new()).to_json(),
        r#"{"mission_id":null,"mission_status":null,"mission_type":null,"current_phase":null,"phases_entered":[],"wp_states":{},"anomalies":[],"event_count":0,"last_processed_event_id":null}"#
    );
}

#[test]
fn the_contract_example_serializes_byte_for_byte() {
    let log = [
        E::new(1, "MissionStarted", started("specify"), 1),
        change(2, 2, "WP01", None, "planned"),
        change(3, 3, "WP01", Some("planned"), "done"),
    ];
    let ids: Vec<String> = (1..=3).map(id).collect();
    let expected = format!(
        r#"{{"mission_id":"M1","mission_status":"active","mission_type":"software-dev","current_phase":"specify","phases_entered":["specify"],"wp_states":{{"WP01":{{"wp_id":"WP01","current_lane":"planned","last_event_id":"{}","last_transition_at":"2026-02-09T11:00:02Z","evidence":null}}}},"anomalies":[{{"event_id":"{}","event_type":"WPStatusChanged","reason":"WP WP01: planned -> done is not allowed"}}],"event_count":3,"last_processed_event_id":"{}"}}"#,
        ids[1], ids[2], ids[2]
    );
    assert_eq!(reduce_lifecycle_events(events(&log)).to_json(), expected);
}

#[test]
fn mission_anomalies_come_before_work_package_anomalies() {
    let log = [
        E::new(1, "PhaseEntered", phase("x"), 1),
        E::new(2, "MissionStarted", started("specify"), 2),
        change(3, 3, "WP01", Some("planned"), "claimed"),
        E::new(4, "MissionStarted", started("plan"), 4),
        change(5, 5, "WP01", Some("planned"), "claimed"),
    ];
    let state = reduce_lifecycle_events(events(&log));
    let order: Vec<(String, String)> = state
        .anomalies()
        .map(|a| (a.event_id.to_string(), a.event_type))
        .collect();
    assert_eq!(
        order,
        [
            (id(1), "PhaseEntered".to_owned()),
            (id(4), "MissionStarted".to_owned()),
            (id(3), "WPStatusChanged".to_owned()),
            (id(5), "WPStatusChanged".to_owned()),
        ]
    );
    assert!(
        state
            .anomalies()
            .nth(2)
            .unwrap()
            .reason
            .starts_with("WP WP01: ")
    );
    assert_eq!(state.current_phase(), Some("specify"));
    assert_eq!(state.event_count(), 5);
}

#[test]
fn phases_append_repeats_included_and_nothing_moves_after_the_end_but_work_packages() {
    let log = [
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "PhaseEntered", phase("plan"), 2),
        E::new(3, "PhaseEntered", phase("plan"), 3),
        E::new(4, "ReviewRollback", rollback("specify"), 4),
        E::new(5, "PhaseEntered", phase("specify"), 5),
        E::new(6, "MissionCompleted", completed(), 6),
        E::new(7, "PhaseEntered", phase("z"), 7),
        change(8, 8, "WP01", None, "planned"),
        E::new(9, "GatePassed", json!({}), 9),
    ];
    let state = reduce_lifecycle_events(events(&log));
    assert_eq!(state.mission_status(), Some(MissionStatus::Completed));
    assert_eq!(
        state.phases_entered(),
        ["specify", "plan", "plan", "specify", "specify"]
    );
    assert_eq!(state.current_phase(), Some("specify"));
    assert_eq!(
        state.wp_state("WP01").unwrap().current_lane(),
        Lane::Planned
    );
    let anomalies: Vec<_> = state.anomalies().collect();
    assert_eq!(anomalies.len(), 1);
    assert_eq!(anomalies[0].event_id.as_str(), id(7));
    assert_eq!(state.event_count(), 9);
    assert_eq!(state.last_processed_event_id().unwrap().as_str(), id(9));
}

#[test]
fn invalid_payloads_are_anomalies_and_change_nothing() {
    let log = [
        E::new(1, "MissionStarted", json!({"mission_id": "M1"}), 1),
        E::new(2, "MissionStarted", started("specify"), 2),
        E::new(3, "PhaseEntered", json!({"x": 1}), 3),
        E::new(
            4,
            "MissionCancelled",
            json!({"mission_id": "M1", "reason": "", "actor": "a"}),
            4,
        ),
    ];
    let state = reduce_lifecycle_events(events(&log));
    let reasons: Vec<String> = state.anomalies().map(|a| a.reason).collect();
    assert_eq!(reasons.len(), 3);
    assert!(reasons[0].starts_with("Invalid MissionStarted payload"));
    assert!(reasons[1].starts_with("Invalid PhaseEntered payload"));
    assert!(reasons[2].starts_with("Invalid MissionCancelled payload"));
    assert_eq!(state.mission_status(), Some(MissionStatus::Active));
    assert_eq!(state.phases_entered(), ["specify"]);
}

/// F-Reducer-001 (seed D4): a cancel beats every concurrent mission event.
/// The concurrent phase moves still apply; the concurrent completion is
/// superseded; a later re-open attempt is an anomaly.
#[test]
fn f_reducer_001_cancel_beats_re_open() {
    let log = events(&[
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "PhaseEntered", phase("plan"), 2),
        change(3, 2, "WP01", None, "planned"),
        // The concurrent group at clock 3, ids on both sides of the cancel's.
        E::new(20, "PhaseEntered", phase("implement"), 3),
        E::new(21, "MissionCompleted", completed(), 3),
        E::new(22, "MissionCancelled", cancelled(), 3),
        E::new(23, "ReviewRollback", rollback("tasks"), 3),
        E::new(24, "MissionCompleted", completed(), 3),
        // After the cancel: nothing re-opens the mission.
        E::new(30, "PhaseEntered", phase("review"), 4),
        E::new(31, "MissionStarted", started("specify"), 5),
        E::new(32, "MissionCompleted", completed(), 6),
    ]);
    let json = same_json_over_1000_orderings(&log, 1);
    let state: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(state["mission_status"], json!("cancelled"));
    assert_eq!(state["current_phase"], json!("tasks"));
    assert_eq!(
        state["phases_entered"],
        json!(["specify", "plan", "implement", "tasks"])
    );
    let anomalies: Vec<(&str, &str)> = state["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["event_id"].as_str().unwrap(),
                a["reason"].as_str().unwrap(),
            )
        })
        .collect();
    let superseded: Vec<&str> = anomalies
        .iter()
        .filter(|(_, reason)| reason.contains("superseded"))
        .map(|(event, _)| *event)
        .collect();
    assert_eq!(superseded, [id(21), id(24)]);
    let rejected: Vec<&str> = anomalies.iter().map(|(event, _)| *event).skip(2).collect();
    assert_eq!(rejected, [id(30), id(31), id(32)]);
    assert_eq!(state["event_count"], json!(11));
}

/// The same group with the cancel alone against a completion, in either id
/// order: the mission ends cancelled (the Python reference ends it
/// completed when the completion comes first; issue #3 decides otherwise).
#[test]
fn f_reducer_001_a_concurrent_cancel_supersedes_a_completion_in_either_order() {
    for (complete_id, cancel_id) in [(10, 11), (11, 10)] {
        let log = events(&[
            E::new(1, "MissionStarted", started("specify"), 1),
            E::new(complete_id, "MissionCompleted", completed(), 2),
            E::new(cancel_id, "MissionCancelled", cancelled(), 2),
        ]);
        let json = same_json_over_1000_orderings(&log, complete_id);
        let state: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(state["mission_status"], json!("cancelled"));
        assert_eq!(state["anomalies"].as_array().unwrap().len(), 1);
        assert_eq!(state["anomalies"][0]["event_id"], json!(id(complete_id)));
        assert_eq!(
            state["anomalies"][0]["event_type"],
            json!("MissionCompleted")
        );
    }
}

/// F-Reducer-002 (seed D5): a rollback is a new event that appends; no
/// input event is altered or dropped.
#[test]
fn f_reducer_002_rollback_appends_and_alters_nothing() {
    let parts = [
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "PhaseEntered", phase("plan"), 2),
        E::new(3, "PhaseEntered", phase("implement"), 3),
        change(4, 3, "WP01", None, "planned"),
        E::new(5, "PhaseEntered", phase("review"), 4),
        E::new(6, "ReviewRollback", rollback("implement"), 5),
        E::new(7, "PhaseEntered", phase("review"), 6),
    ];
    let log = events(&parts);
    let before: Vec<String> = log.iter().map(Event::to_json).collect();
    let json = same_json_over_1000_orderings(&log, 2);
    let after: Vec<String> = log.iter().map(Event::to_json).collect();
    assert_eq!(before, after);
    let state: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        state["phases_entered"],
        json!([
            "specify",
            "plan",
            "implement",
            "review",
            "implement",
            "review"
        ])
    );
    assert_eq!(state["current_phase"], json!("review"));
    assert_eq!(state["anomalies"], json!([]));
    assert_eq!(state["event_count"], json!(7));
    // Without the later PhaseEntered, the rollback's target is current.
    let state = reduce_lifecycle_events(log[..6].to_vec());
    assert_eq!(state.current_phase(), Some("implement"));
    assert_eq!(
        state.phases_entered().last().map(String::as_str),
        Some("implement")
    );
}

/// F-Reducer-003 (seed D6): repeated event ids count once, whatever the
/// number of copies and their positions.
#[test]
fn f_reducer_003_idempotent_dedup() {
    let parts = [
        E::new(1, "MissionStarted", started("specify"), 1),
        change(2, 2, "WP01", None, "planned"),
        change(3, 3, "WP01", Some("planned"), "claimed"),
        E::new(4, "PhaseEntered", phase("implement"), 4),
        change(5, 5, "WP01", Some("claimed"), "in_progress"),
        E::new(6, "MissionCompleted", completed(), 6),
    ];
    let log = events(&parts);
    let once = reduce_lifecycle_events(log.clone()).to_json();
    let mut tripled = log.clone();
    tripled.extend(log.iter().cloned());
    tripled.extend(log.iter().cloned());
    assert_eq!(same_json_over_1000_orderings(&tripled, 3), once);
    let state: Value = serde_json::from_str(&once).unwrap();
    assert_eq!(state["event_count"], json!(6));
    assert_eq!(state["anomalies"], json!([]));
    assert_eq!(
        state["wp_states"]["WP01"]["current_lane"],
        json!("in_progress")
    );
}

#[test]
fn a_child_event_follows_its_parent_and_the_inversion_is_reported() {
    let log = events(&[
        E::new(1, "MissionStarted", started("specify"), 5),
        // Clock 2 says "before the start"; its parent says "after".
        E::new(2, "PhaseEntered", phase("plan"), 2).caused_by(1),
        // A grandchild with a sound clock relative to its own parent is
        // still moved, since its parent moved.
        E::new(3, "PhaseEntered", phase("tasks"), 3).caused_by(2),
    ]);
    let json = same_json_over_1000_orderings(&log, 4);
    let state: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(state["phases_entered"], json!(["specify", "plan", "tasks"]));
    let inverted: Vec<&str> = state["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(inverted, [id(2), id(3)]);
    assert!(
        state["anomalies"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("causation inversion")
    );
}

#[test]
fn mixed_offsets_order_as_instants_and_are_written_back_as_given() {
    // Same clock; 12:00:00+02:00 is 10:00:00Z, before 10:30:00Z.
    let mut second = change(2, 2, "WP01", Some("planned"), "claimed").at(-3600);
    second.offset = "+02:00";
    let first = change(3, 2, "WP01", Some("planned"), "blocked").at(-1800);
    let log = events(&[
        E::new(1, "MissionStarted", started("specify"), 1),
        change(4, 1, "WP01", None, "planned"),
        second,
        first,
    ]);
    let state = value(log);
    // The last valid of the group by instant is event 3 (blocked).
    assert_eq!(state["wp_states"]["WP01"]["current_lane"], json!("blocked"));
    assert_eq!(state["last_processed_event_id"], json!(id(3)));
    let mut only_offset = change(5, 1, "WP02", None, "planned");
    only_offset.offset = "+05:30";
    let state = value(events(&[only_offset]));
    assert!(
        state["wp_states"]["WP02"]["last_transition_at"]
            .as_str()
            .unwrap()
            .ends_with("+05:30")
    );
}

#[test]
fn work_package_states_match_the_status_reducer() {
    for seed in 0..50 {
        let log = random_mission(seed, 30, Mix::ALL);
        let lifecycle = reduce_lifecycle_events(log.clone());
        let status = spec_kitty_events::reduce::reduce_status_events(log);
        assert_eq!(lifecycle.wp_states(), status.wp_states());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// SC-001: the same events in any order, duplicates included, give
    /// identical JSON (100 orderings per generated mission).
    #[test]
    fn sc_001_any_order_gives_identical_json(seed in any::<u64>(), size in 1usize..60) {
        let log = random_mission(seed, size, Mix::ALL);
        let expected = reduce_lifecycle_events(log.clone()).to_json();
        let mut rng = Rng(seed.rotate_left(17));
        for _ in 0..100 {
            let again = shuffled_with_duplicates(&log, &mut rng);
            prop_assert_eq!(reduce_lifecycle_events(again).to_json(), expected.clone());
        }
    }

    /// Arbitrary JSON as any mission payload is an anomaly at worst.
    #[test]
    fn arbitrary_mission_payloads_never_panic(
        kind in prop::sample::select(vec!["MissionStarted", "MissionCompleted", "MissionCancelled", "PhaseEntered", "ReviewRollback", "WPStatusChanged"]),
        key in "[a-z_]{1,14}",
        text in ".{0,10}",
        number in any::<i64>(),
    ) {
        let payloads = [
            json!({key.clone(): text.clone()}),
            json!({"mission_id": text.clone(), "phase_name": number, "actor": null}),
            json!({"mission_id": "M1", "mission_type": text.clone(), "initial_phase": text.clone(), "actor": "a", key: number}),
        ];
        let mut parts = vec![E::new(1, "MissionStarted", started("specify"), 1)];
        for (i, payload) in payloads.into_iter().enumerate() {
            parts.push(E::new(10 + i as u64, kind, payload, 2));
        }
        let state = reduce_lifecycle_events(events(&parts));
        prop_assert_eq!(state.event_count(), 4);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// The reducers split their ordering over threads on a large log: the
    /// state, its anomalies in order, and the canonical order are the same
    /// on one thread and on many, duplicates and conflicting copies
    /// included.
    #[test]
    fn one_thread_and_many_give_the_same_result(seed in any::<u64>(), size in 1usize..200, threads in 2usize..9) {
        use spec_kitty_events::log::{replay_log, replay_reader};
        use spec_kitty_events::reduce::cores::with_threads;
        use spec_kitty_events::reduce::{canonical_order, reduce_status_events};
        let mut log = random_mission(seed, size, Mix::ALL);
        // A copy of one id with other content, now and then.
        if seed % 3 == 0
            && let Some(first) = log.first()
        {
            let mut json: Value = serde_json::from_str(&first.to_json()).unwrap();
            json["node_id"] = json!("another-node");
            log.push(Event::from_json(&json.to_string()).unwrap());
        }
        let one = with_threads(1, || reduce_lifecycle_events(&log));
        let many = with_threads(threads, || reduce_lifecycle_events(&log));
        prop_assert_eq!(one.anomalies().collect::<Vec<_>>(), many.anomalies().collect::<Vec<_>>());
        // The JSON written in parts on many threads is what serde writes
        // from the state's `Serialize`, byte for byte.
        let json_many = with_threads(threads, || many.to_json());
        prop_assert_eq!(&json_many, &serde_json::to_string(&one).unwrap());
        prop_assert_eq!(with_threads(1, || one.to_json()), json_many);
        prop_assert_eq!(&one, &many);
        let status_one = with_threads(1, || reduce_status_events(&log));
        let status_many = with_threads(threads, || reduce_status_events(&log));
        prop_assert_eq!(status_one.anomalies().collect::<Vec<_>>(), status_many.anomalies().collect::<Vec<_>>());
        prop_assert_eq!(status_one.to_json(), status_many.to_json());
        prop_assert_eq!(&status_one, &status_many);
        let status_json = with_threads(threads, || status_many.to_json());
        prop_assert_eq!(&status_json, &serde_json::to_string(&status_one).unwrap());
        prop_assert_eq!(with_threads(1, || status_one.to_json()), status_json);
        // The command line's reader, its blocks parsed on many threads,
        // gives what the whole text gives on one.
        let text: String = log.iter().map(|e| e.to_json() + "\n").collect();
        let streamed = with_threads(threads, || replay_reader(text.as_bytes())).unwrap();
        let whole = with_threads(1, || replay_log(&text));
        prop_assert_eq!(&streamed.state, &whole.state);
        prop_assert_eq!(streamed.bad_lines, whole.bad_lines);
        prop_assert_eq!(&whole.state, &one);
        let order_one: Vec<String> =
            with_threads(1, || canonical_order(log.iter().collect::<Vec<_>>()))
                .iter()
                .map(|e| e.to_json())
                .collect();
        let order_many: Vec<String> =
            with_threads(threads, || canonical_order(log.iter().collect::<Vec<_>>()))
                .iter()
                .map(|e| e.to_json())
                .collect();
        prop_assert_eq!(order_one, order_many);
    }
}

/// Several random missions' events as one log, each one's work packages
/// renamed apart (`M<j>-WP0…`): many work packages, concurrent groups,
/// causation inversions, undecodable payloads and duplicates in one log.
fn many_work_packages(seed: u64, missions: u64, size: usize) -> Vec<Event> {
    let mut log = Vec::new();
    for j in 0..missions {
        for event in random_mission(seed.wrapping_add(j), size, Mix::ALL) {
            let mut json: Value = serde_json::from_str(&event.to_json()).unwrap();
            if let Some(wp_id) = json["payload"]["wp_id"].as_str() {
                json["payload"]["wp_id"] = json!(format!("M{j}-{wp_id}"));
            }
            log.push(Event::from_json(&json.to_string()).unwrap());
        }
    }
    log
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// The reducers fold the work packages apart on many threads (forced
    /// here at any size, past `FOLD_PARALLEL_MIN` events otherwise): with
    /// up to 40 work packages dealt to 2 to 8 parts, the state, the
    /// anomalies in order and the JSON are the serial fold's.
    #[test]
    fn many_work_packages_fold_apart_as_on_one_thread(seed in any::<u64>(), missions in 1u64..11, size in 1usize..120, threads in 2usize..9) {
        use spec_kitty_events::reduce::cores::with_threads;
        use spec_kitty_events::reduce::reduce_status_events;
        let log = many_work_packages(seed, missions, size);
        let one = with_threads(1, || reduce_lifecycle_events(&log));
        let many = with_threads(threads, || reduce_lifecycle_events(&log));
        prop_assert_eq!(one.anomalies().collect::<Vec<_>>(), many.anomalies().collect::<Vec<_>>());
        prop_assert_eq!(one.wp_states(), many.wp_states());
        prop_assert_eq!(one.to_json(), many.to_json());
        prop_assert_eq!(&one, &many);
        let status_one = with_threads(1, || reduce_status_events(&log));
        let status_many = with_threads(threads, || reduce_status_events(&log));
        prop_assert_eq!(status_one.anomalies().collect::<Vec<_>>(), status_many.anomalies().collect::<Vec<_>>());
        prop_assert_eq!(status_one.to_json(), status_many.to_json());
        prop_assert_eq!(&status_one, &status_many);
    }
}
