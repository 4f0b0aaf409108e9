//! Replay benchmark: how close a replay comes to the cost of reading a log,
//! on the three renderings logs in the wild have, against the Python
//! reference.
//!
//! `cargo bench --bench replay` (options: `--sizes 10000,100000`,
//! `--service-sizes 1000,1000000`, `--python-up-to N` (default 100000),
//! `--out FILE`, default `target/bench/replay.json`). See `benches/README.md`.
//!
//! For each size it builds the seeded synthetic mission log of
//! `tests/support/synthetic_log.rs` (shuffled, 1% duplicate lines), writes it
//! compact, with Python's default separators and sorted as spec-kitty writes
//! (`replay/render.rs`), and measures on each, in the same run:
//!
//! - **floor**: serde_json into borrowed structs, sort, fold, no validation
//!   (`replay/floor.rs`);
//! - **end to end**: `replay_log`, text to state, everything validated;
//! - **process**: the whole `spec-kitty-events replay --json FILE` (the
//!   release binary), its wall time and its peak resident set;
//! - **python**: the Python reference 0.4.0a0's in-process parse and reduce
//!   of the same file (`benches/reference_replay.py`), and its ratio to the
//!   process;
//! - **phases** (read, order, fold, render, as the `replay` process runs
//!   them) on one core (`taskset -c 0`) and on all, and the serial share of
//!   a replay estimated from them (Amdahl's law, per phase);
//! - on the compact log only: the reducer on built events and one mission's
//!   projector, as information.
//!
//! Floor, end to end and process take turns, five rounds, and each keeps
//! its least time; so do the one-core and all-core phase children, three
//! rounds: the figures a ratio divides are measured in the same moments.
//!
//! Then the service shape (`replay/service.rs`): missions of 1,000 events
//! interleaved, one `ServiceProjector` for all (and, as information, one
//! `MissionProjector` each), ns per event from 1k to 1M events.

#[path = "../tests/support/synthetic_log.rs"]
mod synthetic_log;

#[path = "replay/children.rs"]
mod children;
#[path = "replay/floor.rs"]
mod floor;
#[path = "replay/render.rs"]
mod render;
#[path = "replay/service.rs"]
mod service;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use children::run_child;
use render::{Rendering, render_log};
use spec_kitty_events::log::{read_log, replay_log};
use spec_kitty_events::reduce::reduce_lifecycle_events;

const BINARY: &str = env!("CARGO_BIN_EXE_spec-kitty-events");

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

/// The best wall time of each closure over `runs` rounds, the closures
/// taking turns within a round. The figures that are divided by each other
/// (e2e and process by the floor) are so measured in the same moments: on a
/// shared machine whose speed drifts from minute to minute, a best of five
/// taken one figure after the other moved a ratio by a third between runs.
fn best_of_each(runs: usize, closures: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; closures.len()];
    for _ in 0..runs {
        for (slot, f) in best.iter_mut().zip(closures.iter_mut()) {
            let start = Instant::now();
            f();
            *slot = (*slot).min(start.elapsed());
        }
    }
    best
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// One whole `replay --json` process on `path`.
fn run_process(path: &Path) {
    let status = Command::new(BINARY)
        .args(["replay", "--json"])
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run the binary");
    black_box(status);
}

/// The peak resident set of the whole `replay --json` process, in bytes
/// (GNU time's `%M`, the child's `ru_maxrss`).
fn process_peak(path: &Path) -> Option<u64> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M", BINARY, "replay", "--json"])
        .arg(path)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let stderr = String::from_utf8(output.stderr).ok()?;
    let kib: u64 = stderr.lines().last()?.trim().parse().ok()?;
    Some(kib * 1024)
}

/// The Python reference's interpreter, installed by the test script.
fn reference_python() -> Option<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/reference-venv.sh");
    let output = Command::new(script).output().ok()?;
    let path = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
}

