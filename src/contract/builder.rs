//! [`EventBuilder`]: assembling an [`Event`] field by field.

use std::marker::PhantomData;

use uuid::Uuid;

use crate::contract::envelope::Clock;
use crate::contract::envelope::{DataTier, EventType, SchemaVersion};
use crate::contract::event::{DecodedPayload, Event};
use crate::contract::event_id::{EventId, ulids_only};
use crate::contract::ids::{NonEmptyString, Ulid};
use crate::contract::payload::{EventPayload, Payload};
use crate::contract::timestamp::Timestamp;
use crate::contract::version::ContractVersion;
use crate::error::ValidationError;

/// The `build_id` this crate writes into a schema 3.0.0 event when none is
/// set: the crate and its version. `build_id` says which build of the
/// writer produced an event; a program that has its own build identity
/// (spec-kitty's checkout id) sets it with
/// [`EventBuilder::build_id`] or [`Emitter::with_build_id`](crate::emit::Emitter::with_build_id).
pub const DEFAULT_BUILD_ID: &str = concat!("spec-kitty-events-rs/", env!("CARGO_PKG_VERSION"));

impl Event {
    /// Starts an event carrying `payload`, under the payload's own event type.
    ///
    /// The event is written under the newest contract version the payload's
    /// declaration holds under: [`ContractVersion::CURRENT`] for a payload
    /// of every version (the gates) or of the current one, 1.0.0 for a
    /// 0.4-only payload such as
    /// [`StatusTransitionPayload`](crate::contract::event_types::StatusTransitionPayload).
    /// [`EventBuilder::contract_version`] chooses another.
    pub fn builder<P: EventPayload>(payload: &P) -> EventBuilder {
        let version = P::VERSIONS
            .iter()
            .copied()
            .max()
            .unwrap_or(ContractVersion::CURRENT);
        EventBuilder::new(
            P::EVENT_TYPE.to_owned(),
            Payload::from_serialize(payload).map_err(|e| e.within("payload")),
        )
        .contract_version(version)
    }

    /// Starts an event of any `event_type` with a raw JSON object payload,
    /// under [`ContractVersion::CURRENT`] unless told otherwise.
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

