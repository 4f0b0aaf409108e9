// A completed mission is terminal: it has no `enter_phase`.
use spec_kitty_events::NonEmptyString;
use spec_kitty_events::emit::{Completed, Mission};

fn forbidden(mission: Mission<Completed>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = mission.enter_phase(text, actor);
}

fn main() {}
