// Names are parsed before they reach a builder: plain text is not a Phase.
use spec_kitty_events::contract::Actor;
use spec_kitty_events::emit::{Mission, MissionActive};

fn unparsed(mission: Mission<MissionActive>, actor: &Actor) {
    let _ = mission.enter_phase("implement", actor);
}

fn main() {}
