// A cancelled mission is terminal: it has no `enter_phase`.
use spec_kitty_events::NonEmptyString;
use spec_kitty_events::emit::{Cancelled, Mission};

fn forbidden(mission: Mission<Cancelled>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = mission.enter_phase(text, actor);
}

fn main() {}
