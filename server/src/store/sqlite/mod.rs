//! The embedded item store: one SQLite file in WAL mode.
//!
//! SQLite calls block, so every operation runs on tokio's blocking pool with a connection from
//! an r2d2 pool; the async runtime never waits on the disk. WAL lets readers proceed while one
//! writer commits. Writes open `BEGIN IMMEDIATE` transactions: they take the write lock up
//! front, so a read-then-write never fails half way with `SQLITE_BUSY`, and concurrent writers
//! queue on `busy_timeout` instead.

mod accounts;
mod locations;
mod photos;
mod revisions;
mod schema;
mod search;
mod snapshot;
mod tag_counts;
mod tags;

use domain::access::{Edit, Permit, Read};
use domain::accounts::CollectionId;
use domain::item_filter::ItemFilter;
use domain::item_store::{Attached, BackendError, Created, ItemStore, Page, PageLimit, StoreError};
use domain::model::{Cursor, Item, ItemChange, ItemDraft, ItemId, PhotoId, PhotoRecord};
use domain::model::{ItemDescription, ItemName, LocationId, Quantity, TagCount, Timestamp};
use domain::photo_store::PhotoUrls;
use domain::search::{SearchCursor, SearchPage};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::config::DbConfig;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior};
use std::collections::HashMap;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use snapshot::snapshot;

/// Pragmas every pooled connection gets.
///
/// `synchronous = NORMAL` is the documented setting for WAL: a commit survives a crash of the
/// process (the write is in the WAL file), and the database can never be corrupted; only a
/// power loss may undo the last few commits. `FULL` would fsync on every commit.
const CONNECTION_PRAGMAS: &str = "
    PRAGMA busy_timeout = 5000;
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
";

/// Sets up a pooled connection: the pragmas, and statements that stay compiled.
///
/// The bundled SQLite is built with `SQLITE_ENABLE_STAT4`, under which a statement whose plan
/// *could* depend on a bound value (`LIMIT ?`, `json_each(?)`) is recompiled every time it is
/// bound again: a cached statement then saved nothing, and recompiling was a sixth of the CPU
/// of `GET /api/items` (perf). The query planner stability guarantee makes plans independent
/// of bound values, so a cached statement runs as compiled. The cache holds every statement
/// the store has, so none is evicted and compiled again under a varied load.
fn prepare_connection(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute_batch(CONNECTION_PRAGMAS)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
    Ok(())
}

/// More than the store's distinct statements (about 80): see [`prepare_connection`].
const STATEMENT_CACHE_CAPACITY: usize = 128;

/// How long a request waits for a free pooled connection before the store reports itself
/// unavailable (503) rather than letting requests pile up.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

const ITEM_COLUMNS: &str =
    "id, name, description, created_at, updated_at, version, tags, quantity, location_id";
/// How many columns [`ITEM_COLUMNS`] has: a query's own columns come after them.
const ITEM_COLUMN_COUNT: usize = 9;

pub struct SqliteStore {
    pool: r2d2::Pool<SqliteConnectionManager>,
    /// Where the photo store serves the files the `photos` table points to.
    urls: Arc<dyn PhotoUrls>,
    tag_counts: tag_counts::KeptTagCounts,
}

/// Why the database could not be opened at start-up.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database {path}: {source}")]
    Database {
        path: String,
        source: rusqlite::Error,
    },
    #[error("cannot create the connection pool: {0}")]
    Pool(#[from] r2d2::Error),
}

