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
//! - payloads that do not decode: in the order of the log, whichever part
//!   meets them (the partition keeps each part of the log in order);
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

/// The work package events of a log, gathered in application order for the
/// split fold.
#[derive(Debug, Default)]
pub(crate) struct WpEvents<'a> {
    /// Each event with its group's ordinal.
    events: Vec<(u64, &'a Event)>,
    /// The open group's application clock.
    clock: Option<u64>,
    /// Causation inversions, each with the position of its event.
    inversions: Vec<(usize, TransitionAnomaly)>,
}

impl<'a> WpEvents<'a> {
    /// Takes the next work package event, applied at `clock`.
    pub(crate) fn push(&mut self, clock: u64, event: &'a Event) {
        let group = match self.events.last() {
            Some(&(group, _)) if self.clock == Some(clock) => group,
            Some(&(group, _)) => group + 1,
            None => 0,
        };
        self.clock = Some(clock);
        self.events.push((group, event));
    }

    /// Records the causation inversion of the next event pushed.
    pub(crate) fn inversion(&mut self, anomaly: TransitionAnomaly) {
        self.inversions.push((self.events.len(), anomaly));
    }

    /// Folds the events on `threads` threads into `state`: its work
    /// packages and undecodable payloads are set, the anomalies appended.
    pub(crate) fn fold_into(self, state: &mut ReducedStatus, threads: usize) {
        let events = &self.events[..];
        let threads = threads.max(1);
        let hasher = IdHashBuilder::default();
        // Each thread reads one stretch of the log and deals its events to
        // the parts by work package.
        let stretch = events.len().div_ceil(threads);
        let dealt: Vec<(Vec<TransitionAnomaly>, Vec<Vec<usize>>)> =
            cores::each_on_a_thread((0..threads).collect(), |n| {
                let mut undecodable = Vec::new();
                let mut parts = vec![Vec::new(); threads];
                let end = events.len().min((n + 1) * stretch);
                for at in (n * stretch).min(end)..end {
                    match change_of(events[at].1) {
                        Ok(change) => {
                            let hash = hasher.hash_one(change.wp_id.as_str());
                            parts[(hash % threads as u64) as usize].push(at);
                        }
                        Err(anomaly) => undecodable.push(anomaly),
                    }
                }
                (undecodable, parts)
            });
        // Each thread folds one part, its events taken stretch by stretch.
        let folded: Vec<KeyedStatus> = cores::each_on_a_thread((0..threads).collect(), |part| {
            StatusFold::fold_keyed(dealt.iter().flat_map(|(_, parts)| {
                parts[part]
                    .iter()
                    .map(|&at| (at, events[at].0, events[at].1))
            }))
        });
        state.undecodable = dealt
            .into_iter()
            .flat_map(|(undecodable, _)| undecodable)
            .collect();
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
        let closed = merge_runs(anomalies, |&(at, _, _)| at);
        // Each inversion goes before the anomalies of the groups that close
        // at its event or later: a group closes at the first event of the
        // next one (after that event's inversion), or at the end.
        let mut inversions = self.inversions.into_iter().peekable();
        for (_, group, anomaly) in closed {
            // The groups rise along the log; anomalies are few.
            let closes_at = events.partition_point(|&(other, _)| other <= group);
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
