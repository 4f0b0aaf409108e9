//! A batch's texts decoded before the database is touched: each event
//! validated (the first bad one named by position and field), each id kept
//! once.

use std::collections::HashMap;

use crate::contract::Ulid;
use crate::error::{Error, ValidationError};
use crate::store::verbatim::VerbatimEvent;

/// What an ingest stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IngestReport {
    /// Events that were new and are now stored.
    pub stored: usize,
    /// Events whose id was already stored with the same text: nothing written.
    pub already_stored: usize,
    /// Missions whose projection changed.
    pub missions_updated: usize,
}

/// Why a batch was rejected. Nothing of a rejected batch is stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The event at `position` (from 0) does not decode.
    #[error("event {position} of the batch is invalid: {error}")]
    Invalid {
        /// Its position in the batch, from 0.
        position: usize,
        /// The field and the rule it broke.
        error: ValidationError,
    },
    /// The event at `position` has an id stored (or earlier in the batch)
    /// with a different text.
    #[error("event {position} of the batch ({event_id}) is stored with other content")]
    Conflict {
        /// Its position in the batch, from 0.
        position: usize,
        /// The id.
        event_id: Ulid,
        /// The text stored under that id (or the batch's earlier text).
        stored: Box<str>,
    },
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] Error),
}

/// The batch, decoded: each id once, with its position in the batch.
pub(super) struct Decoded {
    pub(super) events: Vec<(usize, VerbatimEvent)>,
    pub(super) duplicates: usize,
}

/// Decodes every text, or names the first that does not decode.
///
/// A large batch is decoded by several threads, a slice each (the server is
/// idle meanwhile: nothing is sent before the batch is known good); the
/// first bad event is the same as one thread would find.
pub(super) fn decode<S: AsRef<str> + Sync>(batch: &[S]) -> Result<Decoded, IngestError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_DECODERS);
    if threads < 2 || batch.len() < PARALLEL_FROM_EVENTS {
        return dedup(decode_slice(batch, 0)?);
    }
    let per_thread = batch.len().div_ceil(threads);
    let parts: Vec<Result<Vec<(usize, VerbatimEvent)>, IngestError>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(per_thread)
                .enumerate()
                .map(|(i, slice)| scope.spawn(move || decode_slice(slice, i * per_thread)))
                .collect();
            handles
                .into_iter()
                .enumerate()
                .map(|(i, handle)| {
                    // Decoding has nothing that panics; were it to, the
                    // slice is decoded again here.
                    handle.join().unwrap_or_else(|_| {
                        let start = i * per_thread;
                        let end = (start + per_thread).min(batch.len());
                        decode_slice(&batch[start..end], start)
                    })
                })
                .collect()
        });
    let mut events = Vec::with_capacity(batch.len());
    for part in parts {
        events.extend(part?);
    }
    dedup(events)
}

/// The most threads [`decode`] uses.
const MAX_DECODERS: usize = 4;

/// Below this many events a batch is decoded on the calling thread.
const PARALLEL_FROM_EVENTS: usize = 512;

/// Decodes `slice`, whose first text is at `first` in the batch.
fn decode_slice<S: AsRef<str>>(
    slice: &[S],
    first: usize,
) -> Result<Vec<(usize, VerbatimEvent)>, IngestError> {
    slice
        .iter()
        .enumerate()
        .map(|(offset, text)| {
            let position = first + offset;
            let event = VerbatimEvent::parse(text.as_ref())
                .map_err(|error| IngestError::Invalid { position, error })?;
            if i64::try_from(event.event().lamport_clock()).is_err() {
                return Err(IngestError::Invalid {
                    position,
                    error: ValidationError::new("lamport_clock", "is above 2^63 - 1"),
                });
            }
            Ok((position, event))
        })
        .collect()
}

/// Keeps each id once; a second, different text of an id is a conflict.
pub(super) fn dedup(events: Vec<(usize, VerbatimEvent)>) -> Result<Decoded, IngestError> {
    let mut first: HashMap<Ulid, usize> = HashMap::with_capacity(events.len());
    let mut kept: Vec<(usize, VerbatimEvent)> = Vec::with_capacity(events.len());
    let mut duplicates = 0;
    for (position, event) in events {
        let id = event.event().event_id();
        if let Some(&at) = first.get(&id) {
            let earlier = &kept[at].1;
            if earlier.text() != event.text() {
                return Err(IngestError::Conflict {
                    position,
                    event_id: id,
                    stored: earlier.text().into(),
                });
            }
            duplicates += 1;
            continue;
        }
        first.insert(id, kept.len());
        kept.push((position, event));
    }
    Ok(Decoded {
        events: kept,
        duplicates,
    })
}