impl SqliteStore {
    /// Opens (creating if needed) `shelf.db` in `data_dir` and migrates it to the current
    /// schema. Photo URLs in the items it returns come from `urls`.
    pub fn open(
        data_dir: &Path,
        pool_size: u32,
        urls: Arc<dyn PhotoUrls>,
    ) -> Result<Self, OpenError> {
        std::fs::create_dir_all(data_dir).map_err(|source| OpenError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let path = data_dir.join("shelf.db");
        let database_error = |source| OpenError::Database {
            path: path.display().to_string(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(database_error)?;
        // WAL is a property of the file, so setting it once here covers every connection.
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.execute_batch(CONNECTION_PRAGMAS))
            .and_then(|()| schema::migrate(&mut conn))
            .map_err(database_error)?;
        drop(conn);

        let manager = SqliteConnectionManager::file(&path).with_init(prepare_connection);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            // A connection to a local file does not go stale as a network one does; checking
            // each one out with a statement cost a twentieth of an item GET's CPU (perf).
            .test_on_check_out(false)
            .connection_timeout(CHECKOUT_TIMEOUT)
            .build(manager)?;
        Ok(Self {
            pool,
            urls,
            tag_counts: tag_counts::KeptTagCounts::new(),
        })
    }

    /// Puts the items that belong to no collection (those of an install from before
    /// accounts) into `collection`; returns how many there were.
    pub async fn adopt_orphans(&self, collection: &CollectionId) -> Result<usize, StoreError> {
        let collection = collection.to_string();
        self.with_conn(move |conn, _| {
            conn.execute(
                "UPDATE items SET collection_id = ?1 WHERE collection_id IS NULL",
                [collection],
            )
            .map_err(db_error)
        })
        .await
    }

    /// Runs a point read (a row or a few, by key) on the request's own thread if a pooled
    /// connection is free at once, and on the blocking pool otherwise. A WAL reader does not
    /// wait for writers, so such a read takes microseconds: less than sending it to another
    /// thread and waking the request again, which was a fifth of `GET /api/items`' CPU (perf,
    /// `docs/performance.md`). Writes, which may wait on the write lock, and scans never
    /// come here.
    async fn read_now<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: Failure + Send + 'static,
        F: FnOnce(&mut Connection, &dyn PhotoUrls) -> Result<T, E> + Send + 'static,
    {
        match self.pool.try_get() {
            Some(mut conn) => work(&mut conn, &*self.urls),
            None => self.with_conn(work).await,
        }
    }

    /// Runs `work` with a pooled connection on the blocking thread pool.
    async fn with_conn<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: Failure + Send + 'static,
        F: FnOnce(&mut Connection, &dyn PhotoUrls) -> Result<T, E> + Send + 'static,
    {
        let pool = self.pool.clone();
        let urls = self.urls.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| E::unavailable(Box::new(e)))?;
            work(&mut conn, &*urls)
        })
        .await
        .map_err(|e| E::internal(Box::new(e)))?
    }
}

/// The two ways a store operation fails for reasons of its own, in each trait's error type.
trait Failure {
    fn unavailable(error: BackendError) -> Self;
    fn internal(error: BackendError) -> Self;

    /// Lock contention beyond `busy_timeout` is load, and a database that cannot be written
    /// for now (its folder read-only or immutable, the disk full or failing) is an outage:
    /// both are answered 503 with `Retry-After`, not as bugs.
    fn from_db(error: rusqlite::Error) -> Self
    where
        Self: Sized,
    {
        match error.sqlite_error_code() {
            Some(
                ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::ReadOnly
                | ErrorCode::CannotOpen
                | ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
                | ErrorCode::PermissionDenied,
            ) => Self::unavailable(Box::new(error)),
            _ => Self::internal(Box::new(error)),
        }
    }
}

impl Failure for StoreError {
    fn unavailable(error: BackendError) -> Self {
        StoreError::Unavailable(error)
    }
    fn internal(error: BackendError) -> Self {
        StoreError::Internal(error)
    }
}

