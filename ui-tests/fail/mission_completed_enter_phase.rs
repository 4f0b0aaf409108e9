// A completed mission is terminal: it has no `enter_phase`.
use spec_kitty_events::contract::{Actor, NonEmptyString};
use spec_kitty_events::emit::{MissionCompleted, Mission};

fn forbidden(mission: Mission<MissionCompleted>, actor: &Actor, text: NonEmptyString) {
    let _ = mission.enter_phase(text, actor);
}

fn main() {}
