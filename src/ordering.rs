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
    // Sort small keys, then move each event once: sorting the events
    // themselves would move every one of them log n times.
    let mut keys: Vec<(u64, i64, Ulid, usize)> = events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let (clock, instant, id) = status_event_sort_key(event);
            (clock, instant, id, index)
        })
        .collect();
    keys.sort_unstable_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then_with(|| events[a.3].to_json().cmp(&events[b.3].to_json()))
    });
    let mut seen = HashSet::with_capacity(keys.len());
    let (kept, dropped): (Vec<usize>, Vec<usize>) = keys
        .iter()
        .map(|key| key.3)
        .partition(|&index| seen.insert(events[index].event_id()));
    drop(keys);
    let kept_len = kept.len();
    let mut source = kept;
    source.extend(dropped);
    gather_in_place(&mut events, source);
    events.truncate(kept_len);
    events
}

/// Rearranges `items` so that position `k` holds what was at `source[k]`;
/// `source` must be a permutation of the positions. Follows each cycle of
/// the permutation with swaps, so no second buffer of items is needed.
fn gather_in_place<T>(items: &mut [T], mut source: Vec<usize>) {
    for start in 0..items.len() {
        let mut current = start;
        while source[current] != current {
            let next = source[current];
            source[current] = current;
            if next == start {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::gather_in_place;

    #[test]
    fn gathering_applies_every_permutation_of_four() {
        let mut permutations: Vec<Vec<usize>> = vec![vec![]];
        for _ in 0..4 {
            permutations = permutations
                .iter()
                .flat_map(|p| {
                    (0..4).filter(|i| !p.contains(i)).map(|i| {
                        let mut next = p.clone();
                        next.push(i);
                        next
                    })
                })
                .collect();
        }
        assert_eq!(permutations.len(), 24);
        for source in permutations {
            let mut items = vec!['a', 'b', 'c', 'd'];
            let expected: Vec<char> = source.iter().map(|&i| items[i]).collect();
            gather_in_place(&mut items, source);
            assert_eq!(items, expected);
        }
    }
}