    /// A builder holding every field of this event (its `build_id` and an
    /// absent clock included), to derive a changed copy.
    pub fn to_builder(&self) -> EventBuilder<Set, Set, Set, Set, Set> {
        EventBuilder {
            invalid: None,
            required: PhantomData,
            event_id: Some(self.event_id),
            event_type: self.event_type.as_str().to_owned(),
            aggregate_id: Some(self.aggregate_id.to_string()),
            payload: Ok(self.payload.clone()),
            timestamp: Some(self.timestamp),
            build_id: self.build_id.as_ref().map(ToString::to_string),
            node_id: Some(self.node_id.to_string()),
            lamport_clock: self.clock(),
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
/// Required: `aggregate_id`, `node_id`, `lamport_clock` (or
/// [`unclocked`](EventBuilder::unclocked), schema 3.0.0 only),
/// `project_uuid`, `correlation_id`. Defaults: a fresh `event_id`,
/// `timestamp` now, `schema_version` of the payload's newest contract
/// version ([`Event::builder`]), `data_tier` 0, no causation, no slug, and
/// under schema 3.0.0 the `build_id` [`DEFAULT_BUILD_ID`] (no `build_id`
/// under 1.0.0 unless set).
///
/// A required field that was never set is a compile error, not a run-time
/// one: each type parameter records whether its field was set
/// ([`Missing`] or [`Set`]), and `build` exists only once all five are:
///
/// ```compile_fail
/// # use spec_kitty_events::contract::{Event, event_types::GatePassedPayload};
/// # fn f(payload: &GatePassedPayload) {
/// // error: this event has no `correlation_id`: call `.correlation_id(…)` before `.build()`
/// let event = Event::builder(payload)
///     .aggregate_id("M1").node_id("cli").lamport_clock(1)
///     .project_uuid("00000000-0000-0000-0000-000000000001")
///     .build();
/// # }
/// ```
///
/// Ids, the project's UUID and the timestamp are taken as the crate's types
/// or as text that the setter parses ([`FieldText`]); text that does not
/// parse is reported by `build`, naming the field, so no `map_err` is
/// needed on the way:
///
/// ```
/// use spec_kitty_events::contract::{Event, EventPayload, event_types::PhaseEnteredPayload};
/// let payload = PhaseEnteredPayload::decode(r#"{"mission_id":"M1","phase_name":"plan","actor":"rob"}"#)?;
/// let event = Event::builder(&payload)
///     .aggregate_id("M1")
///     .node_id("cli")
///     .lamport_clock(2)
///     .project_uuid("00000000-0000-0000-0000-000000000001")
///     .correlation_id("01JKQ4V7C00000000000000C0R")
///     .timestamp("2026-02-09T11:00:01Z")
///     .build()?;
/// assert_eq!(event.correlation_id().as_str(), "01JKQ4V7C00000000000000C0R");
///
/// let error = Event::builder(&payload)
///     .aggregate_id("M1").node_id("cli").lamport_clock(2)
///     .project_uuid("not-a-uuid")
///     .correlation_id("01JKQ4V7C00000000000000C0R")
///     .build()
///     .unwrap_err();
/// assert_eq!(error.field(), "project_uuid");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct EventBuilder<
    AggregateId = Missing,
    NodeId = Missing,
    LamportClock = Missing,
    ProjectUuid = Missing,
    CorrelationId = Missing,
> {
    event_id: Option<EventId>,
    event_type: String,
    aggregate_id: Option<String>,
    payload: Result<Payload, ValidationError>,
    timestamp: Option<Timestamp>,
    build_id: Option<String>,
    node_id: Option<String>,
    lamport_clock: Option<u64>,
    causation_id: Option<EventId>,
    project_uuid: Option<Uuid>,
    project_slug: Option<String>,
    correlation_id: Option<Ulid>,
    schema_version: String,
    data_tier: u8,
    /// The first setter text that did not parse, reported by `build`.
    invalid: Option<ValidationError>,
    #[allow(clippy::type_complexity)]
    required: PhantomData<
        fn() -> (
            AggregateId,
            NodeId,
            LamportClock,
            ProjectUuid,
            CorrelationId,
        ),
    >,
}

/// A required field of an [`EventBuilder`] not set yet.
#[derive(Debug, Clone, Copy)]
pub enum Missing {}

/// A required field of an [`EventBuilder`] that was set.
#[derive(Debug, Clone, Copy)]
pub enum Set {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Set {}
    impl Sealed for crate::contract::Ulid {}
    impl Sealed for crate::contract::EventId {}
    impl Sealed for uuid::Uuid {}
    impl Sealed for crate::contract::Timestamp {}
    impl Sealed for &str {}
    impl Sealed for String {}
}

// Written out rather than generated, so that the compiler's notes point
// at one plain impl instead of a macro.

/// `aggregate_id` was set: a bound of [`EventBuilder::build`]. Sealed.
#[diagnostic::on_unimplemented(
    message = "this event has no `aggregate_id`: call `.aggregate_id(…)` before `.build()`",
    label = "`aggregate_id` is a required field of every event"
)]
pub trait AggregateIdSet: sealed::Sealed {}
impl AggregateIdSet for Set {}

/// `node_id` was set: a bound of [`EventBuilder::build`]. Sealed.
#[diagnostic::on_unimplemented(
    message = "this event has no `node_id`: call `.node_id(…)` before `.build()`",
    label = "`node_id` is a required field of every event"
)]
pub trait NodeIdSet: sealed::Sealed {}
impl NodeIdSet for Set {}

/// `lamport_clock` was set: a bound of [`EventBuilder::build`]. Sealed.
#[diagnostic::on_unimplemented(
    message = "this event has no `lamport_clock`: call `.lamport_clock(…)` before `.build()`",
    label = "`lamport_clock` is a required field of every event"
)]
pub trait LamportClockSet: sealed::Sealed {}
impl LamportClockSet for Set {}

/// `project_uuid` was set: a bound of [`EventBuilder::build`]. Sealed.
#[diagnostic::on_unimplemented(
    message = "this event has no `project_uuid`: call `.project_uuid(…)` before `.build()`",
    label = "`project_uuid` is a required field of every event"
)]
pub trait ProjectUuidSet: sealed::Sealed {}
impl ProjectUuidSet for Set {}

/// `correlation_id` was set: a bound of [`EventBuilder::build`]. Sealed.
#[diagnostic::on_unimplemented(
    message = "this event has no `correlation_id`: call `.correlation_id(…)` before `.build()`",
    label = "`correlation_id` is a required field of every event"
)]
pub trait CorrelationIdSet: sealed::Sealed {}
impl CorrelationIdSet for Set {}

