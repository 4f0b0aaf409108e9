//! `merge-status`: the git merge driver for spec-kitty's `status.json`.
//!
//! A `status.json` is derived data: merging its text can only conflict or
//! lie (spec-kitty's issues 4955 and 4091: conflicts, and an `event_count`
//! short of the merged log's). So the driver ignores the three texts and
//! materializes the file again from the union of both sides' logs, read
//! from git. Git writes the merged `status.events.jsonl` to the working tree
//! only after every driver ran, so the driver reads the two sides' logs
//! from their commits: ours is `HEAD`, theirs the commit git names in the
//! driver's environment (`GITHEAD_<sha>`, set by `git merge` and `git
//! pull`), else `MERGE_HEAD`, `CHERRY_PICK_HEAD`, `REVERT_HEAD` or
//! `REBASE_HEAD`, else the commit a rebase is picking (the last line of
//! `rebase-merge/done`). A single `git cherry-pick` names its commit
//! nowhere while drivers run: the driver then exits 1, leaving ours (a
//! conflict to resolve with `spec-kitty-events status --write DIR`).

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Args;
use spec_kitty_events::log::merge_logs;
use spec_kitty_events::spec_kitty::{Era, MissionMeta, materialize, read_status_log};

use crate::target_file::write_if_changed;
use crate::{Failure, report, report_bad_lines};

#[derive(Args)]
pub(crate) struct MergeStatusArgs {
    /// The common ancestor's status.json (`%O`); not read.
    pub(crate) base: PathBuf,
    /// Our status.json (`%A`); the materialization is written here.
    pub(crate) ours: PathBuf,
    /// Their status.json (`%B`); not read.
    pub(crate) theirs: PathBuf,
    /// The file's path in the repository (`%P`): its folder holds the log.
    pub(crate) path: PathBuf,
}

pub(crate) fn merge_status(args: &MergeStatusArgs) -> Result<(), Failure> {
    let dir = args.path.parent().unwrap_or(Path::new(""));
    let theirs = their_commit().ok_or_else(|| {
        Failure::Unusable(
            "cannot tell which commit is being merged (no GITHEAD_*, MERGE_HEAD, \
             CHERRY_PICK_HEAD, REVERT_HEAD, REBASE_HEAD or rebase in progress); \
             status.json left as ours: run `spec-kitty-events status --write DIR` \
             once the log is merged"
                .into(),
        )
    })?;
    // The log exactly as the `merge` driver writes it for this merge: the
    // same union of the same three versions.
    let log = |rev: &str| show(rev, &dir.join("status.events.jsonl"));
    let base = match merge_base("HEAD", &theirs) {
        Some(base) => log(&base)?,
        None => None,
    };
    let merged = merge_logs(
        base.as_deref().map(str::as_bytes),
        log("HEAD")?.unwrap_or_default().as_bytes(),
        log(&theirs)?.unwrap_or_default().as_bytes(),
    )
    .map_err(|refusals| {
        for refusal in &refusals {
            report(format_args!(
                "{} (merged log): {refusal}",
                args.path.display()
            ));
        }
        Failure::Problems
    })?;
    let merged = String::from_utf8(merged).map_err(|_| {
        Failure::Unusable(format!(
            "{}: the merged log is not UTF-8",
            args.path.display()
        ))
    })?;
    let read = read_status_log(&merged);
    if !read.errors.is_empty() {
        report_bad_lines(
            &format!("{} (merged log)", args.path.display()),
            &read.errors,
        );
        return Err(Failure::Problems);
    }
    let meta_text = match show("HEAD", &dir.join("meta.json"))? {
        Some(text) => Some(text),
        None => show(&theirs, &dir.join("meta.json"))?,
    };
    let meta = match meta_text {
        Some(text) => MissionMeta::parse(&text).map_err(Failure::Unusable)?,
        None => MissionMeta::default(),
    };
    let bytes = materialize(&read, &meta, Era::of(&read), None);
    write_if_changed(&args.ours, bytes.as_bytes())?;
    Ok(())
}

/// The best common ancestor of two commits, when they have one.
fn merge_base(ours: &str, theirs: &str) -> Option<String> {
    let out = Command::new("git")
        .args(["merge-base", ours, theirs])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|sha| !sha.is_empty())
}

/// The commit merged into `HEAD`.
fn their_commit() -> Option<String> {
    let mut named: Vec<String> = std::env::vars()
        .filter_map(|(key, _)| key.strip_prefix("GITHEAD_").map(str::to_owned))
        .collect();
    if named.len() == 1 {
        return named.pop();
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let head = |name: &str| git(&["rev-parse", "-q", "--verify", &format!("{name}^{{commit}}")]);
    [
        "MERGE_HEAD",
        "CHERRY_PICK_HEAD",
        "REVERT_HEAD",
        "REBASE_HEAD",
    ]
    .into_iter()
    .find_map(head)
    .or_else(|| {
        // A rebase picking a commit: the last line of its `done` list
        // (`pick <sha> <subject>`) names it.
        let done = git(&["rev-parse", "--git-path", "rebase-merge/done"])?;
        let text = std::fs::read_to_string(done).ok()?;
        let last = text.lines().rev().find(|l| !l.trim().is_empty())?;
        head(last.split_whitespace().nth(1)?)
    })
}

/// A file at a commit; `None` when the commit does not have it.
fn show(rev: &str, path: &Path) -> Result<Option<String>, Failure> {
    let spec = format!("{rev}:{}", path.to_string_lossy().replace('\\', "/"));
    let exists = Command::new("git")
        .args(["cat-file", "-e", &spec])
        .output()
        .map_err(|e| Failure::Unusable(format!("cannot run git: {e}")))?;
    if !exists.status.success() {
        return Ok(None);
    }
    let out = Command::new("git")
        .args(["cat-file", "blob", &spec])
        .output()
        .map_err(|e| Failure::Unusable(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Failure::Unusable(format!(
            "git cat-file {spec}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    String::from_utf8(out.stdout)
        .map(Some)
        .map_err(|_| Failure::Unusable(format!("{spec} is not UTF-8")))
}
