//! Locations in the embedded store: a `locations` table beside the items, and each item's
//! `location_id`. Every location write runs in one `BEGIN IMMEDIATE` transaction that reads
//! the collection's tree first, so the tree's rules hold against concurrent moves; a rename or
//! a move re-indexes the items inside for search (their places' names are among their words).

use super::{db_error, item_from_row, search, Failure, SqliteStore, ITEM_COLUMNS};
use domain::access::{Edit, Permit, Read};
use domain::item_store::StoreError;
use domain::location_store::{at_version, created_before, new_location, room_for_new};
use domain::location_store::{LocationChange, LocationError, LocationStore};
use domain::location_tree::LocationTree;
use domain::model::{Item, Location, LocationId, LocationName, Timestamp};
use domain::model::{MAX_LOCATIONS, MAX_LOCATION_DEPTH};
use domain::search::fold;
use rusqlite::{params, Connection, Row, TransactionBehavior};

/// Locations (migration 7). An item's location goes when its location is deleted (the app
/// moves the items out first; this keeps the reference sound whatever happens).
pub const SCHEMA: &str = "
    CREATE TABLE locations (
        id            TEXT    PRIMARY KEY NOT NULL,
        collection_id TEXT    NOT NULL,
        name          TEXT    NOT NULL,
        parent_id     TEXT    REFERENCES locations (id),
        version       INTEGER NOT NULL CHECK (version >= 1),
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX locations_of_collection ON locations (collection_id);
    ALTER TABLE items ADD COLUMN location_id TEXT REFERENCES locations (id) ON DELETE SET NULL;
    CREATE INDEX items_by_location ON items (location_id) WHERE location_id IS NOT NULL;";

const COLUMNS: &str = "id, name, parent_id, version, created_at, updated_at";

/// How many items each location of collection `?1` holds directly: read from the index of
/// located items (migration 9), not from every item of the collection.
pub const ITEM_COUNTS: &str = "SELECT location_id, count(*) FROM items
    WHERE collection_id = ?1 AND location_id IS NOT NULL
    GROUP BY location_id";

impl Failure for LocationError {
    fn unavailable(error: domain::item_store::BackendError) -> Self {
        LocationError::Store(StoreError::Unavailable(error))
    }
    fn internal(error: domain::item_store::BackendError) -> Self {
        LocationError::Store(StoreError::Internal(error))
    }
}

fn location_error(error: rusqlite::Error) -> LocationError {
    LocationError::from_db(error)
}

/// The collection's locations (at most [`MAX_LOCATIONS`]).
pub fn all(conn: &Connection, collection: &str) -> Result<Vec<Location>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM locations WHERE collection_id = ?1 LIMIT ?2"
    ))
    .and_then(|mut select| {
        select
            .query_map(params![collection, MAX_LOCATIONS as i64], location_from_row)?
            .collect()
    })
    .map_err(db_error)
}

/// Whether `id` is a location of `collection`.
pub fn exists(conn: &Connection, collection: &str, id: &LocationId) -> Result<bool, StoreError> {
    conn.prepare_cached("SELECT 1 FROM locations WHERE id = ?1 AND collection_id = ?2")
        .and_then(|mut select| select.exists([id.as_str(), collection]))
        .map_err(db_error)
}

/// The folded names of the location and those it is in: the words it adds to its items.
pub fn place_words(conn: &Connection, id: Option<&LocationId>) -> rusqlite::Result<String> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    let names: Vec<String> = conn
        .prepare_cached(
            "WITH RECURSIVE up (id, name, parent_id, depth) AS (
                 SELECT id, name, parent_id, 1 FROM locations WHERE id = ?1
                 UNION ALL
                 SELECT l.id, l.name, l.parent_id, up.depth + 1
                 FROM locations AS l JOIN up ON l.id = up.parent_id
                 WHERE up.depth < ?2
             )
             SELECT name FROM up ORDER BY depth DESC",
        )?
        .query_map(params![id.as_str(), MAX_LOCATION_DEPTH as i64], |row| {
            row.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(fold(&names.join(" ")))
}

/// The items filed in any of `locations`, as stored (without their photos).
fn items_in(conn: &Connection, locations: &[LocationId]) -> rusqlite::Result<Vec<Item>> {
    let ids = serde_json::to_string(&locations.iter().map(LocationId::as_str).collect::<Vec<_>>())
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM items WHERE location_id IN (SELECT value FROM json_each(?1))"
    ))?
    .query_map([ids], item_from_row)?
    .collect()
}

fn location_from_row(row: &Row<'_>) -> rusqlite::Result<Location> {
    let text_error = |index: usize, e: domain::model::InvalidLocationId| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    };
    let time = |index: usize| -> rusqlite::Result<Timestamp> {
        let micros: i64 = row.get(index)?;
        Timestamp::from_micros(micros)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(index, micros))
    };
    let parent: Option<String> = row.get(2)?;
    let version: i64 = row.get(3)?;
    Ok(Location {
        id: LocationId::parse(&row.get::<_, String>(0)?).map_err(|e| text_error(0, e))?,
        name: row.get(1)?,
        parent: parent
            .map(|raw| LocationId::parse(&raw).map_err(|e| text_error(2, e)))
            .transpose()?,
        version: u64::try_from(version)
            .map_err(|_| rusqlite::Error::IntegralValueOutOfRange(3, version))?,
        created_at: time(4)?,
        updated_at: time(5)?,
    })
}

