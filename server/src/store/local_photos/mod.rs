//! The embedded photo store: JPEG files under `$SHELF_DATA_DIR/photos/`, served at
//! `/media/{key}?expires=…&signature=…` (signed URLs, `media_url`), and uploaded through the
//! app's own signed URLs (`PUT /uploads/{key}?expires=…&signature=…`, `signature`) into
//! `$SHELF_DATA_DIR/uploads/`, which nothing serves. Attaching links a checked upload into
//! `photos/` ([`PhotoStore::keep`]), never over a file already there: a photo's file, once
//! served, never changes, however often its upload URL is used.
//!
//! Every write goes to a temporary file in `$SHELF_DATA_DIR/incoming/` (same file system),
//! is flushed to disk, and is then renamed into place, and the folder entry is flushed too:
//! a reader, or a restart after a crash, sees the whole file or no file, never part of one.

mod media_url;
mod signature;

pub use media_url::MediaRefusal;
pub use signature::{signed_url, UploadRefusal, UploadRequestParts, CHECKSUM_HEADER};

use axum::body::Bytes;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use domain::model::{ItemId, PhotoId, PhotoKey};
use domain::photo_store::{
    photos_changed_before, ObjectInfo, PhotoStore, PhotoStoreError, PhotoUrls, StoredPhoto,
    UploadTarget,
};
use domain::photos::Signer;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use tokio::fs;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Where the app serves the photo folder.
pub const MEDIA_PREFIX: &str = "/media";
/// Where the app accepts uploads.
pub const UPLOAD_PREFIX: &str = "/uploads";

/// The folder below the data folder where uploads wait to be attached.
const UPLOADS_FOLDER: &str = "uploads";

pub struct LocalPhotoStore {
    /// The data folder; keys (`photos/…`) are paths below it.
    root: PathBuf,
    incoming: PathBuf,
    signer: Signer,
    media_urls: media_url::SignedUrls,
    /// Bytes always left free on the data folder's disk: photos stop there, and the
    /// database, logs and the system keep room.
    free_space_floor: u64,
}

/// Why an upload's body could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the body has {received} bytes or more, not the {expected} signed for")]
    TooLong { expected: u64, received: u64 },
    #[error("the body ended after {received} of {expected} bytes")]
    TooShort { expected: u64, received: u64 },
    #[error("the body is not the file the URL was signed for (its SHA-256 differs)")]
    OtherContent,
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error("the disk has {available} bytes free, and keeps {floor} free")]
    OutOfSpace { available: u64, floor: u64 },
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
        std::fs::create_dir_all(data_dir.join(UPLOADS_FOLDER))?;
        if incoming.exists() {
            std::fs::remove_dir_all(&incoming)?;
        }
        std::fs::create_dir_all(&incoming)?;
        Ok(Self {
            root: data_dir.to_path_buf(),
            incoming,
            signer,
            media_urls: media_url::SignedUrls::default(),
            free_space_floor: 0,
        })
    }

    /// Keeps `bytes` free on the disk: uploads and server-made photos that would go below
    /// are refused ([`PhotoStoreError::OutOfSpace`], 507).
    pub fn keeping_free(mut self, bytes: u64) -> Self {
        self.free_space_floor = bytes;
        self
    }

    /// Bytes an unprivileged process may still write on the data folder's disk.
    fn available_bytes(&self) -> std::io::Result<u64> {
        let stats = rustix::fs::statvfs(&self.root)?;
        Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
    }

    /// Where an attached photo's file is: what `/media` serves.
    pub fn path(&self, key: &PhotoKey) -> PathBuf {
        self.root.join(key.to_string())
    }

    /// Where an upload waits to be attached: the same path under `uploads/`.
    fn upload_path(&self, key: &PhotoKey) -> PathBuf {
        self.root
            .join(UPLOADS_FOLDER)
            .join(key.item.as_str())
            .join(key.photo.as_str())
            .join(key.variant.file_name())
    }

    /// The upload if it still waits, else the attached file (a retried attach).
    async fn either_path(&self, key: &PhotoKey) -> Result<Option<PathBuf>, PhotoStoreError> {
        for path in [self.upload_path(key), self.path(key)] {
            match fs::metadata(&path).await {
                Ok(meta) if meta.is_file() => return Ok(Some(path)),
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(disk_error(e)),
            }
        }
        Ok(None)
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

    /// Streams an upload's body to where uploads wait, atomically: exactly `expected` bytes
    /// whose SHA-256 is `sha256` (base64), or nothing.
    pub async fn write_upload<S, E>(
        &self,
        key: &PhotoKey,
        body: S,
        expected: u64,
        sha256: &str,
    ) -> Result<(), WriteError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        self.room_for(expected).await?;
        self.write_atomically(&self.upload_path(key), body, expected, Some(sha256))
            .await
    }

    async fn room_for(&self, bytes: u64) -> Result<(), WriteError> {
        let available = self.available_bytes()?;
        if available < self.free_space_floor.saturating_add(bytes) {
            return Err(WriteError::OutOfSpace {
                available,
                floor: self.free_space_floor,
            });
        }
        Ok(())
    }

    async fn write_atomically<S, E>(
        &self,
        target: &Path,
        body: S,
        expected: u64,
        sha256: Option<&str>,
    ) -> Result<(), WriteError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let temp = self.incoming.join(format!("{}.part", uuid::Uuid::new_v4()));
        let result = match self.write_temp(&temp, body, expected).await {
            Ok(digest) if sha256.is_some_and(|want| STANDARD.encode(digest) != want) => {
                Err(WriteError::OtherContent)
            }
            Ok(_) => self.move_into_place(&temp, target).await,
            Err(e) => Err(e),
        };
        if result.is_err() {
            let _ = fs::remove_file(&temp).await;
        }
        result
    }

    /// Writes the body to `temp`, hashing it on the way; its SHA-256.
    async fn write_temp<S, E>(
        &self,
        temp: &Path,
        body: S,
        expected: u64,
    ) -> Result<[u8; 32], WriteError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut file = fs::File::create(temp).await?;
        let mut received = 0u64;
        let mut hasher = Sha256::new();
        let mut body = std::pin::pin!(body);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| WriteError::Interrupted(e.to_string()))?;
            received += chunk.len() as u64;
            if received > expected {
                return Err(WriteError::TooLong { expected, received });
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await?;
        }
        if received != expected {
            return Err(WriteError::TooShort { expected, received });
        }
        file.sync_all().await?;
        Ok(hasher.finalize().into())
    }

    async fn move_into_place(&self, temp: &Path, target: &Path) -> Result<(), WriteError> {
        let folder = folder_of(target)?;
        fs::create_dir_all(folder).await?;
        if let Err(error) = fs::rename(temp, target).await {
            // The folder was removed as empty by a keep in between: make it again, once.
            if error.kind() != ErrorKind::NotFound {
                return Err(error.into());
            }
            fs::create_dir_all(folder).await?;
            fs::rename(temp, target).await?;
        }
        sync_folder(target).await?;
        Ok(())
    }
}

