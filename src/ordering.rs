//! The one ordering and the one dedup every reducer and store uses.

use std::collections::HashSet;

use crate::event::Event;
use crate::ids::Ulid;

/// The reducers' sort key: `(lamport_clock, timestamp as an instant, event_id)`.
///
/// Timestamps compare as instants (microseconds since the epoch), so
/// `12:00+02:00` sorts before `11:00Z`. The event id makes the order total:
/// two distinct events never tie.
pub fn status_event_sort_key(event: &Event) -> (u64, i64, Ulid) {
    (
        event.lamport_clock(),
        event.timestamp().as_microsecond(),
        event.event_id(),
    )
}

/// The storage order: `(lamport_clock, node_id)`.
pub fn total_order_key(event: &Event) -> (u64, &str) {
    (event.lamport_clock(), event.node_id())
}

/// Whether two events are concurrent: same Lamport clock and aggregate,
/// different ids.
pub fn is_concurrent(a: &Event, b: &Event) -> bool {
    a.lamport_clock() == b.lamport_clock()
        && a.aggregate_id() == b.aggregate_id()
        && a.event_id() != b.event_id()
}

/// Keeps the first occurrence of each `event_id`, in input order.
///
/// Applied after sorting by [`status_event_sort_key`], "first" is the same
/// for every arrival order.
pub fn dedup_events(events: Vec<Event>) -> Vec<Event> {
    let mut seen = HashSet::with_capacity(events.len());
    events
        .into_iter()
        .filter(|event| seen.insert(event.event_id()))
        .collect()
}

/// Sorts by [`status_event_sort_key`], then drops repeated event ids: the
/// canonical order of a log, shared by every reducer.
///
/// Two copies of one event id that differ in content yet tie on the key are
/// ordered by their JSON, so the copy that survives never depends on arrival
/// order.
pub fn canonical_order(mut events: Vec<Event>) -> Vec<Event> {
    events.sort_unstable_by(|a, b| {
        status_event_sort_key(a)
            .cmp(&status_event_sort_key(b))
            .then_with(|| a.to_json().cmp(&b.to_json()))
    });
    dedup_events(events)
}
