//! [`Photos`]: the photo operations.

use super::pending::PendingUploads;
use super::{
    PhotoError, PhotoLimits, PhotoMove, Promise, Signer, UploadGrant, UploadInstruction,
    UploadRequest, UploadTicket, JPEG,
};
use crate::access::{Edit, Permit};
use crate::item_store::{Attached, SharedItemStore, StoreError};
use crate::model::{Item, ItemId, PhotoId, PhotoKey, PhotoRecord, Timestamp, Variant, VariantInfo};
use crate::photo_store::{ObjectInfo, PhotoStoreError, SharedPhotoStore, UploadTarget};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;

/// How long upload URLs work: long enough for a slow phone connection to send two files,
/// short enough that a leaked URL is soon useless.
const UPLOAD_URL_TTL: Duration = Duration::from_secs(15 * 60);

/// How long after the upload URLs were issued the photo can still be attached.
const TICKET_TTL: Duration = Duration::from_secs(60 * 60);

/// The photo operations, over both stores. Cheap to clone.
#[derive(Clone)]
pub struct Photos {
    items: SharedItemStore,
    files: SharedPhotoStore,
    signer: Signer,
    limits: PhotoLimits,
    verify_slots: Arc<Semaphore>,
    pending: PendingUploads,
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Photo folders old enough to be looked at.
    pub examined: usize,
    /// Of those, not attached to any item, and deleted.
    pub deleted: usize,
}

impl Photos {
    /// Uploads younger than this may still be attached; the sweeper must never go below it.
    pub const ATTACH_WINDOW: Duration = TICKET_TTL;

    /// How long upload URLs work.
    pub const UPLOAD_URLS_LAST: Duration = UPLOAD_URL_TTL;

    /// Grants that may wait unattached per item, per photo it can hold (per instance).
    pub const PENDING_PER_SLOT: usize = 2;

    /// Uploaded files checked at once per instance: two cores' worth.
    pub const VERIFY_SLOTS: usize = 2;

    pub fn new(
        items: SharedItemStore,
        files: SharedPhotoStore,
        signer: Signer,
        limits: PhotoLimits,
    ) -> Self {
        Self {
            items,
            files,
            signer,
            limits,
            verify_slots: Arc::new(Semaphore::new(Self::VERIFY_SLOTS)),
            pending: PendingUploads::new(UPLOAD_URL_TTL),
        }
    }

    pub fn limits(&self) -> PhotoLimits {
        self.limits
    }

    pub fn files(&self) -> &SharedPhotoStore {
        &self.files
    }

    /// The item store the photos are recorded in.
    pub fn items(&self) -> &SharedItemStore {
        &self.items
    }

    /// Checks the client's promise about a new photo of `item` and answers with where to
    /// upload each variant and the ticket to attach it with.
    pub async fn start_upload(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        request: &UploadRequest,
    ) -> Result<UploadGrant, PhotoError> {
        let grant = async {
            let promise = request.validate(&self.limits, PhotoId::generate())?;
            let current = self.item(permit, item).await?;
            self.grant_upload(item, current.photos.len(), promise).await
        }
        .await;
        count_grant(&grant);
        grant
    }

    /// [`Self::start_upload`] for several photos of one item at once (a page saving the photos
    /// picked in its form): the item is read once, and each promise is answered on its own, in
    /// order, the photos granted before it counting towards the item's limit. The outer error
    /// is for the whole request (no such item, a failing store).
    pub async fn start_uploads(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        requests: &[UploadRequest],
    ) -> Result<Vec<Result<UploadGrant, PhotoError>>, PhotoError> {
        let current = self.item(permit, item).await?;
        Ok(self.grant_all(item, current.photos.len(), requests).await)
    }

