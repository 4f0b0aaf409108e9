//! The projection of a whole service: every mission's state kept up to date
//! as the events of many missions arrive interleaved, in any order,
//! duplicates included.
//!
//! [`ServiceProjector`] keeps, for each mission, exactly what a
//! [`MissionProjector`](crate::reduce::MissionProjector) of that mission
//! alone would: [`reduce_lifecycle_events`](crate::reduce::reduce_lifecycle_events)
//! over the mission's events seen so far, at every moment. It folds with the
//! reducer's own fold, so the three cannot drift apart. What it shares
//! between missions is the memory: one arena of events in arrival order,
//! where a thousand projectors had a thousand growing arrays. Each
//! mission's id index is written only when a slow path needs it (`index`).

mod arena;
mod index;

use std::borrow::Borrow;
use std::fmt;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use uuid::Uuid;

use crate::contract::{Event, EventId};
use crate::reduce::causal::causal_order;
use crate::reduce::id_hash::IdHashBuilder;
use crate::reduce::lifecycle::{LifecycleFold, ReducedMissionState};
use arena::{Arena, Position};
use index::{MissionIndex, Slot};

/// The incremental projection of every mission of a service.
///
/// # Missions
///
/// A mission is the pair (`project_uuid`, `aggregate_id`) of its events, as
/// the event stores key it: every event of a mission carries the mission's
/// id as `aggregate_id` (the wire contract's aggregate), and two projects
/// may each have a mission of one name. Each mission is folded alone: its
/// state is [`reduce_lifecycle_events`](crate::reduce::reduce_lifecycle_events)
/// over the events of that pair and of no other.
///
/// So an event id met in two missions is two events, one in each, as it
/// would be for two [`MissionProjector`](crate::reduce::MissionProjector)s:
/// neither is a duplicate or a conflicting copy of the other, and a
/// `causation_id` names a parent in the child's own mission only (a parent
/// in another mission is one that has not arrived, as the reducer treats a
/// parent missing from its log).
///
/// # Cost
///
/// As [`MissionProjector`](crate::reduce::MissionProjector)'s, per mission:
/// an event that arrives in order in its mission is folded in place, O(1)
/// amortized; a late one, the missing parent of an event already seen, or a
/// new copy of a seen event id with other content re-folds its own mission
/// (only) from scratch, O(n log n) in that mission's events. An identical
/// duplicate, or a copy identical to a conflicting copy already held,
/// changes nothing.
///
/// What an in-order event touches does not grow with the number of
/// missions: the event is appended to one arena (written in arrival order,
/// whatever the mission; never copied again), and the mission's own data
/// is its fold state, the key of its last event and its largest id. An
/// event whose clock and id are above every one its mission holds (the
/// usual case: clocks and ULIDs rise) is looked up nowhere; any other
/// first brings its mission's id index up to date, each held event indexed
/// once.
///
/// Every distinct event is kept (a late event can change how its whole
/// mission folds).
///
/// ```
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::reduce::{ServiceProjector, reduce_lifecycle_events};
/// let started = |id: u32, mission: &str| Event::from_json(&format!(r#"{{"event_id":"01JKQ4V7C0000000000000000{id}","event_type":"MissionStarted","aggregate_id":"{mission}","payload":{{"mission_id":"{mission}","mission_type":"software-dev","initial_phase":"specify","actor":"rob"}},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#));
/// let (m1, m2) = (started(1, "M1")?, started(2, "M2")?);
/// let mut service = ServiceProjector::new();
/// service.apply(m1.clone());
/// service.apply(m2.clone());
/// service.apply(m1.clone()); // a duplicate changes nothing
/// let project = m1.project_uuid();
/// let state = service.mission(project, "M1").map(|mission| mission.state());
/// assert_eq!(state, Some(&reduce_lifecycle_events([m1])));
/// assert_eq!(service.missions().count(), 2);
/// assert!(service.mission(project, "M3").is_none());
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
#[derive(Clone, Default)]
pub struct ServiceProjector {
    missions: Vec<Mission>,
    /// Each mission's index in `missions`, found by its project and
    /// aggregate.
    names: HashTable<u32>,
    /// Every event held, of every mission, in arrival order.
    arena: Arena,
    hasher: IdHashBuilder,
    replays: usize,
}

/// One mission's part of the projection.
#[derive(Debug, Clone)]
struct Mission {
    project_uuid: Uuid,
    aggregate_id: Box<str>,
    fold: LifecycleFold,
    /// The last event's application key `(clock, instant, id)`: whether the
    /// next one is in order is decided without reading the last event.
    last: Option<(u64, i64, EventId)>,
    /// The mission's newest entry in the arena, where its chain starts.
    newest: Option<Position>,
    /// How many distinct event ids the mission holds.
    len: usize,
    /// Copies of a held event id with other content, each distinct content
    /// once: re-folds report them as the full reducer does.
    conflicting: Vec<Position>,
    replays: usize,
    /// Its event ids: where each kept copy sits, or that a held event
    /// awaits it as a parent.
    index: MissionIndex,
}

