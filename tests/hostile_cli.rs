//! The command line against hostile input and faults (issue 14), one test
//! per failure the issue lists (merge's are in `hostile_merge.rs`): no
//! panic when stderr or stdout cannot be written, limits on endless input,
//! clocks past the range, and messages that name line, event, field and
//! reason.

#[path = "support/mission_logs.rs"]
mod mission_logs;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use mission_logs::{E, id, started, wp};

const BIN: &str = env!("CARGO_BIN_EXE_spec-kitty-events");

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn finish(output: Output) -> Run {
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn run(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The command may stop reading early (a limit passed): not an error.
    let _ = input.write_all(stdin);
    drop(input);
    finish(child.wait_with_output().unwrap())
}

fn line(e: &E) -> String {
    e.json().to_string()
}

fn log(parts: &[E]) -> String {
    parts.iter().map(|e| line(e) + "\n").collect()
}

fn mission() -> Vec<E> {
    vec![
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "WPStatusChanged", wp("WP01", None, "planned"), 2),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

fn full() -> std::fs::File {
    std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

/// Before the fix `replay`, `merge` (and `status`) panicked, exit 101, when
/// stderr could not be written. Each still exits with its documented code.
#[test]
fn a_full_or_closed_stderr_gives_the_documented_exit_code_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.jsonl",
        format!("{}not json\n", log(&mission())).as_bytes(),
    );
    let empty = write(dir.path(), "empty", b"");
    let ours = write(dir.path(), "ours", b"{\"event_id\":\"a\",\"n\":1}\n");
    let theirs = write(dir.path(), "theirs", b"{\"event_id\":\"a\",\"n\":2}\n");
    let cases: [(&[&str], i32); 5] = [
        (&["replay", &bad], 1),
        (&["status", &bad], 1),
        (&["merge", &empty, &ours, &theirs], 1),
        (&["validate", "no-such-file"], 2),
        (&["replay", "no-such-file"], 2),
    ];
    for (args, code) in cases {
        let on_full = Command::new(BIN)
            .args(args)
            .stdout(Stdio::null())
            .stderr(full())
            .output()
            .unwrap();
        assert_eq!(
            on_full.status.code(),
            Some(code),
            "{args:?} on a full stderr"
        );
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let on_closed = Command::new(BIN)
            .args(args)
            .stdout(Stdio::null())
            .stderr(writer)
            .output()
            .unwrap();
        assert_eq!(
            on_closed.status.code(),
            Some(code),
            "{args:?} on a closed stderr"
        );
    }
}

/// A stdout that cannot be written is unusable output: exit 2, no panic,
/// even with stderr full too.
#[test]
fn a_full_stdout_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.jsonl", log(&mission()).as_bytes());
    for command in ["replay", "validate"] {
        let output = Command::new(BIN)
            .args([command, &good])
            .stdout(full())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write output"));
        let both = Command::new(BIN)
            .args([command, &good])
            .stdout(full())
            .stderr(full())
            .output()
            .unwrap();
        assert_eq!(both.status.code(), Some(2), "{command}");
    }
}

/// Endless input was read into memory until the machine ran out.
#[test]
fn endless_input_stops_at_the_documented_line_limit() {
    for args in [&["validate", "/dev/zero"][..], &["replay", "/dev/zero"]] {
        let result = run(args, b"");
        assert_eq!(result.code, Some(2), "{args:?}");
        assert!(
            result
                .stderr
                .contains("line 1 is longer than 16 MiB (the longest line read)"),
            "{}",
            result.stderr
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty", b"");
    let ours = write(dir.path(), "ours", b"");
    let result = run(&["merge", &empty, &ours, "/dev/zero"], b"");
    assert_eq!(result.code, Some(2));
    assert!(result.stderr.contains("16 MiB"), "{}", result.stderr);
    // And the limits are where a user looks.
    for command in ["replay", "validate", "merge"] {
        let help = run(&[command, "--help"], b"").stdout;
        assert!(
            help.contains("longer than 16 MiB") && help.contains("1 GiB"),
            "{help}"
        );
    }
}

/// 2^64-1 was accepted; 2^64 was reported as a float.
#[test]
fn clocks_past_the_range_are_refused_as_integers() {
    let max = line(&E::new(1, "MissionStarted", started("s"), 9_223_372_036_854_775_807).at(1));
    let over = line(&E::new(2, "MissionStarted", started("s"), 1)).replace(
        "\"lamport_clock\":1",
        "\"lamport_clock\":18446744073709551615",
    );
    let way_over = line(&E::new(3, "MissionStarted", started("s"), 1)).replace(
        "\"lamport_clock\":1",
        "\"lamport_clock\":18446744073709551616",
    );
    let float = line(&E::new(4, "MissionStarted", started("s"), 1))
        .replace("\"lamport_clock\":1", "\"lamport_clock\":2.0");
    let result = run(
        &["validate", "-"],
        format!("{max}\n{over}\n{way_over}\n{float}\n").as_bytes(),
    );
    let lines: Vec<&str> = result.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "line 2 (event {}): field `lamport_clock`: integer `18446744073709551615` is out of range: at most 9223372036854775807 (2^63 - 1)",
            id(2)
        )
    );
    assert_eq!(
        lines[1],
        format!(
            "line 3 (event {}): field `lamport_clock`: integer `18446744073709551616` is out of range",
            id(3)
        )
    );
    assert_eq!(
        lines[2],
        format!(
            "line 4 (event {}): field `lamport_clock`: `2.0` is not an integer: write it without a fraction or exponent",
            id(4)
        )
    );
    assert_eq!(lines[3], "1 event valid, 3 lines bad");
}

