//! The [`Event`] envelope: what one line of an event log holds.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::error::ValidationError;
use crate::event_types::KnownPayload;
use crate::ids::{NonEmptyString, Ulid};
use crate::payload::{EventPayload, PayloadError, strip_position, with_missing_field};
use crate::timestamp::Timestamp;

/// The envelope schema version this crate writes.
pub const SCHEMA_VERSION: &str = "1.0.0";

/// One event of the log, with its causal metadata.
///
/// Every field is checked where the event is made, by [`EventBuilder::build`]
/// or by deserialization, so an `Event` that exists is valid: ids are ULIDs,
/// names are non-empty, the tier is in range. The payload is kept as the JSON
/// object it arrived as; it is typed by [`Event::decode_payload`], because a log
/// may hold event types this crate does not know and the reducers must record,
/// not reject, payloads that do not decode.
///
/// Serialization writes the exact JSON of the Python library: every field, in
/// contract order, `null` for absent options.
///
/// ```
/// use spec_kitty_events::Event;
/// let line = r#"{"event_id":"01JKQ4V7C00000000000000001","event_type":"MissionStarted","aggregate_id":"M1","payload":{"mission_id":"M1","mission_type":"software-dev","initial_phase":"specify","actor":"rob"},"timestamp":"2026-02-09T11:00:01Z","node_id":"cli","lamport_clock":1,"causation_id":null,"project_uuid":"00000000-0000-0000-0000-000000000001","project_slug":null,"correlation_id":"01JKQ4V7C00000000000000C0R","schema_version":"1.0.0","data_tier":0}"#;
/// let event = Event::from_json(line)?;
/// assert_eq!(event.lamport_clock(), 1);
/// assert_eq!(event.to_json(), line);
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WireEvent")]
pub struct Event {
    event_id: Ulid,
    event_type: EventType,
    aggregate_id: NonEmptyString,
    payload: Payload,
    timestamp: Timestamp,
    node_id: NonEmptyString,
    lamport_clock: u64,
    causation_id: Option<Ulid>,
    project_uuid: Uuid,
    project_slug: Option<Box<str>>,
    correlation_id: Ulid,
    schema_version: SchemaVersion,
    data_tier: DataTier,
    /// The payload typed by `event_type`, decoded once where the event is
    /// made: every reader of the event (each reducer, the projector, every
    /// re-fold) uses it instead of parsing the payload text again.
    #[serde(skip)]
    decoded: DecodedPayload,
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
struct DecodedPayload(Option<Box<Result<KnownPayload, PayloadError>>>);

impl DecodedPayload {
    fn decode(event_type: &EventType, payload: &Payload) -> Self {
        Self(
            KnownPayload::decode(event_type.as_str(), payload.json())
                .transpose()
                .map(Box::new),
        )
    }

    fn as_result(&self) -> Result<Option<&KnownPayload>, &PayloadError> {
        match self.0.as_deref() {
            None => Ok(None),
            Some(Ok(known)) => Ok(Some(known)),
            Some(Err(error)) => Err(error),
        }
    }
}

impl Event {
    /// Starts an event carrying `payload`, under the payload's own event type.
    pub fn builder<P: EventPayload>(payload: &P) -> EventBuilder {
        EventBuilder::new(
            P::EVENT_TYPE.to_owned(),
            Payload::from_serialize(payload).map_err(|e| e.within("payload")),
        )
    }

    /// Starts an event of any `event_type` with a raw JSON object payload.
    ///
    /// If `event_type` is one this crate knows, the payload must decode as
    /// that type's payload: [`EventBuilder::build`] reports where it does not.
    pub fn untyped_builder(
        event_type: impl Into<String>,
        payload: serde_json::Map<String, serde_json::Value>,
    ) -> EventBuilder {
        EventBuilder::new(
            event_type.into(),
            Payload::from_serialize(&payload).map_err(|e| e.within("payload")),
        )
    }

    /// A builder holding every field of this event, to derive a changed copy.
    pub fn to_builder(&self) -> EventBuilder {
        EventBuilder {
            event_id: Some(self.event_id),
            event_type: self.event_type.as_str().to_owned(),
            aggregate_id: Some(self.aggregate_id.to_string()),
            payload: Ok(self.payload.clone()),
            timestamp: Some(self.timestamp),
            node_id: Some(self.node_id.to_string()),
            lamport_clock: Some(self.lamport_clock),
            causation_id: self.causation_id,
            project_uuid: Some(self.project_uuid),
            project_slug: self.project_slug.as_deref().map(str::to_owned),
            correlation_id: Some(self.correlation_id),
            schema_version: self.schema_version.as_str().to_owned(),
            data_tier: self.data_tier.get(),
        }
    }

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
        decode_located(text)
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
    /// The [`PayloadError`] naming the payload field (`payload.to_lane`) that
    /// broke a rule.
    ///
    /// ```
    /// use spec_kitty_events::{Event, KnownPayload};
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
    pub fn typed_payload(&self) -> Result<Option<&KnownPayload>, &PayloadError> {
        self.decoded.as_result()
    }

