//! The AWS item store: one DynamoDB table keyed by `id`, shared with the old Python service.
//!
//! Every read is one call (`GetItem` strongly consistent, or one `Query` on the list index);
//! every write is one conditional call whose condition carries the optimistic lock
//! (`attribute_not_exists` on create, `version` on everything else), followed by one more
//! that gives the collection a new revision (`revision`). When a condition fails,
//! DynamoDB returns the item as it is (`ReturnValuesOnConditionCheckFailure = ALL_OLD`), so
//! telling "gone" from "changed" from "full" needs no second read. The one exception: an old
//! item that `shelf migrate` has not reached yet gets its empty photo map in a second write
//! the first time a photo is attached to it.
//!
//! # Layout
//! - [`record`]: items ⇄ attribute maps, including the old service's format.
//! - [`table`]: the table and its list index (`shelf create-table`).
//! - [`migrate`]: `shelf migrate`, which backfills old items.
//! - `search`: search and filters, ranked here over a narrow index of what they look at.
//! - `locations`: the collection's locations, records of their own in the same table.
//! - `revision`: each collection's revision, which pages' entity tags are made from.
//! - `batch`: `BatchGetItem` with unprocessed keys asked for again.
//! - `errors`: SDK errors ⇄ store errors (503 or 500).
//! - `expression`: condition and update expressions with their name and value placeholders.

pub mod accounts;
mod batch;
mod errors;
mod expression;
mod locations;
pub mod migrate;
pub mod record;
mod revision;
mod search;
pub mod table;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};
use aws_sdk_dynamodb::Client;
use domain::access::{Edit, Permit, Read};
use domain::accounts::CollectionId;
use domain::item_filter::ItemFilter;
use domain::item_store::{
    Attached, Created, ItemStore, Page, PageLimit, StoreError, MOST_PHOTOS_PER_ITEM,
};
use domain::model::{Cursor, Item, ItemChange, ItemDraft, ItemId, PhotoId, PhotoRecord};
use domain::model::{LocationId, TagCount, Timestamp};
use domain::photo_store::PhotoUrls;
use domain::search::{SearchCursor, SearchPage};
use errors::store_error;
use expression::{version_condition, Expression, BUMP};
use record::Attributes;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub struct DynamoStore {
    client: Client,
    table: String,
    urls: Arc<dyn PhotoUrls>,
    /// Where items without a `collection` (the old service's) belong.
    legacy: Option<CollectionId>,
    /// Each collection's tag counts, every one of them, for a while: counting reads the whole
    /// search index, and the list page shows the counts on every load. This instance's own
    /// changes to an item's tags (or its deletion) drop them; another's show within the TTL.
    tag_counts: moka::sync::Cache<CollectionId, Arc<Vec<TagCount>>>,
    /// The revision this instance last read of each collection: one it has not seen means a
    /// change, possibly another instance's, and its tag counts are dropped (`revision`).
    seen_revisions: moka::sync::Cache<CollectionId, u64>,
    /// How long after a change pages get no tag ([`revision::SETTLING`] but in tests).
    revision_settling: std::time::Duration,
}

/// How long tag counts are reused without reading the index again.
const TAG_COUNTS_TTL: std::time::Duration = std::time::Duration::from_secs(30);
/// Collections whose tag counts are kept at once.
const TAG_COUNTS_KEPT: u64 = 10_000;

