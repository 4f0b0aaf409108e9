//! `LamportClock`: ticks, updates, persistence, and its failure modes.

use proptest::prelude::*;
use spec_kitty_events::store::{ClockStorage, InMemoryClockStorage, LamportClock};
use spec_kitty_events::{Error, Result};

#[test]
fn a_new_node_starts_at_zero_and_ticks_from_one() {
    let mut clock = LamportClock::new("cli", InMemoryClockStorage::new()).unwrap();
    assert_eq!(clock.current(), 0);
    assert_eq!(clock.tick().unwrap(), 1);
    assert_eq!(clock.tick().unwrap(), 2);
    assert_eq!(clock.storage().load("cli").unwrap(), 2);
    assert_eq!(clock.node_id(), "cli");
}

#[test]
fn update_jumps_past_the_larger_of_local_and_remote() {
    let mut clock = LamportClock::new("cli", InMemoryClockStorage::new()).unwrap();
    clock.tick().unwrap();
    assert_eq!(clock.update(10).unwrap(), 11);
    // A remote value behind ours still advances the clock by one.
    assert_eq!(clock.update(3).unwrap(), 12);
    assert_eq!(clock.update(12).unwrap(), 13);
    assert_eq!(clock.storage().load("cli").unwrap(), 13);
}

#[test]
fn nodes_sharing_a_storage_keep_separate_values() {
    let mut a = LamportClock::new("a", InMemoryClockStorage::new()).unwrap();
    a.update(41).unwrap();
    let mut b = LamportClock::new("b", a.into_storage()).unwrap();
    assert_eq!(b.current(), 0);
    b.tick().unwrap();
    assert_eq!(b.storage().load("a").unwrap(), 42);
    assert_eq!(b.storage().load("b").unwrap(), 1);
}

#[test]
fn an_empty_node_id_is_rejected() {
    let err = LamportClock::new("", InMemoryClockStorage::new()).unwrap_err();
    match err {
        Error::Validation(e) => assert_eq!(e.field(), "node_id"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn the_clock_does_not_wrap_at_u64_max() {
    let mut storage = InMemoryClockStorage::new();
    storage.save("cli", u64::MAX).unwrap();
    let mut clock = LamportClock::new("cli", storage).unwrap();
    assert!(matches!(clock.tick(), Err(Error::Validation(e)) if e.field() == "lamport_clock"));
    assert!(matches!(clock.update(1), Err(Error::Validation(_))));
    assert_eq!(clock.current(), u64::MAX);
}

/// A storage whose saves fail once `fail` is set, to see that the clock does
/// not advance past what it could persist.
#[derive(Default)]
struct FlakyStorage {
    inner: InMemoryClockStorage,
    fail: bool,
}

impl ClockStorage for FlakyStorage {
    fn load(&self, node_id: &str) -> Result<u64> {
        self.inner.load(node_id)
    }
    fn save(&mut self, node_id: &str, value: u64) -> Result<()> {
        if self.fail {
            return Err(Error::storage("disk full"));
        }
        self.inner.save(node_id, value)
    }
}

#[test]
fn a_failed_save_leaves_the_clock_where_it_was() {
    let mut clock = LamportClock::new("cli", FlakyStorage::default()).unwrap();
    clock.tick().unwrap();
    let mut storage = clock.into_storage();
    storage.fail = true;
    let mut clock = LamportClock::new("cli", storage).unwrap();
    assert!(matches!(clock.tick(), Err(Error::Storage { .. })));
    assert!(matches!(clock.update(100), Err(Error::Storage { .. })));
    assert_eq!(clock.current(), 1);
}

#[derive(Debug, Clone)]
enum Op {
    Tick,
    Update(u64),
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Tick),
        (0u64..1_000_000).prop_map(Op::Update),
        Just(Op::Restart),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever happens, the clock only moves forward, every value it hands
    /// out is strictly larger than the last, it passes every remote value it
    /// sees, and a restart resumes from storage.
    #[test]
    fn the_clock_never_goes_backwards_and_resumes_from_storage(ops in prop::collection::vec(op(), 1..60)) {
        let mut clock = LamportClock::new("node", InMemoryClockStorage::new()).unwrap();
        let mut last = clock.current();
        for op in ops {
            match op {
                Op::Tick => {
                    let v = clock.tick().unwrap();
                    prop_assert_eq!(v, last + 1);
                    last = v;
                }
                Op::Update(remote) => {
                    let v = clock.update(remote).unwrap();
                    prop_assert!(v > last && v > remote);
                    prop_assert_eq!(v, last.max(remote) + 1);
                    last = v;
                }
                Op::Restart => {
                    clock = LamportClock::new("node", clock.into_storage()).unwrap();
                    prop_assert_eq!(clock.current(), last);
                }
            }
            prop_assert_eq!(clock.current(), last);
            prop_assert_eq!(clock.storage().load("node").unwrap(), last);
        }
    }
}
