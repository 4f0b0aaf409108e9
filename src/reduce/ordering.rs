//! The one ordering and the one dedup every reducer and store uses.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::contract::{Event, EventId};
use crate::reduce::cores;
use crate::reduce::id_hash::IdHashBuilder;

/// The reducers' sort key: `(clock rank, timestamp as an instant, event_id)`.
///
/// The clock rank is `lamport_clock + 1`, and `0` for an unclocked event
/// (schema 3.0.0): unclocked events sort before every clocked one, clock 0
/// included, as 11.0.0 orders them ([`clock_rank`]). Timestamps compare as
/// instants (microseconds since the epoch), so `12:00+02:00` sorts before
/// `11:00Z`. The event id makes the order total: two distinct events never
/// tie.
pub fn status_event_sort_key(event: &Event) -> (u64, i64, EventId) {
    (
        clock_rank(event),
        event.timestamp().as_microsecond(),
        event.event_id(),
    )
}

/// Where an event's clock puts it: `0` when it is unclocked, else its
/// `lamport_clock + 1` (which never overflows: a clock is at most
/// [`MAX_LAMPORT_CLOCK`](crate::contract::MAX_LAMPORT_CLOCK)). Both orders
/// below start with it, so they agree on where unclocked events go.
pub fn clock_rank(event: &Event) -> u64 {
    event.clock().map_or(0, |clock| clock.saturating_add(1))
}

/// The storage order: `(clock rank, node_id)` — by `lamport_clock`, with
/// unclocked events first ([`clock_rank`]).
pub fn total_order_key(event: &Event) -> (u64, &str) {
    (clock_rank(event), event.node_id())
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
///
/// It orders owned events (`Vec<Event>`) or borrowed ones (`Vec<&Event>`):
/// the reducers order references, so that a caller keeps its events and
/// nothing larger than a pointer moves.
pub fn canonical_order<E: Borrow<Event>>(events: Vec<E>) -> Vec<E> {
    CanonicalPositions::of(&events).arrange(events)
}

/// The canonical order of a log, found without moving an event: what
/// [`canonical_order`] computes before it moves the events, kept for the
/// causal order, which needs the ids and clocks in that order.
pub(crate) struct CanonicalPositions {
    /// The kept events' sort keys, in canonical order.
    pub(crate) keys: Vec<OrderKey>,
    /// Where each kept event id sits in `keys`, one table per hash class
    /// ([`class_of`]): positions only, the ids are read from the keys, so a
    /// million ids take 8 MB here instead of 40.
    positions: Vec<HashTable<usize>>,
    hasher: IdHashBuilder,
    /// The input indices of the repeats, which are dropped.
    dropped: Vec<usize>,
    /// The input indices of the dropped repeats whose content differs from
    /// the kept copy, in canonical order.
    pub(crate) conflicting: Vec<usize>,
}

/// [`status_event_sort_key`], as plain integers so that comparing keys never
/// looks at an event, and the event's index in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrderKey {
    /// The clock rank ([`clock_rank`]), then the timestamp's microseconds
    /// (sign bit flipped, so unsigned order is signed order). Two words, not a `u128`,
    /// to keep the key at 8-byte alignment: a million keys are 8 MB smaller.
    clock_and_instant: [u64; 2],
    pub(crate) event_id: EventId,
    pub(crate) index: usize,
}

impl OrderKey {
    fn new(event: &Event, index: usize) -> Self {
        let (clock, instant, event_id) = status_event_sort_key(event);
        Self {
            clock_and_instant: [clock, (instant as u64) ^ (1 << 63)],
            event_id,
            index,
        }
    }

    /// The event's `lamport_clock` (0 when unclocked, as
    /// [`Event::lamport_clock`]), not its rank.
    pub(crate) fn lamport_clock(&self) -> u64 {
        self.clock_and_instant[0].saturating_sub(1)
    }
}

