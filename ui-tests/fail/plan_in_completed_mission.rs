// Work packages are planned only in an active mission.
use spec_kitty_events::emit::{Completed, Mission, WorkPackage};
use spec_kitty_events::{ExecutionMode, NonEmptyString};

fn forbidden(mission: &Mission<Completed>, wp_id: NonEmptyString, actor: &NonEmptyString) {
    let _ = WorkPackage::plan(mission, wp_id, ExecutionMode::Worktree, actor);
}

fn main() {}
