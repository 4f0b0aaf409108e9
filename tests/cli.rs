//! The built `spec-kitty-events` binary, run as a subprocess: help on every
//! command, each exit code, standard input, and malformed files.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_spec-kitty-events");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    let run = Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    // Bad input is an error message, never a panic or a backtrace.
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.stderr);
    run
}

fn run(args: &[&str]) -> Run {
    run_with_stdin(args, b"")
}

/// An event line as the crate writes it (every field, contract order).
fn event(n: u64, clock: u64) -> String {
    let id = ulid::Ulid::from_parts(1_770_634_800_000, u128::from(n));
    let line = format!(
        r#"{{"event_id":"{id}","event_type":"Note","aggregate_id":"M1","payload":{{}},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":{clock},"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#
    );
    spec_kitty_events::contract::Event::from_json(&line)
        .unwrap()
        .to_json()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn every_command_has_help() {
    for command in [&[][..], &["replay"], &["validate"], &["merge"], &["status"]] {
        let mut args = command.to_vec();
        args.push("--help");
        let help = run(&args);
        assert_eq!(help.code, 0, "{args:?}");
        assert!(help.stdout.contains("Usage:"), "{args:?}: {}", help.stdout);
    }
    assert!(run(&["--help"]).stdout.contains("Exit codes"));
    assert_eq!(run(&["--version"]).code, 0);
}

#[test]
fn usage_errors_exit_2_on_stderr() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["validate"],
        &["merge", "a", "b"],
        &["status", "--bogus", "x"],
    ] {
        let result = run(args);
        assert_eq!(result.code, 2, "{args:?}");
        assert!(result.stdout.is_empty(), "{args:?}");
        assert!(!result.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn an_unreadable_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.jsonl");
    for command in ["validate", "replay", "status"] {
        let result = run(&[command, missing.to_str().unwrap()]);
        assert_eq!(result.code, 2, "{command}");
        assert!(
            result.stderr.contains("cannot read"),
            "{command}: {}",
            result.stderr
        );
    }
    // Bytes that are not UTF-8 are a bad line, named, not an unreadable file.
    let binary = dir.path().join("binary.jsonl");
    std::fs::write(&binary, [0xff, 0xfe, b'\n']).unwrap();
    let result = run(&["validate", binary.to_str().unwrap()]);
    assert_eq!(result.code, 1);
    assert!(
        result.stdout.starts_with("line 1: not UTF-8"),
        "{}",
        result.stdout
    );
}

#[test]
fn validate_accepts_a_good_log_from_a_file_and_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let log = format!("{}\n{}\n", event(1, 1), event(2, 2));
    let path = write(dir.path(), "good.jsonl", &log);
    let result = run(&["validate", &path]);
    assert_eq!(result.code, 0, "{}", result.stdout);
    assert_eq!(
        result.stdout,
        "2 events valid (2 of an unknown event_type, payload not checked: `Note`), 0 lines bad\n"
    );
    let piped = run_with_stdin(&["validate", "-"], log.as_bytes());
    assert_eq!((piped.code, piped.stdout), (0, result.stdout));
}

