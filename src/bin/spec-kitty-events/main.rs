//! `spec-kitty-events`: inspect, check and merge event logs from a shell.
//!
//! Exit codes: 0 when all is fine, 1 when problems were found (bad lines,
//! anomalies, contract deviations, a merge that cannot be done), 2 for a usage
//! error or input that cannot be read. Errors go to stderr; the command never
//! panics on bad input.

#[cfg(feature = "postgres")]
mod db;
mod merge;
mod replay;
mod status;
mod validate;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use merge::merge;
use replay::replay;
use status::status;
use validate::validate;

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
    /// The PostgreSQL event store's database: `db migrate`.
    #[cfg(feature = "postgres")]
    Db(db::DbArgs),
}

#[derive(Args)]
pub(crate) struct MergeArgs {
    /// The common ancestor's version (`%O`); its events are on both sides.
    pub(crate) base: PathBuf,
    /// Our version (`%A`); the merge result is written here.
    pub(crate) ours: PathBuf,
    /// Their version (`%B`).
    pub(crate) theirs: PathBuf,
}

#[derive(Args)]
pub(crate) struct StatusArgs {
    /// A feature directory holding status.events.jsonl, the log file itself,
    /// or `-` for standard input.
    pub(crate) dir: String,
    /// Print the status.json document the spec-kitty CLI would write.
    #[arg(long, conflicts_with_all = ["check", "events"])]
    pub(crate) json: bool,
    /// List every row that breaks the contract; the snapshot is not changed.
    #[arg(long, conflicts_with = "events")]
    pub(crate) check: bool,
    /// Print every row lifted to its canonical event, as JSON Lines.
    #[arg(long)]
    pub(crate) events: bool,
}

/// Why a command did not succeed.
pub(crate) enum Failure {
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
        #[cfg(feature = "postgres")]
        Command::Db(args) => db::db(&args),
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
pub(crate) fn read_input(path: &str) -> Result<String, Failure> {
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
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Unusable(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
