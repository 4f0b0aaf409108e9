// `cancel` is the move any non-terminal lane -> canceled; a work package in canceled has no such method.
use spec_kitty_events::emit::{Canceled, WorkPackage};
use spec_kitty_events::contract::{Actor, NonEmptyString};

fn forbidden(wp: WorkPackage<Canceled>, actor: &Actor, text: NonEmptyString) {
    let _ = wp.cancel(text, actor);
}

fn main() {}
