//! The storage conformance suite against the embedded SQLite store, plus what only SQLite has.

use crate::{account_conformance_tests, conformance_tests, location_conformance_tests};

use crate::common::scoped::InCollection;
use domain::accounts::{CollectionId, SharedAccountStore};
use domain::item_store::SharedItemStore;
use domain::location_store::SharedLocationStore;
use domain::model::PhotoKey;
use domain::photo_store::PhotoUrls;
use server::store::sqlite::SqliteStore;
use std::sync::Arc;
use tempfile::TempDir;

/// URLs as the embedded store makes them; the SQLite store only passes keys through it.
struct MediaUrls;

impl PhotoUrls for MediaUrls {
    fn url(&self, key: &PhotoKey) -> String {
        format!("/media/{key}")
    }
}

fn urls() -> Arc<dyn PhotoUrls> {
    Arc::new(MediaUrls)
}

async fn open() -> (SharedItemStore, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), 4, urls()).unwrap();
    (Arc::new(store), dir)
}

conformance_tests!(open());

async fn open_places() -> (SharedItemStore, SharedLocationStore, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path(), 4, urls()).unwrap());
    (store.clone(), store, dir)
}

location_conformance_tests!(open_places());

async fn open_accounts() -> (SharedAccountStore, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), 4, urls()).unwrap();
    (Arc::new(store), dir)
}

account_conformance_tests!(open_accounts());

#[tokio::test]
async fn data_survives_reopening_and_is_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let id = domain::model::ItemId::generate();
    let collection = CollectionId::generate();
    {
        let store = SqliteStore::open(dir.path(), 2, urls()).unwrap();
        let draft = domain::model::ItemDraft::parse("Persistent", "").unwrap();
        let store = InCollection::within(Arc::new(store), collection);
        store.create(id.clone(), draft).await.unwrap();
    }
    let store = SqliteStore::open(dir.path(), 2, urls()).unwrap();
    let store = InCollection::within(Arc::new(store), collection);
    let item = store.get(&id).await.unwrap();
    assert_eq!(item.unwrap().name, "Persistent");
    let conn = rusqlite::Connection::open(dir.path().join("shelf.db")).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn a_corrupt_database_file_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shelf.db"), b"this is not a database").unwrap();
    let err = SqliteStore::open(dir.path(), 2, urls())
        .err()
        .expect("must fail");
    assert!(err.to_string().contains("shelf.db"), "{err}");
}

/// Items of an install from before accounts have no collection until one adopts them, and
/// then are that collection's only.
#[tokio::test]
async fn items_without_a_collection_are_adopted_once() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Arc::new(SqliteStore::open(dir.path(), 2, urls()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("shelf.db")).unwrap();
    let id = domain::model::ItemId::generate();
    conn.execute(
        "INSERT INTO items (id, name, description, created_at, updated_at, version)
         VALUES (?1, 'Old', '', 1, 1, 1)",
        [id.as_str()],
    )
    .unwrap();
    let home = InCollection::new(sqlite.clone());
    assert_eq!(home.get(&id).await.unwrap(), None);
    assert_eq!(
        sqlite.adopt_orphans(home.edit.collection()).await.unwrap(),
        1
    );
    assert_eq!(home.get(&id).await.unwrap().unwrap().name, "Old");
    let other = InCollection::new(sqlite.clone());
    assert_eq!(
        sqlite.adopt_orphans(other.edit.collection()).await.unwrap(),
        0
    );
    assert_eq!(other.get(&id).await.unwrap(), None);
}

/// A database from before search (schema 4, as that release left it) gets its items indexed
/// when it is upgraded: found by a word, a prefix and a typo; tags and locations come empty.
#[tokio::test]
async fn items_from_before_search_are_found_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let collection = CollectionId::generate();
    let id = domain::model::ItemId::generate();
    {
        let conn = rusqlite::Connection::open(dir.path().join("shelf.db")).unwrap();
        conn.execute_batch(include_str!("fixtures/schema-4.sql"))
            .unwrap();
        conn.execute(
            "INSERT INTO items (id, name, description, created_at, updated_at, version,
                                collection_id)
             VALUES (?1, 'Screwdriver', 'Older than search', 1, 1, 1, ?2)",
            [id.as_str(), &collection.to_string()],
        )
        .unwrap();
    }
    let store = SqliteStore::open(dir.path(), 2, urls()).unwrap();
    let store = InCollection::within(Arc::new(store), collection);
    for query in ["screwdriver", "scre", "screwdiver", "older search"] {
        let page = store
            .search(query, domain::item_store::PageLimit::DEFAULT, None)
            .await
            .unwrap();
        let ids: Vec<_> = page.items.iter().map(|item| &item.id).collect();
        assert_eq!(ids, [&id], "{query}");
    }
}
