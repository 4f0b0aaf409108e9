// Legal moves out of claimed: start, block, cancel.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let started = plan(&mission, "WP01").claim(&rob).unwrap().start(&rob).unwrap();
    assert_eq!(started.lane(), Lane::InProgress);
    let blocked = plan(&mission, "WP02").claim(&rob).unwrap().block(name("waiting"), &rob).unwrap();
    assert_eq!(blocked.lane(), Lane::Blocked);
    let canceled = plan(&mission, "WP03").claim(&rob).unwrap().cancel(name("dropped"), &rob).unwrap();
    assert_eq!(canceled.lane(), Lane::Canceled);
    assert_eq!(lanes(&log, "WP01"), ["planned", "claimed", "in_progress"]);
    assert_eq!(lanes(&log, "WP02"), ["planned", "claimed", "blocked"]);
    assert_eq!(lanes(&log, "WP03"), ["planned", "claimed", "canceled"]);
}
