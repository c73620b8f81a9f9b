//! Each collection's revision in the embedded store: a value that changes in the same
//! transaction as any write to the collection's items (their photos, tags and places are
//! written with them, bumping the item's row) or locations, so a page's entity tag can be
//! made from it without reading what the page shows.
//!
//! Triggers keep it, so no write path can forget to. A new revision is a random number
//! rather than the old one plus one: only "changed or not" matters, and a database restored
//! from a backup must not count up again to a value a browser holds for other content.

use super::db_error;
use domain::item_store::StoreError;
use rusqlite::{Connection, OptionalExtension};

/// Collection revisions (migration 8). Items from before accounts have no collection until
/// one adopts them; their changes count under `''`, which no collection reads.
pub const SCHEMA: &str = "
    CREATE TABLE collection_revisions (
        collection_id TEXT    PRIMARY KEY NOT NULL,
        revision      INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER revision_item_added AFTER INSERT ON items BEGIN
        INSERT INTO collection_revisions VALUES (coalesce(NEW.collection_id, ''), random())
            ON CONFLICT (collection_id) DO UPDATE SET revision = excluded.revision;
    END;
    CREATE TRIGGER revision_item_changed AFTER UPDATE ON items BEGIN
        INSERT INTO collection_revisions VALUES (coalesce(NEW.collection_id, ''), random())
            ON CONFLICT (collection_id) DO UPDATE SET revision = excluded.revision;
        INSERT INTO collection_revisions
            SELECT coalesce(OLD.collection_id, ''), random()
            WHERE OLD.collection_id IS NOT NEW.collection_id
            ON CONFLICT (collection_id) DO UPDATE SET revision = excluded.revision;
    END;
    CREATE TRIGGER revision_item_removed AFTER DELETE ON items BEGIN
        INSERT INTO collection_revisions VALUES (coalesce(OLD.collection_id, ''), random())
            ON CONFLICT (collection_id) DO UPDATE SET revision = excluded.revision;
    END;
    CREATE TRIGGER revision_location_added AFTER INSERT ON locations BEGIN
        INSERT INTO collection_revisions VALUES (NEW.collection_id, random())
            ON CONFLICT (collection_id) DO UPDATE SET revision = excluded.revision;
    END;
    CREATE TRIGGER revision_location_changed AFTER UPDATE ON locations BEGIN
        INSERT INTO collection_revisions VALUES (NEW.collection_id, random())
            ON CONFLICT (collection_id) DO UPDATE SET revision = excluded.revision;
    END;
    CREATE TRIGGER revision_location_removed AFTER DELETE ON locations BEGIN
        INSERT INTO collection_revisions VALUES (OLD.collection_id, random())
            ON CONFLICT (collection_id) DO UPDATE SET revision = excluded.revision;
    END;";

/// The collection's revision; 0 for one never written to.
pub fn read(conn: &Connection, collection: &str) -> Result<u64, StoreError> {
    conn.prepare_cached("SELECT revision FROM collection_revisions WHERE collection_id = ?1")
        .and_then(|mut stmt| {
            stmt.query_row([collection], |row| row.get::<_, i64>(0))
                .optional()
        })
        .map(|revision| revision.map_or(0, |revision| revision as u64))
        .map_err(db_error)
}
