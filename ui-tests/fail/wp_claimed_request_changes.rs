// `request_changes` is the move for_review -> in_progress; a work package in claimed has no such method.
use spec_kitty_events::emit::{Claimed, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Claimed>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.request_changes(text, actor);
}

fn main() {}
