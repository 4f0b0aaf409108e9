//! A downstream crate declares event types of its own with
//! `spec_kitty_events::define_event_types!`, decodes them, reads them through
//! the getters and emits them, naming nothing but `spec_kitty_events` and std:
//! no `serde`, `serde_json` or `uuid` of its own.
//!
//! The case also proves that the expansion names nothing but `$crate` (and
//! `::core`). trybuild gives a pass case this crate's normal dependencies as
//! well, `serde` among them, so compiling is not proof enough on its own: the
//! second declaration, in `no_prelude`, sits in a `#[no_implicit_prelude]`
//! module, where neither the std prelude (`Option`, `Vec`, `Result`,
//! `TryFrom`, ...) nor the extern prelude (`serde`, `paste`, ...) is in scope,
//! so an expansion that leaned on either would not compile. (Only a `::serde`
//! path would slip through; the macro writes `::` paths for `::core` alone.)
//! That is also why a crate that renames `spec-kitty-events` in its
//! `Cargo.toml` can use the macro: trybuild cannot rename the dependency of a
//! pass case, so this is the check for it.

use spec_kitty_events::ValidationError;
use spec_kitty_events::contract::{Event, EventPayload, NonEmptyString};

spec_kitty_events::define_event_types! {
    /// The payloads of a deployment extension.
    pub enum DeployPayload;

    /// A deployment was asked for.
    #[event_type(DeployRequested, const DEPLOY_REQUESTED)]
    pub struct DeployRequestedPayload {
        /// Where to deploy.
        environment: NonEmptyString,
        /// Who approved it, when someone did.
        approver: Option<NonEmptyString>,
        /// The services to deploy; absent on the wire means all of them.
        #[serde(default)]
        services: Vec<NonEmptyString>,
    }
    check = production_needs_an_approver;

    /// A deployment was rolled back; the enum holds it boxed.
    #[event_type(DeployRolledBack, const DEPLOY_ROLLED_BACK)]
    #[variant(boxed)]
    pub struct DeployRolledBackPayload {
        /// Where it was rolled back.
        environment: NonEmptyString,
        /// Why, when said.
        reason: Option<NonEmptyString>,
    }
}

fn production_needs_an_approver(
    fields: &DeployRequestedPayloadFields,
) -> Result<(), ValidationError> {
    if fields.environment.as_str() == "production" && fields.approver.is_none() {
        return Err(ValidationError::new(
            "approver",
            "a production deployment needs an approver",
        ));
    }
    Ok(())
}

/// The same macro where no prelude is in scope: only `::core` and the paths
/// written out here resolve.
#[no_implicit_prelude]
mod no_prelude {
    ::spec_kitty_events::define_event_types! {
        /// One event type, declared without any prelude.
        pub enum IsolatedPayload;

        /// Something happened somewhere.
        #[event_type(SomethingHappened, const SOMETHING_HAPPENED)]
        #[variant(boxed)]
        pub struct SomethingHappenedPayload {
            /// What happened.
            what: ::spec_kitty_events::contract::NonEmptyString,
            /// Where, when known.
            place: Option<::spec_kitty_events::contract::NonEmptyString>,
            /// Labels; absent on the wire means none.
            #[serde(default)]
            labels: Vec<::spec_kitty_events::contract::NonEmptyString>,
        }
        check = always_fine;
    }

