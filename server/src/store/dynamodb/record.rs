//! Items as DynamoDB attribute maps, both ways.
//!
//! The table is shared with the old Python service, whose items are
//! `{id, name, description, created_at}` with a naive ISO time and nothing else. Reading one
//! fills in what it lacks (version 1, `updated_at` = `created_at`, no photos) instead of
//! failing; `shelf migrate` writes those defaults and the list index keys for good.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{NaiveDateTime, TimeZone, Utc};
use domain::accounts::CollectionId;
use domain::model::{Item, ItemDraft, ItemId, Photo, PhotoId, PhotoRecord, Timestamp};
use domain::model::{LocationId, PhotoKey, Quantity, Tags, Variant, VariantInfo};
use domain::photo_store::PhotoUrls;
use std::collections::HashMap;

pub type Attributes = HashMap<String, AttributeValue>;

pub const ID: &str = "id";
pub const NAME: &str = "name";
pub const DESCRIPTION: &str = "description";
pub const CREATED_AT: &str = "created_at";
pub const UPDATED_AT: &str = "updated_at";
pub const VERSION: &str = "version";
/// The item's tags as a list of strings (absent on items from before tags: none).
pub const TAGS: &str = "tags";
/// How many there are; absent when not counted.
pub const QUANTITY: &str = "quantity";
/// The id of the location the item is in; absent when in none.
pub const LOCATION: &str = "location";
/// A map from photo id to the photo's record. A map (not a list) so that one photo can be
/// added or removed by its id inside a single conditional `UpdateItem`, without reading the
/// item first to learn its index.
pub const PHOTOS: &str = "photos";
/// Position of a photo in its item's order (smallest first: the cover).
pub const POSITION: &str = "pos";

/// The list index (GSI): every item under one partition value, sorted by creation time then
/// id. Newest first is a `Query` on it backwards; items without these keys (not yet migrated)
/// are simply not in it.
pub const LIST_INDEX: &str = "newest_first";
pub const LIST_PARTITION: &str = "list_pk";
pub const LIST_SORT: &str = "list_sk";
/// The search index (GSI): the list index's keys, projecting only what a search or a filter
/// looks at: the name, the description, the tags and the location (`search.rs`).
pub const SEARCH_INDEX: &str = "search_digest";
/// What the search index projects besides its keys.
pub const SEARCH_PROJECTED: [&str; 4] = [NAME, DESCRIPTION, TAGS, LOCATION];
/// Which collection the item is in. Items of the old service have none: they belong to the
/// collection anonymous access names, and `shelf migrate` writes it down.
pub const COLLECTION: &str = "collection";

/// The list index's partition of a collection's items: a list page is one `Query` of it.
pub fn list_partition(collection: &CollectionId) -> String {
    format!("collection#{collection}")
}

/// Why a stored item could not be read.
#[derive(Debug, thiserror::Error)]
#[error("stored item {id} is malformed: {problem}")]
pub struct Malformed {
    id: String,
    problem: String,
}

pub fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// The sort key of the list index: zero-padded microseconds, so strings sort like times, then
/// the id to keep equal times apart (the same order as the embedded store's `ORDER BY`).
pub fn list_sort_key(created_at: Timestamp, id: &ItemId) -> String {
    format!("{:020}#{}", created_at.as_micros(), id)
}

/// Shelf's times are RFC 3339; the old service wrote naive ISO times in UTC.
pub fn parse_time(raw: &str) -> Option<Timestamp> {
    Timestamp::parse_rfc3339(raw).or_else(|| {
        let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
        Timestamp::from_micros(Utc.from_utc_datetime(&naive).timestamp_micros())
    })
}