/// The item as it was when a conditional `UpdateItem`/`DeleteItem`/`PutItem` failed.
macro_rules! old_item {
    ($error:expr, $kind:path) => {
        match $error.as_service_error() {
            Some($kind(failed)) => Ok(failed.item().cloned()),
            _ => Err(store_error($error)),
        }
    };
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>, urls: Arc<dyn PhotoUrls>) -> Self {
        Self {
            client,
            table: table.into(),
            urls,
            legacy: None,
            tag_counts: moka::sync::Cache::builder()
                .max_capacity(TAG_COUNTS_KEPT)
                .time_to_live(TAG_COUNTS_TTL)
                .build(),
            seen_revisions: moka::sync::Cache::new(TAG_COUNTS_KEPT),
            revision_settling: revision::SETTLING,
        }
    }

    /// Pages get tags from a revision as soon as it is written: for tests of the revision
    /// itself, where nothing else is reading the indexes.
    pub fn with_revision_settling(mut self, settling: std::time::Duration) -> Self {
        self.revision_settling = settling;
        self
    }

    /// Items written without a collection (by the old service) count as `legacy`'s.
    pub fn with_legacy_collection(mut self, legacy: Option<CollectionId>) -> Self {
        self.legacy = legacy;
        self
    }

    /// Whether the stored item is in `collection`.
    fn belongs(&self, attributes: &Attributes, collection: &CollectionId) -> bool {
        match attributes.get(record::COLLECTION) {
            Some(AttributeValue::S(stored)) => *stored == collection.to_string(),
            _ => self.legacy.as_ref() == Some(collection),
        }
    }

    /// `condition`, and the item is in the permit's collection.
    fn scoped<A>(
        &self,
        permit: &Permit<A>,
        condition: String,
        expression: Expression,
    ) -> (String, Expression) {
        let collection = permit.collection();
        let expression = expression.value(":collection", record::s(collection.to_string()));
        let scope = if self.legacy.as_ref() == Some(collection) {
            "(#collection = :collection OR attribute_not_exists(#collection))"
        } else {
            "#collection = :collection"
        };
        (format!("{condition} AND {scope}"), expression)
    }

    fn item(&self, attributes: &Attributes) -> Result<Item, StoreError> {
        record::item(attributes, &*self.urls).map_err(|e| StoreError::Internal(Box::new(e)))
    }

    /// What a failed condition means, from the item as it was when the condition failed: gone,
    /// or at another version than expected. `None` if neither (the operation's own condition
    /// failed).
    fn version_failure(
        &self,
        collection: &CollectionId,
        old: Option<&Attributes>,
        expected: Option<u64>,
    ) -> Result<Option<StoreError>, StoreError> {
        let Some(old) = old.filter(|old| self.belongs(old, collection)) else {
            return Ok(Some(StoreError::NotFound));
        };
        let current = self.item(old)?;
        Ok(match expected {
            Some(version) if version != current.version => Some(StoreError::VersionConflict {
                current: Box::new(current),
            }),
            _ => None,
        })
    }

    /// The error for a failed condition: what [`Self::version_failure`] finds, else
    /// `otherwise` (the operation's own condition failed: no such photo, a bad order...).
    fn refusal(
        &self,
        collection: &CollectionId,
        old: Option<&Attributes>,
        expected: Option<u64>,
        otherwise: StoreError,
    ) -> StoreError {
        match self.version_failure(collection, old, expected) {
            Ok(failure) => failure.unwrap_or(otherwise),
            Err(unreadable) => unreadable,
        }
    }

    /// Gives an old item (written by the old service, not migrated yet) its empty photo map.
    /// A failed condition is fine: someone else added it meanwhile, or the item is gone, which
    /// the retried attach reports.
    async fn add_photo_map(&self, permit: &Permit<Edit>, id: &ItemId) -> Result<(), StoreError> {
        let expression = Expression::new().value(":empty", AttributeValue::M(HashMap::new()));
        let (condition, expression) = self.scoped(
            permit,
            "attribute_exists(#id) AND attribute_not_exists(#photos)".to_owned(),
            expression,
        );
        self.update_item(
            permit,
            id,
            "SET #photos = :empty".to_owned(),
            condition,
            expression,
            ReturnValue::None,
        )
        .await
        .map(drop)
    }

    /// One conditional `UpdateItem` of an item of the permit's collection: the item as
    /// `returns` asks when the condition held (and the collection has a new revision), or the
    /// item as it was (`None`: there is none) when it did not.
    async fn update_item(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        update: String,
        condition: String,
        expression: Expression,
        returns: ReturnValue,
    ) -> Result<Conditional, StoreError> {
        use aws_sdk_dynamodb::operation::update_item::UpdateItemError::ConditionalCheckFailedException as Failed;
        let (names, values) = expression.used_in(&[&update, &condition]);
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(record::ID, record::s(id.as_str()))
            .update_expression(update)
            .condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values(returns)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(output) => {
                self.new_revision(permit.collection()).await;
                Ok(Conditional::Done(output.attributes.unwrap_or_default()))
            }
            Err(error) => old_item!(error, Failed).map(Conditional::Failed),
        }
    }

    /// The attach itself; `Err(item as it was)` when its condition failed.
    async fn try_attach(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: &PhotoRecord,
        max_photos: usize,
        expected_version: Option<u64>,
    ) -> Result<Result<Attached, Attributes>, StoreError> {
        // Appended last: positions are times, and a reorder renumbers from 0.
        let now = Timestamp::now();
        let expression = Expression::new()
            .name("#photo", photo.id.as_str())
            .value(":photo", record::photo(photo, now.as_micros()))
            .value(":now", record::s(now.to_rfc3339()))
            .value(":max", record::n(max_photos));
        let (condition, expression) = version_condition(expected_version, expression);
        let (condition, expression) = self.scoped(permit, condition, expression);
        let update = format!("SET #photos.#photo = :photo, {BUMP}");
        let condition = format!(
            "{condition} AND attribute_exists(#photos) \
             AND attribute_not_exists(#photos.#photo) AND size(#photos) < :max"
        );
        match self
            .update_item(
                permit,
                id,
                update,
                condition,
                expression,
                ReturnValue::AllNew,
            )
            .await?
        {
            Conditional::Done(item) => Ok(Ok(Attached::New(self.item(&item)?))),
            Conditional::Failed(Some(old)) => Ok(Err(old)),
            Conditional::Failed(None) => Err(StoreError::NotFound),
        }
    }
}