/// One mission of a [`ServiceProjector`]: its name and its state.
#[derive(Debug, Clone, Copy)]
pub struct ProjectedMission<'a> {
    mission: &'a Mission,
}

impl<'a> ProjectedMission<'a> {
    /// The project of the mission's events.
    pub fn project_uuid(&self) -> Uuid {
        self.mission.project_uuid
    }

    /// The mission's id: the `aggregate_id` of its events.
    pub fn aggregate_id(&self) -> &'a str {
        &self.mission.aggregate_id
    }

    /// The state: [`reduce_lifecycle_events`](crate::reduce::reduce_lifecycle_events)
    /// over the mission's events applied so far.
    pub fn state(&self) -> &'a ReducedMissionState {
        &self.mission.fold.state
    }

    /// How many times an out-of-order arrival made this mission re-fold.
    pub fn replays(&self) -> usize {
        self.mission.replays
    }
}

/// An event of the arena with its position, as the causal order takes it.
struct Held<'a> {
    position: Position,
    event: &'a Event,
}

impl Borrow<Event> for Held<'_> {
    fn borrow(&self) -> &Event {
        self.event
    }
}

impl ServiceProjector {
    /// An empty projection: no mission.
    pub fn new() -> Self {
        Self::default()
    }

    /// The mission of `project_uuid` named `aggregate_id`, if one of its
    /// events was applied.
    pub fn mission(&self, project_uuid: Uuid, aggregate_id: &str) -> Option<ProjectedMission<'_>> {
        let hash = self.hasher.hash_one((project_uuid, aggregate_id));
        let missions = &self.missions;
        self.names
            .find(hash, |&m| {
                missions[m as usize].is(project_uuid, aggregate_id)
            })
            .map(|&m| self.view(m))
    }

    /// Every mission, in the order their first events arrived.
    pub fn missions(&self) -> impl ExactSizeIterator<Item = ProjectedMission<'_>> {
        self.missions
            .iter()
            .map(|mission| ProjectedMission { mission })
    }

    /// How many distinct events the projection holds, over every mission
    /// (an event id met in two missions counts in each).
    pub fn len(&self) -> usize {
        self.missions.iter().map(|mission| mission.len).sum()
    }

    /// Whether no event was applied yet.
    pub fn is_empty(&self) -> bool {
        self.missions.is_empty()
    }

    /// How many times an out-of-order arrival made a mission re-fold, over
    /// every mission.
    pub fn replays(&self) -> usize {
        self.replays
    }

    /// Takes one event into its mission's projection, and returns that
    /// mission.
    ///
    /// Never fails: what cannot be applied becomes an anomaly of the
    /// mission's state, exactly as in the full reducer.
    ///
    /// # Panics
    ///
    /// When 2^32 events are already held (positions are 32 bits, so that
    /// an index entry is smaller): over a terabyte of events, which no
    /// memory holds.
    pub fn apply(&mut self, event: Event) -> ProjectedMission<'_> {
        let m = self.mission_of(&event);
        self.apply_to(m, event);
        self.view(m)
    }

    fn view(&self, m: u32) -> ProjectedMission<'_> {
        ProjectedMission {
            mission: &self.missions[m as usize],
        }
    }

    /// The index of `event`'s mission, made when it is the first event of
    /// its mission.
    fn mission_of(&mut self, event: &Event) -> u32 {
        let (project, aggregate) = (event.project_uuid(), event.aggregate_id());
        let hasher = &self.hasher;
        let missions = &mut self.missions;
        let entry = self.names.entry(
            hasher.hash_one((project, aggregate)),
            |&m| missions[m as usize].is(project, aggregate),
            |&m| {
                let mission = &missions[m as usize];
                hasher.hash_one((mission.project_uuid, &*mission.aggregate_id))
            },
        );
        match entry {
            Entry::Occupied(found) => *found.get(),
            Entry::Vacant(slot) => {
                let m = u32::try_from(missions.len()).expect("fewer than 2^32 missions");
                missions.push(Mission::new(project, aggregate));
                slot.insert(m);
                m
            }
        }
    }

    fn apply_to(&mut self, m: u32, event: Event) {
        let id = event.event_id();
        let own = event.lamport_clock();
        let parent = event.causation_id();
        let mission = &mut self.missions[m as usize];
        // Above every clock and every id the mission holds: in order, with
        // no lookup (see `index`).
        if mission.last.is_none_or(|(clock, ..)| own > clock)
            && parent != Some(id)
            && mission.index.is_new(id)
        {
            mission.append_in_order(&mut self.arena, event);
            return;
        }
        let Self {
            missions,
            arena,
            hasher,
            ..
        } = self;
        let mission = &mut missions[m as usize];
        mission.index.catch_up(arena, hasher, mission.newest);
        let parent_clock = parent.and_then(|parent| match mission.index.get(hasher, parent) {
            Some(Slot::Seen { clock, .. }) => Some(clock),
            _ => None,
        });
        let clock =
            parent_clock.map_or(own, |parent_clock| own.max(parent_clock.saturating_add(1)));
        let key = (clock, event.timestamp().as_microsecond(), id);
        let in_order =
            clock == own && parent != Some(id) && mission.last.is_none_or(|last| key > last);
        match mission.index.get(hasher, id) {
            Some(Slot::Seen { position, .. }) => {
                let copies = std::iter::once(&position).chain(&mission.conflicting);
                if !copies.into_iter().any(|&copy| *arena.get(copy) == event) {
                    self.refold(m, event);
                }
            }
            // In order, though its id is not above the mission's: folded
            // as the fast path folds, the table left to catch up later.
            None if in_order => mission.append_in_order(arena, event),
            Some(Slot::Awaited) | None => self.refold(m, event),
        }
    }

    /// Re-folds mission `m` from scratch, with `extra` added to its events.
    fn refold(&mut self, m: u32, extra: Event) {
        self.replays += 1;
        let Self {
            missions,
            arena,
            hasher,
            ..
        } = self;
        let mission = &mut missions[m as usize];
        mission.replays += 1;
        mission.index.note(extra.event_id(), extra.causation_id());
        mission.newest = Some(arena.push(extra, mission.newest));
        let chain = arena.chain(mission.newest);
        let held: Vec<Held<'_>> = chain
            .iter()
            .map(|&position| Held {
                position,
                event: arena.get(position),
            })
            .collect();
        let order = causal_order(held);
        let mut fold = LifecycleFold::default();
        for copy in &order.conflicts {
            fold.conflicting_copy(copy);
        }
        let mut kept: Vec<(Position, u64)> = Vec::with_capacity(order.events.len());
        order.for_each(|clock, inversion, event| {
            fold.push(clock, inversion, event);
            kept.push((order.events[kept.len()].position, clock));
        });
        fold.settle();
        mission.fold = fold;
        mission.len = kept.len();
        mission.last = order
            .events
            .last()
            .zip(kept.last())
            .map(|(last, &(_, clock))| {
                (
                    clock,
                    last.event.timestamp().as_microsecond(),
                    last.event.event_id(),
                )
            });
        let mut kept_positions: Vec<Position> =
            kept.iter().map(|&(position, _)| position).collect();
        kept_positions.sort_unstable();
        mission.conflicting = chain
            .into_iter()
            .filter(|position| kept_positions.binary_search(position).is_err())
            .collect();
        for &(position, clock) in &kept {
            let id = arena.get(position).event_id();
            mission
                .index
                .set(hasher, id, Slot::Seen { position, clock });
        }
        for &(position, _) in &kept {
            if let Some(parent) = arena.get(position).causation_id() {
                mission.index.await_parent(hasher, parent);
            }
        }
        mission.index.covers(mission.newest);
    }
}

