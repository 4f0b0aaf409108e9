//! The `status.json` the CLI 3.2.7 materializes (the 2026-08 shape).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::contract::decode::decode_located;
use crate::spec_kitty::annotation::AnnotationRow;
use crate::spec_kitty::lane::CliLane;
use crate::spec_kitty::log::StatusLogRead;
use crate::spec_kitty::python_json::{ObjectWriter, write_string, write_value};
use crate::spec_kitty::retrospective::fold_retrospective;
use crate::spec_kitty::row::cli_order;
use crate::spec_kitty::work_package::WorkPackage;

/// What `status.json` takes from the mission's `meta.json`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MissionMeta {
    /// `mission_number`, normalized as the CLI reads it; `None` when null,
    /// absent, or without a `meta.json`.
    mission_number: Option<String>,
    mission_type: Option<String>,
}

impl MissionMeta {
    /// Reads `meta.json`'s text as the CLI 3.2.7 does: `mission_number` an
    /// integer, a string holding one (`"007"` is 7), or null;
    /// `mission_type` a string (anything else counts as absent).
    ///
    /// # Errors
    /// A message naming the field when the text is not a JSON object or
    /// `mission_number` is of another kind (the CLI refuses the mission).
    pub fn parse(text: &str) -> Result<Self, String> {
        let fields: Map<String, Value> = decode_located(text)
            .map_err(|e| format!("meta.json is not a JSON object: {}", e.message()))?;
        let mission_number = match fields.get("mission_number") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
            Some(Value::String(s)) => Some(python_int(s).ok_or_else(|| {
                format!("meta.json: field `mission_number`: {s:?} is not an integer")
            })?),
            Some(other) => {
                return Err(format!(
                    "meta.json: field `mission_number`: must be an integer, a string of one, \
                     or null, not {other}"
                ));
            }
        };
        let mission_type = fields
            .get("mission_type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(Self {
            mission_number,
            mission_type,
        })
    }

    /// `mission_number` as the CLI writes it: `meta.json`'s number as text;
    /// without one, the number leading the slug (`"041-x"` is `"41"`), else
    /// `""`.
    fn number(&self, slug: &str) -> String {
        if let Some(number) = &self.mission_number {
            return number.clone();
        }
        match slug.split_once('-') {
            Some((digits, _))
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                without_leading_zeros(digits)
            }
            _ => String::new(),
        }
    }
}

/// An integer written as Python's `int(text)` reads it (surrounding blanks,
/// a sign, digits with single underscores between them), in its canonical
/// form; `None` when it is not one.
fn python_int(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return None;
    }
    let magnitude = without_leading_zeros(&digits.replace('_', ""));
    Some(if negative && magnitude != "0" {
        format!("-{magnitude}")
    } else {
        magnitude
    })
}

fn without_leading_zeros(digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.into()
    }
}

/// Materializes the 2026-08 `status.json` document from a log and its
/// mission's metadata, as a JSON value (its keys sorted). See the
/// [module docs](crate::spec_kitty) for the rules.
pub fn materialize_current(read: &StatusLogRead, meta: &MissionMeta) -> Value {
    // The document is written as text first; every value in it came from
    // JSON, so it reads back.
    serde_json::from_str(&write_current(read, meta, None)).unwrap_or_default()
}

