//! The causal order: the canonical order of a log, then every event moved
//! after its causal parent (FR-018). Both reducers and the projector apply
//! events in this order.

use std::borrow::Borrow;
use std::ops::Range;

use crate::contract::{Event, EventId};
use crate::reduce::cores;
use crate::reduce::ordering::CanonicalPositions;

/// An event in the order the reducers apply it: the canonical order, except
/// that a child follows its causal parent.
#[derive(Debug, Clone)]
pub(crate) struct Ordered {
    /// The clock the event is applied at: its own, or one past its parent's.
    pub(crate) clock: u64,
    /// Set when `clock` had to move past the lamport_clock the event carries.
    pub(crate) inversion: Option<Inversion>,
    pub(crate) event: Event,
}

/// A child whose lamport_clock is not after its causal parent's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Inversion {
    pub(crate) parent: EventId,
    pub(crate) applied_at: u64,
}

/// The reason given for a copy of an event id that differs from the kept
/// one.
pub(crate) const CONFLICTING_COPY: &str = "conflicting copies of one event_id: this copy differs from the one applied (the first in canonical order) and is not applied";

impl Inversion {
    pub(crate) fn reason(&self, event: &Event) -> String {
        if self.parent == event.event_id() {
            return "causation_id names the event itself: ignored".to_owned();
        }
        format!(
            "causation inversion: lamport_clock {} is not after its parent {}; applied at {}",
            event.lamport_clock(),
            self.parent,
            self.applied_at
        )
    }
}

/// A log in application order: every event with the clock it is applied at
/// and, when that clock had to move, the inversion.
pub(crate) struct CausalOrder<E> {
    pub(crate) events: Vec<E>,
    /// The copies of an event id that differ from the kept copy (each
    /// distinct content once), in canonical order: not in `events`.
    pub(crate) conflicts: Vec<Event>,
    /// `None` when no event moved (the common case): each is applied at its
    /// own lamport_clock.
    moved: Option<Vec<(u64, Option<Inversion>)>>,
}

impl<E: Borrow<Event>> CausalOrder<E> {
    /// Calls `apply` on each event in order, with its application clock and
    /// inversion.
    ///
    /// The order is not the order of the events in memory, so each event
    /// would cost the fold a wait on memory, twice (the event, then its
    /// decoded payload). Events are taken in blocks: a first loop reads one
    /// word of each event of the block and of its payload, loads that do not
    /// depend on each other, which the processor overlaps; `apply` then
    /// finds them in cache.
    pub(crate) fn for_each<'s>(&'s self, mut apply: impl FnMut(u64, Option<Inversion>, &'s Event)) {
        self.for_each_in(0..self.events.len(), |_, clock, inversion, event| {
            apply(clock, inversion, event);
        });
    }

    /// [`for_each`](Self::for_each) over the stretch `range` of the order,
    /// `apply` also told each event's position in the whole order:
    /// stretches can be walked apart, one per thread.
    pub(crate) fn for_each_in<'s>(
        &'s self,
        range: Range<usize>,
        mut apply: impl FnMut(usize, u64, Option<Inversion>, &'s Event),
    ) {
        const BLOCK: usize = 128;
        let start = range.start;
        for (block_index, block) in self.events[range].chunks(BLOCK).enumerate() {
            let touched = block
                .iter()
                .fold(0u64, |sum, event| sum.wrapping_add(event.borrow().touch()));
            std::hint::black_box(touched);
            for (offset, event) in block.iter().enumerate() {
                let event = event.borrow();
                let i = start + block_index * BLOCK + offset;
                match self.moved.as_ref().and_then(|moved| moved.get(i)) {
                    Some(&(clock, inversion)) => apply(i, clock, inversion, event),
                    None => apply(i, event.lamport_clock(), None, event),
                }
            }
        }
    }

    /// How many events the order holds.
    pub(crate) fn len(&self) -> usize {
        self.events.len()
    }
}

impl CausalOrder<Event> {
    /// The events as [`Ordered`] entries.
    pub(crate) fn into_ordered(self) -> Vec<Ordered> {
        let moved = self.moved;
        self.events
            .into_iter()
            .enumerate()
            .map(|(i, event)| {
                let (clock, inversion) = moved
                    .as_ref()
                    .and_then(|moved| moved.get(i).copied())
                    .unwrap_or((event.lamport_clock(), None));
                Ordered {
                    clock,
                    inversion,
                    event,
                }
            })
            .collect()
    }
}

