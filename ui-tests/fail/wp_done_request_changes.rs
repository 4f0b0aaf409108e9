// `request_changes` is the move for_review -> in_progress; a work package in done has no such method.
use spec_kitty_events::emit::{Done, WorkPackage};
use spec_kitty_events::contract::NonEmptyString;

fn forbidden(wp: WorkPackage<Done>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = wp.request_changes(text, actor);
}

fn main() {}
