//! The spec-kitty-events 11.0.0 conformance suite, walked fixture by
//! fixture from its `manifest.json` (copied verbatim into
//! `tests/data/conformance-11.0.0/`).
//!
//! Every fixture lands in exactly one place: a family this crate implements
//! (a valid fixture is accepted, an invalid one is rejected with the field
//! named, a golden output is reproduced), a family issue 12's tests cover,
//! or a family or event type listed below as out of scope with its reason.
//! The test fails if a fixture lands nowhere, so nothing is skipped
//! silently. `cargo test --test conformance -- --nocapture` prints the
//! counts.

use std::collections::BTreeMap;

use serde_json::Value;
use spec_kitty_events::ValidationError;
use spec_kitty_events::contract::event_types::KnownPayload;
use spec_kitty_events::contract::{
    ContractVersion, Event, Lane, SyncLaneV1, Timestamp, normalize_lane,
};
use spec_kitty_events::reduce::canonical_order;

const ROOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/conformance-11.0.0/fixtures"
);

/// Families (the manifest path's first folder; `class_taxonomy/<class>` for
/// the class suite) this crate does not implement, and why.
const OUT_OF_SCOPE: &[(&str, &str)] = &[
    (
        "analytics",
        "token-usage and diff-summary analytics events: not part of the mission/work-package log this crate models",
    ),
    (
        "collaboration",
        "multi-participant collaboration events (participants, focus, drive intent): a separate aggregate",
    ),
    (
        "connector",
        "connector provisioning and health: a separate aggregate with its own reducer",
    ),
    (
        "decisionpoint",
        "decision-point events and their reducer: a separate aggregate",
    ),
    (
        "dossier",
        "mission dossier artifact indexing and parity: a separate aggregate",
    ),
    ("glossary", "glossary semantic events: a separate aggregate"),
    (
        "harness_observation",
        "harness observation payloads: telemetry outside the event log",
    ),
    (
        "mission_audit",
        "mission audit events and their reducer: a separate aggregate",
    ),
    (
        "mission_next",
        "mission-next run and step events: a separate aggregate",
    ),
    (
        "profile_invocation",
        "profile invocation events: a separate aggregate",
    ),
    (
        "retrospective",
        "retrospective events: a separate aggregate",
    ),
    (
        "work_observation",
        "work observation payloads and their forbidden-key policy: telemetry outside the event log",
    ),
    (
        "zeitgeist_attrs",
        "the zeitgeist broadcast attribute codec (bounded str:str attrs): a projection for broadcast, not the log's wire contract",
    ),
    (
        "cutover_boundary",
        "the strict journal profile's cutover gate (an ingress policy of 8.0.0+), not the event contract validate_event applies",
    ),
    (
        "class_taxonomy/envelope_strict_journal",
        "the strict journal profile (an ingress policy, not validate_event)",
    ),
    (
        "class_taxonomy/envelope_invalid_forbidden_key",
        "the forbidden-legacy-key scan of the strict ingress profile, not validate_event",
    ),
];

/// Families issue 12's tests (spec-kitty's own status rows and ledger)
/// cover.
const COVERED_BY_ISSUE_12: &[(&str, &str)] = &[
    (
        "ledger_append",
        "spec-kitty's append-only ledger lines: src/spec_kitty, issue 12's tests",
    ),
    (
        "status_diary",
        "spec-kitty's status diary and its reducer replay: src/spec_kitty, issue 12's tests",
    ),
];

/// Event types of implemented families whose payloads this crate does not
/// declare, and why.
const OUT_OF_SCOPE_EVENT_TYPES: &[(&str, &str)] = &[
    (
        "ProjectInitialized",
        "project lifecycle (5.1.0): outside the mission log",
    ),
    (
        "SpecifyStarted",
        "phase-step catalogue events (5.1.0): PhaseEntered carries the lifecycle",
    ),
    ("SpecifyCompleted", "phase-step catalogue events (5.1.0)"),
    ("PlanStarted", "phase-step catalogue events (5.1.0)"),
    ("PlanCompleted", "phase-step catalogue events (5.1.0)"),
    ("TasksStarted", "phase-step catalogue events (5.1.0)"),
    ("TasksCompleted", "phase-step catalogue events (5.1.0)"),
    (
        "WPCreated",
        "work-package catalogue events (5.1.0): WPStatusChanged carries the lanes",
    ),
    ("WPAssigned", "work-package catalogue events (5.2.0)"),
    (
        "BuildRegistered",
        "build lifecycle (5.2.0): outside the mission log",
    ),
    ("BuildHeartbeat", "build lifecycle (5.2.0)"),
    ("HistoryAdded", "history catalogue events (5.2.0)"),
    ("ErrorLogged", "error catalogue events (5.2.0)"),
    ("DependencyResolved", "dependency catalogue events (5.2.0)"),
    ("MissionOriginBound", "mission origin binding (5.2.0)"),
    (
        "ReviewerSelfApproval",
        "reviewer self-approval (10.7.0): a producer diagnostic, not a lifecycle event",
    ),
];