#[async_trait::async_trait]
impl ItemStore for SqliteStore {
    async fn create(
        &self,
        permit: &Permit<Edit>,
        id: ItemId,
        draft: ItemDraft,
    ) -> Result<Created, StoreError> {
        let collection = permit.collection().to_string();
        self.with_conn(move |conn, urls| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_error)?;
            if collection_of(&tx, &id)?.is_some_and(|other| other != collection) {
                return Err(StoreError::IdTakenElsewhere);
            }
            if let Some(existing) = select_item(&tx, &collection, &id, urls)? {
                return if existing.has_content_of(&draft) {
                    Ok(Created::Existing(existing))
                } else {
                    Err(StoreError::IdTaken {
                        existing: Box::new(existing),
                    })
                };
            }
            if let Some(location) = &draft.location {
                if !locations::exists(&tx, &collection, location)? {
                    return Err(StoreError::NoSuchLocation);
                }
            }
            let now = Timestamp::now();
            let item = Item {
                id,
                name: draft.name.as_str().to_owned(),
                description: draft.description.as_str().to_owned(),
                tags: draft.tags,
                quantity: draft.quantity,
                location: draft.location,
                created_at: now,
                updated_at: now,
                version: 1,
                photos: Vec::new(),
            };
            tx.prepare_cached(
                "INSERT INTO items (id, name, description, created_at, updated_at, version,
                     collection_id, tags, quantity, location_id)
                 VALUES (?1, ?2, ?3, ?4, ?4, 1, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    item.id.as_str(),
                    item.name,
                    item.description,
                    now.as_micros(),
                    collection,
                    tags::to_json(&item.tags)?,
                    item.quantity.map(Quantity::get),
                    item.location.as_ref().map(LocationId::as_str),
                ])
            })
            .and_then(|_| tags::write(&tx, &item.id, &item.tags))
            .and_then(|_| search::index(&tx, &item))
            .map_err(db_error)?;
            tx.commit().map_err(db_error)?;
            Ok(Created::New(item))
        })
        .await
    }

    async fn get(&self, permit: &Permit<Read>, id: &ItemId) -> Result<Option<Item>, StoreError> {
        let (collection, id) = (permit.collection().to_string(), id.clone());
        self.read_now(move |conn, urls| {
            snapshot(conn, |conn| select_item(conn, &collection, &id, urls))
        })
        .await
    }

    async fn list(
        &self,
        permit: &Permit<Read>,
        limit: PageLimit,
        after: Option<&Cursor>,
    ) -> Result<Page, StoreError> {
        let (collection, after) = (permit.collection().to_string(), after.cloned());
        self.with_conn(move |conn, urls| {
            snapshot(conn, |conn| {
                select_page(conn, &collection, after.as_ref(), limit, urls)
            })
        })
        .await
    }

    async fn search(
        &self,
        permit: &Permit<Read>,
        filter: &ItemFilter,
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        let (collection, filter, after) = (
            permit.collection().to_string(),
            filter.clone(),
            after.cloned(),
        );
        self.with_conn(move |conn, urls| {
            snapshot(conn, |conn| {
                search::find(conn, &collection, &filter, limit, after.as_ref(), urls)
            })
        })
        .await
    }

    async fn tag_counts(
        &self,
        permit: &Permit<Read>,
        limit: usize,
    ) -> Result<Vec<TagCount>, StoreError> {
        let collection = *permit.collection();
        let revision = self
            .read_now(move |conn, _| revisions::read(conn, &collection.to_string()))
            .await?;
        self.tag_counts
            .at_or_count(
                collection,
                limit,
                revision,
                self.with_conn(move |conn, _| tags::counts(conn, &collection.to_string(), limit)),
            )
            .await
    }

    async fn location_counts(
        &self,
        permit: &Permit<Read>,
    ) -> Result<HashMap<LocationId, u64>, StoreError> {
        let collection = permit.collection().to_string();
        self.with_conn(move |conn, _| {
            let rows: Vec<(String, i64)> = conn
                .prepare_cached(locations::ITEM_COUNTS)
                .and_then(|mut select| {
                    select
                        .query_map([collection], |row| Ok((row.get(0)?, row.get(1)?)))?
                        .collect()
                })
                .map_err(db_error)?;
            Ok(rows
                .into_iter()
                .filter_map(|(id, count)| {
                    Some((LocationId::parse(&id).ok()?, u64::try_from(count).ok()?))
                })
                .collect())
        })
        .await
    }

    async fn update(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        change: ItemChange,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        let (collection, id) = (permit.collection().to_string(), id.clone());
        self.with_conn(move |conn, urls| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_error)?;
            if let Some(Some(location)) = &change.location {
                if !locations::exists(&tx, &collection, location)? {
                    return Err(StoreError::NoSuchLocation);
                }
            }
            let updated = tx
                .prepare_cached(&format!(
                    "UPDATE items
                     SET name = coalesce(?2, name), description = coalesce(?3, description),
                         version = version + 1,
                         updated_at = max(?4, created_at), tags = coalesce(?7, tags),
                         quantity = CASE WHEN ?8 THEN ?9 ELSE quantity END,
                         location_id = CASE WHEN ?10 THEN ?11 ELSE location_id END
                     WHERE id = ?1 AND collection_id = ?6 AND (?5 IS NULL OR version = ?5)
                     RETURNING {ITEM_COLUMNS}"
                ))
                .and_then(|mut update| {
                    update
                        .query_row(
                            params![
                                id.as_str(),
                                change.name.as_ref().map(ItemName::as_str),
                                change.description.as_ref().map(ItemDescription::as_str),
                                Timestamp::now().as_micros(),
                                expected_version.map(version_to_sql),
                                collection,
                                change.tags.as_ref().map(tags::to_json).transpose()?,
                                change.quantity.is_some(),
                                change.quantity.flatten().map(Quantity::get),
                                change.location.is_some(),
                                change
                                    .location
                                    .as_ref()
                                    .and_then(|l| l.as_ref())
                                    .map(LocationId::as_str),
                            ],
                            item_from_row,
                        )
                        .optional()
                })
                .map_err(db_error)?;
            let Some(item) = updated else {
                return Err(why_not_written(&tx, &collection, &id, urls)?);
            };
            if change.tags.is_some() {
                tags::write(&tx, &id, &item.tags).map_err(db_error)?;
            }
            search::index(&tx, &item).map_err(db_error)?;
            let mut items = [item];
            photos::load(&tx, &mut items, urls)?;
            tx.commit().map_err(db_error)?;
            let [item] = items;
            Ok(item)
        })
        .await
    }

    async fn delete(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        let (collection, id) = (permit.collection().to_string(), id.clone());
        self.with_conn(move |conn, urls| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_error)?;
            let item = current_item(&tx, &collection, &id, expected_version, urls)?;
            // Its photo rows go with it (ON DELETE CASCADE).
            tx.prepare_cached("DELETE FROM items WHERE id = ?1")
                .and_then(|mut delete| delete.execute([id.as_str()]))
                .map_err(db_error)?;
            tx.commit().map_err(db_error)?;
            Ok(item)
        })
        .await
    }

    async fn attach_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: PhotoRecord,
        max_photos: usize,
        expected_version: Option<u64>,
    ) -> Result<Attached, StoreError> {
        let (collection, id) = (permit.collection().to_string(), id.clone());
        self.with_conn(move |conn, urls| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_error)?;
            let item = select_item(&tx, &collection, &id, urls)?.ok_or(StoreError::NotFound)?;
            if item.photos.iter().any(|p| p.id == photo.id) {
                return Ok(Attached::Existing(item));
            }
            let item = current_item(&tx, &collection, &id, expected_version, urls)?;
            if item.photos.len() >= max_photos {
                return Err(StoreError::TooManyPhotos { max: max_photos });
            }
            photos::insert_last(&tx, &id, &photo)?;
            bump_version(&tx, &id)?;
            let item = select_item(&tx, &collection, &id, urls)?.ok_or(StoreError::NotFound)?;
            tx.commit().map_err(db_error)?;
            Ok(Attached::New(item))
        })
        .await
    }

    async fn remove_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: &PhotoId,
        expected_version: Option<u64>,
    ) -> Result<(Item, PhotoRecord), StoreError> {
        let (collection, id, photo) = (permit.collection().to_string(), id.clone(), photo.clone());
        self.with_conn(move |conn, urls| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_error)?;
            current_item(&tx, &collection, &id, expected_version, urls)?;
            let record = photos::records(&tx, &id)?
                .into_iter()
                .find(|record| record.id == photo)
                .ok_or(StoreError::PhotoNotFound)?;
            photos::delete(&tx, &id, &photo)?;
            bump_version(&tx, &id)?;
            let item = select_item(&tx, &collection, &id, urls)?.ok_or(StoreError::NotFound)?;
            tx.commit().map_err(db_error)?;
            Ok((item, record))
        })
        .await
    }

    async fn reorder_photos(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        order: &[PhotoId],
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        let (collection, id, order) = (permit.collection().to_string(), id.clone(), order.to_vec());
        self.with_conn(move |conn, urls| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_error)?;
            let item = current_item(&tx, &collection, &id, expected_version, urls)?;
            let current: HashSet<&PhotoId> = item.photos.iter().map(|p| &p.id).collect();
            let wanted: HashSet<&PhotoId> = order.iter().collect();
            if order.len() != current.len() || wanted != current {
                return Err(StoreError::BadPhotoOrder);
            }
            photos::set_positions(&tx, &id, &order)?;
            bump_version(&tx, &id)?;
            let item = select_item(&tx, &collection, &id, urls)?.ok_or(StoreError::NotFound)?;
            tx.commit().map_err(db_error)?;
            Ok(item)
        })
        .await
    }

    async fn find_anywhere(&self, id: &ItemId) -> Result<Option<Item>, StoreError> {
        let id = id.clone();
        self.with_conn(move |conn, urls| {
            snapshot(conn, |conn| match collection_of(conn, &id)? {
                Some(collection) => select_item(conn, &collection, &id, urls),
                None => Ok(None),
            })
        })
        .await
    }

    async fn revision(&self, permit: &Permit<Read>) -> Result<Option<u64>, StoreError> {
        let collection = permit.collection().to_string();
        self.read_now(move |conn, _| revisions::read(conn, &collection).map(Some))
            .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.with_conn(|conn, _| {
            conn.query_row("SELECT count(*) FROM items LIMIT 1", [], |_| Ok(()))
                .map_err(db_error)
        })
        .await
    }
}

