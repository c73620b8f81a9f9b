//! Items and their photos, as stored and as the API returns them.

use super::{ItemDraft, ItemId, LocationId, PhotoId, PhotoRecord, Quantity, Tags, Timestamp};
use serde::{Deserialize, Serialize};

/// One record on the shelf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0193f0a4-6f1e-7c2a-9d3b-5a8e2f1c4b7d"))]
    pub id: ItemId,
    #[cfg_attr(feature = "openapi", schema(example = "Brass desk lamp"))]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Works; the shade has a small dent.")
    )]
    pub description: String,
    /// Sorted; no two the same but for case, accents or punctuation. Items from before tags
    /// have none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, example = json!(["Lighting", "Study"])))]
    pub tags: Tags,
    /// How many there are (0 to 1 000 000); `null` when not counted.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, maximum = 1000000, example = 2))]
    pub quantity: Option<Quantity>,
    /// The id of the location it is in (`GET /api/locations`); `null` when not filed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub location: Option<LocationId>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
    /// Starts at 1 and grows by one with every change; the `ETag` of the item.
    pub version: u64,
    /// In display order; the first is the cover.
    pub photos: Vec<Photo>,
}

/// A photo of an item as the API and the pages show it: an immutable pair of JPEG variants
/// (display and thumbnail).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: PhotoId,
    /// Pixel size of the display variant (long edge at most 1600).
    pub width: u32,
    pub height: u32,
    /// Byte size of the display variant.
    pub bytes: u64,
    /// The display variant.
    pub url: String,
    /// The thumbnail (long edge at most 400).
    pub thumb_url: String,
    pub thumb_width: u32,
    pub thumb_height: u32,
    /// A ThumbHash (base64): a tiny blurred preview to show until the image has loaded.
    pub placeholder: String,
}

impl Photo {
    pub fn new(record: PhotoRecord, url: String, thumb_url: String) -> Self {
        Self {
            id: record.id,
            width: record.display.width,
            height: record.display.height,
            bytes: record.display.bytes,
            url,
            thumb_url,
            thumb_width: record.thumb.width,
            thumb_height: record.thumb.height,
            placeholder: record.placeholder,
        }
    }
}

impl Item {
    /// Whether the item holds exactly what `draft` would write: a create retried with the
    /// same content is no conflict.
    pub fn has_content_of(&self, draft: &ItemDraft) -> bool {
        self.name == draft.name.as_str()
            && self.description == draft.description.as_str()
            && self.tags == draft.tags
            && self.quantity == draft.quantity
            && self.location == draft.location
    }

    pub fn cover(&self) -> Option<&Photo> {
        self.photos.first()
    }
}