/// Fixtures of implemented families this crate does not pass yet, and why.
/// Each is asserted to still fail, so the list is dropped when it is fixed.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// Fixtures marked valid that 11.0.0's own models refuse (checked against
/// the oracle when this list was written), with the field it names: this
/// crate must refuse them the same way.
const STALE: &[(&str, &str, &str)] = &[(
    "wp-review-rejection-cycle-replay",
    "payload.evidence",
    "its last move, in_review -> approved, has no evidence; 11.0.0's StatusTransitionPayload requires it for approved",
)];

#[derive(Debug, Default)]
struct Counts {
    accepted: usize,
    rejected: usize,
    goldens: usize,
}

/// What a fixture's judge found: accepted, or rejected with the error.
type Verdict = Result<(), String>;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A rejection that names where the fault is: a field path, or, for input
/// that is not an event object at all, says so.
fn named(error: &ValidationError) -> Verdict {
    if error.field().is_empty() && !error.message().contains("object") {
        return Err(format!("UNNAMED: {error}"));
    }
    Err(error.to_string())
}

/// A lane move's verdict under its own version: the violations name the
/// guard field (`force`, `review_ref`).
fn judge_known(known: &KnownPayload) -> Verdict {
    let Some(change) = known.status_change() else {
        return Ok(());
    };
    let verdict = change.validate();
    if verdict.valid {
        return Ok(());
    }
    let text = verdict.violations.join("; ");
    if ["force", "review_ref", "not allowed", "terminal"]
        .iter()
        .any(|field| text.contains(field))
    {
        Err(text)
    } else {
        Err(format!("UNNAMED: {text}"))
    }
}

/// A bare payload of `event_type`, judged under schema 3.0.0.
fn judge_payload(event_type: &str, json: &str) -> Verdict {
    let compact = serde_json::from_str::<Value>(json).unwrap().to_string();
    match KnownPayload::decode_under(ContractVersion::V3, event_type, &compact) {
        Ok(Some(known)) => judge_known(&known),
        Ok(None) => panic!("{event_type} is not declared under V3"),
        Err(error) => named(&error),
    }
}

/// A whole envelope: the envelope, then its payload, then its move.
fn judge_envelope(json: &str) -> Verdict {
    let event = match Event::from_json(json) {
        Ok(event) => event,
        Err(error) => return named(&error),
    };
    match event.typed_payload() {
        Ok(Some(known)) => judge_known(known),
        Ok(None) => Ok(()),
        Err(error) => named(error),
    }
}

fn judge_lane_mapping(json: &str, valid: bool) -> Verdict {
    let rows: Vec<Value> = serde_json::from_str(json).unwrap();
    for row in rows {
        let name = row["canonical"].as_str().unwrap();
        let lane = normalize_lane(name);
        if valid {
            let sync: SyncLaneV1 = serde_json::from_value(row["expected_sync"].clone()).unwrap();
            let lane = lane.map_err(|e| e.to_string())?;
            assert_eq!(lane.sync_v1(), sync, "{name}");
        } else if name == "in_review" {
            // Stale row (the fixture is from 2.0.0): in_review has been a
            // lane since 3.0.0, and 11.0.0's own `Lane("in_review")`
            // accepts it; the 0.4 contract does not have it.
            assert_eq!(lane.unwrap(), Lane::InReview);
            assert!(!Lane::InReview.exists_in(ContractVersion::V1));
        } else {
            let error = lane.expect_err(name);
            assert_eq!(error.field(), "lane");
        }
    }
    if valid {
        Ok(())
    } else {
        Err("every unknown lane refused".to_owned())
    }
}

