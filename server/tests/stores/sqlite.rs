//! The storage conformance suite against the embedded SQLite store, plus what only SQLite has.

use crate::{account_conformance_tests, conformance_tests};

use domain::accounts::SharedAccountStore;
use domain::item_store::SharedItemStore;
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
    {
        let store = SqliteStore::open(dir.path(), 2, urls()).unwrap();
        let draft = domain::model::ItemDraft::parse("Persistent", "").unwrap();
        domain::item_store::ItemStore::create(&store, id.clone(), draft)
            .await
            .unwrap();
    }
    let store = SqliteStore::open(dir.path(), 2, urls()).unwrap();
    let item = domain::item_store::ItemStore::get(&store, &id)
        .await
        .unwrap();
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
