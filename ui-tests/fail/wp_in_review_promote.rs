// `promote` is the move genesis -> planned; an work package in in_review has no such method.
use spec_kitty_events::emit::{InReview, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<InReview>, actor: &Actor) {
    let _ = wp.promote(actor);
}

fn main() {}
