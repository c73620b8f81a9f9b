//! The embedded photo store: JPEG files under `$SHELF_DATA_DIR/photos/`, uploaded through the
//! app's own signed URLs (`PUT /uploads/{key}?expires=…&signature=…`) and served at
//! `/media/{key}?expires=…&signature=…`, signed URLs too (`media_url`).
//!
//! Every write goes to a temporary file in `$SHELF_DATA_DIR/incoming/` (same file system),
//! is flushed to disk, and is then renamed into place, and the folder entry is flushed too:
//! a reader, or a restart after a crash, sees the whole file or no file, never part of one.

mod media_url;
mod signature;

pub use media_url::MediaRefusal;
pub use signature::{signed_url, UploadRefusal, UploadRequestParts};

use axum::body::Bytes;
use domain::model::{ItemId, PhotoId, PhotoKey};
use domain::photo_store::{
    ObjectInfo, PhotoStore, PhotoStoreError, PhotoUrls, StoredPhoto, UploadTarget,
};
use domain::photos::Signer;
use futures_util::{Stream, StreamExt};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use tokio::fs;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Where the app serves the photo folder.
pub const MEDIA_PREFIX: &str = "/media";
/// Where the app accepts uploads.
pub const UPLOAD_PREFIX: &str = "/uploads";

pub struct LocalPhotoStore {
    /// The data folder; keys (`photos/…`) are paths below it.
    root: PathBuf,
    incoming: PathBuf,
    signer: Signer,
}

/// Why an upload's body could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the body has {received} bytes or more, not the {expected} signed for")]
    TooLong { expected: u64, received: u64 },
    #[error("the body ended after {received} of {expected} bytes")]
    TooShort { expected: u64, received: u64 },
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Disk(#[from] std::io::Error),
}

impl LocalPhotoStore {
    /// Opens the photo folder under `data_dir`, creating it if needed, and removes temporary
    /// files a crash may have left.
    pub fn open(data_dir: &Path, signer: Signer) -> std::io::Result<Self> {
        let photos = data_dir.join(PhotoKey::PREFIX);
        let incoming = data_dir.join("incoming");
        std::fs::create_dir_all(&photos)?;
        if incoming.exists() {
            std::fs::remove_dir_all(&incoming)?;
        }
        std::fs::create_dir_all(&incoming)?;
        Ok(Self {
            root: data_dir.to_path_buf(),
            incoming,
            signer,
        })
    }

    pub fn path(&self, key: &PhotoKey) -> PathBuf {
        self.root.join(key.to_string())
    }

    /// Checks a `GET /media/…` against the signature in its URL: how long it still works.
    pub fn check_media(
        &self,
        key: &PhotoKey,
        expires: Option<&str>,
        signature: Option<&str>,
    ) -> Result<std::time::Duration, MediaRefusal> {
        media_url::check(&self.signer, key, expires, signature, SystemTime::now())
    }

    /// Checks a `PUT /uploads/…` against the signature in its URL.
    pub fn check_upload(
        &self,
        key: &PhotoKey,
        request: &UploadRequestParts,
        now: SystemTime,
    ) -> Result<(), UploadRefusal> {
        signature::check(&self.signer, key, request, now)
    }

    /// Streams an upload's body to its place, atomically; exactly `expected` bytes or nothing.
    pub async fn write_stream<S, E>(
        &self,
        key: &PhotoKey,
        body: S,
        expected: u64,
    ) -> Result<(), WriteError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let temp = self.incoming.join(format!("{}.part", uuid::Uuid::new_v4()));
        let result = self.write_temp(&temp, body, expected).await;
        let result = match result {
            Ok(()) => self.move_into_place(&temp, &self.path(key)).await,
            Err(e) => Err(e),
        };
        if result.is_err() {
            let _ = fs::remove_file(&temp).await;
        }
        result
    }

    async fn write_temp<S, E>(&self, temp: &Path, body: S, expected: u64) -> Result<(), WriteError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut file = fs::File::create(temp).await?;
        let mut received = 0u64;
        let mut body = std::pin::pin!(body);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| WriteError::Interrupted(e.to_string()))?;
            received += chunk.len() as u64;
            if received > expected {
                return Err(WriteError::TooLong { expected, received });
            }
            file.write_all(&chunk).await?;
        }
        if received != expected {
            return Err(WriteError::TooShort { expected, received });
        }
        file.sync_all().await?;
        Ok(())
    }

    async fn move_into_place(&self, temp: &Path, target: &Path) -> Result<(), WriteError> {
        let folder = target
            .parent()
            .ok_or_else(|| std::io::Error::other("a key always has a folder"))?;
        fs::create_dir_all(folder).await?;
        fs::rename(temp, target).await?;
        // The rename is only durable once the folder's entry is on disk.
        let folder = folder.to_path_buf();
        tokio::task::spawn_blocking(move || std::fs::File::open(folder)?.sync_all())
            .await
            .map_err(std::io::Error::other)??;
        Ok(())
    }
}

impl PhotoUrls for LocalPhotoStore {
    fn url(&self, key: &PhotoKey) -> String {
        media_url::signed(&self.signer, key, SystemTime::now())
    }
}

#[async_trait::async_trait]
impl PhotoStore for LocalPhotoStore {
    async fn upload_target(
        &self,
        key: &PhotoKey,
        bytes: u64,
        content_type: &str,
        expires: SystemTime,
    ) -> Result<UploadTarget, PhotoStoreError> {
        Ok(UploadTarget {
            url: signature::signed_url(&self.signer, key, bytes, content_type, expires),
            headers: vec![("Content-Type".into(), content_type.into())],
        })
    }