    /// [`Self::start_uploads`] for the item a form is filling in, which it may not have
    /// created yet: a form uploads each photo as soon as it is ready, while its user is still
    /// typing, and creates the item (with the id it was given) when saved. An item not found
    /// is granted as one with no photos. Nothing is weakened: the attach still needs the item
    /// to exist in the permit's collection (and deletes the files if it does not), the upload
    /// keys hold a new photo id (no file of another item can be replaced), and the grants
    /// count against the same limits per client and per item id.
    pub async fn start_uploads_ahead(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        requests: &[UploadRequest],
    ) -> Result<Vec<Result<UploadGrant, PhotoError>>, PhotoError> {
        let held = match self.item(permit, item).await {
            Ok(current) => current.photos.len(),
            Err(PhotoError::ItemNotFound) => 0,
            Err(error) => return Err(error),
        };
        Ok(self.grant_all(item, held, requests).await)
    }

    /// Answers each request on its own, in order, for `item` holding `held` photos.
    async fn grant_all(
        &self,
        item: &ItemId,
        held: usize,
        requests: &[UploadRequest],
    ) -> Vec<Result<UploadGrant, PhotoError>> {
        let mut grants = Vec::with_capacity(requests.len());
        let mut granted = 0;
        for request in requests {
            let grant = match request.validate(&self.limits, PhotoId::generate()) {
                Ok(promise) => self.grant_upload(item, held + granted, promise).await,
                Err(refusal) => Err(refusal),
            };
            count_grant(&grant);
            granted += usize::from(grant.is_ok());
            grants.push(grant);
        }
        grants
    }

    async fn item(&self, permit: &Permit<Edit>, item: &ItemId) -> Result<Item, PhotoError> {
        self.items
            .get(&permit.read(), item)
            .await?
            .ok_or(PhotoError::ItemNotFound)
    }

    /// The grant for a checked promise of a photo of `item`, which holds (or will, with the
    /// photos granted before it in the same request) `taken` photos.
    async fn grant_upload(
        &self,
        item: &ItemId,
        taken: usize,
        Promise { record, sha256 }: Promise,
    ) -> Result<UploadGrant, PhotoError> {
        let max = self.limits.max_per_item;
        if taken >= max {
            return Err(PhotoError::TooManyPhotos { max });
        }
        // Twice what the item can hold may wait: a whole item's photos at once, from two tabs.
        let most_pending = Self::PENDING_PER_SLOT * max;
        self.pending
            .admit(item, &record.id, most_pending)
            .map_err(|retry_after| PhotoError::TooManyPending {
                max: most_pending,
                retry_after,
            })?;
        self.files
            .check_room(record.display.bytes + record.thumb.bytes)
            .await?;
        let now = SystemTime::now();
        let urls_expire = now + UPLOAD_URL_TTL;
        let target = |variant: Variant| {
            let key = PhotoKey::new(item, &record.id, variant);
            let bytes = record.variant(variant).bytes;
            let digest = sha256.of(variant).to_owned();
            async move {
                self.files
                    .upload_target(&key, bytes, JPEG, &digest, urls_expire)
                    .await
                    .map(instruction)
            }
        };
        let display = target(Variant::Display).await?;
        let thumb = target(Variant::Thumb).await?;
        let ticket = UploadTicket {
            item: item.clone(),
            photo: record,
            sha256,
            expires: unix_seconds(now + TICKET_TTL),
        };
        Ok(UploadGrant {
            upload_id: ticket.encode(&self.signer),
            photo_id: ticket.photo.id.to_string(),
            expires_at: Timestamp::from_system_time(urls_expire).to_string(),
            display,
            thumb,
        })
    }

    /// Records an uploaded photo on its item, once its files are verified: present, of the
    /// promised size and type, and JPEGs of the promised dimensions. A retried attach is
    /// [`Attached::Existing`].
    pub async fn attach(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        upload_id: &str,
        expected_version: Option<u64>,
    ) -> Result<(Attached, PhotoId), PhotoError> {
        let attached = self
            .verify_and_record(permit, item, upload_id, expected_version)
            .await;
        if let Ok((_, photo)) = &attached {
            self.pending.settle(item, photo);
        }
        match &attached {
            Ok((Attached::New(_), _)) => count_upload("attached"),
            Ok((Attached::Existing(_), _)) => {}
            Err(error) if error.is_refusal() => count_upload("refused"),
            Err(_) => {}
        }
        attached
    }