/// The 2026-08 `status.json` bytes of a log, with `materialized_at` when
/// given instead of the last lane row's `at`.
pub(super) fn write_current(
    read: &StatusLogRead,
    meta: &MissionMeta,
    materialized_at: Option<String>,
) -> String {
    let ordered = cli_order(&read.rows);
    let mut work_packages: BTreeMap<&str, WorkPackage<'_>> = BTreeMap::new();
    for row in &ordered {
        match work_packages.get_mut(row.wp_id.as_str()) {
            Some(wp) => wp.apply(row),
            None => {
                work_packages.insert(&row.wp_id, WorkPackage::opened_by(row));
            }
        }
    }
    for annotation in annotation_order(&read.annotations) {
        work_packages
            .entry(&annotation.wp_id)
            .or_insert_with(|| WorkPackage::annotated(annotation.actor.name()))
            .fold(&annotation.delta);
    }
    let slug = ordered.first().map_or("", |row| row.slug.as_str());
    let last = ordered.last();
    let mut out = String::with_capacity(1024 + 512 * work_packages.len());
    let mut document = ObjectWriter::open(&mut out, 0);
    document.key(&mut out, "event_count");
    let _ = write!(out, "{}", ordered.len());
    document.key(&mut out, "last_event_id");
    match last {
        Some(row) => write_string(&mut out, row.event_id.as_str()),
        None => out.push_str("null"),
    }
    document.key(&mut out, "materialized_at");
    let stamp = last.map_or("", |row| row.at_text.as_str());
    write_string(&mut out, materialized_at.as_deref().unwrap_or(stamp));
    document.key(&mut out, "mission_number");
    write_string(&mut out, &meta.number(slug));
    document.key(&mut out, "mission_slug");
    write_string(&mut out, slug);
    document.key(&mut out, "mission_type");
    write_string(&mut out, meta.mission_type.as_deref().unwrap_or_default());
    if let Some(retrospective) = fold_retrospective(&read.others) {
        document.key(&mut out, "retrospective");
        write_value(&mut out, &retrospective, 1);
    }
    document.key(&mut out, "summary");
    let mut lanes = CliLane::DISPLAY;
    lanes.sort_unstable_by_key(|lane| lane.as_str());
    let mut summary = ObjectWriter::open(&mut out, 1);
    for lane in lanes {
        summary.key(&mut out, lane.as_str());
        let count = work_packages.values().filter(|wp| wp.lane == lane).count();
        let _ = write!(out, "{count}");
    }
    summary.close(&mut out);
    document.key(&mut out, "work_packages");
    let mut packages = ObjectWriter::open(&mut out, 1);
    for (id, wp) in &work_packages {
        packages.key(&mut out, id);
        wp.write(&mut out, 2);
    }
    packages.close(&mut out);
    document.close(&mut out);
    out.push('\n');
    out
}

/// Annotations in the order the CLI folds them: by `(at, event_id)` as
/// text, after every lane row. Unlike lane rows they are not deduplicated:
/// the CLI folds a repeated annotation again (a repeated `note` is listed
/// twice; every other field folds to the same value).
fn annotation_order(annotations: &[AnnotationRow]) -> Vec<&AnnotationRow> {
    let mut ordered: Vec<&AnnotationRow> = annotations.iter().collect();
    // Stable: rows with the same `(at, event_id)` keep their file order.
    ordered.sort_by(|a, b| (&a.at_text, &a.event_id).cmp(&(&b.at_text, &b.event_id)));
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mission_numbers_are_read_as_the_cli_reads_them() {
        // Each expected value is what spec-kitty-cli 3.2.7 wrote for a
        // mission `042-x` with that meta.json.
        let number = |meta: &str| MissionMeta::parse(meta).map(|m| m.number("042-x"));
        assert_eq!(number("{}").unwrap(), "42");
        assert_eq!(number(r#"{"mission_number": null}"#).unwrap(), "42");
        assert_eq!(number(r#"{"mission_number": "007"}"#).unwrap(), "7");
        assert_eq!(number(r#"{"mission_number": " 12 "}"#).unwrap(), "12");
        assert_eq!(number(r#"{"mission_number": -3}"#).unwrap(), "-3");
        assert!(number(r#"{"mission_number": "abc"}"#).is_err());
        assert!(number(r#"{"mission_number": true}"#).is_err());
        assert!(number(r#"{"mission_number": 1.0}"#).is_err());
        assert!(number("[1]").is_err());
        let bare = MissionMeta::default();
        assert_eq!(bare.number("0-a"), "0");
        assert_eq!(bare.number("042x"), "");
        assert_eq!(bare.number("42"), "");
        assert_eq!(
            bare.number("99999999999999999999999-b"),
            "99999999999999999999999"
        );
    }
}
