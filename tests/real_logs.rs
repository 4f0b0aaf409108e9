//! spec-kitty's real status logs: `status --json` gives the CLI's own
//! `status.json` (apart from `materialized_at`), and `status --check` names
//! every deviation from the contract that an independent reading of the rows
//! finds.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_spec-kitty-events");

fn real_logs() -> Vec<PathBuf> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/real-logs"));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("status.events.jsonl").is_file())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 12, "the twelve real logs");
    dirs
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(BIN).args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn status_json_is_the_clis_status_json_for_every_real_log() {
    for dir in real_logs() {
        let (code, stdout, stderr) = run(&["status", "--json", dir.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {stderr}", dir.display());
        let mut ours: Value = serde_json::from_str(&stdout).unwrap();
        let mut theirs: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("status.json")).unwrap())
                .unwrap();
        let stamped = ours.as_object_mut().unwrap().remove("materialized_at");
        assert!(stamped.is_some_and(|at| at.is_string()));
        theirs.as_object_mut().unwrap().remove("materialized_at");
        assert_eq!(ours, theirs, "{}", dir.display());
        // Same layout as the CLI's file: sorted keys, two-space indent.
        let written = std::fs::read_to_string(dir.join("status.json")).unwrap();
        let keys_in = |text: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.trim_start().strip_prefix('"'))
                .filter_map(|l| l.split('"').next())
                .filter(|k| *k != "materialized_at")
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(keys_in(&stdout), keys_in(&written), "{}", dir.display());
    }
}

/// What the contract says of each row, worked out here from the raw JSON
/// alone: `(line, event_id, field)` for every deviation.
fn expected_deviations(log: &str) -> BTreeSet<(usize, String, String)> {
    let rows: Vec<(usize, Value)> = log
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, serde_json::from_str(l).unwrap()))
        .collect();
    let mut order: Vec<&(usize, Value)> = rows.iter().collect();
    let instant = |v: &Value| {
        let at = v["at"].as_str().unwrap();
        at.parse::<jiff::Timestamp>().unwrap()
    };
    order.sort_by(|a, b| {
        (instant(&a.1), a.1["event_id"].as_str()).cmp(&(instant(&b.1), b.1["event_id"].as_str()))
    });
    let allowed = [
        ("planned", "claimed"),
        ("claimed", "in_progress"),
        ("in_progress", "for_review"),
        ("for_review", "done"),
        ("for_review", "in_progress"),
        ("in_progress", "planned"),
        ("blocked", "in_progress"),
    ];
    let known: BTreeSet<&str> = [
        "actor",
        "at",
        "event_id",
        "evidence",
        "execution_mode",
        "feature_slug",
        "force",
        "from_lane",
        "policy_metadata",
        "reason",
        "review_ref",
        "to_lane",
        "wp_id",
    ]
    .into();
    let mut lanes: HashMap<String, String> = HashMap::new();
    let mut expected = BTreeSet::new();
    for (line, row) in order {
        let id = row["event_id"].as_str().unwrap().to_owned();
        let mut add = |field: &str| expected.insert((*line, id.clone(), field.to_owned()));
        for key in row.as_object().unwrap().keys() {
            if !known.contains(key.as_str()) {
                add(key);
            }
        }
        let wp = row["wp_id"].as_str().unwrap().to_owned();
        let from = row["from_lane"].as_str();
        let to = row["to_lane"].as_str().unwrap();
        let force = row["force"].as_bool().unwrap();
        if from != lanes.get(&wp).map(String::as_str) {
            add("from_lane");
        }
        let has_text = |key: &str| row[key].as_str().is_some_and(|s| !s.trim().is_empty());
        if force && !has_text("reason") {
            add("payload.reason");
        }
        let repos = row["evidence"].get("repos").and_then(Value::as_array);
        if to == "done" && repos.is_none_or(Vec::is_empty) {
            // No evidence names the evidence; evidence without repos names `repos`.
            add(if row["evidence"].is_null() {
                "payload.evidence"
            } else {
                "payload.evidence.repos"
            });
        }
        let matrix_ok = match from {
            None => to == "planned",
            Some("done" | "canceled") => false,
            Some(_) if to == "blocked" || to == "canceled" => true,
            Some(from) => allowed.contains(&(from, to)),
        };
        let guard_broken =
            (from == Some("for_review") && to == "in_progress" && !has_text("review_ref"))
                || (from == Some("in_progress") && to == "planned" && !has_text("reason"));
        if (!force && !matrix_ok) || guard_broken {
            add("to_lane");
        }
        lanes.insert(wp, to.to_owned());
    }
    expected
}

fn reported_deviations(stdout: &str) -> BTreeSet<(usize, String, String)> {
    stdout
        .lines()
        .filter(|l| l.starts_with("line "))
        .map(|l| {
            // line N (event ID): field `F`: reason
            let line = l[5..].split(' ').next().unwrap().parse().unwrap();
            let id = l.split("(event ").nth(1).unwrap()[..26].to_owned();
            let field = l.split('`').nth(1).unwrap().to_owned();
            (line, id, field)
        })
        .collect()
}

#[test]
fn status_check_names_each_deviation_of_every_real_log() {
    let mut total = 0;
    for dir in real_logs() {
        let log = std::fs::read_to_string(dir.join("status.events.jsonl")).unwrap();
        let (code, stdout, stderr) = run(&["status", "--check", dir.to_str().unwrap()]);
        let expected = expected_deviations(&log);
        assert_eq!(reported_deviations(&stdout), expected, "{}", dir.display());
        assert_eq!(code, if expected.is_empty() { 0 } else { 1 }, "{stderr}");
        total += expected.len();
        // --check never changes the snapshot.
        let (_, snapshot, _) = run(&["status", "--json", dir.to_str().unwrap()]);
        let before = std::fs::read_to_string(dir.join("status.json")).unwrap();
        let (ours, theirs): (Value, Value) = (
            serde_json::from_str(&snapshot).unwrap(),
            serde_json::from_str(&before).unwrap(),
        );
        assert_eq!(ours["work_packages"], theirs["work_packages"]);
    }
    // The real logs are known to hold forced migrations the contract rejects.
    assert!(total > 12, "only {total} deviations found");
}

#[test]
fn every_row_that_fits_the_contract_lifts_to_a_decodable_event() {
    for dir in real_logs() {
        let (code, stdout, stderr) = run(&["status", "--events", dir.to_str().unwrap()]);
        let lifted = stdout.lines().count();
        let unlifted = stderr.lines().filter(|l| l.contains("not lifted")).count();
        let rows = std::fs::read_to_string(dir.join("status.events.jsonl"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count();
        assert_eq!(lifted + unlifted, rows, "{}", dir.display());
        assert_eq!(code, if unlifted == 0 { 0 } else { 1 });
        let mut clocks = Vec::new();
        for line in stdout.lines() {
            let event = spec_kitty_events::contract::Event::from_json(line).unwrap();
            assert_eq!(event.event_type(), "WPStatusChanged");
            assert!(event.to_typed_payload().unwrap().is_some());
            clocks.push(event.lamport_clock());
        }
        // Lamport clocks are positions in the CLI's order: increasing.
        assert!(clocks.windows(2).all(|w| w[0] < w[1]), "{}", dir.display());
        // The lift is stable: a second run prints the same bytes.
        assert_eq!(
            run(&["status", "--events", dir.to_str().unwrap()]).1,
            stdout
        );
    }
}
