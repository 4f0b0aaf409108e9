// A cancelled mission is terminal: it has no `complete`.
use spec_kitty_events::contract::Actor;
use spec_kitty_events::emit::{MissionCancelled, Mission};

fn forbidden(mission: Mission<MissionCancelled>, actor: &Actor) {
    let _ = mission.complete(actor);
}

fn main() {}
