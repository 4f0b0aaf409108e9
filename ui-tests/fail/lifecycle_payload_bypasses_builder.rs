// A lane move is emitted only by its builder: a hand-made WPStatusChanged
// payload cannot be recorded around the typestate.
use spec_kitty_events::contract::event_types::StatusTransitionPayload;
use spec_kitty_events::emit::{MissionActive, Mission};

fn forbidden(mission: &Mission<MissionActive>, payload: &StatusTransitionPayload) {
    let _ = mission.record(payload);
}

fn main() {}