    async fn verify_and_record(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        upload_id: &str,
        expected_version: Option<u64>,
    ) -> Result<(Attached, PhotoId), PhotoError> {
        let ticket = UploadTicket::decode(upload_id, &self.signer, unix_seconds(SystemTime::now()))
            .map_err(|e| PhotoError::invalid("upload_id", e.to_string()))?;
        if ticket.item != *item {
            return Err(PhotoError::invalid(
                "upload_id",
                "belongs to a photo of another item",
            ));
        }
        let photo = ticket.photo.id.clone();
        // A retried attach is answered from the record, before any file is touched; the
        // upload of an item deleted meanwhile is of no use to anyone.
        let Some(current) = self.items.get(&permit.read(), item).await? else {
            self.delete_files(item, &photo).await;
            return Err(PhotoError::ItemNotFound);
        };
        if current.photos.iter().any(|p| p.id == photo) {
            return Ok((Attached::Existing(current), photo));
        }
        let mut checked = Vec::with_capacity(Variant::ALL.len());
        for variant in Variant::ALL {
            let key = PhotoKey::new(item, &photo, variant);
            let promised = ticket.photo.variant(variant);
            match self
                .check_upload(&key, promised, ticket.sha256.of(variant))
                .await
            {
                Ok(info) => checked.push((key, info)),
                Err(refusal) => return Err(self.unless_item_gone(permit, item, refusal).await),
            }
        }
        for (key, info) in &checked {
            if let Err(error) = self.files.keep(key, info).await {
                return Err(self.unless_item_gone(permit, item, error.into()).await);
            }
        }
        let attached = self
            .record(permit, item, ticket.photo, expected_version)
            .await?;
        Ok((attached, photo))
    }

    /// `error` from an upload's files, unless the item is gone: deleting an item deletes its
    /// files, so a file that vanished between two steps of an attach means "no such item".
    async fn unless_item_gone(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        error: PhotoError,
    ) -> PhotoError {
        match self.items.get(&permit.read(), item).await {
            Ok(None) => PhotoError::ItemNotFound,
            Ok(Some(_)) => error,
            Err(store) => store.into(),
        }
    }

    /// Stores a photo the server processed itself (a form posted without JavaScript).
    pub async fn add_processed(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        processed: imaging::Processed,
    ) -> Result<Item, PhotoError> {
        let info = |variant: &imaging::Variant| VariantInfo {
            width: variant.width,
            height: variant.height,
            bytes: variant.bytes.len() as u64,
        };
        let record = PhotoRecord {
            id: PhotoId::generate(),
            display: info(&processed.display),
            thumb: info(&processed.thumb),
            placeholder: processed.placeholder,
        };
        // Written where uploads wait, then kept: a crash in between leaves an upload for the
        // sweeper, never an unattached file where photos are kept (which it leaves alone).
        let mut stored = Vec::with_capacity(Variant::ALL.len());
        for (variant, encoded) in [
            (Variant::Display, processed.display),
            (Variant::Thumb, processed.thumb),
        ] {
            let key = PhotoKey::new(item, &record.id, variant);
            self.files.put(&key, encoded.bytes, JPEG).await?;
            stored.push(key);
        }
        for key in &stored {
            let info = self.files.stat(key).await?.ok_or_else(|| {
                PhotoStoreError::Internal(format!("{key} vanished after it was written").into())
            })?;
            self.files.keep(key, &info).await?;
        }
        let photo = record.id.clone();
        let recorded = self.record(permit, item, record, None).await;
        if let Err(error) = &recorded {
            if error.is_unavailable() {
                // The write may still have happened: the files stay, kept, for a retry to
                // find or an operator to remove.
                tracing::warn!(%item, %photo, error = %error, "photo kept but maybe not recorded");
            }
        }
        let item = recorded?.into_item();
        count_upload("attached");
        Ok(item)
    }

    /// Removes a photo from its item, then its files.
    pub async fn remove(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        photo: &PhotoId,
        expected_version: Option<u64>,
    ) -> Result<Item, PhotoError> {
        let (current, removed) = self
            .items
            .remove_photo(permit, item, photo, expected_version)
            .await?;
        self.delete_files(item, &removed.id).await;
        Ok(current)
    }

