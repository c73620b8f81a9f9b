//! The SQLite schema and its migrations.

use super::{locations, revisions, search, tags};
use rusqlite::{Connection, TransactionBehavior};

/// Each entry moves the schema one version up; `PRAGMA user_version` records how many ran.
/// Append only: a released migration never changes.
const MIGRATIONS: &[&str] = &[
    // 1: items. Times are microseconds since the Unix epoch (UTC). The index serves the
    // newest-first list and its keyset paging, `(created_at, id) < (?, ?)`.
    "CREATE TABLE items (
        id          TEXT    PRIMARY KEY NOT NULL,
        name        TEXT    NOT NULL,
        description TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1)
    ) STRICT;
    CREATE INDEX items_newest_first ON items (created_at DESC, id DESC);",
    // 2: photos of items, in display order (the lowest position is the cover). Sizes of both
    // variants are kept so pages can reserve their space before the images load.
    "CREATE TABLE photos (
        item_id      TEXT    NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        id           TEXT    NOT NULL,
        position     INTEGER NOT NULL,
        width        INTEGER NOT NULL,
        height       INTEGER NOT NULL,
        bytes        INTEGER NOT NULL,
        thumb_width  INTEGER NOT NULL,
        thumb_height INTEGER NOT NULL,
        thumb_bytes  INTEGER NOT NULL,
        placeholder  TEXT    NOT NULL,
        PRIMARY KEY (item_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX photos_in_order ON photos (item_id, position);",
    // 3: accounts. A membership row is the one record of who may do what where; a user's
    // sessions and API tokens share one table (`kind`), as do invites and password links
    // (`owner_id` is the collection of an invite, the user of a password link). Secrets are
    // stored only as hex SHA-256 digests, passwords as Argon2id PHC strings.
    "CREATE TABLE users (
        id         TEXT    PRIMARY KEY NOT NULL,
        email      TEXT    NOT NULL UNIQUE,
        password   TEXT,
        created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE collections (
        id         TEXT    PRIMARY KEY NOT NULL,
        name       TEXT    NOT NULL,
        created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE memberships (
        collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role          TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
        PRIMARY KEY (collection_id, user_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX memberships_of_user ON memberships (user_id);
    CREATE TABLE credentials (
        user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        id            TEXT    NOT NULL,
        digest        TEXT    NOT NULL,
        kind          TEXT    NOT NULL CHECK (kind IN ('session', 'token')),
        device        TEXT,
        name          TEXT,
        collection_id TEXT,
        scope         TEXT,
        created_at    INTEGER NOT NULL,
        last_used_at  INTEGER NOT NULL,
        expires_at    INTEGER,
        PRIMARY KEY (user_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE links (
        owner_id   TEXT    NOT NULL,
        id         TEXT    NOT NULL,
        digest     TEXT    NOT NULL,
        kind       TEXT    NOT NULL CHECK (kind IN ('invite', 'set_password')),
        role       TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (owner_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE sign_in_failures (
        email       TEXT    PRIMARY KEY NOT NULL,
        count       INTEGER NOT NULL,
        window_ends INTEGER NOT NULL
    ) STRICT;",
    // 4: every item belongs to a collection. Items of an install from before accounts have
    // none (NULL) until the first owner's collection, or the one anonymous access names,
    // adopts them. The list index leads with the collection: a list is one range of it.
    "ALTER TABLE items ADD COLUMN collection_id TEXT;
    DROP INDEX items_newest_first;
    CREATE INDEX items_newest_first ON items (collection_id, created_at DESC, id DESC);",
    // 5: search (`search.rs`); the items already there are indexed right after it.
    search::SCHEMA,
    // 6: tags and quantities (`tags.rs`).
    tags::SCHEMA,
    // 7: locations (`locations.rs`).
    locations::SCHEMA,
    // 8: each collection's revision, for pages' entity tags (`revisions.rs`).
    revisions::SCHEMA,
    // 9: how many items each location holds, counted from the collection's located items
    // alone: without it the count reads every item of the collection (6-8 ms at 18 600).
    "CREATE INDEX items_located ON items (collection_id, location_id)
        WHERE location_id IS NOT NULL;",
];

/// The migration after which the items already there are indexed for search.
const SEARCH_MIGRATION: usize = 5;

/// Brings the database up to the latest schema, in one transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let applied: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let applied = usize::try_from(applied).unwrap_or(usize::MAX);
    if applied > MIGRATIONS.len() {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "the database has schema version {applied}, newer than this Shelf knows ({}); \
             run a newer Shelf",
            MIGRATIONS.len()
        )));
    }
    for (number, migration) in MIGRATIONS.iter().enumerate().skip(applied) {
        tx.execute_batch(migration)?;
        if number + 1 == SEARCH_MIGRATION {
            search::index_all(&tx)?;
        }
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn locations_count_their_items_from_the_located_items_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", locations::ITEM_COUNTS))
            .unwrap()
            .query_map(["collection"], |row| row.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|step| step.contains("COVERING INDEX items_located")),
            "{plan:?}"
        );
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
