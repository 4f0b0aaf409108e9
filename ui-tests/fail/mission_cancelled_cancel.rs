// A cancelled mission is terminal: it has no `cancel`.
use spec_kitty_events::contract::{Actor, NonEmptyString};
use spec_kitty_events::emit::{MissionCancelled, Mission};

fn forbidden(mission: Mission<MissionCancelled>, actor: &Actor, text: NonEmptyString) {
    let _ = mission.cancel(text, Vec::new(), actor);
}

fn main() {}