impl CanonicalPositions {
    pub(crate) fn of<E: Borrow<Event>>(events: &[E]) -> Self {
        // Sort small keys, then move each event once: sorting the events
        // themselves would move every one of them log n times. Integers
        // settle all but concurrent events, and are sorted on every core
        // (a large log); only runs that tie on them are sorted again, by
        // id, then (copies of one id) by content.
        let refs: Vec<&Event> = events.iter().map(Borrow::borrow).collect();
        let mut keys = cores::sorted_by_key(
            &refs,
            cores::threads_for(refs.len()),
            |index, event| OrderKey::new(event, index),
            |key| key.clock_and_instant,
        );
        for run in keys.chunk_by_mut(|a, b| a.clock_and_instant == b.clock_and_instant) {
            if run.len() < 2 {
                continue;
            }
            run.sort_unstable_by(|a, b| {
                a.event_id.cmp(&b.event_id).then_with(|| {
                    let (a, b) = (refs[a.index], refs[b.index]);
                    // Repeats are nearly always exact copies: equal without
                    // writing either out.
                    if a == b {
                        std::cmp::Ordering::Equal
                    } else {
                        a.to_json().cmp(&b.to_json())
                    }
                })
            });
        }
        // The ids are in the keys, so finding the repeats touches no event;
        // the index it builds is the one the causal order looks parents up in.
        let hasher = IdHashBuilder::default();
        let threads = cores::threads_for(keys.len());
        let hashes: Vec<u64> = cores::map_parts(&keys, threads, |part| {
            part.iter()
                .map(|key| hasher.hash_one(key.event_id))
                .collect::<Vec<u64>>()
        })
        .concat();
        // One table per hash class, each built by its own thread: a repeat
        // and the copy it repeats share a hash, so a class's thread finds
        // every repeat of its ids, and keeps the first copy in canonical
        // order, whatever the number of classes.
        let classes: Vec<usize> = (0..threads).collect();
        let found = cores::map_parts(&classes, threads, |own| {
            let class = own.first().copied().unwrap_or_default();
            repeats_of_class(&keys, &hashes, &hasher, class, threads, &refs)
        });
        drop(refs);
        let mut positions = Vec::with_capacity(found.len());
        let mut repeats: Vec<Repeat> = Vec::new();
        for (table, class_repeats) in found {
            positions.push(table);
            repeats.extend(class_repeats);
        }
        repeats.sort_unstable_by_key(|repeat| repeat.at);
        let dropped = repeats.iter().map(|r| keys[r.at].index).collect();
        let conflicting = repeats
            .iter()
            .filter(|r| r.conflicting)
            .map(|r| keys[r.at].index)
            .collect();
        if !repeats.is_empty() {
            compact(&mut keys, &repeats);
            // The tables hold positions among all the keys: each is moved
            // back by the repeats before it, one thread per table.
            let drops: Vec<usize> = repeats.iter().map(|r| r.at).collect();
            cores::for_each_mut(&mut positions, |table| shift_back(table, &drops));
        }
        Self {
            keys,
            positions,
            hasher,
            dropped,
            conflicting,
        }
    }

    /// Where the kept event `id` sits in `keys`.
    pub(crate) fn position_of(&self, id: &EventId) -> Option<usize> {
        let hash = self.hasher.hash_one(id);
        self.positions[class_of(hash, self.positions.len())]
            .find(hash, |&p| self.keys[p].event_id == *id)
            .copied()
    }

    /// Puts `events` (the input this was computed from) in canonical order,
    /// repeats dropped.
    pub(crate) fn arrange<E>(&self, mut events: Vec<E>) -> Vec<E> {
        let kept = self.keys.len();
        let mut source: Vec<usize> = Vec::with_capacity(events.len());
        source.extend(self.keys.iter().map(|key| key.index));
        source.extend(&self.dropped);
        gather_in_place(&mut events, source);
        events.truncate(kept);
        events
    }
}

/// A key that repeats an earlier one's event id: its position among the
/// sorted keys, and whether its event differs from the kept copy's.
struct Repeat {
    at: usize,
    conflicting: bool,
}

/// Which of `classes` tables an id with `hash` goes in: bits the tables'
/// own bucket choice (the low bits) and tags (the top seven) do not use, so
/// every table's buckets fill evenly.
fn class_of(hash: u64, classes: usize) -> usize {
    (hash >> 32) as usize % classes
}

/// The first-seen positions of the ids of hash class `class` (of
/// `classes`) among `keys` (in canonical order), and the later keys that
/// repeat one of them.
fn repeats_of_class(
    keys: &[OrderKey],
    hashes: &[u64],
    hasher: &IdHashBuilder,
    class: usize,
    classes: usize,
    events: &[&Event],
) -> (HashTable<usize>, Vec<Repeat>) {
    let mut table = HashTable::with_capacity(keys.len() / classes);
    let mut repeats = Vec::new();
    for (at, (key, &hash)) in keys.iter().zip(hashes).enumerate() {
        if class_of(hash, classes) != class {
            continue;
        }
        if let Some(&p) = table.find(hash, |&p: &usize| keys[p].event_id == key.event_id) {
            // A copy that differs from the kept one is a conflict, never a
            // silent choice. Exact repeats, the usual case, compare equal
            // at once.
            let conflicting = events[key.index] != events[keys[p].index];
            repeats.push(Repeat { at, conflicting });
            continue;
        }
        table.insert_unique(hash, at, |&p| hasher.hash_one(keys[p].event_id));
    }
    (table, repeats)
}

/// Moves each position of `table` back by the positions of `drops` (in
/// ascending order, none of them in the table) before it.
fn shift_back(table: &mut HashTable<usize>, drops: &[usize]) {
    for p in table.iter_mut() {
        *p -= drops.partition_point(|&at| at < *p);
    }
}

/// Drops the keys at the positions `repeats` names (in ascending order),
/// moving each run of kept keys down at once.
fn compact(keys: &mut Vec<OrderKey>, repeats: &[Repeat]) {
    let mut kept = repeats.first().map_or(keys.len(), |r| r.at);
    for (n, repeat) in repeats.iter().enumerate() {
        let end = repeats.get(n + 1).map_or(keys.len(), |r| r.at);
        keys.copy_within(repeat.at + 1..end, kept);
        kept += end - (repeat.at + 1);
    }
    keys.truncate(kept);
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
