// `promote` is the move genesis -> planned; a work package in for_review has no such method.
use spec_kitty_events::emit::{ForReview, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<ForReview>, actor: &Actor) {
    let _ = wp.promote(actor);
}

fn main() {}
