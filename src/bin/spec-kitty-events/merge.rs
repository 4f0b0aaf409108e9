//! `merge`: the git merge driver for JSONL event logs.
//!
//! The union itself is [`merge_logs`]: every line kept byte for byte. OURS
//! is replaced as [`replace_locked`] replaces a file: locked from its read to
//! its replacement, so concurrent merges into one file each see the others'
//! events.

use spec_kitty_events::log::merge_logs;

use crate::target_file::replace_locked;
use crate::{Failure, MergeArgs, plural, read_input_bytes, report};

pub(crate) fn merge(args: &MergeArgs) -> Result<(), Failure> {
    // Git hands an empty base when the sides share no ancestor version.
    let base = if args.base.exists() {
        Some(read_input_bytes(&args.base.to_string_lossy())?)
    } else {
        None
    };
    let theirs = read_input_bytes(&args.theirs.to_string_lossy())?;
    replace_locked(&args.ours, |ours| {
        match merge_logs(base.as_deref(), ours, &theirs) {
            Ok(merged) => Ok(Some(merged)),
            Err(refusals) => {
                for refusal in &refusals {
                    report(format_args!("{}: {refusal}", args.ours.display()));
                }
                report(format_args!(
                    "spec-kitty-events: not merging ({}); {} is left as it was",
                    plural(refusals.len(), "problem", "problems"),
                    args.ours.display()
                ));
                Err(Failure::Problems)
            }
        }
    })?;
    Ok(())
}