fn folder_of(path: &Path) -> std::io::Result<&Path> {
    path.parent()
        .ok_or_else(|| std::io::Error::other("a key always has a folder"))
}

/// Makes a new folder entry durable: a rename or link is on disk once its folder is.
async fn sync_folder(entry: &Path) -> std::io::Result<()> {
    let folder = folder_of(entry)?.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::File::open(folder)?.sync_all())
        .await
        .map_err(std::io::Error::other)?
}

impl PhotoUrls for LocalPhotoStore {
    fn url(&self, key: &PhotoKey) -> String {
        self.media_urls.get(&self.signer, key, SystemTime::now())
    }
}

#[async_trait::async_trait]
impl PhotoStore for LocalPhotoStore {
    async fn upload_target(
        &self,
        key: &PhotoKey,
        bytes: u64,
        content_type: &str,
        sha256: &str,
        expires: SystemTime,
    ) -> Result<UploadTarget, PhotoStoreError> {
        Ok(UploadTarget {
            url: signature::signed_url(&self.signer, key, bytes, content_type, sha256, expires),
            headers: vec![
                ("Content-Type".into(), content_type.into()),
                (signature::CHECKSUM_HEADER.into(), sha256.into()),
            ],
        })
    }

    async fn stat(&self, key: &PhotoKey) -> Result<Option<ObjectInfo>, PhotoStoreError> {
        let Some(path) = self.either_path(key).await? else {
            return Ok(None);
        };
        let meta = match fs::metadata(path).await {
            Ok(meta) => meta,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(disk_error(e)),
        };
        Ok(Some(ObjectInfo {
            bytes: meta.len(),
            // Files carry no type; what the signature allowed is all that was accepted.
            content_type: None,
            // Nothing to name: an upload's file holds its signed SHA-256's bytes or nothing.
            etag: None,
        }))
    }

    async fn read(&self, key: &PhotoKey, max: usize) -> Result<Option<Vec<u8>>, PhotoStoreError> {
        let Some(path) = self.either_path(key).await? else {
            return Ok(None);
        };
        let file = match fs::File::open(path).await {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(disk_error(e)),
        };
        let mut bytes = Vec::new();
        file.take(max as u64)
            .read_to_end(&mut bytes)
            .await
            .map_err(disk_error)?;
        Ok(Some(bytes))
    }