    /// Puts the item's photos in `order`; the first is the cover.
    pub async fn reorder(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        order: &[PhotoId],
        expected_version: Option<u64>,
    ) -> Result<Item, PhotoError> {
        Ok(self
            .items
            .reorder_photos(permit, item, order, expected_version)
            .await?)
    }

    /// Moves one photo, relative to the order as it is now; the reorder is conditional on that
    /// version, so a concurrent change is reported rather than undone.
    pub async fn move_photo(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        photo: &PhotoId,
        to: PhotoMove,
    ) -> Result<Item, PhotoError> {
        let current = self
            .items
            .get(&permit.read(), item)
            .await?
            .ok_or(PhotoError::ItemNotFound)?;
        let mut order: Vec<PhotoId> = current.photos.iter().map(|p| p.id.clone()).collect();
        let at = order
            .iter()
            .position(|p| p == photo)
            .ok_or(PhotoError::PhotoNotFound)?;
        let target = to.target(at, order.len());
        let moved = order.remove(at);
        order.insert(target, moved);
        self.reorder(permit, item, &order, Some(current.version))
            .await
    }

    /// Deletes an item, then its photo files: the attached ones and any upload still pending.
    pub async fn delete_item(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        let deleted = self.items.delete(permit, item, expected_version).await?;
        if let Err(error) = self.files.delete_item(item).await {
            tracing::warn!(%item, error = %error, "item's photo files not deleted; the sweeper will retry");
        }
        Ok(deleted)
    }

    /// Deletes photo files older than `max_age` that no item points to: uploads never
    /// attached, and every file of items that no longer exist.
    ///
    /// Files that were kept (attached once) are deleted only with their item: the old service
    /// rewrites whole records without their `photos`, so "no record points to it" cannot mean
    /// "unused" while the item exists. Removing a photo deletes its files at once; a failure
    /// there is logged with the ids and leaves them.
    pub async fn sweep(&self, max_age: Duration) -> Result<SweepReport, PhotoError> {
        let max_age = max_age.max(Self::ATTACH_WINDOW);
        let cutoff = SystemTime::now().checked_sub(max_age).unwrap_or(UNIX_EPOCH);
        let candidates = self.files.stored_before(cutoff).await?;
        let mut report = SweepReport {
            examined: candidates.len(),
            deleted: 0,
        };
        // One read per item, however many of its photos are candidates.
        // `None`: the item does not exist.
        let mut attached: HashMap<ItemId, Option<Vec<PhotoId>>> = HashMap::new();
        for candidate in candidates {
            if !attached.contains_key(&candidate.item) {
                let photos = self
                    .items
                    .find_anywhere(&candidate.item)
                    .await?
                    .map(|item| item.photos.into_iter().map(|p| p.id).collect());
                attached.insert(candidate.item.clone(), photos);
            }
            let item_exists = attached[&candidate.item].is_some();
            let in_record = attached[&candidate.item]
                .as_ref()
                .is_some_and(|photos| photos.contains(&candidate.photo));
            if !item_exists || (!in_record && !candidate.kept) {
                self.files
                    .delete_photo(&candidate.item, &candidate.photo)
                    .await?;
                report.deleted += 1;
            }
        }
        Ok(report)
    }

    /// The conditional write; if the item is gone or full, the files are of no use to anyone.
    async fn record(
        &self,
        permit: &Permit<Edit>,
        item: &ItemId,
        record: PhotoRecord,
        expected_version: Option<u64>,
    ) -> Result<Attached, PhotoError> {
        let photo = record.id.clone();
        let result = self
            .items
            .attach_photo(
                permit,
                item,
                record,
                self.limits.max_per_item,
                expected_version,
            )
            .await;
        if let Err(StoreError::NotFound | StoreError::TooManyPhotos { .. }) = &result {
            self.delete_files(item, &photo).await;
        }
        Ok(result?)
    }

