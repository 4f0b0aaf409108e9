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

/// The committed `materialized_at` of a `status.json`: February's CLI
/// stamped the wall clock, which no reader can derive, so the test feeds it
/// back with `--materialized-at` and compares every other byte.
fn committed_stamp(status_json: &str) -> String {
    let value: Value = serde_json::from_str(status_json).unwrap();
    value["materialized_at"].as_str().unwrap().to_owned()
}

#[test]
fn status_json_is_the_committed_status_json_of_every_february_log() {
    for dir in real_logs() {
        let committed = std::fs::read_to_string(dir.join("status.json")).unwrap();
        let stamp = committed_stamp(&committed);
        let path = dir.to_str().unwrap();
        let (code, stdout, stderr) = run(&["status", "--json", "--materialized-at", &stamp, path]);
        assert_eq!(code, 0, "{}: {stderr}", dir.display());
        assert_eq!(stdout, committed, "{}", dir.display());
        // Without a stamp, February's shape is stamped with the clock (as
        // its CLI did): only that line differs.
        let (_, stamped, _) = run(&["status", "--json", path]);
        let other_lines = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| !l.contains("\"materialized_at\""))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(other_lines(&stamped), other_lines(&committed));
        assert_ne!(committed_stamp(&stamped), stamp);
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
        let before = std::fs::read_to_string(dir.join("status.json")).unwrap();
        let stamp = committed_stamp(&before);
        let path = dir.to_str().unwrap();
        let (_, snapshot, _) = run(&["status", "--json", "--materialized-at", &stamp, path]);
        assert_eq!(snapshot, before);
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

// ---------------------------------------------------------------------------
// The 81 missions of August 2026, against spec-kitty-cli 3.2.7.

#[path = "support/reference.rs"]
mod reference;

use reference::{Oracle, run_with};

fn missions_2026() -> Vec<PathBuf> {
    let root = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/real-logs-2026"
    ));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("status.events.jsonl").is_file())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 81, "the 81 missions");
    dirs
}

/// What spec-kitty-cli 3.2.7 writes to `status.json` for each folder (one
/// interpreter for all), by folder: `Ok(bytes)` or `Err(its refusal)`.
fn cli_oracle(dirs: &[PathBuf]) -> HashMap<PathBuf, Result<String, String>> {
    let args: Vec<&str> = dirs.iter().map(|d| d.to_str().unwrap()).collect();
    run_with(Oracle::Cli, "cli_status.py", &args, "")
        .lines()
        .map(|line| {
            let answer: Value = serde_json::from_str(line).unwrap();
            let dir = PathBuf::from(answer["dir"].as_str().unwrap());
            let result = match answer["status_json"].as_str() {
                Some(text) => Ok(text.to_owned()),
                None => Err(answer["error"].as_str().unwrap().to_owned()),
            };
            (dir, result)
        })
        .collect()
}

