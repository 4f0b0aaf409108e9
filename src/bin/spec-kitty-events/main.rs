//! `spec-kitty-events`: inspect, check and merge event logs from a shell.
//!
//! Exit codes: 0 when all is fine, 1 when problems were found (bad lines,
//! anomalies, contract deviations, a merge that cannot be done), 2 for a usage
//! error or input that cannot be read. Errors go to stderr; the command never
//! panics on bad input, nor when stdout or stderr cannot be written (a full
//! disk, a closed pipe): what cannot be printed is dropped and the exit code
//! stays the documented one.

#[cfg(feature = "postgres")]
mod db;
mod merge;
mod merge_status;
mod replay;
mod status;
mod target_file;
mod validate;

use std::fmt::Display;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use spec_kitty_events::log::{MAX_LINE_BYTES, MAX_LOG_BYTES, read_limited};

use merge::merge;
use merge_status::{MergeStatusArgs, merge_status};
use replay::replay;
use status::{StatusArgs, status};
use validate::validate;

/// What every command's `--help` ends with: exit codes and input limits.
const AFTER_HELP: &str = "Exit codes: 0 fine, 1 problems found, 2 usage error or unreadable input.\n\
Limits: a line longer than 16 MiB is refused; a log larger than 1 GiB is not read \
(both are errors naming the line or the limit).";

// The help text states the limits in words; keep it true.
const _: () = assert!(MAX_LINE_BYTES == 16 << 20 && MAX_LOG_BYTES == 1 << 30);

/// Inspect, check and merge spec-kitty event logs (JSON Lines).
#[derive(Parser)]
#[command(name = "spec-kitty-events", version, about, long_about = None)]
#[command(after_help = AFTER_HELP)]
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
    #[command(after_help = AFTER_HELP)]
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
    /// the field and the reason, then a summary. Two different lines with
    /// one event_id are an error; an event_type this version does not know
    /// is reported as unknown (its payload is not checked) but is not an
    /// error. Exits 1 when a line is bad.
    #[command(after_help = AFTER_HELP)]
    Validate {
        /// The log (`-` reads standard input).
        file: String,
    },
    /// Git merge driver for JSONL event logs: writes the union of BASE, OURS
    /// and THEIRS, by event_id, to OURS, every line byte for byte as read.
    ///
    /// A log of contract events (every line has a lamport_clock) comes out
    /// in canonical order (lamport_clock, timestamp, event_id). Any other
    /// log, such as spec-kitty's status.events.jsonl, keeps BASE's lines in
    /// BASE's order, then the new lines ordered by their `at` (or
    /// `timestamp`) text, then event_id: the same whichever side is ours.
    ///
    /// Two different lines with one event_id, a line that is not a JSON
    /// object with a string event_id, a line with a lamport_clock that does
    /// not decode as an event, or OURS not a regular file: exit 1, OURS
    /// untouched. OURS is locked while it is read and replaced; a symlink is
    /// followed and its target replaced, with its permissions kept.
    ///
    /// Configure with `git config merge.spec-kitty-events.driver
    /// 'spec-kitty-events merge %O %A %B'` and `*.jsonl
    /// merge=spec-kitty-events` in .gitattributes.
    #[command(after_help = AFTER_HELP)]
    Merge(MergeArgs),
    /// Materialize spec-kitty's own status log (DIR/status.events.jsonl)
    /// as the spec-kitty CLI does its status.json.
    ///
    /// Prints a table; `--json` prints the status.json bytes, `--write`
    /// writes them to DIR/status.json, `--check` lists every row that
    /// breaks the contract of its era (exit 1 if any), and `--events`
    /// prints each row lifted to a canonical WPStatusChanged event.
    #[command(after_help = AFTER_HELP)]
    Status(StatusArgs),
    /// Git merge driver for spec-kitty's status.json: materializes it again
    /// from the union of both sides' status.events.jsonl, read from git.
    ///
    /// Configure with `git config merge.spec-kitty-status.driver
    /// 'spec-kitty-events merge-status %O %A %B %P'` and `status.json
    /// merge=spec-kitty-status` in .gitattributes. Exits 1, leaving OURS
    /// untouched (a conflict), when the merged log has an unreadable row.
    #[command(after_help = AFTER_HELP)]
    MergeStatus(MergeStatusArgs),
    /// The PostgreSQL event store's database: `db migrate`.
    #[cfg(feature = "postgres")]
    #[command(after_help = AFTER_HELP)]
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
        Command::MergeStatus(args) => merge_status(&args),
        #[cfg(feature = "postgres")]
        Command::Db(args) => db::db(&args),
    };
    exit_code(result)
}

