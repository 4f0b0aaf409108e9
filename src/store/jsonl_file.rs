//! [`JsonlFileStore`]: an [`EventStore`] in one append-only JSON Lines file.
//!
//! The file is the log itself — one event per line, as
//! [`Event::to_json`] writes it — so the store's file is what the command
//! line, `git` and a text editor read.
//!
//! # Durability and concurrency
//!
//! [`save_event`](EventStore::save_event) takes an exclusive advisory lock on
//! the file ([`File::lock`]), appends the line, and `fsync`s before it
//! returns: an event whose save returned survives a crash of the process or
//! the machine. Writers in several processes serialize on the lock, and each
//! reads what the others appended before deciding whether its event is new,
//! so re-saving a known `event_id` writes nothing, whichever process wrote it
//! first. Readers take a shared lock.
//!
//! Through [`VerbatimEventStore`] the line written is the event's text as
//! given, and a save of a known id reads the stored line back (under the
//! lock) to tell a repeat from a conflict; the stored line is never
//! replaced.
//!
//! # Damage
//!
//! A writer killed mid-append leaves a last line with no newline that does
//! not decode: a *torn tail*. Reads ignore it and record a
//! [warning](JsonlFileStore::warning); the next append cuts it off before
//! writing. The event it held was never acknowledged, so nothing is lost.
//!
//! Any other line that does not decode is corruption that the store cannot
//! repair by itself: reads fail with an error naming the file and the line,
//! and from then on the store refuses to write, so it never buries damage
//! under new events.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::contract::{DataTier, Event, Ulid};
use crate::error::{Error, Result, ValidationError};
use crate::log::{LineError, parse_line, read_log};
use crate::reduce::{is_allowed_at, total_order_key};
use crate::store::EventStore;
use crate::store::verbatim::{
    MissionKey, SaveOutcome, VerbatimEvent, VerbatimEventStore, in_canonical_order,
};

/// An [`EventStore`] kept in one JSON Lines file.
///
/// Loading orders events by `(lamport_clock, node_id)`, ties in file order,
/// each `event_id` once (its first line). A re-save of a stored `event_id`
/// keeps the first copy and writes nothing.
///
/// ```
/// use spec_kitty_events::store::JsonlFileStore;
/// use spec_kitty_events::contract::Event;
/// use spec_kitty_events::store::EventStore;
/// # let dir = tempfile::tempdir()?;
/// let mut store = JsonlFileStore::open(dir.path().join("events.jsonl"))?;
/// let event = Event::from_json(r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Note","aggregate_id":"M1","timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#)?;
/// store.save_event(&event)?;
/// store.save_event(&event)?; // writes nothing
/// assert_eq!(store.load_all_events()?, vec![event]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonlFileStore {
    path: PathBuf,
    state: Mutex<State>,
}

/// What this handle knows of the file, to read only what others appended.
#[derive(Debug, Default)]
struct State {
    /// Byte length of the prefix of complete lines already checked.
    offset: u64,
    /// Lines in that prefix.
    lines: usize,
    /// The event ids in that prefix, each with where its (first) line's
    /// text sits in the file, to compare a re-save with it.
    known: HashMap<Ulid, Range<u64>>,
    /// Set once a corrupt line is seen: the store then refuses to write.
    corrupt: Option<String>,
    /// The torn tail seen by the last read, if any.
    warning: Option<String>,
}

