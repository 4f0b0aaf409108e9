//! Projection replay (seed 2E-07/08): a mission's state kept up to date as
//! events arrive one at a time, in any order, duplicates included.
//!
//! [`MissionProjector`] equals [`reduce_lifecycle_events`](crate::reduce_lifecycle_events)
//! over the events seen so far, at every moment. It shares the reducer's
//! fold, so the two cannot drift apart.

use std::collections::{HashMap, HashSet};

use crate::event::Event;
use crate::ids::Ulid;
use crate::lifecycle::{LifecycleFold, LifecycleUndo, ReducedMissionState};
use crate::status::{Ordered, causal_order};

/// An incremental mission projection.
///
/// # Cost
///
/// An event that arrives **in order** — after every event seen so far in the
/// canonical order, its causal parent (if any) already seen, and no seen
/// event waiting for it as a parent — is folded in place: O(1) amortized,
/// plus the size of its concurrency group (the events sharing its
/// lamport_clock, which the group rules re-evaluate together; a handful in
/// real logs). Its cost does not grow with the log.
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
/// use spec_kitty_events::{projector::MissionProjector, reduce_lifecycle_events, Event};
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
    /// Where each event id sits in `events`.
    seen: HashMap<Ulid, usize>,
    /// Causal parents named by seen events but not seen yet.
    awaited: HashSet<Ulid>,
    /// Where the last concurrency group starts in `events`.
    open_start: usize,
    /// The state before the last group, to re-apply it when it grows.
    undo: LifecycleUndo,
    replays: usize,
}

impl MissionProjector {
    /// An empty projection: the state of an empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// The state: [`reduce_lifecycle_events`](crate::reduce_lifecycle_events)
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
        let id = event.event_id();
        if let Some(&i) = self.seen.get(&id) {
            if self.events[i].event != event {
                // Two versions of one id: the canonical order picks one.
                self.refold(Some(event));
            }
            return;
        }
        let own = event.lamport_clock();
        let clock = match event.causation_id().and_then(|p| self.seen.get(&p)) {
            Some(&p) => own.max(self.events[p].clock.saturating_add(1)),
            None => own,
        };
        let key = (clock, event.timestamp().as_microsecond(), id);
        let in_order = clock == own
            && !self.awaited.contains(&id)
            && self.events.last().is_none_or(|last| {
                key > (
                    last.clock,
                    last.event.timestamp().as_microsecond(),
                    last.event.event_id(),
                )
            });
        if !in_order {
            self.refold(Some(event));
            return;
        }
        if let Some(parent) = event.causation_id()
            && !self.seen.contains_key(&parent)
        {
            self.awaited.insert(parent);
        }
        let joins_open_group = self.events.last().is_some_and(|last| last.clock == clock);
        self.seen.insert(id, self.events.len());
        self.events.push(Ordered {
            clock,
            inversion: None,
            event,
        });
        if joins_open_group {
            // Re-evaluate the group with its new member.
            self.fold.rewind(std::mem::take(&mut self.undo));
        } else {
            self.open_start = self.events.len() - 1;
        }
        self.apply_open_group();
    }

    fn apply_open_group(&mut self) {
        let mut undo = self.fold.mark();
        self.fold
            .apply_group(&self.events[self.open_start..], Some(&mut undo));
        self.undo = undo;
    }

    /// Re-folds every event seen, plus `extra`, from scratch.
    fn refold(&mut self, extra: Option<Event>) {
        self.replays += 1;
        let mut all: Vec<Event> = std::mem::take(&mut self.events)
            .into_iter()
            .map(|entry| entry.event)
            .collect();
        all.extend(extra);
        self.events = causal_order(all);
        self.fold = LifecycleFold::default();
        self.seen.clear();
        self.awaited.clear();
        for (i, entry) in self.events.iter().enumerate() {
            self.seen.insert(entry.event.event_id(), i);
        }
        for entry in &self.events {
            if let Some(parent) = entry.event.causation_id()
                && !self.seen.contains_key(&parent)
            {
                self.awaited.insert(parent);
            }
        }
        let last_clock = self.events.last().map(|entry| entry.clock);
        self.open_start = self
            .events
            .iter()
            .rposition(|entry| Some(entry.clock) != last_clock)
            .map_or(0, |i| i + 1);
        for group in self.events[..self.open_start].chunk_by(|a, b| a.clock == b.clock) {
            self.fold.apply_group(group, None);
        }
        self.apply_open_group();
    }
}

impl Extend<Event> for MissionProjector {
    fn extend<I: IntoIterator<Item = Event>>(&mut self, events: I) {
        for event in events {
            self.apply(event);
        }
    }
}
