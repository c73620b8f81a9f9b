//! Reads of several statements that must agree with each other.
//!
//! An item and its photos are two statements. Each in a transaction of its own, a write
//! committed between them would pair the item as it was with its photos as they are now.
//! In one read transaction both see the same commit. One transaction also takes the WAL's
//! read lock once instead of once per statement: the lock was a sixth of an item GET's CPU
//! (perf, `docs/performance.md`).

use super::db_error;
use domain::item_store::StoreError;
use rusqlite::Connection;

/// Runs `read`'s statements in one read transaction: all of them see the database as it was
/// at the first.
///
/// `BEGIN` and `COMMIT` are cached statements rather than rusqlite's `Transaction`, which
/// parses both anew each time: that was 7 % of an item GET's CPU (perf).
pub fn snapshot<T>(
    conn: &mut Connection,
    read: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let conn: &Connection = conn;
    run(conn, "BEGIN")?;
    let open = Open(conn);
    let value = read(conn)?;
    run(conn, "COMMIT")?;
    drop(open);
    Ok(value)
}

/// Ends a snapshot that `read` left with an error (or a panic), so the connection goes back
/// to the pool outside any transaction. Nothing was written: ending it undoes nothing.
struct Open<'c>(&'c Connection);

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            let _ = run(self.0, "ROLLBACK");
        }
    }
}

fn run(conn: &Connection, sql: &str) -> Result<(), StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut statement| statement.execute([]))
        .map(drop)
        .map_err(db_error)
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

    /// A read that fails leaves the connection outside any transaction, ready for the next.
    #[test]
    fn a_failed_read_ends_its_snapshot() {
        let mut conn = Connection::open_in_memory().unwrap();
        let failed = snapshot(&mut conn, |conn| {
            count(conn)?;
            Ok(())
        });
        assert!(failed.is_err(), "no table: the read fails");
        assert!(conn.is_autocommit());
        conn.execute_batch("CREATE TABLE things (id INTEGER PRIMARY KEY)")
            .unwrap();
        assert_eq!(snapshot(&mut conn, count).unwrap(), 0);
    }
}
