//! The shared domain model: compiled into the server and the browser alike.

mod cursor;
mod fields;
mod item;
mod item_id;
mod location;
mod photo;
mod tags;
mod timestamp;

pub use cursor::{Cursor, InvalidCursor};
pub use fields::{
    FieldErrors, ItemChange, ItemDescription, ItemDraft, ItemName, Quantity, DESCRIPTION_MAX_CHARS,
    NAME_MAX_CHARS, QUANTITY_MAX,
};
pub use item::{Item, Photo};
pub use item_id::{InvalidItemId, ItemId};
pub use location::{
    InvalidLocationId, Location, LocationId, LocationName, LOCATION_NAME_MAX_CHARS, MAX_LOCATIONS,
    MAX_LOCATION_DEPTH,
};
pub use photo::{InvalidPhotoId, PhotoId, PhotoKey, PhotoRecord, Variant, VariantInfo};
pub use tags::{Tag, TagCount, Tags, MAX_TAGS_PER_ITEM, TAG_MAX_CHARS};
pub use timestamp::Timestamp;
