//! `merge` against hostile input and faults (issue 14): every line kept byte
//! for byte, conflicting copies refused, the target locked, symlinks
//! followed, permissions kept, what is not a regular file refused, no
//! concurrent merge lost; and spec-kitty's own status logs, whose rows are
//! not all contract envelopes, merged the same whichever side is ours.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use spec_kitty_events::log::{MergeRefusal, Side, merge_logs};

const BIN: &str = env!("CARGO_BIN_EXE_spec-kitty-events");

/// A contract event line with `extra` spliced in before the closing brace
/// and `timestamp` as given: what a writer other than this crate may write.
fn line(n: u32, clock: u64, timestamp: &str, extra: &str) -> String {
    format!(
        r#"{{"event_id":"01JKQ4V7C0000000000000{n:04}","event_type":"Note","aggregate_id":"M1","payload":{{"big":123456789012345678901234567890,"float":1.50,"exp":1e3}},"timestamp":"{timestamp}","node_id":"cli","lamport_clock":{clock},"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"{extra}}}"#
    )
}

fn merge(base: &Path, ours: &Path, theirs: &Path) -> Output {
    let output = Command::new(BIN)
        .args(["merge"])
        .args([base, ours, theirs])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    output
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Lines with unknown fields, number spellings serde would change, a leap
/// second, nanoseconds, an expanded negative year and an offset come out
/// exactly as they went in (before the fix they were re-serialized).
#[test]
fn merge_keeps_every_line_byte_for_byte() {
    let lines = [
        line(
            1,
            1,
            "2016-12-31T23:59:60Z",
            r#","x_unknown":{"keep":[1,2.0]}"#,
        ),
        line(2, 2, "2026-02-09T11:00:01.123456789Z", ""),
        line(3, 3, "-000001-01-01T00:00:00Z", r#", "spaced" : true"#),
        line(4, 4, "2026-02-09T12:00:01+01:00", ""),
    ];
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let ours = dir.path().join("ours");
    let theirs = dir.path().join("theirs");
    std::fs::write(&base, format!("{}\n", lines[0])).unwrap();
    std::fs::write(&ours, format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3])).unwrap();
    std::fs::write(&theirs, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
    let output = merge(&base, &ours, &theirs);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let merged = std::fs::read_to_string(&ours).unwrap();
    assert_eq!(merged, format!("{}\n", lines.join("\n")));
    // What merge wrote, validate accepts, and merging it again changes
    // nothing (before the fix a negative year came out in a form validate
    // rejected, and every later merge refused).
    let validate = Command::new(BIN)
        .args(["validate"])
        .arg(&ours)
        .output()
        .unwrap();
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validate.stdout)
    );
    assert_eq!(merge(&base, &ours, &theirs).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), merged);
}

/// A line that cannot be kept exactly (here a clocked line that does not
/// decode: a negative year written with four digits) is refused with its
/// reason; ours is left alone.
#[test]
fn a_line_that_cannot_be_merged_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let ours = dir.path().join("ours");
    let theirs = dir.path().join("theirs");
    let ours_text = format!("{}\n", line(1, 1, "2026-02-09T11:00:01Z", ""));
    std::fs::write(&base, "").unwrap();
    std::fs::write(&ours, &ours_text).unwrap();
    std::fs::write(
        &theirs,
        format!("{}\n[1,2]\n", line(2, 2, "-0001-01-01T00:00:00Z", "")),
    )
    .unwrap();
    let output = merge(&base, &ours, &theirs);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output);
    assert!(
        stderr.contains("theirs: line 1 (event 01JKQ4V7C00000000000000002): field `timestamp`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("theirs: line 2: not a JSON object"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), ours_text);
}

/// The same event_id with different contents: before the fix merge kept
/// one silently.
#[test]
fn conflicting_copies_of_one_event_id_are_a_named_error() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let ours = dir.path().join("ours");
    let theirs = dir.path().join("theirs");
    let ours_text = format!("{}\n", line(1, 1, "2026-02-09T11:00:01Z", ""));
    std::fs::write(&base, "").unwrap();
    std::fs::write(&ours, &ours_text).unwrap();
    std::fs::write(
        &theirs,
        format!("{}\n", line(1, 2, "2026-02-09T11:00:01Z", "")),
    )
    .unwrap();
    let output = merge(&base, &ours, &theirs);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains(
            "conflicting copies of event 01JKQ4V7C00000000000000001: ours line 1 and theirs line 1 differ"
        ),
        "{}",
        text(&output)
    );
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), ours_text);
    // The same event spelled with its keys in another order is one event.
    let respelled = line(1, 1, "2026-02-09T11:00:01Z", "").replacen(
        r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Note","#,
        r#"{"event_type":"Note","event_id":"01JKQ4V7C00000000000000001","#,
        1,
    );
    let merged = merge_logs(
        None,
        ours_text.as_bytes(),
        format!("{respelled}\n").as_bytes(),
    )
    .unwrap();
    assert_eq!(merged.iter().filter(|&&b| b == b'\n').count(), 1);
}

#[test]
fn merge_follows_a_symlink_and_keeps_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let real = dir.path().join("real.jsonl");
    let link = dir.path().join("link.jsonl");
    let theirs = dir.path().join("theirs");
    std::fs::write(&base, "").unwrap();
    std::fs::write(
        &real,
        format!("{}\n", line(1, 1, "2026-02-09T11:00:01Z", "")),
    )
    .unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real.jsonl", &link).unwrap();
    std::fs::write(
        &theirs,
        format!("{}\n", line(2, 2, "2026-02-09T11:00:02Z", "")),
    )
    .unwrap();
    let output = merge(&base, &link, &theirs);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(std::fs::read_to_string(&real).unwrap().lines().count(), 2);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
}

