//! `spec-kitty-events merge` as a real git merge driver: two branches append
//! to one log, `git merge` runs the driver, and the result is the union —
//! no conflict, no event lost, none doubled, in canonical order.

#[path = "support/git.rs"]
mod git_support;
use git_support::git;

use std::path::Path;
use std::process::Command;

use spec_kitty_events::contract::Event;
use spec_kitty_events::log::read_log;
use spec_kitty_events::reduce::canonical_order;

const BIN: &str = env!("CARGO_BIN_EXE_spec-kitty-events");

fn event(n: u64, clock: u64, node: &str) -> String {
    let id = ulid::Ulid::from_parts(1_770_634_800_000, u128::from(n));
    Event::from_json(&format!(
        r#"{{"event_id":"{id}","event_type":"Note","aggregate_id":"M1","payload":{{"n":{n}}},"timestamp":"2026-02-09T11:00:{:02}Z","node_id":"{node}","lamport_clock":{clock},"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}}"#,
        n % 60
    ))
    .unwrap()
    .to_json()
}

fn append(path: &Path, lines: &[String]) {
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn git_merge_with_the_driver_unions_both_branches() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(
        repo,
        &[
            "config",
            "merge.spec-kitty-events.name",
            "spec-kitty event log union",
        ],
    );
    git(
        repo,
        &[
            "config",
            "merge.spec-kitty-events.driver",
            &format!("'{BIN}' merge %O %A %B"),
        ],
    );
    std::fs::write(
        repo.join(".gitattributes"),
        "*.jsonl merge=spec-kitty-events\n",
    )
    .unwrap();
    let log = repo.join("events.jsonl");
    let base: Vec<String> = (1..=3).map(|n| event(n, n, "cli")).collect();
    append(&log, &base);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);

    // Both branches append at the end of the same file: a textual conflict
    // for git's own merge. One event is appended on both sides.
    git(repo, &["checkout", "-q", "-b", "theirs"]);
    let theirs: Vec<String> = vec![
        event(10, 4, "saas"),
        event(11, 5, "saas"),
        event(99, 6, "both"),
    ];
    append(&log, &theirs);
    git(repo, &["commit", "-q", "-am", "theirs"]);
    git(repo, &["checkout", "-q", "main"]);
    let ours: Vec<String> = vec![
        event(20, 4, "cli"),
        event(99, 6, "both"),
        event(21, 7, "cli"),
    ];
    append(&log, &ours);
    git(repo, &["commit", "-q", "-am", "ours"]);

    git(repo, &["merge", "-q", "--no-edit", "theirs"]);
    let status = git(repo, &["status", "--porcelain"]);
    assert!(
        status.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );

    let merged = std::fs::read_to_string(&log).unwrap();
    assert!(!merged.contains("<<<<<<<"));
    let read = read_log(&merged);
    assert!(read.errors.is_empty() && read.torn_tail.is_none());
    let events = read.into_events();
    let mut expected: Vec<String> = base.iter().chain(&theirs).chain(&ours).cloned().collect();
    expected.sort();
    expected.dedup();
    let mut got: Vec<String> = events.iter().map(Event::to_json).collect();
    assert_eq!(got.len(), expected.len(), "no event lost or doubled");
    // In canonical order already.
    assert_eq!(canonical_order(events.clone()), events);
    got.sort();
    assert_eq!(got, expected);
}

#[test]
fn the_driver_refuses_a_side_it_cannot_read_and_leaves_ours_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (base, ours, theirs) = (
        dir.path().join("base"),
        dir.path().join("ours"),
        dir.path().join("theirs"),
    );
    std::fs::write(&base, "").unwrap();
    let ours_text = format!("{}\n", event(1, 1, "cli"));
    std::fs::write(&ours, &ours_text).unwrap();
    std::fs::write(&theirs, format!("{}\nnot json\n", event(2, 2, "cli"))).unwrap();
    let output = Command::new(BIN)
        .args(["merge"])
        .args([&base, &ours, &theirs])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("line 2"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), ours_text);
}