/// One page of the collection's items, newest first, with their photos: the items after
/// `after`, at most `limit` of them.
fn select_page(
    conn: &Connection,
    collection: &str,
    after: Option<&Cursor>,
    limit: PageLimit,
    urls: &dyn PhotoUrls,
) -> Result<Page, StoreError> {
    // One row more than asked tells whether another page follows.
    let fetch = i64::from(limit.get()) + 1;
    let mut items = match after {
        None => {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {ITEM_COLUMNS} FROM items WHERE collection_id = ?2
                     ORDER BY created_at DESC, id DESC LIMIT ?1"
                ))
                .map_err(db_error)?;
            let rows = stmt.query_map(params![fetch, collection], item_from_row);
            rows.and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
        }
        Some(cursor) => {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {ITEM_COLUMNS} FROM items
                     WHERE collection_id = ?4 AND (created_at, id) < (?1, ?2)
                     ORDER BY created_at DESC, id DESC LIMIT ?3"
                ))
                .map_err(db_error)?;
            let rows = stmt.query_map(
                params![
                    cursor.created_at.as_micros(),
                    cursor.id.as_str(),
                    fetch,
                    collection
                ],
                item_from_row,
            );
            rows.and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
        }
    }
    .map_err(db_error)?;
    let next = if items.len() > limit.get() as usize {
        items.truncate(limit.get() as usize);
        items.last().map(|last| Cursor {
            created_at: last.created_at,
            id: last.id.clone(),
        })
    } else {
        None
    };
    photos::load(conn, &mut items, urls)?;
    Ok(Page { items, next })
}