#[test]
fn merge_refuses_a_fifo_and_a_device_and_leaves_them_alone() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let theirs = dir.path().join("theirs");
    std::fs::write(&base, "").unwrap();
    std::fs::write(
        &theirs,
        format!("{}\n", line(2, 2, "2026-02-09T11:00:02Z", "")),
    )
    .unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for target in [fifo.as_path(), Path::new("/dev/null")] {
        let output = merge(&base, target, &theirs);
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        assert!(
            text(&output).contains("not a regular file"),
            "{}",
            text(&output)
        );
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(
        std::fs::symlink_metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

/// Four merges into one file at once, each bringing its own events: with
/// the lock, each reads the file the one before it wrote. Before the fix
/// three of the four were lost.
#[test]
fn four_concurrent_merges_into_one_file_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let ours = dir.path().join("ours");
    std::fs::write(&base, "").unwrap();
    std::fs::write(
        &ours,
        format!("{}\n", line(1, 1, "2026-02-09T11:00:01Z", "")),
    )
    .unwrap();
    for round in 0..3u32 {
        let children: Vec<_> = (0..4u32)
            .map(|k| {
                let theirs = dir.path().join(format!("theirs{k}"));
                let lines: String = (0..25u32)
                    .map(|i| {
                        let n = 1000 * (round + 1) + 100 * k + i;
                        line(n, u64::from(n), "2026-02-09T11:00:02Z", "") + "\n"
                    })
                    .collect();
                std::fs::write(&theirs, lines).unwrap();
                Command::new(BIN)
                    .args(["merge"])
                    .args([&base, &ours, &theirs])
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
        let merged = std::fs::read_to_string(&ours).unwrap();
        assert_eq!(
            merged.lines().count(),
            1 + 100 * (round as usize + 1),
            "round {round}"
        );
    }
}

/// spec-kitty's own log (a verbatim copy): lane rows without a clock, an
/// annotation row, an unclocked lifecycle envelope, a row with `type`. Split
/// into a base and two branches, merged both ways round: the union, every
/// row as written, in one order that does not depend on which side is ours.
#[test]
fn spec_kitty_status_logs_merge_the_same_whichever_side_is_ours() {
    let log = include_str!("data/real-logs-2026/short-help-flag-01KW6N7D/status.events.jsonl");
    let rows: Vec<&str> = log.lines().collect();
    assert!(rows.len() >= 10);
    assert!(rows.iter().any(|r| r.contains(r#""kind": "annotation""#)));
    assert!(rows.iter().any(|r| r.contains(r#""event_type""#)));
    let join = |part: &[&str]| part.iter().map(|r| format!("{r}\n")).collect::<String>();
    let base = join(&rows[..4]);
    let ours: Vec<&str> = rows[..4]
        .iter()
        .chain(rows[4..].iter().step_by(2))
        .copied()
        .collect();
    let theirs: Vec<&str> = rows[..4]
        .iter()
        .chain(rows[5..].iter().step_by(2))
        .copied()
        .collect();
    let (ours, theirs) = (join(&ours), join(&theirs));
    let one = merge_logs(Some(base.as_bytes()), ours.as_bytes(), theirs.as_bytes()).unwrap();
    let other = merge_logs(Some(base.as_bytes()), theirs.as_bytes(), ours.as_bytes()).unwrap();
    assert_eq!(one, other);
    let merged = String::from_utf8(one).unwrap();
    // Every row, as written, once.
    let mut got: Vec<&str> = merged.lines().collect();
    let mut want = rows.clone();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    // The base first, in its order.
    assert!(merged.starts_with(&base));
    // Then the new rows by their `at` text (the envelope by its
    // `timestamp`), then event_id: this log was written in that order.
    assert_eq!(merged, log);
}

#[test]
fn the_union_refuses_what_it_cannot_merge_by_id() {
    let good = format!("{}\n", line(1, 1, "2026-02-09T11:00:01Z", ""));
    let cases: [(&[u8], &str); 5] = [
        (b"\xff\xfe\n", "line 1: not UTF-8"),
        (
            b"{\"at\":\"x\"}\n",
            "line 1: field `event_id`: missing or not a string",
        ),
        (b"\xef\xbb\xbf{\"event_id\":\"a\"}\n", "byte-order mark"),
        (b"{\"event_id\":\"a\",\"lamport_clock\":-1}\n", "field `"),
        (b"{\"event_id\":\"a\"", "torn last line"),
    ];
    for (theirs, expected) in cases {
        let refusals = merge_logs(None, good.as_bytes(), theirs).unwrap_err();
        assert_eq!(refusals.len(), 1, "{refusals:?}");
        assert!(matches!(
            refusals[0],
            MergeRefusal::Line {
                side: Side::Theirs,
                ..
            }
        ));
        let message = refusals[0].to_string();
        assert!(message.contains(expected), "{message}");
    }
    // A last line without a newline that reads whole is kept.
    let merged = merge_logs(None, b"", b"{\"event_id\":\"a\"}").unwrap();
    assert_eq!(merged, b"{\"event_id\":\"a\"}\n");
}
