//! `spec-kitty-events`: inspect, check and merge event logs from a shell.
//!
//! Exit codes: 0 when all is fine, 1 when problems were found (bad lines,
//! anomalies, contract deviations, a merge that cannot be done), 2 for a usage
//! error or input that cannot be read. Errors go to stderr; the command never
//! panics on bad input.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use spec_kitty_events::contract::{Event, Lane};
use spec_kitty_events::log::replay_log;
use spec_kitty_events::log::{LineError, read_log};
use spec_kitty_events::reduce::{ReducedMissionState, canonical_order};
use spec_kitty_events::spec_kitty::{
    StatusLogRead, check_rows, lift_rows, materialize_snapshot, read_status_log,
};

/// Inspect, check and merge spec-kitty event logs (JSON Lines).
#[derive(Parser)]
#[command(name = "spec-kitty-events", version, about, long_about = None)]
#[command(after_help = "Exit codes: 0 fine, 1 problems found, 2 usage error or unreadable input.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fold a JSONL event log into the mission state: status, phase, phases
    /// entered, work packages by lane, anomalies.
    ///
    /// Exits 1 when a line does not decode or the log has anomalies.
    Replay {
        /// The log (`-` reads standard input).
        file: String,
        /// Print the ReducedMissionState as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check every line of a JSONL event log: envelope and payload.
    ///
    /// Each bad line is reported with its number, its event_id when readable,
    /// the field and the reason, then a summary. Exits 1 when a line is bad.
    Validate {
        /// The log (`-` reads standard input).
        file: String,
    },
    /// Git merge driver for JSONL event logs: writes the union of OURS and
    /// THEIRS, by event_id and in canonical order, to OURS.
    ///
    /// Configure with `git config merge.spec-kitty-events.driver
    /// 'spec-kitty-events merge %O %A %B'` and `*.jsonl
    /// merge=spec-kitty-events` in .gitattributes. Exits 1, leaving OURS
    /// untouched, when a side has a line that does not decode.
    Merge(MergeArgs),
    /// Materialize spec-kitty's own status log (DIR/status.events.jsonl)
    /// as the spec-kitty CLI does its status.json.
    ///
    /// Prints a table; `--json` prints the status.json document, `--check`
    /// lists every row that breaks the 0.4.0 contract (exit 1 if any), and
    /// `--events` prints each row lifted to a canonical WPStatusChanged event.
    Status(StatusArgs),
}

#[derive(Args)]
struct MergeArgs {
    /// The common ancestor's version (`%O`); its events are on both sides.
    base: PathBuf,
    /// Our version (`%A`); the merge result is written here.
    ours: PathBuf,
    /// Their version (`%B`).
    theirs: PathBuf,
}

#[derive(Args)]
struct StatusArgs {
    /// A feature directory holding status.events.jsonl, the log file itself,
    /// or `-` for standard input.
    dir: String,
    /// Print the status.json document the spec-kitty CLI would write.
    #[arg(long, conflicts_with_all = ["check", "events"])]
    json: bool,
    /// List every row that breaks the contract; the snapshot is not changed.
    #[arg(long, conflicts_with = "events")]
    check: bool,
    /// Print every row lifted to its canonical event, as JSON Lines.
    #[arg(long)]
    events: bool,
}

/// Why a command did not succeed.
enum Failure {
    /// Problems were found in the input; already reported. Exit 1.
    Problems,
    /// The input could not be read or the call was wrong. Exit 2.
    Unusable(String),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version exit 0 on stdout; usage errors exit 2 on stderr.
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Replay { file, json } => replay(&file, json),
        Command::Validate { file } => validate(&file),
        Command::Merge(args) => merge(&args),
        Command::Status(args) => status(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Problems) => ExitCode::from(1),
        Err(Failure::Unusable(message)) => {
            eprintln!("spec-kitty-events: {message}");
            ExitCode::from(2)
        }
    }
}

