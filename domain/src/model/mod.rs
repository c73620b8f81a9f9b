//! The shared domain model: compiled into the server and the browser alike.

mod cursor;
mod fields;
mod item;
mod item_id;
mod photo;
mod timestamp;

pub use cursor::{Cursor, InvalidCursor};
pub use fields::{
    FieldErrors, ItemDescription, ItemDraft, ItemInput, ItemName, DESCRIPTION_MAX_CHARS,
    NAME_MAX_CHARS,
};
pub use item::{Item, Photo};
pub use item_id::{InvalidItemId, ItemId};
pub use photo::{InvalidPhotoId, PhotoId, PhotoKey, PhotoRecord, Variant, VariantInfo};
pub use timestamp::Timestamp;
