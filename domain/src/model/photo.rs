//! Photos of an item: their ids, the two stored variants, and where each variant lives.

use super::ItemId;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// The identifier of a photo, chosen by the server: a UUID in lowercase hyphenated form.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PhotoId(String);

/// Why a string is not a [`PhotoId`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be a photo id (a UUID)")]
pub struct InvalidPhotoId;

impl PhotoId {
    pub fn parse(raw: &str) -> Result<Self, InvalidPhotoId> {
        uuid::Uuid::try_parse(raw)
            .map(|uuid| Self(uuid.hyphenated().to_string()))
            .map_err(|_| InvalidPhotoId)
    }

    /// A UUIDv7: photo folders then sort by upload time.
    #[cfg(feature = "server")]
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7().hyphenated().to_string())
    }

    /// The nil UUID, which no photo is given: for keys that must name nothing.
    pub fn nil() -> Self {
        Self(uuid::Uuid::nil().hyphenated().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhotoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PhotoId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// The two JPEGs stored per photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Long edge at most 1600 px: the item page's gallery.
    Display,
    /// Long edge at most 400 px: list cards and small screens.
    Thumb,
}

impl Variant {
    pub const ALL: [Variant; 2] = [Variant::Display, Variant::Thumb];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Display => "display",
            Variant::Thumb => "thumb",
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            Variant::Display => "display.jpg",
            Variant::Thumb => "thumb.jpg",
        }
    }
}

/// Where one variant of one photo is stored: `photos/{item}/{photo}/{variant}.jpg`, the same
/// in the local folder and in the S3 bucket. Built only from validated ids, so a key can never
/// point outside the photo folder.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhotoKey {
    pub item: ItemId,
    pub photo: PhotoId,
    pub variant: Variant,
}

impl PhotoKey {
    pub const PREFIX: &'static str = "photos";

    pub fn new(item: &ItemId, photo: &PhotoId, variant: Variant) -> Self {
        Self {
            item: item.clone(),
            photo: photo.clone(),
            variant,
        }
    }

    /// A key that no photo has (the nil ids'): what [`crate::photo_store::PhotoUrls::url_probe`]
    /// asks the URL of.
    pub fn probe() -> Self {
        Self::new(&ItemId::nil(), &PhotoId::nil(), Variant::Display)
    }

    /// Parses a key as [`fmt::Display`] writes it; anything else (other folders, `..`,
    /// non-canonical ids) is `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.split('/');
        let (prefix, item, photo, file) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if prefix != Self::PREFIX || parts.next().is_some() {
            return None;
        }
        let item = ItemId::parse(item).ok().filter(|id| id.as_str() == item)?;
        let photo = PhotoId::parse(photo)
            .ok()
            .filter(|id| id.as_str() == photo)?;
        let variant = Variant::ALL.into_iter().find(|v| v.file_name() == file)?;
        Some(Self {
            item,
            photo,
            variant,
        })
    }
}

impl fmt::Display for PhotoKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{}",
            Self::PREFIX,
            self.item,
            self.photo,
            self.variant.file_name()
        )
    }
}

/// Pixel size and byte size of one stored variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantInfo {
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// A photo as the item store records it: everything but URLs, which depend on where the
/// photo store serves from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRecord {
    pub id: PhotoId,
    pub display: VariantInfo,
    pub thumb: VariantInfo,
    /// ThumbHash, base64 without padding.
    pub placeholder: String,
}

impl PhotoRecord {
    pub fn variant(&self, variant: Variant) -> VariantInfo {
        match variant {
            Variant::Display => self.display,
            Variant::Thumb => self.thumb,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> PhotoKey {
        PhotoKey::new(
            &ItemId::parse("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap(),
            &PhotoId::parse("0193f0a4-6f1e-7c2a-9d3b-5a8e2f1c4b7d").unwrap(),
            Variant::Thumb,
        )
    }

    #[test]
    fn keys_round_trip() {
        let key = key();
        let text = key.to_string();
        assert_eq!(
            text,
            "photos/67e55044-10b1-426f-9247-bb680e5fe0c8/0193f0a4-6f1e-7c2a-9d3b-5a8e2f1c4b7d/thumb.jpg"
        );
        assert_eq!(PhotoKey::parse(&text), Some(key));
    }

    #[test]
    fn only_canonical_keys_parse() {
        let good = key().to_string();
        for bad in [
            good.replace("photos/", "other/"),
            good.replace("thumb.jpg", "thumb.png"),
            good.replace("thumb.jpg", "../thumb.jpg"),
            good.to_uppercase(),
            format!("{good}/x"),
            format!("/{good}"),
            "photos/../../etc/passwd".into(),
            String::new(),
        ] {
            assert_eq!(PhotoKey::parse(&bad), None, "{bad}");
        }
    }
}
