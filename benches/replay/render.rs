//! The three renderings of the same events that logs in the wild have.
//!
//! - **compact**: `{"a":1,"b":2}`, as this crate and `json.dumps(...,
//!   separators=(",", ":"))` write;
//! - **python**: `json.dumps` with its default separators, `", "` and
//!   `": "`: how the Python library and the spec-kitty CLI append events;
//! - **sorted**: spec-kitty's own, `json.dumps(..., sort_keys=True)` with
//!   the default separators.
//!
//! Each is made from the compact line by reading it into a
//! `serde_json::Value` and writing it back the way Python would (the
//! synthetic events are ASCII, so Python's `ensure_ascii` changes nothing).

use serde_json::Value;

/// One way of writing an event log's lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rendering {
    /// No white space between tokens.
    Compact,
    /// Python's default separators, keys in the event's order.
    Python,
    /// Python's default separators, keys sorted at every level.
    Sorted,
}

impl Rendering {
    /// Every rendering, in the order the tables print them.
    pub const ALL: [Rendering; 3] = [Rendering::Compact, Rendering::Python, Rendering::Sorted];

    /// The name printed in the tables.
    pub fn name(self) -> &'static str {
        match self {
            Rendering::Compact => "compact",
            Rendering::Python => "python",
            Rendering::Sorted => "sorted",
        }
    }
}

/// `compact_log` (one compact event per line) written in `rendering`.
pub fn render_log(compact_log: &str, rendering: Rendering) -> String {
    if rendering == Rendering::Compact {
        return compact_log.to_owned();
    }
    let mut out = String::with_capacity(compact_log.len() * 11 / 10);
    for line in compact_log.lines() {
        let value: Value = serde_json::from_str(line).expect("the synthetic log is JSON");
        write_value(&value, rendering == Rendering::Sorted, &mut out);
        out.push('\n');
    }
    out
}

fn write_value(value: &Value, sort_keys: bool, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if sort_keys {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (at, (key, value)) in entries.into_iter().enumerate() {
                if at > 0 {
                    out.push_str(", ");
                }
                out.push_str(&serde_json::to_string(key).expect("a string"));
                out.push_str(": ");
                write_value(value, sort_keys, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (at, item) in items.iter().enumerate() {
                if at > 0 {
                    out.push_str(", ");
                }
                write_value(item, sort_keys, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}
