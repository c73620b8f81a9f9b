//! Search and tag filters on DynamoDB, without a search engine: a narrow index of every item's
//! name, description and tags, read whole and ranked here by the rules of
//! [`domain::item_filter`]. The collection's tag counts come from the same reading.
//!
//! The search index (`search_digest`) has the list index's keys (a partition per collection,
//! newest first) and projects only `name`, `description` and `tags`, so one `Query` page of
//! 1 MB holds thousands of items. A search reads the collection's part of it, newest first, in at most
//! [`MAX_DIGEST_PAGES`] pages, ranks every item in memory, and fetches the page of results
//! with one `BatchGetItem` (strongly consistent, so what is shown is current). Writes cost
//! nothing extra: DynamoDB keeps the index with each item write that changes the name, the
//! description or the tags (one index write), and photo changes touch no projected attribute.
//!
//! A search therefore costs `pages + 1` calls, `pages` growing with the collection: about one
//! per 2 500 items with ten-word descriptions (measured: `make bench-search`). Beyond [`MAX_DIGEST_PAGES`] pages only the newest items
//! are searched (logged and counted in `shelf_search_truncated_total`); such a catalogue wants
//! a search engine fed from DynamoDB Streams (`docs/storage.md`).

use super::batch;
use super::errors::store_error;
use super::record::{self, Attributes};
use super::DynamoStore;
use aws_sdk_dynamodb::types::AttributeValue;
use domain::accounts::CollectionId;
use domain::item_filter::{Candidate, ItemFilter};
use domain::item_store::{PageLimit, StoreError};
use domain::location_tree::LocationTree;
use domain::model::{Cursor, Item, ItemId, LocationId, Tag, TagCount, Timestamp};
use domain::search::{SearchCursor, SearchPage, Tier};
use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

/// Most pages of the search index one search reads.
pub const MAX_DIGEST_PAGES: usize = 20;
/// Rounds of `BatchGetItem` for keys DynamoDB left unprocessed (it does under throttling).
const BATCH_ROUNDS: usize = 3;

/// One matching item, as the index has it.
struct Hit {
    tier: Tier,
    created_at: Timestamp,
    id: ItemId,
}

impl DynamoStore {
    pub(super) async fn find(
        &self,
        collection: &CollectionId,
        filter: &ItemFilter,
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        let mut hits = self.ranked_hits(collection, filter).await?;
        if let Some(cursor) = after {
            hits.retain(|hit| cursor.is_before(hit.tier, hit.created_at, &hit.id));
        }
        let limit = limit.get() as usize;
        let more = hits.len() > limit;
        hits.truncate(limit);
        let next = more
            .then(|| hits.last())
            .flatten()
            .map(|last| SearchCursor {
                tier: last.tier,
                after: Cursor {
                    created_at: last.created_at,
                    id: last.id.clone(),
                },
            });
        let ids: Vec<&ItemId> = hits.iter().map(|hit| &hit.id).collect();
        let items = self.get_in_order(collection, &ids).await?;
        Ok(SearchPage { items, next })
    }

    /// Every item of the collection that the filter keeps, best first, newest first within a
    /// tier.
    async fn ranked_hits(
        &self,
        collection: &CollectionId,
        filter: &ItemFilter,
    ) -> Result<Vec<Hit>, StoreError> {
        // The names of the places items are in count as their words: an entry with a place
        // waits until the locations are read (one more call, only then), the rest rank now.
        let needs_places = filter.search().is_some();
        let (mut hits, mut placed) = (Vec::new(), Vec::new());
        self.read_digest(collection, |digest| {
            if needs_places && digest.contains_key(record::LOCATION) {
                placed.push(digest.clone());
            } else {
                hits.extend(hit(digest, filter, &HashMap::new()));
            }
        })
        .await?;
        if !placed.is_empty() {
            let places = LocationTree::new(self.read_locations(collection).await?).folded_paths();
            hits.extend(
                placed
                    .iter()
                    .filter_map(|digest| hit(digest, filter, &places)),
            );
        }
        hits.sort_by(|a, b| {
            (a.tier, Reverse(a.created_at), Reverse(&a.id)).cmp(&(
                b.tier,
                Reverse(b.created_at),
                Reverse(&b.id),
            ))
        });
        Ok(hits)
    }

    /// How many items are filed directly in each location.
    pub(super) async fn count_locations(
        &self,
        collection: &CollectionId,
    ) -> Result<HashMap<LocationId, u64>, StoreError> {
        let mut counts: HashMap<LocationId, u64> = HashMap::new();
        self.read_digest(collection, |digest| {
            if let Some(location) = record::location(digest) {
                *counts.entry(location).or_default() += 1;
            }
        })
        .await?;
        Ok(counts)
    }

