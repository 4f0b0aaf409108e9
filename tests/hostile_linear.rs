//! Linear work for every arrival order (issue 14): the adversarial shapes of
//! a concurrency group — many work packages at one Lamport clock whose first
//! valid moves arrive in reverse order of their first appearance, many
//! mission events in one clock group whose ids run against their timestamps
//! — fed to each reducer path at size n and 2n. The steps counted by
//! `reduce::work` (not wall time) must at most about double: a quadratic
//! path quadruples them.
//!
//! The bound is 2.25×: the groups are put in order by one sort, n log n,
//! whose ratio at these sizes is 2(1 + 1/log2 n) < 2.2.

#[path = "support/mission_logs.rs"]
mod mission_logs;

use mission_logs::{E, events, phase, started, wp};
use proptest::prelude::*;
use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::{reduce_lifecycle_events, reduce_status_events, work};

/// `n` work packages at clock 1: each first appears with a move that is
/// refused (from a lane it is not in), then their valid first moves arrive
/// in reverse order. Every valid move belongs before the ones already made.
fn wps_reversed(n: u64) -> Vec<Event> {
    let mut parts = Vec::new();
    for i in 0..n {
        let wp_id = format!("WP{i:06}");
        parts.push(
            E::new(
                i + 1,
                "WPStatusChanged",
                wp(&wp_id, Some("planned"), "claimed"),
                1,
            )
            .at(i as i64),
        );
    }
    for i in 0..n {
        let wp_id = format!("WP{:06}", n - 1 - i);
        parts.push(
            E::new(n + i + 1, "WPStatusChanged", wp(&wp_id, None, "planned"), 1).at((n + i) as i64),
        );
    }
    events(&parts)
}

/// A mission started at clock 1, then `n` phases entered at clock 2 whose
/// ids fall as their timestamps rise: each arrives sorting first by id.
fn phases_reversed(n: u64) -> Vec<Event> {
    let mut parts = vec![E::new(1, "MissionStarted", started("specify"), 1)];
    for i in 0..n {
        parts
            .push(E::new(10 * n - i, "PhaseEntered", phase(&format!("p{i}")), 2).at(10 + i as i64));
    }
    events(&parts)
}

/// The same `n` phases with ids rising with their timestamps: the lucky
/// order, for comparison.
fn phases_in_order(n: u64) -> Vec<Event> {
    let mut parts = vec![E::new(1, "MissionStarted", started("specify"), 1)];
    for i in 0..n {
        parts.push(E::new(2 + i, "PhaseEntered", phase(&format!("p{i}")), 2).at(10 + i as i64));
    }
    events(&parts)
}

fn steps(run: impl FnOnce()) -> u64 {
    work::reset();
    run();
    work::steps()
}

/// Steps at 2n over steps at n, for `log` through `reduce`.
fn ratio(log: fn(u64) -> Vec<Event>, reduce: fn(&[Event]), n: u64) -> f64 {
    let small = log(n);
    let large = log(2 * n);
    let a = steps(|| reduce(&small));
    let b = steps(|| reduce(&large));
    assert!(
        a > 0,
        "the work counter counts nothing: is the work-counter feature on?"
    );
    b as f64 / a as f64
}

fn lifecycle(events: &[Event]) {
    let _ = reduce_lifecycle_events(events);
}

fn status(events: &[Event]) {
    let _ = reduce_status_events(events);
}

const BOUND: f64 = 2.25;

#[test]
fn many_work_packages_at_one_clock_in_an_unlucky_order_cost_linear_work() {
    for reduce in [lifecycle as fn(&[Event]), status] {
        let r = ratio(wps_reversed, reduce, 2000);
        assert!(r <= BOUND, "work grew {r:.2}× when the input doubled");
    }
    // And the order they end in is the reference's: first appearance.
    let state = reduce_status_events(wps_reversed(3));
    let ids: Vec<&str> = state.wp_states().iter().map(|wp| wp.wp_id()).collect();
    assert_eq!(ids, ["WP000000", "WP000001", "WP000002"]);
}

#[test]
fn many_mission_events_in_one_clock_group_cost_linear_work_in_either_order() {
    for log in [phases_reversed as fn(u64) -> Vec<Event>, phases_in_order] {
        let r = ratio(log, lifecycle, 2000);
        assert!(r <= BOUND, "work grew {r:.2}× when the input doubled");
    }
    // The group applies by event id: the highest id (the first phase
    // written) is entered last.
    let state = reduce_lifecycle_events(phases_reversed(3));
    assert_eq!(state.phases_entered(), ["specify", "p2", "p1", "p0"]);
}

#[test]
fn replaying_log_text_of_either_shape_costs_linear_work() {
    for log in [wps_reversed as fn(u64) -> Vec<Event>, phases_reversed] {
        let text = |n| {
            log(n)
                .iter()
                .map(|e| e.to_json() + "\n")
                .collect::<String>()
        };
        let (small, large) = (text(1500), text(3000));
        let a = steps(|| drop(spec_kitty_events::log::replay_log(&small)));
        let b = steps(|| drop(spec_kitty_events::log::replay_log(&large)));
        assert!(b as f64 / a as f64 <= BOUND, "{a} then {b}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Any interleaving of the two unlucky shapes, at any size: the work
    /// stays within a constant per event (a quadratic path exceeds any).
    #[test]
    fn work_per_event_is_bounded_for_any_mix_of_the_shapes(
        wps in 1u64..600,
        phases in 1u64..600,
        seed in any::<u64>(),
    ) {
        let mut log = wps_reversed(wps);
        log.extend(phases_reversed(phases).into_iter().map(|e| {
            // Ids apart from the work packages', same clocks.
            let json = e.to_json().replace("01JKQ4V7C0000000", "01JKQ4V7C1000000");
            Event::from_json(&json).unwrap()
        }));
        let mut rng = seed;
        for i in (1..log.len()).rev() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            log.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let n = log.len() as u64;
        let used = steps(|| lifecycle(&log));
        // Per event: a step, an application, its share of one sort.
        let most = n * (4 + 64 - n.leading_zeros() as u64);
        prop_assert!(used <= most, "{used} steps for {n} events");
    }
}
