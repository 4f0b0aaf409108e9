//! `status`: spec-kitty's own status log materialized as its CLI does.

use std::fmt::Write as _;
use std::path::Path;

use spec_kitty_events::contract::{Event, Lane};
use spec_kitty_events::log::LineError;
use spec_kitty_events::spec_kitty::{
    StatusLogRead, check_rows, lift_rows, materialize_snapshot, read_status_log,
};

use crate::{Failure, StatusArgs, plural, print, read_input};

pub(crate) fn status(args: &StatusArgs) -> Result<(), Failure> {
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