#[test]
fn status_json_is_the_cli_oracles_bytes_for_every_2026_mission() {
    let dirs = missions_2026();
    let oracle = cli_oracle(&dirs);
    let mut stale = Vec::new();
    for dir in &dirs {
        let expected = oracle[dir]
            .as_ref()
            .expect("the CLI materializes every mission");
        // `materialized_at` is the last lane row's `at` in today's CLI: the
        // bytes are compared as they are, nothing fed in.
        let (code, stdout, stderr) = run(&["status", "--json", dir.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {stderr}", dir.display());
        assert_eq!(&stdout, expected, "{}", dir.display());
        let committed = std::fs::read_to_string(dir.join("status.json")).unwrap();
        if &committed != expected {
            stale.push(dir.file_name().unwrap().to_str().unwrap().to_owned());
        }
    }
    // The data's README: the CLI reproduces 79 committed files; two were
    // committed stale, and the CLI's output is the truth there.
    assert_eq!(
        stale,
        [
            "operating-procedures-validate-triage-01M0DR8F",
            "rc3-lane-allocation-single-seam-01M0GGX8"
        ]
    );
}

#[test]
fn the_2026_08_era_forced_on_february_logs_gives_the_clis_bytes() {
    let dirs = real_logs();
    let oracle = cli_oracle(&dirs);
    for dir in &dirs {
        let expected = oracle[dir].as_ref().expect("the CLI reads February's rows");
        let (code, stdout, stderr) = run(&[
            "status",
            "--json",
            "--era",
            "2026-08",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(&stdout, expected, "{}", dir.display());
    }
}

#[test]
fn the_era_is_decided_from_the_log_and_an_option_forces_either() {
    let top_keys = |text: &str| -> Vec<String> {
        let value: Value = serde_json::from_str(text).unwrap();
        value.as_object().unwrap().keys().cloned().collect()
    };
    let summary_keys = |text: &str| -> Vec<String> {
        let value: Value = serde_json::from_str(text).unwrap();
        value["summary"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let february = real_logs()[0].to_str().unwrap().to_owned();
    let august = missions_2026()[0].to_str().unwrap().to_owned();
    let feb_shape = [
        "event_count",
        "feature_slug",
        "last_event_id",
        "materialized_at",
        "summary",
        "work_packages",
    ];
    let aug_shape = [
        "event_count",
        "last_event_id",
        "materialized_at",
        "mission_number",
        "mission_slug",
        "mission_type",
        "summary",
        "work_packages",
    ];
    let seven = [
        "blocked",
        "canceled",
        "claimed",
        "done",
        "for_review",
        "in_progress",
        "planned",
    ];
    let nine = [
        "approved",
        "blocked",
        "canceled",
        "claimed",
        "done",
        "for_review",
        "in_progress",
        "in_review",
        "planned",
    ];
    for (dir, era, shape, lanes) in [
        (&february, None, &feb_shape[..], &seven[..]),
        (&august, None, &aug_shape[..], &nine[..]),
        (&february, Some("2026-08"), &aug_shape[..], &nine[..]),
        (&august, Some("2026-02"), &feb_shape[..], &seven[..]),
    ] {
        let mut args = vec!["status", "--json", dir.as_str()];
        if let Some(era) = era {
            args.extend(["--era", era]);
        }
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(top_keys(&stdout), shape, "{dir} {era:?}");
        assert_eq!(summary_keys(&stdout), lanes, "{dir} {era:?}");
    }
}

#[test]
fn every_row_kind_of_the_2026_logs_is_read_kept_and_counted() {
    use spec_kitty_events::spec_kitty::read_status_log;
    // Counted independently over the raw files (by `kind`, `event_type`,
    // `type` and `to_lane`): 3109 lane rows, 971 annotations, 322 envelopes
    // and 35 typed rows (34 RetrospectiveCaptured, 1 RetrospectiveCaptureFailed).
    let (mut lanes, mut annotations, mut others, mut lines) = (0, 0, 0, 0);
    let mut kinds: HashMap<String, usize> = HashMap::new();
    for dir in missions_2026() {
        let text = std::fs::read_to_string(dir.join("status.events.jsonl")).unwrap();
        let read = read_status_log(&text);
        assert!(
            read.errors.is_empty(),
            "{}: {:?}",
            dir.display(),
            read.errors
        );
        lanes += read.rows.len();
        annotations += read.annotations.len();
        others += read.others.len();
        lines += text.lines().filter(|l| !l.trim().is_empty()).count();
        for (kind, count) in read.other_kinds() {
            *kinds.entry(kind).or_default() += count;
        }
    }
    assert_eq!((lanes, annotations, others), (3109, 971, 357));
    assert_eq!(lanes + annotations + others, lines, "no row dropped");
    assert_eq!(kinds["envelope WPCreated"], 144);
    assert_eq!(kinds["envelope MissionCreated"], 28);
    assert_eq!(kinds["type RetrospectiveCaptured"], 34);
    assert_eq!(kinds["type RetrospectiveCaptureFailed"], 1);
    assert_eq!(kinds.values().sum::<usize>(), 357);
}

#[test]
fn status_check_flags_the_rows_the_clis_own_schema_flags() {
    // Every lane row of the 81 missions, plus rows breaking each rule of the
    // CLI's schema, judged by the CLI (`validate_event_schema`) and by
    // `status --check`: the same lines are flagged.
    let mut rows: Vec<String> = Vec::new();
    for dir in missions_2026() {
        let text = std::fs::read_to_string(dir.join("status.events.jsonl")).unwrap();
        rows.extend(
            text.lines()
                .filter(|l| l.contains("\"to_lane\"") && !l.contains("\"kind\""))
                .map(str::to_owned),
        );
    }
    let good = r#"{"actor": "a", "at": "2026-08-01T10:00:00+00:00", "event_id": "01JAAAA00000000000000000B1", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "planned", "mission_slug": "m", "reason": null, "review_ref": null, "to_lane": "claimed", "wp_id": "WP01"}"#;
    let bad = [
        good.replace(r#""force": false"#, r#""force": true"#),
        good.replace(r#""worktree""#, r#""main""#),
        good.replace(r#""planned""#, r#""for_review""#)
            .replace(r#""claimed""#, r#""in_progress""#),
        good.replace(r#""mission_slug": "m", "#, ""),
        good.replace(r#""execution_mode": "worktree", "#, ""),
        good.replace(r#""force": false"#, r#""force": 0"#),
        good.replace(r#""from_lane": "planned""#, r#""from_lane": null"#),
        good.replace(r#""wp_id": "WP01""#, r#""wp_id": "WP01", "colour": "blue""#),
    ];
    rows.extend(bad.iter().map(|row| row.replace("B1", "C1")));
    // An id that is no ULID: the CLI's schema flags it, the row still reads.
    rows.push(good.replace("01JAAAA00000000000000000B1", "01jaaaa00000000000000000d1"));
    rows.push(good.to_owned());
    let log: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let cli_flags: BTreeSet<usize> = run_with(Oracle::Cli, "cli_validate_rows.py", &[], &log)
        .lines()
        .enumerate()
        .filter(|(_, messages)| *messages != "[]")
        .map(|(i, _)| i + 1)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("status.events.jsonl");
    std::fs::write(&path, &log).unwrap();
    let (code, stdout, _) = run(&[
        "status",
        "--check",
        "--era",
        "2026-08",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    // Our two rules beyond the CLI's schema are left out of the comparison:
    // an event_id repeated with other content (the bad rows share one id)
    // and a null from_lane (which the CLI's materializer refuses).
    let ours: BTreeSet<usize> = stdout
        .lines()
        .filter(|l| l.starts_with("line "))
        .filter(|l| !l.contains("repeats the event") && !l.contains("`from_lane`: is null"))
        .map(|l| l[5..].split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ours, cli_flags);
    // 9 real rows and the bad ones but those with a null from_lane and an
    // unknown field (the CLI's schema is forward-compatible); a lower-case
    // ULID passes.
    assert_eq!(cli_flags.len(), 9 + 6);
}
