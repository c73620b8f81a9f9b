//! Identifiers of users, collections, credentials and one-time links: UUIDs, generated only by
//! the server, always printed lowercase and hyphenated.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, String> {
                uuid::Uuid::try_parse(raw.trim())
                    .map(Self)
                    .map_err(|_| format!("{} must be a UUID.", $what))
            }

            pub fn from_uuid(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

uuid_id!(
    /// A user account. A UUIDv7: sorts by creation.
    UserId,
    "A user id"
);
uuid_id!(
    /// A collection of items. A UUIDv7, or for the collection that anonymous access names a
    /// UUIDv5 of its name, so every instance started with the same name agrees on it.
    CollectionId,
    "A collection id"
);
uuid_id!(
    /// A session or an API token: the public half of the credential, shown in lists.
    CredentialId,
    "A credential id"
);
uuid_id!(
    /// An invite or a password-reset link.
    LinkId,
    "A link id"
);

#[cfg(feature = "server")]
impl UserId {
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7())
    }
}

#[cfg(feature = "server")]
impl CollectionId {
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7())
    }

    /// The id of the collection called `name` by configuration (`--anonymous-collection`).
    pub fn named(name: &str) -> Self {
        /// Shelf's own namespace for name-based collection ids (a random UUIDv4, fixed).
        const NAMESPACE: uuid::Uuid = uuid::uuid!("9b1c0a6e-4f3d-4c55-9a57-2d0f7e1b8c42");
        Self(uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes()))
    }
}

#[cfg(feature = "server")]
impl CredentialId {
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

#[cfg(feature = "server")]
impl LinkId {
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_canonically_and_parse_back() {
        let id = UserId::parse("67E55044-10B1-426F-9247-BB680E5FE0C8").unwrap();
        assert_eq!(id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert_eq!(UserId::parse(&id.to_string()), Ok(id));
        assert!(CollectionId::parse("home")
            .unwrap_err()
            .contains("collection id"));
    }

    #[cfg(feature = "server")]
    #[test]
    fn named_collections_have_stable_distinct_ids() {
        assert_eq!(
            CollectionId::named("Old service"),
            CollectionId::named("Old service")
        );
        assert_ne!(
            CollectionId::named("Old service"),
            CollectionId::named("old service")
        );
    }
}
