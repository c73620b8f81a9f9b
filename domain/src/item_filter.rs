//! Which items a list shows: those matching a search, those carrying some tags, those in a
//! location (or anywhere inside it), or any of these together.
//!
//! Both item stores answer a filter the same way: only items that have **every** tag asked
//! for (compared by [`Tag::key`]), are within the locations asked for, and match the search
//! (by the rules of [`crate::search`]; an item's tags and the names of the locations it is in
//! count as its words too), ranked by the search, newest first within a rank. A filter without
//! a search ranks every item it keeps alike, so they come newest first.

use crate::model::{LocationId, Tag, Tags};
use crate::search::{fold, SearchQuery, Tier};

/// Most tags one filter asks for.
pub const MAX_FILTER_TAGS: usize = 10;

/// A search, some tags, a place, or some of these: never none (that is the plain list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemFilter {
    search: Option<SearchQuery>,
    /// Keys, distinct, in the order asked.
    tags: Vec<String>,
    /// The location asked for and every location inside it.
    within: Option<Vec<LocationId>>,
}

/// An item as a filter sees it.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub tags: &'a Tags,
    pub location: Option<&'a LocationId>,
    /// The names of its location and those it is in, folded
    /// ([`crate::location_tree::LocationTree::folded_paths`]).
    pub place: &'a str,
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
        Ok((search.is_some() || !keys.is_empty()).then_some(Self {
            search,
            tags: keys,
            within: None,
        }))
    }

    /// Only the items in one of `locations` (a location and those inside it).
    pub fn within(self, locations: Vec<LocationId>) -> Self {
        Self {
            within: Some(locations),
            ..self
        }
    }

    /// `filter` (if any) narrowed to the items in one of `within` (if given).
    pub fn narrowed(filter: Option<Self>, within: Option<Vec<LocationId>>) -> Option<Self> {
        match (filter, within) {
            (filter, None) => filter,
            (Some(filter), Some(within)) => Some(filter.within(within)),
            (None, Some(within)) => Some(Self::in_locations(within)),
        }
    }

    /// The items in one of `locations`, and nothing else asked.
    pub fn in_locations(locations: Vec<LocationId>) -> Self {
        Self {
            search: None,
            tags: Vec::new(),
            within: Some(locations),
        }
    }

    /// The locations a kept item must be in, if that is asked.
    pub fn locations(&self) -> Option<&[LocationId]> {
        self.within.as_deref()
    }

    pub fn search(&self) -> Option<&SearchQuery> {
        self.search.as_ref()
    }

    /// The keys of the tags every kept item has.
    pub fn tag_keys(&self) -> &[String] {
        &self.tags
    }

    /// How the item ranks, or `None` if it is not kept.
    pub fn tier(&self, item: Candidate<'_>) -> Option<Tier> {
        if !self.tags.iter().all(|key| item.tags.has(key)) {
            return None;
        }
        if let Some(within) = &self.within {
            if !item
                .location
                .is_some_and(|location| within.contains(location))
            {
                return None;
            }
        }
        match &self.search {
            None => Some(Tier::Exact),
            Some(query) => query.tier(
                &fold(item.name),
                &searchable_rest(item.description, item.tags, item.place),
            ),
        }
    }
}

/// What search compares besides the name, folded: the description, the tags, and the names of
/// the places the item is in (already folded).
pub fn searchable_rest(description: &str, tags: &Tags, place: &str) -> String {
    let mut text = fold(description);
    for tag in tags.iter() {
        text.push(' ');
        text.push_str(&tag.key());
    }
    if !place.is_empty() {
        text.push(' ');
        text.push_str(place);
    }
    text.trim_start().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &str) -> Tags {
        Tags::parse_list(list).unwrap()
    }

    fn item<'a>(name: &'a str, description: &'a str, tags: &'a Tags) -> Candidate<'a> {
        Candidate {
            name,
            description,
            tags,
            location: None,
            place: "",
        }
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
        let kept = tags("garage, power tools, red");
        assert_eq!(filter.tier(item("Drill", "", &kept)), Some(Tier::Exact));
        let not = tags("garage");
        assert_eq!(filter.tier(item("Drill", "", &not)), None);
    }

    #[test]
    fn a_search_matches_tags_as_words() {
        let search = SearchQuery::parse("drill kitchen").unwrap();
        let filter = ItemFilter::new(search, &[]).unwrap().unwrap();
        let kitchen = tags("Kitchen");
        assert_eq!(
            filter.tier(item("Drill", "cordless", &kitchen)),
            Some(Tier::Whole)
        );
        let garage = tags("garage");
        assert_eq!(filter.tier(item("Drill", "cordless", &garage)), None);
        // The place's names count too.
        let search = SearchQuery::parse("drill shelf").unwrap();
        let filter = ItemFilter::new(search, &[]).unwrap().unwrap();
        let shelved = Candidate {
            place: "house garage shelf 2",
            ..item("Drill", "", &garage)
        };
        assert_eq!(filter.tier(shelved), Some(Tier::Whole));
    }

    #[test]
    fn a_place_keeps_the_items_within_it() {
        let shelf = LocationId::parse("00000000-0000-4000-8000-000000000001").unwrap();
        let other = LocationId::parse("00000000-0000-4000-8000-000000000002").unwrap();
        let filter = ItemFilter::in_locations(vec![shelf.clone()]);
        let none = Tags::default();
        let at = |location| Candidate {
            location,
            ..item("Drill", "", &none)
        };
        assert_eq!(filter.tier(at(Some(&shelf))), Some(Tier::Exact));
        assert_eq!(filter.tier(at(Some(&other))), None);
        assert_eq!(filter.tier(at(None)), None);
    }

    #[test]
    fn bad_or_too_many_tags_are_refused() {
        assert!(ItemFilter::new(None, &["a,b".into()]).is_err());
        let many: Vec<String> = (0..=MAX_FILTER_TAGS).map(|i| format!("t{i}")).collect();
        assert!(ItemFilter::new(None, &many).is_err());
    }
}
