//! `#[variant(…)]` takes one layout, `boxed`: anything else is refused with
//! a message naming the attribute and the payload.

use spec_kitty_events::contract::NonEmptyString;

spec_kitty_events::define_event_types! {
    /// The payloads of a deployment extension.
    pub enum DeployPayload;

    /// A deployment was asked for.
    #[event_type(DeployRequested, const DEPLOY_REQUESTED)]
    #[variant(inline)]
    pub struct DeployRequestedPayload {
        /// Where to deploy.
        environment: NonEmptyString,
    }
}

fn main() {}