/// Everything a new item is written with.
pub fn new_item(
    collection: &CollectionId,
    id: &ItemId,
    draft: &ItemDraft,
    now: Timestamp,
) -> Attributes {
    let mut attributes = HashMap::from([
        (COLLECTION.to_owned(), s(collection.to_string())),
        (ID.to_owned(), s(id.as_str())),
        (NAME.to_owned(), s(draft.name.as_str())),
        (DESCRIPTION.to_owned(), s(draft.description.as_str())),
        (TAGS.to_owned(), tags(&draft.tags)),
        (CREATED_AT.to_owned(), s(now.to_rfc3339())),
        (UPDATED_AT.to_owned(), s(now.to_rfc3339())),
        (VERSION.to_owned(), n(1)),
        (PHOTOS.to_owned(), AttributeValue::M(HashMap::new())),
        (LIST_PARTITION.to_owned(), s(list_partition(collection))),
        (LIST_SORT.to_owned(), s(list_sort_key(now, id))),
    ]);
    if let Some(quantity) = draft.quantity {
        attributes.insert(QUANTITY.to_owned(), n(quantity.get()));
    }
    if let Some(location) = &draft.location {
        attributes.insert(LOCATION.to_owned(), s(location.as_str()));
    }
    attributes
}

/// The item's location, if it names one that can be a location.
pub fn location(attributes: &Attributes) -> Option<LocationId> {
    string(attributes, LOCATION).and_then(|raw| LocationId::parse(raw).ok())
}

/// The tags as stored: a list of strings, in their order.
pub fn tags(tags: &Tags) -> AttributeValue {
    AttributeValue::L(tags.iter().map(|tag| s(tag.as_str())).collect())
}

/// The stored tags (none if absent), or why they cannot be read.
pub fn read_tags(attributes: &Attributes) -> Result<Tags, &'static str> {
    let Some(value) = attributes.get(TAGS) else {
        return Ok(Tags::default());
    };
    let list = value.as_l().map_err(|_| "tags is not a list")?;
    let texts: Option<Vec<&str>> = list
        .iter()
        .map(|tag| tag.as_s().ok().map(String::as_str))
        .collect();
    Tags::parse_all(texts.ok_or("a tag is not a string")?).map_err(|_| "a tag is not valid")
}

/// One photo's record as stored in the item's photo map.
pub fn photo(record: &PhotoRecord, position: i64) -> AttributeValue {
    AttributeValue::M(HashMap::from([
        (POSITION.to_owned(), n(position)),
        ("width".to_owned(), n(record.display.width)),
        ("height".to_owned(), n(record.display.height)),
        ("bytes".to_owned(), n(record.display.bytes)),
        ("thumb_width".to_owned(), n(record.thumb.width)),
        ("thumb_height".to_owned(), n(record.thumb.height)),
        ("thumb_bytes".to_owned(), n(record.thumb.bytes)),
        ("placeholder".to_owned(), s(&record.placeholder)),
    ]))
}

/// A stored item as the app sees it.
pub fn item(attributes: &Attributes, urls: &dyn PhotoUrls) -> Result<Item, Malformed> {
    let raw_id = string(attributes, ID).unwrap_or_default();
    let malformed = |problem: &str| Malformed {
        id: raw_id.to_owned(),
        problem: problem.to_owned(),
    };
    let id = ItemId::parse(raw_id).map_err(|_| malformed("id is not a UUID or ULID"))?;
    let created_at = string(attributes, CREATED_AT)
        .and_then(parse_time)
        .ok_or_else(|| malformed("created_at is missing or not a time"))?;
    let updated_at = match string(attributes, UPDATED_AT) {
        Some(raw) => parse_time(raw).ok_or_else(|| malformed("updated_at is not a time"))?,
        None => created_at,
    };
    let version = match attributes.get(VERSION) {
        Some(value) => number(value).ok_or_else(|| malformed("version is not a number"))?,
        None => 1,
    };
    let tags = read_tags(attributes).map_err(malformed)?;
    let quantity = match attributes.get(QUANTITY) {
        None => None,
        Some(value) => Some(
            number(value)
                .and_then(|n| u32::try_from(n).ok())
                .and_then(|n| Quantity::new(n).ok())
                .ok_or_else(|| malformed("quantity is not a whole number up to 1000000"))?,
        ),
    };
    let photos = photo_records(attributes)
        .map_err(|problem| malformed(&problem))?
        .into_iter()
        .map(|record| {
            let url = urls.url(&PhotoKey::new(&id, &record.id, Variant::Display));
            let thumb_url = urls.url(&PhotoKey::new(&id, &record.id, Variant::Thumb));
            Photo::new(record, url, thumb_url)
        })
        .collect();
    Ok(Item {
        name: string(attributes, NAME).unwrap_or_default().to_owned(),
        description: string(attributes, DESCRIPTION)
            .unwrap_or_default()
            .to_owned(),
        tags,
        quantity,
        location: match string(attributes, LOCATION) {
            None => None,
            Some(raw) => Some(
                LocationId::parse(raw).map_err(|_| malformed("location is not a location's id"))?,
            ),
        },
        id,
        created_at,
        updated_at,
        version,
        photos,
    })
}