impl DynamoStore {
    /// The record under `key` (an item's id, `location#…`, `revision#…`), read strongly.
    async fn read_record(&self, key: String) -> Result<Option<Attributes>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(record::ID, record::s(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(store_error)?;
        Ok(output.item)
    }
}

/// What a conditional write did.
enum Conditional {
    Done(Attributes),
    /// The condition failed; the item as it was then, if there was one.
    Failed(Option<Attributes>),
}

#[async_trait::async_trait]
impl ItemStore for DynamoStore {
    async fn create(
        &self,
        permit: &Permit<Edit>,
        id: ItemId,
        draft: ItemDraft,
    ) -> Result<Created, StoreError> {
        use aws_sdk_dynamodb::operation::put_item::PutItemError::ConditionalCheckFailedException as Failed;
        if let Some(location) = &draft.location {
            self.check_location(permit.collection(), location).await?;
        }
        let now = Timestamp::now();
        let attributes = record::new_item(permit.collection(), &id, &draft, now);
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(attributes.clone()))
            .condition_expression("attribute_not_exists(#id)")
            .expression_attribute_names("#id", record::ID)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(_) => {
                if !draft.tags.is_empty() {
                    self.tag_counts.invalidate(permit.collection());
                }
                self.new_revision(permit.collection()).await;
                Ok(Created::New(self.item(&attributes)?))
            }
            Err(error) => {
                let existing = old_item!(error, Failed)?.ok_or_else(|| {
                    StoreError::Internal("create failed without an existing item".into())
                })?;
                if !self.belongs(&existing, permit.collection()) {
                    return Err(StoreError::IdTakenElsewhere);
                }
                let existing = self.item(&existing)?;
                if existing.has_content_of(&draft) {
                    Ok(Created::Existing(existing))
                } else {
                    Err(StoreError::IdTaken {
                        existing: Box::new(existing),
                    })
                }
            }
        }
    }

    async fn get(&self, permit: &Permit<Read>, id: &ItemId) -> Result<Option<Item>, StoreError> {
        Ok(self
            .read_record(id.to_string())
            .await?
            .filter(|item| self.belongs(item, permit.collection()))
            .map(|item| self.item(&item))
            .transpose()?)
    }

    async fn find_anywhere(&self, id: &ItemId) -> Result<Option<Item>, StoreError> {
        self.read_record(id.to_string())
            .await?
            .map(|item| self.item(&item))
            .transpose()
    }

    async fn list(
        &self,
        permit: &Permit<Read>,
        limit: PageLimit,
        after: Option<&Cursor>,
    ) -> Result<Page, StoreError> {
        let limit = limit.get() as usize;
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(record::LIST_INDEX)
            .expression_attribute_names("#pk", record::LIST_PARTITION)
            .expression_attribute_values(
                ":pk",
                record::s(record::list_partition(permit.collection())),
            )
            .scan_index_forward(false)
            // One more than asked tells whether another page follows.
            .limit(i32::try_from(limit + 1).unwrap_or(i32::MAX));
        query = match after {
            None => query.key_condition_expression("#pk = :pk"),
            Some(cursor) => query
                .key_condition_expression("#pk = :pk AND #sk < :after")
                .expression_attribute_names("#sk", record::LIST_SORT)
                .expression_attribute_values(
                    ":after",
                    record::s(record::list_sort_key(cursor.created_at, &cursor.id)),
                ),
        };
        let output = query.send().await.map_err(store_error)?;
        // A record this version cannot read (written by hand, or by a newer or broken writer)
        // is left out and logged: one bad record must not take the whole list down with it.
        let mut items = Vec::with_capacity(output.items().len());
        for raw in output.items() {
            match record::item(raw, &*self.urls) {
                Ok(item) => items.push(item),
                Err(malformed) => {
                    metrics::counter!("shelf_malformed_records_total").increment(1);
                    tracing::error!(error = %malformed, "left out of a list page");
                }
            }
        }
        // A page can also end early at DynamoDB's 1 MB response limit; then LastEvaluatedKey
        // says more may follow, and the next page starts after the last item returned.
        let more = items.len() > limit || output.last_evaluated_key().is_some();
        items.truncate(limit);
        let next = more.then(|| items.last()).flatten().map(|last| Cursor {
            created_at: last.created_at,
            id: last.id.clone(),
        });
        Ok(Page { items, next })
    }

    async fn search(
        &self,
        permit: &Permit<Read>,
        filter: &ItemFilter,
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        self.find(permit.collection(), filter, limit, after).await
    }

    async fn tag_counts(
        &self,
        permit: &Permit<Read>,
        limit: usize,
    ) -> Result<Vec<TagCount>, StoreError> {
        self.count_tags(permit.collection(), limit).await
    }

    async fn location_counts(
        &self,
        permit: &Permit<Read>,
    ) -> Result<HashMap<LocationId, u64>, StoreError> {
        self.count_locations(permit.collection()).await
    }

    async fn update(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        change: ItemChange,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        let mut expression =
            Expression::new().value(":now", record::s(Timestamp::now().to_rfc3339()));
        let mut set = vec![BUMP.to_owned()];
        let mut remove = Vec::new();
        if let Some(name) = &change.name {
            set.push("#name = :name".into());
            expression = expression.value(":name", record::s(name.as_str()));
        }
        if let Some(description) = &change.description {
            set.push("#description = :description".into());
            expression = expression.value(":description", record::s(description.as_str()));
        }
        if let Some(tags) = &change.tags {
            set.push("#tags = :tags".into());
            expression = expression.value(":tags", record::tags(tags));
        }
        match change.quantity {
            None => {}
            Some(None) => remove.push("#quantity"),
            Some(Some(quantity)) => {
                set.push("#quantity = :quantity".into());
                expression = expression.value(":quantity", record::n(quantity.get()));
            }
        }
        match &change.location {
            None => {}
            Some(None) => remove.push("#location"),
            Some(Some(location)) => {
                self.check_location(permit.collection(), location).await?;
                set.push("#location = :location".into());
                expression = expression.value(":location", record::s(location.as_str()));
            }
        }
        let (condition, expression) = version_condition(expected_version, expression);
        let (condition, expression) = self.scoped(permit, condition, expression);
        let mut update = format!("SET {}", set.join(", "));
        if !remove.is_empty() {
            update.push_str(&format!(" REMOVE {}", remove.join(", ")));
        }
        match self
            .update_item(
                permit,
                id,
                update,
                condition,
                expression,
                ReturnValue::AllNew,
            )
            .await?
        {
            Conditional::Done(item) => {
                if change.tags.is_some() {
                    self.tag_counts.invalidate(permit.collection());
                }
                self.item(&item)
            }
            Conditional::Failed(old) => Err(self.refusal(
                permit.collection(),
                old.as_ref(),
                expected_version,
                StoreError::NotFound,
            )),
        }
    }

    async fn delete(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        use aws_sdk_dynamodb::operation::delete_item::DeleteItemError::ConditionalCheckFailedException as Failed;
        let (condition, expression) = version_condition(expected_version, Expression::new());
        let (condition, expression) = self.scoped(permit, condition, expression);
        let (names, values) = expression.used_in(&[&condition]);
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key(record::ID, record::s(id.as_str()))
            .condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values(ReturnValue::AllOld)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(output) => {
                self.tag_counts.invalidate(permit.collection());
                self.new_revision(permit.collection()).await;
                self.item(output.attributes().ok_or(StoreError::NotFound)?)
            }
            Err(error) => {
                let old = old_item!(error, Failed)?;
                Err(self.refusal(
                    permit.collection(),
                    old.as_ref(),
                    expected_version,
                    StoreError::NotFound,
                ))
            }
        }
    }

    async fn attach_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: PhotoRecord,
        max_photos: usize,
        expected_version: Option<u64>,
    ) -> Result<Attached, StoreError> {
        let mut added_photo_map = false;
        loop {
            let old = match self
                .try_attach(permit, id, &photo, max_photos, expected_version)
                .await?
            {
                Ok(attached) => return Ok(attached),
                Err(old) => old,
            };
            if !self.belongs(&old, permit.collection()) {
                return Err(StoreError::NotFound);
            }
            let current = self.item(&old)?;
            if current.photos.iter().any(|p| p.id == photo.id) {
                return Ok(Attached::Existing(current));
            }
            if let Some(failure) =
                self.version_failure(permit.collection(), Some(&old), expected_version)?
            {
                return Err(failure);
            }
            if current.photos.len() >= max_photos {
                return Err(StoreError::TooManyPhotos { max: max_photos });
            }
            if old.contains_key(record::PHOTOS) || added_photo_map {
                return Err(StoreError::Internal(
                    "attach failed its condition for no known reason".into(),
                ));
            }
            self.add_photo_map(permit, id).await?;
            added_photo_map = true;
        }
    }

    async fn remove_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: &PhotoId,
        expected_version: Option<u64>,
    ) -> Result<(Item, PhotoRecord), StoreError> {
        let now = Timestamp::now();
        let expression = Expression::new()
            .name("#photo", photo.as_str())
            .value(":now", record::s(now.to_rfc3339()));
        let (condition, expression) = version_condition(expected_version, expression);
        let (condition, expression) = self.scoped(permit, condition, expression);
        let update = format!("REMOVE #photos.#photo SET {BUMP}");
        let condition = format!("{condition} AND attribute_exists(#photos.#photo)");
        // The whole item as it was: the removed record is in it, and the item as it is now
        // follows from it without another read.
        match self
            .update_item(
                permit,
                id,
                update,
                condition,
                expression,
                ReturnValue::AllOld,
            )
            .await?
        {
            Conditional::Done(old) => {
                let mut item = self.item(&old)?;
                let removed = record::photo_records(&old)
                    .map_err(|e| StoreError::Internal(e.into()))?
                    .into_iter()
                    .find(|record| record.id == *photo)
                    .ok_or(StoreError::PhotoNotFound)?;
                item.photos.retain(|p| p.id != *photo);
                item.version += 1;
                item.updated_at = now;
                Ok((item, removed))
            }
            Conditional::Failed(old) => Err(self.refusal(
                permit.collection(),
                old.as_ref(),
                expected_version,
                StoreError::PhotoNotFound,
            )),
        }
    }

    async fn reorder_photos(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        order: &[PhotoId],
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        let unique: HashSet<&PhotoId> = order.iter().collect();
        if unique.len() != order.len() || order.len() > MOST_PHOTOS_PER_ITEM {
            return Err(StoreError::BadPhotoOrder);
        }
        let mut expression = Expression::new()
            .name("#pos", record::POSITION)
            .value(":now", record::s(Timestamp::now().to_rfc3339()))
            .value(":count", record::n(order.len()));
        // The condition names every photo and the count, so the order lists the item's
        // photos exactly: none missing, none foreign.
        let mut sets = Vec::with_capacity(order.len() + 1);
        let mut exists = Vec::with_capacity(order.len());
        for (position, photo) in order.iter().enumerate() {
            expression = expression
                .name(&format!("#p{position}"), photo.as_str())
                .value(&format!(":p{position}"), record::n(position));
            sets.push(format!("#photos.#p{position}.#pos = :p{position}"));
            exists.push(format!(" AND attribute_exists(#photos.#p{position})"));
        }
        sets.push(BUMP.to_owned());
        let (condition, expression) = version_condition(expected_version, expression);
        let (condition, expression) = self.scoped(permit, condition, expression);
        let update = format!("SET {}", sets.join(", "));
        let condition = format!("{condition} AND size(#photos) = :count{}", exists.concat());
        match self
            .update_item(
                permit,
                id,
                update,
                condition,
                expression,
                ReturnValue::AllNew,
            )
            .await?
        {
            Conditional::Done(item) => self.item(&item),
            Conditional::Failed(old) => Err(self.refusal(
                permit.collection(),
                old.as_ref(),
                expected_version,
                StoreError::BadPhotoOrder,
            )),
        }
    }

    async fn revision(&self, permit: &Permit<Read>) -> Result<Option<u64>, StoreError> {
        self.settled_revision(permit.collection()).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map(|_| ())
            .map_err(store_error)
    }

    /// DynamoDB takes writes in parallel: a bulk change's round trips overlap.
    fn writes_in_flight(&self) -> usize {
        8
    }
}
