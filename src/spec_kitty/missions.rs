//! Many missions' `status.json` at once, shared among the machine's cores:
//! a dashboard over every mission of a project reads each log once and
//! materializes it as `status --json` does.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::spec_kitty::current::MissionMeta;
use crate::spec_kitty::log::read_status_log;
use crate::spec_kitty::{Era, materialize};

/// One mission to materialize: its `status.events.jsonl` and its
/// `meta.json`, as read.
#[derive(Debug, Clone, Copy)]
pub struct MissionLog<'a> {
    /// The log's text.
    pub log: &'a str,
    /// The mission's metadata ([`MissionMeta::default`] without a
    /// `meta.json`).
    pub meta: &'a MissionMeta,
}

impl MissionLog<'_> {
    /// The `status.json` bytes of the mission, its era read from its log.
    pub fn materialize(&self) -> String {
        let read = read_status_log(self.log);
        materialize(&read, self.meta, Era::of(&read), None)
    }
}

/// Every mission's `status.json` bytes ([`MissionLog::materialize`]), in
/// the order given, the missions shared among the machine's cores.
pub fn materialize_missions(missions: &[MissionLog<'_>]) -> Vec<String> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    materialize_on(missions, cores)
}

/// [`materialize_missions`] on `threads` threads (one: on this one). Each
/// thread takes the next mission not yet taken, so one large mission does
/// not hold up the rest.
pub fn materialize_on(missions: &[MissionLog<'_>], threads: usize) -> Vec<String> {
    let threads = threads.min(missions.len());
    if threads <= 1 {
        return missions.iter().map(MissionLog::materialize).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(mission) = missions.get(at) else {
                return done;
            };
            done.push((at, mission.materialize()));
        }
    };
    let mut documents = vec![String::new(); missions.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        for worker in workers {
            // Materializing never panics; if it did, the panic goes on.
            let done = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (at, document) in done {
                documents[at] = document;
            }
        }
    });
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(mission: usize, rows: usize) -> String {
        (0..rows)
            .map(|row| {
                format!(
                    r#"{{"actor":"a","at":"2026-01-01T00:00:{row:02}Z","event_id":"E{row}","from_lane":"genesis","mission_slug":"{mission:03}-m","to_lane":"planned","wp_id":"WP{row}"}}"#
                ) + "\n"
            })
            .collect()
    }

    #[test]
    fn every_thread_count_gives_each_mission_its_own_document_in_order() {
        let logs: Vec<String> = (0..7).map(|m| log(m, m % 3 + 1)).collect();
        let meta = MissionMeta::default();
        let missions: Vec<MissionLog<'_>> = logs
            .iter()
            .map(|log| MissionLog { log, meta: &meta })
            .collect();
        let alone: Vec<String> = missions.iter().map(MissionLog::materialize).collect();
        assert!(
            alone[4].contains("\"mission_slug\": \"004-m\""),
            "{}",
            alone[4]
        );
        assert!(alone[4].contains("\"event_count\": 2,"), "{}", alone[4]);
        for threads in [0, 1, 2, 3, 16] {
            assert_eq!(
                materialize_on(&missions, threads),
                alone,
                "{threads} threads"
            );
        }
        assert_eq!(materialize_missions(&missions), alone);
        assert!(materialize_missions(&[]).is_empty());
    }
}