#[test]
fn a_byte_order_mark_gets_a_hint() {
    let text = format!("\u{feff}{}", log(&mission()));
    let result = run(&["validate", "-"], text.as_bytes());
    assert_eq!(result.code, Some(1));
    assert!(
        result.stdout.starts_with(&format!(
            "line 1 (event {}): the line starts with a UTF-8 byte-order mark (BOM): save the log as UTF-8 without a BOM",
            id(1)
        )),
        "{}",
        result.stdout
    );
}

/// A torn last line named its field `?`.
#[test]
fn a_torn_last_line_says_where_it_ends() {
    let whole = line(&mission()[0]);
    let after_value = &whole[..whole.find(",\"event_type\"").unwrap()];
    let in_name = &whole[..whole.find("event_type").unwrap() + 5];
    let result = run(&["validate", "-"], after_value.as_bytes());
    assert!(
        result
            .stdout
            .starts_with("line 1: the line ends after field `event_id`, before the object closes"),
        "{}",
        result.stdout
    );
    assert!(!result.stdout.contains('?'), "{}", result.stdout);
    let result = run(&["validate", "-"], in_name.as_bytes());
    assert!(
        result
            .stdout
            .starts_with("line 1: the line ends inside a field name (`event…`)"),
        "{}",
        result.stdout
    );
}

/// One invalid byte rejected the whole file, without a line number.
#[test]
fn a_line_that_is_not_utf8_is_named_and_the_others_are_checked() {
    let parts = mission();
    let mut bytes = format!("{}\n", line(&parts[0])).into_bytes();
    bytes.extend_from_slice(b"{\"event_id\":\"\xff\"}\n");
    bytes.extend_from_slice(format!("{}\n", line(&parts[1])).as_bytes());
    let result = run(&["validate", "-"], &bytes);
    assert_eq!(result.code, Some(1));
    assert_eq!(
        result.stdout,
        "line 2: not UTF-8: byte 0xff at column 14 (save the log as UTF-8)\n2 events valid, 1 line bad\n"
    );
    let replay = run(&["replay", "-"], &bytes);
    assert_eq!(replay.code, Some(1));
    assert!(replay.stdout.contains("WP01"), "{}", replay.stdout);
    assert!(
        replay.stderr.contains("line 2: not UTF-8"),
        "{}",
        replay.stderr
    );
}

/// A 10 MB bad id was echoed twice.
#[test]
fn a_huge_bad_id_is_shortened() {
    let huge = "X".repeat(10 << 20);
    let text = line(&mission()[0]).replacen(&id(1), &huge, 1) + "\n";
    let result = run(&["validate", "-"], text.as_bytes());
    assert_eq!(result.code, Some(1));
    assert!(result.stdout.len() < 1000, "{} bytes", result.stdout.len());
    assert!(
        result.stdout.contains("field `event_id`"),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("(10485760 bytes)"),
        "{}",
        result.stdout
    );
}

/// A log of nothing but bad lines printed an empty state as if fine.
#[test]
fn replay_of_a_log_with_no_event_says_so() {
    let result = run(&["replay", "-"], b"not json\n{}\n");
    assert_eq!(result.code, Some(1));
    assert_eq!(result.stdout, "");
    assert!(
        result
            .stderr
            .ends_with("-: no line is an event (2 bad lines): nothing to replay\n"),
        "{}",
        result.stderr
    );
    let json = run(&["replay", "--json", "-"], b"not json\n");
    assert_eq!((json.code, json.stdout.as_str()), (Some(1), ""));
}