impl JsonlFileStore {
    /// Opens the store in `path`, creating an empty file if there is none.
    ///
    /// The file is not read until the first load or save.
    ///
    /// # Errors
    /// [`Error::Storage`] when the file cannot be created or opened.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
        Ok(Self {
            path,
            state: Mutex::new(State::default()),
        })
    }

    /// The file the store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The warning of the last read or save: a torn last line that was
    /// ignored (and is cut off by the next save).
    pub fn warning(&self) -> Option<String> {
        self.state().warning.clone()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is plain data updated in one step; a panic elsewhere
        // cannot leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn io(&self, doing: &str, error: std::io::Error) -> Error {
        Error::io(format!("cannot {doing} {}", self.path.display()), error)
    }

    fn corrupt(&self, error: &LineError) -> String {
        format!("{}: {error}", self.path.display())
    }

    /// Reads the whole file under a shared lock.
    fn read_all(&self) -> Result<Scan> {
        let mut file = File::open(&self.path).map_err(|e| self.io("open", e))?;
        file.lock_shared().map_err(|e| self.io("lock", e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| self.io("read", e))?;
        drop(file);
        let scan = scan(&bytes, 0);
        let mut state = self.state();
        state.warning = scan.torn.as_ref().map(|torn| self.torn_warning(torn));
        if let Some(error) = &scan.corrupt {
            let message = self.corrupt(error);
            state.corrupt = Some(message.clone());
            return Err(Error::storage(message));
        }
        Ok(scan)
    }

    fn torn_warning(&self, torn: &LineError) -> String {
        format!(
            "{}: ignoring the torn last line ({torn}); the next save cuts it off",
            self.path.display()
        )
    }

    /// Appends `text`, the line of event `id`, under an exclusive lock and
    /// `fsync`s before returning; writes nothing if `id` is in the file.
    ///
    /// The file is opened with `O_APPEND`, and lines other processes
    /// appended since this handle last looked are read (under the lock)
    /// before deciding whether `id` is new.
    fn append(&self, id: Ulid, text: &str) -> Result<SaveOutcome> {
        if let Some(message) = &self.state().corrupt {
            return Err(Error::storage(format!("refusing to write: {message}")));
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| self.io("open", e))?;
        file.lock().map_err(|e| self.io("lock", e))?;

        let length = file.metadata().map_err(|e| self.io("stat", e))?.len();
        let mut state = self.state();
        if length < state.offset {
            // Someone cut the file below what we had checked: start over.
            *state = State::default();
        }
        file.seek(SeekFrom::Start(state.offset))
            .map_err(|e| self.io("seek in", e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| self.io("read", e))?;
        let scan = scan(&bytes, state.lines);
        if let Some(error) = &scan.corrupt {
            let message = self.corrupt(error);
            state.corrupt = Some(message.clone());
            return Err(Error::storage(format!("refusing to write: {message}")));
        }
        let base = state.offset;
        for (event, range) in scan.events.iter().zip(&scan.texts) {
            state
                .known
                .entry(event.event_id())
                .or_insert(base + range.start as u64..base + range.end as u64);
        }
        state.offset += scan.complete_len as u64;
        state.lines += scan.lines;

        let mut line = String::new();
        if let Some(tail) = &scan.unterminated {
            // A whole event without its newline: finish its line, keep it.
            let at = base + scan.complete_len as u64;
            state
                .known
                .entry(tail.event_id())
                .or_insert(at..at + scan.tail_len as u64);
            line.push('\n');
        } else if scan.tail_len > 0 {
            // A torn tail was never acknowledged; cut it before appending.
            file.set_len(state.offset)
                .map_err(|e| self.io("cut the torn tail of", e))?;
            state.warning = None;
        }
        if let Some(range) = state.known.get(&id).cloned() {
            if !line.is_empty() {
                file.write_all(line.as_bytes())
                    .and_then(|()| file.sync_data())
                    .map_err(|e| self.io("write", e))?;
                state.offset += (scan.tail_len + 1) as u64;
                state.lines += 1;
            }
            drop(state);
            let stored = self.read_range(&mut file, range)?;
            return Ok(match stored == text {
                true => SaveOutcome::AlreadyStored,
                false => SaveOutcome::Conflict {
                    event_id: id,
                    stored: stored.into_boxed_str(),
                },
            });
        }
        let appended_lines = if line.is_empty() { 1 } else { 2 };
        let consumed = if line.is_empty() { 0 } else { scan.tail_len };
        let at = state.offset + consumed as u64 + line.len() as u64;
        line.push_str(text);
        line.push('\n');
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| self.io("write", e))?;
        state.offset += (consumed + line.len()) as u64;
        state.lines += appended_lines;
        state.known.insert(id, at..at + text.len() as u64);
        drop(state);
        file.unlock().map_err(|e| self.io("unlock", e))?;
        Ok(SaveOutcome::Stored)
    }

    /// The text at `range` of the file.
    fn read_range(&self, file: &mut File, range: Range<u64>) -> Result<String> {
        let mut bytes = vec![0; (range.end - range.start) as usize];
        file.seek(SeekFrom::Start(range.start))
            .and_then(|_| file.read_exact(&mut bytes))
            .map_err(|e| self.io("read", e))?;
        // It decoded as an event when it was scanned, so it is UTF-8; were
        // the file changed under us, the bytes are shown as they are.
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Every line of the file that decodes, with its text, each id once
    /// (its first line).
    fn read_verbatim(&self) -> Result<Vec<VerbatimEvent>> {
        let mut file = File::open(&self.path).map_err(|e| self.io("open", e))?;
        file.lock_shared().map_err(|e| self.io("lock", e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| self.io("read", e))?;
        drop(file);
        let scan = scan(&bytes, 0);
        if let Some(error) = &scan.corrupt {
            let message = self.corrupt(error);
            self.state().corrupt = Some(message.clone());
            return Err(Error::storage(message));
        }
        let text_at = |range: &Range<usize>| -> Box<str> {
            String::from_utf8_lossy(&bytes[range.clone()]).into()
        };
        let mut seen = HashSet::new();
        let mut events: Vec<VerbatimEvent> = scan
            .events
            .into_iter()
            .zip(&scan.texts)
            .map(|(event, range)| VerbatimEvent::from_parts(text_at(range), event))
            .collect();
        if let Some(tail) = scan.unterminated {
            let range = scan.complete_len..bytes.len();
            events.push(VerbatimEvent::from_parts(text_at(&range), tail));
        }
        events.retain(|event| seen.insert(event.event().event_id()));
        Ok(events)
    }

    fn sorted(events: Vec<Event>) -> Vec<Event> {
        let mut seen = HashSet::with_capacity(events.len());
        let mut events: Vec<Event> = events
            .into_iter()
            .filter(|event| seen.insert(event.event_id()))
            .collect();
        // Stable: ties keep file order, as documented.
        events.sort_by(|a, b| total_order_key(a).cmp(&total_order_key(b)));
        events
    }
}

impl EventStore for JsonlFileStore {
    /// Appends `event` under an exclusive lock and `fsync`s before returning;
    /// writes nothing if its `event_id` is already in the file.
    ///
    /// # Errors
    /// [`Error::Storage`] when the file cannot be locked, read or written,
    /// or holds a corrupt line (then and on every later save).
    fn save_event(&mut self, event: &Event) -> Result<()> {
        // A different copy of a stored id keeps the first, as documented.
        self.append(event.event_id(), &event.to_json()).map(drop)
    }

    /// The events of `aggregate_id`, in `(lamport_clock, node_id)` order.
    ///
    /// # Errors
    /// [`Error::Storage`] naming the file and line of a corrupt line, or
    /// when the file cannot be read.
    fn load_events(&self, aggregate_id: &str) -> Result<Vec<Event>> {
        let events = self.load_all_events()?;
        Ok(events
            .into_iter()
            .filter(|event| event.aggregate_id() == aggregate_id)
            .collect())
    }

    /// Every event, in `(lamport_clock, node_id)` order; a torn last line
    /// is skipped with a [warning](JsonlFileStore::warning).
    ///
    /// # Errors
    /// [`Error::Storage`] naming the file and line of a corrupt line, or
    /// when the file cannot be read.
    fn load_all_events(&self) -> Result<Vec<Event>> {
        let scan = self.read_all()?;
        let mut events = scan.events;
        events.extend(scan.unterminated);
        Ok(Self::sorted(events))
    }
}

impl VerbatimEventStore for JsonlFileStore {
    /// Appends the event's text as its line, as
    /// [`save_event`](EventStore::save_event) does; a known id writes
    /// nothing, and a different text under it is reported with the stored
    /// line.
    fn save_verbatim(&mut self, event: &VerbatimEvent) -> Result<SaveOutcome> {
        self.append(event.event().event_id(), event.text())
    }

    fn load_mission(&mut self, mission: &MissionKey) -> Result<Vec<VerbatimEvent>> {
        let mut events = self.read_verbatim()?;
        events.retain(|event| mission.holds(event.event()));
        Ok(in_canonical_order(events))
    }

    fn load_for_tier(&mut self, destination: DataTier) -> Result<Vec<VerbatimEvent>> {
        let mut events = self.read_verbatim()?;
        events.retain(|event| is_allowed_at(event.event(), destination));
        Ok(in_canonical_order(events))
    }
}

/// What a stretch of the file holds.
struct Scan {
    /// The events on complete lines, in file order.
    events: Vec<Event>,
    /// Where each event's line text sits in the scanned bytes (newline and
    /// a carriage return before it excluded), in the order of `events`.
    texts: Vec<Range<usize>>,
    /// Bytes of complete (newline-terminated) lines.
    complete_len: usize,
    /// Number of complete lines.
    lines: usize,
    /// Bytes after the last newline.
    tail_len: usize,
    /// The tail, when it is a whole event that only lacks its newline.
    unterminated: Option<Event>,
    /// The tail, when it does not decode: an interrupted append.
    torn: Option<LineError>,
    /// The first complete line that does not decode.
    corrupt: Option<LineError>,
}

/// Reads `bytes`, whose first line is line `lines_before + 1` of the file.
fn scan(bytes: &[u8], lines_before: usize) -> Scan {
    let complete_len = bytes
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(0, |at| at + 1);
    let (complete, tail) = bytes.split_at(complete_len);
    let lines = memchr::memchr_iter(b'\n', complete).count();
    let mut result = Scan {
        events: Vec::new(),
        texts: Vec::new(),
        complete_len,
        lines,
        tail_len: tail.len(),
        unterminated: None,
        torn: None,
        corrupt: None,
    };
    match std::str::from_utf8(complete) {
        Ok(text) => {
            let read = read_log(text);
            result.corrupt = read.errors.first().map(|error| {
                LineError::new(
                    error.line() + lines_before,
                    error.event_id().map(str::to_owned),
                    error.validation_error().clone(),
                )
            });
            let ranges = line_ranges(complete);
            result.texts = read
                .events
                .iter()
                .map(|logged| ranges[logged.line - 1].clone())
                .collect();
            result.events = read.into_events();
        }
        Err(error) => {
            let before = &complete[..error.valid_up_to()];
            let line = memchr::memchr_iter(b'\n', before).count() + 1 + lines_before;
            result.corrupt = Some(LineError::new(
                line,
                None,
                ValidationError::new("", "is not UTF-8"),
            ));
        }
    }
    let tail_line = lines_before + lines + 1;
    if !tail.iter().all(u8::is_ascii_whitespace) {
        match std::str::from_utf8(tail) {
            Ok(text) => match parse_line(tail_line, text) {
                Ok(event) => result.unterminated = Some(event),
                Err(error) => result.torn = Some(error),
            },
            Err(_) => {
                result.torn = Some(LineError::new(
                    tail_line,
                    None,
                    ValidationError::new("", "is not UTF-8"),
                ));
            }
        }
    }
    result
}

/// The byte range of each line of `complete` (which ends with a newline),
/// without its newline or a carriage return before it: what `str::lines`
/// yields.
fn line_ranges(complete: &[u8]) -> Vec<Range<usize>> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', complete)
        .map(|newline| {
            let end = if newline > start && complete[newline - 1] == b'\r' {
                newline - 1
            } else {
                newline
            };
            let range = start..end;
            start = newline + 1;
            range
        })
        .collect()
}
