//! Work split over every core: the sort of the reducers' order keys, and the fold's threads.
//!
//! The result never depends on the number of threads: the keys are sorted
//! in parts, one per thread, and the parts merged (each merge itself split
//! over the threads at points found by binary search), which gives the
//! sorted order of the keys; keys that compare equal may come out in any
//! order, as from `sort_unstable`, and the caller settles them.

use std::cell::Cell;
use std::thread;

/// Below this many keys a sort runs on the calling thread, where threads cost
/// more than they save: an estimate, not a measurement (`benches/README.md`).
pub(crate) const PARALLEL_MIN: usize = 32 * 1024;

/// At most this many threads.
const MAX_THREADS: usize = 16;

thread_local! {
    /// The thread count [`with_threads`] sets on this thread.
    static FORCED: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `run` with the reducers' work split over `threads` threads whatever
/// the input's size (`1`: on the calling thread only), to test that the
/// results do not depend on it. Affects only calls made on this thread
/// while `run` runs.
pub fn with_threads<R>(threads: usize, run: impl FnOnce() -> R) -> R {
    let before = FORCED.replace(Some(threads.max(1)));
    let result = run();
    FORCED.set(before);
    result
}

/// How many threads to use for `len` items: [`threads_from`] with the
/// sort's threshold, [`PARALLEL_MIN`].
pub(crate) fn threads_for(len: usize) -> usize {
    threads_from(len, PARALLEL_MIN)
}

/// `make(i)` for every `i` of `items`, sorted by `key`, on `threads` threads.
pub(crate) fn sorted_by_key<I, T, K>(
    items: &[I],
    threads: usize,
    make: impl Fn(usize, &I) -> T + Sync,
    key: impl Fn(&T) -> K + Sync,
) -> Vec<T>
where
    I: Sync,
    T: Copy + Send + Sync,
    K: Ord,
{
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        let mut out: Vec<T> = items.iter().enumerate().map(|(i, x)| make(i, x)).collect();
        out.sort_unstable_by_key(&key);
        return out;
    }
    let part = items.len().div_ceil(threads);
    // Each thread makes and sorts one part.
    let parts: Vec<Vec<T>> = thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(part)
            .enumerate()
            .map(|(n, chunk)| {
                let (make, key) = (&make, &key);
                scope.spawn(move || {
                    let mut out: Vec<T> = chunk
                        .iter()
                        .enumerate()
                        .map(|(i, x)| make(n * part + i, x))
                        .collect();
                    out.sort_unstable_by_key(key);
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect()
    });
    let mut runs = parts;
    // Merge the runs two by two until one is left.
    while runs.len() > 1 {
        let mut next = Vec::with_capacity(runs.len().div_ceil(2));
        let mut pairs = runs.into_iter();
        while let Some(a) = pairs.next() {
            match pairs.next() {
                Some(b) => next.push(merge(&a, &b, threads, &key)),
                None => next.push(a),
            }
        }
        runs = next;
    }
    runs.pop().unwrap_or_default()
}

/// Merges two sorted runs on `threads` threads: the output is cut into
/// equal parts, each part's start found in both runs by binary search (the
/// "merge path"), and each part merged by its own thread.
fn merge<T, K>(a: &[T], b: &[T], threads: usize, key: &(impl Fn(&T) -> K + Sync)) -> Vec<T>
where
    T: Copy + Send + Sync,
    K: Ord,
{
    let len = a.len() + b.len();
    let Some(&first) = a.first().or(b.first()) else {
        return Vec::new();
    };
    let mut out = vec![first; len];
    let part = len.div_ceil(threads.max(1));
    // Where each part starts in `a` (its start in `b` is the rest).
    let cuts: Vec<(usize, usize)> = (0..=len)
        .step_by(part.max(1))
        .chain(std::iter::once(len))
        .map(|at| {
            let i = split(a, b, at, key);
            (i, at - i)
        })
        .collect();
    thread::scope(|scope| {
        let mut rest: &mut [T] = &mut out;
        for window in cuts.windows(2) {
            let ((a0, b0), (a1, b1)) = (window[0], window[1]);
            let (here, later) = rest.split_at_mut((a1 - a0) + (b1 - b0));
            rest = later;
            let (a, b) = (&a[a0..a1], &b[b0..b1]);
            scope.spawn(move || merge_into(a, b, here, key));
        }
    });
    out
}

/// How many of `a`'s items come among the first `at` items of the merge of
/// `a` and `b` (ties taken from `a` first).
fn split<T, K: Ord>(a: &[T], b: &[T], at: usize, key: &impl Fn(&T) -> K) -> usize {
    let (mut low, mut high) = (at.saturating_sub(b.len()), at.min(a.len()));
    while low < high {
        let mid = low + (high - low) / 2;
        // `a[mid]` is among the first `at` when it is not above `b[at - mid - 1]`.
        if key(&a[mid]) <= key(&b[at - mid - 1]) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// Merges sorted `a` and `b` into `out` (exactly as long as both).
fn merge_into<T: Copy, K: Ord>(a: &[T], b: &[T], out: &mut [T], key: &impl Fn(&T) -> K) {
    let (mut i, mut j) = (0, 0);
    for slot in out {
        let take_a = j == b.len() || (i < a.len() && key(&a[i]) <= key(&b[j]));
        if take_a {
            *slot = a[i];
            i += 1;
        } else {
            *slot = b[j];
            j += 1;
        }
    }
}

/// Below this many events a reducer folds on the calling thread: an
/// estimate, not a measurement. A fold step costs a few hundred ns on one
/// core and a thread tens of µs to start, so a split pays from a few
/// thousand events; the margin is for the merge and the partition.
pub(crate) const FOLD_PARALLEL_MIN: usize = 8 * 1024;

/// Below this many cores a fold runs on one. The split fold walks the
/// order in stretches on every core and folds the parts on every core, but
/// reads each work package event twice (to deal it, then to fold it) and
/// does more work in all (at 100k events the reducer took 92 ms of
/// processor time on two threads against 72 on one), so on two shared
/// cores it was slower (measured, `benches/README.md`); from four it
/// should gain. An estimate, not a measurement.
const FOLD_MIN_CORES: usize = 4;

/// How many threads a fold of `len` events uses: as [`threads_for`] (a
/// forced count whatever the size), with the fold's own thresholds.
pub(crate) fn fold_threads_for(len: usize) -> usize {
    let cores = match FORCED.get() {
        Some(threads) => return threads,
        None if len < FOLD_PARALLEL_MIN => return 1,
        None => threads_for(usize::MAX),
    };
    if cores < FOLD_MIN_CORES { 1 } else { cores }
}

/// `run(part)` for every part, each on a thread of its own, the results in
/// the parts' order. The last part runs on the calling thread, which would
/// otherwise only wait.
pub(crate) fn each_on_a_thread<T, R>(mut parts: Vec<T>, run: impl Fn(T) -> R + Sync) -> Vec<R>
where
    T: Send,
    R: Send,
{
    let Some(last) = parts.pop() else {
        return Vec::new();
    };
    let run = &run;
    thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || run(part)))
            .collect();
        let last = run(last);
        let mut results: Vec<R> = handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect();
        results.push(last);
        results
    })
}