    async fn stat(&self, key: &PhotoKey) -> Result<Option<ObjectInfo>, PhotoStoreError> {
        match fs::metadata(self.path(key)).await {
            Ok(meta) if meta.is_file() => Ok(Some(ObjectInfo {
                bytes: meta.len(),
                // Files carry no type; what the signature allowed is all that was accepted.
                content_type: None,
            })),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(disk_error(e)),
        }
    }

    async fn read_head(
        &self,
        key: &PhotoKey,
        max: usize,
    ) -> Result<Option<Vec<u8>>, PhotoStoreError> {
        let file = match fs::File::open(self.path(key)).await {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(disk_error(e)),
        };
        let mut head = Vec::with_capacity(max.min(64 * 1024));
        file.take(max as u64)
            .read_to_end(&mut head)
            .await
            .map_err(disk_error)?;
        Ok(Some(head))
    }

    async fn put(
        &self,
        key: &PhotoKey,
        bytes: Vec<u8>,
        _content_type: &str,
    ) -> Result<(), PhotoStoreError> {
        let expected = bytes.len() as u64;
        let body = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(bytes))]);
        self.write_stream(key, body, expected)
            .await
            .map_err(|e| PhotoStoreError::Internal(Box::new(e)))
    }

    async fn delete_photo(&self, item: &ItemId, photo: &PhotoId) -> Result<(), PhotoStoreError> {
        let item_folder = self.root.join(PhotoKey::PREFIX).join(item.as_str());
        match fs::remove_dir_all(item_folder.join(photo.as_str())).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(disk_error(e)),
        }
        // Fails while other photos of the item remain, which is fine.
        let _ = fs::remove_dir(item_folder).await;
        Ok(())
    }

    async fn delete_item(&self, item: &ItemId) -> Result<(), PhotoStoreError> {
        let folder = self.root.join(PhotoKey::PREFIX).join(item.as_str());
        match fs::remove_dir_all(folder).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(disk_error(e)),
        }
    }

    async fn stored_before(&self, before: SystemTime) -> Result<Vec<StoredPhoto>, PhotoStoreError> {
        let photos = self.root.join(PhotoKey::PREFIX);
        tokio::task::spawn_blocking(move || list_photo_folders(&photos, before))
            .await
            .map_err(|e| PhotoStoreError::Internal(Box::new(e)))?
            .map_err(disk_error)
    }

    /// The photo folder is there and uploads can be written: a data folder made read-only
    /// (or a full disk) takes the instance out of service, as an unreachable S3 would.
    async fn ping(&self) -> Result<(), PhotoStoreError> {
        let meta = fs::metadata(self.root.join(PhotoKey::PREFIX))
            .await
            .map_err(disk_error)?;
        if !meta.is_dir() {
            return Err(PhotoStoreError::Unavailable(
                "the photo folder is not a folder".into(),
            ));
        }
        let probe = self
            .incoming
            .join(format!("ready-{}", uuid::Uuid::new_v4().simple()));
        fs::write(&probe, b"").await.map_err(disk_error)?;
        fs::remove_file(&probe).await.map_err(disk_error)
    }
}

/// `photos/{item}/{photo}/` folders whose newest file is older than `before`. Names that are
/// not canonical ids are not ours and are left alone.
fn list_photo_folders(photos: &Path, before: SystemTime) -> std::io::Result<Vec<StoredPhoto>> {
    let mut found = Vec::new();
    for item_entry in std::fs::read_dir(photos)? {
        let item_entry = item_entry?;
        let Some(item) = canonical(&item_entry.file_name(), ItemId::parse) else {
            continue;
        };
        for photo_entry in std::fs::read_dir(item_entry.path())? {
            let photo_entry = photo_entry?;
            let Some(photo) = canonical(&photo_entry.file_name(), PhotoId::parse) else {
                continue;
            };
            let modified = newest_change(&photo_entry.path())?;
            if modified < before {
                found.push(StoredPhoto {
                    item: item.clone(),
                    photo,
                    modified,
                });
            }
        }
    }
    Ok(found)
}

fn canonical<T: ToString, E>(
    name: &std::ffi::OsStr,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Option<T> {
    let name = name.to_str()?;
    parse(name).ok().filter(|id| id.to_string() == name)
}

/// The latest modification time of a photo folder's files (the folder's own, when empty).
fn newest_change(folder: &Path) -> std::io::Result<SystemTime> {
    let mut newest = None::<SystemTime>;
    for entry in std::fs::read_dir(folder)? {
        let modified = entry?.metadata()?.modified()?;
        newest = Some(newest.map_or(modified, |n| n.max(modified)));
    }
    match newest {
        Some(newest) => Ok(newest),
        None => std::fs::metadata(folder)?.modified(),
    }
}

fn disk_error(error: std::io::Error) -> PhotoStoreError {
    if is_outage(&error) {
        PhotoStoreError::Unavailable(Box::new(error))
    } else {
        PhotoStoreError::Internal(Box::new(error))
    }
}

/// A disk that cannot be written for now (remounted read-only, made immutable, full, over
/// quota): an outage to wait out, answered 503, not a bug.
pub fn is_outage(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ReadOnlyFilesystem
            | ErrorKind::PermissionDenied
            | ErrorKind::StorageFull
            | ErrorKind::QuotaExceeded
    )
}
