//! One behavioural suite, written once, that every [`VerbatimEventStore`]
//! runs: in memory, a JSON Lines file and (with the `postgres` feature)
//! PostgreSQL.
//!
//! `store_suite!(name, factory)` makes a module of tests over the stores
//! `factory` makes; the factory returns the store and whatever must live as
//! long as it (a temporary directory, a test database).

#[cfg(feature = "postgres")]
#[path = "support/postgres.rs"]
mod pg;

use proptest::prelude::*;
use spec_kitty_events::contract::DataTier;
use spec_kitty_events::store::{MissionKey, SaveOutcome, VerbatimEvent, VerbatimEventStore};

const PROJECT: &str = "00000000-0000-0000-0000-000000000001";
const OTHER_PROJECT: &str = "00000000-0000-0000-0000-000000000002";

/// Event `n`'s id: a fixed millisecond and `n` as the random part, so ids
/// sort as `n` does.
fn id(n: u64) -> String {
    ulid::Ulid::from_parts(1_770_634_800_000, u128::from(n)).to_string()
}

/// The text of a Note event: id `n`, the given clock, timestamp, mission,
/// tier, and `payload` spelled as given.
fn note(n: u64, clock: u64, timestamp: &str, aggregate: &str, tier: u8, payload: &str) -> String {
    note_in(PROJECT, n, clock, timestamp, aggregate, tier, payload)
}

fn note_in(
    project: &str,
    n: u64,
    clock: u64,
    timestamp: &str,
    aggregate: &str,
    tier: u8,
    payload: &str,
) -> String {
    format!(
        r#"{{"event_id":"{}","event_type":"Note","aggregate_id":"{aggregate}","payload":{payload},"timestamp":"{timestamp}","node_id":"cli","lamport_clock":{clock},"project_uuid":"{project}","correlation_id":"01JKQ4V7C00000000000000C0R","data_tier":{tier}}}"#,
        id(n)
    )
}

fn verbatim(text: &str) -> VerbatimEvent {
    VerbatimEvent::parse(text).expect("a valid test event")
}

fn mission(aggregate: &str) -> MissionKey {
    MissionKey {
        project_uuid: PROJECT.parse().unwrap(),
        aggregate_id: aggregate.to_owned(),
    }
}

/// The `n` of each event, from its id.
fn numbers(events: &[VerbatimEvent]) -> Vec<u64> {
    events
        .iter()
        .map(|event| {
            let id = ulid::Ulid::from_string(event.event().event_id().as_str()).unwrap();
            id.random() as u64
        })
        .collect()
}

/// Saving a known id (same text) writes nothing; the store holds it once.
fn saving_a_known_event_writes_nothing(store: &mut impl VerbatimEventStore) {
    let event = verbatim(&note(1, 1, "2026-02-09T11:00:01Z", "M1", 0, "{}"));
    assert_eq!(store.save_verbatim(&event).unwrap(), SaveOutcome::Stored);
    assert_eq!(
        store.save_verbatim(&event).unwrap(),
        SaveOutcome::AlreadyStored
    );
    assert_eq!(
        store.save_verbatim(&event).unwrap(),
        SaveOutcome::AlreadyStored
    );
    assert_eq!(store.load_mission(&mission("M1")).unwrap(), [event]);
}