/// The application order of a log: [`canonical_order`](crate::reduce::canonical_order), then every event
/// whose causal parent is in the input is moved after it (FR-018).
///
/// An event's application clock is `max(lamport_clock, parent's + 1)`, so a
/// well-formed log (children always tick past their parents) keeps its
/// canonical order untouched and costs one hash lookup per event with a
/// parent. A causation cycle, which only a corrupt log can hold, is cut at
/// the edge met last when walking the canonical order, which depends on the
/// set of events only, never on arrival order.
pub(crate) fn causal_order<E: Borrow<Event> + Sync>(events: Vec<E>) -> CausalOrder<E> {
    let positions = CanonicalPositions::of(&events);
    let (clocks, self_caused) = application_clocks(&positions, &events);
    let conflicts = conflicting_copies(&positions, &events);
    let events = positions.arrange(events);
    if !self_caused
        && clocks
            .iter()
            .zip(&positions.keys)
            .all(|((clock, _), key)| *clock == key.lamport_clock())
    {
        return CausalOrder {
            events,
            conflicts,
            moved: None,
        };
    }
    let mut entries: Vec<(u64, Option<Inversion>, E)> = events
        .into_iter()
        .zip(clocks)
        .enumerate()
        .map(|(at, (event, (clock, parent)))| {
            let own = event.borrow();
            let itself = parent == Some(at);
            let inversion = (clock != own.lamport_clock() || itself).then(|| Inversion {
                parent: parent.map_or(own.event_id(), |p| positions.keys[p].event_id),
                applied_at: clock,
            });
            (clock, inversion, event)
        })
        .collect();
    entries.sort_by_key(|(clock, _, event)| {
        let event = event.borrow();
        (*clock, event.timestamp().as_microsecond(), event.event_id())
    });
    let mut moved = Vec::with_capacity(entries.len());
    let events = entries
        .into_iter()
        .map(|(clock, inversion, event)| {
            moved.push((clock, inversion));
            event
        })
        .collect();
    CausalOrder {
        events,
        conflicts,
        moved: Some(moved),
    }
}

/// The dropped copies that differ from the kept ones, each distinct content
/// of an id once (however many times it was repeated).
fn conflicting_copies<E: Borrow<Event>>(
    positions: &CanonicalPositions,
    events: &[E],
) -> Vec<Event> {
    let mut seen = std::collections::HashSet::new();
    positions
        .conflicting
        .iter()
        .map(|&i| events[i].borrow())
        .filter(|copy| seen.insert((copy.event_id(), copy.to_json())))
        .cloned()
        .collect()
}

/// [`causal_order`] over references to `events`: the caller's events are
/// read, never moved.
pub(crate) fn causal_order_of<E: Borrow<Event>>(events: &[E]) -> CausalOrder<&Event> {
    causal_order(events.iter().map(Borrow::borrow).collect())
}

/// The reducers' ordering alone (what [`reduce_lifecycle_events`] does
/// before it folds), for the benchmark's phases: how many events it keeps.
///
/// [`reduce_lifecycle_events`]: crate::reduce::reduce_lifecycle_events
#[doc(hidden)]
pub fn causal_order_len<E: Borrow<Event>>(events: &[E]) -> usize {
    causal_order_of(events).events.len()
}

/// Each kept event's application clock and the position of the parent that
/// set it, in canonical order; and whether an event names itself as its
/// parent (its own position stands as its parent then, and its clock is its
/// own: the self-reference is an anomaly, not an edge).
///
/// In a well-formed log every parent sorts before its children, so one pass
/// in canonical order finds each parent's clock already computed; the walk
/// up the lineage only runs for a child whose parent sorts after it.
fn application_clocks<E: Borrow<Event> + Sync>(
    positions: &CanonicalPositions,
    events: &[E],
) -> (Vec<(u64, Option<usize>)>, bool) {
    let keys = &positions.keys;
    // Each event's parent's position in `keys`, by input index: read in
    // input order (memory order), so the walk below reads one small array
    // instead of scattered events.
    // The lookups only read: each thread looks up one part of the events.
    const NO_PARENT: usize = usize::MAX;
    let parts = cores::map_parts(events, cores::threads_for(events.len()), |part| {
        part.iter()
            .map(|event| {
                event
                    .borrow()
                    .causation_id()
                    .and_then(|parent| positions.position_of(&parent))
                    .unwrap_or(NO_PARENT)
            })
            .collect::<Vec<usize>>()
    });
    let parent_at = parts.concat();
    if parent_at.iter().all(|&p| p == NO_PARENT) {
        return (
            keys.iter().map(|key| (key.lamport_clock(), None)).collect(),
            false,
        );
    }
    let mut self_caused = false;
    let parent_of = |i: usize| Some(parent_at[keys[i].index]).filter(|&p| p != NO_PARENT && p != i);
    // Computed in place, with a byte of walk state per event: a million
    // events take 25 MB here.
    let mut clocks: Vec<(u64, Option<usize>)> = vec![(0, None); keys.len()];
    let mut walk = vec![Walk::Unvisited; keys.len()];
    let mut stack = Vec::new();
    for start in 0..keys.len() {
        if parent_at[keys[start].index] == start {
            self_caused = true;
            clocks[start] = (keys[start].lamport_clock(), Some(start));
            walk[start] = Walk::Done;
            continue;
        }
        stack.push(start);
        while let Some(&i) = stack.last() {
            if walk[i] == Walk::Done {
                stack.pop();
                continue;
            }
            let own = keys[i].lamport_clock();
            let parent = parent_of(i);
            clocks[i] = match parent.map(|p| (p, walk[p])) {
                Some((p, Walk::Done)) => {
                    let parent_clock = clocks[p].0;
                    (own.max(parent_clock.saturating_add(1)), Some(p))
                }
                // A cycle: cut the edge that closes it.
                Some((_, Walk::OnStack)) => (own, None),
                Some((p, Walk::Unvisited)) => {
                    walk[i] = Walk::OnStack;
                    stack.push(p);
                    continue;
                }
                None => (own, None),
            };
            walk[i] = Walk::Done;
            stack.pop();
        }
    }
    (clocks, self_caused)
}

/// Where the lineage walk is with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    Unvisited,
    OnStack,
    Done,
}
