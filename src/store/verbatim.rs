//! Events kept as the exact text they arrived as, and the store trait every
//! store implements for them: [`VerbatimEventStore`].
//!
//! [`EventStore`](crate::store::EventStore) saves an [`Event`], which a store
//! writes back as [`Event::to_json`]: unknown fields are dropped and numbers
//! respelled. A service that collects events from many writers must keep what
//! each writer sent, byte for byte, and must notice when two writers send one
//! `event_id` with different content. That is this trait.

use std::fmt;

use uuid::Uuid;

use crate::contract::{DataTier, Event, Ulid};
use crate::error::{Result, ValidationError};
use crate::reduce::status_event_sort_key;

/// An event and the exact text it was read from.
///
/// The text is one line (no newline inside), so that every store — a JSON
/// Lines file too — can keep it unchanged.
///
/// ```
/// use spec_kitty_events::store::VerbatimEvent;
/// let text = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Note","aggregate_id":"M1","payload":{"cost":1.50},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R","extra":true}"#;
/// let event = VerbatimEvent::parse(text)?;
/// assert_eq!(event.text(), text); // `1.50` and the unknown field are kept
/// assert_ne!(event.event().to_json(), text);
/// assert_eq!(event.event().lamport_clock(), 1);
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct VerbatimEvent {
    text: Box<str>,
    event: Event,
}

impl VerbatimEvent {
    /// Reads an event from its text, keeping the text.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the field that broke a rule of the
    /// contract; `""` when the text holds a line break.
    pub fn parse(text: impl Into<String>) -> std::result::Result<Self, ValidationError> {
        let text: String = text.into();
        if memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_some() {
            return Err(ValidationError::new(
                "",
                "an event's text is one line: it holds a line break",
            ));
        }
        let event = Event::from_json(&text)?;
        Ok(Self {
            text: text.into_boxed_str(),
            event,
        })
    }

    /// An event with the text [`Event::to_json`] writes.
    pub fn from_event(event: Event) -> Self {
        Self {
            text: event.to_json().into_boxed_str(),
            event,
        }
    }

    /// Pairs an event with the text it was just decoded from; the caller
    /// vouches for it (a store reading back what it wrote).
    pub(crate) fn from_parts(text: Box<str>, event: Event) -> Self {
        Self { text, event }
    }

    /// The exact text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The decoded event.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The decoded event, the text dropped.
    pub fn into_event(self) -> Event {
        self.event
    }

    /// The mission the event belongs to.
    pub fn mission(&self) -> MissionKey {
        MissionKey::of(&self.event)
    }
}

impl fmt::Debug for VerbatimEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Which mission an event belongs to: its project and its aggregate (the
/// mission's id, which every event of a mission carries as `aggregate_id`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MissionKey {
    /// The project.
    pub project_uuid: Uuid,
    /// The aggregate: the mission.
    pub aggregate_id: String,
}

impl MissionKey {
    /// The mission of `event`.
    pub fn of(event: &Event) -> Self {
        Self {
            project_uuid: event.project_uuid(),
            aggregate_id: event.aggregate_id().to_owned(),
        }
    }

    /// Whether `event` belongs to this mission.
    pub fn holds(&self, event: &Event) -> bool {
        event.project_uuid() == self.project_uuid && event.aggregate_id() == self.aggregate_id
    }
}

/// What [`VerbatimEventStore::save_verbatim`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a conflicting save stores nothing and must be reported"]
pub enum SaveOutcome {
    /// The event was new and is now stored.
    Stored,
    /// The same text under the same `event_id` was already stored; nothing
    /// was written.
    AlreadyStored,
    /// Another text under the same `event_id` is stored; it was kept,
    /// nothing was written.
    Conflict {
        /// The event id both texts carry.
        event_id: Ulid,
        /// The text that stays stored.
        stored: Box<str>,
    },
}

/// A store of [`VerbatimEvent`]s: each event kept once, by `event_id`, as the
/// exact text it arrived as.
///
/// Two texts are the same event when they are the same bytes: a store never
/// replaces a stored text, and reports a different one under a known id as a
/// [`SaveOutcome::Conflict`].
pub trait VerbatimEventStore {
    /// Saves `event` unless its `event_id` is stored.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot read
    /// or write.
    fn save_verbatim(&mut self, event: &VerbatimEvent) -> Result<SaveOutcome>;

    /// The events of one mission, in [canonical order](crate::reduce::canonical_order).
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot read.
    fn load_mission(&mut self, mission: &MissionKey) -> Result<Vec<VerbatimEvent>>;

    /// Every event a destination of tier `destination` may see (see
    /// [`is_allowed_at`](crate::reduce::is_allowed_at)), in canonical order.
    ///
    /// # Errors
    /// [`Error::Storage`](crate::Error::Storage) when the store cannot read.
    fn load_for_tier(&mut self, destination: DataTier) -> Result<Vec<VerbatimEvent>>;
}

/// What a store that holds each id once returns for a save of `event`, given
/// the text stored under its id, if any.
pub(crate) fn outcome(stored: Option<&str>, event: &VerbatimEvent) -> SaveOutcome {
    match stored {
        None => SaveOutcome::Stored,
        Some(text) if text == event.text() => SaveOutcome::AlreadyStored,
        Some(text) => SaveOutcome::Conflict {
            event_id: event.event().event_id(),
            stored: text.into(),
        },
    }
}

/// `events`, each id once, in canonical order: with distinct ids that is
/// the sort by the one sort key.
pub(crate) fn in_canonical_order(mut events: Vec<VerbatimEvent>) -> Vec<VerbatimEvent> {
    events.sort_by_key(|event| status_event_sort_key(event.event()));
    events
}
