//! The [`Event`] envelope: what one line of an event log holds.

use std::fmt;

use serde::ser::SerializeStruct as _;
use serde::{Serialize, Serializer};
use uuid::Uuid;

use crate::contract::envelope::{Clock, DataTier, EventType, SchemaVersion};
use crate::contract::event_id::EventId;
use crate::contract::event_types::KnownPayload;
use crate::contract::ids::{NonEmptyString, Ulid};
use crate::contract::payload::{EventPayload, Payload};
use crate::contract::timestamp::Timestamp;
use crate::contract::version::ContractVersion;
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
/// An event of any contract version loads into this one type; its
/// [`contract_version`](Event::contract_version) (from `schema_version`)
/// says which rules judge it and in which shape it is written back.
/// Serialization writes the exact JSON of the Python library of that
/// version: every field of that version's envelope, in its order, `null` for
/// absent options. Schema 1.x and 2.x envelopes are written as 0.4.0a0
/// writes them (no `build_id`, unless the envelope carried one: a 2.x
/// envelope may, and it is kept); schema 3.x envelopes as 11.0.0 writes them
/// (`build_id` after `timestamp`, `lamport_clock` `null` when unclocked).
///
/// ```
/// use spec_kitty_events::contract::Event;
/// let line = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","payload":{"mission_id":"M1","mission_type":"software-dev","initial_phase":"specify","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"causation_id":null,"project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":null,"correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"1.0.0","data_tier":0}"#;
/// let event = Event::from_json(line)?;
/// assert_eq!(event.lamport_clock(), 1);
/// assert_eq!(event.to_json(), line);
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Event {
    pub(super) event_id: EventId,
    pub(super) event_type: EventType,
    pub(super) aggregate_id: NonEmptyString,
    pub(super) payload: Payload,
    pub(super) timestamp: Timestamp,
    /// The checkout that produced the event: required from schema 3.0.0 on;
    /// before, kept (and written back) only when the envelope has one.
    pub(super) build_id: Option<NonEmptyString>,
    pub(super) node_id: NonEmptyString,
    /// `None` for an unclocked event (schema 3.0.0 and later only).
    pub(super) lamport_clock: Clock,
    pub(super) causation_id: Option<EventId>,
    pub(super) project_uuid: Uuid,
    pub(super) project_slug: Option<Box<str>>,
    pub(super) correlation_id: Ulid,
    pub(super) schema_version: SchemaVersion,
    pub(super) data_tier: DataTier,
    /// The payload typed by `event_type`, decoded once where the event is
    /// made: every reader of the event (each reducer, the projector, every
    /// re-fold) uses it instead of parsing the payload text again.
    pub(super) decoded: DecodedPayload,
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Each version's envelope, in the order its Python library writes it.
        let current = self.contract_version() == ContractVersion::V3;
        let with_build = current || self.build_id.is_some();
        let mut out = serializer.serialize_struct("Event", 13 + usize::from(with_build))?;
        out.serialize_field("event_id", &self.event_id)?;
        out.serialize_field("event_type", &self.event_type)?;
        out.serialize_field("aggregate_id", &self.aggregate_id)?;
        out.serialize_field("payload", &self.payload)?;
        out.serialize_field("timestamp", &self.timestamp)?;
        if current || self.build_id.is_some() {
            out.serialize_field("build_id", &self.build_id)?;
        }
        out.serialize_field("node_id", &self.node_id)?;
        out.serialize_field("lamport_clock", &self.clock())?;
        out.serialize_field("causation_id", &self.causation_id)?;
        out.serialize_field("project_uuid", &self.project_uuid)?;
        out.serialize_field("project_slug", &self.project_slug)?;
        out.serialize_field("correlation_id", &self.correlation_id)?;
        out.serialize_field("schema_version", &self.schema_version)?;
        out.serialize_field("data_tier", &self.data_tier)?;
        out.end()
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
    pub(super) fn decode(
        event_type: &EventType,
        payload: &Payload,
        version: ContractVersion,
    ) -> Self {
        Self(
            KnownPayload::decode_under(version, event_type.as_str(), payload.json())
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

impl Event {
    /// The event's JSON, exactly as the Python library writes it.
    pub fn to_json(&self) -> String {
        // Serializing plain strings, numbers and a pre-validated raw object
        // cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Unique id of the event: a ULID, or (schema 3.0.0 on) a UUID.
    pub fn event_id(&self) -> EventId {
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

    /// Lamport clock value at emission; `0` for an unclocked event (see
    /// [`clock`](Self::clock)).
    pub fn lamport_clock(&self) -> u64 {
        self.clock().unwrap_or(0)
    }

    /// The Lamport clock, `None` for an unclocked event (allowed from schema
    /// 3.0.0 on; unclocked events order before clocked ones, by timestamp
    /// and event id).
    pub fn clock(&self) -> Option<u64> {
        self.lamport_clock.get()
    }

    /// The checkout or worktree that produced the event: required from
    /// schema 3.0.0 on; before, `None` unless the envelope carried one.
    pub fn build_id(&self) -> Option<&str> {
        self.build_id.as_ref().map(NonEmptyString::as_str)
    }

    /// The contract version the event was written under, from its
    /// `schema_version`: the rules it is judged by and the shape it is
    /// written back in.
    pub fn contract_version(&self) -> ContractVersion {
        self.schema_version.contract()
    }

    /// The event that caused this one, if any.
    pub fn causation_id(&self) -> Option<EventId> {
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
        self.lamport_clock() ^ payload_word
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
            .field("build_id", &self.build_id)
            .field("node_id", &self.node_id)
            .field("lamport_clock", &self.clock())
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
    use crate::contract::MAX_LAMPORT_CLOCK;

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

    /// Written by `spec-kitty-events` 11.0.0 (`Event.model_dump_json()`).
    const V3_LINE: &str = r#"{"event_id":"01JMXXXXXXXXXXXXXXXXXXXXXX","event_type":"TestEvent","aggregate_id":"test-aggregate","payload":{},"timestamp":"2026-01-15T10:00:00Z","build_id":"build-test-fixture","node_id":"test-node","lamport_clock":1,"causation_id":null,"project_uuid":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","project_slug":null,"correlation_id":"01JMYYYYYYYYYYYYYYYYYYYYYY","schema_version":"3.0.0","data_tier":0}"#;

    #[test]
    fn a_schema_3_envelope_is_written_back_in_its_own_shape() {
        let event = Event::from_json(V3_LINE).unwrap();
        assert_eq!(event.contract_version(), ContractVersion::V3);
        assert_eq!(event.build_id(), Some("build-test-fixture"));
        assert_eq!(event.clock(), Some(1));
        assert_eq!(event.to_json(), V3_LINE);
    }

    #[test]
    fn a_schema_3_envelope_may_be_unclocked_and_needs_a_build_id() {
        // 11.0.0 writes an absent clock as null.
        let unclocked = V3_LINE.replace(r#""lamport_clock":1"#, r#""lamport_clock":null"#);
        let event = Event::from_json(&unclocked).unwrap();
        assert_eq!(event.clock(), None);
        assert_eq!(event.to_json(), unclocked);
        let absent = V3_LINE.replace(r#""lamport_clock":1,"#, "");
        assert_eq!(Event::from_json(&absent).unwrap().to_json(), unclocked);

        let no_build = V3_LINE.replace(r#""build_id":"build-test-fixture","#, "");
        let err = Event::from_json(&no_build).unwrap_err();
        assert_eq!(err.field(), "build_id", "{err}");
        assert!(err.message().contains("schema 3.0.0"), "{err}");
    }

    #[test]
    fn a_schema_1_envelope_still_needs_its_clock_and_keeps_a_build_id_it_has() {
        let v1 = V3_LINE.replace("3.0.0", "1.0.0");
        let event = Event::from_json(&v1).unwrap();
        assert_eq!(event.build_id(), Some("build-test-fixture"));
        assert_eq!(event.to_json(), v1);
        let without = v1.replace(r#""build_id":"build-test-fixture","#, "");
        let event = Event::from_json(&without).unwrap();
        assert_eq!(event.build_id(), None);
        assert_eq!(event.to_json(), without);
        let unclocked = v1.replace(r#""lamport_clock":1,"#, "");
        assert_eq!(
            Event::from_json(&unclocked).unwrap_err().field(),
            "lamport_clock"
        );
    }

    #[test]
    fn a_clock_past_the_largest_is_refused_never_read_as_unclocked() {
        let at = |clock: &str| {
            V3_LINE.replace(
                r#""lamport_clock":1"#,
                &format!(r#""lamport_clock":{clock}"#),
            )
        };
        let largest = Event::from_json(&at("9223372036854775807")).unwrap();
        assert_eq!(largest.clock(), Some(MAX_LAMPORT_CLOCK));
        assert_eq!(largest.to_json(), at("9223372036854775807"));
        for past in ["9223372036854775808", "18446744073709551615"] {
            let error = Event::from_json(&at(past)).unwrap_err();
            assert_eq!(error.field(), "lamport_clock");
            assert_eq!(
                error.message(),
                format!("integer `{past}` is out of range: at most 9223372036854775807 (2^63 - 1)")
            );
            // serde's own path refuses it too, naming the field.
            let error = serde_json::from_str::<Event>(&at(past))
                .unwrap_err()
                .to_string();
            assert!(
                error.starts_with("field `lamport_clock`: integer"),
                "{error}"
            );
        }
    }

    #[test]
    fn debug_shows_the_fields_not_the_json() {
        let line = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"Custom","aggregate_id":"A","timestamp":"2026-02-09T11:00:01Z","node_id":"n","lamport_clock":0,"project_uuid":"00000000-0000-0000-0000-000000000001","correlation_id":"01JKQ4V7C00000000000000C0R"}"#;
        let debug = format!("{:?}", Event::from_json(line).unwrap());
        assert!(
            debug.starts_with(
                "Event { event_id: EventId(01JKQ4V7C00000000000000001), event_type: \"Custom\""
            ),
            "{debug}"
        );
        assert!(!debug.contains("\"event_id\":"), "{debug}");
    }
}