/// After a conditional write touched no row: the item is gone, or its version moved on.
fn why_not_written(
    conn: &Connection,
    collection: &str,
    id: &ItemId,
    urls: &dyn PhotoUrls,
) -> Result<StoreError, StoreError> {
    Ok(match select_item(conn, collection, id, urls)? {
        None => StoreError::NotFound,
        Some(current) => StoreError::VersionConflict {
            current: Box::new(current),
        },
    })
}

/// The collection the item `id` is in, if there is one. An item of an install from before
/// accounts has none until it is adopted (see [`SqliteStore::adopt_orphans`]).
fn collection_of(conn: &Connection, id: &ItemId) -> Result<Option<String>, StoreError> {
    conn.prepare_cached("SELECT collection_id FROM items WHERE id = ?1")
        .and_then(|mut select| {
            select
                .query_row([id.as_str()], |row| row.get::<_, Option<String>>(0))
                .optional()
        })
        .map(Option::flatten)
        .map_err(db_error)
}

/// The item `id` if it is in `collection`.
fn select_item(
    conn: &Connection,
    collection: &str,
    id: &ItemId,
    urls: &dyn PhotoUrls,
) -> Result<Option<Item>, StoreError> {
    let item = conn
        .prepare_cached(&format!(
            "SELECT {ITEM_COLUMNS} FROM items WHERE id = ?1 AND collection_id = ?2"
        ))
        .and_then(|mut select| {
            select
                .query_row([id.as_str(), collection], item_from_row)
                .optional()
        })
        .map_err(db_error)?;
    let Some(item) = item else {
        return Ok(None);
    };
    let mut items = [item];
    photos::load(conn, &mut items, urls)?;
    let [item] = items;
    Ok(Some(item))
}

