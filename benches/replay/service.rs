//! The shape a service has: many missions of realistic size interleaved.
//!
//! `missions` missions of 1,000 events each (a mission started, two phases,
//! 50 work packages that each go planned → claimed → in_progress, through
//! review and back (`review_ref` set) seven or eight times, then to done with
//! evidence; the mission completed), every mission's events in causal order,
//! the missions interleaved at random (seeded). A service applies each event
//! as it arrives to one
//! [`ServiceProjector`](spec_kitty_events::reduce::ServiceProjector) for
//! every mission (and, as information, to one
//! [`MissionProjector`](spec_kitty_events::reduce::MissionProjector) per
//! mission).

use std::fmt::Write as _;

/// Work packages per mission (the issue: at most 50).
pub const WPS: usize = 50;
/// Events per mission.
pub const EVENTS_PER_MISSION: usize = 1_000;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        // xorshift64*: seeded, enough for picking.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

struct Writer {
    out: String,
    counter: u128,
}

impl Writer {
    #[allow(clippy::too_many_arguments)]
    fn event(
        &mut self,
        mission: usize,
        event_type: &str,
        payload: &str,
        clock: u64,
        node: &str,
        parent: Option<&str>,
    ) -> String {
        self.counter += 1;
        let id = ulid::Ulid::from_parts(1_770_634_800_000, self.counter).to_string();
        let at = jiff::Timestamp::from_second(1_770_634_800 + clock as i64).expect("in range");
        let parent = parent.map_or("null".to_owned(), |p| format!("\"{p}\""));
        let _ = writeln!(
            self.out,
            r#"{{"event_id":"{id}","event_type":"{event_type}","aggregate_id":"M{mission}","payload":{payload},"timestamp":"{at}","node_id":"{node}","lamport_clock":{clock},"causation_id":{parent},"project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":null,"correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"1.0.0","data_tier":0}}"#
        );
        id
    }
}

fn transition(mission: usize, wp: usize, from: Option<&str>, to: &str) -> String {
    let from = from.map_or("null".to_owned(), |f| format!("\"{f}\""));
    let review_ref = if from == "\"for_review\"" && to == "in_progress" {
        "\"review/changes-requested\""
    } else {
        "null"
    };
    let evidence = if to == "done" {
        format!(
            r#"{{"repos":[{{"repo":"spec-kitty","branch":"M{mission}-WP{wp:02}","commit":"4f2c9e1","files_touched":["src/lib.rs"]}}],"verification":[{{"command":"cargo test","result":"pass","summary":"all green"}}],"review":{{"reviewer":"ana","verdict":"approved","reference":null}}}}"#
        )
    } else {
        "null".to_owned()
    };
    format!(
        r#"{{"feature_slug":"M{mission}","wp_id":"WP{wp:02}","from_lane":{from},"to_lane":"{to}","actor":"agent","force":false,"reason":null,"execution_mode":"worktree","review_ref":{review_ref},"evidence":{evidence}}}"#
    )
}

/// The lanes work package `wp` passes through: 5 moves plus two per review
/// round; the rounds are spread so the mission has 1,000 events.
fn moves(wp: usize) -> Vec<(Option<&'static str>, &'static str)> {
    let rounds_total = (EVENTS_PER_MISSION - 4 - 5 * WPS) / 2;
    let rounds = rounds_total / WPS + usize::from(wp < rounds_total % WPS);
    let mut moves = vec![
        (None, "planned"),
        (Some("planned"), "claimed"),
        (Some("claimed"), "in_progress"),
    ];
    for _ in 0..rounds {
        moves.push((Some("in_progress"), "for_review"));
        moves.push((Some("for_review"), "in_progress"));
    }
    moves.push((Some("in_progress"), "for_review"));
    moves.push((Some("for_review"), "done"));
    moves
}

/// One mission's events, in causal order, as log lines.
fn mission(writer: &mut Writer, mission: usize, seed: u64) -> Vec<String> {
    let start = writer.out.len();
    let mut clock = 1;
    let started = writer.event(
        mission,
        "MissionStarted",
        &format!(r#"{{"mission_id":"M{mission}","mission_type":"software-dev","initial_phase":"specify","actor":"rob"}}"#),
        clock,
        "cli",
        None,
    );
    let mut previous = started;
    for (phase, before) in [("plan", "specify"), ("implement", "plan")] {
        clock += 1;
        previous = writer.event(
            mission,
            "PhaseEntered",
            &format!(r#"{{"mission_id":"M{mission}","phase_name":"{phase}","previous_phase":"{before}","actor":"rob"}}"#),
            clock,
            "cli",
            Some(&previous),
        );
    }
    let plans: Vec<_> = (0..WPS).map(moves).collect();
    let mut next = vec![0usize; WPS];
    let mut parent = vec![previous.clone(); WPS];
    let mut unfinished: Vec<usize> = (0..WPS).collect();
    let mut rng = Rng(seed | 1);
    while !unfinished.is_empty() {
        let slot = rng.below(unfinished.len());
        let wp = unfinished[slot];
        clock += 1;
        let (from, to) = plans[wp][next[wp]];
        let node = format!("agent-{}", wp % 8);
        parent[wp] = writer.event(
            mission,
            "WPStatusChanged",
            &transition(mission, wp + 1, from, to),
            clock,
            &node,
            Some(&parent[wp]),
        );
        next[wp] += 1;
        if next[wp] == plans[wp].len() {
            unfinished.swap_remove(slot);
        }
    }
    writer.event(
        mission,
        "MissionCompleted",
        &format!(r#"{{"mission_id":"M{mission}","mission_type":"software-dev","final_phase":"implement","actor":"rob"}}"#),
        clock + 1,
        "cli",
        Some(&previous),
    );
    let lines = writer.out[start..].lines().map(str::to_owned).collect();
    writer.out.truncate(start);
    lines
}

/// `missions` missions of [`EVENTS_PER_MISSION`] events, interleaved at
/// random: each mission's events keep their causal order.
pub fn service_log(missions: usize, seed: u64) -> String {
    let mut writer = Writer {
        out: String::new(),
        counter: 0,
    };
    let mut queues: Vec<std::vec::IntoIter<String>> = (0..missions)
        .map(|m| mission(&mut writer, m + 1, seed.wrapping_add(m as u64)).into_iter())
        .collect();
    let mut rng = Rng(seed | 1);
    let mut out = String::with_capacity(missions * EVENTS_PER_MISSION * 520);
    let mut live: Vec<usize> = (0..missions).collect();
    while !live.is_empty() {
        let slot = rng.below(live.len());
        match queues[live[slot]].next() {
            Some(line) => {
                out.push_str(&line);
                out.push('\n');
            }
            None => {
                live.swap_remove(slot);
            }
        }
    }
    out
}
