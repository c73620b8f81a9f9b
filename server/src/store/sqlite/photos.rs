//! The `photos` table: reading an item's photos in order, and the statements behind attach,
//! remove and reorder. Every function runs inside the caller's connection or transaction.

use super::db_error;
use domain::item_store::StoreError;
use domain::model::{Item, ItemId, Photo, PhotoId, PhotoKey, PhotoRecord, Variant, VariantInfo};
use domain::photo_store::PhotoUrls;
use rusqlite::{params, Connection, Row};
use std::collections::HashMap;

const PHOTO_COLUMNS: &str =
    "item_id, id, width, height, bytes, thumb_width, thumb_height, thumb_bytes, placeholder";

/// Fills in the photos of `items` with one query, however many items there are.
pub fn load(conn: &Connection, items: &mut [Item], urls: &dyn PhotoUrls) -> Result<(), StoreError> {
    if items.is_empty() {
        return Ok(());
    }
    // One item (its GET, a write's answer) is a plain lookup by key; several are looked up
    // from a JSON array, which SQLite first builds a temporary index of.
    let (wanted, ids) = match items {
        [item] => ("item_id = ?1", item.id.as_str().to_owned()),
        _ => {
            let ids: Vec<&str> = items.iter().map(|item| item.id.as_str()).collect();
            let ids = serde_json::to_string(&ids).map_err(|e| StoreError::Internal(Box::new(e)))?;
            ("item_id IN (SELECT value FROM json_each(?1))", ids)
        }
    };
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE {wanted} ORDER BY item_id, position"
        ))
        .map_err(db_error)?;
    let rows = stmt
        .query_map([ids], |row| {
            Ok((row.get::<_, String>(0)?, record_from_row(row)?))
        })
        .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
        .map_err(db_error)?;
    let mut by_item: HashMap<String, Vec<Photo>> = HashMap::new();
    for (item_id, record) in rows {
        let Ok(item) = ItemId::parse(&item_id) else {
            continue;
        };
        let url = |variant| urls.url(&PhotoKey::new(&item, &record.id, variant));
        let photo = Photo::new(record.clone(), url(Variant::Display), url(Variant::Thumb));
        by_item.entry(item_id).or_default().push(photo);
    }
    for item in items {
        item.photos = by_item.remove(item.id.as_str()).unwrap_or_default();
    }
    Ok(())
}

/// The records of one item's photos, in order.
pub fn records(conn: &Connection, item: &ItemId) -> Result<Vec<PhotoRecord>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {PHOTO_COLUMNS} FROM photos WHERE item_id = ?1 ORDER BY position"
    ))
    .and_then(|mut stmt| {
        stmt.query_map([item.as_str()], record_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
    })
    .map_err(db_error)
}

pub fn insert_last(
    conn: &Connection,
    item: &ItemId,
    record: &PhotoRecord,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO photos (item_id, id, position, width, height, bytes,
                             thumb_width, thumb_height, thumb_bytes, placeholder)
         VALUES (?1, ?2, (SELECT coalesce(max(position), -1) + 1 FROM photos WHERE item_id = ?1),
                 ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .and_then(|mut insert| {
        insert.execute(params![
            item.as_str(),
            record.id.as_str(),
            record.display.width,
            record.display.height,
            bytes_to_sql(record.display.bytes),
            record.thumb.width,
            record.thumb.height,
            bytes_to_sql(record.thumb.bytes),
            record.placeholder,
        ])
    })
    .map(drop)
    .map_err(db_error)
}

pub fn delete(conn: &Connection, item: &ItemId, photo: &PhotoId) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM photos WHERE item_id = ?1 AND id = ?2")
        .and_then(|mut delete| delete.execute([item.as_str(), photo.as_str()]))
        .map(drop)
        .map_err(db_error)
}

pub fn set_positions(
    conn: &Connection,
    item: &ItemId,
    order: &[PhotoId],
) -> Result<(), StoreError> {
    let mut update = conn
        .prepare_cached("UPDATE photos SET position = ?3 WHERE item_id = ?1 AND id = ?2")
        .map_err(db_error)?;
    for (position, photo) in order.iter().enumerate() {
        update
            .execute(params![item.as_str(), photo.as_str(), position as i64])
            .map_err(db_error)?;
    }
    Ok(())
}

fn record_from_row(row: &Row<'_>) -> rusqlite::Result<PhotoRecord> {
    let id: String = row.get(1)?;
    let info = |first: usize| -> rusqlite::Result<VariantInfo> {
        let bytes: i64 = row.get(first + 2)?;
        Ok(VariantInfo {
            width: row.get(first)?,
            height: row.get(first + 1)?,
            bytes: u64::try_from(bytes)
                .map_err(|_| rusqlite::Error::IntegralValueOutOfRange(first + 2, bytes))?,
        })
    };
    Ok(PhotoRecord {
        id: PhotoId::parse(&id).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
        })?,
        display: info(2)?,
        thumb: info(5)?,
        placeholder: row.get(8)?,
    })
}

/// Variant sizes are bounded by configuration far below `i64::MAX`.
fn bytes_to_sql(bytes: u64) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}