/// Reads `path`, or standard input for `-`.
fn read_input(path: &str) -> Result<String, Failure> {
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut file| file.read_to_string(&mut text).map(|_| ()))
    };
    let name = if path == "-" { "standard input" } else { path };
    read.map_err(|e| Failure::Unusable(format!("cannot read {name}: {e}")))?;
    Ok(text)
}

/// Writes `text` to stdout; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Unusable(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

fn replay(path: &str, json: bool) -> Result<(), Failure> {
    let text = read_input(path)?;
    let replay = replay_log(&text);
    for error in &replay.bad_lines {
        eprintln!("{path}: {error}");
    }
    let state = &replay.state;
    if json {
        print(&format!("{}\n", state.to_json()))?;
    } else {
        print(&mission_table(state))?;
    }
    if replay.bad_lines.is_empty() && state.anomaly_count() == 0 {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}

/// The mission state as a table: the mission, then work packages by lane,
/// then anomalies.
fn mission_table(state: &ReducedMissionState) -> String {
    let or_dash = |value: Option<&str>| value.unwrap_or("-").to_owned();
    let mut out = String::new();
    let _ = writeln!(out, "mission        {}", or_dash(state.mission_id()));
    let _ = writeln!(out, "type           {}", or_dash(state.mission_type()));
    let status = state.mission_status().map(|s| s.as_str());
    let _ = writeln!(out, "status         {}", or_dash(status));
    let _ = writeln!(out, "phase          {}", or_dash(state.current_phase()));
    let phases = state.phases_entered().join(" -> ");
    let _ = writeln!(
        out,
        "phases entered {}",
        if phases.is_empty() { "-" } else { &phases }
    );
    let _ = writeln!(out, "events         {}", state.event_count());
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<14} {:<12} {:<26} AT",
        "WORK PACKAGE", "LANE", "LAST EVENT"
    );
    for lane in Lane::ALL {
        for wp in state
            .wp_states()
            .iter()
            .filter(|wp| wp.current_lane() == lane)
        {
            let _ = writeln!(
                out,
                "{:<14} {:<12} {:<26} {}",
                wp.wp_id(),
                lane.as_str(),
                wp.last_event_id(),
                wp.last_transition_at()
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "anomalies      {}", state.anomaly_count());
    for anomaly in state.anomalies() {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            anomaly.event_id, anomaly.event_type, anomaly.reason
        );
    }
    out
}

fn validate(path: &str) -> Result<(), Failure> {
    let text = read_input(path)?;
    let read = read_log(&text);
    // (line, report): envelope errors, the torn tail and payload errors,
    // merged into line order.
    let mut bad: Vec<(usize, String)> = read
        .errors
        .iter()
        .map(|error| (error.line(), error.to_string()))
        .collect();
    if let Some(torn) = &read.torn_tail {
        bad.push((torn.line(), format!("{torn} (torn last line: no newline)")));
    }
    let mut valid = 0usize;
    for logged in &read.events {
        match logged.event.to_typed_payload() {
            Ok(_) => valid += 1,
            Err(error) => {
                let id = Some(logged.event.event_id().to_string());
                let error = LineError::new(logged.line, id, error);
                bad.push((logged.line, error.to_string()));
            }
        }
    }
    bad.sort_by_key(|(line, _)| *line);
    let mut out = String::new();
    for (_, report) in &bad {
        let _ = writeln!(out, "{report}");
    }
    let _ = writeln!(
        out,
        "{} valid, {} bad",
        plural(valid, "event", "events"),
        plural(bad.len(), "line", "lines")
    );
    print(&out)?;
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let mut events = Vec::new();
    let mut bad = false;
    for (side, path) in [
        ("base", &args.base),
        ("ours", &args.ours),
        ("theirs", &args.theirs),
    ] {
        // Git hands an empty base when the sides share no ancestor version.
        if side == "base" && !path.exists() {
            continue;
        }
        let text = read_input(&path.to_string_lossy())?;
        let read = read_log(&text);
        for error in read.errors.iter().chain(&read.torn_tail) {
            eprintln!("{} ({side}): {error}", path.display());
            bad = true;
        }
        events.extend(read.into_events());
    }
    if bad {
        eprintln!("spec-kitty-events: not merging: a line that does not decode would be lost");
        return Err(Failure::Problems);
    }
    let mut merged = String::new();
    for event in canonical_order(events) {
        merged.push_str(&event.to_json());
        merged.push('\n');
    }
    write_atomically(&args.ours, &merged)
        .map_err(|e| Failure::Unusable(format!("cannot write {}: {e}", args.ours.display())))
}

