// `abandon` is the move in_progress -> planned; an work package in in_review has no such method.
use spec_kitty_events::emit::{InReview, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<InReview>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.abandon(text, actor);
}

fn main() {}
