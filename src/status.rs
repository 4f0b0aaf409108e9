//! The work-package status reducer: untrusted `WPStatusChanged` events in,
//! the lane of every work package out.
//!
//! [`reduce_status_events`] orders the log the one canonical way
//! ([`canonical_order`](crate::canonical_order): sort by [`status_event_sort_key`](crate::status_event_sort_key),
//! then drop repeated event ids), moves every event after its causal parent
//! when the input holds both, and replays each work package. Nothing in the
//! input can make it fail: what cannot be applied is recorded as a
//! [`TransitionAnomaly`] and skipped.

use std::borrow::Borrow;
use std::fmt;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::event::Event;
use crate::event_types::{KnownPayload, WP_STATUS_CHANGED};
use crate::evidence::DoneEvidence;
use crate::ids::{IdHashBuilder, NonEmptyString, Ulid};
use crate::lane::Lane;
use crate::ordering::CanonicalPositions;
use crate::timestamp::Timestamp;
use crate::transition::{lane_name, validate_transition};

/// The state of one work package after a replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WPState {
    wp_id: String,
    current_lane: Lane,
    last_event_id: Ulid,
    last_transition_at: Timestamp,
    evidence: Option<DoneEvidence>,
}

impl WPState {
    /// The work package's id, e.g. `WP01`.
    pub fn wp_id(&self) -> &str {
        &self.wp_id
    }

    /// The lane it is in.
    pub fn current_lane(&self) -> Lane {
        self.current_lane
    }

    /// The event that put it there.
    pub fn last_event_id(&self) -> Ulid {
        self.last_event_id
    }

    /// When that event happened, with the offset it was written with.
    pub fn last_transition_at(&self) -> Timestamp {
        self.last_transition_at
    }

    /// The evidence of completion: present exactly when the lane is `done`.
    pub fn evidence(&self) -> Option<&DoneEvidence> {
        self.evidence.as_ref()
    }
}

/// A status event the reducer could not apply, and why.
///
/// `from_lane` and `to_lane` are the event's own (null when its payload does
/// not decode); `wp_id` is `<unknown>` when the payload names none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransitionAnomaly {
    /// The event.
    pub event_id: Ulid,
    /// The work package it names.
    pub wp_id: String,
    /// The lane it claims to leave.
    pub from_lane: Option<Lane>,
    /// The lane it wants to enter.
    pub to_lane: Option<Lane>,
    /// Why it was not applied, in words.
    pub reason: String,
}

/// The result of [`reduce_status_events`]: every work package's state, and
/// the anomalies met on the way.
///
/// It serializes as the Python library's `ReducedStatus`:
/// `{"wp_states":{…},"anomalies":[…],"event_count":n,"last_processed_event_id":…}`,
/// with `wp_states` keyed by wp_id in the order the work packages first
/// entered a lane.
#[derive(Debug, Clone, Default)]
pub struct ReducedStatus {
    wp_states: Vec<WPState>,
    /// Payloads that do not decode: the reference reports them before any
    /// other anomaly, whatever their place in the log.
    undecodable: Vec<TransitionAnomaly>,
    /// The anomalies of closed concurrency groups.
    anomalies: Vec<TransitionAnomaly>,
    /// The open group's anomalies, work package by work package (the
    /// projector's state between two groups).
    open: Vec<OpenBucket>,
    event_count: usize,
    last_processed_event_id: Option<Ulid>,
}

/// One work package's anomalies in the open group: forward moves, then
/// rollbacks, as the group applies them.
#[derive(Debug, Clone, Default)]
struct OpenBucket {
    forward: Vec<TransitionAnomaly>,
    rollback: Vec<TransitionAnomaly>,
}

impl PartialEq for ReducedStatus {
    fn eq(&self, other: &Self) -> bool {
        self.wp_states == other.wp_states
            && self.event_count == other.event_count
            && self.last_processed_event_id == other.last_processed_event_id
            && self.anomalies().eq(other.anomalies())
    }
}

impl Eq for ReducedStatus {}

impl ReducedStatus {
    /// Every work package that entered a lane, in the order it first did.
    pub fn wp_states(&self) -> &[WPState] {
        &self.wp_states
    }

    /// One work package's state.
    pub fn wp_state(&self, wp_id: &str) -> Option<&WPState> {
        self.wp_states.iter().find(|state| state.wp_id == wp_id)
    }

