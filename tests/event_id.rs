//! `EventId`: any text either parses into an id that writes back the same
//! text or is refused (never a panic); every UUID parses in the three
//! spellings 11.0.0 accepts, and every ULID the crate makes is a ULID.

use proptest::prelude::*;
use spec_kitty_events::contract::{EventId, Ulid};

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_an_id_written_back_as_read_or_refused(text in any::<String>()) {
        if let Ok(id) = EventId::parse(&text) {
            prop_assert_eq!(id.as_str(), text.as_str());
            prop_assert!(id.as_ulid().is_some() != id.as_uuid().is_some());
        }
    }

    #[test]
    fn every_uuid_parses_hyphenated_bare_and_upper_case(bits in any::<u128>()) {
        let uuid = uuid::Uuid::from_u128(bits);
        for text in [
            uuid.hyphenated().to_string(),
            uuid.simple().to_string(),
            uuid.hyphenated().to_string().to_uppercase(),
        ] {
            let id = EventId::parse(&text).unwrap();
            prop_assert_eq!(id.as_uuid(), Some(uuid));
            prop_assert_eq!(id.to_string(), text);
        }
    }

    #[test]
    fn ids_order_as_their_text(a in any::<u128>(), b in any::<u128>()) {
        let (a, b) = (ulid::Ulid(a).to_string(), uuid::Uuid::from_u128(b).to_string());
        let (x, y) = (EventId::parse(&a).unwrap(), EventId::parse(&b).unwrap());
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
        prop_assert_eq!(x.as_ulid().map(|u| u.to_string()), Some(a));
    }
}

#[test]
fn a_made_id_is_a_ulid() {
    let id = EventId::generate();
    assert_eq!(id.as_str().len(), Ulid::LEN);
    assert!(id.as_ulid().is_some());
}
