//! The in-memory stores: idempotent saves, order of loads, bounded retention.

use std::num::NonZeroUsize;

use spec_kitty_events::contract::{Event, Timestamp, Ulid};

use spec_kitty_events::store::{
    ClockStorage, ErrorEntry, ErrorStorage, EventStore, InMemoryClockStorage, InMemoryErrorStorage,
    InMemoryEventStore,
};

fn ulid(n: u32) -> Ulid {
    format!("01JKQ4V7C0000000000000{n:04}").parse().unwrap()
}

fn event(n: u32, aggregate: &str, node: &str, clock: u64, note: &str) -> Event {
    let mut payload = serde_json::Map::new();
    payload.insert("note".into(), note.into());
    Event::untyped_builder("Custom", payload)
        .event_id(ulid(n))
        .aggregate_id(aggregate)
        .node_id(node)
        .lamport_clock(clock)
        .timestamp("2026-02-09T11:00:01Z")
        .project_uuid(uuid::Uuid::nil())
        .correlation_id(ulid(9999))
        .build()
        .unwrap()
}

fn ids(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| e.event_id().to_string()[22..].to_owned())
        .collect()
}

#[test]
fn saving_twice_keeps_one_copy_and_a_resave_replaces_it() {
    let mut store = InMemoryEventStore::new();
    assert!(store.is_empty());
    store.save_event(&event(1, "A", "n", 1, "first")).unwrap();
    store.save_event(&event(1, "A", "n", 1, "first")).unwrap();
    assert_eq!(store.len(), 1);
    let replacement = event(1, "A", "n", 1, "second");
    store.save_event(&replacement).unwrap();
    assert_eq!(store.load_all_events().unwrap(), [replacement]);
}

#[test]
fn loads_are_ordered_by_clock_then_node_then_event_id() {
    let mut store = InMemoryEventStore::new();
    for e in [
        event(5, "A", "b", 2, ""),
        event(4, "B", "a", 2, ""),
        event(3, "A", "z", 1, ""),
        event(2, "A", "b", 2, ""),
        event(1, "B", "a", 3, ""),
    ] {
        store.save_event(&e).unwrap();
    }
    assert_eq!(
        ids(&store.load_all_events().unwrap()),
        ["0003", "0004", "0002", "0005", "0001"]
    );
    assert_eq!(
        ids(&store.load_events("A").unwrap()),
        ["0003", "0002", "0005"]
    );
    assert_eq!(ids(&store.load_events("B").unwrap()), ["0004", "0001"]);
    assert!(store.load_events("C").unwrap().is_empty());
}

#[test]
fn clock_storage_starts_at_zero_and_overwrites() {
    let mut storage = InMemoryClockStorage::new();
    assert_eq!(storage.load("cli").unwrap(), 0);
    storage.save("cli", 7).unwrap();
    storage.save("cli", 3).unwrap();
    assert_eq!(storage.load("cli").unwrap(), 3);
    assert_eq!(storage.load("other").unwrap(), 0);
}

fn entry(action: &str) -> ErrorEntry {
    ErrorEntry::new(Timestamp::now(), action, "failed").unwrap()
}

fn actions(entries: &[ErrorEntry]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e.action_attempted.as_str())
        .collect()
}

#[test]
fn error_storage_returns_newest_first_and_evicts_the_oldest() {
    let mut store = InMemoryErrorStorage::with_max_entries(NonZeroUsize::new(3).unwrap());
    for action in ["a0", "a1", "a2", "a3", "a4"] {
        store.append(entry(action)).unwrap();
    }
    assert_eq!(store.len(), 3);
    let all = store.load_recent(NonZeroUsize::new(10).unwrap()).unwrap();
    assert_eq!(actions(&all), ["a4", "a3", "a2"]);
    let two = store.load_recent(NonZeroUsize::new(2).unwrap()).unwrap();
    assert_eq!(actions(&two), ["a4", "a3"]);
}

#[test]
fn error_storage_keeps_one_hundred_by_default() {
    let mut store = InMemoryErrorStorage::default();
    assert_eq!(store.max_entries().get(), 100);
    for i in 0..150 {
        store.append(entry(&format!("a{i}"))).unwrap();
    }
    let all = store.load_recent(NonZeroUsize::new(1000).unwrap()).unwrap();
    assert_eq!(all.len(), 100);
    assert_eq!(all[0].action_attempted, "a149");
    assert_eq!(all[99].action_attempted, "a50");
}
