//! `merge`: the git merge driver for JSONL event logs.

use std::io::Write;
use std::path::{Path, PathBuf};

use spec_kitty_events::log::read_log;
use spec_kitty_events::reduce::canonical_order;

use crate::{Failure, MergeArgs, read_input};

pub(crate) fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let mut events = Vec::new();
    let mut bad = false;
    for (side, path) in [
        ("base", &args.base),
        ("ours", &args.ours),
        ("theirs", &args.theirs),
    ] {
        // Git hands an empty base when the sides share no ancestor version.
        if side == "base" && !path.exists() {
            continue;
        }
        let text = read_input(&path.to_string_lossy())?;
        let read = read_log(&text);
        for error in read.errors.iter().chain(&read.torn_tail) {
            eprintln!("{} ({side}): {error}", path.display());
            bad = true;
        }
        events.extend(read.into_events());
    }
    if bad {
        eprintln!("spec-kitty-events: not merging: a line that does not decode would be lost");
        return Err(Failure::Problems);
    }
    let mut merged = String::new();
    for event in canonical_order(events) {
        merged.push_str(&event.to_json());
        merged.push('\n');
    }
    write_atomically(&args.ours, &merged)
        .map_err(|e| Failure::Unusable(format!("cannot write {}: {e}", args.ours.display())))
}

/// Replaces `path` by `text` so that a crash leaves the old or the new file,
/// never a mix.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
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
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