    /// The payload, typed by this event's type, as an owned value: a copy of
    /// [`typed_payload`](Self::typed_payload).
    ///
    /// `Ok(None)` for an event type this crate does not know.
    ///
    /// # Errors
    /// A [`PayloadError`] naming the payload field (`payload.to_lane`) that
    /// broke a rule.
    pub fn decode_payload(&self) -> Result<Option<KnownPayload>, PayloadError> {
        self.typed_payload()
            .map(|known| known.cloned())
            .map_err(Clone::clone)
    }

    /// Decodes the payload as `P`, which must be this event's type's payload.
    ///
    /// # Errors
    /// A [`PayloadError`] for the field `event_type` when the event is of
    /// another type, or naming the payload field that broke a rule.
    pub fn payload_as<P: EventPayload>(&self) -> Result<P, PayloadError> {
        if self.event_type() != P::EVENT_TYPE {
            return Err(PayloadError::new(
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
        f.write_str(&self.to_json())
    }
}

/// Deserializes `text`; on failure, deserializes again with path tracking to
/// name the field. The fast path costs nothing extra for good input.
fn decode_located<T: DeserializeOwned>(text: &str) -> Result<T, ValidationError> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(plain) => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Ok(value) => Ok(value),
                Err(error) => {
                    let path = error.path().to_string();
                    let field = if path == "." { String::new() } else { path };
                    let message = if error.inner().is_syntax() || error.inner().is_eof() {
                        format!("not valid JSON: {plain}")
                    } else {
                        strip_position(&error.inner().to_string())
                    };
                    let field = with_missing_field(field, &message);
                    Err(ValidationError::new(field, message))
                }
            }
        }
    }
}

/// An event's payload: a JSON object, kept as the text it arrived as.
///
/// Keeping the text (not a parsed tree) makes reading a log cheap and writes
/// the payload back byte for byte; typed access goes through
/// [`Event::decode_payload`] or [`Payload::to_map`]. Text with white space
/// between tokens is stored compacted, as the Python library writes it.
#[derive(Clone)]
pub struct Payload(Box<RawValue>);

impl Payload {
    /// The empty payload, `{}`.
    pub fn empty() -> Self {
        Self::from_compact("{}".to_owned())
    }

    fn from_compact(json: String) -> Self {
        Self(RawValue::from_string(json).expect("serde_json's own output is valid JSON"))
    }

    fn from_serialize<T: Serialize>(value: &T) -> Result<Self, ValidationError> {
        let json = serde_json::to_string(value)
            .map_err(|e| ValidationError::new("", format!("cannot be written as JSON: {e}")))?;
        if !json.starts_with('{') {
            return Err(ValidationError::new("", "must be a JSON object"));
        }
        Ok(Self::from_compact(json))
    }

    /// Builds a payload from a JSON object.
    pub fn from_map(map: &serde_json::Map<String, serde_json::Value>) -> Self {
        Self::from_serialize(map).unwrap_or_else(|_| Self::empty())
    }

    /// The payload's JSON text (a compact object).
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The payload parsed into a JSON object.
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_str(self.json()).unwrap_or_default()
    }

    /// Reads one field of the payload into `T`; `Ok(None)` when absent.
    ///
    /// # Errors
    /// A [`PayloadError`] for `payload.<key>` when present but not a `T`.
    pub fn field<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, PayloadError> {
        let map: serde_json::Map<String, serde_json::Value> = self.to_map();
        match map.get(key) {
            None => Ok(None),
            Some(value) => serde_json::from_value(value.clone())
                .map(Some)
                .map_err(|e| {
                    PayloadError::new(format!("payload.{key}"), strip_position(&e.to_string()))
                }),
        }
    }
}

impl Default for Payload {
    fn default() -> Self {
        Self::empty()
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
    }
}

impl Eq for Payload {}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.json())
    }
}

impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if !raw.get().starts_with('{') {
            return Err(serde::de::Error::custom("must be a JSON object"));
        }
        if is_compact(raw.get()) {
            Ok(Self(raw))
        } else {
            let value: serde_json::Value =
                serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
            Ok(Self::from_compact(value.to_string()))
        }
    }
}

