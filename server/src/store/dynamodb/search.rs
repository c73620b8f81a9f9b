//! Search on DynamoDB, without a search engine: a narrow index of every item's name and
//! description, read whole and ranked here by the rules of [`domain::search`].
//!
//! The search index (`search_digest`) has the list index's keys (a partition per collection,
//! newest first) and projects only `name` and `description`, so one `Query` page of 1 MB holds
//! thousands of items. A search reads the collection's part of it, newest first, in at most
//! [`MAX_DIGEST_PAGES`] pages, ranks every item in memory, and fetches the page of results
//! with one `BatchGetItem` (strongly consistent, so what is shown is current). Writes cost
//! nothing extra: DynamoDB keeps the index with each item write that changes the name or the
//! description (one index write), and photo changes touch no projected attribute.
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
use domain::item_store::{PageLimit, StoreError};
use domain::model::{Cursor, Item, ItemId, Timestamp};
use domain::search::{fold, SearchCursor, SearchPage, SearchQuery, Tier};
use std::cmp::Reverse;
use std::collections::HashMap;

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
        query: &SearchQuery,
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        let mut hits = self.ranked_hits(collection, query).await?;
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

    /// Every item of the collection that matches, best first, newest first within a tier.
    async fn ranked_hits(
        &self,
        collection: &CollectionId,
        query: &SearchQuery,
    ) -> Result<Vec<Hit>, StoreError> {
        let mut hits = Vec::new();
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
            hits.extend(
                output
                    .items()
                    .iter()
                    .filter_map(|digest| hit(digest, query)),
            );
            start = output.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        if start.is_some() {
            metrics::counter!("shelf_search_truncated_total").increment(1);
            tracing::warn!(
                pages = MAX_DIGEST_PAGES,
                "search read only the newest items of a large collection"
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

/// How the item an index entry describes matches the query, if it does.
fn hit(digest: &Attributes, query: &SearchQuery) -> Option<Hit> {
    let text = |name: &str| match digest.get(name) {
        Some(AttributeValue::S(text)) => text.as_str(),
        _ => "",
    };
    let tier = query.tier(&fold(text(record::NAME)), &fold(text(record::DESCRIPTION)))?;
    let (micros, id) = text(record::LIST_SORT).split_once('#')?;
    Some(Hit {
        tier,
        created_at: Timestamp::from_micros(micros.parse().ok()?)?,
        id: ItemId::parse(id).ok()?,
    })
}
