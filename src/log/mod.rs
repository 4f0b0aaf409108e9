//! Event logs as text: one JSON object per line.
//!
//! [`read_log`] reads a log's text into events, naming every line that does
//! not decode (line, event id, field, reason); [`replay_log`] and
//! [`replay_file`] read and fold a log into the mission's state in one call.
//! [`read_log_bytes`] and [`replay_bytes`] take bytes that need not be
//! UTF-8; [`replay_reader`] is [`replay_bytes`] over a stream, read and
//! parsed in blocks. Every reader refuses a line longer than [`MAX_LINE_BYTES`]; the
//! command line reads at most [`MAX_LOG_BYTES`] of a log ([`read_limited`]).
//! [`merge_logs`] is the union of versions of a log by event id, each line
//! kept byte for byte: the `merge` git driver.

mod blocks;
mod free;
mod limits;
mod read;
mod replay;
mod stream;
mod union;

pub use limits::{MAX_LINE_BYTES, MAX_LOG_BYTES, ReadLimitError, read_limited};
pub use read::{
    LineError, LogRead, LoggedEvent, MAX_READERS, parse_line, read_log, read_log_bytes,
};
pub use replay::{Replay, replay_bytes, replay_file, replay_log};
pub use stream::{read_reader, replay_reader};
pub use union::{MergeRefusal, Side, merge_logs};
