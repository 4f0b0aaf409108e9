//! The one ordering and the one dedup: the sort key written out from the
//! events' own JSON fields, and dedup's "first occurrence" by hand.

use crate::mission_logs::{E, Rng, events, id, wp};
use spec_kitty_events::contract::{Event, Ulid};
use spec_kitty_events::reduce::cores::with_threads;
use spec_kitty_events::reduce::{
    canonical_order, dedup_events, is_concurrent, status_event_sort_key, total_order_key,
};

/// The sort key as the contract words it, read from the event's JSON: the
/// clock's rank (an unclocked event, `"lamport_clock": null`, before every
/// clocked one, clock 0 included, as 11.0.0 orders them: so 0 for none and
/// the clock + 1 otherwise), the timestamp as an instant (microseconds), the
/// event id's text (ULIDs in Crockford base32 sort as their text).
pub fn written_out_key(event: &Event) -> (u64, i64, String) {
    let json: serde_json::Value = serde_json::from_str(&event.to_json()).unwrap();
    let instant: jiff::Timestamp = json["timestamp"].as_str().unwrap().parse().unwrap();
    (
        json["lamport_clock"].as_u64().map_or(0, |clock| clock + 1),
        instant.as_microsecond(),
        json["event_id"].as_str().unwrap().to_owned(),
    )
}

fn status(n: u64, clock: u64) -> E {
    E::new(n, "WPStatusChanged", wp("WP01", None, "planned"), clock)
}

#[test]
fn the_sort_key_is_clock_then_instant_then_id() {
    let mut offset = status(9, 4).at(100);
    offset.offset = "+02:00";
    let cases = [status(1, 3).at(7), status(2, 0).at(-50), offset];
    for part in &cases {
        let event = part.event();
        let (clock, instant, event_id) = status_event_sort_key(&event);
        let (w_clock, w_instant, w_id) = written_out_key(&event);
        assert_eq!(
            (clock, instant, event_id.to_string()),
            (w_clock, w_instant, w_id)
        );
        assert_eq!(clock, part.clock + 1);
        assert_eq!(instant, (1_770_634_800 + part.second) * 1_000_000);
    }
}

#[test]
fn the_storage_order_is_clock_then_node() {
    let mut part = status(1, 42);
    part.node = "node-b";
    // The clock's rank: clock + 1, leaving 0 to unclocked events.
    assert_eq!(total_order_key(&part.event()), (43, "node-b"));
    part.clock = 0;
    part.node = "a";
    assert_eq!(total_order_key(&part.event()), (1, "a"));
}

#[test]
fn concurrency_is_same_clock_same_aggregate_other_id() {
    let a = status(1, 5).event();
    let b = status(2, 5).event();
    let later = status(3, 6).event();
    let mut other_aggregate = status(4, 5).json();
    other_aggregate["aggregate_id"] = serde_json::json!("M2");
    let other_aggregate = Event::from_json(&other_aggregate.to_string()).unwrap();
    assert!(is_concurrent(&a, &b));
    assert!(is_concurrent(&b, &a));
    assert!(
        !is_concurrent(&a, &a),
        "an event is not concurrent with itself"
    );
    assert!(!is_concurrent(&a, &later));
    assert!(!is_concurrent(&a, &other_aggregate));
    let same_id_other_clock = status(1, 9).event();
    assert!(!is_concurrent(&a, &same_id_other_clock));
}

#[test]
fn dedup_keeps_the_first_of_each_id_in_input_order() {
    let first = status(7, 1).event();
    let second_copy_of_7 = status(7, 9).event();
    let other = status(3, 2).event();
    let input = vec![
        first.clone(),
        other.clone(),
        second_copy_of_7,
        other.clone(),
        first.clone(),
    ];
    let kept = dedup_events(input);
    assert_eq!(kept, vec![first, other]);
    assert!(dedup_events(Vec::new()).is_empty());
}

#[test]
fn canonical_order_sorts_by_the_written_out_key_and_drops_repeats() {
    let mut rng = Rng(17);
    for round in 0..30 {
        let size = 1 + rng.below(40);
        let mut parts: Vec<E> = (0..size)
            .map(|i| {
                let mut part = status(1000 + rng.below(25) as u64, rng.below(4) as u64)
                    .at(rng.below(5) as i64);
                if rng.chance(30) {
                    part.offset = rng.pick(&["+02:00", "-05:00"]);
                }
                part.node = if i % 2 == 0 { "a" } else { "b" };
                part
            })
            .collect();
        // Same id, same content: the repeats are exact copies.
        let mut seen: std::collections::HashMap<u64, E> = std::collections::HashMap::new();
        for part in parts.iter_mut() {
            if let Some(kept) = seen.get(&part.n) {
                *part = kept.clone();
            } else {
                seen.insert(part.n, part.clone());
            }
        }
        let input = events(&parts);
        let mut expected: Vec<(u64, i64, String)> =
            seen.values().map(|p| written_out_key(&p.event())).collect();
        expected.sort();
        // On one thread and split over several (the sort's parts and
        // merges, forced on a small log): the same order.
        for threads in [1, 2, 3, 5, 8] {
            let got: Vec<(u64, i64, String)> =
                with_threads(threads, || canonical_order(input.clone()))
                    .iter()
                    .map(written_out_key)
                    .collect();
            assert_eq!(got, expected, "round {round}, {threads} threads");
        }
        let borrowed: Vec<(u64, i64, String)> = canonical_order(input.iter().collect())
            .into_iter()
            .map(written_out_key)
            .collect();
        assert_eq!(borrowed, expected, "round {round}");
    }
}

#[test]
fn of_two_copies_that_tie_the_smaller_json_survives_and_a_later_key_loses() {
    let a = E::new(5, "WPStatusChanged", wp("WP01", None, "planned"), 2);
    let b = E::new(5, "WPStatusChanged", wp("WP02", None, "planned"), 2);
    // Ordered by the JSON the crate writes, as the order's documentation says.
    let (a, b) = (a.event(), b.event());
    let (small, large) = if a.to_json() < b.to_json() {
        (a, b)
    } else {
        (b, a)
    };
    assert_eq!(
        canonical_order(vec![large.clone(), small.clone()]),
        vec![small.clone()]
    );
    assert_eq!(
        canonical_order(vec![small.clone(), large.clone()]),
        vec![small]
    );
    // A copy with a larger clock sorts later: the earlier key survives.
    let early = status(6, 1).event();
    let late = status(6, 8).event();
    let third = status(2, 4).event();
    assert_eq!(
        canonical_order(vec![late.clone(), third.clone(), early.clone()]),
        vec![early, third]
    );
    assert_eq!(id(6).parse::<Ulid>().unwrap().to_string(), id(6));
}
