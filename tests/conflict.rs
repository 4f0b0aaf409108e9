//! `state_machine_merge`. Expected notes and winners are what the Python
//! reference returned for the same inputs (probed as a black box), except
//! where a tie within one state is broken by event id instead of input order.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use spec_kitty_events::Error;
use spec_kitty_events::contract::{Event, Ulid};
use spec_kitty_events::merge::{DEFAULT_STATE_KEY, state_machine_merge};

fn event(n: u32, node: &str, clock: u64, aggregate: &str, payload: Value) -> Event {
    let Value::Object(map) = payload else {
        panic!("object")
    };
    Event::untyped_builder("StateSet", map)
        .event_id(
            format!("01JKQ4V7C0000000000000{n:04}")
                .parse::<Ulid>()
                .unwrap(),
        )
        .aggregate_id(aggregate)
        .node_id(node)
        .lamport_clock(clock)
        .timestamp("2026-02-09T11:00:01Z")
        .project_uuid(uuid::Uuid::nil())
        .correlation_id("01JKQ4V7C00000000000000C0R")
        .build()
        .unwrap()
}

fn at(n: u32, node: &str, state: &str) -> Event {
    event(n, node, 1, "A", json!({ "state": state }))
}

fn priorities() -> BTreeMap<String, i64> {
    BTreeMap::from([("done".into(), 3), ("review".into(), 2), ("wip".into(), 1)])
}

fn merged(events: &[Event]) -> (u32, String, String) {
    let r = state_machine_merge(events, &priorities(), DEFAULT_STATE_KEY).unwrap();
    assert!(!r.requires_manual_review());
    assert_eq!(r.conflicting_events(), events);
    let id = r.merged_event().event_id().to_string()[22..]
        .parse()
        .unwrap();
    (
        id,
        r.merged_event().node_id().to_owned(),
        r.resolution_note().to_owned(),
    )
}

#[test]
fn the_highest_priority_wins() {
    let (id, node, note) = merged(&[at(1, "b", "wip"), at(2, "z", "done"), at(3, "c", "review")]);
    assert_eq!((id, node.as_str()), (2, "z"));
    assert_eq!(
        note,
        "Selected state 'done' (priority=3) from node 'z' over 2 conflicting states"
    );
}

#[test]
fn a_tie_in_priority_goes_to_the_smallest_node() {
    let (id, _, note) = merged(&[at(1, "b", "wip"), at(2, "a", "done"), at(3, "c", "done")]);
    assert_eq!(id, 2);
    assert_eq!(
        note,
        "Selected state 'done' (priority=3) from node 'a' over 2 conflicting states"
    );
    for events in [
        [at(1, "b", "done"), at(2, "a", "done")],
        [at(2, "a", "done"), at(1, "b", "done")],
    ] {
        let (id, _, note) = merged(&events);
        assert_eq!(id, 2);
        assert_eq!(
            note,
            "All events have same state: done (tiebroken by node 'a')"
        );
    }
}

#[test]
fn a_tie_on_one_node_goes_to_the_smallest_event_id_in_any_order() {
    assert_eq!(merged(&[at(3, "b", "done"), at(1, "b", "done")]).0, 1);
    assert_eq!(merged(&[at(1, "b", "done"), at(3, "b", "done")]).0, 1);
}

#[test]
fn a_single_event_is_no_conflict() {
    let (id, _, note) = merged(&[at(1, "b", "wip")]);
    assert_eq!(id, 1);
    assert_eq!(note, "Single event, no conflict: state=wip");
}

#[test]
fn status_is_the_fallback_of_the_default_key_only() {
    let events = [
        event(1, "b", 1, "A", json!({"status": "done"})),
        event(2, "a", 1, "A", json!({"state": "wip"})),
        event(3, "c", 1, "A", json!({"state": null, "status": "review"})),
    ];
    assert_eq!(merged(&events).0, 1);
    // `state` is read first when both are there.
    assert_eq!(
        merged(&[event(
            1,
            "b",
            1,
            "A",
            json!({"status": "done", "state": "wip"})
        )])
        .2,
        "Single event, no conflict: state=wip"
    );
    let custom = [event(1, "b", 1, "A", json!({"status": "done"}))];
    let err = state_machine_merge(&custom, &priorities(), "phase").unwrap_err();
    assert_eq!(validation_field(err), "payload.phase");
    let phased = [event(1, "b", 1, "A", json!({"phase": "review"}))];
    let r = state_machine_merge(&phased, &priorities(), "phase").unwrap();
    assert_eq!(
        r.resolution_note(),
        "Single event, no conflict: state=review"
    );
}

fn validation_field(err: Error) -> String {
    match err {
        Error::Validation(e) => {
            assert!(!e.message().is_empty());
            e.field().to_owned()
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn bad_input_is_an_error_naming_the_field() {
    let p = priorities();
    let cases: Vec<(Vec<Event>, &str)> = vec![
        (vec![], "events"),
        (
            vec![
                at(1, "a", "done"),
                event(2, "b", 2, "A", json!({"state": "done"})),
            ],
            "lamport_clock",
        ),
        (
            vec![
                at(1, "a", "done"),
                event(2, "b", 1, "B", json!({"state": "done"})),
            ],
            "aggregate_id",
        ),
        (vec![at(1, "a", "zzz")], "payload.state"),
        (vec![event(1, "a", 1, "A", json!({}))], "payload.state"),
        (
            vec![event(1, "a", 1, "A", json!({"state": 3}))],
            "payload.state",
        ),
        (
            vec![event(1, "a", 1, "A", json!({"status": ["done"]}))],
            "payload.status",
        ),
    ];
    for (events, field) in cases {
        let err = state_machine_merge(&events, &p, DEFAULT_STATE_KEY).unwrap_err();
        assert_eq!(validation_field(err), field, "{events:?}");
    }
}

#[test]
fn negative_priorities_compare_as_numbers() {
    let p = BTreeMap::from([("x".into(), -1), ("y".into(), -2)]);
    let r =
        state_machine_merge(&[at(1, "a", "y"), at(2, "b", "x")], &p, DEFAULT_STATE_KEY).unwrap();
    assert_eq!(
        r.resolution_note(),
        "Selected state 'x' (priority=-1) from node 'b' over 1 conflicting states"
    );
}