/// Another text under a stored id is refused and reported; the stored text stays.
fn a_different_text_under_a_known_id_is_refused(store: &mut impl VerbatimEventStore) {
    let first = note(1, 1, "2026-02-09T11:00:01Z", "M1", 0, r#"{"n":1}"#);
    let second = note(1, 1, "2026-02-09T11:00:01Z", "M1", 0, r#"{"n":2}"#);
    // Same content, other spelling: still another text.
    let respelled = note(1, 1, "2026-02-09T11:00:01Z", "M1", 0, r#"{"n":1.0}"#);
    assert_eq!(
        store.save_verbatim(&verbatim(&first)).unwrap(),
        SaveOutcome::Stored
    );
    for other in [&second, &respelled] {
        assert_eq!(
            store.save_verbatim(&verbatim(other)).unwrap(),
            SaveOutcome::Conflict {
                event_id: verbatim(&first).event().event_id(),
                stored: first.clone().into_boxed_str(),
            }
        );
    }
    let stored = store.load_mission(&mission("M1")).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].text(), first);
}

/// What is read back is the text given, byte for byte: unknown fields, key
/// order, number spellings, escapes and spaces.
fn texts_are_kept_byte_for_byte(store: &mut impl VerbatimEventStore) {
    let texts = [
        note(
            1,
            1,
            "2026-02-09T11:00:01Z",
            "M1",
            0,
            r#"{"cost":1.50,"big":1e3,"neg":-0.0}"#,
        ),
        format!(
            r#"{{ "zz_unknown" : [1, 2.000, {{"nested":null}}], "event_id" : "{}", "event_type":"Note","aggregate_id":"M1","payload":{{"name":"caf\u00e9 \"q\""}},"timestamp":"2026-02-09T13:00:02+02:00","node_id":"cli","lamport_clock":2,"project_uuid":"{PROJECT}","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#,
            id(2)
        ),
    ];
    for text in &texts {
        assert_eq!(
            store.save_verbatim(&verbatim(text)).unwrap(),
            SaveOutcome::Stored
        );
    }
    let stored: Vec<String> = store
        .load_mission(&mission("M1"))
        .unwrap()
        .iter()
        .map(|event| event.text().to_owned())
        .collect();
    assert_eq!(stored, texts);
}

/// A mission's events come in canonical order — (lamport_clock, timestamp
/// as an instant, event_id) — and only that mission's (same aggregate in
/// another project is another mission).
fn a_mission_reads_in_canonical_order(store: &mut impl VerbatimEventStore) {
    let events = [
        // (n, clock, timestamp, aggregate)
        (1, 3, "2026-02-09T11:00:00Z", "M1"),
        (2, 1, "2026-02-09T11:00:05Z", "M1"),
        // Clock 2: 12:00+02:00 is 10:00Z, before 10:30Z.
        (3, 2, "2026-02-09T10:30:00Z", "M1"),
        (4, 2, "2026-02-09T12:00:00+02:00", "M1"),
        // Clock 3, same instant as n=1: the id decides, 1 before 5.
        (5, 3, "2026-02-09T11:00:00Z", "M1"),
        (6, 1, "2026-02-09T11:00:00Z", "M2"),
        (7, 0, "2026-02-09T11:00:00Z", "M1"),
    ];
    for (n, clock, timestamp, aggregate) in events {
        let text = note(n, clock, timestamp, aggregate, 0, "{}");
        assert_eq!(
            store.save_verbatim(&verbatim(&text)).unwrap(),
            SaveOutcome::Stored
        );
    }
    let elsewhere = note_in(OTHER_PROJECT, 8, 1, "2026-02-09T11:00:00Z", "M1", 0, "{}");
    assert_eq!(
        store.save_verbatim(&verbatim(&elsewhere)).unwrap(),
        SaveOutcome::Stored
    );
    let expected: &[u64] = &[7, 2, 4, 3, 1, 5];
    assert_eq!(
        numbers(&store.load_mission(&mission("M1")).unwrap()),
        expected
    );
    assert_eq!(numbers(&store.load_mission(&mission("M2")).unwrap()), [6]);
    assert!(store.load_mission(&mission("M3")).unwrap().is_empty());
}

/// A destination of tier t sees the events of tier t and above, in
/// canonical order, across missions.
fn the_tier_filter_keeps_what_a_destination_may_see(store: &mut impl VerbatimEventStore) {
    // (n, clock, tier, aggregate)
    let events = [
        (1, 5, 0, "M1"),
        (2, 4, 1, "M1"),
        (3, 3, 2, "M2"),
        (4, 2, 3, "M1"),
        (5, 1, 4, "M2"),
        (6, 6, 2, "M1"),
    ];
    for (n, clock, tier, aggregate) in events {
        let text = note(n, clock, "2026-02-09T11:00:00Z", aggregate, tier, "{}");
        assert_eq!(
            store.save_verbatim(&verbatim(&text)).unwrap(),
            SaveOutcome::Stored
        );
    }
    let table: [(u8, &[u64]); 5] = [
        (0, &[5, 4, 3, 2, 1, 6]),
        (1, &[5, 4, 3, 2, 6]),
        (2, &[5, 4, 3, 6]),
        (3, &[5, 4]),
        (4, &[5]),
    ];
    for (tier, expected) in table {
        let seen = store.load_for_tier(DataTier::new(tier).unwrap()).unwrap();
        assert_eq!(numbers(&seen), expected, "tier {tier}");
    }
}

/// Saves in any order, repeats included, keep the first text of each id and
/// read back in one order.
fn any_arrival_order_reads_the_same(store: &mut impl VerbatimEventStore, arrivals: &[(u64, u64)]) {
    let mut first: std::collections::BTreeMap<u64, String> = Default::default();
    for &(n, clock) in arrivals {
        let text = note(
            n,
            clock,
            "2026-02-09T11:00:00Z",
            "M1",
            0,
            &format!(r#"{{"c":{clock}}}"#),
        );
        let outcome = store.save_verbatim(&verbatim(&text)).unwrap();
        match first.get(&n) {
            None => {
                assert_eq!(outcome, SaveOutcome::Stored);
                first.insert(n, text);
            }
            Some(kept) if *kept == text => assert_eq!(outcome, SaveOutcome::AlreadyStored),
            Some(_) => assert!(matches!(outcome, SaveOutcome::Conflict { .. })),
        }
    }
    // The expected order, by the rule itself: clock, then id (one instant).
    let mut expected: Vec<(u64, u64)> = first
        .iter()
        .map(|(&n, text)| (verbatim(text).event().lamport_clock(), n))
        .collect();
    expected.sort();
    let loaded = store.load_mission(&mission("M1")).unwrap();
    assert_eq!(
        numbers(&loaded),
        expected.iter().map(|&(_, n)| n).collect::<Vec<_>>()
    );
    for event in &loaded {
        let n = numbers(std::slice::from_ref(event))[0];
        assert_eq!(event.text(), first[&n]);
    }
}

/// A valid event's text with one character put in at one place: the store
/// either refuses it (the decoder's error) or keeps it byte for byte.
fn a_damaged_text_is_refused_or_kept_exactly(
    store: &mut impl VerbatimEventStore,
    at: usize,
    inserted: char,
) {
    let mut text = note(1, 1, "2026-02-09T11:00:01Z", "M1", 0, r#"{"n":1}"#);
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.insert(at, inserted);
    let Ok(event) = VerbatimEvent::parse(text.clone()) else {
        return;
    };
    assert_eq!(store.save_verbatim(&event).unwrap(), SaveOutcome::Stored);
    let stored = store.load_mission(&event.mission()).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].text(), text);
}

macro_rules! store_suite {
    ($name:ident, $factory:expr) => {
        mod $name {
            use super::*;

            #[test]
            fn saving_a_known_event_writes_nothing() {
                let (_keep, mut store) = $factory;
                super::saving_a_known_event_writes_nothing(&mut store);
            }

            #[test]
            fn a_different_text_under_a_known_id_is_refused() {
                let (_keep, mut store) = $factory;
                super::a_different_text_under_a_known_id_is_refused(&mut store);
            }

            #[test]
            fn texts_are_kept_byte_for_byte() {
                let (_keep, mut store) = $factory;
                super::texts_are_kept_byte_for_byte(&mut store);
            }

            #[test]
            fn a_mission_reads_in_canonical_order() {
                let (_keep, mut store) = $factory;
                super::a_mission_reads_in_canonical_order(&mut store);
            }

            #[test]
            fn the_tier_filter_keeps_what_a_destination_may_see() {
                let (_keep, mut store) = $factory;
                super::the_tier_filter_keeps_what_a_destination_may_see(&mut store);
            }

            proptest! {
                #![proptest_config(ProptestConfig::with_cases(24))]
                #[test]
                fn any_arrival_order_reads_the_same(
                    arrivals in proptest::collection::vec((0u64..12, 0u64..4), 0..30)
                ) {
                    let (_keep, mut store) = $factory;
                    super::any_arrival_order_reads_the_same(&mut store, &arrivals);
                }

                #[test]
                fn a_damaged_text_is_refused_or_kept_exactly(
                    at in 0usize..400,
                    inserted in proptest::char::any(),
                ) {
                    let (_keep, mut store) = $factory;
                    super::a_damaged_text_is_refused_or_kept_exactly(&mut store, at, inserted);
                }
            }
        }
    };
}

store_suite!(
    in_memory,
    ((), spec_kitty_events::store::InMemoryEventStore::new())
);

store_suite!(jsonl_file, {
    let dir = tempfile::tempdir().unwrap();
    let store =
        spec_kitty_events::store::JsonlFileStore::open(dir.path().join("events.jsonl")).unwrap();
    (dir, store)
});

#[cfg(feature = "postgres")]
store_suite!(postgres, {
    let database = pg::TestDatabase::new();
    let store = database.store();
    (database, store)
});
