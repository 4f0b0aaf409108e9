//! The envelope as a line holds it, and the rules that make it an
//! [`Event`]: the one place an event is read.

use serde::{Deserialize, Deserializer};
use uuid::Uuid;

use crate::contract::decode::decode_located;
use crate::contract::envelope::{Clock, DataTier, EventType, SchemaVersion};
use crate::contract::event::{DecodedPayload, Event};
use crate::contract::event_id::{EventId, ids_of_version};
use crate::contract::ids::{NonEmptyString, Ulid};
use crate::contract::payload::Payload;
use crate::contract::plain_json;
use crate::contract::scan::{Envelope, is_plain_json, scan_envelope};
use crate::contract::timestamp::Timestamp;
use crate::contract::version::ContractVersion;
use crate::error::ValidationError;

/// The envelope as it is read: [`Event`] minus what is derived from it.
#[derive(Deserialize)]
pub(super) struct WireEvent {
    event_id: EventId,
    event_type: EventType,
    aggregate_id: NonEmptyString,
    #[serde(default)]
    payload: Payload,
    timestamp: Timestamp,
    #[serde(default)]
    build_id: Option<NonEmptyString>,
    node_id: NonEmptyString,
    #[serde(default)]
    lamport_clock: Option<u64>,
    #[serde(default)]
    causation_id: Option<EventId>,
    project_uuid: Uuid,
    #[serde(default)]
    project_slug: Option<Box<str>>,
    correlation_id: Ulid,
    #[serde(default)]
    schema_version: SchemaVersion,
    #[serde(default)]
    data_tier: DataTier,
}

impl WireEvent {
    /// The envelope the walk read, made as serde makes it from the same
    /// text: the same constructors, the same defaults; `None` where one of
    /// them refuses a value (serde's path then says why).
    pub(super) fn from_envelope(envelope: Envelope<'_>) -> Option<Self> {
        let event_id = |text: Option<&str>| text.map(EventId::parse).transpose().ok();
        let text = |text: Option<&str>| text.map(NonEmptyString::read).transpose().ok();
        Some(Self {
            event_id: event_id(envelope.event_id)??,
            event_type: EventType::new(envelope.event_type?).ok()?,
            aggregate_id: text(envelope.aggregate_id)??,
            payload: match envelope.payload {
                Some(payload) => Payload::from_checked(payload.text, payload.compact),
                None => Payload::default(),
            },
            timestamp: Timestamp::parse(envelope.timestamp?).ok()?,
            build_id: text(envelope.build_id)?,
            node_id: text(envelope.node_id)??,
            lamport_clock: envelope.lamport_clock,
            causation_id: event_id(envelope.causation_id)?,
            project_uuid: envelope.project_uuid?.parse().ok()?,
            project_slug: envelope.project_slug.map(Box::from),
            correlation_id: Ulid::parse(envelope.correlation_id?).ok()?,
            schema_version: match envelope.schema_version {
                Some(version) => SchemaVersion::parse(version).ok()?,
                None => SchemaVersion::default(),
            },
            data_tier: match envelope.data_tier {
                Some(tier) => DataTier::new(u8::try_from(tier).ok()?).ok()?,
                None => DataTier::default(),
            },
        })
    }

    /// The envelope rules of the event's own contract version: schema 3
    /// requires `build_id` and lets `lamport_clock` be absent; schema 1
    /// requires `lamport_clock` and does not require a `build_id` (one that
    /// is there, as in a 2.x envelope, is kept and written back).
    ///
    /// The message starts as serde's own for a missing field, so the one
    /// decoding path names the field.
    pub(super) fn into_event(self) -> Result<Event, Refused> {
        let version = self.schema_version.contract();
        let missing =
            |field: &str| Refused::Rule(format!("missing field `{field}` [rule of {version}]"));
        let build_id = match version {
            ContractVersion::V1 => self.build_id,
            ContractVersion::V3 => Some(self.build_id.ok_or_else(|| missing("build_id"))?),
        };
        if version == ContractVersion::V1 && self.lamport_clock.is_none() {
            return Err(missing("lamport_clock"));
        }
        ids_of_version(version, self.event_id, self.causation_id).map_err(Refused::Rule)?;
        // Checked after the rules above, as `from_json` always has.
        let lamport_clock = Clock::new(self.lamport_clock).map_err(Refused::Clock)?;
        // A payload that does not decode is kept, with the reason: the
        // reducers record it as an anomaly instead of dropping the line.
        let decoded = DecodedPayload::decode(&self.event_type, &self.payload, version);
        Ok(Event {
            event_id: self.event_id,
            event_type: self.event_type,
            aggregate_id: self.aggregate_id,
            payload: self.payload,
            timestamp: self.timestamp,
            build_id,
            node_id: self.node_id,
            lamport_clock,
            causation_id: self.causation_id,
            project_uuid: self.project_uuid,
            project_slug: self.project_slug,
            correlation_id: self.correlation_id,
            schema_version: self.schema_version,
            data_tier: self.data_tier,
            decoded,
        })
    }
}

/// Why an envelope that reads is not an event.
pub(super) enum Refused {
    /// A rule of the envelope's contract version; the message starts as
    /// serde's own for the field, so the one decoding path names it.
    Rule(String),
    /// A Lamport clock past [`MAX_LAMPORT_CLOCK`](crate::contract::MAX_LAMPORT_CLOCK).
    Clock(ValidationError),
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        WireEvent::deserialize(deserializer)?
            .into_event()
            .map_err(|refused| match refused {
                Refused::Rule(message) => serde::de::Error::custom(message),
                Refused::Clock(error) => serde::de::Error::custom(format!(
                    "field `{}`: {}",
                    error.field(),
                    error.message()
                )),
            })
    }
}

impl Event {
    /// Reads one event from its JSON text.
    ///
    /// Unknown fields are ignored; missing optional fields take their
    /// defaults.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the field (`lamport_clock`, `event_id`…)
    /// and what was wrong with it; `""` when the text is not a JSON object.
    pub fn from_json(text: &str) -> Result<Self, ValidationError> {
        // The common shape, walked once; anything else, and every error,
        // through serde.
        if let Some(event) = Self::from_walk(text) {
            return Ok(event);
        }
        Self::from_json_through_serde(text)
    }

    /// The event the walk reads; `None` where it declines.
    pub(super) fn from_walk(text: &str) -> Option<Self> {
        let envelope = scan_envelope(text)?;
        let skimmed = envelope.payload.as_ref().is_some_and(|p| !p.checked);
        plain_json::forget_read();
        let event = WireEvent::from_envelope(envelope)?.into_event().ok()?;
        // A payload the walk only skimmed is checked here, unless its
        // typed decoding has just read all of it as plain JSON.
        let json = event.payload.json();
        (!skimmed || plain_json::was_read_whole(json) || is_plain_json(json)).then_some(event)
    }

    /// [`from_json`](Self::from_json) through serde alone: the path every
    /// line took before the walk, and takes when the walk declines.
    pub(crate) fn from_json_through_serde(text: &str) -> Result<Self, ValidationError> {
        // serde would also read a struct from a JSON array of its values; the
        // wire format is an object.
        if text.trim_start().starts_with('[') {
            return Err(ValidationError::new(
                "",
                "an event is a JSON object, not an array",
            ));
        }
        let wire: WireEvent = decode_located(text)?;
        match wire.into_event() {
            Ok(event) => Ok(event),
            Err(Refused::Clock(error)) => Err(error),
            // The contract version's rules: their error as the one decoding
            // path names it (its field from serde's message).
            Err(Refused::Rule(_)) => decode_located(text),
        }
    }
}
