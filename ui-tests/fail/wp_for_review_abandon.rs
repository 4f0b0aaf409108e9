// `abandon` is the move in_progress -> planned; a work package in for_review has no such method.
use spec_kitty_events::emit::{ForReview, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<ForReview>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.abandon(text, actor);
}

fn main() {}
