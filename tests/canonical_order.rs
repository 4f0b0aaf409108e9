//! `canonical_order` against its definition: sort every copy by
//! (sort key, JSON), keep the first copy of each event id. Clocks, instants
//! and ids are drawn from small pools, so that concurrent events, exact
//! repeats and conflicting copies of one id (tying on the key or not) are
//! common.

use std::collections::HashSet;

use proptest::prelude::*;
use spec_kitty_events::contract::{Event, Timestamp, Ulid};
use spec_kitty_events::reduce::{canonical_order, status_event_sort_key};

const IDS: [&str; 4] = [
    "01JKQ4V7C00000000000000001",
    "01JKQ4V7C00000000000000002",
    "01JKQ4V7C0000000000000000A",
    "01jkq4v7c0000000000000000b",
];

fn event(id: usize, clock: u64, second: i64, content: u8) -> Event {
    let mut payload = serde_json::Map::new();
    payload.insert("content".to_owned(), content.into());
    let at = jiff::Timestamp::from_second(1_770_634_800 + second).unwrap();
    Event::untyped_builder("Custom", payload)
        .event_id(IDS[id].parse::<Ulid>().unwrap())
        .aggregate_id("A")
        .node_id("n")
        .lamport_clock(clock)
        .timestamp(Timestamp::from_instant(at))
        .project_uuid(uuid::Uuid::nil())
        .correlation_id("01JKQ4V7C00000000000000C0R")
        .build()
        .unwrap()
}

/// The definition, written the slow and obvious way.
fn by_definition(events: &[Event]) -> Vec<Event> {
    let mut all = events.to_vec();
    all.sort_by_key(|event| (status_event_sort_key(event), event.to_json()));
    let mut seen = HashSet::new();
    all.retain(|event| seen.insert(event.event_id()));
    all
}

fn log() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec((0..IDS.len(), 0u64..3, 0i64..2, 0u8..3), 0..14).prop_map(|draws| {
        draws
            .into_iter()
            .map(|(id, clock, second, content)| event(id, clock, second, content))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn canonical_order_is_its_definition_for_every_arrival_order(
        (events, shuffled) in log().prop_flat_map(|events| {
            let shuffled = Just(events.clone()).prop_shuffle();
            (Just(events), shuffled)
        })
    ) {
        let expected = by_definition(&events);
        prop_assert_eq!(canonical_order(shuffled.clone()), expected.clone());
        // Borrowed events are ordered the same way as owned ones.
        let borrowed: Vec<Event> = canonical_order(shuffled.iter().collect::<Vec<&Event>>())
            .into_iter()
            .cloned()
            .collect();
        prop_assert_eq!(borrowed, expected);
    }
}

#[test]
fn of_two_copies_tying_on_the_key_the_smaller_json_survives() {
    let (small, large) = (event(0, 1, 0, 1), event(0, 1, 0, 2));
    assert!(small.to_json() < large.to_json());
    for log in [
        vec![small.clone(), large.clone()],
        vec![large, small.clone()],
    ] {
        assert_eq!(canonical_order(log), vec![small.clone()]);
    }
}

#[test]
fn ids_compare_as_text_so_lower_case_sorts_after_upper_case() {
    let upper = event(2, 1, 0, 0);
    let lower = event(3, 1, 0, 0);
    assert_eq!(
        canonical_order(vec![lower.clone(), upper.clone()]),
        vec![upper, lower]
    );
}
