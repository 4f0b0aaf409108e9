//! Event logs as text: one JSON object per line.
//!
//! [`read_log`] reads a log's text into events, naming every line that does
//! not decode (line, event id, field, reason); [`replay_log`] and
//! [`replay_file`] read and fold a log into the mission's state in one call.

mod read;
mod replay;

pub use read::{LineError, LogRead, LoggedEvent, MAX_READERS, parse_line, read_log};
pub use replay::{Replay, replay_file, replay_log};
