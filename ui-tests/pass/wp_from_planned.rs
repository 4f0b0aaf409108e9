// Legal moves out of planned: claim, block, cancel (and plan, into it).
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let claimed = plan(&mission, "WP01").claim(&rob).unwrap();
    assert_eq!(claimed.lane(), Lane::Claimed);
    let blocked = plan(&mission, "WP02").block(name("waiting on API"), &rob).unwrap();
    assert_eq!(blocked.lane(), Lane::Blocked);
    let canceled = plan(&mission, "WP03").cancel(name("out of scope"), &rob).unwrap();
    assert_eq!(canceled.lane(), Lane::Canceled);
    assert_eq!(lanes(&log, "WP01"), ["planned", "claimed"]);
    assert_eq!(lanes(&log, "WP02"), ["planned", "blocked"]);
    assert_eq!(lanes(&log, "WP03"), ["planned", "canceled"]);
}