fn judge_timestamp(json: &str) -> Verdict {
    let fixture: Value = serde_json::from_str(json).unwrap();
    let event = Event::from_json(&fixture["envelope"].to_string()).map_err(|e| e.to_string())?;
    let persisted = fixture["consumer_simulation"]["persisted_occurrence_time"]
        .as_str()
        .unwrap();
    let persisted = Timestamp::parse(persisted).map_err(|e| e.to_string())?;
    if persisted.instant() == event.timestamp().instant() {
        Ok(())
    } else {
        Err(format!(
            "field `timestamp`: the consumer persisted {} instead of the producer's {}",
            persisted.instant(),
            event.timestamp().instant()
        ))
    }
}

/// The canonical order of the fixture's events is its `expected_order`.
fn judge_ordering(json: &str) -> Verdict {
    let fixture: Value = serde_json::from_str(json).unwrap();
    let events: Vec<Event> = fixture["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|raw| Event::from_json(&raw.to_string()).unwrap())
        .collect();
    let order: Vec<String> = canonical_order(events)
        .iter()
        .map(|event| event.event_id().to_string())
        .collect();
    let expected: Vec<String> = serde_json::from_value(fixture["expected_order"].clone()).unwrap();
    assert_eq!(order, expected);
    Ok(())
}

/// The review-rejection cycle: a stream of lines whose envelopes are not
/// 11.0.0 `Event`s (25-character ids, `team_slug`, `origin`: 11.0.0's own
/// `Event` refuses them too), so the stream is judged as 11.0.0's
/// conformance suite judges it, by its payloads: each a valid 3.0.0 move
/// from the lane the previous one entered, ending in `approved` (the
/// manifest's notes) after one forced rejection back to planned.
fn judge_replay(text: &str) -> Verdict {
    let mut lane: Option<Lane> = None;
    let mut forced = 0;
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        let known = KnownPayload::decode_under(
            ContractVersion::V3,
            row["event_type"].as_str().unwrap(),
            &row["payload"].to_string(),
        )
        .map_err(|e| e.to_string())?
        .unwrap();
        judge_known(&known)?;
        let change = known.status_change().unwrap();
        assert_eq!(change.lane_move.from, lane, "{line}");
        lane = Some(change.lane_move.to);
        forced += usize::from(change.lane_move.force);
    }
    assert_eq!(lane, Some(Lane::Approved));
    assert_eq!(forced, 1);
    Ok(())
}

fn family_of(path: &str) -> String {
    let mut parts = path.split('/');
    let first = parts.next().unwrap_or_default();
    if first == "class_taxonomy" {
        format!("{first}/{}", parts.next().unwrap_or_default())
    } else {
        first.to_owned()
    }
}

fn reason_in<'a>(list: &'a [(&str, &str)], key: &str) -> Option<&'a str> {
    list.iter()
        .find(|(name, _)| *name == key)
        .map(|(_, why)| *why)
}

