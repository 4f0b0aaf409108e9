//! The event builder's setters take text and parse it; text that does not
//! parse is reported by `build`, naming the field (the first one wins), and
//! good text gives the same event as the typed values.

use spec_kitty_events::contract::event_types::PhaseEnteredPayload;
use spec_kitty_events::contract::{Event, EventPayload};

fn payload() -> PhaseEnteredPayload {
    PhaseEnteredPayload::decode(r#"{"mission_id":"M1","phase_name":"plan","actor":"rob"}"#).unwrap()
}

const UUID: &str = "00000000-0000-0000-0000-000000000001";
const ULID: &str = "01JKQ4V7C00000000000000C0R";

#[test]
fn text_that_does_not_parse_names_its_field() {
    // (field, bad text) → the field `build` must name; expectations follow
    // the setter each text is passed to.
    let cases = [
        ("event_id", "not-a-ulid"),
        ("timestamp", "yesterday"),
        ("project_uuid", "0000-not-uuid"),
        ("correlation_id", "01JKQ4V7C0000000000000000I"),
    ];
    for (field, bad) in cases {
        let builder = Event::builder(&payload())
            .aggregate_id("M1")
            .node_id("cli")
            .lamport_clock(1);
        let builder = match field {
            "event_id" => builder
                .event_id(bad)
                .project_uuid(UUID)
                .correlation_id(ULID),
            "timestamp" => builder
                .timestamp(bad)
                .project_uuid(UUID)
                .correlation_id(ULID),
            "project_uuid" => builder.project_uuid(bad).correlation_id(ULID),
            _ => builder.project_uuid(UUID).correlation_id(bad),
        };
        let error = builder.build().unwrap_err();
        assert_eq!(error.field(), field, "{error}");
        assert!(error.to_string().contains(bad), "{error}");
    }
}

#[test]
fn the_first_bad_text_is_the_one_reported() {
    let error = Event::builder(&payload())
        .timestamp("later")
        .aggregate_id("M1")
        .node_id("cli")
        .lamport_clock(1)
        .project_uuid("nope")
        .correlation_id(ULID)
        .build()
        .unwrap_err();
    assert_eq!(error.field(), "timestamp");
}

#[test]
fn text_and_typed_values_build_the_same_event() {
    let from_text = Event::builder(&payload())
        .aggregate_id("M1")
        .node_id("cli")
        .lamport_clock(7)
        .project_uuid(UUID)
        .correlation_id(ULID)
        .event_id("01JKQ4V7C00000000000000001")
        .timestamp("2026-02-09T11:00:01Z")
        .build()
        .unwrap();
    let line = from_text.to_json();
    assert!(
        line.contains(r#""project_uuid":"00000000-0000-0000-0000-000000000001""#),
        "{line}"
    );
    assert!(
        line.contains(r#""correlation_id":"01JKQ4V7C00000000000000C0R""#),
        "{line}"
    );
    assert!(
        line.contains(r#""event_id":"01JKQ4V7C00000000000000001""#),
        "{line}"
    );
    let typed = Event::builder(&payload())
        .aggregate_id("M1")
        .node_id("cli")
        .lamport_clock(7)
        .project_uuid(from_text.project_uuid())
        .correlation_id(from_text.correlation_id())
        .event_id(from_text.event_id())
        .timestamp(from_text.timestamp())
        .build()
        .unwrap();
    assert_eq!(typed, from_text);
}
