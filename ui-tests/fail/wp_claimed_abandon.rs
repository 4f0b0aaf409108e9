// `abandon` is the move in_progress -> planned; a work package in claimed has no such method.
use spec_kitty_events::emit::{Claimed, WorkPackage};
use spec_kitty_events::contract::NonEmptyString;

fn forbidden(wp: WorkPackage<Claimed>, actor: &NonEmptyString, text: NonEmptyString) {
    let _ = wp.abandon(text, actor);
}

fn main() {}
