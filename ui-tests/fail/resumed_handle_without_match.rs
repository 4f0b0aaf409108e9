// The enum of a resumed work package has no moves of its own: the state has
// to be matched (or asked for with `into_lane`) first.
use spec_kitty_events::contract::Actor;
use spec_kitty_events::emit::WorkPackageAt;

fn forbidden(wp: WorkPackageAt, actor: &Actor) {
    let _ = wp.claim(actor);
}

fn main() {}
