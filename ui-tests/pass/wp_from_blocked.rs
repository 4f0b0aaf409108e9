// Legal moves out of blocked: unblock, block (again), cancel.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let blocked = |wp_id: &str| plan(&mission, wp_id).block(name("waiting"), &rob).unwrap();
    assert_eq!(blocked("WP01").unblock(&rob).unwrap().lane(), Lane::InProgress);
    assert_eq!(blocked("WP02").block(name("still waiting"), &rob).unwrap().lane(), Lane::Blocked);
    assert_eq!(blocked("WP03").cancel(name("dropped"), &rob).unwrap().lane(), Lane::Canceled);
    assert_eq!(lanes(&log, "WP01"), ["planned", "blocked", "in_progress"]);
    assert_eq!(lanes(&log, "WP02"), ["planned", "blocked", "blocked"]);
    assert_eq!(lanes(&log, "WP03"), ["planned", "blocked", "canceled"]);
}
