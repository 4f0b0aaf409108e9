//! The status fold split by work package over every core, for the batch
//! reducers (the projector folds one event at a time, on its own thread).
//!
//! A work package's replay reads only its own events and where the
//! concurrency groups fall: its lane before a group, its bucket in it, its
//! winner. Application clocks rise along the causal order, so a group is
//! the run of work package events at one clock, and an event's clock names
//! its group. So the order is walked in stretches, one thread each, every
//! stretch dealing its work package events to the parts by wp_id
//! ([`WpStretch`]); part `j` is every stretch's part `j`, in stretch order,
//! folded on its own thread; and the parts' results are merged into exactly
//! what the serial fold gives:
//!
//! - payloads that do not decode: in the order of the log (each stretch
//!   sets its own aside, in order);
//! - the anomalies of the groups: group by group, bucket by bucket (a work
//!   package's bucket sits where its first event of the group does), each
//!   bucket's own in the order its part closed it (forward moves, then
//!   rollbacks);
//! - the work packages, in the order they first entered a lane: by the
//!   bucket in which they did;
//! - (the status reducer) a causation inversion of the log, between the
//!   anomalies of the groups that close before its event and those of the
//!   groups that close at it or later, as the serial fold appends them:
//!   those are the groups from the clock of the work package event before
//!   it on (across a stretch's start, the last of an earlier stretch).
//!
//! The positions that order the merge are the events' places in the causal
//! order, so the result is the same on any number of threads (the rule
//! tests force 1 to 8).

use std::hash::BuildHasher;

use crate::contract::Event;
use crate::reduce::cores;
use crate::reduce::id_hash::IdHashBuilder;
use crate::reduce::status::fold::{KeyedStatus, StatusFold, change_of};
use crate::reduce::status::state::{ReducedStatus, TransitionAnomaly};

/// The work package events of one stretch of the causal order, dealt to
/// the parts of the split fold by work package: each thread walks its own
/// stretch ([`CausalOrder::for_each_in`](crate::reduce::causal::CausalOrder::for_each_in)),
/// and part `j` of the fold is every stretch's part `j`, in stretch order,
/// so each part holds its events in application order.
///
/// Dealing costs a hash of the wp_id per event, in the pass that has the
/// event in cache already.
#[derive(Debug)]
pub(crate) struct WpStretch<'a> {
    /// Each part's events: (position in the order, application clock, event).
    parts: Vec<Vec<(usize, u64, &'a Event)>>,
    hasher: IdHashBuilder,
    /// The clock of the last work package event pushed, and its event.
    last: Option<(u64, &'a Event)>,
    /// How many work package events were pushed.
    count: usize,
    /// The position of the first one.
    first_at: Option<usize>,
    /// Payloads that do not decode, in order.
    undecodable: Vec<TransitionAnomaly>,
    /// Causation inversions, each with its event's position and the clock
    /// of the work package event before it (`None`: none before it).
    inversions: Vec<(usize, Option<u64>, TransitionAnomaly)>,
}

impl<'a> WpStretch<'a> {
    /// Ready to deal to `threads` parts, by `hasher` (one for every
    /// stretch of a fold, so that a work package has one part).
    pub(crate) fn new(threads: usize, hasher: IdHashBuilder) -> Self {
        Self {
            parts: vec![Vec::new(); threads.max(1)],
            hasher,
            last: None,
            count: 0,
            first_at: None,
            undecodable: Vec::new(),
            inversions: Vec::new(),
        }
    }

    /// Takes the work package event at position `at`, applied at `clock`.
    pub(crate) fn push(&mut self, at: usize, clock: u64, event: &'a Event) {
        self.first_at.get_or_insert(at);
        self.last = Some((clock, event));
        self.count += 1;
        match change_of(event) {
            Ok(change) => {
                let hash = self.hasher.hash_one(change.wp_id.as_str());
                let part = (hash % self.parts.len() as u64) as usize;
                self.parts[part].push((at, clock, event));
            }
            Err(anomaly) => self.undecodable.push(anomaly),
        }
    }

    /// Records the causation inversion of the work package event at `at`,
    /// before it is [pushed](Self::push).
    pub(crate) fn inversion(&mut self, at: usize, anomaly: TransitionAnomaly) {
        let before = self.last.map(|(clock, _)| clock);
        self.inversions.push((at, before, anomaly));
    }

    /// How many work package events were pushed.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// The last work package event pushed.
    pub(crate) fn last(&self) -> Option<&'a Event> {
        self.last.map(|(_, event)| event)
    }
}

/// Folds the parts of `stretches` (in order, each dealt to `threads`
/// parts), each part on its own thread, into `state`: its work packages
/// and undecodable payloads are set, the anomalies appended.
pub(crate) fn fold_stretches(stretches: Vec<WpStretch<'_>>, state: &mut ReducedStatus) {
    let threads = stretches.first().map_or(1, |stretch| stretch.parts.len());
    let folded: Vec<KeyedStatus> = cores::each_on_a_thread((0..threads).collect(), |part| {
        // As `CausalOrder::for_each`: the events are read in application
        // order, not memory order; reading one word of each of a block
        // first lets the processor overlap the waits.
        let blocks = stretches
            .iter()
            .flat_map(|stretch| stretch.parts[part].chunks(BLOCK));
        StatusFold::fold_keyed(blocks.flat_map(|block| {
            let touched = block
                .iter()
                .fold(0u64, |sum, (_, _, event)| sum.wrapping_add(event.touch()));
            std::hint::black_box(touched);
            block.iter().copied()
        }))
    });
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
    // A stretch's first inversion may be at its first work package event:
    // the event before it is then the last of an earlier stretch.
    let mut before = None;
    let mut inversions = Vec::new();
    for stretch in stretches {
        state.undecodable.extend(stretch.undecodable);
        for (at, own_before, inversion) in stretch.inversions {
            let seam = stretch.first_at == Some(at);
            inversions.push((if seam { before } else { own_before }, inversion));
        }
        before = stretch.last.map(|(clock, _)| clock).or(before);
    }
    // Each inversion goes before the anomalies of the groups that close at
    // its event or later: clocks rise along the order, so those are the
    // groups from the one of the work package event before it on.
    let mut inversions = inversions.into_iter().peekable();
    for (_, clock, anomaly) in merge_runs(anomalies, |&(at, _, _)| at) {
        while let Some((_, inversion)) = inversions.next_if(|&(before, _)| before <= Some(clock)) {
            state.anomalies.push(inversion);
        }
        state.anomalies.push(anomaly);
    }
    state
        .anomalies
        .extend(inversions.map(|(_, inversion)| inversion));
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
