//! The figures measured in a child process: a fresh heap for each, and a
//! process that `taskset` can pin to one core.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use spec_kitty_events::contract::Event;
use spec_kitty_events::log::{read_log, read_reader, replay_file};
use spec_kitty_events::reduce::{
    MissionProjector, canonical_order, causal_order_len, reduce_lifecycle_events,
};

/// Runs this bench binary again as `flag` on `path` (under `taskset -c 0`
/// when `one_core`) and returns what it printed.
pub fn run_child(flag: &str, path: &Path, one_core: bool) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let output = if one_core {
        Command::new("taskset")
            .args(["-c", "0"])
            .arg(exe)
            .arg(flag)
            .arg(path)
            .output()
            .ok()?
    } else {
        Command::new(exe).arg(flag).arg(path).output().ok()?
    };
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).ok())?
}

/// Dispatches a child run; `false` when `args` names none.
pub fn child_main(args: &[String]) -> bool {
    let Some(at) = args.iter().position(|a| a.starts_with("--child-")) else {
        return false;
    };
    let path = Path::new(&args[at + 1]);
    match args[at].as_str() {
        "--child-replay" => child_replay(path),
        "--child-projector" => child_projector(path),
        "--child-service" => child_service(path),
        "--child-phases" => child_phases(path),
        other => eprintln!("unknown child {other}"),
    }
    true
}

/// Replays the file from disk, prints the peak resident set in bytes.
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

/// One mission's projector fed the log in canonical order; prints the mean
/// nanoseconds per event over at least a million applied events (a thousand
/// runs at 1k, one at 1M): the same measure at every size.
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

/// A service: one projector per mission, the events applied as they arrive
/// (the log's order); prints the mean nanoseconds per event over at least a
/// million applied events, and the anomalies of the last run (the missions
/// are valid: a count above zero means the measure is of the wrong thing).
fn child_service(path: &Path) {
    let text = std::fs::read_to_string(path).expect("read the log");
    let events = read_log(&text).into_events();
    drop(text);
    let runs = (1_000_000 / events.len().max(1)).max(1);
    let mut total = Duration::ZERO;
    let mut anomalies = 0;
    for _ in 0..runs {
        let feed = events.clone();
        let start = Instant::now();
        let mut projectors: HashMap<String, MissionProjector> = HashMap::new();
        for event in feed {
            match projectors.get_mut(event.aggregate_id()) {
                Some(projector) => projector.apply(event),
                None => {
                    let mut projector = MissionProjector::new();
                    let mission = event.aggregate_id().to_owned();
                    projector.apply(event);
                    projectors.insert(mission, projector);
                }
            }
        }
        total += start.elapsed();
        anomalies = projectors.values().map(|p| p.state().anomaly_count()).sum();
        black_box(projectors);
    }
    println!(
        "{} {anomalies}",
        total.as_nanos() / (runs * events.len().max(1)) as u128
    );
}

/// The phases of a replay as the command line runs them, each timed (best
/// of 5): `read` (the file to events through the process's streaming
/// reader, `read_reader`: reading and parsing overlap), `order` (the
/// reducers' causal order, `causal_order_len`), `fold` (the lifecycle
/// reducer, its ordering taken out) and `render` (the state as JSON); then
/// `load` (`std::fs::read`, what the whole-text path would read first: not
/// a phase of the process) and the cores this process may use. Prints the
/// six.
fn child_phases(path: &Path) {
    // Best of each: read, order, the whole reducer, render, load. The fold
    // is the best reducer less the best ordering (a difference taken run by
    // run would be noise: the reducer orders too).
    let mut best = [f64::MAX; 5];
    for _ in 0..5 {
        let start = Instant::now();
        let file = std::fs::File::open(path).expect("open the log");
        let (lists, bad_lines) = read_reader(file).expect("read the log");
        let read = start.elapsed();
        assert!(bad_lines.is_empty(), "the bench's logs have no bad line");
        let events: Vec<&Event> = lists.iter().flatten().collect();
        let start = Instant::now();
        black_box(causal_order_len(&events));
        let order = start.elapsed();
        let start = Instant::now();
        let state = reduce_lifecycle_events(events.iter().copied());
        let reduce = start.elapsed();
        let start = Instant::now();
        black_box(state.to_json());
        let render = start.elapsed();
        drop(events);
        drop(lists);
        let start = Instant::now();
        black_box(std::fs::read(path).expect("read the log"));
        let load = start.elapsed();
        for (slot, phase) in best.iter_mut().zip([read, order, reduce, render, load]) {
            *slot = slot.min(phase.as_secs_f64());
        }
    }
    best[2] = (best[2] - best[1]).max(0.0);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let figures: Vec<String> = best.iter().map(|s| format!("{s:.6}")).collect();
    println!("{} {cores}", figures.join(" "));
}