/// Replaces `path` by `text` so that a crash leaves the old or the new file,
/// never a mix.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = directory.join(format!(".{name}.merge-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

fn status(args: &StatusArgs) -> Result<(), Failure> {
    let path = if args.dir != "-" && Path::new(&args.dir).is_dir() {
        Path::new(&args.dir)
            .join("status.events.jsonl")
            .to_string_lossy()
            .into_owned()
    } else {
        args.dir.clone()
    };
    let text = read_input(&path)?;
    let read: StatusLogRead = read_status_log(&text);
    if args.check {
        let mut deviations: Vec<LineError> = read.errors.clone();
        deviations.extend(check_rows(&read.rows));
        deviations.sort_by_key(LineError::line);
        let mut out = String::new();
        for deviation in &deviations {
            let _ = writeln!(out, "{deviation}");
        }
        let rows_with_deviations = {
            let mut lines: Vec<usize> = deviations.iter().map(LineError::line).collect();
            lines.dedup();
            lines.len()
        };
        let _ = writeln!(
            out,
            "{} read, {} deviating from the contract, {} in all",
            plural(read.rows.len() + read.errors.len(), "row", "rows"),
            rows_with_deviations,
            plural(deviations.len(), "deviation", "deviations"),
        );
        print(&out)?;
        return if deviations.is_empty() {
            Ok(())
        } else {
            Err(Failure::Problems)
        };
    }
    if !read.errors.is_empty() {
        for error in &read.errors {
            eprintln!("{path}: {error}");
        }
        return Err(Failure::Unusable(format!(
            "cannot materialize {path}: {} unreadable",
            plural(read.errors.len(), "row is", "rows are")
        )));
    }
    if args.events {
        let mut out = String::new();
        let mut failed = false;
        for lifted in lift_rows(&read.rows) {
            match lifted.event {
                Ok(event) => {
                    out.push_str(&Event::to_json(&event));
                    out.push('\n');
                }
                Err(error) => {
                    failed = true;
                    eprintln!(
                        "line {} (event {}): not lifted: {error}",
                        lifted.row.line(),
                        lifted.row.event_id()
                    );
                }
            }
        }
        print(&out)?;
        return if failed {
            Err(Failure::Problems)
        } else {
            Ok(())
        };
    }
    let snapshot = materialize_snapshot(&read.rows).stamped(jiff::Timestamp::now());
    if args.json {
        return print(&snapshot.to_pretty_json());
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "feature        {}",
        snapshot.feature_slug().unwrap_or("-")
    );
    let _ = writeln!(out, "events         {}", snapshot.event_count());
    let _ = writeln!(
        out,
        "last event     {}",
        snapshot
            .last_event_id()
            .map_or_else(|| "-".to_owned(), |id| id.to_string())
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<14} {:<12} {:<6} {:<12} AT",
        "WORK PACKAGE", "LANE", "FORCED", "ACTOR"
    );
    for lane in Lane::ALL {
        for (wp_id, wp) in snapshot
            .work_packages()
            .iter()
            .filter(|(_, wp)| wp.lane() == lane)
        {
            let _ = writeln!(
                out,
                "{:<14} {:<12} {:<6} {:<12} {}",
                wp_id,
                lane.as_str(),
                wp.force_count(),
                wp.actor(),
                wp.last_transition_at()
            );
        }
    }
    let _ = writeln!(out);
    let counts: Vec<String> = Lane::ALL
        .iter()
        .map(|lane| format!("{lane} {}", snapshot.summary().count(*lane)))
        .collect();
    let _ = writeln!(out, "summary        {}", counts.join(", "));
    print(&out)
}
