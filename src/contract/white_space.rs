//! Payload text without its white space: Python's `json.dumps` writes
//! `", "` and `": "`, and a payload is kept compact, as the Python library
//! writes it back.

/// `json` (valid JSON) without its white space between tokens, when that is
/// exactly what reading it into a `serde_json::Value` and writing it back
/// gives; `None` when the round trip could change more than white space, and
/// the caller takes it.
///
/// Python's `json.dumps` writes `", "` and `": "` by default, so most logs
/// people have need compacting: building a `Value` tree for each payload
/// was most of the time it took to read such a log. The round trip changes
/// nothing else in a payload with no escape sequence (it would rewrite
/// `\u00e9` as `é`), no number other than a short integer (it would rewrite
/// `1.50` as `1.5`, `-0` as `0`), and no key twice in one object (it keeps
/// the last value at the first key's place): only those are stripped here.
pub(super) fn strip_white_space(json: &str) -> Option<String> {
    thread_local! {
        /// The text being stripped: kept between payloads, so that each
        /// costs one allocation, the stripped copy.
        static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    SCRATCH.with(|scratch| {
        let mut out = scratch.borrow_mut();
        out.clear();
        let stripped = strip_into(json, &mut out);
        // A copy made to the stripped size: shrinking a buffer in place
        // would keep the few bytes of white space it was made with, with
        // every payload of a million-event log.
        stripped.then(|| out.as_str().to_owned())
    })
}

/// The most keys the strip follows at once (those of the objects open at a
/// point), and the deepest nesting: past either it declines, and the round
/// trip, which has no such bound, takes the payload.
const MAX_OPEN_KEYS: usize = 64;
const MAX_DEPTH: usize = 32;

/// Writes `json` without its white space between tokens into `out`, in
/// runs: everything between two gaps of white space is copied at once.
/// `false` when the round trip could change more than white space.
fn strip_into(json: &str, out: &mut String) -> bool {
    let bytes = json.as_bytes();
    // The keys of the objects open at this point, and where each open
    // object's keys start (`None` for an array), to find a key written twice.
    let mut keys: [&str; MAX_OPEN_KEYS] = [""; MAX_OPEN_KEYS];
    let mut open_keys = 0;
    let mut frames: [Option<usize>; MAX_DEPTH] = [None; MAX_DEPTH];
    let mut depth: usize = 0;
    let mut expect_key = false;
    // The start of the bytes read but not yet copied.
    let mut run = 0;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\n' | b'\r' | b'\t' => {
                out.push_str(&json[run..at]);
                at += 1;
                while at < bytes.len() && matches!(bytes[at], b' ' | b'\n' | b'\r' | b'\t') {
                    at += 1;
                }
                run = at;
            }
            b'"' => {
                let Some(length) = memchr::memchr2(b'"', b'\\', &bytes[at + 1..]) else {
                    return false;
                };
                let close = at + 1 + length;
                if bytes[close] == b'\\' {
                    return false;
                }
                if expect_key {
                    let key = &json[at..=close];
                    let Some(Some(first)) = depth.checked_sub(1).map(|top| frames[top]) else {
                        return false;
                    };
                    if open_keys == MAX_OPEN_KEYS || keys[first..open_keys].contains(&key) {
                        return false;
                    }
                    keys[open_keys] = key;
                    open_keys += 1;
                    expect_key = false;
                }
                at = close + 1;
            }
            open @ (b'{' | b'[') => {
                if depth == MAX_DEPTH {
                    return false;
                }
                expect_key = open == b'{';
                frames[depth] = expect_key.then_some(open_keys);
                depth += 1;
                at += 1;
            }
            b'}' | b']' => {
                if let Some(top) = depth.checked_sub(1) {
                    if let Some(first) = frames[top] {
                        open_keys = first;
                    }
                    depth = top;
                }
                expect_key = false;
                at += 1;
            }
            b',' => {
                expect_key = depth
                    .checked_sub(1)
                    .is_some_and(|top| frames[top].is_some());
                at += 1;
            }
            b'-' | b'0'..=b'9' => {
                let end = bytes[at..]
                    .iter()
                    .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                    .map_or(bytes.len(), |length| at + length);
                let number = &json[at..end];
                let digits = number.strip_prefix('-').unwrap_or(number);
                if !digits.bytes().all(|b| b.is_ascii_digit())
                    || digits.len() > 18
                    || number == "-0"
                {
                    return false;
                }
                at = end;
            }
            // `:` and the letters of `true`, `false`, `null` (the text is
            // valid JSON): copied with their run.
            _ => at += 1,
        }
    }
    out.push_str(&json[run..]);
    true
}