/// How many threads to use for `len` items of work that pays for a thread
/// from `min` items on: the thread count [`with_threads`] forces, else one
/// below `min`, else every core.
pub(crate) fn threads_from(len: usize, min: usize) -> usize {
    match FORCED.get() {
        Some(threads) => threads,
        None if len < min => 1,
        None => thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_THREADS),
    }
}

/// `run` on each of up to `threads` consecutive parts of `items`, one thread
/// each (the first on the calling thread): the results in the parts'
/// order, whatever the thread count (one part, perhaps empty, on one
/// thread).
pub(crate) fn map_parts<T, R>(items: &[T], threads: usize, run: impl Fn(&[T]) -> R + Sync) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let part = items.len().div_ceil(threads.max(1)).max(1);
    let mut parts = items.chunks(part);
    let first = parts.next().unwrap_or_default();
    thread::scope(|scope| {
        let run = &run;
        let handles: Vec<_> = parts.map(|chunk| scope.spawn(move || run(chunk))).collect();
        let mut out = vec![run(first)];
        for handle in handles {
            out.push(
                handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        out
    })
}

/// `run` on each of `items`, one thread each (the first on the calling
/// thread).
pub(crate) fn for_each_mut<T: Send>(items: &mut [T], run: impl Fn(&mut T) + Sync) {
    let Some((first, rest)) = items.split_first_mut() else {
        return;
    };
    thread::scope(|scope| {
        let run = &run;
        for item in rest {
            scope.spawn(move || run(item));
        }
        run(first);
    });
}

/// `run` on each of up to `threads` consecutive stretches of `0..len`, one
/// thread each (the first on the calling thread): the results in the
/// stretches' order, whatever the thread count (one stretch, perhaps
/// empty, on one thread).
pub(crate) fn map_ranges<R: Send>(
    len: usize,
    threads: usize,
    run: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Vec<R> {
    let stretch = len.div_ceil(threads.max(1)).max(1);
    let starts: Vec<usize> = (0..len.max(1)).step_by(stretch).collect();
    map_parts(&starts, starts.len(), |own| {
        let start = own.first().copied().unwrap_or_default();
        run(start..(start + stretch).min(len))
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::sorted_by_key;

    proptest! {
        /// On any number of threads the keys come out as a serial sort
        /// gives them: the same sequence of keys, and each item once.
        #[test]
        fn sorts_as_one_thread_does(values in proptest::collection::vec(0u8..40, 0..400), threads in 1usize..9) {
            let sorted = sorted_by_key(&values, threads, |i, &v| (v, i), |&(v, _)| v);
            let mut expected: Vec<(u8, usize)> = values.iter().copied().zip(0..).collect();
            expected.sort();
            let keys: Vec<u8> = sorted.iter().map(|&(v, _)| v).collect();
            let expected_keys: Vec<u8> = expected.iter().map(|&(v, _)| v).collect();
            prop_assert_eq!(keys, expected_keys);
            let mut items = sorted.clone();
            items.sort();
            prop_assert_eq!(items, expected);
        }
    }
}
