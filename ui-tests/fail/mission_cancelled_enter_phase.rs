// A cancelled mission is terminal: it has no `enter_phase`.
use spec_kitty_events::contract::{Actor, NonEmptyString};
use spec_kitty_events::emit::{MissionCancelled, Mission};

fn forbidden(mission: Mission<MissionCancelled>, actor: &Actor, text: NonEmptyString) {
    let _ = mission.enter_phase(text, actor);
}

fn main() {}
