//! The status fold split by work package over every core, for the batch
//! reducers (the projector folds one event at a time, on its own thread).
//!
//! A work package's replay reads only its own events and where the
//! concurrency groups fall: its lane before a group, its bucket in it, its
//! winner. So once each event carries its group's ordinal (counted here, in
//! the one pass over the log the reducer makes anyway), the work packages
//! can be folded apart, each part on its own thread, and the parts' results
//! merged into exactly what the serial fold gives:
//!
//! - payloads that do not decode: in the order of the log (they are set
//!   aside as the events are dealt);
//! - the anomalies of the groups: group by group, bucket by bucket (a work
//!   package's bucket sits where its first event of the group does), each
//!   bucket's own in the order its part closed it (forward moves, then
//!   rollbacks);
//! - the work packages, in the order they first entered a lane: by the
//!   bucket in which they did;
//! - (the status reducer) a causation inversion of the log, between the
//!   anomalies of the group that closes before it and those of the group
//!   that closes after it, as the serial fold appends them.
//!
//! The positions that order the merge are the events' places in the log
//! of work package events, so the result is the same on any number of
//! threads (the rule tests force 1 to 8).

use std::hash::BuildHasher;

use crate::contract::Event;
use crate::reduce::cores;
use crate::reduce::id_hash::IdHashBuilder;
use crate::reduce::status::fold::{KeyedStatus, StatusFold, change_of};
use crate::reduce::status::state::{ReducedStatus, TransitionAnomaly};

/// The work package events of a log, dealt to the parts of the split fold
/// by work package as they come in application order.
///
/// Dealing here, in the reducer's one pass over the log, costs a hash of
/// the wp_id per event: the pass has the event in cache already. Dealing on
/// every core instead read each event once more, in application order (a
/// wait on memory per event, the log being in arrival order), which cost
/// more than the fold it split (`benches/README.md`).
#[derive(Debug)]
pub(crate) struct WpEvents<'a> {
    /// Each part's events: (position, group ordinal, event).
    parts: Vec<Vec<(usize, u64, &'a Event)>>,
    hasher: IdHashBuilder,
    /// The position at which each group starts.
    starts: Vec<usize>,
    /// How many events were pushed, and the open group's application clock.
    len: usize,
    clock: Option<u64>,
    /// Payloads that do not decode, in order.
    undecodable: Vec<TransitionAnomaly>,
    /// Causation inversions, each with the position of its event.
    inversions: Vec<(usize, TransitionAnomaly)>,
}

impl<'a> WpEvents<'a> {
    /// Ready to deal to `threads` parts.
    pub(crate) fn new(threads: usize) -> Self {
        Self {
            parts: vec![Vec::new(); threads.max(1)],
            hasher: IdHashBuilder::default(),
            starts: Vec::new(),
            len: 0,
            clock: None,
            undecodable: Vec::new(),
            inversions: Vec::new(),
        }
    }

    /// Takes the next work package event, applied at `clock`.
    pub(crate) fn push(&mut self, clock: u64, event: &'a Event) {
        if self.clock != Some(clock) {
            self.clock = Some(clock);
            self.starts.push(self.len);
        }
        let at = self.len;
        self.len += 1;
        // The group's ordinal, from 1: groups rise along the log, and group
        // `g` closes where `starts[g]` (the next one's start) says.
        let group = self.starts.len() as u64;
        match change_of(event) {
            Ok(change) => {
                let hash = self.hasher.hash_one(change.wp_id.as_str());
                let part = (hash % self.parts.len() as u64) as usize;
                self.parts[part].push((at, group, event));
            }
            Err(anomaly) => self.undecodable.push(anomaly),
        }
    }

    /// Records the causation inversion of the next event pushed.
    pub(crate) fn inversion(&mut self, anomaly: TransitionAnomaly) {
        self.inversions.push((self.len, anomaly));
    }

    /// Folds the parts, each on its own thread, into `state`: its work
    /// packages and undecodable payloads are set, the anomalies appended.
    pub(crate) fn fold_into(self, state: &mut ReducedStatus) {
        let folded: Vec<KeyedStatus> = cores::each_on_a_thread(self.parts, |part| {
            // As `CausalOrder::for_each`: the events are read in application
            // order, not memory order; reading one word of each of a block
            // first lets the processor overlap the waits.
            StatusFold::fold_keyed(part.chunks(BLOCK).flat_map(|block| {
                let touched = block
                    .iter()
                    .fold(0u64, |sum, (_, _, event)| sum.wrapping_add(event.touch()));
                std::hint::black_box(touched);
                block.iter().copied()
            }))
        });
        state.undecodable = self.undecodable;
        let mut wp_states = Vec::new();
        let mut anomalies = Vec::new();
        for part in folded {
            wp_states.push(part.wp_states);
            anomalies.push(part.anomalies);
        }
        state.wp_states = merge_runs(wp_states, |&(at, _)| at)
            .into_iter()
            .map(|(_, wp_state)| wp_state)
            .collect();
        // Each inversion goes before the anomalies of the groups that close
        // at its event or later: a group closes where the next one starts
        // (after that event's inversion), or at the end.
        let mut inversions = self.inversions.into_iter().peekable();
        for (_, group, anomaly) in merge_runs(anomalies, |&(at, _, _)| at) {
            let closes_at = self.starts.get(group as usize).copied().unwrap_or(self.len);
            while let Some((_, inversion)) = inversions.next_if(|&(at, _)| at <= closes_at) {
                state.anomalies.push(inversion);
            }
            state.anomalies.push(anomaly);
        }
        state
            .anomalies
            .extend(inversions.map(|(_, inversion)| inversion));
    }
}

/// The events a part touches ahead of folding them.
const BLOCK: usize = 128;

/// Merges runs each sorted by `key` into one sorted run, one run after
/// the other (a run per thread, and only work packages and anomalies, not
/// events: a few at most 16 times over). Items of one run that tie keep
/// their order; keys of different runs never tie here (they are positions
/// of distinct work packages' events).
fn merge_runs<T>(runs: Vec<Vec<T>>, key: impl Fn(&T) -> usize + Copy) -> Vec<T> {
    runs.into_iter()
        .reduce(|merged, run| merge_two(merged, run, key))
        .unwrap_or_default()
}

/// Merges two runs sorted by `key`, ties from `a` first.
fn merge_two<T>(a: Vec<T>, b: Vec<T>, key: impl Fn(&T) -> usize) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => key(x) <= key(y),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
}
