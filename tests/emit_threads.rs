//! The emission API crosses threads and `.await` points: builders, the
//! emitter, its log and every error are `Send + Sync` (checked at compile
//! time), and work packages of one mission emitted from several threads
//! keep one strictly increasing clock and an unbroken chain each.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use static_assertions::assert_impl_all;

use spec_kitty_events::contract::{Actor, EventBuilder, ExecutionMode, Lane, Ulid, WpId};
use spec_kitty_events::emit::{
    Blocked, Canceled, Claimed, Done, EmitError, Emitter, EventLog, ForReview, InProgress, Mission,
    MissionActive, MissionAt, MissionCancelled, MissionCompleted, Planned, ResumeError,
    WorkPackage, WorkPackageAt,
};
use spec_kitty_events::reduce::reduce_lifecycle_events;
use spec_kitty_events::store::{FileClockStorage, InMemoryClockStorage, LamportClock};

assert_impl_all!(Emitter: Send, Sync);
assert_impl_all!(EventLog: Send, Sync);
assert_impl_all!(EventBuilder: Send, Sync);
assert_impl_all!(Mission<MissionActive>: Send, Sync);
assert_impl_all!(Mission<MissionCompleted>: Send, Sync);
assert_impl_all!(Mission<MissionCancelled>: Send, Sync);
assert_impl_all!(WorkPackage<Planned>: Send, Sync);
assert_impl_all!(WorkPackage<Claimed>: Send, Sync);
assert_impl_all!(WorkPackage<InProgress>: Send, Sync);
assert_impl_all!(WorkPackage<ForReview>: Send, Sync);
assert_impl_all!(WorkPackage<Done>: Send, Sync);
assert_impl_all!(WorkPackage<Blocked>: Send, Sync);
assert_impl_all!(WorkPackage<Canceled>: Send, Sync);
assert_impl_all!(MissionAt: Send, Sync);
assert_impl_all!(WorkPackageAt: Send, Sync);
assert_impl_all!(EmitError<WorkPackage<Planned>>: Send, Sync, std::error::Error);
assert_impl_all!(EmitError<Emitter>: Send, Sync, std::error::Error);
assert_impl_all!(ResumeError: Send, Sync, std::error::Error);
assert_impl_all!(spec_kitty_events::Error: Send, Sync);
assert_impl_all!(FileClockStorage: Send, Sync);

fn active_mission() -> (EventLog, Mission<MissionActive>) {
    let clock = LamportClock::new("node-a", InMemoryClockStorage::default()).unwrap();
    let emitter = Emitter::new(clock, Default::default(), Ulid::generate());
    let log = emitter.log();
    let rob: Actor = "rob".parse().unwrap();
    let mission = Mission::start(
        emitter,
        "M1".parse().unwrap(),
        "software-dev".parse().unwrap(),
        "implement".parse().unwrap(),
        &rob,
    )
    .unwrap();
    (log, mission)
}

#[test]
fn work_packages_of_one_mission_move_on_several_threads() {
    let (log, mission) = active_mission();
    let rob: Actor = "rob".parse().unwrap();
    let wps: Vec<WorkPackage<Planned>> = (1..=4)
        .map(|i| {
            let wp_id: WpId = format!("WP0{i}").parse().unwrap();
            WorkPackage::plan(&mission, wp_id, ExecutionMode::Worktree, &rob).unwrap()
        })
        .collect();
    std::thread::scope(|scope| {
        for wp in wps {
            let rob = rob.clone();
            scope.spawn(move || {
                let mut wp = wp.claim(&rob).unwrap().start(&rob).unwrap();
                for round in 0..20 {
                    let review = format!("review-{round}").parse().unwrap();
                    wp = wp
                        .submit(&rob)
                        .unwrap()
                        .request_changes(review, &rob)
                        .unwrap();
                }
                wp.submit(&rob).unwrap()
            });
        }
    });
    let events = log.take();
    // 1 start + 4 plans + 4 × (claim, start, 20 × 2, submit).
    assert_eq!(events.len(), 1 + 4 + 4 * (2 + 40 + 1));
    // One clock, ticked and pushed under one lock: emission order is clock
    // order, whichever thread emitted.
    assert!(
        events
            .windows(2)
            .all(|pair| pair[0].lamport_clock() < pair[1].lamport_clock())
    );
    let reduced = reduce_lifecycle_events(&events);
    assert_eq!(reduced.anomaly_count(), 0, "{:?}", reduced.to_json());
    for state in reduced.wp_states() {
        assert_eq!(state.current_lane(), Lane::ForReview, "{}", state.wp_id());
    }
}

/// Polls a future to completion on this thread (the futures here never
/// wait on anything but a yield).
fn block_on<F: Future>(future: F) -> F::Output {
    struct NoopWake;
    impl Wake for NoopWake {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(NoopWake));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// Yields once, so that whatever is alive across it is held over an
/// `.await` point.
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|_| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            Poll::Pending
        }
    })
    .await;
}

fn spawnable<F: Future + Send + 'static>(future: F) -> F {
    future
}

#[test]
fn a_work_package_is_held_across_await_in_a_send_future() {
    let (log, mission) = active_mission();
    let rob: Actor = "rob".parse().unwrap();
    let wp = WorkPackage::plan(
        &mission,
        "WP01".parse().unwrap(),
        ExecutionMode::Worktree,
        &rob,
    )
    .unwrap();
    // `spawnable` only accepts a `Send + 'static` future: one that a
    // multi-threaded executor may move between threads at each `.await`.
    let task = spawnable(async move {
        let wp = wp.claim(&rob)?;
        yield_now().await;
        let wp = wp.start(&rob)?;
        yield_now().await;
        Ok::<_, spec_kitty_events::Error>(wp.submit(&rob)?)
    });
    let wp = std::thread::spawn(move || block_on(task))
        .join()
        .unwrap()
        .unwrap();
    assert_eq!(wp.lane(), Lane::ForReview);
    assert_eq!(log.len(), 1 + 1 + 3);
}