/// Whether `json` has no white space between tokens (inside strings it may).
fn is_compact(json: &str) -> bool {
    let bytes = json.as_bytes();
    // Most payloads hold no white space at all: one vectorized search says so.
    if memchr::memchr3(b' ', b'\n', b'\t', bytes).is_none()
        && memchr::memchr(b'\r', bytes).is_none()
    {
        return true;
    }
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b' ' | b'\n' | b'\r' | b'\t' => return false,
                _ => {}
            }
        }
    }
    true
}

/// An envelope schema version, `MAJOR.MINOR.PATCH` in decimal digits.
///
/// [`SCHEMA_VERSION`], which nearly every event carries, is held as `None`:
/// no allocation, and one word less in every event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SchemaVersion(Option<Box<str>>);

impl Serialize for SchemaVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl SchemaVersion {
    /// Checks `text` against `^\d+\.\d+\.\d+$`.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `""`) when it does not match.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let parts: Vec<&str> = text.split('.').collect();
        let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if text == SCHEMA_VERSION {
            Ok(Self::default())
        } else if parts.len() == 3 && parts.iter().all(numeric) {
            Ok(Self(Some(text.into())))
        } else {
            Err(ValidationError::new(
                "",
                format!("{text:?} is not a MAJOR.MINOR.PATCH version"),
            ))
        }
    }

    /// The version text.
    pub fn as_str(&self) -> &str {
        self.0.as_deref().unwrap_or(SCHEMA_VERSION)
    }
}

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            expecting: "a MAJOR.MINOR.PATCH version string",
            parse: SchemaVersion::parse,
        })
    }
}

/// An `event_type`: non-empty; the types this crate declares are kept as an
/// index into [`KnownPayload::EVENT_TYPES`], so the common case allocates
/// nothing and takes two words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum EventType {
    Known(u8),
    Other(Box<str>),
}

impl EventType {
    fn new(text: &str) -> Result<Self, ValidationError> {
        if text.is_empty() {
            return Err(ValidationError::new("", "must not be empty"));
        }
        let known = KnownPayload::EVENT_TYPES
            .iter()
            .position(|known| *known == text)
            .and_then(|index| u8::try_from(index).ok());
        Ok(match known {
            Some(index) => Self::Known(index),
            None => Self::Other(text.into()),
        })
    }

    fn as_str(&self) -> &str {
        match self {
            Self::Known(index) => KnownPayload::EVENT_TYPES
                .get(usize::from(*index))
                .copied()
                .unwrap_or_default(),
            Self::Other(text) => text,
        }
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            expecting: "a non-empty string",
            parse: EventType::new,
        })
    }
}

/// Deserializes a string through a validating constructor, borrowing the
/// input when it can.
struct StrVisitor<T> {
    expecting: &'static str,
    parse: fn(&str) -> Result<T, ValidationError>,
}

impl<T> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(|e| E::custom(e.message()))
    }
}

/// How far an event may travel: 0 (never leaves the machine) to 4 (telemetry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct DataTier(u8);

impl DataTier {
    /// The most local tier: the event never leaves the machine.
    pub const LOCAL: DataTier = DataTier(0);
    /// The widest tier: telemetry.
    pub const TELEMETRY: DataTier = DataTier(4);

    /// `tier` if it is within 0..=4.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `""`) otherwise.
    pub fn new(tier: u8) -> Result<Self, ValidationError> {
        if tier <= 4 {
            Ok(Self(tier))
        } else {
            Err(ValidationError::new(
                "",
                format!("{tier} is not a data tier (0..=4)"),
            ))
        }
    }

    /// The tier's number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for DataTier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let tier = u64::deserialize(deserializer)?;
        u8::try_from(tier)
            .map_err(|_| ValidationError::new("", format!("{tier} is not a data tier (0..=4)")))
            .and_then(DataTier::new)
            .map_err(|e| serde::de::Error::custom(e.message()))
    }
}

/// Assembles an [`Event`]; [`build`](EventBuilder::build) checks every field.
///
/// Required: `aggregate_id`, `node_id`, `lamport_clock`, `project_uuid`,
/// `correlation_id`. Defaults: a fresh `event_id`, `timestamp` now,
/// `schema_version` [`SCHEMA_VERSION`], `data_tier` 0, no causation, no slug.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct EventBuilder {
    event_id: Option<Ulid>,
    event_type: String,
    aggregate_id: Option<String>,
    payload: Result<Payload, ValidationError>,
    timestamp: Option<Timestamp>,
    node_id: Option<String>,
    lamport_clock: Option<u64>,
    causation_id: Option<Ulid>,
    project_uuid: Option<Uuid>,
    project_slug: Option<String>,
    correlation_id: Option<Ulid>,
    schema_version: String,
    data_tier: u8,
}