/// A value an [`EventBuilder`] setter takes for a field of type `T`: the
/// value itself, or its text (`&str`, `String`), parsed by the setter.
/// Sealed: implemented for [`Ulid`], [`EventId`] (which a [`Ulid`] also
/// gives), [`Timestamp`] and the project's UUID.
pub trait FieldText<T>: sealed::Sealed {
    /// The value, or why the text is not one.
    #[doc(hidden)]
    fn into_value(self) -> Result<T, ValidationError>;
}

macro_rules! field_text {
    ($($T:ty => $parse:expr;)+) => {$(
        impl FieldText<$T> for $T {
            fn into_value(self) -> Result<$T, ValidationError> {
                Ok(self)
            }
        }
        impl FieldText<$T> for &str {
            fn into_value(self) -> Result<$T, ValidationError> {
                $parse(self)
            }
        }
        impl FieldText<$T> for String {
            fn into_value(self) -> Result<$T, ValidationError> {
                $parse(self.as_str())
            }
        }
    )+};
}

field_text! {
    Ulid => Ulid::parse;
    EventId => EventId::parse;
    Timestamp => Timestamp::parse;
    Uuid => |text: &str| Uuid::parse_str(text)
        .map_err(|e| ValidationError::new("", format!("{text:?} is not a UUID: {e}")));
}

impl FieldText<EventId> for Ulid {
    fn into_value(self) -> Result<EventId, ValidationError> {
        Ok(EventId::from(self))
    }
}

impl EventBuilder {
    fn new(event_type: String, payload: Result<Payload, ValidationError>) -> Self {
        Self {
            event_id: None,
            event_type,
            aggregate_id: None,
            payload,
            timestamp: None,
            build_id: None,
            node_id: None,
            lamport_clock: None,
            causation_id: None,
            project_uuid: None,
            project_slug: None,
            correlation_id: None,
            schema_version: ContractVersion::CURRENT.schema_version().to_owned(),
            data_tier: 0,
            invalid: None,
            required: PhantomData,
        }
    }
}

impl<A, N, L, P, C> EventBuilder<A, N, L, P, C> {
    /// The same fields under other required-field markers.
    fn mark<A2, N2, L2, P2, C2>(self) -> EventBuilder<A2, N2, L2, P2, C2> {
        EventBuilder {
            event_id: self.event_id,
            event_type: self.event_type,
            aggregate_id: self.aggregate_id,
            payload: self.payload,
            timestamp: self.timestamp,
            build_id: self.build_id,
            node_id: self.node_id,
            lamport_clock: self.lamport_clock,
            causation_id: self.causation_id,
            project_uuid: self.project_uuid,
            project_slug: self.project_slug,
            correlation_id: self.correlation_id,
            schema_version: self.schema_version,
            data_tier: self.data_tier,
            invalid: self.invalid,
            required: PhantomData,
        }
    }

    /// Parses `value` for `field`, keeping the first failure for `build`.
    fn parsed<T>(&mut self, field: &str, value: impl FieldText<T>) -> Option<T> {
        match value.into_value() {
            Ok(value) => Some(value),
            Err(error) => {
                self.invalid.get_or_insert(error.within(field));
                None
            }
        }
    }

    /// Sets the event id (default: a fresh ULID): an [`EventId`], a
    /// [`Ulid`], or the text of either (a UUID is refused by `build` under
    /// schema 1.0.0, which only has ULIDs).
    pub fn event_id(mut self, id: impl FieldText<EventId>) -> Self {
        self.event_id = self.parsed("event_id", id);
        self
    }

    /// Sets the entity the event changes (a mission id, a work package id …).
    pub fn aggregate_id(mut self, id: impl AsRef<str>) -> EventBuilder<Set, N, L, P, C> {
        self.aggregate_id = Some(id.as_ref().to_owned());
        self.mark()
    }

    /// Sets the wall-clock time (default: now): a [`Timestamp`] or its
    /// ISO 8601 text.
    pub fn timestamp(mut self, at: impl FieldText<Timestamp>) -> Self {
        self.timestamp = self.parsed("timestamp", at);
        self
    }

    /// Sets the emitting node.
    pub fn node_id(mut self, node: impl AsRef<str>) -> EventBuilder<A, Set, L, P, C> {
        self.node_id = Some(node.as_ref().to_owned());
        self.mark()
    }

    /// Sets the Lamport clock value.
    pub fn lamport_clock(mut self, clock: u64) -> EventBuilder<A, N, Set, P, C> {
        self.lamport_clock = Some(clock);
        self.mark()
    }

    /// Makes the event unclocked: no `lamport_clock` (written `null`).
    /// Schema 3.0.0 allows it; under 1.0.0 `build` refuses it.
    pub fn unclocked(mut self) -> EventBuilder<A, N, Set, P, C> {
        self.lamport_clock = None;
        self.mark()
    }

