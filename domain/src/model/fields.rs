//! The editable fields of an item and the rules they follow.
//!
//! These types run on both sides: the form checks input in the browser with exactly the rules
//! the server enforces, because it is the same code.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest name, in characters (Unicode scalar values, as the old service counted them).
pub const NAME_MAX_CHARS: usize = 100;
/// Longest description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 500;

/// A validated item name: 1 to 100 characters after trimming, on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemName(String);

/// A validated description: at most 500 characters after trimming; line breaks allowed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ItemDescription(String);

/// Field name → human message, for every field that failed. Serialises as the `fields` object
/// of an error response.
pub type FieldErrors = BTreeMap<String, String>;

impl ItemName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = Self::canonical(raw);
        let chars = name.chars().count();
        if chars == 0 {
            return Err("Name is required.".into());
        }
        if chars > NAME_MAX_CHARS {
            return Err(format!(
                "Name must be at most {NAME_MAX_CHARS} characters (it has {chars})."
            ));
        }
        if name.chars().any(char::is_control) {
            return Err("Name must be a single line without control characters.".into());
        }
        Ok(Self(name.to_owned()))
    }

    /// The characters of `raw` that the length limit counts: what the form's counter shows
    /// as the user types.
    pub fn counted_chars(raw: &str) -> usize {
        Self::canonical(raw).chars().count()
    }

    /// What would be stored: the name without surrounding white space.
    fn canonical(raw: &str) -> &str {
        raw.trim()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ItemDescription {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let description = Self::canonical(raw);
        let chars = description.chars().count();
        if chars > DESCRIPTION_MAX_CHARS {
            return Err(format!(
                "Description must be at most {DESCRIPTION_MAX_CHARS} characters (it has {chars})."
            ));
        }
        if description
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err("Description must not contain control characters.".into());
        }
        Ok(Self(description))
    }

    /// The characters of `raw` that the length limit counts: what the form's counter shows
    /// as the user types.
    pub fn counted_chars(raw: &str) -> usize {
        Self::canonical(raw).chars().count()
    }

    /// What would be stored: line breaks as LF, without surrounding white space. Browsers
    /// submit textarea line breaks as CRLF but count them as one character while the user
    /// types; normalising first keeps the browser's count and the server's equal.
    fn canonical(raw: &str) -> String {
        raw.replace("\r\n", "\n").trim().to_owned()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The user-editable part of an item, validated as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemDraft {
    pub name: ItemName,
    pub description: ItemDescription,
}

impl ItemDraft {
    /// Validates both fields and reports every failure at once, keyed by field name.
    pub fn parse(name: &str, description: &str) -> Result<Self, FieldErrors> {
        let name = ItemName::parse(name);
        let description = ItemDescription::parse(description);
        match (name, description) {
            (Ok(name), Ok(description)) => Ok(Self { name, description }),
            (name, description) => {
                let mut errors = FieldErrors::new();
                if let Err(message) = name {
                    errors.insert("name".into(), message);
                }
                if let Err(message) = description {
                    errors.insert("description".into(), message);
                }
                Err(errors)
            }
        }
    }
}

/// Raw form input, as typed: what the form shows again after a failed save, so nothing the user
/// wrote is lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn name_is_trimmed() {
        assert_eq!(ItemName::parse("  Lamp \t").unwrap().as_str(), "Lamp");
    }

    #[test]
    fn blank_names_are_required() {
        for raw in ["", "   ", "\t\n"] {
            assert_eq!(ItemName::parse(raw), Err("Name is required.".into()));
        }
    }

    #[test]
    fn name_length_counts_characters_not_bytes() {
        let hundred_emoji = "🦀".repeat(100);
        assert!(ItemName::parse(&hundred_emoji).is_ok());
        let err = ItemName::parse(&"é".repeat(101)).unwrap_err();
        assert_eq!(err, "Name must be at most 100 characters (it has 101).");
        let err = ItemName::parse(&"x".repeat(10_000)).unwrap_err();
        assert!(err.contains("10000"), "{err}");
    }

    #[test]
    fn names_are_one_line() {
        assert!(ItemName::parse("two\nlines").is_err());
        assert!(ItemName::parse("bell\u{7}").is_err());
    }

    #[test]
    fn description_may_be_empty_and_keeps_inner_line_breaks() {
        assert_eq!(ItemDescription::parse("").unwrap().as_str(), "");
        let d = ItemDescription::parse(" first\r\n\tsecond \r\n").unwrap();
        assert_eq!(d.as_str(), "first\n\tsecond");
    }

    #[test]
    fn description_limit_counts_crlf_as_one() {
        let text = format!("{}\r\n{}", "a".repeat(250), "b".repeat(249));
        assert!(ItemDescription::parse(&text).is_ok());
        let too_long = format!("{text}c");
        assert!(ItemDescription::parse(&too_long).is_err());
    }

    #[test]
    fn counters_count_what_the_limits_count() {
        assert_eq!(ItemName::counted_chars("  🦀 lamp \t"), 6);
        assert_eq!(ItemDescription::counted_chars(" a\r\nb\n "), 3);
        let limit = format!("{}\r\n{}", "a".repeat(250), "b".repeat(249));
        assert_eq!(
            ItemDescription::counted_chars(&limit),
            DESCRIPTION_MAX_CHARS
        );
        assert!(ItemDescription::parse(&limit).is_ok());
    }

    #[test]
    fn draft_reports_every_field() {
        let errors = ItemDraft::parse(" ", &"d".repeat(501)).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            vec!["description", "name"]
        );
    }

    proptest! {
        #[test]
        fn accepted_names_are_trimmed_single_lines_within_the_limit(raw in "\\PC{0,120}|\\s{0,3}\\PC{0,3}\\s{0,3}") {
            match ItemName::parse(&raw) {
                Ok(name) => {
                    let n = name.as_str().chars().count();
                    prop_assert!((1..=NAME_MAX_CHARS).contains(&n));
                    prop_assert_eq!(name.as_str(), name.as_str().trim());
                    prop_assert!(!name.as_str().chars().any(char::is_control));
                    // Validation is idempotent: a stored name is always accepted again.
                    prop_assert_eq!(ItemName::parse(name.as_str()), Ok(name.clone()));
                }
                Err(_) => {
                    let trimmed = raw.trim();
                    let n = trimmed.chars().count();
                    prop_assert!(n == 0 || n > NAME_MAX_CHARS || trimmed.chars().any(char::is_control));
                }
            }
        }

        #[test]
        fn accepted_descriptions_fit_and_are_stable(raw in "(\\PC|\r\n|\n|\t){0,520}") {
            match ItemDescription::parse(&raw) {
                Ok(d) => {
                    prop_assert!(d.as_str().chars().count() <= DESCRIPTION_MAX_CHARS);
                    prop_assert!(!d.as_str().contains('\r'));
                    prop_assert_eq!(ItemDescription::parse(d.as_str()), Ok(d.clone()));
                }
                Err(_) => {
                    let normalised = raw.replace("\r\n", "\n");
                    let trimmed = normalised.trim();
                    prop_assert!(
                        trimmed.chars().count() > DESCRIPTION_MAX_CHARS
                            || trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
                    );
                }
            }
        }
    }
}
