//! The photo-file boundary: where the JPEG variants are uploaded to, checked, served from and
//! deleted. The embedded backend is a local folder behind the app's own signed URLs; the AWS
//! backend is an S3 bucket with pre-signed URLs. Photo *records* belong to the item store.

use crate::item_store::BackendError;
use crate::model::{ItemId, PhotoId, PhotoKey};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

/// The photo store as the app holds it.
pub type SharedPhotoStore = Arc<dyn PhotoStore>;

/// Turns keys into URLs a browser can load. Separate from [`PhotoStore`] because the item
/// store needs it to fill in `url` and `thumb_url`, and nothing else of the photo store.
pub trait PhotoUrls: Send + Sync {
    fn url(&self, key: &PhotoKey) -> String;

    /// The URL made now for a key that no photo has. It changes exactly when every photo's
    /// URL would (a new signing window, new credentials, another address), so a response
    /// showing photo URLs can be kept under it and never be sent with expired ones.
    fn url_probe(&self) -> String {
        static PROBE: OnceLock<PhotoKey> = OnceLock::new();
        self.url(PROBE.get_or_init(PhotoKey::probe))
    }
}

/// What a browser needs to upload one variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadTarget {
    /// Absolute, or relative to the app's origin (the embedded store's own URLs).
    pub url: String,
    /// Headers the PUT must carry exactly as given: they are part of the signature.
    pub headers: Vec<(String, String)>,
}

/// A stored object's size and, where the backend records them, its content type and
/// entity tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectInfo {
    pub bytes: u64,
    pub content_type: Option<String>,
    /// Names these exact bytes: keeping copies only the object that was checked.
    pub etag: Option<String>,
}

/// A photo's files (all its variants, kept or waiting) and when they last changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPhoto {
    pub item: ItemId,
    pub photo: PhotoId,
    pub modified: SystemTime,
    /// Some of its files were kept (moved where photos are served): it was attached once.
    pub kept: bool,
}

/// One [`StoredPhoto`] per photo from one per file (or folder) of it, kept or waiting: its
/// newest change decides (a half-finished upload is as old as its last part), and it was
/// kept if any of its files were. Those changed before `before` only.
pub fn photos_changed_before(
    files: impl IntoIterator<Item = StoredPhoto>,
    before: SystemTime,
) -> Vec<StoredPhoto> {
    let mut photos: std::collections::HashMap<(ItemId, PhotoId), (SystemTime, bool)> =
        std::collections::HashMap::new();
    for file in files {
        let entry = photos
            .entry((file.item, file.photo))
            .or_insert((file.modified, file.kept));
        *entry = (entry.0.max(file.modified), entry.1 || file.kept);
    }
    photos
        .into_iter()
        .filter(|(_, (modified, _))| *modified < before)
        .map(|((item, photo), (modified, kept))| StoredPhoto {
            item,
            photo,
            modified,
            kept,
        })
        .collect()
}

#[async_trait::async_trait]
pub trait PhotoStore: PhotoUrls {
    /// A URL that accepts a PUT of exactly `bytes` bytes of `content_type` whose SHA-256 is
    /// `sha256` (base64) to `key` until `expires`, and nothing else: another key, size, type
    /// or content is refused, so whatever waits at an upload key is the file promised.
    async fn upload_target(
        &self,
        key: &PhotoKey,
        bytes: u64,
        content_type: &str,
        sha256: &str,
        expires: SystemTime,
    ) -> Result<UploadTarget, PhotoStoreError>;

    /// Size and type of an object; `None` if there is none.
    async fn stat(&self, key: &PhotoKey) -> Result<Option<ObjectInfo>, PhotoStoreError>;

    /// An object's bytes, at most `max` of them (the caller's size limit); `None` if there is
    /// no such object (any more).
    async fn read(&self, key: &PhotoKey, max: usize) -> Result<Option<Vec<u8>>, PhotoStoreError>;

    /// Makes a verified upload permanent, once it is about to be attached: moves it from where
    /// uploads wait (never served, expired by the sweeper or a lifecycle rule) to where photos
    /// are served, provided it is still the object `checked` describes. A photo's key is
    /// written once: keeping never replaces a kept file, and keeping what is already kept is
    /// not an error (the attach was retried).
    async fn keep(&self, key: &PhotoKey, checked: &ObjectInfo) -> Result<(), PhotoStoreError>;

    /// Stores an object the server made itself (the no-JavaScript path), atomically, where
    /// uploads wait: [`PhotoStore::keep`] then makes it permanent, as for a browser's upload.
    async fn put(
        &self,
        key: &PhotoKey,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PhotoStoreError>;

    /// Deletes every variant of a photo; deleting what is not there is not an error.
    async fn delete_photo(&self, item: &ItemId, photo: &PhotoId) -> Result<(), PhotoStoreError>;

    /// Deletes every file of every photo of an item, attached or not (uploads in flight when
    /// it was deleted included).
    async fn delete_item(&self, item: &ItemId) -> Result<(), PhotoStoreError>;

    /// Photos whose files last changed before `before`: what the sweeper looks at.
    async fn stored_before(&self, before: SystemTime) -> Result<Vec<StoredPhoto>, PhotoStoreError>;

    /// Whether the backend answers: part of the readiness check.
    async fn ping(&self) -> Result<(), PhotoStoreError>;

    /// The origins (`scheme://host[:port]`) other than the app's own that browsers load
    /// photos from and upload them to: what the pages' Content-Security-Policy allows.
    async fn browser_origins(&self) -> Result<Vec<String>, PhotoStoreError> {
        Ok(Vec::new())
    }

    /// Whether `bytes` more can be stored while leaving the configured free space on disk
    /// ([`PhotoStoreError::OutOfSpace`] if not). Stores without a disk of their own (S3)
    /// always can.
    async fn check_room(&self, _bytes: u64) -> Result<(), PhotoStoreError> {
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoStoreError {
    #[error("photo storage unavailable")]
    Unavailable(#[source] BackendError),
    #[error("photo storage failure")]
    Internal(#[source] BackendError),
    /// Storing more would take the disk below its configured floor: photos wait, everything
    /// else goes on.
    #[error("the photo disk has {available} bytes free, and keeps {floor} free")]
    OutOfSpace { available: u64, floor: u64 },
}
