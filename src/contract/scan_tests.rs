//! The walk against serde: wherever the walk answers, its event is the one
//! serde's path reads from the same line, field for field, payload bytes
//! and typed payload included; and [`Event::from_json`] as a whole says
//! exactly what serde's path (serde_json alone, the plain reader off) says,
//! event or error, on every input.

use proptest::prelude::*;

use crate::contract::event::Event;
use crate::contract::plain_json::serde_only;

/// The event the walk reads, or `None` where it declines.
fn walked(line: &str) -> Option<Event> {
    Event::from_walk(line)
}

/// Holds the law on `line`; whether the walk answered.
fn same_as_serde(line: &str) -> Result<bool, TestCaseError> {
    let serde = serde_only(|| Event::from_json_through_serde(line));
    prop_assert_eq!(&Event::from_json(line), &serde, "{}", line);
    let Some(event) = walked(line) else {
        return Ok(false);
    };
    let serde = serde.map_err(|e| TestCaseError::fail(format!("{line}: walked, serde: {e}")))?;
    prop_assert_eq!(&event, &serde, "{}", line);
    prop_assert_eq!(event.payload().json(), serde.payload().json());
    prop_assert_eq!(event.to_json(), serde.to_json());
    prop_assert_eq!(event.typed_payload(), serde.typed_payload());
    Ok(true)
}

const WP_PAYLOAD: &str = r#"{"feature_slug": "004-canonical-event-contract", "wp_id": "WP001589", "from_lane": "claimed", "to_lane": "in_progress", "actor": "agent", "force": false, "reason": null, "execution_mode": "worktree", "review_ref": null, "evidence": null}"#;

/// A line of the synthetic benchmark log, in Python's rendering.
const PYTHON_LINE: &str = r#"{"event_id": "01KH10XTW000000000000008Z3", "event_type": "WPStatusChanged", "aggregate_id": "M1", "payload": PAYLOAD, "timestamp": "2026-02-09T13:13:46Z", "node_id": "agent-4", "lamport_clock": 8026, "causation_id": "01KH10XTW000000000000004HZ", "project_uuid": "00000000-0000-0000-0000-000000000001", "project_slug": null, "correlation_id": "01JKQ4V7C00000000000000C0R", "schema_version": "1.0.0", "data_tier": 0}"#;

#[test]
fn the_walk_takes_the_common_lines_in_every_rendering() {
    let python = PYTHON_LINE.replace("PAYLOAD", WP_PAYLOAD);
    let compact = serde_json::from_str::<serde_json::Value>(&python)
        .unwrap()
        .to_string();
    let sorted = {
        let value: serde_json::Value = serde_json::from_str(&python).unwrap();
        let sorted: std::collections::BTreeMap<String, serde_json::Value> =
            serde_json::from_value(value).unwrap();
        // Python's sort_keys with its default separators.
        let mut text = serde_json::to_string(&sorted).unwrap();
        text = text.replace("\",\"", "\", \"").replace("\":", "\": ");
        text.replace(",\"", ", \"")
    };
    let v3 = compact
        .replace("\"1.0.0\"", "\"3.0.0\"")
        .replace("\"timestamp\":", "\"build_id\":\"b-1\",\"timestamp\":")
        .replace("\"lamport_clock\":8026", "\"lamport_clock\":null");
    for line in [&python, &compact, &sorted, &v3] {
        assert!(same_as_serde(line).unwrap(), "{line}");
    }
    // Compact payloads are only skimmed for their end: what is not plain
    // JSON in them is found after, under a known type or not.
    for payload in [
        "{\"a\":007}",
        "{\"a\":1]",
        "{\"a\":tru}",
        "{\"a\" 1}",
        "{\"a\":[1,}",
    ] {
        for kind in ["WPStatusChanged", "Custom"] {
            let line = compact.replace("WPStatusChanged", kind).replacen(
                &compact_payload(&compact),
                payload,
                1,
            );
            assert!(line.contains(payload), "{line}");
            assert!(!same_as_serde(&line).unwrap(), "{line}");
        }
    }
    // What the walk leaves to serde, which reads each.
    for declined in [
        python.replace("agent-4", "agent\\u002d4"),
        python.replace("8026", "8026.0"),
        python.replace(
            ", \"data_tier\": 0",
            ", \"data_tier\": 0, \"node_id\": \"x\"",
        ),
        python.replace("\"wp_id\"", "\"actor\": \"a\", \"wp_id\""),
    ] {
        assert!(!same_as_serde(&declined).unwrap(), "{declined}");
    }
}

