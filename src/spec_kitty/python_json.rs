//! JSON written as the CLI writes `status.json`: Python's
//! `json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False)` plus a
//! final newline.
//!
//! serde_json's pretty printer differs from Python's in three ways that
//! matter here: this crate builds serde_json with `preserve_order` (keys
//! would keep insertion order, not be sorted), floats are written in
//! another form (`1e-5` for Python's `1e-05`), and nested keys must be
//! sorted too. So the document is written here, by Python's rules.

use std::fmt::Write as _;

use serde_json::Value;

/// `value` as the CLI writes `status.json`.
pub fn to_cli_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out.push('\n');
    out
}

/// Writes a JSON object key by key, as [`to_cli_json`] writes one: the
/// caller gives the keys in sorted order and writes each value after its
/// key, at level [`inner`](Self::inner).
pub(super) struct ObjectWriter {
    level: usize,
    empty: bool,
}

impl ObjectWriter {
    /// Opens an object written at `level`.
    pub(super) fn open(out: &mut String, level: usize) -> Self {
        out.push('{');
        Self { level, empty: true }
    }

    /// Writes the next key; its value comes next.
    pub(super) fn key(&mut self, out: &mut String, key: &str) {
        if !self.empty {
            out.push(',');
        }
        self.empty = false;
        indent(out, self.level + 1);
        write_string(out, key);
        out.push_str(": ");
    }

    /// The level the values are written at.
    pub(super) fn inner(&self) -> usize {
        self.level + 1
    }

    /// Closes the object (`{}` when it has no key).
    pub(super) fn close(self, out: &mut String) {
        if !self.empty {
            indent(out, self.level);
        }
        out.push('}');
    }
}

fn indent(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}

pub(super) fn write_value(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => {
                let _ = write!(out, "{i}");
            }
            (None, Some(u), _) => {
                let _ = write!(out, "{u}");
            }
            (None, None, Some(f)) => out.push_str(&python_float(f)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => write_string(out, s),
        Value::Array(items) => write_array(out, items, level),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            // Rust orders strings by UTF-8 bytes, which is code point order:
            // Python's order for `sort_keys`.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, level + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, &map[key], level + 1);
            }
            indent(out, level);
            out.push('}');
        }
    }
}

/// A JSON array of `items` as Python writes it with `indent=2` (`[]` when
/// empty): the items need not be gathered into a [`Value`] first.
pub(super) fn write_array<'v>(
    out: &mut String,
    items: impl IntoIterator<Item = &'v Value>,
    level: usize,
) {
    let mut items = items.into_iter().peekable();
    if items.peek().is_none() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        indent(out, level + 1);
        write_value(out, item, level + 1);
    }
    indent(out, level);
    out.push(']');
}

/// A string as Python writes it with `ensure_ascii=False`: only `"`, `\`
/// and control characters are escaped.
pub(super) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    // Most strings need no escape: one pass without branches tells.
    let needs_escape = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    if !s.bytes().fold(false, |found, b| found | needs_escape(b)) {
        out.push_str(s);
        out.push('"');
        return;
    }
    // Runs of characters that need no escape are copied whole; every byte
    // escaped is ASCII, so each run ends on a character boundary.
    let mut run = 0;
    for (at, byte) in s.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[run..at]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", byte);
        } else {
            out.push_str(escape);
        }
        run = at + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// A scalar as Python's `str()` writes it: a string as is, `None`, `True`,
/// `False`, an integer, a float as its `repr`. (An array or object is
/// written as JSON text, which is not Python's `repr`; no field the CLI
/// converts holds one in practice.)
pub(super) fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if !(n.is_i64() || n.is_u64()) => python_float(f),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// A float as Python's `repr`: the shortest digits that read back, in
/// positional form for exponents from -4 to 15, else `d.ddde±XX`.
pub(super) fn python_float(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".into()
        } else if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let scientific = format!("{f:e}"); // shortest round-trip digits
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        let positional = format!("{f}");
        if positional.contains('.') {
            positional
        } else {
            format!("{positional}.0")
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_strings_as_python_does_without_ensure_ascii() {
        // The expected texts are CPython 3's json.dumps(s, ensure_ascii=False).
        for (text, expected) in [
            ("plain é ✓", "\"plain é ✓\""),
            ("", "\"\""),
            (
                "a\\b\r\t\u{8}\u{c}\u{1f}\u{7f}é\"",
                "\"a\\\\b\\r\\t\\b\\f\\u001f\u{7f}é\\\"\"",
            ),
        ] {
            let mut out = String::new();
            write_string(&mut out, text);
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn writes_as_python_json_dumps_sorted_indented_unescaped() {
        // Each expected text is what CPython 3.11 prints for the same value.
        let value = serde_json::json!({"b": [1, {"y": null, "x": "é\"\n\u{1}"}], "a": {}, "c": []});
        assert_eq!(
            to_cli_json(&value),
            "{\n  \"a\": {},\n  \"b\": [\n    1,\n    {\n      \"x\": \"é\\\"\\n\\u0001\",\n      \"y\": null\n    }\n  ],\n  \"c\": []\n}\n"
        );
        for (f, text) in [
            (1e-5, "1e-05"),
            (0.75, "0.75"),
            (1e16, "1e+16"),
            (123.0, "123.0"),
            (0.0001, "0.0001"),
        ] {
            assert_eq!(python_float(f), text);
        }
    }
}
