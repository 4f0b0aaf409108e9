//! [`EventBuilder`]: assembling an [`Event`] field by field.

use uuid::Uuid;

use crate::contract::envelope::{DataTier, EventType, SCHEMA_VERSION, SchemaVersion};
use crate::contract::event::{DecodedPayload, Event};
use crate::contract::ids::{NonEmptyString, Ulid};
use crate::contract::payload::{EventPayload, Payload};
use crate::contract::timestamp::Timestamp;
use crate::error::ValidationError;

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
            lamport_clock: self.lamport_clock,
            causation_id: self.causation_id,
            project_uuid: Some(self.project_uuid),
            project_slug: self.project_slug.as_deref().map(str::to_owned),
            correlation_id: Some(self.correlation_id),
            schema_version: self.schema_version.as_str().to_owned(),
            data_tier: self.data_tier.get(),
        }
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
        let schema_version =
            SchemaVersion::parse(&self.schema_version).map_err(|e| e.within("schema_version"))?;
        let decoded = DecodedPayload::decode(&event_type, &payload, schema_version.contract());
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
            build_id: None,
            lamport_clock: Some(required(self.lamport_clock, "lamport_clock")?),
            causation_id: self.causation_id,
            project_uuid: required(self.project_uuid, "project_uuid")?,
            project_slug: self.project_slug.map(String::into_boxed_str),
            correlation_id: required(self.correlation_id, "correlation_id")?,
            schema_version,
            data_tier: DataTier::new(self.data_tier).map_err(|e| e.within("data_tier"))?,
            event_type,
        })
    }
}