/// Runs `write` in one immediate transaction with the collection's tree as it is then, and
/// commits if it succeeds: the tree cannot change under a write that checked it.
fn in_tree<T>(
    conn: &mut Connection,
    collection: &str,
    write: impl FnOnce(&Connection, &LocationTree) -> Result<T, LocationError>,
) -> Result<T, LocationError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(location_error)?;
    let tree = LocationTree::new(all(&tx, collection)?);
    let written = write(&tx, &tree)?;
    tx.commit().map_err(location_error)?;
    Ok(written)
}

/// The location as the tree has it, at the version the caller expects.
fn current(
    tree: &LocationTree,
    id: &LocationId,
    expected_version: Option<u64>,
) -> Result<Location, LocationError> {
    at_version(
        tree.get(id).cloned().ok_or(LocationError::NotFound)?,
        expected_version,
    )
}

#[async_trait::async_trait]
impl LocationStore for SqliteStore {
    async fn locations(&self, permit: &Permit<Read>) -> Result<Vec<Location>, StoreError> {
        let collection = permit.collection().to_string();
        self.with_conn(move |conn, _| all(conn, &collection)).await
    }

    async fn create_location(
        &self,
        permit: &Permit<Edit>,
        id: LocationId,
        name: LocationName,
        parent: Option<LocationId>,
    ) -> Result<Location, LocationError> {
        let collection = permit.collection().to_string();
        self.with_conn(move |conn, _| {
            in_tree(conn, &collection, |tx, tree| {
                let taken = tx
                    .prepare_cached("SELECT 1 FROM locations WHERE id = ?1")
                    .and_then(|mut select| select.exists([id.as_str()]))
                    .map_err(location_error)?;
                if taken {
                    return created_before(tree.get(&id).cloned(), &name, &parent);
                }
                room_for_new(tree, parent.as_ref())?;
                let created = new_location(id, &name, parent);
                tx.prepare_cached(
                    "INSERT INTO locations
                     (id, collection_id, name, parent_id, version, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
                )
                .and_then(|mut insert| {
                    insert.execute(params![
                        created.id.as_str(),
                        collection,
                        created.name,
                        created.parent.as_ref().map(LocationId::as_str),
                        created.created_at.as_micros(),
                    ])
                })
                .map_err(location_error)?;
                Ok(created)
            })
        })
        .await
    }

    async fn change_location(
        &self,
        permit: &Permit<Edit>,
        id: &LocationId,
        change: LocationChange,
        expected_version: Option<u64>,
    ) -> Result<Location, LocationError> {
        let (collection, id) = (permit.collection().to_string(), id.clone());
        self.with_conn(move |conn, _| {
            in_tree(conn, &collection, |tx, tree| {
                let location = current(tree, &id, expected_version)?;
                if let Some(parent) = &change.parent {
                    tree.check_move(&id, parent.as_ref())?;
                }
                let changed = change.applied_to(&location);
                tx.prepare_cached(
                    "UPDATE locations SET name = ?2, parent_id = ?3, version = ?4, updated_at = ?5
                 WHERE id = ?1",
                )
                .and_then(|mut update| {
                    update.execute(params![
                        id.as_str(),
                        changed.name,
                        changed.parent.as_ref().map(LocationId::as_str),
                        changed.version as i64,
                        changed.updated_at.as_micros(),
                    ])
                })
                .map_err(location_error)?;
                if changed.name != location.name || changed.parent != location.parent {
                    // The names of the places of the items inside changed: their words did.
                    items_in(tx, &tree.subtree(&id))
                        .and_then(|items| items.iter().try_for_each(|item| search::index(tx, item)))
                        .map_err(location_error)?;
                }
                Ok(changed)
            })
        })
        .await
    }

    async fn delete_location(
        &self,
        permit: &Permit<Edit>,
        id: &LocationId,
        expected_version: Option<u64>,
    ) -> Result<Location, LocationError> {
        let (collection, id) = (permit.collection().to_string(), id.clone());
        self.with_conn(move |conn, _| {
            in_tree(conn, &collection, |tx, tree| {
                let location = current(tree, &id, expected_version)?;
                if !tree.children(Some(&id)).is_empty() {
                    return Err(LocationError::HasLocationsInside);
                }
                // Items left in it lose their place, and its words.
                let left = items_in(tx, std::slice::from_ref(&id)).map_err(location_error)?;
                tx.prepare_cached("UPDATE items SET location_id = NULL WHERE location_id = ?1")
                    .and_then(|mut update| update.execute([id.as_str()]))
                    .and_then(|_| tx.prepare_cached("DELETE FROM locations WHERE id = ?1"))
                    .and_then(|mut delete| delete.execute([id.as_str()]))
                    .and_then(|_| {
                        left.into_iter().try_for_each(|item| {
                            let unfiled = Item {
                                location: None,
                                ..item
                            };
                            search::index(tx, &unfiled)
                        })
                    })
                    .map_err(location_error)?;
                Ok(location)
            })
        })
        .await
    }
}
