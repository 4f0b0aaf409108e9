//! Which contract version the builder and the emitter write: schema 3.0.0
//! with a `build_id` by default, the 0.4 writer on request, and a derived
//! copy (`to_builder`) that keeps the `build_id` and an absent clock.

use spec_kitty_events::contract::event_types::{GatePassedPayload, PhaseEnteredPayload};
use spec_kitty_events::contract::{ContractVersion, DEFAULT_BUILD_ID, Event, EventPayload, Ulid};
use spec_kitty_events::emit::{Emitter, Mission};
use spec_kitty_events::store::{InMemoryClockStorage, LamportClock};

fn gate() -> GatePassedPayload {
    GatePassedPayload::decode(
        r#"{"gate_name":"ci/build","gate_type":"ci","conclusion":"success","external_provider":"github","check_run_id":7,"check_run_url":"https://github.com/o/r/runs/7","delivery_id":"d-7"}"#,
    )
    .unwrap()
}

const PROJECT: &str = "00000000-0000-0000-0000-000000000001";
const CORRELATION: &str = "01JKQ4V7C00000000000000C0R";

#[test]
fn a_payload_of_every_version_is_written_under_schema_3_with_the_default_build_id() {
    let event = Event::builder(&gate())
        .aggregate_id("M1")
        .node_id("cli")
        .lamport_clock(3)
        .project_uuid(PROJECT)
        .correlation_id(CORRELATION)
        .build()
        .unwrap();
    assert_eq!(event.schema_version().as_str(), "3.0.0");
    assert_eq!(event.build_id(), Some(DEFAULT_BUILD_ID));
    assert!(DEFAULT_BUILD_ID.starts_with("spec-kitty-events-rs/"));
    let json: serde_json::Value = serde_json::from_str(&event.to_json()).unwrap();
    assert_eq!(json["build_id"], DEFAULT_BUILD_ID);
    assert_eq!(Event::from_json(&event.to_json()).unwrap(), event);
}

#[test]
fn a_0_4_only_payload_keeps_the_0_4_writer_and_the_0_4_writer_can_be_chosen() {
    let phase =
        PhaseEnteredPayload::decode(r#"{"mission_id":"M1","phase_name":"plan","actor":"rob"}"#)
            .unwrap();
    let event = Event::builder(&phase)
        .aggregate_id("M1")
        .node_id("cli")
        .lamport_clock(2)
        .project_uuid(PROJECT)
        .correlation_id(CORRELATION)
        .build()
        .unwrap();
    assert_eq!(event.schema_version().as_str(), "1.0.0");
    assert_eq!(event.build_id(), None);
    assert!(!event.to_json().contains("build_id"));

    let gate = Event::builder(&gate())
        .contract_version(ContractVersion::V1)
        .aggregate_id("M1")
        .node_id("cli")
        .lamport_clock(4)
        .project_uuid(PROJECT)
        .correlation_id(CORRELATION)
        .build()
        .unwrap();
    assert_eq!(gate.schema_version().as_str(), "1.0.0");
    assert!(!gate.to_json().contains("build_id"));
}

#[test]
fn an_unclocked_event_needs_schema_3_and_to_builder_keeps_it_unclocked_with_its_build_id() {
    let unclocked = Event::builder(&gate())
        .aggregate_id("M1")
        .node_id("cli")
        .unclocked()
        .project_uuid(PROJECT)
        .correlation_id(CORRELATION)
        .build_id("checkout-42")
        .build()
        .unwrap();
    assert_eq!(unclocked.clock(), None);
    assert!(unclocked.to_json().contains(r#""lamport_clock":null"#));
    let copy = unclocked.to_builder().build().unwrap();
    assert_eq!(copy, unclocked);
    assert_eq!(copy.build_id(), Some("checkout-42"));
    assert_eq!(copy.clock(), None);
    let moved = unclocked.to_builder().aggregate_id("M2").build().unwrap();
    assert_eq!(moved.build_id(), Some("checkout-42"));
    assert_eq!(moved.clock(), None);

    let refused = Event::builder(&gate())
        .contract_version(ContractVersion::V1)
        .aggregate_id("M1")
        .node_id("cli")
        .unclocked()
        .project_uuid(PROJECT)
        .correlation_id(CORRELATION)
        .build()
        .unwrap_err();
    assert_eq!(refused.field(), "lamport_clock");
    let blank = Event::builder(&gate())
        .aggregate_id("M1")
        .node_id("cli")
        .lamport_clock(1)
        .project_uuid(PROJECT)
        .correlation_id(CORRELATION)
        .build_id("")
        .build()
        .unwrap_err();
    assert_eq!(blank.field(), "build_id");
}

#[test]
fn the_emitter_writes_schema_3_with_its_build_id_and_0_4_when_told() {
    let emit = |emitter: Emitter| {
        let log = emitter.log();
        drop(
            Mission::start(
                emitter,
                "M1".parse().unwrap(),
                "software-dev".parse().unwrap(),
                "plan".parse().unwrap(),
                &"rob".parse().unwrap(),
            )
            .unwrap(),
        );
        log.take().remove(0)
    };
    let clock = || LamportClock::new("cli", InMemoryClockStorage::default()).unwrap();
    let current = emit(Emitter::new(clock(), Default::default(), Ulid::generate()));
    assert_eq!(current.schema_version().as_str(), "3.0.0");
    assert_eq!(current.build_id(), Some(DEFAULT_BUILD_ID));
    let named = emit(
        Emitter::new(clock(), Default::default(), Ulid::generate()).with_build_id("checkout-7"),
    );
    assert_eq!(named.build_id(), Some("checkout-7"));
    let old = emit(
        Emitter::new(clock(), Default::default(), Ulid::generate())
            .with_contract_version(ContractVersion::V1)
            .with_build_id("ignored under 0.4"),
    );
    assert_eq!(old.schema_version().as_str(), "1.0.0");
    assert_eq!(old.build_id(), None);
}
