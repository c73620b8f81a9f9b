//! Tags: free-form labels an item carries, shared across a collection by their [`Tag::key`].
//!
//! A tag is written as the user likes ("Power tools"), but two tags that differ only in case,
//! accents or punctuation are one tag: their key ("power tools") is what filters, counts and
//! renames compare. These rules run in the browser too, so the form refuses what the server
//! would.

use crate::search::fold;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest tag, in characters.
pub const TAG_MAX_CHARS: usize = 40;
/// Most tags one item carries.
pub const MAX_TAGS_PER_ITEM: usize = 20;

/// A validated tag: 1 to 40 characters, one line, no commas (the form separates tags with
/// them), runs of white space as one space, and at least one letter or digit (its key).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

impl Tag {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let tag = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let chars = tag.chars().count();
        if chars == 0 {
            return Err("A tag cannot be empty.".into());
        }
        if chars > TAG_MAX_CHARS {
            return Err(format!(
                "Tag “{}…” is longer than {TAG_MAX_CHARS} characters.",
                tag.chars().take(TAG_MAX_CHARS).collect::<String>()
            ));
        }
        if tag.contains(',') || tag.chars().any(char::is_control) {
            return Err(format!(
                "Tag “{tag}” must not contain commas or control characters."
            ));
        }
        if fold(&tag).is_empty() {
            return Err(format!("Tag “{tag}” needs a letter or a digit."));
        }
        Ok(Self(tag))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What makes two tags the same: the tag folded (lower case, no accents, punctuation as
    /// spaces).
    pub fn key(&self) -> String {
        fold(&self.0)
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Tag {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

impl From<Tag> for String {
    fn from(tag: Tag) -> String {
        tag.0
    }
}

/// An item's tags: at most [`MAX_TAGS_PER_ITEM`], no two with the same key, sorted by key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct Tags(Vec<Tag>);

impl Tags {
    /// Tags as the form's text field holds them: separated by commas (or new lines).
    pub fn parse_list(raw: &str) -> Result<Self, String> {
        Self::parse_all(
            raw.split([',', '\n'])
                .filter(|part| !part.trim().is_empty()),
        )
    }

    /// Tags one by one, as the API's array holds them. A tag whose key an earlier one has is
    /// dropped (the first spelling wins).
    pub fn parse_all<'a>(raw: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut tags = Vec::new();
        for raw in raw {
            tags.push(Tag::parse(raw)?);
        }
        Self::from_tags(tags)
    }

    pub fn from_tags(tags: Vec<Tag>) -> Result<Self, String> {
        let mut unique: Vec<(String, Tag)> = Vec::with_capacity(tags.len());
        for tag in tags {
            let key = tag.key();
            if !unique.iter().any(|(seen, _)| *seen == key) {
                unique.push((key, tag));
            }
        }
        if unique.len() > MAX_TAGS_PER_ITEM {
            return Err(format!(
                "An item can have at most {MAX_TAGS_PER_ITEM} tags (this has {}).",
                unique.len()
            ));
        }
        unique.sort_by(|(a, _), (b, _)| a.cmp(b));
        Ok(Self(unique.into_iter().map(|(_, tag)| tag).collect()))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Tag> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|tag| tag.key() == key)
    }

    /// The tags as the form's text field shows them.
    pub fn to_list(&self) -> String {
        self.0
            .iter()
            .map(Tag::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// These tags with `add` added and the tags keyed `remove` removed; more than
    /// [`MAX_TAGS_PER_ITEM`] is refused.
    pub fn changed(&self, add: &[Tag], remove: &[String]) -> Result<Self, String> {
        let kept = self.0.iter().filter(|tag| !remove.contains(&tag.key()));
        Self::from_tags(kept.chain(add).cloned().collect())
    }

    /// These tags with the one keyed `from` spelled `to` instead (merged into `to`, spelled
    /// as given, if the item has both), or `None` if it has no tag keyed `from`.
    pub fn renamed(&self, from: &str, to: &Tag) -> Option<Self> {
        if !self.has(from) {
            return None;
        }
        let to_key = to.key();
        let kept = self
            .0
            .iter()
            .filter(|tag| tag.key() != from && tag.key() != to_key)
            .cloned();
        // At most as many tags as before, so never over the limit.
        Self::from_tags(kept.chain([to.clone()]).collect()).ok()
    }
}

impl TryFrom<Vec<String>> for Tags {
    type Error = String;
    fn try_from(raw: Vec<String>) -> Result<Self, String> {
        Self::parse_all(raw.iter().map(String::as_str))
    }
}

impl From<Tags> for Vec<String> {
    fn from(tags: Tags) -> Vec<String> {
        tags.0.into_iter().map(String::from).collect()
    }
}

/// One tag of a collection and how many items carry it: what autocompletion offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagCount {
    /// The spelling shown (the most common one, or the first in order if tied).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "Power tools"))]
    pub tag: Tag,
    pub items: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_single_spaced_and_bounded() {
        assert_eq!(
            Tag::parse("  power \t tools ").unwrap().as_str(),
            "power tools"
        );
        assert!(Tag::parse("   ").is_err());
        assert!(Tag::parse(&"t".repeat(TAG_MAX_CHARS)).is_ok());
        let long = Tag::parse(&"t".repeat(TAG_MAX_CHARS + 1)).unwrap_err();
        assert!(long.contains("longer than 40"), "{long}");
        assert!(Tag::parse("a,b").is_err());
        assert!(Tag::parse("bell\u{7}").is_err());
        assert!(Tag::parse("!!!").unwrap_err().contains("letter or a digit"));
    }

    #[test]
    fn keys_ignore_case_accents_and_punctuation() {
        let key = |raw: &str| Tag::parse(raw).unwrap().key();
        assert_eq!(key("Café"), "cafe");
        assert_eq!(key("POWER-tools"), key("power tools"));
    }

    #[test]
    fn a_list_keeps_the_first_spelling_of_each_tag_sorted_by_key() {
        let tags = Tags::parse_list("garden, Kitchen,\nkitchen , Attic,,").unwrap();
        assert_eq!(tags.to_list(), "Attic, garden, Kitchen");
        assert!(tags.has("kitchen"));
        assert!(!tags.has("cellar"));
    }

    #[test]
    fn an_item_has_at_most_twenty_tags() {
        let twenty: Vec<String> = (0..MAX_TAGS_PER_ITEM).map(|i| format!("t{i}")).collect();
        assert!(Tags::try_from(twenty.clone()).is_ok());
        let mut more = twenty;
        more.push("one more".into());
        let err = Tags::try_from(more).unwrap_err();
        assert!(err.contains("at most 20"), "{err}");
    }

    #[test]
    fn changes_and_renames_keep_the_rules() {
        let tags = Tags::parse_list("red, blue").unwrap();
        let green = Tag::parse("Green").unwrap();
        let changed = tags
            .changed(std::slice::from_ref(&green), &["red".into()])
            .unwrap();
        assert_eq!(changed.to_list(), "blue, Green");
        assert_eq!(tags.renamed("green", &green), None);
        let merged = tags.renamed("red", &Tag::parse("Blue").unwrap()).unwrap();
        assert_eq!(merged.to_list(), "Blue");
        let renamed = tags
            .renamed("red", &Tag::parse("Crimson").unwrap())
            .unwrap();
        assert_eq!(renamed.to_list(), "blue, Crimson");
    }

    #[test]
    fn json_is_an_array_of_strings_and_bad_ones_are_refused() {
        let tags: Tags = serde_json::from_str(r#"["b", "A", "a"]"#).unwrap();
        assert_eq!(serde_json::to_string(&tags).unwrap(), r#"["A","b"]"#);
        assert!(serde_json::from_str::<Tags>(r#"["ok", ""]"#).is_err());
    }
}
