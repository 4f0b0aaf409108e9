//! The one-pass readers ([`StatusRow::read`], [`AnnotationRow::read`]) take
//! exactly the lines the full reading (the line as a JSON object, written
//! again, decoded field by field) takes, and read them the same.

use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::spec_kitty::annotation::AnnotationRow;
use crate::spec_kitty::log::RowKind;
use crate::spec_kitty::row::StatusRow;

/// A lane row of today, field by field, as JSON text.
const BASE: [(&str, &str); 16] = [
    ("actor", r#""claude""#),
    ("at", r#""2026-06-26T01:25:06.614281+00:00""#),
    ("event_id", r#""01KW0RFMXP2B7AZQ9CTG1TJZQH""#),
    ("evidence", "null"),
    ("execution_mode", r#""worktree""#),
    ("feature_slug", r#""041-x""#),
    ("force", "false"),
    ("from_lane", r#""planned""#),
    ("mission_id", r#""01KW0PBEA9RK5HDWZQSBSCT2JR""#),
    ("mission_slug", r#""041-x""#),
    ("policy_metadata", r#"{"agent":"a","shell_pid":7,"x":[1]}"#),
    ("reason", r#""why""#),
    ("review_ref", "null"),
    ("review_result", "null"),
    ("to_lane", r#""claimed""#),
    ("wp_id", r#""WP01""#),
];

/// Values that break or bend one rule or another.
const VALUES: [&str; 22] = [
    "null",
    "true",
    "0",
    "1.5",
    "1e999",
    r#""""#,
    r#""doing""#,
    r#""canceled""#,
    r#""in_review""#,
    r#""yesterday""#,
    r#""2026-01-01""#,
    r#""WP\u0030""#,
    r#""\ud800""#,
    "[]",
    "[1]",
    "{}",
    r#"{"reviewer":"r","verdict":"ok","reference":"x"}"#,
    r#"{"review":{"reviewer":"r","verdict":"ok","reference":"x"},"repos":3}"#,
    r#"{"model":null,"profile":"p","role":"r","tool":""}"#,
    r#"{"model":null}"#,
    r#""annotation""#,
    r#"{"agent":null,"shell_pid":"12"}"#,
];

/// Keys besides the row's own.
const KEYS: [&str; 6] = [
    "kind",
    "event_type",
    "type",
    "event_name",
    "colour",
    "delta",
];

/// One edit of the base row: drop a field, set a field (or another key)
/// to one of [`VALUES`], or write a field twice.
#[derive(Debug, Clone)]
enum Edit {
    Drop(usize),
    Set(usize, usize),
    Add(usize, usize),
    Repeat(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..BASE.len()).prop_map(Edit::Drop),
        (0..BASE.len(), 0..VALUES.len()).prop_map(|(f, v)| Edit::Set(f, v)),
        (0..KEYS.len(), 0..VALUES.len()).prop_map(|(k, v)| Edit::Add(k, v)),
        (0..BASE.len(), 0..VALUES.len()).prop_map(|(f, v)| Edit::Repeat(f, v)),
    ]
}

fn line(edits: &[Edit]) -> String {
    let mut fields: Vec<(String, String)> = BASE
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for edit in edits {
        match *edit {
            Edit::Drop(f) => fields.retain(|(k, _)| k != BASE[f].0),
            Edit::Set(f, v) => {
                for field in fields.iter_mut().filter(|(k, _)| k == BASE[f].0) {
                    field.1 = VALUES[v].to_owned();
                }
            }
            Edit::Add(k, v) => fields.push((KEYS[k].to_owned(), VALUES[v].to_owned())),
            Edit::Repeat(f, v) => fields.push((BASE[f].0.to_owned(), VALUES[v].to_owned())),
        }
    }
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", body.join(","))
}

/// Whether two rows read alike through every accessor.
fn same(a: &StatusRow, b: &StatusRow) -> bool {
    a == b
        && a.line() == b.line()
        && a.event_id() == b.event_id()
        && a.at() == b.at()
        && a.at_text() == b.at_text()
        && a.slug() == b.slug()
        && a.wp_id() == b.wp_id()
        && a.from_lane() == b.from_lane()
        && a.to_lane() == b.to_lane()
        && a.actor() == b.actor()
        && a.force() == b.force()
        && a.is_february() == b.is_february()
        && a.lane_alias() == b.lane_alias()
        && a.unknown_fields().eq(b.unknown_fields())
        && a.fields() == b.fields()
        && a.extra == b.extra
}

fn repeats_a_key(text: &str) -> bool {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut seen = std::collections::HashSet::new();
    let keys: Result<Vec<(String, serde::de::IgnoredAny)>, _> =
        serde::Deserialize::deserialize(&mut deserializer).map(|map: KeyList| map.0);
    keys.is_ok_and(|keys| keys.into_iter().any(|(key, _)| !seen.insert(key)))
}

/// Every key of an object, repeats included.
struct KeyList(Vec<(String, serde::de::IgnoredAny)>);

impl<'de> serde::Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = KeyList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    keys.push(entry);
                }
                Ok(KeyList(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn one_pass_and_full_reading_agree(edits in prop::collection::vec(edit(), 0..4)) {
        let text = line(&edits);
        let full: Option<Map<String, Value>> = serde_json::from_str(&text).ok();
        let kind = full.as_ref().map(RowKind::of);
        // Not knowing the kind, the lane reader gives up at a key of
        // another kind; what it takes is a lane row, read as when the kind
        // is known.
        let routed = StatusRow::read(1, &text, false);
        let lane = StatusRow::read(1, &text, true);
        if let Some(routed) = &routed {
            prop_assert_eq!(kind.clone(), Some(RowKind::Lane));
            prop_assert!(lane.as_ref().is_some_and(|lane| same(lane, routed)), "{}", text);
        }
        if kind == Some(RowKind::Lane) {
            let fields = full.clone().unwrap_or_default();
            let read = StatusRow::from_fields(1, fields);
            match (&lane, &read) {
                (Some(fast), Ok(full)) => prop_assert!(same(fast, full), "{text}"),
                (Some(_), Err(error)) => prop_assert!(false, "{text}: only the one pass took it: {error}"),
                (None, Ok(_)) => prop_assert!(repeats_a_key(&text), "{text}: only the full reading took it"),
                (None, Err(_)) => {}
            }
        }
        let annotation = AnnotationRow::read(1, &text);
        if kind == Some(RowKind::Annotation) {
            let read = AnnotationRow::parse(1, full.as_ref().unwrap_or(&Map::new()), None);
            match (&annotation, &read) {
                (Some(fast), Ok(full)) => prop_assert_eq!(fast, full),
                (Some(_), Err(error)) => prop_assert!(false, "{text}: only the one pass took it: {error}"),
                (None, Ok(_)) => prop_assert!(repeats_a_key(&text), "{text}: only the full reading took it"),
                (None, Err(_)) => {}
            }
        } else {
            prop_assert!(annotation.is_none(), "{text} is {kind:?}");
        }
    }
}