    /// Sets the `build_id`, the build of the writer that produced the event
    /// (default under schema 3.0.0: [`DEFAULT_BUILD_ID`]; under 1.0.0: none,
    /// and one that is set is written, as a 2.x writer did).
    pub fn build_id(mut self, build: impl Into<String>) -> Self {
        self.build_id = Some(build.into());
        self
    }

    /// Sets (or clears) the parent event: an [`EventId`] or a [`Ulid`].
    pub fn causation_id(mut self, parent: Option<impl Into<EventId>>) -> Self {
        self.causation_id = parent.map(Into::into);
        self
    }

    /// Sets the project's UUID: a UUID or its text.
    pub fn project_uuid(mut self, project: impl FieldText<Uuid>) -> EventBuilder<A, N, L, Set, C> {
        self.project_uuid = self.parsed("project_uuid", project);
        self.mark()
    }

    /// Sets (or clears) the project's slug.
    pub fn project_slug(mut self, slug: Option<String>) -> Self {
        self.project_slug = slug;
        self
    }

    /// Sets the mission execution's correlation id: a [`Ulid`] or its text.
    pub fn correlation_id(mut self, id: impl FieldText<Ulid>) -> EventBuilder<A, N, L, P, Set> {
        self.correlation_id = self.parsed("correlation_id", id);
        self.mark()
    }

    /// Sets the schema version (default: see [`Event::builder`]).
    pub fn schema_version(mut self, version: impl Into<String>) -> Self {
        self.schema_version = version.into();
        self
    }

    /// Writes the event under contract `version`: its schema version
    /// (`1.0.0` for [`ContractVersion::V1`], the 0.4 writer; `3.0.0` for
    /// [`ContractVersion::V3`]), its envelope and its payload rules.
    pub fn contract_version(self, version: ContractVersion) -> Self {
        self.schema_version(version.schema_version())
    }

    /// Sets the data tier (default 0).
    pub fn data_tier(mut self, tier: u8) -> Self {
        self.data_tier = tier;
        self
    }

    /// Checks every field and builds the event. Exists once every required
    /// field was set.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the first field whose text did not
    /// parse or whose value breaks a rule.
    pub fn build(self) -> Result<Event, ValidationError>
    where
        A: AggregateIdSet,
        N: NodeIdSet,
        L: LamportClockSet,
        P: ProjectUuidSet,
        C: CorrelationIdSet,
    {
        fn required<T>(value: Option<T>, field: &str) -> Result<T, ValidationError> {
            value.ok_or_else(|| ValidationError::new(field, "is required"))
        }
        fn non_empty(value: String, field: &str) -> Result<NonEmptyString, ValidationError> {
            NonEmptyString::new(value).map_err(|e| e.within(field))
        }
        if let Some(error) = self.invalid {
            return Err(error);
        }
        let event_type = EventType::new(&self.event_type).map_err(|e| e.within("event_type"))?;
        let payload = self.payload?;
        let schema_version =
            SchemaVersion::parse(&self.schema_version).map_err(|e| e.within("schema_version"))?;
        let version = schema_version.contract();
        if version == ContractVersion::V1 {
            ulids_only(self.event_id, self.causation_id)?;
        }
        let decoded = DecodedPayload::decode(&event_type, &payload, version);
        if let Err(error) = decoded.as_result() {
            return Err(error.clone());
        }
        let build_id = match (version, self.build_id) {
            (_, Some(build)) => Some(non_empty(build, "build_id")?),
            (ContractVersion::V1, None) => None,
            (ContractVersion::V3, None) => {
                Some(non_empty(DEFAULT_BUILD_ID.to_owned(), "build_id")?)
            }
        };
        let lamport_clock = Clock::new(match (version, self.lamport_clock) {
            (_, Some(clock)) => Some(clock),
            (ContractVersion::V3, None) => None,
            (ContractVersion::V1, None) => {
                return Err(ValidationError::new(
                    "lamport_clock",
                    "is required: an unclocked event needs schema 3.0.0",
                )
                .under(version));
            }
        })?;
        Ok(Event {
            decoded,
            event_id: self.event_id.unwrap_or_else(EventId::generate),
            aggregate_id: non_empty(required(self.aggregate_id, "aggregate_id")?, "aggregate_id")?,
            payload,
            timestamp: self.timestamp.unwrap_or_else(Timestamp::now),
            node_id: non_empty(required(self.node_id, "node_id")?, "node_id")?,
            build_id,
            lamport_clock,
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
