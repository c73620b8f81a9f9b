//! Locations on DynamoDB: records of their own in the items table, so that an item and its
//! place live in one table.
//!
//! A location's record is keyed `location#{id}` (no item id has a `#`) and sits in the list
//! index under a partition of its own per collection, `locations#{collection}`: the whole tree
//! of a collection is one `Query` (a thousand small records fit in one 1 MB page). That index
//! is eventually consistent, so a write that depends on the tree does not trust it alone: it is
//! one `TransactWriteItems` that also checks, strongly, that every location on the path it
//! relies on is still at the version read (a move elsewhere meanwhile fails the write instead
//! of making a loop), and a location the reading did not see yet is refused as unknown.

use super::errors::store_error;
use super::expression::Expression;
use super::record::{self, Attributes};
use super::DynamoStore;
use aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure;
use aws_sdk_dynamodb::types::{ConditionCheck, Delete, Put, TransactWriteItem, Update};
use domain::access::{Edit, Permit, Read};
use domain::accounts::CollectionId;
use domain::item_store::StoreError;
use domain::location_store::{at_version, created_before, new_location, room_for_new};
use domain::location_store::{LocationChange, LocationError, LocationStore};
use domain::location_tree::LocationTree;
use domain::model::MAX_LOCATIONS;
use domain::model::{Location, LocationId, LocationName, Timestamp};
use std::collections::HashMap;

const PARENT: &str = "parent";

/// The record key of a location.
fn key(id: &LocationId) -> String {
    format!("location#{id}")
}

fn partition(collection: &CollectionId) -> String {
    format!("locations#{collection}")
}

fn location(attributes: &Attributes) -> Result<Location, StoreError> {
    let malformed = |what: &str| StoreError::Internal(format!("location record: {what}").into());
    let text = |name: &str| attributes.get(name).and_then(|v| v.as_s().ok());
    let id = text(record::ID)
        .and_then(|raw| raw.strip_prefix("location#"))
        .and_then(|raw| LocationId::parse(raw).ok())
        .ok_or_else(|| malformed("id"))?;
    let time = |name: &str| {
        text(name)
            .and_then(|raw| Timestamp::parse_rfc3339(raw))
            .ok_or_else(|| malformed(name))
    };
    Ok(Location {
        id,
        name: text(record::NAME)
            .ok_or_else(|| malformed("name"))?
            .to_owned(),
        parent: text(PARENT).and_then(|raw| LocationId::parse(raw).ok()),
        version: attributes
            .get(record::VERSION)
            .and_then(record::number)
            .ok_or_else(|| malformed("version"))?,
        created_at: time(record::CREATED_AT)?,
        updated_at: time(record::UPDATED_AT)?,
    })
}

fn attributes(collection: &CollectionId, location: &Location) -> Attributes {
    let mut attributes = HashMap::from([
        (record::ID.to_owned(), record::s(key(&location.id))),
        (
            record::COLLECTION.to_owned(),
            record::s(collection.to_string()),
        ),
        (record::NAME.to_owned(), record::s(&location.name)),
        (record::VERSION.to_owned(), record::n(location.version)),
        (
            record::CREATED_AT.to_owned(),
            record::s(location.created_at.to_rfc3339()),
        ),
        (
            record::UPDATED_AT.to_owned(),
            record::s(location.updated_at.to_rfc3339()),
        ),
        (
            record::LIST_PARTITION.to_owned(),
            record::s(partition(collection)),
        ),
        (
            record::LIST_SORT.to_owned(),
            record::s(location.id.as_str()),
        ),
    ]);
    if let Some(parent) = &location.parent {
        attributes.insert(PARENT.to_owned(), record::s(parent.as_str()));
    }
    attributes
}

