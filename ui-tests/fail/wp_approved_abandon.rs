// `abandon` is the move in_progress -> planned; an work package in approved has no such method.
use spec_kitty_events::emit::{Approved, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Approved>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.abandon(text, actor);
}

fn main() {}
