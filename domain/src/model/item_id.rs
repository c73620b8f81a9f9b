//! Item identifiers: UUIDs (any version) or ULIDs, kept in one canonical spelling.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// The identifier of an item.
///
/// Clients may choose ids themselves (idempotent create), so an id is validated rather than
/// trusted: it is either a UUID, stored in lowercase hyphenated form, or a ULID, stored in
/// uppercase. Canonicalising means `ABC…` and `abc…` name the same item everywhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ItemId(String);

/// Why a string is not an [`ItemId`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be a UUID or a ULID")]
pub struct InvalidItemId;

/// Crockford's base32 alphabet, as ULIDs use it (no I, L, O, U).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl ItemId {
    /// Parses and canonicalises an id.
    pub fn parse(raw: &str) -> Result<Self, InvalidItemId> {
        if let Ok(uuid) = uuid::Uuid::try_parse(raw) {
            return Ok(Self(uuid.hyphenated().to_string()));
        }
        let upper = raw.to_ascii_uppercase();
        // A ULID is 128 bits in 26 characters, so the first one can only be 0..=7.
        let is_ulid = upper.len() == 26
            && upper.bytes().all(|b| CROCKFORD.contains(&b))
            && upper.as_bytes()[0] <= b'7';
        if is_ulid {
            Ok(Self(upper))
        } else {
            Err(InvalidItemId)
        }
    }

    /// A new id for an item whose client did not choose one: a UUIDv7, so ids sort by creation
    /// time like the list does.
    #[cfg(feature = "server")]
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7().hyphenated().to_string())
    }

    /// The nil UUID, which no item is given: for keys that must name nothing.
    pub fn nil() -> Self {
        Self(uuid::Uuid::nil().hyphenated().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ItemId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn uuids_are_lowercased_and_hyphenated() {
        let id = ItemId::parse("{67E55044-10B1-426F-9247-BB680E5FE0C8}").unwrap();
        assert_eq!(id.as_str(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
        let simple = ItemId::parse("67e5504410b1426f9247bb680e5fe0c8").unwrap();
        assert_eq!(simple, id);
    }

    #[test]
    fn ulids_are_uppercased() {
        let id = ItemId::parse("01arz3ndektsv4rrffq69g5fav").unwrap();
        assert_eq!(id.as_str(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
    }

    #[test]
    fn rejects_what_is_neither() {
        for raw in [
            "",
            "new",
            "../etc/passwd",
            "01ARZ3NDEKTSV4RRFFQ69G5FA",  // 25 characters
            "81ARZ3NDEKTSV4RRFFQ69G5FAV", // overflows 128 bits
            "01ARZ3NDEKTSV4RRFFQ69G5FAU", // U is not Crockford
            "67e55044-10b1-426f-9247-bb680e5fe0c",
            "ü7e55044-10b1-426f-9247-bb680e5fe0c8",
        ] {
            assert_eq!(ItemId::parse(raw), Err(InvalidItemId), "{raw:?}");
        }
        assert!(ItemId::parse(&"a".repeat(10_000)).is_err());
    }

    #[cfg(feature = "server")]
    #[test]
    fn generated_ids_parse_back_to_themselves() {
        let id = ItemId::generate();
        assert_eq!(ItemId::parse(id.as_str()), Ok(id));
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_is_idempotent(raw in "\\PC{0,40}") {
            if let Ok(id) = ItemId::parse(&raw) {
                prop_assert_eq!(ItemId::parse(id.as_str()), Ok(id.clone()));
            }
        }

        #[test]
        fn every_uuid_is_accepted(bytes in any::<[u8; 16]>()) {
            let uuid = uuid::Uuid::from_bytes(bytes);
            let id = ItemId::parse(&uuid.simple().to_string().to_uppercase()).unwrap();
            prop_assert_eq!(id.as_str(), uuid.hyphenated().to_string());
        }
    }
}