#[test]
fn the_11_0_0_manifest_is_walked_fixture_by_fixture() {
    let manifest: Value = serde_json::from_str(&read("manifest.json")).unwrap();
    let fixtures = manifest["fixtures"].as_array().unwrap();
    let mut checked: BTreeMap<String, Counts> = BTreeMap::new();
    let mut elsewhere: BTreeMap<String, usize> = BTreeMap::new();
    let mut out_of_scope: BTreeMap<String, usize> = BTreeMap::new();
    let mut gaps = 0;
    let mut failures = Vec::new();
    for fixture in fixtures {
        let id = fixture["id"].as_str().unwrap();
        let path = fixture["path"].as_str().unwrap();
        let event_type = fixture["event_type"].as_str().unwrap();
        let valid = fixture["expected_result"] == "valid";
        let family = family_of(path);
        if reason_in(COVERED_BY_ISSUE_12, &family).is_some() {
            *elsewhere.entry(family).or_default() += 1;
            continue;
        }
        if reason_in(OUT_OF_SCOPE, &family).is_some() {
            *out_of_scope.entry(family).or_default() += 1;
            continue;
        }
        if reason_in(OUT_OF_SCOPE_EVENT_TYPES, event_type).is_some() {
            *out_of_scope
                .entry(format!("{family}: {event_type}"))
                .or_default() += 1;
            continue;
        }
        let text = read(path);
        let verdict = match family.as_str() {
            "events" | "edge_cases" if path.ends_with(".jsonl") => judge_replay(&text),
            "events" | "edge_cases" if event_type == "Event" => judge_envelope(&text),
            "events" | "edge_cases" => judge_payload(event_type, &text),
            "lane_mapping" => judge_lane_mapping(&text, valid),
            "timestamp_semantics" => judge_timestamp(&text),
            "ordering" => judge_ordering(&text),
            "class_taxonomy/lane_mapping_legacy" => {
                let input: Value = serde_json::from_str::<Value>(&text).unwrap()["input"].clone();
                match normalize_lane(input["legacy_lane"].as_str().unwrap()) {
                    Ok(lane) => {
                        assert_eq!(lane.as_str(), input["canonical_lane"]);
                        Ok(())
                    }
                    Err(error) => named(&error),
                }
            }
            family if family.starts_with("class_taxonomy/") => {
                let fixture_json: Value = serde_json::from_str(&text).unwrap();
                judge_envelope(&fixture_json["input"].to_string())
            }
            other => panic!("family {other} is neither implemented nor listed"),
        };
        if let Some((_, field, why)) = STALE.iter().find(|(stale, _, _)| *stale == id) {
            let error = verdict.expect_err(why);
            assert!(error.starts_with(field), "{id}: {error}");
            gaps += 1;
            continue;
        }
        if let Some(why) = reason_in(KNOWN_GAPS, id) {
            assert!(
                verdict.is_err() == valid,
                "{id} passes now: drop it from KNOWN_GAPS ({why})"
            );
            gaps += 1;
            continue;
        }
        let counts = checked.entry(family.clone()).or_default();
        match (valid, verdict) {
            (true, Ok(())) => counts.accepted += 1,
            (false, Err(error)) if !error.starts_with("UNNAMED") => counts.rejected += 1,
            (true, Err(error)) => failures.push(format!("{id} ({path}): rejected: {error}")),
            (false, Err(error)) => failures.push(format!("{id} ({path}): {error}")),
            (false, Ok(())) => failures.push(format!("{id} ({path}): accepted")),
        }
        if path.ends_with(".jsonl") || family == "ordering" {
            counts.goldens += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let total_checked: usize = checked.values().map(|c| c.accepted + c.rejected).sum();
    let total_elsewhere: usize = elsewhere.values().sum();
    let total_out: usize = out_of_scope.values().sum();
    println!("conformance 11.0.0: {} fixtures", fixtures.len());
    for (family, counts) in &checked {
        println!(
            "  checked {family}: {} valid accepted, {} invalid rejected (field named), {} goldens reproduced",
            counts.accepted, counts.rejected, counts.goldens
        );
    }
    for (family, count) in &elsewhere {
        println!("  issue 12's tests: {family}: {count}");
    }
    for (family, count) in &out_of_scope {
        println!("  out of scope: {family}: {count}");
    }
    println!(
        "  total: {total_checked} checked, {gaps} known gaps or stale, {total_elsewhere} in issue 12's tests, {total_out} out of scope"
    );
    assert_eq!(
        total_checked + gaps + total_elsewhere + total_out,
        fixtures.len(),
        "every fixture is accounted for"
    );
    // Every listed family and event type exists in the manifest: the lists
    // do not drift from the data.
    for (name, _) in OUT_OF_SCOPE.iter().chain(COVERED_BY_ISSUE_12) {
        assert!(
            fixtures
                .iter()
                .any(|f| family_of(f["path"].as_str().unwrap()) == *name),
            "{name} is listed but not in the manifest"
        );
    }
    for (name, _) in OUT_OF_SCOPE_EVENT_TYPES {
        assert!(
            fixtures.iter().any(|f| f["event_type"] == *name),
            "{name} is listed but not in the manifest"
        );
    }
}

/// The two UUID event-id fixtures (2.2.0 on) are accepted, keep their id's
/// spelling on the way back out, and the same ids are refused, naming the
/// field, under schema 1.0.0, whose ids are ULIDs only.
#[test]
fn uuid_event_ids_are_accepted_under_3_0_0_and_kept_as_written() {
    for (file, id) in [
        (
            "events/valid/event_uuid_hyphenated.json",
            "550e8400-e29b-41d4-a716-446655440000",
        ),
        (
            "events/valid/event_uuid_bare.json",
            "550e8400e29b41d4a716446655440000",
        ),
    ] {
        let text = read(file);
        let event = Event::from_json(&text).unwrap();
        assert_eq!(event.event_id().as_str(), id);
        assert!(event.event_id().as_uuid().is_some());
        let written: Value = serde_json::from_str(&event.to_json()).unwrap();
        let fixture: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(written, fixture, "{file} written back as read");
        let old = text.replace(
            r#""schema_version": "3.0.0""#,
            r#""schema_version": "1.0.0""#,
        );
        assert_ne!(old, text);
        let error = Event::from_json(&old).unwrap_err();
        assert_eq!(error.field(), "event_id", "{error}");
    }
}
