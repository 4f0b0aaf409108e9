//! Adversarial benchmark: one case per hostile shape of a log, each reduced
//! at n and 2n events, to show the time grows linearly (×2, not ×4) in
//! every arrival order.
//!
//! `cargo bench --bench adversarial` (option: `--sizes 20000,40000`).
//!
//! Cases (`reduce_lifecycle_events` on built events, best of 3):
//!
//! - **wps reversed**: n/2 work packages at one Lamport clock, each first
//!   seen with a refused move, their valid first moves arriving in reverse;
//! - **wps in order**: the same moves, valid first moves in order (the lucky
//!   order, for comparison);
//! - **phases reversed**: n phases entered in one clock group, ids falling
//!   as timestamps rise;
//! - **phases in order**: the same, ids rising;
//! - **causal chain inverted**: a chain of n events, each caused by the one
//!   before but with a lower clock (every one moved, every one an anomaly);
//! - **conflicting copies**: n/2 event ids, each twice with other content;
//! - **self-caused**: n events each naming itself as its cause.
//!
//! Figures are printed; the README records one run.

#[path = "../tests/support/mission_logs.rs"]
mod mission_logs;

use std::hint::black_box;
use std::time::{Duration, Instant};

use mission_logs::{E, events, phase, started, wp};
use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::reduce_lifecycle_events;

fn wps(n: u64, reversed: bool) -> Vec<Event> {
    let half = n / 2;
    let mut parts = Vec::new();
    for i in 0..half {
        let wp_id = format!("WP{i:07}");
        let refused = wp(&wp_id, Some("planned"), "claimed");
        parts.push(E::new(i + 1, "WPStatusChanged", refused, 1).at(i as i64));
    }
    for i in 0..half {
        let k = if reversed { half - 1 - i } else { i };
        let first = wp(&format!("WP{k:07}"), None, "planned");
        parts.push(E::new(half + i + 1, "WPStatusChanged", first, 1).at((half + i) as i64));
    }
    events(&parts)
}

fn phases(n: u64, reversed: bool) -> Vec<Event> {
    let mut parts = vec![E::new(1, "MissionStarted", started("specify"), 1)];
    for i in 0..n {
        let number = if reversed { 10 * n - i } else { 2 + i };
        parts.push(E::new(number, "PhaseEntered", phase(&format!("p{i}")), 2).at(10 + i as i64));
    }
    events(&parts)
}

fn chain_inverted(n: u64) -> Vec<Event> {
    let mut parts = vec![E::new(1, "MissionStarted", started("specify"), n + 1)];
    for i in 2..=n {
        parts.push(
            E::new(i, "PhaseEntered", phase(&format!("p{i}")), n + 1 - i)
                .at(i as i64)
                .caused_by(i - 1),
        );
    }
    events(&parts)
}

fn conflicting(n: u64) -> Vec<Event> {
    let mut parts = Vec::new();
    for i in 0..n / 2 {
        let wp_id = format!("WP{i:07}");
        parts.push(E::new(
            i + 1,
            "WPStatusChanged",
            wp(&wp_id, None, "planned"),
            i + 1,
        ));
        parts.push(E::new(
            i + 1,
            "WPStatusChanged",
            wp(&wp_id, None, "claimed"),
            i + 1,
        ));
    }
    events(&parts)
}

fn self_caused(n: u64) -> Vec<Event> {
    let mut parts = vec![E::new(1, "MissionStarted", started("specify"), 1)];
    for i in 2..=n {
        parts.push(E::new(i, "PhaseEntered", phase("p"), i).caused_by(i));
    }
    events(&parts)
}

/// Builds a case's log of about n events.
type Build = fn(u64) -> Vec<Event>;

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let mut sizes = vec![20_000u64, 40_000];
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--sizes")
        && let Some(list) = args.get(at + 1)
    {
        sizes = list.split(',').filter_map(|s| s.parse().ok()).collect();
    }
    let cases: [(&str, Build); 7] = [
        ("wps reversed", |n| wps(n, true)),
        ("wps in order", |n| wps(n, false)),
        ("phases reversed", |n| phases(n, true)),
        ("phases in order", |n| phases(n, false)),
        ("causal chain inverted", chain_inverted),
        ("conflicting copies", conflicting),
        ("self-caused", self_caused),
    ];
    println!("| case | events | seconds | ×previous size |");
    println!("|---|---:|---:|---:|");
    for (name, build) in cases {
        let mut previous: Option<Duration> = None;
        for &n in &sizes {
            let log = build(n);
            let took = best_of(3, || {
                black_box(reduce_lifecycle_events(black_box(&log)));
            });
            let ratio = previous.map_or("-".to_owned(), |p| {
                format!("{:.2}", took.as_secs_f64() / p.as_secs_f64())
            });
            println!(
                "| {name} | {} | {:.4} | {ratio} |",
                log.len(),
                took.as_secs_f64()
            );
            previous = Some(took);
        }
    }
}
