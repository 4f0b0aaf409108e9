//! The reducers' sort key orders timestamps written with different offsets
//! by the instant they denote.

use proptest::prelude::*;
use spec_kitty_events::contract::{Event, Timestamp, Ulid};
use spec_kitty_events::reduce::status_event_sort_key;

fn event(id: &str, timestamp: &str) -> Event {
    Event::untyped_builder("Custom", serde_json::Map::new())
        .event_id(id.parse::<Ulid>().unwrap())
        .aggregate_id("A")
        .node_id("n")
        .lamport_clock(1)
        .timestamp(timestamp.parse::<Timestamp>().unwrap())
        .project_uuid(uuid::Uuid::nil())
        .correlation_id("01JKQ4V7C00000000000000C0R")
        .build()
        .unwrap()
}

/// `micros` since the epoch written at `offset_minutes` east of UTC.
fn written(micros: i64, offset_minutes: i32) -> String {
    let instant = jiff::Timestamp::from_microsecond(micros).unwrap();
    let offset = jiff::tz::Offset::from_seconds(offset_minutes * 60).unwrap();
    Timestamp::with_offset(instant, offset).to_string()
}

#[test]
fn noon_at_plus_two_sorts_before_eleven_utc() {
    let early = event("01JKQ4V7C0000000000000000Z", "2026-02-09T12:00:00+02:00");
    let late = event("01JKQ4V7C00000000000000001", "2026-02-09T11:00:00Z");
    assert!(status_event_sort_key(&early) < status_event_sort_key(&late));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn timestamps_order_by_instant_whatever_their_offsets(
        a in 1_600_000_000_000_000i64..1_900_000_000_000_000,
        b in 1_600_000_000_000_000i64..1_900_000_000_000_000,
        offset_a in -14 * 60..=14 * 60,
        offset_b in -14 * 60..=14 * 60,
    ) {
        let (text_a, text_b) = (written(a, offset_a), written(b, offset_b));
        let ea = event("01JKQ4V7C00000000000000002", &text_a);
        let eb = event("01JKQ4V7C00000000000000001", &text_b);
        let (ka, kb) = (status_event_sort_key(&ea), status_event_sort_key(&eb));
        prop_assert_eq!(ka.1, a);
        prop_assert_eq!(kb.1, b);
        // Same clock: the instant decides, and only an equal instant falls to the id.
        prop_assert_eq!(ka.cmp(&kb), a.cmp(&b).then(std::cmp::Ordering::Greater));
        // The offset survives the round trip through the wire form.
        let back = Event::from_json(&ea.to_json()).unwrap();
        prop_assert_eq!(back.timestamp().to_string(), text_a);
    }
}