impl DynamoStore {
    /// The collection's locations as the list index has them now.
    pub(super) async fn read_locations(
        &self,
        collection: &CollectionId,
    ) -> Result<Vec<Location>, StoreError> {
        let mut locations = Vec::new();
        let mut start = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(record::LIST_INDEX)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", record::LIST_PARTITION)
                .expression_attribute_values(":pk", record::s(partition(collection)))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(store_error)?;
            for raw in output.items() {
                locations.push(location(raw)?);
            }
            start = output.last_evaluated_key;
            if start.is_none() || locations.len() >= MAX_LOCATIONS {
                locations.truncate(MAX_LOCATIONS);
                return Ok(locations);
            }
        }
    }

    /// The location `id` of the collection, read strongly.
    async fn read_location(
        &self,
        collection: &CollectionId,
        id: &LocationId,
    ) -> Result<Option<Location>, StoreError> {
        match self.read_record(key(id)).await? {
            Some(found) if self.belongs(&found, collection) => Ok(Some(location(&found)?)),
            _ => Ok(None),
        }
    }

    /// The location, read strongly, at the version the caller expects.
    async fn current(
        &self,
        collection: &CollectionId,
        id: &LocationId,
        expected_version: Option<u64>,
    ) -> Result<Location, LocationError> {
        let location = self
            .read_location(collection, id)
            .await?
            .ok_or(LocationError::NotFound)?;
        at_version(location, expected_version)
    }

    /// Refuses to file an item in a location the collection does not have.
    pub(super) async fn check_location(
        &self,
        collection: &CollectionId,
        id: &LocationId,
    ) -> Result<(), StoreError> {
        match self.read_location(collection, id).await? {
            Some(_) => Ok(()),
            None => Err(StoreError::NoSuchLocation),
        }
    }

    /// Checks, in a transaction, that every location on `path` is still at the version read.
    fn path_unchanged(&self, path: &[&Location]) -> Result<Vec<TransactWriteItem>, StoreError> {
        path.iter()
            .map(|on_path| {
                let check = ConditionCheck::builder()
                    .table_name(&self.table)
                    .key(record::ID, record::s(key(&on_path.id)))
                    .condition_expression("#version = :version")
                    .expression_attribute_names("#version", record::VERSION)
                    .expression_attribute_values(":version", record::n(on_path.version))
                    .build()
                    .map_err(|e| StoreError::Internal(Box::new(e)))?;
                Ok(TransactWriteItem::builder().condition_check(check).build())
            })
            .collect()
    }

    /// Runs `writes` to `collection`'s locations as one transaction, with the collection's
    /// new revision; a failed condition is a [`LocationError`] of the caller's choosing
    /// (something changed meanwhile), found by reading again.
    async fn transact(
        &self,
        collection: &CollectionId,
        mut writes: Vec<TransactWriteItem>,
    ) -> Result<bool, StoreError> {
        use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException as Canceled;
        writes.push(self.new_revision_in_transaction(collection)?);
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(writes))
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(error) => match error.as_service_error() {
                Some(Canceled(canceled))
                    if canceled
                        .cancellation_reasons()
                        .iter()
                        .any(|reason| reason.code() == Some("ConditionalCheckFailed")) =>
                {
                    Ok(false)
                }
                _ => Err(store_error(error)),
            },
        }
    }
}

/// A write refused because what it relied on changed meanwhile: the caller reads again.
fn changed_meanwhile() -> LocationError {
    LocationError::Store(StoreError::Unavailable(
        "the locations changed meanwhile; try again".into(),
    ))
}

#[async_trait::async_trait]
impl LocationStore for DynamoStore {
    async fn locations(&self, permit: &Permit<Read>) -> Result<Vec<Location>, StoreError> {
        self.read_locations(permit.collection()).await
    }

