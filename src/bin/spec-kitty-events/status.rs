//! `status`: spec-kitty's own status log materialized as its CLI does.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::Value;
use spec_kitty_events::contract::Event;
use spec_kitty_events::log::LineError;
use spec_kitty_events::spec_kitty::{
    CliLane, Era, MissionMeta, StatusLogRead, check_rows, lift_rows, materialize, read_status_log,
};

use crate::target_file::write_if_changed;
use crate::{Failure, Table, plural, print, read_input, report, report_bad_lines};

#[derive(Args)]
pub(crate) struct StatusArgs {
    /// A mission directory holding status.events.jsonl (and meta.json), the
    /// log file itself, or `-` for standard input.
    pub(crate) dir: String,
    /// Print the status.json bytes the spec-kitty CLI would write.
    #[arg(long, conflicts_with_all = ["check", "events", "write"])]
    pub(crate) json: bool,
    /// Write status.json beside the log as the CLI does: atomically (a
    /// temporary file, then a rename), untouched when its bytes would not
    /// change.
    #[arg(long, conflicts_with_all = ["check", "events"])]
    pub(crate) write: bool,
    /// List every row that breaks the contract of its era; the snapshot is
    /// not changed. Rows of kinds not applied are counted, never a failure.
    #[arg(long, conflicts_with = "events")]
    pub(crate) check: bool,
    /// Print every lane row lifted to its canonical event, as JSON Lines.
    #[arg(long)]
    pub(crate) events: bool,
    /// Force the snapshot's shape; by default it is decided from the log
    /// (February 2026 when every lane row has `feature_slug` and nothing
    /// else is in the log).
    #[arg(long, value_enum)]
    pub(crate) era: Option<EraArg>,
    /// Write this `materialized_at` instead of the CLI's (the wall clock in
    /// February 2026's shape, the last lane row's `at` in today's).
    #[arg(long, value_name = "TEXT")]
    pub(crate) materialized_at: Option<String>,
}

/// The eras `--era` names.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum EraArg {
    /// February 2026's snapshot (`feature_slug`, seven lanes).
    #[value(name = "2026-02")]
    February,
    /// Today's (CLI 3.2.7) snapshot.
    #[value(name = "2026-08")]
    Current,
}

pub(crate) fn status(args: &StatusArgs) -> Result<(), Failure> {
    let dir = (args.dir != "-" && Path::new(&args.dir).is_dir()).then(|| PathBuf::from(&args.dir));
    let path = dir.as_ref().map_or_else(
        || args.dir.clone(),
        |dir| {
            dir.join("status.events.jsonl")
                .to_string_lossy()
                .into_owned()
        },
    );
    let text = read_input(&path)?;
    let read: StatusLogRead = read_status_log(&text);
    let era = match args.era {
        Some(EraArg::February) => Era::February2026,
        Some(EraArg::Current) => Era::Current,
        None => Era::of(&read),
    };
    if args.check {
        return check(&read, era);
    }
    if !read.errors.is_empty() {
        // Rows that do not decode are problems found, as `--check` says
        // of the same file: exit 1, not the exit 2 of an unreadable file.
        let count = report_bad_lines(&path, &read.errors);
        report(format_args!(
            "spec-kitty-events: cannot materialize {path}: {} unreadable",
            plural(count, "row is", "rows are")
        ));
        return Err(Failure::Problems);
    }
    if args.events {
        return events(&read);
    }
    let meta = read_meta(dir.as_deref())?;
    let bytes = materialize(&read, &meta, era, args.materialized_at.clone());
    if args.json {
        return print(&bytes);
    }
    if args.write {
        let Some(dir) = dir else {
            return Err(Failure::Unusable(
                "--write needs a mission directory".into(),
            ));
        };
        write_if_changed(&dir.join("status.json"), bytes.as_bytes())?;
        return Ok(());
    }
    print(&table(&bytes, &read))
}

/// The mission's `meta.json`, when the log is read from its directory.
fn read_meta(dir: Option<&Path>) -> Result<MissionMeta, Failure> {
    let Some(path) = dir.map(|dir| dir.join("meta.json")).filter(|p| p.is_file()) else {
        return Ok(MissionMeta::default());
    };
    let text = read_input(&path.to_string_lossy())?;
    MissionMeta::parse(&text).map_err(|e| Failure::Unusable(format!("{}: {e}", path.display())))
}

fn check(read: &StatusLogRead, era: Era) -> Result<(), Failure> {
    let mut deviations: Vec<LineError> = read.errors.clone();
    deviations.extend(match era {
        Era::February2026 => check_rows(&read.rows),
        Era::Current => spec_kitty_events::spec_kitty::check_current(read),
    });
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
    let all = read.rows.len() + read.annotations.len() + read.others.len() + read.errors.len();
    for (kind, count) in read.other_kinds() {
        let _ = writeln!(out, "kept, not applied: {count} {kind}");
    }
    let _ = writeln!(
        out,
        "rows by kind: {} lane, {} annotation, {} other, {} unreadable",
        read.rows.len(),
        read.annotations.len(),
        read.others.len(),
        read.errors.len(),
    );
    let _ = writeln!(
        out,
        "{} read, {} deviating from the contract, {} in all",
        plural(all, "row", "rows"),
        rows_with_deviations,
        plural(deviations.len(), "deviation", "deviations"),
    );
    print(&out)?;
    if deviations.is_empty() {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}

fn events(read: &StatusLogRead) -> Result<(), Failure> {
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
                report(format_args!(
                    "line {} (event {}): not lifted: {error}",
                    lifted.row.line(),
                    lifted.row.event_id()
                ));
            }
        }
    }
    print(&out)?;
    if failed {
        Err(Failure::Problems)
    } else {
        Ok(())
    }
}

/// A table of the materialized document, whichever its era.
fn table(bytes: &str, read: &StatusLogRead) -> String {
    let document: Value = serde_json::from_str(bytes).unwrap_or_default();
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    let mission = document
        .get("mission_slug")
        .or_else(|| document.get("feature_slug"))
        .map_or_else(|| "-".into(), text);
    let mut out = String::new();
    let _ = writeln!(out, "mission        {mission}");
    let _ = writeln!(out, "events         {}", text(&document["event_count"]));
    let _ = writeln!(out, "last event     {}", text(&document["last_event_id"]));
    let _ = writeln!(out);
    let mut wps = Table::new(&["WORK PACKAGE", "LANE", "FORCED", "ACTOR", "AT"]);
    if let Some(Value::Object(packages)) = document.get("work_packages") {
        for (wp_id, wp) in packages {
            wps.row(vec![
                wp_id.clone(),
                text(&wp["lane"]),
                text(&wp["force_count"]),
                text(&wp["actor"]),
                text(&wp["last_transition_at"]),
            ]);
        }
    }
    out.push_str(&wps.render());
    let _ = writeln!(out);
    if let Some(Value::Object(summary)) = document.get("summary") {
        // In lifecycle order, the lanes the document counts.
        let counts: Vec<String> = CliLane::DISPLAY
            .iter()
            .filter_map(|lane| Some(format!("{lane} {}", summary.get(lane.as_str())?)))
            .collect();
        let _ = writeln!(out, "summary        {}", counts.join(", "));
    }
    for (kind, count) in read.other_kinds() {
        let _ = writeln!(out, "kept, not applied: {count} {kind}");
    }
    out
}