#[test]
fn the_sorted_order_the_walk_expects_is_the_sorted_order() {
    use crate::contract::scan::{AFTER_SORTED, FIELDS};
    let mut names = FIELDS.to_vec();
    names.sort_unstable();
    assert_eq!(names[0], "aggregate_id");
    for pair in names.windows(2) {
        let at = FIELDS.iter().position(|name| *name == pair[0]).unwrap();
        assert_eq!(FIELDS.get(AFTER_SORTED[at]), Some(&pair[1]));
    }
    let last = FIELDS.iter().position(|name| *name == names[13]).unwrap();
    assert_eq!(FIELDS.get(AFTER_SORTED[last]), None);
}

/// The payload's text in a compact line.
fn compact_payload(line: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(line).unwrap();
    value["payload"].to_string()
}

/// JSON values of every shape the walk meets, with random white space.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        prop::sample::select(vec![
            "0",
            "-0",
            "7",
            "-12",
            "007",
            "1.5",
            "1e3",
            "-",
            "1E-2",
            "123456789012345678",
            "-1234567890123456789",
            "18446744073709551616",
            "2.",
            "0x1",
        ])
        .prop_map(str::to_owned),
        prop::sample::select(vec![
            "\"\"",
            "\"a\"",
            "\"x y\"",
            "\"é ü\"",
            "\"\\u00e9\"",
            "\"\\\"\"",
            "\"tab\there\"",
            "\"004-canonical-event-contract\"",
            "\"in_progress\"",
            "\"\\ud800\"",
        ])
        .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        let gap = prop::sample::select(vec!["", "", " ", "\n\t", "\r\n "]);
        let key = prop::sample::select(vec!["a", "b", "to_lane", "é", "a\\u0062", "x y"]);
        prop_oneof![
            (
                prop::collection::vec((key, inner.clone()), 0..5),
                gap.clone()
            )
                .prop_map(|(fields, gap)| {
                    let inside: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| format!("{gap}\"{k}\"{gap}:{gap}{v}"))
                        .collect();
                    format!("{{{}{gap}}}", inside.join(","))
                }),
            (prop::collection::vec(inner, 0..4), gap)
                .prop_map(|(items, gap)| format!("[{gap}{}{gap}]", items.join(&format!(",{gap}")))),
        ]
    })
}

