// `request_changes` is the move for_review -> in_progress; a work package in canceled has no such method.
use spec_kitty_events::emit::{Canceled, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Canceled>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.request_changes(text, actor);
}

fn main() {}
