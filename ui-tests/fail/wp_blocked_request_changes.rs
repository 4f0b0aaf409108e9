// `request_changes` is the move for_review -> in_progress; a work package in blocked has no such method.
use spec_kitty_events::emit::{Blocked, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Blocked>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.request_changes(text, actor);
}

fn main() {}
