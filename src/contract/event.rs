//! The [`Event`] envelope: what one line of an event log holds.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::contract::decode::decode_located;
use crate::contract::envelope::{DataTier, EventType, SchemaVersion};
use crate::contract::event_types::KnownPayload;
use crate::contract::ids::{NonEmptyString, Ulid};
use crate::contract::payload::{EventPayload, Payload};
use crate::contract::timestamp::Timestamp;
use crate::error::ValidationError;

/// One event of the log, with its causal metadata.
///
/// Every field is checked where the event is made, by [`EventBuilder::build`](crate::contract::EventBuilder::build)
/// or by deserialization, so an `Event` that exists is valid: ids are ULIDs,
/// names are non-empty, the tier is in range. The payload is kept as the JSON
/// object it arrived as, and typed once, where the event is made
/// ([`Event::typed_payload`]), because a log
/// may hold event types this crate does not know and the reducers must record,
/// not reject, payloads that do not decode.
///
/// Serialization writes the exact JSON of the Python library: every field, in
/// contract order, `null` for absent options.
///
/// ```
/// use spec_kitty_events::contract::Event;
/// let line = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","payload":{"mission_id":"M1","mission_type":"software-dev","initial_phase":"specify","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"causation_id":null,"project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":null,"correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"1.0.0","data_tier":0}"#;
/// let event = Event::from_json(line)?;
/// assert_eq!(event.lamport_clock(), 1);
/// assert_eq!(event.to_json(), line);
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WireEvent")]
pub struct Event {
    pub(super) event_id: Ulid,
    pub(super) event_type: EventType,
    pub(super) aggregate_id: NonEmptyString,
    pub(super) payload: Payload,
    pub(super) timestamp: Timestamp,
    pub(super) node_id: NonEmptyString,
    pub(super) lamport_clock: u64,
    pub(super) causation_id: Option<Ulid>,
    pub(super) project_uuid: Uuid,
    pub(super) project_slug: Option<Box<str>>,
    pub(super) correlation_id: Ulid,
    pub(super) schema_version: SchemaVersion,
    pub(super) data_tier: DataTier,
    /// The payload typed by `event_type`, decoded once where the event is
    /// made: every reader of the event (each reducer, the projector, every
    /// re-fold) uses it instead of parsing the payload text again.
    #[serde(skip)]
    pub(super) decoded: DecodedPayload,
}

/// The envelope as it is read: [`Event`] minus what is derived from it.
#[derive(Deserialize)]
struct WireEvent {
    event_id: Ulid,
    event_type: EventType,
    aggregate_id: NonEmptyString,
    #[serde(default)]
    payload: Payload,
    timestamp: Timestamp,
    node_id: NonEmptyString,
    lamport_clock: u64,
    #[serde(default)]
    causation_id: Option<Ulid>,
    project_uuid: Uuid,
    #[serde(default)]
    project_slug: Option<Box<str>>,
    correlation_id: Ulid,
    #[serde(default)]
    schema_version: SchemaVersion,
    #[serde(default)]
    data_tier: DataTier,
}

impl From<WireEvent> for Event {
    fn from(wire: WireEvent) -> Self {
        // A payload that does not decode is kept, with the reason: the
        // reducers record it as an anomaly instead of dropping the line.
        let decoded = DecodedPayload::decode(&wire.event_type, &wire.payload);
        Self {
            event_id: wire.event_id,
            event_type: wire.event_type,
            aggregate_id: wire.aggregate_id,
            payload: wire.payload,
            timestamp: wire.timestamp,
            node_id: wire.node_id,
            lamport_clock: wire.lamport_clock,
            causation_id: wire.causation_id,
            project_uuid: wire.project_uuid,
            project_slug: wire.project_slug,
            correlation_id: wire.correlation_id,
            schema_version: wire.schema_version,
            data_tier: wire.data_tier,
            decoded,
        }
    }
}

/// What an event's payload decodes to under its event type: `None` for an
/// event type this crate does not know.
///
/// One word in the event; a known payload, or the reason it did not decode,
/// behind it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct DecodedPayload(Option<Box<Result<KnownPayload, ValidationError>>>);

impl DecodedPayload {
    pub(super) fn decode(event_type: &EventType, payload: &Payload) -> Self {
        Self(
            KnownPayload::decode(event_type.as_str(), payload.json())
                .transpose()
                .map(Box::new),
        )
    }

