//! `topological_sort`: parents first, absent parents, cycles, determinism.

use proptest::prelude::*;
use spec_kitty_events::Error;
use spec_kitty_events::contract::{Event, Ulid};
use spec_kitty_events::merge::topological_sort;

fn ulid(n: u32) -> Ulid {
    format!("01JKQ4V7C0000000000000{n:04}").parse().unwrap()
}

fn event(n: u32, clock: u64, node: &str, parent: Option<u32>) -> Event {
    Event::untyped_builder("Custom", serde_json::Map::new())
        .event_id(ulid(n))
        .aggregate_id("A")
        .node_id(node)
        .lamport_clock(clock)
        .causation_id(parent.map(ulid))
        .timestamp("2026-02-09T11:00:01Z")
        .project_uuid(uuid::Uuid::nil())
        .correlation_id(ulid(9999))
        .build()
        .unwrap()
}

fn ids(events: &[Event]) -> Vec<u32> {
    events
        .iter()
        .map(|e| e.event_id().to_string()[22..].parse().unwrap())
        .collect()
}

#[test]
fn parents_come_before_children_whatever_their_clocks() {
    let sorted = topological_sort(vec![
        event(3, 1, "a", Some(2)),
        event(2, 2, "a", Some(1)),
        event(1, 3, "a", None),
    ])
    .unwrap();
    assert_eq!(ids(&sorted), [1, 2, 3]);
}

#[test]
fn an_absent_parent_makes_the_child_a_root() {
    let sorted = topological_sort(vec![event(3, 1, "a", Some(9)), event(2, 2, "a", None)]).unwrap();
    assert_eq!(ids(&sorted), [3, 2]);
}

#[test]
fn independent_events_follow_clock_then_node_then_id() {
    let sorted = topological_sort(vec![
        event(1, 3, "a", None),
        event(2, 2, "b", None),
        event(3, 2, "a", None),
        event(5, 1, "z", None),
        event(4, 1, "z", None),
    ])
    .unwrap();
    assert_eq!(ids(&sorted), [4, 5, 3, 2, 1]);
}

#[test]
fn siblings_are_ordered_by_the_same_key_once_their_parent_is_placed() {
    let sorted = topological_sort(vec![
        event(4, 9, "a", Some(1)),
        event(3, 5, "a", Some(1)),
        event(2, 7, "a", None),
        event(1, 8, "a", None),
    ])
    .unwrap();
    // 2 (clock 7) is ready before 1 (clock 8); 1's children follow it by clock.
    assert_eq!(ids(&sorted), [2, 1, 3, 4]);
}

#[test]
fn a_repeated_event_id_is_kept_once() {
    let sorted = topological_sort(vec![event(1, 1, "a", None), event(1, 1, "a", None)]).unwrap();
    assert_eq!(ids(&sorted), [1]);
}

#[test]
fn cycles_are_errors_listing_the_unsortable_events() {
    let err = topological_sort(vec![
        event(1, 1, "a", Some(2)),
        event(2, 1, "a", Some(1)),
        event(3, 1, "a", Some(2)),
        event(4, 1, "a", None),
    ])
    .unwrap_err();
    match err {
        Error::CyclicDependency { event_ids } => {
            let tails: Vec<&str> = event_ids.iter().map(|id| &id[22..]).collect();
            assert_eq!(tails, ["0001", "0002", "0003"]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        topological_sort(vec![event(1, 1, "a", Some(1))]),
        Err(Error::CyclicDependency { event_ids }) if event_ids.len() == 1
    ));
}

/// A forest: each event's parent, if any, has a smaller number, so there is
/// no cycle; some parents point outside the log.
fn forest() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec((0u64..6, 0usize..3, prop::option::of(0u32..40)), 1..30).prop_map(
        |specs| {
            specs
                .into_iter()
                .enumerate()
                .map(|(i, (clock, node, parent))| {
                    let n = i as u32;
                    let parent = parent.filter(|p| *p < n || *p >= 30);
                    event(n, clock, ["a", "b", "c"][node], parent)
                })
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_order_respects_causation_and_ignores_input_order(
        events in forest(), seed in any::<u64>()
    ) {
        let sorted = topological_sort(events.clone()).unwrap();
        prop_assert_eq!(sorted.len(), events.len());
        let position: std::collections::HashMap<spec_kitty_events::contract::EventId, usize> =
            sorted.iter().enumerate().map(|(i, e)| (e.event_id(), i)).collect();
        for (i, e) in sorted.iter().enumerate() {
            if let Some(parent) = e.causation_id().and_then(|p| position.get(&p)) {
                prop_assert!(*parent < i);
            }
        }
        let mut shuffled = events.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        shuffled.extend(events.iter().take(3).cloned());
        prop_assert_eq!(topological_sort(shuffled).unwrap(), sorted);
    }
}
