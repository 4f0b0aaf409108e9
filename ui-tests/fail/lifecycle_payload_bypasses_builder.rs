// A lane move is emitted only by its builder: a hand-made WPStatusChanged
// payload cannot be recorded around the typestate.
use spec_kitty_events::StatusTransitionPayload;
use spec_kitty_events::emit::{Active, Mission};

fn forbidden(mission: &Mission<Active>, payload: &StatusTransitionPayload) {
    let _ = mission.record(payload);
}

fn main() {}
