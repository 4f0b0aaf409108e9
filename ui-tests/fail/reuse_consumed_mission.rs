// Completing consumes the active mission: it cannot then be cancelled too.
use spec_kitty_events::contract::{Actor, NonEmptyString};
use spec_kitty_events::emit::{MissionActive, Mission};

fn forbidden(mission: Mission<MissionActive>, actor: &Actor, text: NonEmptyString) {
    let _completed = mission.complete(actor);
    let _cancelled = mission.cancel(text, Vec::new(), actor);
}

fn main() {}