/// The reference's in-process parse and reduce of `path`, in seconds.
fn python_time(python: &Path, path: &Path) -> Option<f64> {
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference_replay.py");
    let output = Command::new(python).arg(driver).arg(path).output().ok()?;
    if !output.status.success() {
        eprintln!("reference: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    String::from_utf8(output.stdout)
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn phases(path: &Path, one_core: bool) -> Vec<f64> {
    run_child("--child-phases", path, one_core)
        .map(|out| {
            out.split_whitespace()
                .filter_map(|s| s.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The phases on one core and on all, the two children taking turns for
/// `rounds` rounds, each phase's least time kept: the serial share divides
/// one by the other, so both are measured in the same moments.
fn phases_one_and_all(path: &Path, rounds: usize) -> (Vec<f64>, Vec<f64>) {
    // A child that printed nothing (or failed) leaves what was kept.
    let least = |kept: Vec<f64>, new: Vec<f64>| -> Vec<f64> {
        match (kept.is_empty(), new.len() == kept.len()) {
            (true, _) => new,
            (false, true) => kept.iter().zip(&new).map(|(a, b)| a.min(*b)).collect(),
            (false, false) => kept,
        }
    };
    let (mut one, mut all) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        one = least(one, phases(path, true));
        all = least(all, phases(path, false));
    }
    (one, all)
}

struct Options {
    sizes: Vec<usize>,
    service_sizes: Vec<usize>,
    python_up_to: usize,
    out: PathBuf,
}

fn options(args: &[String]) -> Options {
    let mut options = Options {
        sizes: vec![10_000, 100_000],
        service_sizes: vec![1_000, 10_000, 100_000, 1_000_000],
        python_up_to: 100_000,
        out: PathBuf::from("target/bench/replay.json"),
    };
    let list = |s: &String| s.split(',').filter_map(|n| n.parse().ok()).collect();
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--sizes" => options.sizes = iter.next().map(list).unwrap_or_default(),
            "--service-sizes" => options.service_sizes = iter.next().map(list).unwrap_or_default(),
            "--python-up-to" => {
                options.python_up_to = iter.next().and_then(|n| n.parse().ok()).unwrap_or(0)
            }
            "--out" => options.out = iter.next().map(PathBuf::from).unwrap_or(options.out),
            _ => {} // cargo bench passes `--bench`
        }
    }
    options
}

/// The phases `--child-phases` times, in the order it prints them (then
/// the whole-text path's load, and the cores it could use).
const PHASES: [&str; 4] = ["read", "order", "fold", "render"];

/// The serial part of a replay, estimated from its phases' times on one
/// core and on all.
struct SerialSplit {
    /// The cores the all-core run could use.
    cores: usize,
    /// Per phase, Amdahl's serial fraction `s`, from
    /// `T_all = T_1 * (s + (1 - s) / cores)`, kept within 0..=1.
    fractions: Vec<f64>,
    /// The phases' serial time, `s * T_1` summed, over their one-core time.
    share: f64,
}

fn serial_split(one: &[f64], all: &[f64]) -> SerialSplit {
    let cores = all.get(PHASES.len() + 1).map_or(1, |&n| n as usize).max(1);
    let n = cores as f64;
    let fractions: Vec<f64> = (0..PHASES.len())
        .map(|at| match (one.get(at), all.get(at)) {
            (Some(&t1), Some(&tn)) if cores > 1 && t1 > 0.0 => {
                ((tn / t1 - 1.0 / n) / (1.0 - 1.0 / n)).clamp(0.0, 1.0)
            }
            // On one core nothing tells the parts apart: all serial.
            _ => 1.0,
        })
        .collect();
    let total: f64 = one.iter().take(PHASES.len()).sum();
    let serial: f64 = one.iter().zip(&fractions).map(|(t, s)| t * s).sum();
    SerialSplit {
        cores,
        fractions,
        share: serial / total,
    }
}

fn measure_renderings(
    size: usize,
    dir: &Path,
    python: Option<&Path>,
    rows: &mut Vec<serde_json::Value>,
) {
    let compact = synthetic_log::mission_log(synthetic_log::wps_for_events(size), 42);
    let runs = if size >= 1_000_000 { 1 } else { 5 };
    for rendering in Rendering::ALL {
        let text = render_log(&compact, rendering);
        let path = dir.join(format!("mission-{size}-{}.jsonl", rendering.name()));
        std::fs::write(&path, &text).expect("write the log");
        let [floor, end_to_end, process] = best_of_each(
            runs,
            &mut [
                &mut || {
                    black_box(floor::floor(black_box(&text)));
                },
                &mut || {
                    black_box(replay_log(black_box(&text)));
                },
                &mut || run_process(&path),
            ],
        )[..] else {
            unreachable!("three closures, three times")
        };
        let peak = process_peak(&path);
        let python = python.and_then(|p| python_time(p, &path));
        let (one, all) = phases_one_and_all(&path, runs.min(3));
        let split = serial_split(&one, &all);
        let row = json!({
            "events": text.lines().count(),
            "rendering": rendering.name(),
            "log_bytes": text.len(),
            "floor_s": secs(floor),
            "end_to_end_s": secs(end_to_end),
            "end_to_end_over_floor": secs(end_to_end) / secs(floor),
            "process_s": secs(process),
            "process_over_floor": secs(process) / secs(floor),
            "process_peak_rss_bytes": peak,
            "process_peak_over_log": peak.map(|p| p as f64 / text.len() as f64),
            "python_s": python,
            "python_over_process": python.map(|p| p / secs(process)),
            "phases": PHASES,
            "phases_one_core_s": one,
            "phases_all_cores_s": all,
            "cores": split.cores,
            "serial_fraction_per_phase": split.fractions,
            "serial_share_of_one_core": split.share,
        });
        println!(
            "{:>8} {:>8} {:>7.1} {:>8.4} {:>8.4} {:>6.2} {:>8.4} {:>6.2} {:>8.1} {:>5.2} {:>8} {:>7}",
            row["events"],
            rendering.name(),
            text.len() as f64 / 1e6,
            secs(floor),
            secs(end_to_end),
            row["end_to_end_over_floor"].as_f64().unwrap_or(f64::NAN),
            secs(process),
            row["process_over_floor"].as_f64().unwrap_or(f64::NAN),
            peak.unwrap_or(0) as f64 / 1e6,
            row["process_peak_over_log"].as_f64().unwrap_or(f64::NAN),
            python.map_or("-".to_owned(), |p| format!("{p:.3}")),
            row["python_over_process"]
                .as_f64()
                .map_or("-".to_owned(), |r| format!("{r:.1}")),
        );
        for (at, name) in PHASES.iter().enumerate() {
            println!(
                "{:>26} {name:>7}: 1 core {:>8.4} s, all {:>8.4} s, serial fraction {:>5.2}",
                "",
                one.get(at).copied().unwrap_or(f64::NAN),
                all.get(at).copied().unwrap_or(f64::NAN),
                split.fractions.get(at).copied().unwrap_or(f64::NAN),
            );
        }
        println!(
            "{:>26} (the whole-text path's load, not a phase of the process: {:.4} s on 1 core)",
            "",
            one.get(PHASES.len()).copied().unwrap_or(f64::NAN),
        );
        println!(
            "{:>26} serial (Amdahl, {} cores): {:.1}% of the one-core time",
            "",
            split.cores,
            100.0 * split.share
        );
        if rendering == Rendering::Compact {
            let events = read_log(&text).into_events();
            let reducer = best_of(runs, || {
                black_box(reduce_lifecycle_events(black_box(&events)));
            });
            let projector: u64 = run_child("--child-projector", &path, false)
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0);
            println!(
                "{:>26} reducer {:.4} s ({:.2}x floor); one mission's projector {projector} ns/event",
                "",
                secs(reducer),
                secs(reducer) / secs(floor)
            );
            rows.push(json!({
                "events": row["events"],
                "reducer_s": secs(reducer),
                "reducer_over_floor": secs(reducer) / secs(floor),
                "single_mission_projector_ns_per_event": projector,
            }));
        }
        rows.push(row);
        let _ = std::fs::remove_file(&path);
    }
}

fn measure_service(sizes: &[usize], dir: &Path, rows: &mut Vec<serde_json::Value>) {
    println!(
        "\nservice: missions of {} events ({} WPs) interleaved; one ServiceProjector, \
         and one MissionProjector per mission as information; events cloned in \
         batches of 1,000 just before they are applied, and (cold) all cloned first",
        service::EVENTS_PER_MISSION,
        service::WPS
    );
    println!(
        "{:>9} {:>9} {:>9} {:>6} {:>12} {:>6} {:>9} {:>6} {:>12} {:>6} {:>9}",
        "events",
        "missions",
        "ns/event",
        "x1k",
        "per-mission",
        "x1k",
        "cold",
        "x1k",
        "per-m. cold",
        "x1k",
        "anomalies"
    );
    let mut smallest = None;
    for &size in sizes {
        let missions = (size / service::EVENTS_PER_MISSION).max(1);
        let text = service::service_log(missions, 7);
        let path = dir.join(format!("service-{size}.jsonl"));
        std::fs::write(&path, &text).expect("write the log");
        drop(text);
        let out = run_child("--child-service", &path, false).unwrap_or_default();
        let fields: Vec<u64> = out
            .split_whitespace()
            .filter_map(|s| s.parse::<u64>().ok())
            .collect();
        let field = |i: usize| fields.get(i).copied().unwrap_or(0);
        let figures = [field(0), field(2), field(4), field(5)];
        let anomalies = field(1) + field(3);
        let base = *smallest.get_or_insert(figures);
        let growth: Vec<f64> = figures
            .iter()
            .zip(base)
            .map(|(&ns, base)| ns as f64 / base as f64)
            .collect();
        println!(
            "{:>9} {missions:>9} {:>9} {:>6.2} {:>12} {:>6.2} {:>9} {:>6.2} {:>12} {:>6.2} {anomalies:>9}",
            missions * service::EVENTS_PER_MISSION,
            figures[0],
            growth[0],
            figures[1],
            growth[1],
            figures[2],
            growth[2],
            figures[3],
            growth[3],
        );
        rows.push(json!({
            "service_events": missions * service::EVENTS_PER_MISSION,
            "missions": missions,
            "ns_per_event": figures[0],
            "over_smallest": growth[0],
            "per_mission_projectors_ns_per_event": figures[1],
            "per_mission_over_smallest": growth[1],
            "cold_ns_per_event": figures[2],
            "cold_over_smallest": growth[2],
            "per_mission_cold_ns_per_event": figures[3],
            "per_mission_cold_over_smallest": growth[3],
            "anomalies": anomalies,
        }));
        let _ = std::fs::remove_file(&path);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if children::child_main(&args) {
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "--write-logs") {
        // For profiling: the logs the bench measures, written to a folder.
        let dir = Path::new(&args[at + 1]);
        let size = args
            .get(at + 2)
            .and_then(|n| n.parse().ok())
            .unwrap_or(100_000);
        let compact = synthetic_log::mission_log(synthetic_log::wps_for_events(size), 42);
        for rendering in Rendering::ALL {
            let path = dir.join(format!("mission-{size}-{}.jsonl", rendering.name()));
            std::fs::write(path, render_log(&compact, rendering)).expect("write the log");
        }
        let missions = (size / service::EVENTS_PER_MISSION).max(1);
        let path = dir.join(format!("service-{size}.jsonl"));
        std::fs::write(path, service::service_log(missions, 7)).expect("write the log");
        return;
    }
    let options = options(&args);
    let dir = std::env::temp_dir().join(format!("spec-kitty-events-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let python = reference_python();
    if python.is_none() {
        eprintln!(
            "the Python reference is not installed (scripts/reference-venv.sh): no ratio to it"
        );
    }
    println!(
        "{:>8} {:>8} {:>7} {:>8} {:>8} {:>6} {:>8} {:>6} {:>8} {:>5} {:>8} {:>7}",
        "events",
        "render",
        "MB",
        "floor s",
        "e2e s",
        "x",
        "proc s",
        "x",
        "peak MB",
        "x log",
        "python s",
        "py/proc"
    );
    let mut rows = Vec::new();
    for &size in &options.sizes {
        let python = python.as_deref().filter(|_| size <= options.python_up_to);
        measure_renderings(size, &dir, python, &mut rows);
    }
    measure_service(&options.service_sizes, &dir, &mut rows);
    let _ = std::fs::remove_dir_all(&dir);
    if let Some(parent) = options.out.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let json = json!({ "benchmark": "replay", "rows": rows });
    match std::fs::write(
        &options.out,
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    ) {
        Ok(()) => println!("figures written to {}", options.out.display()),
        Err(e) => eprintln!("could not write {}: {e}", options.out.display()),
    }
}
