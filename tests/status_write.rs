//! `status --write` materializes status.json as the CLI does: the same
//! bytes, atomically, and not at all when they would not change; a row of
//! an unknown kind is kept, counted and reported, never a failure.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

const BIN: &str = env!("CARGO_BIN_EXE_spec-kitty-events");
const MISSION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/real-logs-2026/analysis-report-coord-worktree-fix-01KV6DC9"
);

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(BIN).args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn copy_mission(to: &Path) {
    for name in ["status.events.jsonl", "meta.json"] {
        std::fs::copy(Path::new(MISSION).join(name), to.join(name)).unwrap();
    }
}

#[test]
fn write_puts_the_clis_bytes_in_place_and_leaves_an_up_to_date_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    copy_mission(dir.path());
    let path = dir.path().to_str().unwrap();
    let status = dir.path().join("status.json");
    // A stale file is replaced by the committed (CLI-written) bytes.
    std::fs::write(&status, "{}\n").unwrap();
    let (code, _, stderr) = run(&["status", "--write", path]);
    assert_eq!(code, 0, "{stderr}");
    let committed = std::fs::read_to_string(Path::new(MISSION).join("status.json")).unwrap();
    assert_eq!(std::fs::read_to_string(&status).unwrap(), committed);
    // Nothing but the three files: the temporary file was renamed.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["meta.json", "status.events.jsonl", "status.json"]);
    // Up to date: not rewritten (its modification time stays in the past).
    let past = SystemTime::now() - Duration::from_secs(86_400);
    std::fs::File::options()
        .write(true)
        .open(&status)
        .unwrap()
        .set_modified(past)
        .unwrap();
    let (code, _, _) = run(&["status", "--write", path]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::metadata(&status).unwrap().modified().unwrap(),
        past
    );
    // --write needs the mission's folder, not a bare log.
    let log = dir.path().join("status.events.jsonl");
    let (code, _, stderr) = run(&["status", "--write", log.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--write needs a mission directory"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_row_kind_is_kept_counted_and_reported_never_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    copy_mission(dir.path());
    let path = dir.path().to_str().unwrap();
    let (_, before, _) = run(&["status", "--json", path]);
    let log = dir.path().join("status.events.jsonl");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("{\"kind\": \"hologram\", \"event_id\": \"01JAAAA00000000000000000Z9\"}\n");
    text.push_str("{\"kind\": \"hologram\", \"event_id\": \"01JAAAA00000000000000000Z8\"}\n");
    std::fs::write(&log, &text).unwrap();
    let (code, after, stderr) = run(&["status", "--json", path]);
    assert_eq!((code, after), (0, before), "{stderr}");
    let (code, table, _) = run(&["status", path]);
    assert_eq!(code, 0);
    assert!(
        table.contains("kept, not applied: 2 unknown kind hologram"),
        "{table}"
    );
    let (code, check, _) = run(&["status", "--check", path]);
    assert_eq!(code, 0, "{check}");
    assert!(
        check.contains("kept, not applied: 2 unknown kind hologram"),
        "{check}"
    );
    assert!(
        check.contains("rows by kind: 4 lane, 0 annotation, 13 other, 0 unreadable"),
        "{check}"
    );
}