/// The item, checked against the version the caller expects: the start of every photo write.
fn current_item(
    conn: &Connection,
    collection: &str,
    id: &ItemId,
    expected_version: Option<u64>,
    urls: &dyn PhotoUrls,
) -> Result<Item, StoreError> {
    let item = select_item(conn, collection, id, urls)?.ok_or(StoreError::NotFound)?;
    if expected_version.is_some_and(|expected| expected != item.version) {
        return Err(StoreError::VersionConflict {
            current: Box::new(item),
        });
    }
    Ok(item)
}

/// A photo change is a change of the item: new version, new `updated_at`.
fn bump_version(conn: &Connection, id: &ItemId) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE items SET version = version + 1, updated_at = max(?2, created_at) WHERE id = ?1",
    )
    .and_then(|mut update| update.execute(params![id.as_str(), Timestamp::now().as_micros()]))
    .map(drop)
    .map_err(db_error)
}

fn item_from_row(row: &Row<'_>) -> rusqlite::Result<Item> {
    let id: String = row.get(0)?;
    let timestamp = |index: usize| -> rusqlite::Result<Timestamp> {
        let micros: i64 = row.get(index)?;
        Timestamp::from_micros(micros)
            .ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(index, micros))
    };
    let version: i64 = row.get(5)?;
    let quantity: Option<u32> = row.get(7)?;
    let location: Option<String> = row.get(8)?;
    Ok(Item {
        id: ItemId::parse(&id).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?,
        name: row.get(1)?,
        description: row.get(2)?,
        tags: tags::from_json(&row.get::<_, String>(6)?, 6)?,
        quantity: quantity
            .map(|n| {
                Quantity::new(n).map_err(|e| {
                    let e = Box::<dyn std::error::Error + Send + Sync>::from(e);
                    rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Integer, e)
                })
            })
            .transpose()?,
        location: location
            .map(|raw| {
                LocationId::parse(&raw).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        8,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })
            })
            .transpose()?,
        created_at: timestamp(3)?,
        updated_at: timestamp(4)?,
        version: u64::try_from(version)
            .map_err(|_| rusqlite::Error::IntegralValueOutOfRange(5, version))?,
        photos: Vec::new(),
    })
}

/// SQLite integers are signed; a version beyond `i64::MAX` cannot be stored, so it can only
/// be a client's guess and will never match.
fn version_to_sql(version: u64) -> i64 {
    i64::try_from(version).unwrap_or(-1)
}

fn db_error(error: rusqlite::Error) -> StoreError {
    StoreError::from_db(error)
}
