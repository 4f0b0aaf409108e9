// A resumed work package is matched on its lane, and each arm has only the
// moves of that lane: a planned one cannot be submitted.
use spec_kitty_events::contract::Actor;
use spec_kitty_events::emit::WorkPackageAt;

fn forbidden(wp: WorkPackageAt, actor: &Actor) {
    if let WorkPackageAt::Planned(wp) = wp {
        let _ = wp.submit(actor);
    }
}

fn main() {}
