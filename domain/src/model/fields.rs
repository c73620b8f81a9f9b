//! The editable fields of an item and the rules they follow.
//!
//! These types run on both sides: the form checks input in the browser with exactly the rules
//! the server enforces, because it is the same code.

use super::{LocationId, Tags};
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

/// Largest quantity an item can have.
pub const QUANTITY_MAX: u32 = 1_000_000;

/// How many of the item there are: a whole number from 0 (none left) to [`QUANTITY_MAX`].
/// Optional: an item without one is simply there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Quantity(u32);

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

impl Quantity {
    /// The form's text: blank is no quantity.
    pub fn parse(raw: &str) -> Result<Option<Self>, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        match raw.parse::<u32>() {
            Ok(n) => Self::new(n).map(Some),
            Err(_) => Err(format!(
                "Quantity must be a whole number from 0 to {QUANTITY_MAX}, or blank."
            )),
        }
    }

    pub fn new(n: u32) -> Result<Self, String> {
        if n > QUANTITY_MAX {
            return Err(format!("Quantity must be at most {QUANTITY_MAX}."));
        }
        Ok(Self(n))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Quantity {
    type Error = String;
    fn try_from(n: u32) -> Result<Self, String> {
        Self::new(n)
    }
}

impl From<Quantity> for u32 {
    fn from(quantity: Quantity) -> u32 {
        quantity.0
    }
}

/// The user-editable part of an item, validated as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemDraft {
    pub name: ItemName,
    pub description: ItemDescription,
    pub tags: Tags,
    pub quantity: Option<Quantity>,
    /// Where it is; the item service checks that the location exists.
    pub location: Option<LocationId>,
}

impl ItemDraft {
    /// Validates the name and the description (no tags, no quantity) and reports every
    /// failure at once, keyed by field name.
    pub fn parse(name: &str, description: &str) -> Result<Self, FieldErrors> {
        Self::parse_form(name, description, "", "", "")
    }

    /// Validates every field as the item form posts them (tags separated by commas, the
    /// quantity as text, the location's id or blank) and reports every failure at once, keyed
    /// by field name.
    pub fn parse_form(
        name: &str,
        description: &str,
        tags: &str,
        quantity: &str,
        location: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = checked(&mut errors, "name", ItemName::parse(name));
        let description = checked(
            &mut errors,
            "description",
            ItemDescription::parse(description),
        );
        let tags = checked(&mut errors, "tags", Tags::parse_list(tags));
        let quantity = checked(&mut errors, "quantity", Quantity::parse(quantity));
        let location = match location.trim() {
            "" => Some(None),
            raw => checked(
                &mut errors,
                "location",
                LocationId::parse(raw).map(Some).map_err(|e| e.to_string()),
            ),
        };
        match (name, description, tags, quantity, location) {
            (Some(name), Some(description), Some(tags), Some(quantity), Some(location)) => {
                Ok(Self {
                    name,
                    description,
                    tags,
                    quantity,
                    location,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The value, or `None` with its message recorded under `field`.
fn checked<T>(errors: &mut FieldErrors, field: &str, result: Result<T, String>) -> Option<T> {
    result
        .map_err(|message| errors.insert(field.to_owned(), message))
        .ok()
}

/// What an update writes: only the fields given (`Some`), so a client that knows nothing of
/// the newer ones (one written for the old service) leaves them as they are rather than
/// erasing them, and a change to many items touches only what it is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemChange {
    pub name: Option<ItemName>,
    pub description: Option<ItemDescription>,
    pub tags: Option<Tags>,
    /// `Some(None)` removes the quantity.
    pub quantity: Option<Option<Quantity>>,
    /// `Some(None)`: in no location any more.
    pub location: Option<Option<LocationId>>,
}

impl From<ItemDraft> for ItemChange {
    fn from(draft: ItemDraft) -> Self {
        Self {
            name: Some(draft.name),
            description: Some(draft.description),
            tags: Some(draft.tags),
            quantity: Some(draft.quantity),
            location: Some(draft.location),
        }
    }
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
        let errors = ItemDraft::parse_form("", "", "ok, ,", "-1", "garage").unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            vec!["location", "name", "quantity"]
        );
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        let errors = ItemDraft::parse_form("Lamp", "", &many.join(","), "", "").unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), vec!["tags"]);
    }

    #[test]
    fn quantity_is_blank_or_a_bounded_whole_number() {
        assert_eq!(Quantity::parse("  "), Ok(None));
        assert_eq!(Quantity::parse(" 0 ").unwrap().unwrap().get(), 0);
        assert_eq!(
            Quantity::parse("1000000").unwrap().unwrap().get(),
            QUANTITY_MAX
        );
        for bad in ["1000001", "-1", "1.5", "two", "99999999999"] {
            assert!(Quantity::parse(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Quantity>("1000001").is_err());
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