impl EventBuilder {
    fn new(event_type: String, payload: Result<Payload, ValidationError>) -> Self {
        Self {
            event_id: None,
            event_type,
            aggregate_id: None,
            payload,
            timestamp: None,
            node_id: None,
            lamport_clock: None,
            causation_id: None,
            project_uuid: None,
            project_slug: None,
            correlation_id: None,
            schema_version: SCHEMA_VERSION.to_owned(),
            data_tier: 0,
        }
    }

    /// Sets the event id (default: a fresh ULID).
    pub fn event_id(mut self, id: Ulid) -> Self {
        self.event_id = Some(id);
        self
    }

    /// Sets the entity the event changes.
    pub fn aggregate_id(mut self, id: impl Into<String>) -> Self {
        self.aggregate_id = Some(id.into());
        self
    }

    /// Sets the wall-clock time (default: now).
    pub fn timestamp(mut self, at: Timestamp) -> Self {
        self.timestamp = Some(at);
        self
    }

    /// Sets the emitting node.
    pub fn node_id(mut self, node: impl Into<String>) -> Self {
        self.node_id = Some(node.into());
        self
    }

    /// Sets the Lamport clock value.
    pub fn lamport_clock(mut self, clock: u64) -> Self {
        self.lamport_clock = Some(clock);
        self
    }

    /// Sets (or clears) the parent event.
    pub fn causation_id(mut self, parent: Option<Ulid>) -> Self {
        self.causation_id = parent;
        self
    }

    /// Sets the project's UUID.
    pub fn project_uuid(mut self, project: Uuid) -> Self {
        self.project_uuid = Some(project);
        self
    }

    /// Sets (or clears) the project's slug.
    pub fn project_slug(mut self, slug: Option<String>) -> Self {
        self.project_slug = slug;
        self
    }

    /// Sets the mission execution's correlation id.
    pub fn correlation_id(mut self, id: Ulid) -> Self {
        self.correlation_id = Some(id);
        self
    }

    /// Sets the schema version (default [`SCHEMA_VERSION`]).
    pub fn schema_version(mut self, version: impl Into<String>) -> Self {
        self.schema_version = version.into();
        self
    }

    /// Sets the data tier (default 0).
    pub fn data_tier(mut self, tier: u8) -> Self {
        self.data_tier = tier;
        self
    }

    /// Checks every field and builds the event.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first field that is missing or
    /// breaks a rule.
    pub fn build(self) -> Result<Event, ValidationError> {
        fn required<T>(value: Option<T>, field: &str) -> Result<T, ValidationError> {
            value.ok_or_else(|| ValidationError::new(field, "is required"))
        }
        fn non_empty(value: String, field: &str) -> Result<NonEmptyString, ValidationError> {
            NonEmptyString::new(value).map_err(|e| e.within(field))
        }
        let event_type = EventType::new(&self.event_type).map_err(|e| e.within("event_type"))?;
        let payload = self.payload?;
        let decoded = DecodedPayload::decode(&event_type, &payload);
        if let Err(error) = decoded.as_result() {
            return Err(error.clone());
        }
        Ok(Event {
            decoded,
            event_id: self.event_id.unwrap_or_else(Ulid::generate),
            aggregate_id: non_empty(required(self.aggregate_id, "aggregate_id")?, "aggregate_id")?,
            payload,
            timestamp: self.timestamp.unwrap_or_else(Timestamp::now),
            node_id: non_empty(required(self.node_id, "node_id")?, "node_id")?,
            lamport_clock: required(self.lamport_clock, "lamport_clock")?,
            causation_id: self.causation_id,
            project_uuid: required(self.project_uuid, "project_uuid")?,
            project_slug: self.project_slug.map(String::into_boxed_str),
            correlation_id: required(self.correlation_id, "correlation_id")?,
            schema_version: SchemaVersion::parse(&self.schema_version)
                .map_err(|e| e.within("schema_version"))?,
            data_tier: DataTier::new(self.data_tier).map_err(|e| e.within("data_tier"))?,
            event_type,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compactness_ignores_spaces_inside_strings() {
        assert!(is_compact(
            r#"{"reason":"historical migration","x":"a\" b"}"#
        ));
        assert!(!is_compact(r#"{"a": 1}"#));
        assert!(!is_compact("{\"a\":1,\n\"b\":2}"));
    }

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
}