/// The documented exit code of a command's result, its message (if any)
/// reported on stderr: 0 fine, 1 problems found (already reported), 2 a
/// usage error or input that cannot be read. Every command ends here.
pub(crate) fn exit_code(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Problems) => ExitCode::from(1),
        Err(Failure::Unusable(message)) => {
            report(format_args!("spec-kitty-events: {message}"));
            ExitCode::from(2)
        }
    }
}

/// Writes one line to stderr. A stderr that cannot be written (a closed
/// pipe, a full disk) is ignored rather than a panic, as `eprintln!` would:
/// the exit code still says what happened. Use it for every message.
pub(crate) fn report(message: impl Display) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// Reports each bad line of `path` on stderr, as `PATH: ERROR`, and how
/// many there were. Bad lines in a file that could be read are problems
/// found: a command that cannot go on because of them returns
/// [`Failure::Problems`] (exit 1), never [`Failure::Unusable`] (exit 2, for
/// input that cannot be read at all), so that a command and its `--check`
/// agree on one file.
pub(crate) fn report_bad_lines<E: Display>(
    path: &str,
    errors: impl IntoIterator<Item = E>,
) -> usize {
    let mut count = 0;
    for error in errors {
        report(format_args!("{path}: {error}"));
        count += 1;
    }
    count
}

/// Reads `path`, or standard input for `-`, as bytes, within the limits
/// ([`MAX_LINE_BYTES`], [`MAX_LOG_BYTES`]): endless input is an error, not a
/// machine out of memory. Refuses a directory.
pub(crate) fn read_input_bytes(path: &str) -> Result<Vec<u8>, Failure> {
    let name = if path == "-" { "standard input" } else { path };
    let cannot = |why: &dyn Display| Failure::Unusable(format!("cannot read {name}: {why}"));
    let read = if path == "-" {
        read_limited(std::io::stdin().lock(), MAX_LINE_BYTES, MAX_LOG_BYTES)
    } else {
        let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(cannot(&"it is a directory"));
        }
        read_limited(file, MAX_LINE_BYTES, MAX_LOG_BYTES)
    };
    read.map_err(|e| cannot(&e))
}

/// [`read_input_bytes`], as text: a line that is not UTF-8 is an error
/// naming it.
pub(crate) fn read_input(path: &str) -> Result<String, Failure> {
    let bytes = read_input_bytes(path)?;
    String::from_utf8(bytes).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
        let name = if path == "-" { "standard input" } else { path };
        Failure::Unusable(format!(
            "cannot read {name}: line {line} is not UTF-8 (byte 0x{:02x})",
            bytes[at]
        ))
    })
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

/// `text`, or its first `most` characters and `…`.
pub(crate) fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(most.saturating_sub(1)).collect();
    short.push('…');
    short
}

pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Lays out rows in columns as wide as their widest cell (a cell longer
/// than [`Table::MAX_CELL`] characters is shortened), so that a long actor
/// name or id never pushes the next column out of line. The last column is
/// not padded.
pub(crate) struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// The widest a cell is shown.
    pub(crate) const MAX_CELL: usize = 48;

    /// A table with its header row (none when `header` is empty).
    pub(crate) fn new(header: &[&str]) -> Self {
        let header: Vec<String> = header.iter().map(|cell| (*cell).to_owned()).collect();
        Self {
            rows: if header.is_empty() {
                vec![]
            } else {
                vec![header]
            },
        }
    }

    /// Adds a row.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table, one line per row.
    pub(crate) fn render(&self) -> String {
        let cell = |text: &str| -> String {
            let text: String = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            shorten(&text, Self::MAX_CELL)
        };
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| row.iter().map(|text| cell(text)).collect())
            .collect();
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .filter_map(|row| row.get(c))
                    .map(|text| text.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &rows {
            let mut line = String::new();
            for (c, text) in row.iter().enumerate() {
                if c + 1 < row.len() {
                    line.push_str(text);
                    line.extend(std::iter::repeat_n(
                        ' ',
                        widths[c] - text.chars().count() + 1,
                    ));
                } else {
                    line.push_str(text);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
