//! Collections and who belongs to them.

use super::{CollectionId, Role};
use serde::{Deserialize, Serialize};

/// Longest collection name, in characters.
pub const COLLECTION_NAME_MAX_CHARS: usize = 60;

/// A validated collection name: 1 to 60 characters after trimming, on one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CollectionName(String);

impl CollectionName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        let chars = name.chars().count();
        if chars == 0 {
            return Err("Name is required.".into());
        }
        if chars > COLLECTION_NAME_MAX_CHARS {
            return Err(format!(
                "Name must be at most {COLLECTION_NAME_MAX_CHARS} characters (it has {chars})."
            ));
        }
        if name.chars().any(char::is_control) {
            return Err("Name must be a single line without control characters.".into());
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CollectionName {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

impl From<CollectionName> for String {
    fn from(name: CollectionName) -> String {
        name.0
    }
}

/// A collection as its members see it in the switcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    pub id: CollectionId,
    pub name: CollectionName,
}

/// One collection a user belongs to, with their role there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub collection: Collection,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(CollectionName::parse("  Home  ").unwrap().as_str(), "Home");
        assert!(CollectionName::parse(" ").is_err());
        assert!(CollectionName::parse(&"x".repeat(61)).is_err());
        assert!(CollectionName::parse("two\nlines").is_err());
        let json = serde_json::to_string(&CollectionName::parse("Shop").unwrap()).unwrap();
        assert_eq!(json, "\"Shop\"");
        assert!(serde_json::from_str::<CollectionName>("\"\"").is_err());
    }
}
