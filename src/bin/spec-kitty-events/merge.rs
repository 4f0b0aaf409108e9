//! `merge`: the git merge driver for JSONL event logs.
//!
//! The union itself is [`merge_logs`]: every line kept byte for byte. This
//! file is about the target: it is locked while it is read and replaced (so
//! concurrent merges into one file each see the others' events), a symlink
//! is followed and its target replaced, the permissions are kept, and what
//! is not a regular file is refused.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use spec_kitty_events::log::{MAX_LINE_BYTES, MAX_LOG_BYTES, merge_logs, read_limited};

use crate::{Failure, MergeArgs, plural, read_input_bytes, report};

pub(crate) fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let target = regular_file(&args.ours)?;
    let mut locked = lock(&target)?;
    let ours = read_limited(&mut locked, MAX_LINE_BYTES, MAX_LOG_BYTES)
        .map_err(|e| Failure::Unusable(format!("cannot read {}: {e}", args.ours.display())))?;
    // Git hands an empty base when the sides share no ancestor version.
    let base = if args.base.exists() {
        Some(read_input_bytes(&args.base.to_string_lossy())?)
    } else {
        None
    };
    let theirs = read_input_bytes(&args.theirs.to_string_lossy())?;
    let merged = match merge_logs(base.as_deref(), &ours, &theirs) {
        Ok(merged) => merged,
        Err(refusals) => {
            for refusal in &refusals {
                report(format_args!("{}: {refusal}", args.ours.display()));
            }
            report(format_args!(
                "spec-kitty-events: not merging ({}); {} is left as it was",
                plural(refusals.len(), "problem", "problems"),
                args.ours.display()
            ));
            return Err(Failure::Problems);
        }
    };
    let permissions = locked
        .metadata()
        .map(|m| m.permissions())
        .map_err(|e| Failure::Unusable(format!("cannot read {}: {e}", target.display())))?;
    write_atomically(&target, &merged, permissions)
        .map_err(|e| Failure::Unusable(format!("cannot write {}: {e}", target.display())))
    // The lock goes with `locked`, after the rename: a merge waiting for it
    // then finds the new file.
}

/// The file `path` names, symlinks followed; an error unless it is a
/// regular file (a FIFO or a device would be replaced by a file, or block).
fn regular_file(path: &Path) -> Result<PathBuf, Failure> {
    let target = std::fs::canonicalize(path)
        .map_err(|e| Failure::Unusable(format!("cannot read {}: {e}", path.display())))?;
    let metadata = std::fs::metadata(&target)
        .map_err(|e| Failure::Unusable(format!("cannot read {}: {e}", path.display())))?;
    if !metadata.is_file() {
        return Err(Failure::Unusable(format!(
            "{} is not a regular file (a directory, FIFO or device): merge writes only regular files",
            path.display()
        )));
    }
    Ok(target)
}

/// Opens `target` and takes its exclusive lock, waiting for another merge
/// to finish. That merge replaces the file by renaming: the lock it held
/// is then on a file no longer at `target`, so the open and lock are
/// repeated until the locked file is the one at `target`.
fn lock(target: &Path) -> Result<File, Failure> {
    let cannot =
        |e: std::io::Error| Failure::Unusable(format!("cannot lock {}: {e}", target.display()));
    loop {
        let file = File::open(target).map_err(cannot)?;
        if !file.metadata().map_err(cannot)?.is_file() {
            return Err(Failure::Unusable(format!(
                "{} is not a regular file: merge writes only regular files",
                target.display()
            )));
        }
        file.lock().map_err(cannot)?;
        if same_file(&file, target) {
            return Ok(file);
        }
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, _: &Path) -> bool {
    true
}

/// Replaces `path` by `bytes`, with `permissions`, so that a crash leaves
/// the old or the new file, never a mix: a temporary file in the same
/// directory, synced, then renamed over it.
fn write_atomically(
    path: &Path,
    bytes: &[u8],
    permissions: std::fs::Permissions,
) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = directory.join(format!(".{name}.merge-{}", std::process::id()));
    let result = (|| {
        let mut file = File::options()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.set_permissions(permissions)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        // The rename itself is durable once the directory is synced.
        if let Ok(directory) = File::open(&directory) {
            let _ = directory.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
