// Work packages are planned only in an active mission.
use spec_kitty_events::emit::{MissionCompleted, Mission, WorkPackage};
use spec_kitty_events::contract::{Actor, ExecutionMode, WpId};

fn forbidden(mission: &Mission<MissionCompleted>, wp_id: WpId, actor: &Actor) {
    let _ = WorkPackage::plan(mission, wp_id, ExecutionMode::Worktree, actor);
}

fn main() {}
