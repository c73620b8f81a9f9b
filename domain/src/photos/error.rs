//! Why a photo operation failed: one error type for the REST API, the server functions and
//! the plain form posts, each of which maps it to its own answer.

use crate::item_store::StoreError;
use crate::model::{FieldErrors, Item};
use crate::photo_store::PhotoStoreError;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("item not found")]
    ItemNotFound,
    #[error("the item has no such photo")]
    PhotoNotFound,
    /// The item changed since the version the request was based on.
    #[error("the item was changed by someone else")]
    VersionConflict { current: Box<Item> },
    #[error("an item can have at most {max} photos")]
    TooManyPhotos { max: usize },
    /// Uploads granted for the item and not yet attached; the oldest one's URLs expire in
    /// `retry_after`.
    #[error("{max} uploads for this item are waiting to be attached; attach them or retry later")]
    TooManyPending {
        max: usize,
        retry_after: std::time::Duration,
    },
    #[error("{field} is larger than the limit of {max} bytes")]
    TooLarge { field: String, max: u64 },
    #[error("{field} must be image/jpeg")]
    UnsupportedType { field: String },
    /// Bad input, by field: a malformed or expired upload id, impossible dimensions, a file
    /// that was not uploaded as promised.
    #[error("the photo could not be accepted")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Files(#[from] PhotoStoreError),
}

impl PhotoError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(FieldErrors::from([(field.to_owned(), message.into())]))
    }

    /// The request itself was refused (bad or broken promises, limits), as opposed to a
    /// missing item, a conflict or a failing store.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::TooManyPhotos { .. }
                | Self::TooManyPending { .. }
                | Self::TooLarge { .. }
                | Self::UnsupportedType { .. }
                | Self::Invalid(_)
        )
    }

    /// The store or the photo folder is busy or unreachable, rather than broken.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Store(StoreError::Unavailable(_)) | Self::Files(PhotoStoreError::Unavailable(_))
        )
    }
}

impl From<StoreError> for PhotoError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::ItemNotFound,
            StoreError::PhotoNotFound => Self::PhotoNotFound,
            StoreError::VersionConflict { current } => Self::VersionConflict { current },
            StoreError::TooManyPhotos { max } => Self::TooManyPhotos { max },
            StoreError::BadPhotoOrder => {
                Self::invalid("order", "must list each of the item's photos exactly once")
            }
            other => Self::Store(other),
        }
    }
}
