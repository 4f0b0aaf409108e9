//! Unclocked events (schema 3.0.0 lets `lamport_clock` be absent) sort
//! before every clocked one, clock 0 included, as 11.0.0 orders them; among
//! themselves by timestamp, then event id. One ordering for everyone: the
//! reducers' canonical order and the stores' storage order agree on it,
//! and with 11.0.0's own `status_event_sort_key` and `total_order_key`
//! (`tests/reference/order_events.py`, the oracle as a black box).

#[path = "support/reference.rs"]
mod reference;

use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::{
    canonical_order, clock_rank, status_event_sort_key, total_order_key,
};
use spec_kitty_events::store::{EventStore, InMemoryEventStore};

/// A schema 3.0.0 event `id`, at `clock` (`None`: unclocked), `minute`
/// past 11:00 on `node`.
fn event(id: &str, clock: Option<u64>, minute: u32, node: &str) -> Event {
    let builder = Event::untyped_builder("Custom", serde_json::Map::new())
        .event_id(id)
        .aggregate_id("A")
        .node_id(node)
        .timestamp(format!("2026-02-09T11:{minute:02}:00Z"))
        .project_uuid(uuid::Uuid::nil())
        .correlation_id("01JKQ4V7C00000000000000C0R");
    match clock {
        Some(clock) => builder.lamport_clock(clock).build().unwrap(),
        None => builder.unclocked().build().unwrap(),
    }
}

/// The log, in an arrival order that is none of the orders below.
fn log() -> Vec<Event> {
    vec![
        event("01JKQ4V7C00000000000000005", Some(1), 0, "b"),
        event("01JKQ4V7C00000000000000003", Some(0), 5, "b"),
        event("01JKQ4V7C00000000000000002", None, 9, "a"),
        event("01JKQ4V7C00000000000000004", Some(0), 1, "a"),
        event("01JKQ4V7C00000000000000001", None, 9, "c"),
        event("01JKQ4V7C00000000000000006", None, 3, "b"),
    ]
}

/// The last four digits of each event's id, in order.
fn ids(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| e.event_id().as_str()[22..].to_owned())
        .collect()
}

#[test]
fn unclocked_events_come_before_clock_zero_in_the_canonical_order() {
    // Unclocked first (by timestamp: 11:03 …06, then the two at 11:09 by
    // id: …01, …02), then clock 0 (11:01 …04, 11:05 …03), then clock 1.
    let ordered = canonical_order(log());
    assert_eq!(
        ids(&ordered),
        ["0006", "0001", "0002", "0004", "0003", "0005"]
    );
    let ranks: Vec<u64> = ordered.iter().map(clock_rank).collect();
    assert_eq!(ranks, [0, 0, 0, 1, 1, 2]);
    // The clock itself reads 0 for an unclocked event, as before.
    assert_eq!(ordered[0].lamport_clock(), 0);
    assert_eq!(ordered[0].clock(), None);
    let mut keys: Vec<_> = log().iter().map(status_event_sort_key).collect();
    keys.sort();
    let by_key: Vec<String> = keys.iter().map(|k| k.2.as_str()[22..].to_owned()).collect();
    assert_eq!(by_key, ["0006", "0001", "0002", "0004", "0003", "0005"]);
}

#[test]
fn the_storage_order_puts_unclocked_events_first_too() {
    // (rank, node): unclocked on a, b, c; then clock 0 on a, b; then clock 1.
    let mut events = log();
    events.sort_by(|a, b| total_order_key(a).cmp(&total_order_key(b)));
    assert_eq!(
        ids(&events),
        ["0002", "0006", "0001", "0004", "0003", "0005"]
    );
    let mut store = InMemoryEventStore::new();
    for event in log() {
        store.save_event(&event).unwrap();
    }
    let loaded = store.load_all_events().unwrap();
    assert_eq!(
        ids(&loaded),
        ["0002", "0006", "0001", "0004", "0003", "0005"]
    );
}

#[test]
fn both_orders_are_the_ones_11_0_0_gives() {
    let jsonl: String = log().iter().map(|e| e.to_json() + "\n").collect();
    let out = reference::run_with(reference::Oracle::V11, "order_events.py", &[], &jsonl);
    let oracle: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ours = |events: Vec<Event>| -> Vec<String> {
        events.iter().map(|e| e.event_id().to_string()).collect()
    };
    let canonical = ours(canonical_order(log()));
    assert_eq!(
        oracle["status_event_sort_key"],
        serde_json::json!(canonical)
    );
    let mut stored = log();
    stored.sort_by(|a, b| total_order_key(a).cmp(&total_order_key(b)));
    assert_eq!(oracle["total_order_key"], serde_json::json!(ours(stored)));
}
