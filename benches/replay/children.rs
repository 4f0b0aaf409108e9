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
    MissionProjector, ServiceProjector, canonical_order, causal_order_len, reduce_lifecycle_events,
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

/// The service shape: every event applied as it arrives (the log's order),
/// to one [`ServiceProjector`] for all the missions and, as information,
/// to one [`MissionProjector`] per mission; each projection fed two ways:
///
/// - **in batches**: the events cloned a thousand at a time, each batch
///   just before it is applied, as a service applies events its parser has
///   just made (in cache);
/// - **cold**: the whole log cloned first, then applied (at a million
///   events the events themselves are read back from memory).
///
/// Only the applies are timed, a batch of a thousand at a time, and each
/// batch's time is the least of [`RUNS`] runs of the whole log: on this
/// shared machine a run is often stopped for other processes (and, the
/// machine being a virtual one, for other machines), which only ever adds
/// time, and the CPU-time clocks count that too. Page faults on new memory
/// are left out (below). Prints the nanoseconds per
/// event of each, and the anomalies of the last run (the missions are
/// valid: a count above zero means the measure is of the wrong thing), as
/// `service anomalies per_mission anomalies service_cold per_mission_cold`.
fn child_service(path: &Path) {
    // New memory costs a page fault on its first touch, which this virtual
    // machine charges very unevenly; a held event takes the same bytes at
    // every size, so the faults are left out: glibc is told to keep what is
    // freed (this child runs itself again so told), and the least of the
    // runs is a run into memory already touched.
    const KEEP: &str = "MALLOC_TRIM_THRESHOLD_";
    if std::env::var_os(KEEP).is_none() {
        let exe = std::env::current_exe().expect("this bench binary");
        let output = Command::new(exe)
            .arg("--child-service")
            .arg(path)
            .env(KEEP, (1u64 << 40).to_string())
            .env("MALLOC_MMAP_THRESHOLD_", (32u64 << 20).to_string())
            .output()
            .expect("run the child again");
        print!("{}", String::from_utf8_lossy(&output.stdout));
        return;
    }
    let text = std::fs::read_to_string(path).expect("read the log");
    let events = read_log(&text).into_events();
    drop(text);
    let service = |cold: bool| {
        timed_feed(
            &events,
            cold,
            ServiceProjector::new,
            |service, event| {
                service.apply(event);
            },
            |service| {
                service
                    .missions()
                    .map(|mission| mission.state().anomaly_count())
                    .sum()
            },
        )
    };
    let per_mission = |cold: bool| {
        timed_feed(
            &events,
            cold,
            HashMap::<String, MissionProjector>::new,
            |projectors, event| match projectors.get_mut(event.aggregate_id()) {
                Some(projector) => projector.apply(event),
                None => {
                    let mut projector = MissionProjector::new();
                    let mission = event.aggregate_id().to_owned();
                    projector.apply(event);
                    projectors.insert(mission, projector);
                }
            },
            |projectors| projectors.values().map(|p| p.state().anomaly_count()).sum(),
        )
    };
    let (service_ns, service_anomalies) = service(false);
    let (per_mission_ns, anomalies) = per_mission(false);
    let (service_cold, _) = service(true);
    let (per_mission_cold, _) = per_mission(true);
    println!(
        "{service_ns} {service_anomalies} {per_mission_ns} {anomalies} {service_cold} {per_mission_cold}"
    );
}

/// Runs of the whole log per figure (see [`child_service`]).
const RUNS: usize = 5;

/// Feeds `events` to a new projection [`RUNS`] times, the events cloned a
/// batch at a time just before the batch is applied, or (`cold`) all cloned
/// first; times each batch's applies and keeps each batch's least time over
/// the runs. Returns the nanoseconds per event and the anomalies the last
/// run counted.
fn timed_feed<P>(
    events: &[Event],
    cold: bool,
    new: impl Fn() -> P,
    apply: impl Fn(&mut P, Event),
    anomalies: impl Fn(&P) -> usize,
) -> (u128, usize) {
    const BATCH: usize = 1_000;
    let mut least = vec![Duration::MAX; events.len().div_ceil(BATCH)];
    let mut counted = 0;
    for _ in 0..RUNS {
        let mut projection = new();
        // Cold: every event cloned now, before any batch is timed (a lazy
        // clone, as clippy suggests, would make each event hot).
        #[allow(clippy::unnecessary_to_owned)]
        let mut all = cold.then(|| events.to_vec().into_iter());
        for (part, least) in events.chunks(BATCH).zip(&mut least) {
            let elapsed = match all.as_mut() {
                Some(all) => {
                    let start = Instant::now();
                    for event in all.take(part.len()) {
                        apply(&mut projection, event);
                    }
                    start.elapsed()
                }
                None => {
                    let feed = part.to_vec();
                    let start = Instant::now();
                    for event in feed {
                        apply(&mut projection, event);
                    }
                    start.elapsed()
                }
            };
            *least = (*least).min(elapsed);
        }
        counted = anomalies(&projection);
        black_box(projection);
    }
    let total: Duration = least.iter().sum();
    (total.as_nanos() / events.len().max(1) as u128, counted)
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