    /// The collection's tags, most used first (then by key), each in its most used spelling.
    pub(super) async fn count_tags(
        &self,
        collection: &CollectionId,
        limit: usize,
    ) -> Result<Vec<TagCount>, StoreError> {
        let counted = match self.tag_counts.get(collection) {
            Some(counted) => counted,
            None => {
                let counted = Arc::new(self.read_tag_counts(collection).await?);
                self.tag_counts.insert(*collection, counted.clone());
                counted
            }
        };
        Ok(counted.iter().take(limit).cloned().collect())
    }

    /// Every tag of the collection, counted from the search index.
    async fn read_tag_counts(
        &self,
        collection: &CollectionId,
    ) -> Result<Vec<TagCount>, StoreError> {
        // key → (items, spelling → uses)
        let mut counts: HashMap<String, (u64, HashMap<Tag, u64>)> = HashMap::new();
        self.read_digest(collection, |digest| {
            for tag in record::read_tags(digest).unwrap_or_default().iter() {
                let (items, spellings) = counts.entry(tag.key()).or_default();
                *items += 1;
                *spellings.entry(tag.clone()).or_default() += 1;
            }
        })
        .await?;
        let mut counted: Vec<(String, TagCount)> = counts
            .into_iter()
            .filter_map(|(key, (items, spellings))| {
                let tag = spellings
                    .into_iter()
                    .min_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)))?
                    .0;
                Some((key, TagCount { tag, items }))
            })
            .collect();
        counted.sort_by(|(a, x), (b, y)| y.items.cmp(&x.items).then_with(|| a.cmp(b)));
        Ok(counted.into_iter().map(|(_, count)| count).collect())
    }

    /// Reads the collection's part of the search index, newest first, handing each entry to
    /// `each`: at most [`MAX_DIGEST_PAGES`] pages.
    async fn read_digest(
        &self,
        collection: &CollectionId,
        mut each: impl FnMut(&Attributes),
    ) -> Result<(), StoreError> {
        let mut start = None;
        for _ in 0..MAX_DIGEST_PAGES {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(record::SEARCH_INDEX)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", record::LIST_PARTITION)
                .expression_attribute_values(":pk", record::s(record::list_partition(collection)))
                .scan_index_forward(false)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(store_error)?;
            output.items().iter().for_each(&mut each);
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(());
            }
        }
        metrics::counter!("shelf_search_truncated_total").increment(1);
        tracing::warn!(
            pages = MAX_DIGEST_PAGES,
            "search read only the newest items of a large collection"
        );
        Ok(())
    }

    /// The items `ids` of the collection, in that order; any deleted meanwhile are left out.
    async fn get_in_order(
        &self,
        collection: &CollectionId,
        ids: &[&ItemId],
    ) -> Result<Vec<Item>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<Attributes> = ids
            .iter()
            .map(|id| HashMap::from([(record::ID.to_owned(), record::s(id.as_str()))]))
            .collect();
        let mut found: HashMap<String, Attributes> = HashMap::new();
        for item in batch::get_all(&self.client, &self.table, keys, BATCH_ROUNDS).await? {
            if let Some(AttributeValue::S(id)) = item.get(record::ID) {
                found.insert(id.clone(), item);
            }
        }
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            match found.get(id.as_str()) {
                Some(attributes) if self.belongs(attributes, collection) => {
                    items.push(self.item(attributes)?)
                }
                _ => {}
            }
        }
        Ok(items)
    }
}

/// How the item an index entry describes ranks, if the filter keeps it; `places` are the
/// folded paths of the locations. An entry whose tags cannot be read counts as having none
/// (the item itself is reported when read).
fn hit(
    digest: &Attributes,
    filter: &ItemFilter,
    places: &HashMap<LocationId, String>,
) -> Option<Hit> {
    let text = |name: &str| match digest.get(name) {
        Some(AttributeValue::S(text)) => text.as_str(),
        _ => "",
    };
    let tags = record::read_tags(digest).unwrap_or_default();
    let location = record::location(digest);
    let place = location
        .as_ref()
        .and_then(|l| places.get(l))
        .map_or("", String::as_str);
    let tier = filter.tier(Candidate {
        name: text(record::NAME),
        description: text(record::DESCRIPTION),
        tags: &tags,
        location: location.as_ref(),
        place,
    })?;
    let (micros, id) = text(record::LIST_SORT).split_once('#')?;
    Some(Hit {
        tier,
        created_at: Timestamp::from_micros(micros.parse().ok()?)?,
        id: ItemId::parse(id).ok()?,
    })
}
