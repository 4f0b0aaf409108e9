//! [`StatusFold`]: the status replay, one event at a time.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::contract::event_types::{KnownPayload, WP_STATUS_CHANGED};
use crate::contract::{ContractVersion, Event, Lane, NonEmptyString, StatusChange, lane_name};
use crate::reduce::id_hash::IdHashBuilder;
use crate::reduce::status::state::{
    OpenBucket, ReducedStatus, TransitionAnomaly, WpState, wp_id_of,
};
use crate::reduce::work;

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
///
/// The one step that depends on arrival order — work packages new in the
/// group must end up in bucket order, and an earlier bucket's first valid
/// move can come after a later one's — is deferred: new work packages are
/// appended, and put in bucket order once, when the group closes (or the
/// projector [settles](Self::settle) it), in O(k log k) for k of them.
/// Putting each in place on arrival was O(k) per arrival: quadratic in an
/// unlucky order.
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
    /// The bucket of each work package new in the open group, in the order
    /// they sit in `wp_states[wp_start..]`.
    new_buckets: Vec<usize>,
    /// How many of `new_buckets`, from the start, are known to be in order:
    /// all of them unless a new work package's bucket fell below the last.
    sorted_len: usize,
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
        work::count(1);
        if self.clock != Some(clock) {
            self.close_group(state);
            self.clock = Some(clock);
            self.generation += 1;
            self.wp_start = state.wp_states.len();
        }
        // A move of any contract version, judged by its own version's rules.
        let change = match change_of(event) {
            Ok(change) => change,
            Err(undecodable) => {
                state.undecodable.push(undecodable);
                return;
            }
        };
        let wp_id = change.wp_id;
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
        let (from, to) = (change.lane_move.from, change.lane_move.to);
        let rollback = change.is_review_rollback();
        // From schema 3.0.0 on, force also bypasses a from_lane that is not
        // the work package's current lane (as 11.0.0 does).
        let bypass = change.version == ContractVersion::V3 && change.lane_move.force;
        let current = slot.state.map(|i| state.wp_states[i].current_lane);
        let rejection = if let Some(lane) = current.filter(|_| change.is_bootstrap_planned()) {
            Some(format!(
                "bootstrap planned ignored: WP already initialized at {lane}"
            ))
        } else if from != slot.before && !bypass {
            Some(format!(
                "from_lane mismatch: expected {}, got {}",
                lane_name(slot.before),
                lane_name(from)
            ))
        } else {
            let verdict = change.validate();
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
            change.evidence.cloned()
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
                let wp_state = WpState {
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

    /// Appends a work package that enters its first lane in this group; the
    /// group's new ones are put in bucket order when it is settled.
    fn insert_new(&mut self, state: &mut ReducedStatus, bucket: usize, wp_state: WpState) {
        if self.sorted_len == self.new_buckets.len()
            && self.new_buckets.last().is_none_or(|&last| last < bucket)
        {
            self.sorted_len += 1;
        }
        self.new_buckets.push(bucket);
        let at = state.wp_states.len();
        if let Some(slot) = self.slot_mut(&wp_state.wp_id) {
            slot.state = Some(at);
        }
        state.wp_states.push(wp_state);
    }

    /// Puts the open group's new work packages in bucket order (the
    /// reference applies a group bucket by bucket): a sort of the group's
    /// new packages, then each one's slot pointed at its place. When only
    /// the last one is out of place (the projector settles after every
    /// event), it is moved into place instead: O(k), not O(k log k).
    pub(crate) fn settle(&mut self, state: &mut ReducedStatus) {
        let len = self.new_buckets.len();
        if self.sorted_len == len {
            return;
        }
        let from = if self.sorted_len + 1 == len {
            let bucket = self.new_buckets[len - 1];
            let at = self.new_buckets[..len - 1].partition_point(|&b| b < bucket);
            self.new_buckets[at..].rotate_right(1);
            state.wp_states[self.wp_start + at..].rotate_right(1);
            self.wp_start + at
        } else {
            let new = state.wp_states.split_off(self.wp_start);
            let mut placed: Vec<(usize, WpState)> = self.new_buckets.drain(..).zip(new).collect();
            placed.sort_unstable_by(|a, b| {
                work::count(1);
                a.0.cmp(&b.0)
            });
            for (bucket, wp_state) in placed {
                self.new_buckets.push(bucket);
                state.wp_states.push(wp_state);
            }
            self.wp_start
        };
        self.sorted_len = len;
        for at in from..state.wp_states.len() {
            work::count(1);
            let hash = self.hasher.hash_one(state.wp_states[at].wp_id.as_str());
            let wp_id = &state.wp_states[at].wp_id;
            if let Some(slot) = self
                .slots
                .find_mut(hash, |slot| slot.wp_id.as_str() == wp_id)
            {
                slot.state = Some(at);
            }
        }
    }

    fn slot_mut(&mut self, wp_id: &str) -> Option<&mut Slot> {
        let hash = self.hasher.hash_one(wp_id);
        self.slots
            .find_mut(hash, |slot| slot.wp_id.as_str() == wp_id)
    }

    /// Moves the open group's anomalies, bucket by bucket, after the closed
    /// ones.
    pub(crate) fn close_group(&mut self, state: &mut ReducedStatus) {
        self.settle(state);
        self.new_buckets.clear();
        self.sorted_len = 0;
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
    }
}

/// The move `event` carries, or the anomaly of a payload that does not
/// decode to one.
pub(crate) fn change_of(event: &Event) -> Result<StatusChange<'_>, TransitionAnomaly> {
    match event
        .typed_payload()
        .map(|known| known.and_then(KnownPayload::status_change))
    {
        Ok(Some(change)) => Ok(change),
        other => {
            let reason = match other {
                Err(error) => format!("payload validation failed: {error}"),
                // Only an event of another type, which callers filter out.
                Ok(_) => format!("not a {WP_STATUS_CHANGED} event"),
            };
            Err(TransitionAnomaly {
                event_id: event.event_id(),
                wp_id: wp_id_of(event.payload()),
                from_lane: None,
                to_lane: None,
                reason,
            })
        }
    }
}