/// An unknown event_type counted as valid without a word.
#[test]
fn validate_names_unknown_event_types() {
    let mut parts = mission();
    parts.push(E::new(3, "Mystery", serde_json::json!({}), 3));
    let result = run(&["validate", "-"], log(&parts).as_bytes());
    assert_eq!(result.code, Some(0));
    assert_eq!(
        result.stdout,
        "3 events valid (1 of an unknown event_type, payload not checked: `Mystery`), 0 lines bad\n"
    );
}

/// The same event_id with different contents: validate and replay said
/// nothing.
#[test]
fn conflicting_copies_are_an_error_in_validate_and_an_anomaly_in_replay() {
    let mut parts = mission();
    parts.push(E::new(2, "WPStatusChanged", wp("WP01", None, "claimed"), 2));
    let text = log(&parts);
    let result = run(&["validate", "-"], text.as_bytes());
    assert_eq!(result.code, Some(1));
    assert_eq!(
        result.stdout,
        format!(
            "line 3 (event {}): conflicting copies of one event_id: differs from line 2\n2 events valid, 1 line bad\n",
            id(2)
        )
    );
    let replay = run(&["replay", "-"], text.as_bytes());
    assert_eq!(replay.code, Some(1));
    assert!(
        replay.stdout.contains("conflicting copies of one event_id"),
        "{}",
        replay.stdout
    );
}

/// An event naming itself as its cause passed without an anomaly.
#[test]
fn self_causation_is_an_anomaly() {
    let mut parts = mission();
    parts.push(E::new(3, "PhaseEntered", mission_logs::phase("plan"), 3).caused_by(3));
    let result = run(&["replay", "-"], log(&parts).as_bytes());
    assert_eq!(result.code, Some(1));
    assert!(
        result.stdout.contains(&format!(
            "{} PhaseEntered: causation_id names the event itself",
            id(3)
        )),
        "{}",
        result.stdout
    );
}

/// Long ids pushed the replay table's columns out of line.
#[test]
fn the_replay_table_keeps_its_columns_with_long_names() {
    let long = format!("WP-{}", "very-long-work-package-name-".repeat(3));
    let parts = vec![
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "WPStatusChanged", wp("WP01", None, "planned"), 2),
        E::new(3, "WPStatusChanged", wp(&long, None, "planned"), 3),
    ];
    let result = run(&["replay", "-"], log(&parts).as_bytes());
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let table: Vec<&str> = result
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("WORK PACKAGE"))
        .take(3)
        .collect();
    assert_eq!(table.len(), 3, "{}", result.stdout);
    let lane_at: Vec<usize> = table
        .iter()
        .map(|row| {
            let at = row.find("LANE").or_else(|| row.find("planned")).unwrap();
            row[..at].chars().count()
        })
        .collect();
    assert_eq!(lane_at[0], lane_at[1], "{}", result.stdout);
    assert_eq!(lane_at[1], lane_at[2], "{}", result.stdout);
    assert!(
        table[2].contains('…'),
        "a long cell is shortened: {}",
        table[2]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Arbitrary bytes through the validate and replay paths of the binary:
    /// never a panic, exit 0 or 1, and every report names its line.
    #[test]
    fn arbitrary_bytes_through_the_command_line_are_named_never_a_panic(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        with_event in proptest::prelude::any::<bool>(),
    ) {
        let mut input = if with_event { log(&mission()).into_bytes() } else { Vec::new() };
        input.extend_from_slice(&bytes);
        let validate = run(&["validate", "-"], &input);
        proptest::prop_assert!(matches!(validate.code, Some(0 | 1)), "{}", validate.stderr);
        let mut lines: Vec<&str> = validate.stdout.lines().collect();
        let summary = lines.pop().unwrap_or_default();
        // A log of envelopes ends with its count of valid events and bad
        // lines; one that reads as spec-kitty's status log (a line `{}` is a
        // lane row missing its fields) with its count of deviations.
        proptest::prop_assert!(
            (summary.contains(" valid") && summary.ends_with(" bad"))
                || summary.ends_with(" in all"),
            "{}",
            summary
        );
        for report in lines {
            proptest::prop_assert!(
                report.starts_with("line ")
                    || report.starts_with("rows by kind: ")
                    || report.starts_with("kept, not applied: "),
                "{}",
                report
            );
        }
        let replay = run(&["replay", "-"], &input);
        proptest::prop_assert!(matches!(replay.code, Some(0 | 1)), "{}", replay.stderr);
        for report in replay.stderr.lines() {
            proptest::prop_assert!(report.starts_with("-: "), "{}", report);
        }
    }
}
