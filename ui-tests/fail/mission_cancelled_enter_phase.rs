// A cancelled mission is terminal: it has no `enter_phase`.
use spec_kitty_events::contract::NonEmptyString;
use spec_kitty_events::emit::{MissionCancelled, Mission};

fn forbidden(mission: Mission<MissionCancelled>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = mission.enter_phase(text, actor);
}

fn main() {}
