//! spec-kitty's status diary: every real mission materialized in one
//! process, against spec-kitty-events 11.0.0's `diary.reduce` and its JSON
//! rendering over the same folders; and one `status --json` process on the
//! largest mission.
//!
//! `cargo bench --bench diary` (option `--runs N`, default 5). The missions
//! are `tests/data/real-logs-2026` and `tests/data/real-logs`; the Python
//! reference is the one the test script installs
//! (`scripts/reference-venv.sh v11`), driven by `benches/reference_diary.py`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use spec_kitty_events::spec_kitty::{MissionLog, MissionMeta, materialize_on};

const BINARY: &str = env!("CARGO_BIN_EXE_spec-kitty-events");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

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

/// Every mission folder (one holding `status.events.jsonl`) of both sets.
fn missions() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for set in ["real-logs-2026", "real-logs"] {
        let Ok(entries) = std::fs::read_dir(Path::new(DATA).join(set)) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.path().join("status.events.jsonl").is_file() {
                dirs.push(entry.path());
            }
        }
    }
    dirs.sort();
    dirs
}

/// A mission folder's log and its `meta.json` (the default without one),
/// read as the `status --json` command reads them.
fn read_mission(dir: &Path) -> (String, MissionMeta) {
    let log = std::fs::read_to_string(dir.join("status.events.jsonl")).expect("read the log");
    let meta = std::fs::read_to_string(dir.join("meta.json"))
        .ok()
        .and_then(|meta| MissionMeta::parse(&meta).ok())
        .unwrap_or_default();
    (log, meta)
}

/// Materializes every folder as the `status --json` command does (the log
/// read, `meta.json` when there is one, the era decided from the log),
/// one after the other; returns the bytes of `status.json` written.
fn materialize_all(dirs: &[PathBuf]) -> usize {
    dirs.iter()
        .map(|dir| {
            let (log, meta) = read_mission(dir);
            black_box(
                MissionLog {
                    log: &log,
                    meta: &meta,
                }
                .materialize(),
            )
            .len()
        })
        .sum()
}

/// The same on `threads` threads: every log and `meta.json` read, then
/// `materialize_on` shares the missions among the threads.
fn materialize_many(dirs: &[PathBuf], threads: usize) -> usize {
    let inputs: Vec<(String, MissionMeta)> = dirs.iter().map(|dir| read_mission(dir)).collect();
    let missions: Vec<MissionLog<'_>> = inputs
        .iter()
        .map(|(log, meta)| MissionLog { log, meta })
        .collect();
    black_box(materialize_on(&missions, threads))
        .iter()
        .map(String::len)
        .sum()
}

/// The floors under any reader of these folders, each best of `runs`: the
/// files alone read (as [`read_mission`] reads them), on one thread and
/// shared among `threads` threads, then on one thread each line also
/// checked to be JSON (serde_json into `IgnoredAny`: nothing kept), the
/// least a reader that must name a line that is not JSON can do.
fn floors(dirs: &[PathBuf], runs: usize, threads: usize) -> (Duration, Duration, Duration) {
    let read = best_of(runs, || {
        for dir in dirs {
            black_box(read_mission(dir));
        }
    });
    let read_on_every_core = best_of(runs, || {
        std::thread::scope(|scope| {
            for share in dirs.chunks(dirs.len().div_ceil(threads.max(1)).max(1)) {
                scope.spawn(move || {
                    for dir in share {
                        black_box(read_mission(dir));
                    }
                });
            }
        });
    });
    let checked = best_of(runs, || {
        for dir in dirs {
            let (log, meta) = read_mission(dir);
            for line in log.lines().filter(|line| !line.trim().is_empty()) {
                black_box(serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok());
            }
            black_box(meta);
        }
    });
    (read, read_on_every_core, checked)
}

fn reference(dirs: &[PathBuf], runs: usize) -> Option<(f64, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = Command::new(root.join("scripts/reference-venv.sh"))
        .arg("v11")
        .output()
        .ok()?;
    let python = String::from_utf8(venv.stdout).ok()?.trim().to_owned();
    let output = Command::new(python)
        .arg(root.join("benches/reference_diary.py"))
        .arg(runs.to_string())
        .args(dirs)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let mut fields = text.split_whitespace();
    let seconds = fields.next()?.parse().ok()?;
    Some((seconds, fields.collect::<Vec<_>>().join(" ")))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|at| args.get(at + 1)?.parse().ok())
        .unwrap_or(5);
    let dirs = missions();
    let log_bytes: u64 = dirs
        .iter()
        .filter_map(|d| std::fs::metadata(d.join("status.events.jsonl")).ok())
        .map(|m| m.len())
        .sum();
    let mut written = 0;
    let ours = best_of(runs, || written = materialize_all(&dirs));
    println!(
        "{} missions, {:.1} MB of logs: materialized in {:.2} ms (best of {runs}), {written} bytes of status.json",
        dirs.len(),
        log_bytes as f64 / 1e6,
        ours.as_secs_f64() * 1e3
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut many_written = 0;
    let many = best_of(runs, || many_written = materialize_many(&dirs, cores));
    assert_eq!(
        many_written, written,
        "the threads write the same documents"
    );
    println!(
        "on {cores} threads (materialize_missions): {:.2} ms (best of {runs})",
        many.as_secs_f64() * 1e3
    );
    let (read, read_on_every_core, checked) = floors(&dirs, runs, cores);
    println!(
        "floors: the files read {:.2} ms on one thread, {:.2} ms on {cores}; \
         read and every line checked as JSON {:.2} ms on one thread",
        read.as_secs_f64() * 1e3,
        read_on_every_core.as_secs_f64() * 1e3,
        checked.as_secs_f64() * 1e3
    );
    match reference(&dirs, runs.min(3)) {
        Some((seconds, counts)) => {
            println!(
                "11.0.0 diary.reduce + json.dumps: {:.2} ms (materialized, refused: {counts}); \
                 ratio {:.1}x on one thread, {:.1}x on {cores}",
                seconds * 1e3,
                seconds / ours.as_secs_f64(),
                seconds / many.as_secs_f64()
            );
            println!(
                "11.0.0 over the floors: {:.1}x the files read ({:.1}x on {cores}), \
                 {:.1}x read and checked as JSON",
                seconds / read.as_secs_f64(),
                seconds / read_on_every_core.as_secs_f64(),
                seconds / checked.as_secs_f64()
            );
        }
        None => eprintln!("the 11.0.0 reference is not installed (scripts/reference-venv.sh v11)"),
    }
    let largest = dirs
        .iter()
        .max_by_key(|d| std::fs::metadata(d.join("status.events.jsonl")).map_or(0, |m| m.len()))
        .expect("a mission");
    let process = best_of(runs.max(10), || {
        let status = Command::new(BINARY)
            .args(["status", "--json"])
            .arg(largest)
            .stdout(Stdio::null())
            .status()
            .expect("run the binary");
        black_box(status);
    });
    println!(
        "status --json on the largest mission ({}): {:.2} ms (best of {})",
        largest
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
        process.as_secs_f64() * 1e3,
        runs.max(10)
    );
}