    async fn create_location(
        &self,
        permit: &Permit<Edit>,
        id: LocationId,
        name: LocationName,
        parent: Option<LocationId>,
    ) -> Result<Location, LocationError> {
        let collection = permit.collection();
        if let Some(existing) = self.read_location(collection, &id).await? {
            return created_before(Some(existing), &name, &parent);
        }
        let tree = LocationTree::new(self.read_locations(collection).await?);
        let path = room_for_new(&tree, parent.as_ref())?;
        let created = new_location(id, &name, parent);
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(attributes(collection, &created)))
            .condition_expression("attribute_not_exists(#id)")
            .expression_attribute_names("#id", record::ID)
            .build()
            .map_err(|e| StoreError::Internal(Box::new(e)))?;
        let mut writes = vec![TransactWriteItem::builder().put(put).build()];
        writes.extend(self.path_unchanged(&path)?);
        if self.transact(collection, writes).await? {
            Ok(created)
        } else {
            Err(changed_meanwhile())
        }
    }

    async fn change_location(
        &self,
        permit: &Permit<Edit>,
        id: &LocationId,
        change: LocationChange,
        expected_version: Option<u64>,
    ) -> Result<Location, LocationError> {
        let collection = permit.collection();
        let current = self.current(collection, id, expected_version).await?;
        let mut path = Vec::new();
        let tree;
        if let Some(parent) = &change.parent {
            tree = LocationTree::new(self.read_locations(collection).await?);
            tree.check_move(id, parent.as_ref())?;
            path = parent.as_ref().map(|p| tree.path(p)).unwrap_or_default();
        }
        let changed = change.applied_to(&current);
        let expression = Expression::new()
            .name("#parent", PARENT)
            .value(":name", record::s(&changed.name))
            .value(":version", record::n(changed.version))
            .value(":expected", record::n(current.version))
            .value(":now", record::s(changed.updated_at.to_rfc3339()));
        let (update, expression) = match &changed.parent {
            Some(parent) => (
                "SET #name = :name, #parent = :parent, #version = :version, #updated_at = :now",
                expression.value(":parent", record::s(parent.as_str())),
            ),
            None => (
                "SET #name = :name, #version = :version, #updated_at = :now REMOVE #parent",
                expression,
            ),
        };
        let condition = "#version = :expected";
        let (names, values) = expression.used_in(&[update, condition]);
        let write = Update::builder()
            .table_name(&self.table)
            .key(record::ID, record::s(key(id)))
            .update_expression(update)
            .condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .build()
            .map_err(|e| StoreError::Internal(Box::new(e)))?;
        let mut writes = vec![TransactWriteItem::builder().update(write).build()];
        writes.extend(self.path_unchanged(&path)?);
        if self.transact(collection, writes).await? {
            return Ok(changed);
        }
        // The location itself changed (a conflict), or the path it was moving into did.
        match self.read_location(collection, id).await? {
            None => Err(LocationError::NotFound),
            Some(now) if now.version != current.version => Err(LocationError::VersionConflict {
                current: Box::new(now),
            }),
            Some(_) => Err(changed_meanwhile()),
        }
    }

    async fn delete_location(
        &self,
        permit: &Permit<Edit>,
        id: &LocationId,
        expected_version: Option<u64>,
    ) -> Result<Location, LocationError> {
        let collection = permit.collection();
        let current = self.current(collection, id, expected_version).await?;
        let tree = LocationTree::new(self.read_locations(collection).await?);
        if !tree.children(Some(id)).is_empty() {
            return Err(LocationError::HasLocationsInside);
        }
        let delete = Delete::builder()
            .table_name(&self.table)
            .key(record::ID, record::s(key(id)))
            .condition_expression("#version = :expected")
            .expression_attribute_names("#version", record::VERSION)
            .expression_attribute_values(":expected", record::n(current.version))
            .build()
            .map_err(|e| StoreError::Internal(Box::new(e)))?;
        if self
            .transact(
                collection,
                vec![TransactWriteItem::builder().delete(delete).build()],
            )
            .await?
        {
            Ok(current)
        } else {
            match self.read_location(collection, id).await? {
                None => Err(LocationError::NotFound),
                Some(now) => Err(LocationError::VersionConflict {
                    current: Box::new(now),
                }),
            }
        }
    }
}
