//! Which items a list shows: those matching a search, those carrying some tags, or both.
//!
//! Both item stores answer a filter the same way: only items that have **every** tag asked
//! for (compared by [`Tag::key`]) and match the search (by the rules of [`crate::search`]; an
//! item's tags count as its words too), ranked by the search, newest first within a rank. A
//! filter of tags alone ranks every item it keeps alike, so they come newest first.

use crate::model::{Tag, Tags};
use crate::search::{fold, SearchQuery, Tier};

/// Most tags one filter asks for.
pub const MAX_FILTER_TAGS: usize = 10;

/// A search, some tags, or both: never neither (that is the plain list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemFilter {
    search: Option<SearchQuery>,
    /// Keys, distinct, in the order asked.
    tags: Vec<String>,
}

impl ItemFilter {
    /// The filter of `search` and `tags` (tags as written), `Ok(None)` when it would keep
    /// every item; a tag that is not one is refused with its message.
    pub fn new(search: Option<SearchQuery>, tags: &[String]) -> Result<Option<Self>, String> {
        let mut keys: Vec<String> = Vec::new();
        for raw in tags.iter().filter(|raw| !raw.trim().is_empty()) {
            let key = Tag::parse(raw)?.key();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        if keys.len() > MAX_FILTER_TAGS {
            return Err(format!("at most {MAX_FILTER_TAGS} tags at once"));
        }
        Ok((search.is_some() || !keys.is_empty()).then_some(Self { search, tags: keys }))
    }

    pub fn search(&self) -> Option<&SearchQuery> {
        self.search.as_ref()
    }

    /// The keys of the tags every kept item has.
    pub fn tag_keys(&self) -> &[String] {
        &self.tags
    }

    /// How an item with this name, other text and tags ranks, or `None` if it is not kept.
    pub fn tier(&self, name: &str, description: &str, tags: &Tags) -> Option<Tier> {
        if !self.tags.iter().all(|key| tags.has(key)) {
            return None;
        }
        match &self.search {
            None => Some(Tier::Exact),
            Some(query) => query.tier(&fold(name), &searchable_rest(description, tags)),
        }
    }
}

/// What search compares besides the name, folded: the description and the tags.
pub fn searchable_rest(description: &str, tags: &Tags) -> String {
    let mut text = fold(description);
    for tag in tags.iter() {
        text.push(' ');
        text.push_str(&tag.key());
    }
    text.trim_start().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &str) -> Tags {
        Tags::parse_list(list).unwrap()
    }

    #[test]
    fn neither_search_nor_tags_is_no_filter() {
        assert_eq!(ItemFilter::new(None, &[]), Ok(None));
        assert_eq!(ItemFilter::new(None, &[" ".into()]), Ok(None));
    }

    #[test]
    fn tags_are_compared_by_key_and_all_are_needed() {
        let filter = ItemFilter::new(None, &["Garage".into(), "POWER-tools".into()])
            .unwrap()
            .unwrap();
        assert_eq!(filter.tag_keys(), ["garage", "power tools"]);
        assert_eq!(
            filter.tier("Drill", "", &tags("garage, power tools, red")),
            Some(Tier::Exact)
        );
        assert_eq!(filter.tier("Drill", "", &tags("garage")), None);
    }

    #[test]
    fn a_search_matches_tags_as_words() {
        let search = SearchQuery::parse("drill kitchen").unwrap();
        let filter = ItemFilter::new(search, &[]).unwrap().unwrap();
        assert_eq!(
            filter.tier("Drill", "cordless", &tags("Kitchen")),
            Some(Tier::Whole)
        );
        assert_eq!(filter.tier("Drill", "cordless", &tags("garage")), None);
    }

    #[test]
    fn bad_or_too_many_tags_are_refused() {
        assert!(ItemFilter::new(None, &["a,b".into()]).is_err());
        let many: Vec<String> = (0..=MAX_FILTER_TAGS).map(|i| format!("t{i}")).collect();
        assert!(ItemFilter::new(None, &many).is_err());
    }
}
