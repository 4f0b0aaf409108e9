// Completing consumes the active mission: it cannot then be cancelled too.
use spec_kitty_events::NonEmptyString;
use spec_kitty_events::emit::{Active, Mission};

fn forbidden(mission: Mission<Active>, actor: &NonEmptyString, text: NonEmptyString) {
    let _completed = mission.complete(actor);
    let _cancelled = mission.cancel(text, Vec::new(), actor);
}

fn main() {}
