//! spec-kitty's `status.json` through a real `git merge`: two branches move
//! different work packages and annotate them; `merge-status` materializes
//! `status.json` again from the union of both logs. No conflict in either
//! file, `status.json` equal to a fresh materialization (and to the CLI's),
//! no row lost, none doubled, every line as written.

#[path = "support/reference.rs"]
mod reference;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use reference::{Oracle, run_with};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_spec-kitty-events");
const MISSION: &str = "kitty-specs/077-merge";

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        // A test must not read the developer's git configuration.
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn lane(id: &str, at: &str, wp: &str, from: &str, to: &str, extra: &str) -> String {
    format!(
        r#"{{"actor": "claude", "at": "2026-08-20T{at}+00:00", "event_id": "{id}", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "{from}", "mission_id": "01M0MERGE00000000000000000", "mission_slug": "077-merge", "policy_metadata": {extra}, "reason": null, "review_ref": null, "review_result": null, "to_lane": "{to}", "wp_id": "{wp}"}}"#
    )
}

fn annotation(id: &str, at: &str, wp: &str, delta: &str) -> String {
    format!(
        r#"{{"actor": "claude", "at": "2026-08-20T{at}+00:00", "delta": {delta}, "event_id": "{id}", "kind": "annotation", "wp_id": "{wp}"}}"#
    )
}

