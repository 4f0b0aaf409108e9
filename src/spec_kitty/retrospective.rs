//! The `retrospective` block of today's `status.json`, folded from the
//! log's `retrospective.*` rows (rows with an `event_name`).

use serde_json::{Value, json};

use crate::spec_kitty::log::{OtherRow, RETROSPECTIVE, RowKind};
use crate::spec_kitty::python_json::python_str;

/// Folds the `retrospective.*` rows as the CLI 3.2.7 does (worked out from
/// its output; see `tests/status_differential.rs`), or `None` when the log
/// has none:
///
/// - rows in `(at, event_id)` order, both as text (a missing one as `""`),
///   every row counted (no deduplication);
/// - any such row opens the block, `status: "pending"`;
/// - `completed`, `failed` and `skipped` set `status` to that word and
///   `record_path` to their payload's (as Python's `str()`; `null` when
///   absent or null): the last one wins, and no later row reopens it;
/// - `proposal.generated`, `proposal.applied`, `proposal.rejected` count
///   into `proposals_total`, `proposals_applied`, `proposals_rejected`;
///   `proposals_pending` is what is left of the total, never below 0;
/// - `mode` is `null`: no row sets it.
pub(super) fn fold_retrospective(others: &[OtherRow]) -> Option<Value> {
    let text = |row: &OtherRow, key: &str| -> String {
        row.fields.get(key).map(python_str).unwrap_or_default()
    };
    let mut rows: Vec<(&OtherRow, &str)> = others
        .iter()
        .filter_map(|row| match &row.kind {
            RowKind::Named(name) => Some((row, name.strip_prefix(RETROSPECTIVE)?)),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    // Stable: rows tied on both keys keep their file order.
    rows.sort_by_cached_key(|(row, _)| (text(row, "at"), text(row, "event_id")));
    let (mut status, mut record_path) = ("pending", Value::Null);
    let (mut total, mut applied, mut rejected) = (0u64, 0u64, 0u64);
    for (row, event) in rows {
        match event {
            "completed" | "failed" | "skipped" => {
                status = event;
                record_path = row
                    .fields
                    .get("payload")
                    .and_then(|p| p.get("record_path"))
                    .filter(|v| !v.is_null())
                    .map_or(Value::Null, |v| Value::String(python_str(v)));
            }
            "proposal.generated" => total += 1,
            "proposal.applied" => applied += 1,
            "proposal.rejected" => rejected += 1,
            _ => {}
        }
    }
    Some(json!({
        "mode": null,
        "proposals_applied": applied,
        "proposals_pending": total.saturating_sub(applied + rejected),
        "proposals_rejected": rejected,
        "proposals_total": total,
        "record_path": record_path,
        "status": status,
    }))
}
