//! The SQLite schema and its migrations.

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
];

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
    for migration in &MIGRATIONS[applied..] {
        tx.execute_batch(migration)?;
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
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
