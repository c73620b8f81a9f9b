//! Locations: named places that nest (House › Garage › Shelf 2 › Box 3), each item in at most
//! one of them.

use super::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest location name, in characters.
pub const LOCATION_NAME_MAX_CHARS: usize = 60;
/// Deepest nesting: a location at the top is at depth 1.
pub const MAX_LOCATION_DEPTH: usize = 8;
/// Most locations one collection has.
pub const MAX_LOCATIONS: usize = 1000;

/// The identifier of a location: a UUID, chosen by the server.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocationId(String);

/// Why a string is not a [`LocationId`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be a location's id (a UUID)")]
pub struct InvalidLocationId;

impl LocationId {
    pub fn parse(raw: &str) -> Result<Self, InvalidLocationId> {
        uuid::Uuid::try_parse(raw.trim())
            .map(|uuid| Self(uuid.hyphenated().to_string()))
            .map_err(|_| InvalidLocationId)
    }

    #[cfg(feature = "server")]
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7().hyphenated().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LocationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for LocationId {
    type Error = InvalidLocationId;
    fn try_from(raw: String) -> Result<Self, InvalidLocationId> {
        Self::parse(&raw)
    }
}

impl From<LocationId> for String {
    fn from(id: LocationId) -> String {
        id.0
    }
}

/// A validated location name: 1 to 60 characters after trimming, on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocationName(String);

impl LocationName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        let chars = name.chars().count();
        if chars == 0 {
            return Err("A location needs a name.".into());
        }
        if chars > LOCATION_NAME_MAX_CHARS {
            return Err(format!(
                "A location's name must be at most {LOCATION_NAME_MAX_CHARS} characters (it has {chars})."
            ));
        }
        if name.chars().any(char::is_control) {
            return Err("A location's name must be one line without control characters.".into());
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One location as stored and as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Location {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: LocationId,
    #[cfg_attr(feature = "openapi", schema(example = "Shelf 2"))]
    pub name: String,
    /// The location it is in; `null` at the top.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub parent: Option<LocationId>,
    /// Starts at 1 and grows by one with every change; the `ETag` of the location.
    pub version: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_in_one_spelling() {
        let id = LocationId::parse("67E55044-10B1-426F-9247-BB680E5FE0C8").unwrap();
        assert_eq!(id.as_str(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert!(LocationId::parse("garage").is_err());
    }

    #[test]
    fn names_are_trimmed_single_lines_within_the_limit() {
        assert_eq!(
            LocationName::parse("  Shelf 2 ").unwrap().as_str(),
            "Shelf 2"
        );
        assert!(LocationName::parse(" ").is_err());
        assert!(LocationName::parse("a\nb").is_err());
        assert!(LocationName::parse(&"x".repeat(LOCATION_NAME_MAX_CHARS)).is_ok());
        assert!(LocationName::parse(&"x".repeat(LOCATION_NAME_MAX_CHARS + 1)).is_err());
    }
}
