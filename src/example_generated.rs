//! What [`define_event_types!`](crate::define_event_types) generates, shown
//! on a small declaration. Built for the documentation only.
//!
//! The declaration behind this page (`NoteAdded`, three times the size of
//! `NoteRetracted`, is boxed in the enum):
//!
//! ```ignore
//! spec_kitty_events::define_event_types! {
//!     /// The payloads of a note-taking extension.
//!     pub enum NotePayload;
//!
//!     /// Someone wrote a note on a mission.
//!     #[event_type(NoteAdded, const NOTE_ADDED)]
//!     #[variant(boxed)]
//!     pub struct NoteAddedPayload {
//!         /// The note.
//!         text: NonEmptyString,
//!         /// Labels; absent on the wire means none.
//!         #[serde(default)]
//!         labels: Vec<NonEmptyString>,
//!         /// Who wrote it, when known.
//!         author: Option<NonEmptyString>,
//!     }
//!     check = short_enough;
//!
//!     /// A note was taken back.
//!     #[event_type(NoteRetracted, const NOTE_RETRACTED)]
//!     pub struct NoteRetractedPayload {
//!         /// The event that added the note.
//!         note_event_id: Ulid,
//!     }
//! }
//! ```

use crate::ValidationError;
use crate::contract::{NonEmptyString, Ulid};

crate::define_event_types! {
    /// The payloads of a note-taking extension.
    pub enum NotePayload;

    /// Someone wrote a note on a mission.
    #[event_type(NoteAdded, const NOTE_ADDED)]
    #[variant(boxed)]
    pub struct NoteAddedPayload {
        /// The note.
        text: NonEmptyString,
        /// Labels; absent on the wire means none.
        #[serde(default)]
        labels: Vec<NonEmptyString>,
        /// Who wrote it, when known.
        author: Option<NonEmptyString>,
    }
    check = short_enough;

    /// A note was taken back.
    #[event_type(NoteRetracted, const NOTE_RETRACTED)]
    pub struct NoteRetractedPayload {
        /// The event that added the note.
        note_event_id: Ulid,
    }
}

/// The cross-field rule of `NoteAdded`, named by `check = short_enough;`.
///
/// # Errors
/// A [`ValidationError`] for `text` past 280 bytes.
pub fn short_enough(fields: &NoteAddedPayloadFields) -> Result<(), ValidationError> {
    if fields.text.as_str().len() > 280 {
        return Err(ValidationError::new("text", "a note has at most 280 bytes"));
    }
    Ok(())
}
