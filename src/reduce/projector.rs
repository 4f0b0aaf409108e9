//! Projection replay (seed 2E-07/08): a mission's state kept up to date as
//! events arrive one at a time, in any order, duplicates included.
//!
//! [`MissionProjector`] equals [`reduce_lifecycle_events`](crate::reduce::reduce_lifecycle_events)
//! over the events seen so far, at every moment. It shares the reducer's
//! fold, so the two cannot drift apart.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use crate::contract::{Event, EventId};
use crate::reduce::causal::{Ordered, causal_order};
use crate::reduce::id_hash::IdHashBuilder;
use crate::reduce::lifecycle::{LifecycleFold, ReducedMissionState};

/// An incremental mission projection.
///
/// # Cost
///
/// An event that arrives **in order** — after every event seen so far in the
/// canonical order, its causal parent (if any) already seen, and no seen
/// event waiting for it as a parent — is folded in place by the reducer's
/// own fold: O(1) amortized, however large its concurrency group (a mission
/// event that does not sort last among its group's mission events re-applies
/// those, and a work package whose first valid move comes after a later
/// one's is moved into place among the group's new ones: O(group), a handful
/// in any real log). Its cost does not grow with the log. (The reducers defer
/// both to the group's end, so their work is linear in every order.)
///
/// Any other event (late, or the missing parent of an event already seen, or
/// a different copy of a seen event id) makes the projector re-fold every
/// event from scratch: O(n log n). That keeps one code path for the hard
/// cases, which are rare in a log written by live writers. An identical
/// duplicate costs one hash lookup and changes nothing.
///
/// The projector keeps every distinct event it has seen, since a late event
/// can change how the whole log folds.
///
/// ```
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::reduce::{MissionProjector, reduce_lifecycle_events};
/// let start = Event::from_json(r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","payload":{"mission_id":"M1","mission_type":"software-dev","initial_phase":"specify","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#)?;
/// let mut projector = MissionProjector::new();
/// projector.apply(start.clone());
/// projector.apply(start.clone()); // a duplicate changes nothing
/// assert_eq!(projector.state(), &reduce_lifecycle_events(vec![start]));
/// assert_eq!(projector.state().current_phase(), Some("specify"));
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MissionProjector {
    fold: LifecycleFold,
    /// Every distinct event, in application order.
    events: Vec<Ordered>,
    /// The last event's application key `(clock, instant, id)`: kept here
    /// so that telling whether an event is in order does not read the last
    /// event, which a service with many missions has long left out of cache.
    last: Option<(u64, i64, EventId)>,
    /// Where each event id sits in `events`, and its application clock
    /// (kept here too, so a child's lookup of its parent touches one table).
    seen: HashMap<EventId, (usize, u64), IdHashBuilder>,
    /// Causal parents named by seen events but not seen yet.
    awaited: HashSet<EventId, IdHashBuilder>,
    /// Copies of a seen event id with other content: kept, so that every
    /// re-fold reports them as the full reducer does.
    conflicting: Vec<Event>,
    replays: usize,
}

impl MissionProjector {
    /// An empty projection: the state of an empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// The state: [`reduce_lifecycle_events`](crate::reduce::reduce_lifecycle_events)
    /// over every event applied so far.
    pub fn state(&self) -> &ReducedMissionState {
        &self.fold.state
    }

    /// How many distinct events the projection holds.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether no event was applied yet.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// How many times an out-of-order arrival made the projector re-fold
    /// everything.
    pub fn replays(&self) -> usize {
        self.replays
    }

    /// Takes one event into the projection.
    ///
    /// Never fails: what cannot be applied becomes an anomaly of the state,
    /// exactly as in the full reducer.
    pub fn apply(&mut self, event: Event) {
        // One lookup for the parent, one for the event itself (which both
        // finds a repeat and, for a new event, is where it is recorded): at a
        // million events the index is out of cache, and each lookup is a wait
        // on memory.
        let id = event.event_id();
        let own = event.lamport_clock();
        let parent = event.causation_id();
        let parent_clock = parent
            .and_then(|p| self.seen.get(&p))
            .map(|&(_, clock)| clock);
        let clock =
            parent_clock.map_or(own, |parent_clock| own.max(parent_clock.saturating_add(1)));
        let key = (clock, event.timestamp().as_microsecond(), id);
        let in_order = clock == own
            && parent != Some(id)
            && !self.awaited.contains(&id)
            && self.last.is_none_or(|last| key > last);
        let position = self.events.len();
        match self.seen.entry(id) {
            Entry::Occupied(seen) => {
                if self.events[seen.get().0].event != event {
                    // Two versions of one id: the canonical order picks one.
                    self.refold(Some(event));
                }
                return;
            }
            Entry::Vacant(slot) if in_order => {
                slot.insert((position, clock));
            }
            Entry::Vacant(_) => {
                self.refold(Some(event));
                return;
            }
        }
        if let Some(parent) = parent
            && parent_clock.is_none()
        {
            self.awaited.insert(parent);
        }
        let entry = Ordered {
            clock,
            inversion: None,
            event,
        };
        self.fold.push(entry.clock, entry.inversion, &entry.event);
        self.fold.settle();
        self.events.push(entry);
        self.last = Some(key);
    }

    /// Re-folds every event seen, plus `extra`, from scratch.
    fn refold(&mut self, extra: Option<Event>) {
        self.replays += 1;
        let mut all: Vec<Event> = std::mem::take(&mut self.events)
            .into_iter()
            .map(|entry| entry.event)
            .collect();
        all.extend(extra);
        all.append(&mut self.conflicting);
        let order = causal_order(all);
        self.conflicting = order.conflicts.clone();
        self.events = order.into_ordered();
        self.fold = LifecycleFold::default();
        for copy in &self.conflicting {
            self.fold.conflicting_copy(copy);
        }
        self.seen.clear();
        self.awaited.clear();
        for (i, entry) in self.events.iter().enumerate() {
            self.seen.insert(entry.event.event_id(), (i, entry.clock));
        }
        for entry in &self.events {
            if let Some(parent) = entry.event.causation_id()
                && !self.seen.contains_key(&parent)
            {
                self.awaited.insert(parent);
            }
        }
        for entry in &self.events {
            self.fold.push(entry.clock, entry.inversion, &entry.event);
        }
        self.fold.settle();
        self.last = self.events.last().map(|last| {
            (
                last.clock,
                last.event.timestamp().as_microsecond(),
                last.event.event_id(),
            )
        });
    }
}

impl Extend<Event> for MissionProjector {
    fn extend<I: IntoIterator<Item = Event>>(&mut self, events: I) {
        for event in events {
            self.apply(event);
        }
    }
}
