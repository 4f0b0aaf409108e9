//! Replacing a file a command writes (`merge`'s OURS, `status --write`'s
//! and `merge-status`'s status.json), one way for all of them: a symlink
//! is followed and its target replaced, what is not a regular file is
//! refused, the file is locked while it is read and replaced (so concurrent
//! writers each see the others' work), its permissions are kept, and the
//! new bytes arrive by a rename, so a crash leaves the old file or the new
//! one, never a mix.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Failure;

/// Replaces the file at `path` (which must exist) by `new_bytes(old)`, with
/// its lock held from the read of `old` to the rename. `new_bytes` returns
/// `None` to leave the file as it is. Returns whether it was replaced.
pub(crate) fn replace_locked(
    path: &Path,
    new_bytes: impl FnOnce(&[u8]) -> Result<Option<Vec<u8>>, Failure>,
) -> Result<bool, Failure> {
    let target = regular_file(path)?;
    let mut locked = lock(&target)?;
    let old = spec_kitty_events::log::read_limited(
        &mut locked,
        spec_kitty_events::log::MAX_LINE_BYTES,
        spec_kitty_events::log::MAX_LOG_BYTES,
    )
    .map_err(|e| Failure::Unusable(format!("cannot read {}: {e}", path.display())))?;
    let Some(bytes) = new_bytes(&old)? else {
        return Ok(false);
    };
    let permissions = locked
        .metadata()
        .map(|m| m.permissions())
        .map_err(|e| Failure::Unusable(format!("cannot read {}: {e}", target.display())))?;
    write_atomically(&target, &bytes, Some(permissions))
        .map_err(|e| Failure::Unusable(format!("cannot write {}: {e}", target.display())))?;
    // The lock goes with `locked`, after the rename: a writer waiting for it
    // then finds the new file.
    Ok(true)
}

/// Writes `bytes` to `path` unless it already holds exactly them: replaced
/// under its lock when it exists, created by a rename when it does not.
/// Returns whether the file was written.
pub(crate) fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, Failure> {
    if std::fs::symlink_metadata(path).is_err() {
        write_atomically(path, bytes, None)
            .map_err(|e| Failure::Unusable(format!("cannot write {}: {e}", path.display())))?;
        return Ok(true);
    }
    replace_locked(path, |old| Ok((old != bytes).then(|| bytes.to_vec())))
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
            "{} is not a regular file (a directory, FIFO or device): only regular files are written",
            path.display()
        )));
    }
    Ok(target)
}

/// Opens `target` and takes its exclusive lock, waiting for another writer
/// to finish. That writer replaces the file by renaming: the lock it held
/// is then on a file no longer at `target`, so the open and lock are
/// repeated until the locked file is the one at `target`.
fn lock(target: &Path) -> Result<File, Failure> {
    let cannot =
        |e: std::io::Error| Failure::Unusable(format!("cannot lock {}: {e}", target.display()));
    loop {
        let file = File::open(target).map_err(cannot)?;
        if !file.metadata().map_err(cannot)?.is_file() {
            return Err(Failure::Unusable(format!(
                "{} is not a regular file: only regular files are written",
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

/// Replaces `path` by `bytes`, with `permissions` (the new file's default
/// when `None`), so that a crash leaves
/// the old or the new file, never a mix: a temporary file in the same
/// directory, synced, then renamed over it.
fn write_atomically(
    path: &Path,
    bytes: &[u8],
    permissions: Option<std::fs::Permissions>,
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
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
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