impl Mission {
    fn new(project_uuid: Uuid, aggregate_id: &str) -> Self {
        Self {
            project_uuid,
            aggregate_id: aggregate_id.into(),
            fold: LifecycleFold::default(),
            last: None,
            newest: None,
            len: 0,
            conflicting: Vec::new(),
            replays: 0,
            index: MissionIndex::default(),
        }
    }

    /// Appends `event`, which sorts after every event the mission holds
    /// at its own clock, and folds it in place. Its id goes into the index
    /// when the index next catches up.
    fn append_in_order(&mut self, arena: &mut Arena, event: Event) {
        let (id, clock) = (event.event_id(), event.lamport_clock());
        self.index.note(id, event.causation_id());
        self.last = Some((clock, event.timestamp().as_microsecond(), id));
        let position = arena.push(event, self.newest);
        self.newest = Some(position);
        self.len += 1;
        self.fold.push(clock, None, arena.get(position));
        self.fold.settle();
    }

    fn is(&self, project_uuid: Uuid, aggregate_id: &str) -> bool {
        self.project_uuid == project_uuid && *self.aggregate_id == *aggregate_id
    }
}

impl fmt::Debug for ServiceProjector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceProjector")
            .field("missions", &self.missions.len())
            .field("events", &self.len())
            .field("replays", &self.replays)
            .finish_non_exhaustive()
    }
}

impl Extend<Event> for ServiceProjector {
    fn extend<I: IntoIterator<Item = Event>>(&mut self, events: I) {
        for event in events {
            self.apply(event);
        }
    }
}