/// A value for `key`: mostly the first of its list, a good one; often
/// any of the list, which holds every shape serde refuses or reads oddly.
fn field_value(key: &'static str) -> BoxedStrategy<String> {
    let pick = |values: &[&'static str]| {
        prop_oneof![
            12 => Just(values[0].to_owned()),
            1 => prop::sample::select(values.to_vec()).prop_map(str::to_owned),
        ]
        .boxed()
    };
    match key {
        "event_id" | "causation_id" => pick(&[
            "\"01KH10XTW000000000000008Z3\"",
            "\"01kh10xtw000000000000008z3\"",
            "\"550e8400-e29b-41d4-a716-446655440000\"",
            "\"550E8400E29B41D4A716446655440000\"",
            "\"81KH10XTW000000000000008Z3\"",
            "\"01KH10XTW00000000000000\\u0038Z3\"",
            "\"01KH10XTW000000000000008ZU\"",
            "\"\"",
            "null",
            "7",
        ]),
        "correlation_id" => pick(&[
            "\"01JKQ4V7C00000000000000C0R\"",
            "\"01JKQ4V7C00000000000000C0\"",
            "null",
        ]),
        "event_type" => pick(&[
            "\"WPStatusChanged\"",
            "\"MissionStarted\"",
            "\"PhaseEntered\"",
            "\"Custom\"",
            "\"\"",
            "1",
        ]),
        "aggregate_id" | "node_id" | "build_id" | "project_slug" => pick(&[
            "\"M1\"",
            "\"agent-4\"",
            "\"004-canonical-event-contract-and-more\"",
            "\"é ü\"",
            "\"\"",
            "\" \"",
            "\"a\\nb\"",
            "null",
            "false",
        ]),
        "timestamp" => pick(&[
            "\"2026-02-09T13:13:46Z\"",
            "\"2026-02-09T13:13:46.1234567+02:00\"",
            "\"2026-02-09T13:13:46\"",
            "\"2026-02-30T00:00:00Z\"",
            "\"2026-02-09\"",
            "\"x\"",
            "null",
        ]),
        "lamport_clock" | "data_tier" => pick(&[
            "0",
            "4",
            "5",
            "8026",
            "-1",
            "-0",
            "01",
            "1.0",
            "1e3",
            "256",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551616",
            "123456789012345678",
            "null",
            "\"1\"",
        ]),
        "project_uuid" => pick(&[
            "\"00000000-0000-0000-0000-000000000001\"",
            "\"{00000000-0000-0000-0000-000000000001}\"",
            "\"urn:uuid:00000000-0000-0000-0000-000000000001\"",
            "\"000000000000000000000000000000001\"",
            "null",
        ]),
        "schema_version" => pick(&[
            "\"1.0.0\"",
            "\"3.0.0\"",
            "\"2.1.0\"",
            "\"4.0.0\"",
            "\"1.0\"",
            "null",
        ]),
        "payload" => prop_oneof![
            3 => Just(WP_PAYLOAD.to_owned()),
            2 => Just(WP_PAYLOAD.replace(", ", ",").replace(": ", ":")),
            1 => Just(WP_PAYLOAD.replace("in_progress", "for_review")),
            1 => Just(WP_PAYLOAD.replace("\"force\": false", "\"force\": true")),
            1 => Just(r#"{"mission_id":"M1","phase_name":"plan","actor":"rob"}"#.to_owned()),
            4 => json_value(),
        ]
        .boxed(),
        _ => json_value().boxed(),
    }
}

const KEYS: [&str; 15] = [
    "event_id",
    "event_type",
    "aggregate_id",
    "payload",
    "timestamp",
    "build_id",
    "node_id",
    "lamport_clock",
    "causation_id",
    "project_uuid",
    "project_slug",
    "correlation_id",
    "schema_version",
    "data_tier",
    "extra",
];

/// A line: most fields, sometimes one twice or an unknown one, in any
/// order, with compact, Python's or odd separators.
fn line() -> impl Strategy<Value = String> {
    let fields: Vec<_> = KEYS
        .iter()
        .map(|&key| {
            (prop::bool::weighted(0.97), field_value(key)).prop_map(move |(k, v)| (k, key, v))
        })
        .collect();
    (
        fields,
        prop::option::weighted(0.1, (0..KEYS.len(), any::<prop::sample::Index>())),
        any::<bool>(),
        prop::sample::select(vec![(",", ":"), (", ", ": "), (" ,\n", " :\t")]),
    )
        .prop_map(|(fields, repeat, shuffle, (comma, colon))| {
            let mut kept: Vec<(&str, String)> = fields
                .into_iter()
                .filter(|(keep, key, _)| *keep || *key == "extra")
                .map(|(_, key, value)| (key, value))
                .collect();
            if let Some((at, copy)) = repeat.filter(|_| !kept.is_empty()) {
                let field = kept[at % kept.len()].clone();
                kept.insert(copy.index(kept.len() + 1), field);
            }
            if shuffle {
                kept.sort();
            }
            let inside: Vec<String> = kept
                .iter()
                .map(|(k, v)| format!("\"{k}\"{colon}{v}"))
                .collect();
            format!("{{{}}}", inside.join(comma))
        })
}

/// `line` spoiled: a piece cut out, or another put in.
fn spoiled() -> impl Strategy<Value = String> {
    (
        line(),
        any::<prop::sample::Index>(),
        0usize..12,
        prop::sample::select(vec![
            "", "\"", "\\", "{", "}", ",", ":", " ", "null", "\u{1}", "é",
        ]),
    )
        .prop_map(|(line, at, cut, put)| {
            let mut start = at.index(line.len() + 1);
            while !line.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + cut).min(line.len());
            while !line.is_char_boundary(end) {
                end += 1;
            }
            format!("{}{put}{}", &line[..start], &line[end..])
        })
}

/// The laws below are about the lines the walk answers: the generated
/// lines must hold enough of them, with and without white space, or the
/// laws would hold of nothing.
#[test]
fn the_generated_lines_are_often_walked() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut walked_lines, mut spaced, mut serde_read) = (0, 0, 0);
    for _ in 0..1000 {
        let line = line().new_tree(&mut runner).unwrap().current();
        serde_read += usize::from(Event::from_json_through_serde(&line).is_ok());
        if same_as_serde(&line).unwrap() {
            walked_lines += 1;
            spaced += usize::from(line.contains(": "));
        }
    }
    eprintln!("{walked_lines} walked, {spaced} spaced, {serde_read} read by serde");
    assert!(
        walked_lines >= 100 && spaced >= 30,
        "{walked_lines} {spaced}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_walk_reads_every_line_as_serde_does(line in line()) {
        same_as_serde(&line)?;
    }

    #[test]
    fn the_walk_reads_every_spoiled_line_as_serde_does(line in spoiled()) {
        same_as_serde(&line)?;
    }

    #[test]
    fn the_walk_reads_any_text_as_serde_does(text in ".{0,200}", bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        same_as_serde(&text)?;
        same_as_serde(&String::from_utf8_lossy(&bytes))?;
        same_as_serde(&format!("{{{text}}}"))?;
    }
}
