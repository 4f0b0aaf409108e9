//! spec-kitty-events 11.0.0's conformance data for spec-kitty's status log:
//! the `status_diary` replays (with their golden `status.json`) and the
//! `ledger_append` write-contract lines, read by `status`.
//!
//! Two oracles speak here: the CLI (spec-kitty-cli 3.2.7, what spec-kitty
//! writes today) and 11.0.0's goldens. `status` follows the CLI; every place
//! the goldens say otherwise is named in [`status_diary_goldens`].

#[path = "support/reference.rs"]
mod reference;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use reference::{Oracle, run_with};
use serde_json::Value;
use spec_kitty_events::spec_kitty::{RowKind, read_row, read_status_log};

const BIN: &str = env!("CARGO_BIN_EXE_spec-kitty-events");
const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/v11-status-fixtures"
);

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(BIN).args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Every JSON path (`a.b.c`) where two documents differ.
fn differing_paths(a: &Value, b: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => differing_paths(p, q, &path, out),
                    _ => {
                        out.insert(path);
                    }
                }
            }
        }
        _ if a != b => {
            out.insert(prefix.to_owned());
        }
        _ => {}
    }
}

/// Where the CLI 3.2.7 and 11.0.0's golden disagree, per replay (worked out
/// by running both oracles; `status` follows the CLI):
///
/// - everywhere: `mission_type`: without a `meta.json` the CLI writes `""`,
///   the golden `"software-dev"`;
/// - `concurrent_reject_beats_approve`: the CLI applies rows in `(at,
///   event_id)` order as written, so the stale approval after the rejection
///   wins; the golden (#69) keeps the rejection;
/// - `every_lane`: the CLI records a cancellation's `reason` and its source;
/// - `seed_lane_authority`, `seed_payload_fold`: 11.0.0 gives migration
///   seed rows lesser authority; the CLI applies them like any row;
/// - `unknown_kinds`: the CLI opens a `retrospective` block for a
///   `retrospective.requested` row;
/// - `skipped_subtask`: the CLI refuses the log (a subtask state must be a
///   lane; `skipped` is not), so `status` refuses it too (exit 2, naming
///   line and field), where the golden materializes it.
fn known_differences() -> BTreeMap<&'static str, Option<Vec<&'static str>>> {
    let wp = |id: &str, fields: &[&str]| -> Vec<String> {
        fields
            .iter()
            .map(|f| format!("work_packages.{id}.{f}"))
            .collect()
    };
    let moved = ["actor", "lane", "last_event_id", "last_transition_at"];
    let leak = |v: Vec<String>| -> Vec<&'static str> {
        v.into_iter()
            .map(|s| &*Box::leak(s.into_boxed_str()))
            .collect()
    };
    let mut concurrent = vec![
        "mission_type".to_owned(),
        "summary.approved".into(),
        "summary.planned".into(),
    ];
    concurrent.extend(wp("WP01", &[&moved[..], &["review_result"]].concat()));
    let mut every_lane = vec!["mission_type".to_owned()];
    every_lane.extend(wp("WP03", &["cancellation_reason", "reason_source"]));
    let mut seed_lane = vec![
        "mission_type".to_owned(),
        "summary.approved".into(),
        "summary.done".into(),
        "summary.in_progress".into(),
        "summary.planned".into(),
    ];
    seed_lane.extend(wp("WP01", &moved));
    seed_lane.extend(wp(
        "WP02",
        &[
            &moved[..],
            &["review_result.reference", "review_result.verdict"],
        ]
        .concat(),
    ));
    seed_lane.extend(wp(
        "WP03",
        &["review_result.reference", "review_result.verdict"],
    ));
    seed_lane.extend(wp(
        "WP04",
        &[
            &moved[..],
            &["review_result.reference", "review_result.verdict"],
        ]
        .concat(),
    ));
    let mut seed_payload = vec![
        "mission_type".to_owned(),
        "summary.approved".into(),
        "summary.done".into(),
    ];
    seed_payload.extend(wp("WP02", &["actor", "agent", "last_event_id"]));
    seed_payload.extend(wp("WP03", &moved));
    BTreeMap::from([
        (
            "status_diary_concurrent_reject_beats_approve",
            Some(leak(concurrent)),
        ),
        ("status_diary_every_lane", Some(leak(every_lane))),
        ("status_diary_fresh_mission", Some(vec!["mission_type"])),
        (
            "status_diary_out_of_order_duplicates",
            Some(vec!["mission_type"]),
        ),
        ("status_diary_seed_lane_authority", Some(leak(seed_lane))),
        ("status_diary_seed_payload_fold", Some(leak(seed_payload))),
        ("status_diary_skipped_subtask", None),
        (
            "status_diary_unknown_kinds",
            Some(vec!["mission_type", "retrospective"]),
        ),
    ])
}

