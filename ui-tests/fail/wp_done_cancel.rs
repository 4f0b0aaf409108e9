// `cancel` is the move any non-terminal lane -> canceled; a work package in done has no such method.
use spec_kitty_events::emit::{Done, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Done>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.cancel(text, actor);
}

fn main() {}