/// One part of the work packages folded on its own, for the split fold
/// (`split.rs`): each work package's state and each anomaly with the
/// position of the first event of its bucket (its work package's first
/// event in the group), which is what orders them among the other parts'.
#[derive(Debug, Default)]
pub(crate) struct KeyedStatus {
    pub(crate) wp_states: Vec<(usize, WpState)>,
    /// Each with its bucket's position and its group.
    pub(crate) anomalies: Vec<(usize, u64, TransitionAnomaly)>,
}

impl StatusFold {
    /// Folds `events` (position, group, event), the decodable events of
    /// some work packages in application order, as [`step`](Self::step)
    /// does with the group's ordinal as its clock; each group is closed
    /// with [`close_keyed`](Self::close_keyed) instead of
    /// [`close_group`](Self::close_group).
    pub(crate) fn fold_keyed<'a>(
        events: impl Iterator<Item = (usize, u64, &'a Event)>,
    ) -> KeyedStatus {
        let mut fold = Self::default();
        let mut state = ReducedStatus::default();
        let mut keys = KeyedStatus::default();
        let mut entered = Vec::new();
        // The position of each open bucket's first event.
        let mut firsts = Vec::new();
        for (at, group, event) in events {
            if fold.clock.is_some_and(|open| open != group) {
                fold.close_keyed(&mut state, &mut firsts, &mut entered, &mut keys);
            }
            fold.step(&mut state, group, event);
            // A step opens at most one bucket.
            if state.open.len() > firsts.len() {
                firsts.push(at);
            }
        }
        fold.close_keyed(&mut state, &mut firsts, &mut entered, &mut keys);
        keys.wp_states = entered.into_iter().zip(state.wp_states).collect();
        keys
    }

    /// Closes the open group as [`close_group`](Self::close_group) does,
    /// but keys what it closes by bucket instead of appending it: the
    /// group's new work packages (in bucket order once settled) to
    /// `entered`, its anomalies to `keys`.
    fn close_keyed(
        &mut self,
        state: &mut ReducedStatus,
        firsts: &mut Vec<usize>,
        entered: &mut Vec<usize>,
        keys: &mut KeyedStatus,
    ) {
        let Some(group) = self.clock else {
            return;
        };
        self.settle(state);
        entered.extend(self.new_buckets.drain(..).map(|bucket| firsts[bucket]));
        self.sorted_len = 0;
        // Nearly every group closes without an anomaly.
        if state
            .open
            .iter()
            .any(|bucket| !bucket.forward.is_empty() || !bucket.rollback.is_empty())
        {
            for (bucket, open) in state.open.drain(..).enumerate() {
                let at = firsts[bucket];
                let closed = open.forward.into_iter().chain(open.rollback);
                keys.anomalies
                    .extend(closed.map(|anomaly| (at, group, anomaly)));
            }
        } else {
            state.open.clear();
        }
        firsts.clear();
    }
}