    /// A hard link, which (unlike a rename) never replaces a file already at the photo's
    /// path; then the upload's own name is removed.
    async fn keep(&self, key: &PhotoKey, _checked: &ObjectInfo) -> Result<(), PhotoStoreError> {
        let (upload, photo) = (self.upload_path(key), self.path(key));
        fs::create_dir_all(folder_of(&photo).map_err(disk_error)?)
            .await
            .map_err(disk_error)?;
        match fs::hard_link(&upload, &photo).await {
            Ok(()) => sync_folder(&photo).await.map_err(disk_error)?,
            // Kept already: by an attach that was retried, or by one racing this one.
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) if e.kind() == ErrorKind::NotFound && is_file(&photo).await => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(PhotoStoreError::Internal(
                    format!("upload {} vanished before it was kept", upload.display()).into(),
                ))
            }
            Err(e) => return Err(disk_error(e)),
        }
        match fs::remove_file(&upload).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(disk_error(e)),
        }
        // The photo's and the item's upload folders, once empty; fails while other variants
        // or photos still wait, which is fine.
        let photo_folder = folder_of(&upload).map_err(disk_error)?;
        if fs::remove_dir(photo_folder).await.is_ok() {
            if let Some(item_folder) = photo_folder.parent() {
                let _ = fs::remove_dir(item_folder).await;
            }
        }
        Ok(())
    }

    async fn put(
        &self,
        key: &PhotoKey,
        bytes: Vec<u8>,
        _content_type: &str,
    ) -> Result<(), PhotoStoreError> {
        let expected = bytes.len() as u64;
        self.check_room(expected).await?;
        let body = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(bytes))]);
        self.write_atomically(&self.upload_path(key), body, expected, None)
            .await
            .map_err(|e| PhotoStoreError::Internal(Box::new(e)))
    }

    async fn check_room(&self, bytes: u64) -> Result<(), PhotoStoreError> {
        match self.room_for(bytes).await {
            Ok(()) => Ok(()),
            Err(WriteError::OutOfSpace { available, floor }) => {
                Err(PhotoStoreError::OutOfSpace { available, floor })
            }
            Err(WriteError::Disk(error)) => Err(disk_error(error)),
            Err(other) => Err(PhotoStoreError::Internal(Box::new(other))),
        }
    }

    async fn delete_photo(&self, item: &ItemId, photo: &PhotoId) -> Result<(), PhotoStoreError> {
        for top in [PhotoKey::PREFIX, UPLOADS_FOLDER] {
            let item_folder = self.root.join(top).join(item.as_str());
            match fs::remove_dir_all(item_folder.join(photo.as_str())).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(disk_error(e)),
            }
            // Fails while other photos of the item remain, which is fine.
            let _ = fs::remove_dir(item_folder).await;
        }
        Ok(())
    }

    async fn delete_item(&self, item: &ItemId) -> Result<(), PhotoStoreError> {
        for top in [PhotoKey::PREFIX, UPLOADS_FOLDER] {
            match fs::remove_dir_all(self.root.join(top).join(item.as_str())).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(disk_error(e)),
            }
        }
        Ok(())
    }

    async fn stored_before(&self, before: SystemTime) -> Result<Vec<StoredPhoto>, PhotoStoreError> {
        let (photos, uploads) = (
            self.root.join(PhotoKey::PREFIX),
            self.root.join(UPLOADS_FOLDER),
        );
        tokio::task::spawn_blocking(move || {
            let mut found = list_photo_folders(&photos, true)?;
            found.extend(list_photo_folders(&uploads, false)?);
            Ok(photos_changed_before(found, before))
        })
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

/// `{item}/{photo}/` folders below `top`, each with its newest file's time, `kept` if `top`
/// is where photos are kept. Names that are not canonical ids are not ours and are left alone.
fn list_photo_folders(top: &Path, kept: bool) -> std::io::Result<Vec<StoredPhoto>> {
    let mut found = Vec::new();
    for item_entry in std::fs::read_dir(top)? {
        let item_entry = item_entry?;
        let Some(item) = canonical(&item_entry.file_name(), ItemId::parse) else {
            continue;
        };
        for photo_entry in std::fs::read_dir(item_entry.path())? {
            let photo_entry = photo_entry?;
            let Some(photo) = canonical(&photo_entry.file_name(), PhotoId::parse) else {
                continue;
            };
            found.push(StoredPhoto {
                item: item.clone(),
                photo,
                modified: newest_change(&photo_entry.path())?,
                kept,
            });
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

async fn is_file(path: &Path) -> bool {
    fs::metadata(path).await.is_ok_and(|meta| meta.is_file())
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
