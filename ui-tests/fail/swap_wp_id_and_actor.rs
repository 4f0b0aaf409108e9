// plan takes the work package id, then (after the mode) who planned it.
use spec_kitty_events::contract::{Actor, ExecutionMode, WpId};
use spec_kitty_events::emit::{Mission, MissionActive, WorkPackage};

fn swapped(mission: &Mission<MissionActive>, wp_id: WpId, actor: Actor) {
    let _ = WorkPackage::plan(mission, actor, ExecutionMode::Worktree, &wp_id);
}

fn main() {}