    /// Checks one uploaded variant, the whole file: the promised size, type and SHA-256, and a
    /// plain JPEG (decoded whole, no metadata) of the promised dimensions. Returns what was
    /// checked, for keeping exactly that object.
    async fn check_upload(
        &self,
        key: &PhotoKey,
        promised: VariantInfo,
        sha256: &str,
    ) -> Result<ObjectInfo, PhotoError> {
        let field = key.variant.name();
        let refuse = |message: String| Err(PhotoError::invalid(field, message));
        let not_uploaded = || refuse(format!("the {field} file was not uploaded"));
        let Some(info) = self.files.stat(key).await? else {
            return not_uploaded();
        };
        if info.bytes != promised.bytes {
            return refuse(format!(
                "the uploaded {field} file has {} bytes, not the {} promised",
                info.bytes, promised.bytes
            ));
        }
        if let Some(content_type) = info.content_type.as_deref().filter(|t| *t != JPEG) {
            return refuse(format!(
                "the {field} file was stored as {content_type}, not {JPEG}"
            ));
        }
        // One byte more than promised, to see a file that grew since the size check.
        let limit = usize::try_from(promised.bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let Some(bytes) = self.files.read(key, limit).await? else {
            return not_uploaded();
        };
        if bytes.len() as u64 != promised.bytes || STANDARD.encode(Sha256::digest(&bytes)) != sha256
        {
            return refuse(format!(
                "the uploaded {field} file is not the one promised (its SHA-256 differs)"
            ));
        }
        match self.plain_jpeg(bytes).await? {
            Ok(size) if size == (promised.width, promised.height) => Ok(info),
            Ok((width, height)) => refuse(format!(
                "the {field} file is {width} × {height} pixels, not the {} × {} promised",
                promised.width, promised.height
            )),
            Err(error) => refuse(format!("the {field} file is not a plain JPEG: {error}")),
        }
    }

    /// [`imaging::verify::plain_jpeg`] on a blocking thread, at most [`Self::VERIFY_SLOTS`] at
    /// once: a decode of a display variant holds about 8 MB and some milliseconds of CPU.
    async fn plain_jpeg(
        &self,
        bytes: Vec<u8>,
    ) -> Result<Result<(u32, u32), imaging::ImagingError>, PhotoError> {
        let _slot = self
            .verify_slots
            .acquire()
            .await
            .map_err(|e| PhotoError::Files(PhotoStoreError::Internal(Box::new(e))))?;
        // No variant is larger than the display one's square; nothing bigger is decoded.
        let edge = u64::from(imaging::Options::default().display_long_edge);
        let limits = imaging::Limits {
            max_pixels: edge * edge,
            ..imaging::Limits::default()
        };
        tokio::task::spawn_blocking(move || imaging::verify::plain_jpeg(&bytes, &limits))
            .await
            .map_err(|e| PhotoError::Files(PhotoStoreError::Internal(Box::new(e))))
    }

    /// A failure here leaves files no record points to, which the sweeper removes later.
    async fn delete_files(&self, item: &ItemId, photo: &PhotoId) {
        if let Err(error) = self.files.delete_photo(item, photo).await {
            tracing::warn!(%item, %photo, error = %error, "photo files not deleted; the sweeper will retry");
        }
    }
}

fn instruction(target: UploadTarget) -> UploadInstruction {
    UploadInstruction {
        method: "PUT".into(),
        url: target.url,
        headers: target.headers.into_iter().collect(),
    }
}

fn unix_seconds(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Counts an upload event for `/metrics` (`shelf_uploads_total{event}`): `started` (upload
/// URLs granted), `attached` (a new photo recorded, uploaded or processed on the server),
/// `refused` (a start or attach refused for bad input). Retries and failures of the stores
/// are not upload events: the store metrics count those.
fn count_upload(event: &'static str) {
    metrics::counter!("shelf_uploads_total", "event" => event).increment(1);
}

/// Counts a grant's outcome: started, or refused (a missing item or failing store is neither).
fn count_grant(grant: &Result<UploadGrant, PhotoError>) {
    match grant {
        Ok(_) => count_upload("started"),
        Err(error) if error.is_refusal() => count_upload("refused"),
        Err(_) => {}
    }
}