    /// The events that were not applied: first those whose payload does not
    /// decode, then the others, each in the order of the log.
    pub fn anomalies(&self) -> impl Iterator<Item = &TransitionAnomaly> + Clone {
        self.undecodable.iter().chain(&self.anomalies).chain(
            self.open
                .iter()
                .flat_map(|bucket| bucket.forward.iter().chain(&bucket.rollback)),
        )
    }

    /// How many anomalies [`anomalies`](Self::anomalies) yields.
    pub fn anomaly_count(&self) -> usize {
        let open: usize = self
            .open
            .iter()
            .map(|bucket| bucket.forward.len() + bucket.rollback.len())
            .sum();
        self.undecodable.len() + self.anomalies.len() + open
    }

    /// How many distinct `WPStatusChanged` events the input held.
    pub fn event_count(&self) -> usize {
        self.event_count
    }

    /// The last `WPStatusChanged` event in the canonical order.
    pub fn last_processed_event_id(&self) -> Option<Ulid> {
        self.last_processed_event_id
    }

    /// The result as the Python library writes it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Writes `wp_states` as a JSON object keyed by wp_id, keeping its order.
pub(crate) struct WpStatesJson<'a>(pub(crate) &'a [WPState]);

impl Serialize for WpStatesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for state in self.0 {
            map.serialize_entry(&state.wp_id, state)?;
        }
        map.end()
    }
}

/// Writes an iterator of anomalies as a JSON array.
pub(crate) struct AnomaliesJson<I>(pub(crate) I);

impl<T: Serialize, I: Iterator<Item = T> + Clone> Serialize for AnomaliesJson<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

impl Serialize for ReducedStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ReducedStatus", 4)?;
        out.serialize_field("wp_states", &WpStatesJson(&self.wp_states))?;
        out.serialize_field("anomalies", &AnomaliesJson(self.anomalies()))?;
        out.serialize_field("event_count", &self.event_count)?;
        out.serialize_field("last_processed_event_id", &self.last_processed_event_id)?;
        out.end()
    }
}

impl fmt::Display for ReducedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// Folds a status log into the state of every work package.
///
/// Keeps the `WPStatusChanged` events, puts them in the canonical order
/// (one sort, one dedup by event id: [`canonical_order`](crate::canonical_order)), moves an event
/// after its causal parent when both are in the input, and replays each
/// work package from "no lane":
///
/// - a payload that does not decode, a `from_lane` other than the work
///   package's lane, or a transition [`validate_transition`] rejects becomes a
///   [`TransitionAnomaly`] and changes nothing;
/// - events of one work package at the same Lamport clock are concurrent:
///   each is checked against the state before the group, the last valid one
///   (by the canonical order) wins, and a reviewer rollback
///   (for_review → in_progress with a review_ref) wins over concurrent
///   forward moves;
/// - an event whose lamport_clock is not after its causal parent's is
///   applied after the parent anyway, and the inversion is an anomaly.
///
/// The result is the same for every permutation of the input, duplicates
/// included. It never fails and never panics.
///
/// ```
/// use spec_kitty_events::{reduce_status_events, Event, Lane};
/// let line = |id: &str, clock: u64, from: &str, to: &str| {
///     Event::from_json(&format!(
///         r#"{{"event_id":"01JKQ4V7C0000000000000000{id}","event_type":"WPStatusChanged","aggregate_id":"WP01","payload":{{"feature_slug":"f","wp_id":"WP01","from_lane":{from},"to_lane":"{to}","actor":"a","execution_mode":"worktree"}},"timestamp":"2026-02-09T11:00:0{id}Z","node_id":"cli","lamport_clock":{clock},"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#
///     ))
/// };
/// // Out of order, one event twice, one illegal move.
/// let log = vec![
///     line("2", 2, r#""planned""#, "claimed")?,
///     line("1", 1, "null", "planned")?,
///     line("3", 3, r#""claimed""#, "for_review")?,
///     line("2", 2, r#""planned""#, "claimed")?,
/// ];
/// let status = reduce_status_events(log);
/// assert_eq!(status.wp_state("WP01").map(|wp| wp.current_lane()), Some(Lane::Claimed));
/// assert_eq!(status.anomaly_count(), 1);
/// assert_eq!(status.event_count(), 3);
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
pub fn reduce_status_events<E: Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
) -> ReducedStatus {
    let events: Vec<E> = events.into_iter().collect();
    let ordered = causal_order_of(&events);
    let mut fold = StatusFold::default();
    let mut state = ReducedStatus::default();
    ordered.for_each(|clock, inversion, event| {
        if event.event_type() != WP_STATUS_CHANGED {
            return;
        }
        if let Some(inversion) = inversion {
            let payload = event.payload();
            state.anomalies.push(TransitionAnomaly {
                event_id: event.event_id(),
                wp_id: wp_id_of(payload),
                from_lane: payload.field("from_lane").ok().flatten(),
                to_lane: payload.field("to_lane").ok().flatten(),
                reason: inversion.reason(event),
            });
        }
        state.event_count += 1;
        state.last_processed_event_id = Some(event.event_id());
        fold.step(&mut state, clock, event);
    });
    fold.close_group(&mut state);
    state
}

