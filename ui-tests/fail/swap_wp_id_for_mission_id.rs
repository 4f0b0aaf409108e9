// A work package id is not a mission id.
use spec_kitty_events::contract::{Actor, MissionType, Phase, WpId};
use spec_kitty_events::emit::{Emitter, Mission};

fn swapped(emitter: Emitter, wp_id: WpId, kind: MissionType, phase: Phase, actor: &Actor) {
    let _ = Mission::start(emitter, wp_id, kind, phase, actor);
}

fn main() {}
