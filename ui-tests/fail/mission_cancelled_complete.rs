// A cancelled mission is terminal: it has no `complete`.
use spec_kitty_events::contract::NonEmptyString;
use spec_kitty_events::emit::{MissionCancelled, Mission};

fn forbidden(mission: Mission<MissionCancelled>, actor: &NonEmptyString) {
    let _ = mission.complete(actor);
}

fn main() {}