/// Whether `json` has no white space between tokens (inside strings it may).
pub(super) fn is_compact(json: &str) -> bool {
    let bytes = json.as_bytes();
    // Most payloads hold no white space at all: one vectorized search says so.
    if memchr::memchr3(b' ', b'\n', b'\t', bytes).is_none()
        && memchr::memchr(b'\r', bytes).is_none()
    {
        return true;
    }
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b' ' | b'\n' | b'\r' | b'\t' => return false,
                _ => {}
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Payload;

    /// What the round trip through a `Value` writes, the rule
    /// `strip_white_space` must agree with wherever it answers.
    fn round_trip(json: &str) -> String {
        serde_json::from_str::<serde_json::Value>(json)
            .unwrap()
            .to_string()
    }

    #[test]
    fn stripping_white_space_is_the_round_trip_or_declines() {
        let stripped = [
            (
                r#"{"a": 1, "b": [1, 2, {"c": null}], "d": "x y"}"#,
                r#"{"a":1,"b":[1,2,{"c":null}],"d":"x y"}"#,
            ),
            ("{ }", "{}"),
            (
                "{\n\t\"a\" :\r\n[ ] , \"b\": {\"a\": -12}}",
                r#"{"a":[],"b":{"a":-12}}"#,
            ),
            (
                r#"{"a": {"k": 1}, "b": {"k": 2}, "k": true}"#,
                r#"{"a":{"k":1},"b":{"k":2},"k":true}"#,
            ),
            (
                r#"{"é": "ü", "n": 123456789012345678}"#,
                r#"{"é":"ü","n":123456789012345678}"#,
            ),
        ];
        for (json, expected) in stripped {
            assert_eq!(strip_white_space(json).as_deref(), Some(expected), "{json}");
            assert_eq!(round_trip(json), expected, "{json}");
        }
        // Each of these the round trip changes beyond white space.
        for json in [
            r#"{"a": "\u00e9"}"#,
            r#"{"a": "\"q\""}"#,
            r#"{"a": 1.50}"#,
            r#"{"a": 1e2}"#,
            r#"{"a": -0}"#,
            r#"{"a": 1234567890123456789012}"#,
            r#"{"a": 1, "b": 2, "a": 3}"#,
            r#"{"x": [{"a": 1, "a": 2}]}"#,
        ] {
            assert_eq!(strip_white_space(json), None, "{json}");
        }
    }

    /// A JSON document as written, keys possibly repeated.
    #[derive(Debug, Clone)]
    enum Written {
        Scalar(&'static str),
        Text(String),
        List(Vec<Written>),
        Object(Vec<(String, Written)>),
    }

    fn write(value: &Written, gap: &str, out: &mut String) {
        match value {
            Written::Scalar(text) => out.push_str(text),
            Written::Text(text) => out.push_str(&format!("\"{text}\"")),
            Written::List(items) => {
                out.push('[');
                for (at, item) in items.iter().enumerate() {
                    if at > 0 {
                        out.push(',');
                        out.push_str(gap);
                    }
                    write(item, gap, out);
                }
                out.push(']');
            }
            Written::Object(entries) => {
                out.push('{');
                out.push_str(gap);
                for (at, (key, item)) in entries.iter().enumerate() {
                    if at > 0 {
                        out.push(',');
                        out.push_str(gap);
                    }
                    out.push_str(&format!("\"{key}\"{gap}:{gap}"));
                    write(item, gap, out);
                }
                out.push_str(gap);
                out.push('}');
            }
        }
    }

    fn written() -> impl Strategy<Value = Written> {
        let scalar = prop_oneof![
            proptest::sample::select(vec![
                "null",
                "true",
                "false",
                "0",
                "-7",
                "12",
                "1.50",
                "1e2",
                "-0",
                "123456789012345678901",
            ])
            .prop_map(Written::Scalar),
            "[a-c é]{0,4}(\\\\u00e9|\\\\\"|)".prop_map(Written::Text),
        ];
        scalar.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Written::List),
                proptest::collection::vec(("[a-c]{1,2}", inner), 0..4).prop_map(Written::Object),
            ]
        })
    }

    use proptest::prelude::*;

    proptest! {
        /// Wherever the strip answers, it is the round trip's text, for
        /// documents with every kind of token, escapes, numbers the round
        /// trip rewrites and repeated keys, under any white space.
        #[test]
        fn the_strip_is_the_round_trip_wherever_it_answers(
            document in proptest::collection::vec(("[a-c]{1,2}", written()), 0..5),
            gap in proptest::sample::select(vec!["", " ", "\n  ", "\t", " \r\n"]),
        ) {
            let mut json = String::new();
            write(&Written::Object(document), gap, &mut json);
            if let Some(stripped) = strip_white_space(&json) {
                prop_assert_eq!(stripped, round_trip(&json));
            }
        }
    }

    #[test]
    fn past_its_bounds_the_strip_declines_and_the_payload_is_the_round_trip() {
        let keys = |count: usize| {
            let entries: Vec<String> = (0..count).map(|k| format!("\"k{k}\": {k}")).collect();
            format!("{{{}}}", entries.join(", "))
        };
        let nested =
            |depth: usize| format!("{{\"a\": {}1{}}}", "[".repeat(depth), "]".repeat(depth));
        // Within the bounds: stripped; past them: declined.
        for (json, strips) in [
            (keys(MAX_OPEN_KEYS), true),
            (keys(MAX_OPEN_KEYS + 1), false),
            (nested(MAX_DEPTH - 1), true),
            (nested(MAX_DEPTH), false),
        ] {
            let stripped = strip_white_space(&json);
            assert_eq!(stripped.is_some(), strips, "{json}");
            if let Some(stripped) = stripped {
                assert_eq!(stripped, round_trip(&json));
            }
            let payload: Payload = serde_json::from_str(&json).unwrap();
            assert_eq!(payload.json(), round_trip(&json));
        }
        // Keys of closed objects are forgotten: siblings may reuse them
        // however many there are.
        let siblings: Vec<String> = (0..3 * MAX_OPEN_KEYS)
            .map(|k| format!("{{\"k\": {k}, \"j\": [{{\"k\": 1}}]}}"))
            .collect();
        let json = format!("{{\"k\": [{}]}}", siblings.join(", "));
        assert_eq!(strip_white_space(&json), Some(round_trip(&json)));
    }

    #[test]
    fn compactness_ignores_spaces_inside_strings() {
        assert!(is_compact(
            r#"{"reason":"historical migration","x":"a\" b"}"#
        ));
        assert!(!is_compact(r#"{"a": 1}"#));
        assert!(!is_compact("{\"a\":1,\n\"b\":2}"));
    }
}
