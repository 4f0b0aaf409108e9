//! The plain reader against serde_json: a payload decodes to the same typed
//! payload, or the same error, whichever reads it.

use proptest::prelude::*;

use crate::contract::event_types::KnownPayload;
use crate::contract::plain_json::serde_only;
use crate::contract::version::ContractVersion;

/// Every event's payload in the conformance fixtures of 11.0.0 (copied in
/// tests/data), and the benchmark log's, with its event type.
fn payloads() -> Vec<(String, String)> {
    fn collect(value: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Object(map) => {
                if let (Some(serde_json::Value::String(kind)), Some(payload)) =
                    (map.get("event_type"), map.get("payload"))
                    && payload.is_object()
                {
                    out.push((kind.clone(), payload.to_string()));
                }
                map.values().for_each(|v| collect(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/conformance-11.0.0");
    let mut out = Vec::new();
    let mut folders = vec![std::path::PathBuf::from(root)];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json")
                && let Ok(value) = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            {
                collect(&value, &mut out);
            }
        }
    }
    for (kind, payload) in [
        (
            "WPStatusChanged",
            r#"{"feature_slug":"004-canonical-event-contract","wp_id":"WP001567","from_lane":"for_review","to_lane":"done","actor":"agent","force":false,"reason":null,"execution_mode":"worktree","review_ref":null,"evidence":{"repos":[{"repo":"spec-kitty","branch":"WP001567-branch","commit":"0123456789abcdef","files_touched":null}],"verification":[],"review":{"reviewer":"reviewer","verdict":"approved","reference":null}}}"#,
        ),
        (
            "GatePassed",
            r#"{"gate_name":"ci/build","gate_type":"ci","conclusion":"success","external_provider":"github","check_run_id":1641,"check_run_url":"https://github.com/spec-kitty/spec-kitty/runs/1641","delivery_id":"delivery-1640","pr_number":null}"#,
        ),
    ] {
        out.push((kind.to_owned(), payload.to_owned()));
    }
    out
}

/// Decodes `json` both ways, under both versions; they must agree.
fn same_both_ways(kind: &str, json: &str) -> Result<(), TestCaseError> {
    for version in [ContractVersion::V1, ContractVersion::V3] {
        let plain = KnownPayload::decode_under(version, kind, json);
        let serde = serde_only(|| KnownPayload::decode_under(version, kind, json));
        prop_assert_eq!(plain, serde, "{} {:?}: {}", kind, version, json);
    }
    Ok(())
}

#[test]
fn every_fixture_payload_decodes_the_same_both_ways() {
    let payloads = payloads();
    assert!(payloads.len() > 50, "{}", payloads.len());
    let mut decoded = 0;
    for (kind, json) in &payloads {
        same_both_ways(kind, json).unwrap();
        decoded += usize::from(
            [ContractVersion::V1, ContractVersion::V3]
                .into_iter()
                .any(|v| matches!(KnownPayload::decode_under(v, kind, json), Ok(Some(_)))),
        );
    }
    // Not only errors: many fixtures decode (the rest are the fixtures of
    // invalid payloads, and types this crate does not declare).
    assert!(decoded >= 35, "{decoded} of {}", payloads.len());
}

/// A JSON value of any shape, as text (some not JSON at all).
fn any_value() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "null",
        "true",
        "false",
        "0",
        "-0",
        "7",
        "-12",
        "1.5",
        "1e2",
        "007",
        "123456789012345678",
        "1234567890123456789",
        "-9",
        "\"\"",
        "\"x\"",
        "\" \"",
        "\"planned\"",
        "\"done\"",
        "\"Done\"",
        "\"worktree\"",
        "\"\\u0041\"",
        "\"https://github.com/a/b\"",
        "\"2026-08-25T09:00:00+00:00\"",
        "\"WP01\"",
        "[]",
        "{}",
        "[\"a\"]",
        "{\"actor_id\":\"a\",\"actor_type\":\"human\"}",
        "[1,2]",
        "{\"repos\":[],\"verification\":[],\"review\":null}",
        "nul",
        "\"tab\t\"",
    ])
    .prop_map(str::to_owned);
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..3).prop_map(|v| {
                let fields: Vec<String> = v.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    })
}

/// A fixture payload with one field changed, removed, repeated or added,
/// sometimes with white space.
fn mutated() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(payloads()),
        any::<prop::sample::Index>(),
        0..4u8,
        any_value(),
        any::<bool>(),
    )
        .prop_map(|((kind, json), at, how, value, spaced)| {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&json).unwrap();
            let mut fields: Vec<(String, String)> = map
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect();
            if fields.is_empty() {
                fields.push(("extra".to_owned(), value.clone()));
            }
            let at = at.index(fields.len());
            match how {
                0 => fields[at].1 = value,
                1 => drop(fields.remove(at)),
                2 => fields.push(fields[at].clone()),
                _ => fields.push(("extra".to_owned(), value)),
            }
            let (comma, colon) = if spaced { (", ", ": ") } else { (",", ":") };
            let inside: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("\"{k}\"{colon}{v}"))
                .collect();
            (kind, format!("{{{}}}", inside.join(comma)))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn a_changed_payload_decodes_the_same_both_ways((kind, json) in mutated()) {
        same_both_ways(&kind, &json)?;
    }

    #[test]
    fn any_text_decodes_the_same_both_ways(
        kind in prop::sample::select(payloads()).prop_map(|(kind, _)| kind),
        text in ".{0,80}",
    ) {
        same_both_ways(&kind, &text)?;
        same_both_ways(&kind, &format!("{{{text}}}"))?;
    }
}