/// The wp_id a payload names, even one that does not decode.
fn wp_id_of(payload: &crate::event::Payload) -> String {
    match payload.field::<String>("wp_id") {
        Ok(Some(id)) => id,
        _ => "<unknown>".to_owned(),
    }
}

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
    pub(crate) parent: Ulid,
    pub(crate) applied_at: u64,
}

impl Inversion {
    pub(crate) fn reason(&self, event: &Event) -> String {
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
    pub(crate) fn for_each(&self, mut apply: impl FnMut(u64, Option<Inversion>, &Event)) {
        const BLOCK: usize = 128;
        for (block_index, block) in self.events.chunks(BLOCK).enumerate() {
            let touched = block
                .iter()
                .fold(0u64, |sum, event| sum.wrapping_add(event.borrow().touch()));
            std::hint::black_box(touched);
            for (offset, event) in block.iter().enumerate() {
                let event = event.borrow();
                let i = block_index * BLOCK + offset;
                match self.moved.as_ref().and_then(|moved| moved.get(i)) {
                    Some(&(clock, inversion)) => apply(clock, inversion, event),
                    None => apply(event.lamport_clock(), None, event),
                }
            }
        }
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

/// The application order of a log: [`canonical_order`](crate::canonical_order), then every event
/// whose causal parent is in the input is moved after it (FR-018).
///
/// An event's application clock is `max(lamport_clock, parent's + 1)`, so a
/// well-formed log (children always tick past their parents) keeps its
/// canonical order untouched and costs one hash lookup per event with a
/// parent. A causation cycle, which only a corrupt log can hold, is cut at
/// the edge met last when walking the canonical order, which depends on the
/// set of events only, never on arrival order.
pub(crate) fn causal_order<E: Borrow<Event>>(events: Vec<E>) -> CausalOrder<E> {
    let positions = CanonicalPositions::of(&events);
    let clocks = application_clocks(&positions, &events);
    let events = positions.arrange(events);
    if clocks
        .iter()
        .zip(&positions.keys)
        .all(|((clock, _), key)| *clock == key.lamport_clock())
    {
        return CausalOrder {
            events,
            moved: None,
        };
    }
    let mut entries: Vec<(u64, Option<Inversion>, E)> = events
        .into_iter()
        .zip(clocks)
        .map(|(event, (clock, parent))| {
            let own = event.borrow();
            let inversion = (clock != own.lamport_clock()).then(|| Inversion {
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
        moved: Some(moved),
    }
}

/// [`causal_order`] over references to `events`: the caller's events are
/// read, never moved.
pub(crate) fn causal_order_of<E: Borrow<Event>>(events: &[E]) -> CausalOrder<&Event> {
    causal_order(events.iter().map(Borrow::borrow).collect())
}

/// Each kept event's application clock and the position of the parent that
/// set it, in canonical order.
///
/// In a well-formed log every parent sorts before its children, so one pass
/// in canonical order finds each parent's clock already computed; the walk
/// up the lineage only runs for a child whose parent sorts after it.
fn application_clocks<E: Borrow<Event>>(
    positions: &CanonicalPositions,
    events: &[E],
) -> Vec<(u64, Option<usize>)> {
    let keys = &positions.keys;
    // Each event's parent's position in `keys`, by input index: read in
    // input order (memory order), so the walk below reads one small array
    // instead of scattered events.
    const NO_PARENT: usize = usize::MAX;
    let mut any_parent = false;
    let parent_at: Vec<usize> = events
        .iter()
        .map(|event| {
            event
                .borrow()
                .causation_id()
                .and_then(|parent| positions.position_of(&parent))
                .inspect(|_| any_parent = true)
                .unwrap_or(NO_PARENT)
        })
        .collect();
    if !any_parent {
        return keys.iter().map(|key| (key.lamport_clock(), None)).collect();
    }
    let parent_of = |i: usize| Some(parent_at[keys[i].index]).filter(|&p| p != NO_PARENT && p != i);
    // Computed in place, with a byte of walk state per event: a million
    // events take 25 MB here.
    let mut clocks: Vec<(u64, Option<usize>)> = vec![(0, None); keys.len()];
    let mut walk = vec![Walk::Unvisited; keys.len()];
    let mut stack = Vec::new();
    for start in 0..keys.len() {
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
    clocks
}

/// Where the lineage walk is with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    Unvisited,
    OnStack,
    Done,
}

/// The status replay, one event at a time, shared by both reducers and the
/// projector.
///
/// A concurrency group is every status event at one application clock. The
/// group's order is the Python reference's, so that anomalies come out in
/// the same order: payloads that do not decode first (before any other
/// anomaly of the log); then work package by work package, in the order each
/// first appears in the group; within one, forward moves before reviewer
/// rollbacks, each in canonical order. Every member is checked against the
/// lane before the group; the last valid one wins, a valid rollback over any
/// forward move.
///
/// None of that needs look-ahead: the lane before the group is remembered
/// when a work package first appears in it, anomalies wait in per-package
/// buckets until the group closes, and a group's winner only ever changes to
/// a later member. So each event costs O(1) amortized, however large its
/// group — which is what lets the projector stay O(1) per in-order event.
#[derive(Debug, Clone, Default)]
pub(crate) struct StatusFold {
    /// Each work package's replay state, found by its id: one table, the
    /// id inline, so a step reads one place in memory.
    slots: HashTable<Slot>,
    hasher: IdHashBuilder,
    /// The open group's clock and generation (slots of older generations
    /// are not in it).
    clock: Option<u64>,
    generation: u64,
    /// `wp_states.len()` when the group opened: new work packages of the
    /// group sit after it.
    wp_start: usize,
    /// The last bucket that inserted a new work package, to keep inserts in
    /// bucket order.
    last_insert_bucket: Option<usize>,
}

/// One work package's replay state.
#[derive(Debug, Clone)]
struct Slot {
    wp_id: NonEmptyString,
    /// Its place in `wp_states`, once it entered a lane.
    state: Option<usize>,
    /// The group generation it last appeared in.
    generation: u64,
    /// Its bucket in that group.
    bucket: usize,
    /// Its lane before that group.
    before: Option<Lane>,
    /// Whether a valid rollback won that group so far.
    rollback_won: bool,
}

impl StatusFold {
    /// Applies one `WPStatusChanged` event at application clock `clock`;
    /// events must come in the order [`causal_order`] gives. The caller
    /// keeps `event_count` and `last_processed_event_id`.
    pub(crate) fn step(&mut self, state: &mut ReducedStatus, clock: u64, event: &Event) {
        if self.clock != Some(clock) {
            self.close_group(state);
            self.clock = Some(clock);
            self.generation += 1;
            self.wp_start = state.wp_states.len();
        }
        let payload = match event.typed_payload() {
            Ok(Some(KnownPayload::WPStatusChanged(payload))) => payload,
            other => {
                let reason = match other {
                    Err(error) => format!("payload validation failed: {error}"),
                    // Only an event of another type, which callers filter out.
                    Ok(_) => format!("not a {WP_STATUS_CHANGED} event"),
                };
                state.undecodable.push(TransitionAnomaly {
                    event_id: event.event_id(),
                    wp_id: wp_id_of(event.payload()),
                    from_lane: None,
                    to_lane: None,
                    reason,
                });
                return;
            }
        };
        let wp_id = payload.wp_id();
        let hash = self.hasher.hash_one(wp_id.as_str());
        let hasher = &self.hasher;
        let slot = self
            .slots
            .entry(
                hash,
                |slot| slot.wp_id == *wp_id,
                |slot| hasher.hash_one(slot.wp_id.as_str()),
            )
            .or_insert_with(|| Slot {
                wp_id: wp_id.clone(),
                state: None,
                generation: 0,
                bucket: 0,
                before: None,
                rollback_won: false,
            })
            .into_mut();
        if slot.generation != self.generation {
            slot.generation = self.generation;
            slot.bucket = state.open.len();
            slot.before = slot.state.map(|i| state.wp_states[i].current_lane);
            slot.rollback_won = false;
            state.open.push(OpenBucket::default());
        }
        let from = *payload.from_lane();
        let to = *payload.to_lane();
        let rollback = from == Some(Lane::ForReview)
            && to == Lane::InProgress
            && payload.review_ref().is_some();
        let rejection = if from != slot.before {
            Some(format!(
                "from_lane mismatch: expected {}, got {}",
                lane_name(slot.before),
                lane_name(from)
            ))
        } else {
            let verdict = validate_transition(payload);
            (!verdict.valid).then(|| verdict.violations.join("; "))
        };
        if let Some(reason) = rejection {
            let bucket = &mut state.open[slot.bucket];
            let list = if rollback {
                &mut bucket.rollback
            } else {
                &mut bucket.forward
            };
            list.push(TransitionAnomaly {
                event_id: event.event_id(),
                wp_id: wp_id.to_string(),
                from_lane: from,
                to_lane: Some(to),
                reason,
            });
            return;
        }
        if slot.rollback_won && !rollback {
            return;
        }
        slot.rollback_won = rollback;
        let new_wp_id = slot.state.is_none().then(|| wp_id.to_string());
        let evidence = if to == Lane::Done {
            payload.evidence().clone()
        } else {
            None
        };
        match (slot.state, new_wp_id) {
            (Some(i), _) => {
                // In place: the wp_id stays, so a move allocates nothing.
                let current = &mut state.wp_states[i];
                current.current_lane = to;
                current.last_event_id = event.event_id();
                current.last_transition_at = event.timestamp();
                current.evidence = evidence;
            }
            (None, new_wp_id) => {
                let bucket = slot.bucket;
                let wp_state = WPState {
                    wp_id: new_wp_id.unwrap_or_default(),
                    current_lane: to,
                    last_event_id: event.event_id(),
                    last_transition_at: event.timestamp(),
                    evidence,
                };
                self.insert_new(state, bucket, wp_state);
            }
        }
    }

    /// Puts a work package that enters its first lane in this group among
    /// the group's other new ones, in bucket order (the reference applies
    /// the group bucket by bucket).
    fn insert_new(&mut self, state: &mut ReducedStatus, bucket: usize, wp_state: WPState) {
        if self.last_insert_bucket.is_none_or(|last| bucket > last) {
            self.last_insert_bucket = Some(bucket);
            let at = state.wp_states.len();
            if let Some(slot) = self.slot_mut(&wp_state.wp_id) {
                slot.state = Some(at);
            }
            state.wp_states.push(wp_state);
            return;
        }
        // Rare: an earlier bucket's first valid move comes after a later
        // bucket's. Shift the group's later new packages by one.
        let at = state.wp_states[self.wp_start..]
            .iter()
            .position(|wp| self.slot(&wp.wp_id).map_or(usize::MAX, |slot| slot.bucket) > bucket)
            .map_or(state.wp_states.len(), |offset| self.wp_start + offset);
        state.wp_states.insert(at, wp_state);
        for (i, wp) in state.wp_states.iter().enumerate().skip(at) {
            if let Some(slot) = self.slot_mut(&wp.wp_id) {
                slot.state = Some(i);
            }
        }
    }

    fn slot(&self, wp_id: &str) -> Option<&Slot> {
        let hash = self.hasher.hash_one(wp_id);
        self.slots.find(hash, |slot| slot.wp_id.as_str() == wp_id)
    }

    fn slot_mut(&mut self, wp_id: &str) -> Option<&mut Slot> {
        let hash = self.hasher.hash_one(wp_id);
        self.slots
            .find_mut(hash, |slot| slot.wp_id.as_str() == wp_id)
    }

    /// Moves the open group's anomalies, bucket by bucket, after the closed
    /// ones.
    pub(crate) fn close_group(&mut self, state: &mut ReducedStatus) {
        // Nearly every group closes without an anomaly.
        if state
            .open
            .iter()
            .any(|bucket| !bucket.forward.is_empty() || !bucket.rollback.is_empty())
        {
            for bucket in state.open.drain(..) {
                state.anomalies.extend(bucket.forward);
                state.anomalies.extend(bucket.rollback);
            }
        } else {
            state.open.clear();
        }
        self.last_insert_bucket = None;
    }
}
