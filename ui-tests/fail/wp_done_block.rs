// `block` is the move any non-terminal lane -> blocked; a work package in done has no such method.
use spec_kitty_events::emit::{Done, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Done>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.block(text, actor);
}

fn main() {}