    fn always_fine(
        _fields: &SomethingHappenedPayloadFields,
    ) -> ::core::result::Result<(), ::spec_kitty_events::ValidationError> {
        ::core::result::Result::Ok(())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The wire names and the enum's list of them.
    assert_eq!(DEPLOY_REQUESTED, "DeployRequested");
    assert_eq!(DEPLOY_ROLLED_BACK, "DeployRolledBack");
    assert_eq!(
        DeployPayload::EVENT_TYPES,
        [DEPLOY_REQUESTED, DEPLOY_ROLLED_BACK]
    );
    assert_eq!(DeployRequestedPayload::EVENT_TYPE, DEPLOY_REQUESTED);

    // Decoding, by event type; an event type not declared here is `None`.
    let decoded = DeployPayload::decode(
        DEPLOY_REQUESTED,
        r#"{"environment":"production","approver":"ada","services":["api","web"],"extra":1}"#,
    )?;
    let Some(DeployPayload::DeployRequested(requested)) = decoded else {
        panic!("a DeployRequested payload, got {decoded:?}");
    };
    assert_eq!(
        DeployPayload::from(requested.clone()).event_type(),
        DEPLOY_REQUESTED
    );
    assert_eq!(DeployPayload::decode("MissionStarted", "{}")?, None);

    // The getters: `&T`, `Option<&T>`, `&[T]`.
    let environment: &NonEmptyString = requested.environment();
    let approver: Option<&NonEmptyString> = requested.approver();
    let services: &[NonEmptyString] = requested.services();
    assert_eq!(environment.as_str(), "production");
    assert_eq!(approver.map(NonEmptyString::as_str), Some("ada"));
    assert_eq!(
        services
            .iter()
            .map(NonEmptyString::as_str)
            .collect::<Vec<_>>(),
        ["api", "web"]
    );

    // `#[serde(default)]` and an absent `Option`.
    let Some(DeployPayload::DeployRolledBack(rolled_back)) =
        DeployPayload::decode(DEPLOY_ROLLED_BACK, r#"{"environment":"staging"}"#)?
    else {
        panic!("a DeployRolledBack payload");
    };
    // `#[variant(boxed)]`: the variant holds a `Box`, the getters reach
    // through it, `From` boxes.
    let reason: Option<&NonEmptyString> = rolled_back.reason();
    assert_eq!(reason, None);
    let unboxed: DeployRolledBackPayload = *rolled_back.clone();
    assert_eq!(
        DeployPayload::from(unboxed),
        DeployPayload::DeployRolledBack(rolled_back)
    );
    let Some(DeployPayload::DeployRequested(staging)) =
        DeployPayload::decode(DEPLOY_REQUESTED, r#"{"environment":"staging"}"#)?
    else {
        panic!("a DeployRequested payload");
    };
    let no_services: &[NonEmptyString] = staging.services();
    assert!(no_services.is_empty());

    // Errors name the payload field: a missing required field, a field rule,
    // the cross-field rule, a payload that is not an object.
    let missing = DeployPayload::decode(DEPLOY_ROLLED_BACK, r#"{"reason":"flaky"}"#).unwrap_err();
    assert_eq!(missing.field(), "payload.environment");
    let missing = DeployPayload::decode(DEPLOY_REQUESTED, "{}").unwrap_err();
    assert_eq!(missing.field(), "payload.environment");
    let empty = DeployPayload::decode(DEPLOY_REQUESTED, r#"{"environment":""}"#).unwrap_err();
    assert_eq!(empty.field(), "payload.environment");
    let unapproved =
        DeployPayload::decode(DEPLOY_REQUESTED, r#"{"environment":"production"}"#).unwrap_err();
    assert_eq!(unapproved.field(), "payload.approver");
    assert!(DeployPayload::decode(DEPLOY_REQUESTED, "[]").is_err());

    // `try_from` runs the same cross-field rule.
    let unchecked = DeployRequestedPayloadFields {
        environment: "production".parse()?,
        approver: None,
        services: vec![],
    };
    assert_eq!(
        DeployRequestedPayload::try_from(unchecked)
            .unwrap_err()
            .field(),
        "approver"
    );

    // Emitting: the event type comes from the payload's type.
    let payload = DeployRequestedPayload::try_from(DeployRequestedPayloadFields {
        environment: "staging".parse()?,
        approver: None,
        services: vec!["api".parse()?],
    })?;
    let event = Event::builder(&payload)
        .aggregate_id("deploy-1")
        .node_id("ci")
        .lamport_clock(1)
        .project_uuid("00000000-0000-0000-0000-000000000001")
        .correlation_id("01JKQ4V7C00000000000000C0R")
        .build()?;
    assert_eq!(event.event_type(), DEPLOY_REQUESTED);
    assert_eq!(
        event.payload().json(),
        r#"{"environment":"staging","approver":null,"services":["api"]}"#
    );
    let round_trip = DeployPayload::decode(event.event_type(), event.payload().json())?;
    assert_eq!(round_trip, Some(DeployPayload::DeployRequested(payload)));

    // The declaration made without a prelude works the same.
    let Some(no_prelude::IsolatedPayload::SomethingHappened(happened)) =
        no_prelude::IsolatedPayload::decode(no_prelude::SOMETHING_HAPPENED, r#"{"what":"it"}"#)?
    else {
        panic!("a SomethingHappened payload");
    };
    let happened: Box<no_prelude::SomethingHappenedPayload> = happened;
    let what: &NonEmptyString = happened.what();
    let place: Option<&NonEmptyString> = happened.place();
    let labels: &[NonEmptyString] = happened.labels();
    assert_eq!((what.as_str(), place, labels.len()), ("it", None, 0));
    assert_eq!(
        no_prelude::IsolatedPayload::decode(no_prelude::SOMETHING_HAPPENED, "{}")
            .unwrap_err()
            .field(),
        "payload.what"
    );
    Ok(())
}
