//! `merge_gset` / `merge_counter`: CRDT laws over generated logs, and what a
//! malformed payload does.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{Value, json};
use spec_kitty_events::Error;
use spec_kitty_events::contract::{Event, Ulid};
use spec_kitty_events::merge::{merge_counter, merge_gset};

fn event(n: u32, payload: Value) -> Event {
    let Value::Object(map) = payload else {
        panic!("payload must be an object")
    };
    Event::untyped_builder("Replicated", map)
        .event_id(
            format!("01JKQ4V7C0000000000000{n:04}")
                .parse::<Ulid>()
                .unwrap(),
        )
        .aggregate_id("A")
        .node_id(format!("node{}", n % 3))
        .lamport_clock(u64::from(n % 5))
        .timestamp("2026-02-09T11:00:01Z")
        .project_uuid(uuid::Uuid::nil())
        .correlation_id("01JKQ4V7C00000000000000C0R")
        .build()
        .unwrap()
}

fn field_of(err: Error) -> String {
    match err {
        Error::Validation(e) => {
            assert!(
                e.message().contains("01JKQ4V7C0000000000000"),
                "names the event: {e}"
            );
            e.field().to_owned()
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn gset_unions_tags_and_treats_missing_as_empty() {
    let tags = merge_gset(&[
        event(1, json!({"tags": ["b", "a"]})),
        event(2, json!({})),
        event(3, json!({"tags": ["a", "c"]})),
        event(4, json!({"tags": []})),
    ])
    .unwrap();
    assert_eq!(tags, BTreeSet::from(["a".into(), "b".into(), "c".into()]));
    assert!(merge_gset(&[]).unwrap().is_empty());
}

#[test]
fn gset_rejects_tags_that_are_not_an_array_of_strings() {
    for (payload, field) in [
        (json!({"tags": "abc"}), "payload.tags"),
        (json!({"tags": 5}), "payload.tags"),
        (json!({"tags": null}), "payload.tags"),
        (json!({"tags": {"a": 1}}), "payload.tags"),
        (json!({"tags": ["ok", 1]}), "payload.tags[1]"),
        (json!({"tags": [["nested"]]}), "payload.tags[0]"),
    ] {
        let err =
            merge_gset(&[event(1, json!({"tags": ["fine"]})), event(2, payload)]).unwrap_err();
        assert_eq!(field_of(err), field);
    }
}

#[test]
fn counter_sums_deltas_once_per_event_id() {
    let plus = event(1, json!({"delta": 3}));
    let total = merge_counter(&[
        plus.clone(),
        plus,
        event(2, json!({"delta": -1})),
        event(3, json!({})),
    ])
    .unwrap();
    assert_eq!(total, 2);
    assert_eq!(merge_counter(&[]).unwrap(), 0);
    let big = merge_counter(&[
        event(1, json!({"delta": u64::MAX})),
        event(2, json!({"delta": u64::MAX})),
    ])
    .unwrap();
    assert_eq!(big, 2 * i128::from(u64::MAX));
}

#[test]
fn counter_rejects_deltas_that_are_not_integers() {
    for payload in [
        json!({"delta": 1.5}),
        json!({"delta": "2"}),
        json!({"delta": true}),
        json!({"delta": null}),
        json!({"delta": [1]}),
    ] {
        assert_eq!(
            field_of(merge_counter(&[event(1, payload)]).unwrap_err()),
            "payload.delta"
        );
    }
}

#[test]
fn conflicting_copies_of_one_id_count_the_same_copy_in_any_order() {
    let a = event(1, json!({"delta": 3}));
    let b = event(1, json!({"delta": 5}));
    let forward = merge_counter(&[a.clone(), b.clone()]).unwrap();
    let backward = merge_counter(&[b, a]).unwrap();
    assert_eq!(forward, backward);
    assert!(forward == 3 || forward == 5);
}

/// Events drawn from a small id space, so logs overlap and repeat ids.
fn replica() -> impl Strategy<Value = Vec<Event>> {
    // The payload is a function of the id: replicas hold copies, not rivals.
    let one = (0u32..40).prop_map(|n| {
        let tags: Vec<String> = (0..(n % 4)).map(|i| format!("t{}", (n + i) % 7)).collect();
        if n % 5 == 0 {
            event(n, json!({ "tags": tags }))
        } else {
            event(n, json!({"tags": tags, "delta": i64::from(n) * 3 - 50}))
        }
    });
    prop::collection::vec(one, 0..25)
}

fn concat(parts: &[&[Event]]) -> Vec<Event> {
    parts.iter().flat_map(|p| p.iter().cloned()).collect()
}

fn union(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    a.union(b).cloned().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn gset_merge_is_commutative_associative_and_idempotent(a in replica(), b in replica(), c in replica()) {
        let (ga, gb, gc) = (merge_gset(&a).unwrap(), merge_gset(&b).unwrap(), merge_gset(&c).unwrap());
        // The merge of logs is the union of their merges: a join-semilattice.
        prop_assert_eq!(merge_gset(&concat(&[&a, &b])).unwrap(), union(&ga, &gb));
        prop_assert_eq!(merge_gset(&concat(&[&a, &b])).unwrap(), merge_gset(&concat(&[&b, &a])).unwrap());
        prop_assert_eq!(
            merge_gset(&concat(&[&concat(&[&a, &b]), &c])).unwrap(),
            union(&ga, &union(&gb, &gc))
        );
        prop_assert_eq!(merge_gset(&concat(&[&a, &a])).unwrap(), ga.clone());
        prop_assert_eq!(union(&ga, &ga), ga);
    }

    #[test]
    fn counter_merge_is_commutative_associative_and_idempotent(
        a in replica(), b in replica(), c in replica(), seed in any::<u64>()
    ) {
        let ab = merge_counter(&concat(&[&a, &b])).unwrap();
        prop_assert_eq!(ab, merge_counter(&concat(&[&b, &a])).unwrap());
        prop_assert_eq!(merge_counter(&concat(&[&a, &a])).unwrap(), merge_counter(&a).unwrap());
        prop_assert_eq!(
            merge_counter(&concat(&[&concat(&[&a, &b]), &c])).unwrap(),
            merge_counter(&concat(&[&c, &concat(&[&b, &a])])).unwrap()
        );
        // Any shuffle of everything gives the same sum.
        let mut all = concat(&[&a, &b, &c]);
        let len = all.len();
        if len > 1 {
            let mut s = seed;
            for i in (1..len).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                all.swap(i, (s >> 33) as usize % (i + 1));
            }
        }
        prop_assert_eq!(merge_counter(&all).unwrap(), merge_counter(&concat(&[&a, &b, &c])).unwrap());
        // Each id counts once: the sum over distinct ids.
        let mut distinct = std::collections::BTreeMap::new();
        for e in concat(&[&a, &b, &c]) {
            let delta = e.payload().to_map().get("delta").and_then(Value::as_i64).unwrap_or(0);
            distinct.insert(e.event_id(), i128::from(delta));
        }
        prop_assert_eq!(merge_counter(&concat(&[&a, &b, &c])).unwrap(), distinct.values().sum::<i128>());
    }
}
