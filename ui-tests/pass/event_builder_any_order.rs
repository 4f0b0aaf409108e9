// The event builder: required fields in any order, ids and times as the
// crate's types or as text the setters parse; no `uuid` crate, no `map_err`.
use spec_kitty_events::contract::event_types::PhaseEnteredPayload;
use spec_kitty_events::contract::{Event, EventPayload, MissionId, Timestamp, Ulid};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let payload = PhaseEnteredPayload::decode(
        r#"{"mission_id":"M1","phase_name":"plan","actor":"rob"}"#,
    )?;
    let mission: MissionId = "M1".parse()?;
    let from_text = Event::builder(&payload)
        .correlation_id("01JKQ4V7C00000000000000C0R")
        .lamport_clock(3)
        .project_uuid("00000000-0000-0000-0000-000000000001")
        .node_id("cli")
        .aggregate_id(&mission)
        .event_id("01JKQ4V7C00000000000000001")
        .timestamp("2026-02-09T11:00:01Z")
        .build()?;
    let from_values = Event::builder(&payload)
        .aggregate_id(mission)
        .node_id(String::from("cli"))
        .lamport_clock(3)
        .project_uuid(from_text.project_uuid())
        .correlation_id(Ulid::parse("01JKQ4V7C00000000000000C0R")?)
        .event_id(from_text.event_id())
        .timestamp(Timestamp::parse("2026-02-09T11:00:01Z")?)
        .build()?;
    assert_eq!(from_text, from_values);
    // A required field set twice keeps the last value.
    let again = from_values.to_builder().lamport_clock(4).build()?;
    assert_eq!(again.lamport_clock(), 4);
    Ok(())
}
