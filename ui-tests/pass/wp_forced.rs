// Forced moves: from any lane, terminal ones included, with the guards'
// arguments where the target or the pair demands them.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

use spec_kitty_events::emit::{Blocked, Canceled, Claimed, Done, InProgress, Planned};

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let done = plan(&mission, "WP01").force_to::<Done>(force(), evidence()).unwrap();
    let reopened = done.force_to::<InProgress>(force(), ()).unwrap();
    let in_review = reopened.submit(&rob).unwrap();
    let back = in_review.force_to::<InProgress>(force(), name("review-9")).unwrap();
    let planned = back.force_to::<Planned>(force(), ()).unwrap();
    let canceled = planned.cancel(name("dropped"), &rob).unwrap();
    let claimed = canceled.force_to::<Claimed>(force(), ()).unwrap();
    let blocked = claimed.force_to::<Blocked>(force(), ()).unwrap();
    let canceled = blocked.force_to::<Canceled>(force(), ()).unwrap();
    assert_eq!(canceled.lane(), Lane::Canceled);
    assert_eq!(
        lanes(&log, "WP01"),
        ["planned", "done", "in_progress", "for_review", "in_progress", "planned", "canceled", "claimed", "blocked", "canceled"]
    );
    let forced: Vec<bool> = log
        .events()
        .iter()
        .filter(|event| event.aggregate_id() == "WP01")
        .map(|event| event.payload().to_map()["force"].as_bool().unwrap())
        .collect();
    assert_eq!(forced, [false, true, true, false, true, true, false, true, true, true]);
}
