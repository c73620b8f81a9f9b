//! Reads of several statements that must agree with each other.
//!
//! An item and its photos are two statements. Each in a transaction of its own, a write
//! committed between them would pair the item as it was with its photos as they are now.
//! In one read transaction both see the same commit. One transaction also takes the WAL's
//! read lock once instead of once per statement: the lock was a sixth of an item GET's CPU
//! (perf, `docs/performance.md`).

use super::db_error;
use domain::item_store::StoreError;
use rusqlite::{Connection, TransactionBehavior};

/// Runs `read`'s statements in one read transaction: all of them see the database as it was
/// at the first.
pub fn snapshot<T>(
    conn: &mut Connection,
    read: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Deferred)
        .map_err(db_error)?;
    let value = read(&tx)?;
    tx.commit().map_err(db_error)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(conn: &Connection) -> Result<i64, StoreError> {
        conn.query_row("SELECT count(*) FROM things", [], |row| row.get(0))
            .map_err(db_error)
    }

    /// A write committed by another connection between two statements of a snapshot is not
    /// seen by the second; the next snapshot sees it.
    #[test]
    fn statements_in_a_snapshot_see_one_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snapshot.db");
        let mut reader = Connection::open(&path).unwrap();
        reader
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 CREATE TABLE things (id INTEGER PRIMARY KEY);
                 INSERT INTO things VALUES (1);",
            )
            .unwrap();
        let writer = Connection::open(&path).unwrap();

        let (before, after) = snapshot(&mut reader, |conn| {
            let before = count(conn)?;
            writer
                .execute("INSERT INTO things VALUES (2)", [])
                .map_err(db_error)?;
            Ok((before, count(conn)?))
        })
        .unwrap();

        assert_eq!((before, after), (1, 1));
        assert_eq!(snapshot(&mut reader, count).unwrap(), 2);
    }
}