    pub(super) fn as_result(&self) -> Result<Option<&KnownPayload>, &ValidationError> {
        match self.0.as_deref() {
            None => Ok(None),
            Some(Ok(known)) => Ok(Some(known)),
            Some(Err(error)) => Err(error),
        }
    }
}

/// The largest Lamport clock the crate accepts: 2^63 - 1, the largest
/// integer a signed 64-bit column or a JSON reader with 64-bit integers
/// holds, and one that leaves room for `parent + 1`. The contract says
/// `>= 0`; a clock past this is refused where it is read or built, so no
/// clock arithmetic ever saturates.
pub const MAX_LAMPORT_CLOCK: u64 = i64::MAX as u64;

/// Refuses a Lamport clock past [`MAX_LAMPORT_CLOCK`].
pub(super) fn check_lamport_clock(clock: u64) -> Result<u64, ValidationError> {
    if clock > MAX_LAMPORT_CLOCK {
        return Err(ValidationError::new(
            "lamport_clock",
            format!("integer `{clock}` is out of range: at most {MAX_LAMPORT_CLOCK} (2^63 - 1)"),
        ));
    }
    Ok(clock)
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
        // serde would also read a struct from a JSON array of its values; the
        // wire format is an object.
        if text.trim_start().starts_with('[') {
            return Err(ValidationError::new(
                "",
                "an event is a JSON object, not an array",
            ));
        }
        let event: Self = decode_located(text)?;
        check_lamport_clock(event.lamport_clock)?;
        Ok(event)
    }

    /// The event's JSON, exactly as the Python library writes it.
    pub fn to_json(&self) -> String {
        // Serializing plain strings, numbers and a pre-validated raw object
        // cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Unique id of the event (a ULID).
    pub fn event_id(&self) -> Ulid {
        self.event_id
    }

    /// The event type, e.g. `WPStatusChanged`.
    pub fn event_type(&self) -> &str {
        self.event_type.as_str()
    }

    /// The entity the event changes.
    pub fn aggregate_id(&self) -> &str {
        self.aggregate_id.as_str()
    }

    /// The payload as it arrived: a JSON object, not yet typed.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// Wall-clock time of the event.
    pub fn timestamp(&self) -> Timestamp {
        self.timestamp
    }

    /// The node that emitted the event.
    pub fn node_id(&self) -> &str {
        self.node_id.as_str()
    }

    /// Lamport clock value at emission.
    pub fn lamport_clock(&self) -> u64 {
        self.lamport_clock
    }

    /// The event that caused this one, if any.
    pub fn causation_id(&self) -> Option<Ulid> {
        self.causation_id
    }

    /// The project's UUID.
    pub fn project_uuid(&self) -> Uuid {
        self.project_uuid
    }

    /// The project's human-readable slug, if given.
    pub fn project_slug(&self) -> Option<&str> {
        self.project_slug.as_deref()
    }

    /// Groups every event of one mission execution.
    pub fn correlation_id(&self) -> Ulid {
        self.correlation_id
    }

    /// The envelope's schema version.
    pub fn schema_version(&self) -> &SchemaVersion {
        &self.schema_version
    }

    /// How far the event may travel (0 = never leaves the machine).
    pub fn data_tier(&self) -> DataTier {
        self.data_tier
    }

    /// The payload, typed by this event's type.
    ///
    /// The payload was decoded once, when the event was made (read or
    /// built); this only looks at the result. `Ok(None)` for an event type
    /// this crate does not know.
    ///
    /// # Errors
    /// The [`ValidationError`] naming the payload field (`payload.to_lane`)
    /// that broke a rule.
    ///
    /// ```
    /// use spec_kitty_events::contract::Event;
    /// use spec_kitty_events::contract::event_types::KnownPayload;
    /// let line = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"PhaseEntered","aggregate_id":"M1","payload":{"mission_id":"M1","phase_name":"plan","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":2,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#;
    /// let event = Event::from_json(line)?;
    /// let Ok(Some(KnownPayload::PhaseEntered(phase))) = event.typed_payload() else {
    ///     panic!("a PhaseEntered payload");
    /// };
    /// assert_eq!(phase.phase_name().as_str(), "plan");
    ///
    /// // An envelope is valid whatever its payload; the payload's fault is kept.
    /// let bad = Event::from_json(&line.replace(r#""phase_name":"plan","#, ""))?;
    /// assert_eq!(bad.typed_payload().unwrap_err().field(), "payload.phase_name");
    /// # Ok::<(), spec_kitty_events::ValidationError>(())
    /// ```
    pub fn typed_payload(&self) -> Result<Option<&KnownPayload>, &ValidationError> {
        self.decoded.as_result()
    }

    /// The payload, typed by this event's type, as an owned value: a clone of
    /// what [`typed_payload`](Self::typed_payload) borrows; nothing is
    /// decoded again.
    ///
    /// `Ok(None)` for an event type this crate does not know.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the payload field (`payload.to_lane`) that
    /// broke a rule.
    pub fn to_typed_payload(&self) -> Result<Option<KnownPayload>, ValidationError> {
        self.typed_payload()
            .map(|known| known.cloned())
            .map_err(Clone::clone)
    }

    /// Decodes the payload's text again, as `P`, which must be this event's
    /// type's payload: for a payload type declared outside this crate, which
    /// [`typed_payload`](Self::typed_payload) does not know.
    ///
    /// # Errors
    /// A [`ValidationError`] for the field `event_type` when the event is of
    /// another type, or naming the payload field that broke a rule.
    pub fn decode_payload_as<P: EventPayload>(&self) -> Result<P, ValidationError> {
        if self.event_type() != P::EVENT_TYPE {
            return Err(ValidationError::new(
                "event_type",
                format!("is {:?}, not {:?}", self.event_type(), P::EVENT_TYPE),
            ));
        }
        P::decode(self.payload.json())
    }

    /// Reads a word of the event and of its decoded payload, to bring both
    /// into cache ahead of use (see `CausalOrder::for_each`).
    pub(crate) fn touch(&self) -> u64 {
        let payload_word = match self.decoded.as_result() {
            Ok(Some(known)) => u64::from(matches!(known, KnownPayload::WPStatusChanged(_))),
            _ => 0,
        };
        self.lamport_clock ^ payload_word
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The envelope's fields, not its JSON (`to_json` is for that); the
        // decoded payload is left out, since it repeats `payload`.
        f.debug_struct("Event")
            .field("event_id", &self.event_id)
            .field("event_type", &self.event_type())
            .field("aggregate_id", &self.aggregate_id)
            .field("payload", &self.payload)
            .field("timestamp", &self.timestamp)
            .field("node_id", &self.node_id)
            .field("lamport_clock", &self.lamport_clock)
            .field("causation_id", &self.causation_id)
            .field("project_uuid", &self.project_uuid)
            .field("project_slug", &self.project_slug)
            .field("correlation_id", &self.correlation_id)
            .field("schema_version", &self.schema_version.as_str())
            .field("data_tier", &self.data_tier)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spaced_payload_is_stored_compact_in_key_order() {
        let line = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Custom","aggregate_id":"A","payload":{ "z": 1, "a": [1, 2] },"timestamp":"2026-02-09T11:00:01Z","node_id":"n","lamport_clock":0,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#;
        let event = Event::from_json(line).unwrap();
        assert_eq!(event.payload().json(), r#"{"z":1,"a":[1,2]}"#);
    }

    #[test]
    fn errors_name_the_field() {
        let good = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Custom","aggregate_id":"A","timestamp":"2026-02-09T11:00:01Z","node_id":"n","lamport_clock":0,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#;
        assert!(Event::from_json(good).is_ok());
        let bad = good.replace("\"lamport_clock\":0", "\"lamport_clock\":-1");
        assert_eq!(Event::from_json(&bad).unwrap_err().field(), "lamport_clock");
        let bad = good.replace("\"node_id\":\"n\"", "\"node_id\":\"\"");
        assert_eq!(Event::from_json(&bad).unwrap_err().field(), "node_id");
        let err = Event::from_json("{not json").unwrap_err();
        assert!(err.message().contains("not valid JSON"), "{err}");
    }

    #[test]
    fn debug_shows_the_fields_not_the_json() {
        let line = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Custom","aggregate_id":"A","timestamp":"2026-02-09T11:00:01Z","node_id":"n","lamport_clock":0,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#;
        let debug = format!("{:?}", Event::from_json(line).unwrap());
        assert!(
            debug.starts_with(
                "Event { event_id: Ulid(01JKQ4V7C00000000000000001), event_type: \"Custom\""
            ),
            "{debug}"
        );
        assert!(!debug.contains("\"event_id\":"), "{debug}");
    }
}
