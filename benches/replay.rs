//! Replay benchmark: how close the reducer comes to the cost of reading a log.
//!
//! `cargo bench --bench replay` (options: `--sizes 10000,100000`,
//! `--out FILE`, default `target/bench/replay.json`).
//!
//! For each size it builds the seeded synthetic mission log of
//! `tests/support/synthetic_log.rs` (shuffled, 1% duplicate lines) and
//! measures, in the same run:
//!
//! - **floor**: serde_json into borrowed `&str` structs (payload raw, then the
//!   WP payload read the same way), a sort by (lamport_clock, timestamp text,
//!   event_id), a fold of `to_lane` per WP into a `HashMap` — no validation;
//! - **end to end**: log text to `ReducedMissionState` through
//!   `replay_log`, every envelope and payload validated;
//! - **reducer**: `reduce_lifecycle_events` on already-built events;
//! - **projector**: the incremental projector fed the log in canonical order,
//!   per event, in a child process (a fresh heap), as the mean over at least
//!   a million applied events; compared with its own figure at the smallest
//!   size;
//! - **peak memory** of the end-to-end replay of the log file (`replay_file`,
//!   which streams it), in a child process (its peak resident set, `VmHWM`),
//!   against the file's size.
//!
//! Each figure is printed with its ratio to the floor (the projector's with
//! its ratio to the smallest size) and written as JSON. The other timings are
//! the best of several runs (one run at a million events).

#[path = "../tests/support/synthetic_log.rs"]
mod synthetic_log;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::value::RawValue;

use spec_kitty_events::log::{read_log, replay_file, replay_log};
use spec_kitty_events::reduce::MissionProjector;
use spec_kitty_events::reduce::{canonical_order, reduce_lifecycle_events};

#[derive(Deserialize)]
#[allow(dead_code)] // read to pay for reading them, as the floor must
struct FloorEvent<'a> {
    event_id: &'a str,
    event_type: &'a str,
    aggregate_id: &'a str,
    #[serde(borrow)]
    payload: &'a RawValue,
    timestamp: &'a str,
    node_id: &'a str,
    lamport_clock: u64,
    causation_id: Option<&'a str>,
    project_uuid: &'a str,
    project_slug: Option<&'a str>,
    correlation_id: &'a str,
    schema_version: &'a str,
    data_tier: u8,
}

#[derive(Deserialize)]
struct FloorWp<'a> {
    wp_id: &'a str,
    to_lane: &'a str,
}

/// The floor: parse, sort, fold, with no validation at all.
fn floor(text: &str) -> usize {
    let mut events: Vec<FloorEvent<'_>> = text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    events.sort_unstable_by(|a, b| {
        (a.lamport_clock, a.timestamp, a.event_id).cmp(&(b.lamport_clock, b.timestamp, b.event_id))
    });
    let mut lanes: HashMap<&str, &str> = HashMap::new();
    for event in &events {
        if event.event_type == "WPStatusChanged"
            && let Ok(wp) = serde_json::from_str::<FloorWp<'_>>(event.payload.get())
        {
            lanes.insert(wp.wp_id, wp.to_lane);
        }
    }
    lanes.len()
}

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

struct Figures {
    events: usize,
    bytes: usize,
    floor: Duration,
    end_to_end: Duration,
    reducer: Duration,
    projector_per_event: Duration,
    peak_rss_bytes: Option<u64>,
}

fn measure(size: usize, dir: &Path) -> Figures {
    let text = synthetic_log::mission_log(synthetic_log::wps_for_events(size), 42);
    let path = dir.join(format!("mission-{size}.jsonl"));
    std::fs::write(&path, &text).expect("write the log");
    let runs = if size >= 1_000_000 { 1 } else { 5 };

    let floor_time = best_of(runs, || {
        black_box(floor(black_box(&text)));
    });
    let end_to_end = best_of(runs, || {
        black_box(replay_log(black_box(&text)));
    });
    let events = read_log(&text).into_events();
    // The reducer borrows the events, as a caller that keeps them does.
    let reducer = best_of(runs, || {
        black_box(reduce_lifecycle_events(black_box(&events)));
    });
    let projector_per_event =
        Duration::from_nanos(figure_of_child("--child-projector", &path).unwrap_or(0));
    let peak_rss_bytes = figure_of_child("--child-replay", &path);
    Figures {
        events: text.lines().count(),
        bytes: text.len(),
        floor: floor_time,
        end_to_end,
        reducer,
        projector_per_event,
        peak_rss_bytes,
    }
}

