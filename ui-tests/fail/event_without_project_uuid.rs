// `project_uuid` is a required field of every event: a builder that never set it
// has no `build`, and the error says which field is missing.
use spec_kitty_events::contract::Event;
use spec_kitty_events::contract::event_types::PhaseEnteredPayload;

fn incomplete(payload: &PhaseEnteredPayload) {
    let _ = Event::builder(payload)
        .aggregate_id("M1")
        .node_id("cli")
        .lamport_clock(1)
        .correlation_id("01JKQ4V7C00000000000000C0R")
        .build();
}

fn main() {}
