//! The location storage boundary: a collection's locations, created, renamed, moved and
//! deleted with the tree's rules kept at the moment of the write.
//!
//! Both item stores implement it (the locations live beside the items: the same SQLite file,
//! the same DynamoDB table), so an item and the location it is filed in are always in one
//! place. What holds the items in a location is the item's own `location` field; moving the
//! items out before a delete is the caller's work ([`crate::organise`]).

use crate::access::{Edit, Permit, Read};
use crate::item_store::{ItemStore, StoreError};
use crate::location_tree::{LocationTree, MoveError};
use crate::model::{Location, LocationId, LocationName, Timestamp};
use crate::model::{MAX_LOCATIONS, MAX_LOCATION_DEPTH};
use std::collections::HashMap;
use std::sync::Arc;

pub type SharedLocationStore = Arc<dyn LocationStore>;

#[async_trait::async_trait]
pub trait LocationStore: Send + Sync {
    /// Every location of the collection, at most [`MAX_LOCATIONS`].
    async fn locations(&self, permit: &Permit<Read>) -> Result<Vec<Location>, StoreError>;

    /// Creates a location under `id` in `parent` (at the top for `None`). Creating the same
    /// id again with the same name and parent returns the location (a retried form); the
    /// parent must exist, and the new location must not be too deep nor one too many.
    async fn create_location(
        &self,
        permit: &Permit<Edit>,
        id: LocationId,
        name: LocationName,
        parent: Option<LocationId>,
    ) -> Result<Location, LocationError>;

    /// Renames and/or moves the location (with everything inside it), if it is at
    /// `expected_version` (or unconditionally when `None`). A move is checked against the tree
    /// as it is when written, so two moves at once can never make a loop.
    async fn change_location(
        &self,
        permit: &Permit<Edit>,
        id: &LocationId,
        change: LocationChange,
        expected_version: Option<u64>,
    ) -> Result<Location, LocationError>;

    /// Deletes a location that has no location inside it. Items still filed in it are shown
    /// in no location; the caller moves them first.
    async fn delete_location(
        &self,
        permit: &Permit<Edit>,
        id: &LocationId,
        expected_version: Option<u64>,
    ) -> Result<Location, LocationError>;
}

/// The location `id` and every location inside it, or `None` if the collection has no such
/// location: what "the items in this location" covers.
pub async fn subtree_of(
    store: &dyn LocationStore,
    permit: &Permit<Read>,
    id: &LocationId,
) -> Result<Option<Vec<LocationId>>, StoreError> {
    let tree = LocationTree::new(store.locations(permit).await?);
    Ok(tree.get(id).is_some().then(|| tree.subtree(id)))
}

/// The collection's locations as a tree, and how many items each holds, inside it included.
pub async fn overview(
    items: &dyn ItemStore,
    locations: &dyn LocationStore,
    permit: &Permit<Read>,
) -> Result<(LocationTree, HashMap<LocationId, u64>), StoreError> {
    let tree = LocationTree::new(locations.locations(permit).await?);
    let counts = tree.subtree_counts(&items.location_counts(permit).await?);
    Ok((tree, counts))
}

/// What a change of a location writes: the fields given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocationChange {
    pub name: Option<LocationName>,
    /// `Some(None)`: to the top.
    pub parent: Option<Option<LocationId>>,
}

impl LocationChange {
    /// `current` with this change made: the next version, changed now.
    pub fn applied_to(&self, current: &Location) -> Location {
        Location {
            name: self
                .name
                .as_ref()
                .map_or(current.name.clone(), |name| name.as_str().to_owned()),
            parent: self.parent.clone().unwrap_or(current.parent.clone()),
            version: current.version + 1,
            updated_at: Timestamp::now().max(current.created_at),
            ..current.clone()
        }
    }
}

/// What a create of an id already taken found: the same location (the create was retried,
/// so it is answered with what it made), or another one (`existing` is `None` when the id is
/// another collection's).
pub fn created_before(
    existing: Option<Location>,
    name: &LocationName,
    parent: &Option<LocationId>,
) -> Result<Location, LocationError> {
    match existing {
        Some(existing) if existing.name == name.as_str() && existing.parent == *parent => {
            Ok(existing)
        }
        _ => Err(LocationError::IdTaken),
    }
}

/// Where a new location in `parent` (at the top for `None`) goes, its path outermost first,
/// if the tree has room for it: one more location, a parent that exists, not too deep.
pub fn room_for_new<'a>(
    tree: &'a LocationTree,
    parent: Option<&LocationId>,
) -> Result<Vec<&'a Location>, LocationError> {
    if tree.len() >= MAX_LOCATIONS {
        return Err(LocationError::TooMany);
    }
    let Some(parent) = parent else {
        return Ok(Vec::new());
    };
    if tree.get(parent).is_none() {
        return Err(MoveError::NoSuchParent.into());
    }
    let path = tree.path(parent);
    if path.len() >= MAX_LOCATION_DEPTH {
        return Err(MoveError::TooDeep.into());
    }
    Ok(path)
}

/// A location as it is first written: version 1, made now.
pub fn new_location(id: LocationId, name: &LocationName, parent: Option<LocationId>) -> Location {
    let now = Timestamp::now();
    Location {
        id,
        name: name.as_str().to_owned(),
        parent,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// `location`, if it is at the version the caller expects (any, for `None`).
pub fn at_version(location: Location, expected: Option<u64>) -> Result<Location, LocationError> {
    if expected.is_some_and(|expected| expected != location.version) {
        return Err(LocationError::VersionConflict {
            current: Box::new(location),
        });
    }
    Ok(location)
}

/// Why a location write was refused.
#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    #[error("no such location")]
    NotFound,
    #[error("another location already has this id")]
    IdTaken,
    #[error(transparent)]
    Move(#[from] MoveError),
    #[error("a collection has at most {MAX_LOCATIONS} locations")]
    TooMany,
    #[error("the location has other locations inside it")]
    HasLocationsInside,
    /// A delete that did not say where the contents go, of a location that has some.
    #[error("the location holds {items} item(s) and {locations} location(s): say where they go")]
    NotEmpty { items: u64, locations: usize },
    #[error("the location was changed by someone else")]
    VersionConflict { current: Box<Location> },
    #[error(transparent)]
    Store(#[from] StoreError),
}