/// Runs this binary again as `child_flag` on `path` and reads the number it
/// prints: a child's figures do not depend on what the other figures left in
/// this process's heap (at 1M events that moved the projector's by 2x).
fn figure_of_child(child_flag: &str, path: &Path) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe).arg(child_flag).arg(path).output().ok()?;
    String::from_utf8(output.stdout).ok()?.trim().parse().ok()
}

/// The child: the projector fed the log in canonical order; prints the mean
/// nanoseconds per event over at least a million applied events (a thousand
/// runs at 1k, one at 1M) — the same measure at every size, where best-of
/// a few runs would favour the small logs.
fn child_projector(path: &Path) {
    let text = std::fs::read_to_string(path).expect("read the log");
    let ordered = canonical_order(read_log(&text).into_events());
    drop(text);
    let runs = (1_000_000 / ordered.len().max(1)).max(1);
    let mut total = Duration::ZERO;
    for _ in 0..runs {
        let feed = ordered.clone();
        let start = Instant::now();
        let mut projector = MissionProjector::new();
        for event in feed {
            projector.apply(event);
        }
        black_box(projector.state());
        total += start.elapsed();
    }
    println!(
        "{}",
        total.as_nanos() / (runs * ordered.len().max(1)) as u128
    );
}

/// The child: replay the file from disk, print the peak resident set in bytes.
fn child_replay(path: &Path) {
    black_box(replay_file(path).expect("read the log"));
    println!("{}", vm_hwm_bytes().unwrap_or(0));
}

fn vm_hwm_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child-replay") {
        child_replay(Path::new(&args[at + 1]));
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "--child-projector") {
        child_projector(Path::new(&args[at + 1]));
        return;
    }
    let mut sizes = vec![10_000, 100_000, 1_000_000];
    let mut out = PathBuf::from("target/bench/replay.json");
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--sizes" => {
                sizes = iter
                    .next()
                    .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
                    .unwrap_or(sizes);
            }
            "--out" => out = iter.next().map(PathBuf::from).unwrap_or(out),
            _ => {} // cargo bench passes `--bench`
        }
    }
    let dir = std::env::temp_dir().join(format!("spec-kitty-events-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    let mut rows = Vec::new();
    println!(
        "{:>9} {:>9} {:>10} {:>10} {:>7} {:>10} {:>7} {:>12} {:>11} {:>7}",
        "events", "MB", "floor s", "e2e s", "x", "reduce s", "x", "proj ns/ev", "peak MB", "x file"
    );
    // The projector's figure is compared with its own at the smallest size.
    let mut smallest_projector: Option<Duration> = None;
    for size in sizes {
        let f = measure(size, &dir);
        let smallest = *smallest_projector.get_or_insert(f.projector_per_event);
        let projector_growth = secs(f.projector_per_event) / secs(smallest);
        let e2e_ratio = secs(f.end_to_end) / secs(f.floor);
        let reducer_ratio = secs(f.reducer) / secs(f.floor);
        let peak_ratio = f.peak_rss_bytes.map(|p| p as f64 / f.bytes as f64);
        println!(
            "{:>9} {:>9.1} {:>10.4} {:>10.4} {:>7.2} {:>10.4} {:>7.2} {:>12.0} {:>11.1} {:>7.2}",
            f.events,
            f.bytes as f64 / 1e6,
            secs(f.floor),
            secs(f.end_to_end),
            e2e_ratio,
            secs(f.reducer),
            reducer_ratio,
            f.projector_per_event.as_nanos(),
            f.peak_rss_bytes.unwrap_or(0) as f64 / 1e6,
            peak_ratio.unwrap_or(f64::NAN),
        );
        rows.push(serde_json::json!({
            "events": f.events,
            "log_bytes": f.bytes,
            "floor_s": secs(f.floor),
            "end_to_end_s": secs(f.end_to_end),
            "end_to_end_over_floor": e2e_ratio,
            "reducer_s": secs(f.reducer),
            "reducer_over_floor": reducer_ratio,
            "projector_ns_per_event": f.projector_per_event.as_nanos() as u64,
            "projector_over_smallest_size": projector_growth,
            "peak_rss_bytes": f.peak_rss_bytes,
            "peak_rss_over_log_bytes": peak_ratio,
        }));
    }
    let _ = std::fs::remove_dir_all(&dir);
    for row in &rows {
        println!(
            "projector at {} events: {:.2}x its time per event at the smallest size",
            row["events"],
            row["projector_over_smallest_size"]
                .as_f64()
                .unwrap_or(f64::NAN)
        );
    }
    if let Some(parent) = out.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let json = serde_json::json!({ "benchmark": "replay", "sizes": rows });
    match std::fs::write(
        &out,
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    ) {
        Ok(()) => println!("figures written to {}", out.display()),
        Err(e) => eprintln!("could not write {}: {e}", out.display()),
    }
}