#[test]
fn status_diary_goldens() {
    let replay = Path::new(DATA).join("status_diary/replay");
    let work = tempfile::tempdir().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&replay)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".jsonl").map(str::to_owned)
        })
        .collect();
    names.sort();
    let known = known_differences();
    assert_eq!(
        names.iter().map(String::as_str).collect::<Vec<_>>(),
        known.keys().copied().collect::<Vec<_>>()
    );
    // Each replay as a mission folder without meta.json, as 11.0.0 replays it.
    let dirs: Vec<PathBuf> = names
        .iter()
        .map(|name| {
            let dir = work.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            std::fs::copy(
                replay.join(format!("{name}.jsonl")),
                dir.join("status.events.jsonl"),
            )
            .unwrap();
            dir
        })
        .collect();
    let args: Vec<&str> = dirs.iter().map(|d| d.to_str().unwrap()).collect();
    let cli: Vec<Value> = run_with(Oracle::Cli, "cli_status.py", &args, "")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for ((name, dir), answer) in names.iter().zip(&dirs).zip(&cli) {
        let golden_text =
            std::fs::read_to_string(replay.join(format!("{name}_output.json"))).unwrap();
        let golden: Value = serde_json::from_str(&golden_text).unwrap();
        let (code, stdout, stderr) = run(&["status", "--json", dir.to_str().unwrap()]);
        match answer["status_json"].as_str() {
            Some(cli_bytes) => {
                assert_eq!(code, 0, "{name}: {stderr}");
                assert_eq!(stdout, cli_bytes, "{name}: not the CLI's bytes");
                let ours: Value = serde_json::from_str(&stdout).unwrap();
                let mut paths = BTreeSet::new();
                differing_paths(&ours, &golden, "", &mut paths);
                let expected: BTreeSet<String> = known[name.as_str()]
                    .as_ref()
                    .expect("a replay the CLI materializes")
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect();
                assert_eq!(
                    paths, expected,
                    "{name}: differences from the 11.0.0 golden"
                );
            }
            None => {
                assert!(known[name.as_str()].is_none(), "{name}: the CLI refused it");
                assert_eq!(code, 2, "{name}: refused like the CLI");
                assert!(
                    stderr.contains(
                        "line 3 (event 01JAAAA0000000000000000063): field `delta.subtasks.T002`"
                    ),
                    "{stderr}"
                );
                assert!(
                    stderr.contains(
                        "line 4 (event 01JAAAA0000000000000000064): field `delta.subtasks.T003`"
                    ),
                    "{stderr}"
                );
                assert!(golden["work_packages"]["WP01"]["subtasks"]["T002"] == "skipped");
            }
        }
    }
}

/// 11.0.0's `ledger_append` documents are the write contract of a local
/// JSONL ledger: the exact line an append adds. A status log may hold such
/// lines (decision points, glossary and mission events): `status` must read
/// each as a row it keeps and counts, never an error, never dropped, and
/// the materialized snapshot must not change because of it. Of the refusals,
/// only the torn tail concerns a reader: the unfinished line is named by
/// number. (The others — a NaN, an invalid payload, an unregistered model —
/// are refusals of the writer, which this crate is not.)
#[test]
fn ledger_append_fixtures() {
    let base = "{\"actor\": \"a\", \"at\": \"2026-08-01T10:00:00+00:00\", \"event_id\": \"01JAAAA00000000000000000B1\", \"evidence\": null, \"execution_mode\": \"worktree\", \"force\": false, \"from_lane\": \"genesis\", \"mission_slug\": \"m\", \"reason\": null, \"review_ref\": null, \"to_lane\": \"planned\", \"wp_id\": \"WP01\"}\n";
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("status.events.jsonl");
    std::fs::write(&log, base).unwrap();
    let (_, alone, _) = run(&["status", "--json", dir.path().to_str().unwrap()]);
    let mut valid = 0;
    for entry in std::fs::read_dir(Path::new(DATA).join("ledger_append/valid")).unwrap() {
        let path = entry.unwrap().path();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let line = doc["expected_line"].as_str().unwrap();
        // A ledger line already there (`{"prior": 1}`) has no field naming
        // a kind: the CLI reads such a row as a lane row, so it is a lane
        // row missing its fields, named.
        if let Some(existing) = doc["existing_ledger"].as_str() {
            for (i, prior) in existing.lines().enumerate() {
                let error = read_row(i + 1, prior).unwrap_err();
                assert_eq!(error.field(), "event_id", "{}", path.display());
            }
        }
        let text = format!("{base}{line}");
        let read = read_status_log(&text);
        assert!(
            read.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            read.errors
        );
        let appended = read.others.last().expect("the appended line is kept");
        assert_eq!(appended.line, 2, "{}", path.display());
        // Every ledger record names its event_type (the byte rule of the
        // fixtures' README), so it is read as an envelope of that type.
        let record: Value = serde_json::from_str(line).unwrap();
        let expected_kind = RowKind::Envelope(record["event_type"].as_str().unwrap().to_owned());
        assert_eq!(appended.kind, expected_kind, "{}", path.display());
        assert_eq!(read.rows.len(), 1);
        std::fs::write(&log, &text).unwrap();
        let (code, with_line, stderr) = run(&["status", "--json", dir.path().to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {stderr}", path.display());
        assert_eq!(with_line, alone, "{}", path.display());
        let (_, check, _) = run(&["status", "--check", dir.path().to_str().unwrap()]);
        assert!(check.contains("kept, not applied"), "{check}");
        valid += 1;
    }
    assert_eq!(valid, 20);
    let torn: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(DATA).join("ledger_append/invalid/torn_tail.json"))
            .unwrap(),
    )
    .unwrap();
    std::fs::write(
        &log,
        format!("{base}{}", torn["existing_ledger"].as_str().unwrap()),
    )
    .unwrap();
    let (code, stdout, _) = run(&["status", "--check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("line 2: ") && first.contains("not valid JSON"),
        "{stdout}"
    );
}