/// Appends `lines` to the mission's log, materializes status.json with
/// `status --write` (as the CLI does after each append), and commits.
fn append_and_commit(repo: &Path, lines: &[String], message: &str) {
    let dir = repo.join(MISSION);
    let log = dir.join("status.events.jsonl");
    let mut text = std::fs::read_to_string(&log).unwrap_or_default();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(&log, text).unwrap();
    let out = Command::new(BIN)
        .args(["status", "--write", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
}

/// How the two branches come together.
#[derive(Clone, Copy)]
enum Join {
    /// `git merge feature` on `main`.
    Merge,
    /// `git rebase main` on `feature`.
    Rebase,
    /// `git cherry-pick feature` on `main`, expected to stop on a conflict.
    CherryPick,
}

/// Sets up the repository and the two branches, and joins them with
/// `log_driver` for the log; returns the repo's directory.
fn merged_repo(log_driver: &str, join: Join) -> (tempfile::TempDir, Vec<String>) {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(repo.join(MISSION)).unwrap();
    std::fs::write(
        repo.join(MISSION).join("meta.json"),
        r#"{"mission_number": 77, "mission_slug": "077-merge", "mission_type": "software-dev"}"#,
    )
    .unwrap();
    git(
        repo,
        &[
            "config",
            "merge.spec-kitty-events.driver",
            &format!("{BIN} merge %O %A %B"),
        ],
    );
    git(
        repo,
        &[
            "config",
            "merge.spec-kitty-status.driver",
            &format!("{BIN} merge-status %O %A %B %P"),
        ],
    );
    std::fs::write(
        repo.join(".gitattributes"),
        format!("status.events.jsonl merge={log_driver}\nstatus.json merge=spec-kitty-status\n"),
    )
    .unwrap();
    let base = vec![
        lane(
            "01M0MERGE0000000000000000A",
            "10:00:00",
            "WP01",
            "genesis",
            "planned",
            "null",
        ),
        lane(
            "01M0MERGE0000000000000000B",
            "10:00:01",
            "WP02",
            "genesis",
            "planned",
            "null",
        ),
        annotation(
            "01M0MERGE0000000000000000C",
            "10:00:02",
            "WP01",
            r#"{"subtasks": {"T001": "planned", "T002": "planned"}}"#,
        ),
    ];
    append_and_commit(repo, &base, "base");
    git(repo, &["checkout", "-q", "-b", "feature"]);
    let theirs = vec![
        lane(
            "01M0MERGE0000000000000000D",
            "11:00:00",
            "WP01",
            "planned",
            "claimed",
            r#"{"agent": "codex", "shell_pid": 4242}"#,
        ),
        lane(
            "01M0MERGE0000000000000000E",
            "11:05:00",
            "WP01",
            "claimed",
            "in_progress",
            "null",
        ),
        annotation(
            "01M0MERGE0000000000000000F",
            "11:06:00",
            "WP01",
            r#"{"subtasks": {"T001": "done"}, "note": "half way"}"#,
        ),
    ];
    append_and_commit(repo, &theirs, "feature moves WP01");
    git(repo, &["checkout", "-q", "main"]);
    let ours = vec![
        lane(
            "01M0MERGE0000000000000000G",
            "10:30:00",
            "WP02",
            "planned",
            "claimed",
            r#"{"agent": "claude", "shell_pid": 77}"#,
        ),
        annotation(
            "01M0MERGE0000000000000000H",
            "10:31:00",
            "WP02",
            r##"{"tracker_refs": ["#12"], "role": "implementer"}"##,
        ),
    ];
    append_and_commit(repo, &ours, "main moves WP02");
    match join {
        Join::Merge => {
            git(repo, &["merge", "-q", "--no-edit", "feature"]);
        }
        Join::Rebase => {
            git(repo, &["checkout", "-q", "feature"]);
            git(repo, &["rebase", "-q", "main"]);
        }
        Join::CherryPick => {
            let out = Command::new("git")
                .current_dir(repo)
                .args(["cherry-pick", "feature"])
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_COMMITTER_NAME", "t")
                .env("GIT_COMMITTER_EMAIL", "t@example.com")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "the cherry-pick stops");
            assert!(
                stderr.contains("cannot tell which commit is being merged"),
                "{stderr}"
            );
            assert!(
                stderr.contains("spec-kitty-events status --write DIR"),
                "{stderr}"
            );
        }
    }
    let all: Vec<String> = base.into_iter().chain(ours).chain(theirs).collect();
    (temp, all)
}

fn check_merge(repo: &Path, rows: &[String]) {
    let dir = repo.join(MISSION);
    // No conflict: the merge committed, the tree is clean.
    let status = git(repo, &["status", "--porcelain"]);
    assert!(
        status.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    // Every row of both branches, once, exactly as written.
    let log = std::fs::read_to_string(dir.join("status.events.jsonl")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), rows.len(), "{log}");
    let written: BTreeSet<&str> = lines.iter().copied().collect();
    let expected: BTreeSet<&str> = rows.iter().map(String::as_str).collect();
    assert_eq!(written, expected);
    // status.json is a fresh materialization of the merged log, and the CLI's.
    let snapshot = std::fs::read_to_string(dir.join("status.json")).unwrap();
    let fresh = Command::new(BIN)
        .args(["status", "--json", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(snapshot, String::from_utf8(fresh.stdout).unwrap());
    let cli: Value = serde_json::from_str(&run_with(
        Oracle::Cli,
        "cli_status.py",
        &[dir.to_str().unwrap()],
        "",
    ))
    .unwrap();
    assert_eq!(cli["status_json"].as_str(), Some(snapshot.as_str()));
    // Nothing lost: both branches' moves and annotations are there.
    let doc: Value = serde_json::from_str(&snapshot).unwrap();
    assert_eq!(doc["event_count"], 5);
    assert_eq!(doc["work_packages"]["WP01"]["lane"], "in_progress");
    assert_eq!(doc["work_packages"]["WP01"]["agent"], "codex");
    assert_eq!(doc["work_packages"]["WP01"]["subtasks"]["T001"], "done");
    assert_eq!(doc["work_packages"]["WP01"]["subtasks"]["T002"], "planned");
    assert_eq!(doc["work_packages"]["WP01"]["notes"][0], "half way");
    assert_eq!(doc["work_packages"]["WP02"]["lane"], "claimed");
    assert_eq!(doc["work_packages"]["WP02"]["shell_pid"], 77);
    assert_eq!(doc["work_packages"]["WP02"]["tracker_refs"][0], "#12");
    assert_eq!(doc["summary"]["claimed"], 1);
    assert_eq!(doc["summary"]["in_progress"], 1);
}

/// The status.json driver on its own: the log merged by git's own `union`
/// driver (enough when both sides only append), status.json by
/// `merge-status`.
#[test]
fn merge_status_rematerializes_status_json_from_both_logs() {
    let (temp, rows) = merged_repo("union", Join::Merge);
    check_merge(temp.path(), &rows);
}

/// The same when `feature` is rebased onto `main`: the driver finds the
/// commit the rebase is picking.
#[test]
fn merge_status_rematerializes_status_json_during_a_rebase() {
    let (temp, rows) = merged_repo("union", Join::Rebase);
    check_merge(temp.path(), &rows);
}

/// A lone `git cherry-pick` names its commit nowhere while drivers run: the
/// driver says so and leaves a conflict (ours kept), which `status --write`
/// resolves once the log is merged.
#[test]
fn merge_status_leaves_a_lone_cherry_pick_to_status_write() {
    let (temp, rows) = merged_repo("union", Join::CherryPick);
    let repo = temp.path();
    let dir = repo.join(MISSION);
    // The driver left ours as it was: main's committed status.json.
    let left = std::fs::read_to_string(dir.join("status.json")).unwrap();
    let committed = git(repo, &["show", &format!("HEAD:{MISSION}/status.json")]).stdout;
    assert_eq!(left.as_bytes(), committed);
    let out = Command::new(BIN)
        .args(["status", "--write", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(repo, &["add", "-A"]);
    git(
        repo,
        &["-c", "core.editor=true", "cherry-pick", "--continue"],
    );
    check_merge(repo, &rows);
}

/// Both drivers as the README configures them: `merge` for the log (the
/// union by event_id, every line kept exactly as written) and
/// `merge-status` for status.json.
#[test]
fn git_merge_of_two_branches_keeps_both_files_whole() {
    let (temp, rows) = merged_repo("spec-kitty-events", Join::Merge);
    check_merge(temp.path(), &rows);
}