/// The item's photo records in display order.
pub fn photo_records(attributes: &Attributes) -> Result<Vec<PhotoRecord>, String> {
    let Some(map) = attributes.get(PHOTOS) else {
        return Ok(Vec::new());
    };
    let map = map.as_m().map_err(|_| "photos is not a map".to_owned())?;
    let mut photos = Vec::with_capacity(map.len());
    for (id, value) in map {
        let bad = || format!("photo {id} is malformed");
        let fields = value.as_m().map_err(|_| bad())?;
        let get = |name: &str| fields.get(name).and_then(number).ok_or_else(bad);
        let variant = |width: &str, height: &str, bytes: &str| -> Result<VariantInfo, String> {
            Ok(VariantInfo {
                width: u32::try_from(get(width)?).map_err(|_| bad())?,
                height: u32::try_from(get(height)?).map_err(|_| bad())?,
                bytes: get(bytes)?,
            })
        };
        let position = fields
            .get(POSITION)
            .and_then(|v| v.as_n().ok())
            .and_then(|v| v.parse::<i64>().ok())
            .ok_or_else(bad)?;
        let record = PhotoRecord {
            id: PhotoId::parse(id).map_err(|_| bad())?,
            display: variant("width", "height", "bytes")?,
            thumb: variant("thumb_width", "thumb_height", "thumb_bytes")?,
            placeholder: string(fields, "placeholder").ok_or_else(bad)?.to_owned(),
        };
        photos.push((position, record));
    }
    photos.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.id.as_str().cmp(y.id.as_str())));
    Ok(photos.into_iter().map(|(_, record)| record).collect())
}

fn string<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a str> {
    attributes.get(name)?.as_s().ok().map(String::as_str)
}

/// A number attribute's value, if it is a whole number that fits.
pub fn number(value: &AttributeValue) -> Option<u64> {
    value.as_n().ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_old_services_naive_times_as_utc() {
        let time = parse_time("2025-11-26T10:11:12.123456").unwrap();
        assert_eq!(time.to_rfc3339(), "2025-11-26T10:11:12.123456Z");
        let whole = parse_time("2025-11-26T10:11:12").unwrap();
        assert_eq!(whole.to_rfc3339(), "2025-11-26T10:11:12.000000Z");
        assert_eq!(
            parse_time("2025-11-26T11:11:12.5+01:00")
                .unwrap()
                .to_rfc3339(),
            "2025-11-26T10:11:12.500000Z"
        );
        assert!(parse_time("yesterday").is_none());
    }

    #[test]
    fn list_sort_keys_sort_like_creation_times() {
        let id = ItemId::parse("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap();
        let early = list_sort_key(Timestamp::from_micros(999_999).unwrap(), &id);
        let late = list_sort_key(Timestamp::from_micros(1_000_000).unwrap(), &id);
        assert!(early < late, "{early} < {late}");
    }
}
