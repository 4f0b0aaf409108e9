//! A count of the reducers' steps, to test that their work grows linearly
//! with their input whatever its order: wall time would be a flaky measure
//! on a shared machine, a count of steps is exact.
//!
//! Counted: each event a fold steps through, each work package moved when
//! a concurrency group's new work packages are put in order, each mission
//! event applied (again) and each comparison made ordering a group. Behind
//! the `work-counter` feature; without it every count is a no-op and
//! [`steps`] is always 0. Per thread, so parallel tests do not mix counts.

#[cfg(feature = "work-counter")]
thread_local! {
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Adds `n` steps to this thread's count.
#[inline(always)]
pub(crate) fn count(n: usize) {
    #[cfg(feature = "work-counter")]
    STEPS.with(|steps| steps.set(steps.get() + n as u64));
    #[cfg(not(feature = "work-counter"))]
    let _ = n;
}

/// The steps counted on this thread since the last [`reset`].
pub fn steps() -> u64 {
    #[cfg(feature = "work-counter")]
    return STEPS.with(std::cell::Cell::get);
    #[cfg(not(feature = "work-counter"))]
    0
}

/// Sets this thread's count to 0.
pub fn reset() {
    #[cfg(feature = "work-counter")]
    STEPS.with(|steps| steps.set(0));
}
