//! Tags and quantities in the embedded store.
//!
//! An item's tags are a JSON array on its row (what the item shows, read with it), and one
//! `item_tags` row per tag under its key (what filters and counts use, through an index by
//! key). Both are written in the transaction that writes the item.

use super::db_error;
use domain::item_store::StoreError;
use domain::model::{ItemId, Tag, TagCount, Tags};
use rusqlite::{params, Connection};

/// Tags and quantities (migration 6). Items from before have no tags and no quantity.
pub const SCHEMA: &str = "
    ALTER TABLE items ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE items ADD COLUMN quantity INTEGER CHECK (quantity BETWEEN 0 AND 1000000);
    CREATE TABLE item_tags (
        item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        key     TEXT NOT NULL,
        tag     TEXT NOT NULL,
        PRIMARY KEY (item_id, key)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX item_tags_by_key ON item_tags (key, item_id);";

/// The `tags` column's value.
pub fn to_json(tags: &Tags) -> rusqlite::Result<String> {
    serde_json::to_string(tags).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// The `tags` column read back (column `index` of `row`).
pub fn from_json(raw: &str, index: usize) -> rusqlite::Result<Tags> {
    serde_json::from_str(raw).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Makes the item `id` carry exactly `tags` in `item_tags`: called by every write that sets
/// them, inside its transaction.
pub fn write(conn: &Connection, id: &ItemId, tags: &Tags) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM item_tags WHERE item_id = ?1")?
        .execute([id.as_str()])?;
    let mut insert = conn.prepare_cached("INSERT INTO item_tags VALUES (?1, ?2, ?3)")?;
    for tag in tags.iter() {
        insert.execute(params![id.as_str(), tag.key(), tag.as_str()])?;
    }
    Ok(())
}

/// The SQL condition that the item `items.id` has every tag whose key is in the JSON array
/// parameter `keys`, `count` of them (true for none).
pub fn has_all(keys: &str, count: &str) -> String {
    format!(
        "({count} = 0 OR items.id IN (
             SELECT item_id FROM item_tags WHERE key IN (SELECT value FROM json_each({keys}))
             GROUP BY item_id HAVING count(*) = {count}))"
    )
}

/// The JSON array and count [`has_all`] takes.
pub fn keys_param(keys: &[String]) -> Result<(String, i64), StoreError> {
    let json = serde_json::to_string(keys).map_err(|e| StoreError::Internal(Box::new(e)))?;
    Ok((json, keys.len() as i64))
}

/// The collection's tags, most used first, with the spelling most of its items use.
pub fn counts(
    conn: &Connection,
    collection: &str,
    limit: usize,
) -> Result<Vec<TagCount>, StoreError> {
    let rows: Vec<(String, i64)> = conn
        .prepare_cached(
            "WITH spellings AS (
                 SELECT t.key, t.tag, count(*) AS uses
                 FROM item_tags AS t JOIN items ON items.id = t.item_id
                 WHERE items.collection_id = ?1
                 GROUP BY t.key, t.tag
             ), ranked AS (
                 SELECT key, tag, sum(uses) OVER (PARTITION BY key) AS items,
                     row_number() OVER (PARTITION BY key ORDER BY uses DESC, tag) AS choice
                 FROM spellings
             )
             SELECT tag, items FROM ranked WHERE choice = 1
             ORDER BY items DESC, key LIMIT ?2",
        )
        .and_then(|mut select| {
            select
                .query_map(params![collection, limit as i64], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect()
        })
        .map_err(db_error)?;
    rows.into_iter()
        .map(|(tag, items)| {
            Ok(TagCount {
                tag: Tag::parse(&tag).map_err(|e| StoreError::Internal(e.into()))?,
                items: u64::try_from(items).unwrap_or_default(),
            })
        })
        .collect()
}