#[test]
fn validate_reports_each_bad_line_with_id_field_and_reason() {
    let bad_clock = event(2, 2).replace("\"lamport_clock\":2", "\"lamport_clock\":-2");
    let bad_payload = event(3, 3)
        .replace("\"Note\"", "\"WPStatusChanged\"")
        .replace("\"payload\":{}", r#""payload":{"feature_slug":"f","wp_id":"WP01","to_lane":"sideways","actor":"a","execution_mode":"worktree"}"#);
    let torn = &event(4, 4)[..40];
    let log = format!(
        "{}\n{bad_clock}\nnot json\n\n{bad_payload}\n{torn}",
        event(1, 1)
    );
    let result = run_with_stdin(&["validate", "-"], log.as_bytes());
    assert_eq!(result.code, 1);
    let lines: Vec<&str> = result.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", result.stdout);
    let id = |n: u64| ulid::Ulid::from_parts(1_770_634_800_000, u128::from(n)).to_string();
    assert!(
        lines[0].starts_with(&format!("line 2 (event {}): field `lamport_clock`", id(2))),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("line 3: not valid JSON"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(&format!(
            "line 5 (event {}): field `payload.to_lane`",
            id(3)
        )),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("line 6") && lines[3].contains("torn"),
        "{}",
        lines[3]
    );
    assert_eq!(
        lines[4],
        "1 event valid (1 of an unknown event_type, payload not checked: `Note`), 4 lines bad"
    );
}

#[test]
fn merge_writes_the_union_to_ours() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base", &format!("{}\n", event(1, 1)));
    let ours = write(
        dir.path(),
        "ours",
        &format!("{}\n{}\n", event(1, 1), event(3, 3)),
    );
    let theirs = write(
        dir.path(),
        "theirs",
        &format!("{}\n{}\n", event(2, 2), event(1, 1)),
    );
    let result = run(&["merge", &base, &ours, &theirs]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let merged = std::fs::read_to_string(&ours).unwrap();
    assert_eq!(
        merged,
        format!("{}\n{}\n{}\n", event(1, 1), event(2, 2), event(3, 3))
    );
}

const ROW: &str = r#"{"actor":"a","at":"2026-02-09T11:00:00Z","event_id":"01KJ5V38JGMT9FE0G46VCQDPYZ","evidence":null,"execution_mode":"worktree","feature_slug":"001-f","force":false,"from_lane":null,"policy_metadata":null,"reason":null,"review_ref":null,"to_lane":"planned","wp_id":"WP01"}"#;

#[test]
fn status_reads_a_directory_a_file_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let claimed = ROW
        .replace("01KJ5V38JGMT9FE0G46VCQDPYZ", "01KJ5V38JGMT9FE0G46VCQDPZ0")
        .replace("11:00:00Z", "11:05:00Z")
        .replace("\"from_lane\":null", "\"from_lane\":\"planned\"")
        .replace("\"to_lane\":\"planned\"", "\"to_lane\":\"claimed\"");
    let log = format!("{claimed}\n{ROW}\n");
    write(dir.path(), "status.events.jsonl", &log);

    let table = run(&["status", dir.path().to_str().unwrap()]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("WP01"), "{}", table.stdout);
    assert!(table.stdout.contains("claimed 1"), "{}", table.stdout);

    let json = run_with_stdin(&["status", "--json", "-"], log.as_bytes());
    assert_eq!(json.code, 0);
    let snapshot: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(snapshot["work_packages"]["WP01"]["lane"], "claimed");
    assert_eq!(snapshot["last_event_id"], "01KJ5V38JGMT9FE0G46VCQDPZ0");
    assert_eq!(snapshot["event_count"], 2);

    let file = dir.path().join("status.events.jsonl");
    let check = run(&["status", "--check", file.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(
        check
            .stdout
            .ends_with("2 rows read, 0 deviating from the contract, 0 deviations in all\n")
    );
}

#[test]
fn status_check_exits_1_on_deviations_and_unreadable_rows() {
    let forced = ROW
        .replace("\"force\":false", "\"force\":true")
        .replace("\"reason\":null", "\"reason\":\"migration\"")
        .replace("\"from_lane\":null", "\"from_lane\":\"planned\"")
        .replace("\"to_lane\":\"planned\"", "\"to_lane\":\"done\"");
    let log =
        format!("{forced}\n{{\"event_id\":\"01KJ5V38JGMT9FE0G46VCQDPZ9\",\"at\":\"yesterday\"}}\n");
    let check = run_with_stdin(&["status", "--check", "-"], log.as_bytes());
    assert_eq!(check.code, 1);
    assert!(
        check
            .stdout
            .contains("line 1 (event 01KJ5V38JGMT9FE0G46VCQDPYZ): field `from_lane`"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("line 1 (event 01KJ5V38JGMT9FE0G46VCQDPYZ): field `payload.evidence`"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("line 2 (event 01KJ5V38JGMT9FE0G46VCQDPZ9): field `at`"),
        "{}",
        check.stdout
    );

    // Without --check, a row that cannot be read makes the snapshot
    // impossible: a problem found in a readable file, so the same exit 1 as
    // --check on the same file (exit 2 is for input that cannot be read).
    let json = run_with_stdin(&["status", "--json", "-"], log.as_bytes());
    assert_eq!(json.code, 1);
    assert!(
        json.stderr.contains("cannot materialize"),
        "{}",
        json.stderr
    );
    assert!(json.stdout.is_empty());
    assert!(json.stderr.contains("line 2"), "{}", json.stderr);
}

/// The README's sample mission, built with the crate: a mission started in
/// `specify`, two more phases, two work packages from planned to done with
/// evidence, then completion.
fn sample_mission() -> String {
    use serde_json::json;
    let evidence = |wp: &str| {
        json!({
            "repos": [{"repo": "spec-kitty", "branch": format!("feature/{wp}"), "commit": "4f2c9e1", "files_touched": ["src/lib.rs"]}],
            "verification": [{"command": "cargo test", "result": "pass", "summary": "all green"}],
            "review": {"reviewer": "ana", "verdict": "approved", "reference": null}
        })
    };
    let mut steps: Vec<(&str, serde_json::Value)> = vec![
        (
            "MissionStarted",
            json!({"mission_id": "M1", "mission_type": "software-dev", "initial_phase": "specify", "actor": "rob"}),
        ),
        (
            "PhaseEntered",
            json!({"mission_id": "M1", "phase_name": "plan", "previous_phase": "specify", "actor": "rob"}),
        ),
        (
            "PhaseEntered",
            json!({"mission_id": "M1", "phase_name": "implement", "previous_phase": "plan", "actor": "rob"}),
        ),
    ];
    let lanes = [
        None,
        Some("planned"),
        Some("claimed"),
        Some("in_progress"),
        Some("for_review"),
        Some("done"),
    ];
    for wp in ["WP01", "WP02"] {
        for pair in lanes.windows(2) {
            let to = pair[1].unwrap_or_default();
            steps.push(("WPStatusChanged", json!({
                "feature_slug": "M1", "wp_id": wp, "from_lane": pair[0], "to_lane": to,
                "actor": if to == "done" { "ana" } else { "claude" }, "force": false, "reason": null,
                "execution_mode": "worktree", "review_ref": null,
                "evidence": if to == "done" { evidence(wp) } else { serde_json::Value::Null },
            })));
        }
    }
    steps.push(("PhaseEntered", json!({"mission_id": "M1", "phase_name": "review", "previous_phase": "implement", "actor": "ana"})));
    steps.push(("MissionCompleted", json!({"mission_id": "M1", "mission_type": "software-dev", "final_phase": "review", "actor": "rob"})));

    let start = "2026-02-09T11:00:00Z".parse::<jiff::Timestamp>().unwrap();
    let mut parent = None;
    let mut log = String::new();
    for (n, (event_type, payload)) in (1u64..).zip(steps) {
        let at = start + jiff::SignedDuration::from_mins(i64::try_from(n).unwrap());
        let id: spec_kitty_events::contract::Ulid =
            ulid::Ulid::from_parts(u64::try_from(at.as_millisecond()).unwrap(), u128::from(n))
                .into();
        let serde_json::Value::Object(payload) = payload else {
            unreachable!()
        };
        let event = spec_kitty_events::contract::Event::untyped_builder(event_type, payload)
            .event_id(id)
            .aggregate_id("M1")
            .timestamp(spec_kitty_events::contract::Timestamp::from_instant(at))
            .node_id("cli")
            .lamport_clock(n)
            .causation_id(parent)
            .project_uuid("00000000-0000-0000-0000-000000000001")
            .correlation_id(
                spec_kitty_events::contract::Ulid::parse("01JKQ4V7C00000000000000C0R").unwrap(),
            )
            .build()
            .unwrap();
        parent = Some(event.event_id());
        log.push_str(&event.to_json());
        log.push('\n');
    }
    log
}

#[test]
fn the_example_mission_log_is_the_one_the_crate_builds() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/mission.jsonl"
    ));
    let built = sample_mission();
    if std::env::var_os("SPEC_KITTY_EVENTS_BLESS").is_some() {
        std::fs::write(path, &built).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        built,
        "rerun with SPEC_KITTY_EVENTS_BLESS=1"
    );
    let result = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(result.code, 0, "{}", result.stdout);
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/mission.jsonl");

#[test]
fn replay_prints_the_mission_as_a_table() {
    let result = run(&["replay", EXAMPLE]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    for expected in [
        "status         completed",
        "phases entered specify -> plan -> implement -> review",
        "anomalies      0",
    ] {
        assert!(result.stdout.contains(expected), "{}", result.stdout);
    }
    assert!(
        result
            .stdout
            .lines()
            .any(|l| l.starts_with("WP01") && l.contains(" done ")),
        "{}",
        result.stdout
    );
}

#[test]
fn replay_json_is_the_reducers_json_from_a_file_and_from_stdin() {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let events = spec_kitty_events::log::read_log(&text).into_events();
    let expected = format!(
        "{}\n",
        spec_kitty_events::reduce::reduce_lifecycle_events(events).to_json()
    );
    let from_file = run(&["replay", "--json", EXAMPLE]);
    assert_eq!(
        (from_file.code, from_file.stdout.as_str()),
        (0, expected.as_str())
    );
    let from_stdin = run_with_stdin(&["replay", "--json", "-"], text.as_bytes());
    assert_eq!((from_stdin.code, from_stdin.stdout), (0, expected));
}

#[test]
fn replay_exits_1_on_bad_lines_and_anomalies_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(
        3,
        r#"{"event_id":"01JKQ4V7C00000000000000009","lamport_clock":"x"}"#,
    );
    let damaged = write(dir.path(), "damaged.jsonl", &(lines.join("\n") + "\n"));
    let result = run(&["replay", &damaged]);
    assert_eq!(result.code, 1);
    assert!(
        result
            .stderr
            .contains("line 4 (event 01JKQ4V7C00000000000000009)"),
        "{}",
        result.stderr
    );
    // The rest of the log still folds.
    assert!(
        result.stdout.contains("status         completed"),
        "{}",
        result.stdout
    );

    // Dropping the claim of WP01 makes its start an anomaly.
    let without_claim: Vec<&str> = text
        .lines()
        .filter(|l| !(l.contains("\"wp_id\":\"WP01\"") && l.contains("\"to_lane\":\"claimed\"")))
        .collect();
    let anomalous = write(
        dir.path(),
        "anomalous.jsonl",
        &(without_claim.join("\n") + "\n"),
    );
    let result = run(&["replay", &anomalous]);
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(
        result.stdout.contains("WPStatusChanged: WP WP01"),
        "{}",
        result.stdout
    );
}

#[test]
fn replay_of_a_missing_file_exits_2() {
    let result = run(&["replay", "no-such-log.jsonl"]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("no-such-log.jsonl"),
        "{}",
        result.stderr
    );
}
