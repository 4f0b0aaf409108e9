//! One agent working one work package, as a command-line tool would: every
//! move is a fresh "process step" that resumes the mission from the shared
//! JSONL log, takes its work package in the lane the log says, makes one
//! legal move and appends it.
//!
//! ```text
//! wp_worker <events.jsonl> <clocks.json> <mission-id> <wp-id> <moves> <seed>
//! ```
//!
//! The moves cycle: planned → claimed → in_progress → for_review →
//! in_review → approved, where the review always ends by requesting changes
//! (back to in_progress) from for_review, in_review or approved, so the
//! work package never ends; now and then it is blocked and unblocked. The
//! events are schema 3.0.0, the emitter's default. Between moves the worker sleeps
//! 0–3 ms, picked by a small generator seeded with `seed`, so that several
//! workers interleave their appends. The node id is `worker-<wp-id>`, with
//! its clock in the shared clock file.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use spec_kitty_events::contract::{
    Actor, DoneEvidence, MissionId, RepoEvidence, ReviewVerdict, WpId,
};
use spec_kitty_events::emit::{Emitter, WorkPackageAt};
use spec_kitty_events::store::{FileClockStorage, JsonlFileStore, LamportClock};

type AnyError = Box<dyn std::error::Error + Send + Sync>;

struct Args {
    events: PathBuf,
    clocks: PathBuf,
    mission_id: MissionId,
    wp_id: WpId,
    moves: u32,
    seed: u64,
}

fn parse_args() -> Result<Args, AnyError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [events, clocks, mission_id, wp_id, moves, seed] = args.as_slice() else {
        return Err(
            "usage: wp_worker <events.jsonl> <clocks.json> <mission-id> <wp-id> <moves> <seed>"
                .into(),
        );
    };
    Ok(Args {
        events: events.into(),
        clocks: clocks.into(),
        mission_id: mission_id.parse()?,
        wp_id: wp_id.parse()?,
        moves: moves.parse()?,
        seed: seed.parse()?,
    })
}

/// xorshift64: enough randomness for pauses, no dependency.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// What an approval carries: the work package's branch and the review.
fn evidence(args: &Args, round: u32) -> Result<DoneEvidence, AnyError> {
    let repo = RepoEvidence {
        repo: "spec-kitty".parse()?,
        branch: format!("{}-work", args.wp_id).parse()?,
        commit: format!("{round:07x}").parse()?,
        files_touched: None,
    };
    let review = ReviewVerdict {
        reviewer: "lead".parse()?,
        verdict: "approved".parse()?,
        reference: None,
    };
    Ok(DoneEvidence::new(vec![repo], Vec::new(), review)?)
}

/// Resumes the work package from the log and makes one move.
fn one_move(args: &Args, actor: &Actor, round: u32, dice: u64) -> Result<(), AnyError> {
    let node = format!("worker-{}", args.wp_id);
    let clock = LamportClock::new(node, FileClockStorage::new(&args.clocks))?;
    let store = JsonlFileStore::open(&args.events)?;
    let mission = Emitter::resume(clock, store, &args.mission_id)?;
    let review = format!("review-{}-{round}", args.wp_id).parse()?;
    match mission.work_package(&args.wp_id)? {
        WorkPackageAt::Planned(wp) => drop(wp.claim(actor)?),
        WorkPackageAt::Claimed(wp) => drop(wp.start(actor)?),
        WorkPackageAt::InProgress(wp) if dice.is_multiple_of(5) => {
            drop(wp.block("waiting on a dependency".parse()?, actor)?);
        }
        WorkPackageAt::InProgress(wp) => drop(wp.submit(actor)?),
        WorkPackageAt::ForReview(wp) if dice.is_multiple_of(4) => {
            drop(wp.request_changes(review, actor)?);
        }
        WorkPackageAt::ForReview(wp) => drop(wp.begin_review(actor)?),
        WorkPackageAt::InReview(wp) if dice.is_multiple_of(2) => {
            drop(wp.accept(evidence(args, round)?, actor)?);
        }
        WorkPackageAt::InReview(wp) => drop(wp.request_changes(review, actor)?),
        WorkPackageAt::Approved(wp) => drop(wp.request_changes(review, actor)?),
        WorkPackageAt::Blocked(wp) => drop(wp.unblock(actor)?),
        other @ (WorkPackageAt::Genesis(_)
        | WorkPackageAt::Done(_)
        | WorkPackageAt::Canceled(_)) => {
            return Err(format!(
                "{} is in lane {}, never entered here",
                args.wp_id,
                other.lane()
            )
            .into());
        }
    }
    Ok(())
}

fn run() -> Result<(), AnyError> {
    let args = parse_args()?;
    let actor: Actor = format!("agent-{}", args.wp_id).parse()?;
    let mut state = args.seed | 1;
    for round in 0..args.moves {
        let dice = next(&mut state);
        one_move(&args, &actor, round, dice)?;
        std::thread::sleep(Duration::from_millis(next(&mut state) % 4));
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wp_worker: {error}");
            ExitCode::FAILURE
        }
    }
}
