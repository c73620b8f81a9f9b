//! [`Photos`] called directly over the real embedded stores (SQLite, the local photo folder),
//! each behind a [`Journal`] that records every call in order and can make one of them fail.
//! These are the ordering rules that keep a crash or a failed call from leaving a record
//! without its files: files are written (or kept) before the record that points to them, and
//! deleted only after the record is gone; the sweeper spares what may still be attached; a
//! retried attach changes nothing.

use crate::common::scoped::InCollection;
use crate::common::{sha256, upload_request, variants};
use domain::access::{Edit, Permit, Read};
use domain::item_filter::ItemFilter;
use domain::item_store::{
    Attached, Created, ItemStore, Page, PageLimit, SharedItemStore, StoreError,
};
use domain::model::{Cursor, Item, ItemChange, ItemDraft, ItemId, PhotoId, PhotoKey, PhotoRecord};
use domain::model::{TagCount, Variant};
use domain::photo_store::{
    ObjectInfo, PhotoStore, PhotoStoreError, PhotoUrls, SharedPhotoStore, StoredPhoto, UploadTarget,
};
use domain::photos::{PhotoError, PhotoLimits, Photos, Signer, UploadRequest};
use domain::search::{SearchCursor, SearchPage};
use server::store::local_photos::LocalPhotoStore;
use server::store::sqlite::SqliteStore;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The calls the service made to either store, in order (`items.attach_photo`,
/// `files.keep`, …), and the one call, if any, that is to fail.
#[derive(Clone, Default)]
struct Journal {
    calls: Arc<Mutex<Vec<&'static str>>>,
    failing: Arc<Mutex<Option<&'static str>>>,
}

impl Journal {
    /// Records `call`; `Err` if it is the one to fail.
    fn enter(&self, call: &'static str) -> Result<(), &'static str> {
        self.calls.lock().unwrap().push(call);
        match *self.failing.lock().unwrap() {
            Some(failing) if failing == call => Err("injected failure"),
            _ => Ok(()),
        }
    }

    fn fail(&self, call: &'static str) {
        *self.failing.lock().unwrap() = Some(call);
    }

    fn succeed(&self) {
        *self.failing.lock().unwrap() = None;
    }

    /// The calls so far, forgotten afterwards.
    fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

fn item_failure(message: &'static str) -> StoreError {
    StoreError::Unavailable(message.into())
}

fn file_failure(message: &'static str) -> PhotoStoreError {
    PhotoStoreError::Unavailable(message.into())
}

struct WatchedItems {
    inner: SharedItemStore,
    journal: Journal,
}

#[async_trait::async_trait]
impl ItemStore for WatchedItems {
    async fn create(
        &self,
        permit: &Permit<Edit>,
        id: ItemId,
        draft: ItemDraft,
    ) -> Result<Created, StoreError> {
        self.journal.enter("items.create").map_err(item_failure)?;
        self.inner.create(permit, id, draft).await
    }

    async fn get(&self, permit: &Permit<Read>, id: &ItemId) -> Result<Option<Item>, StoreError> {
        self.journal.enter("items.get").map_err(item_failure)?;
        self.inner.get(permit, id).await
    }

    async fn list(
        &self,
        permit: &Permit<Read>,
        limit: PageLimit,
        after: Option<&Cursor>,
    ) -> Result<Page, StoreError> {
        self.journal.enter("items.list").map_err(item_failure)?;
        self.inner.list(permit, limit, after).await
    }

    async fn search(
        &self,
        permit: &Permit<Read>,
        filter: &ItemFilter,
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        self.journal.enter("items.search").map_err(item_failure)?;
        self.inner.search(permit, filter, limit, after).await
    }

    async fn tag_counts(
        &self,
        permit: &Permit<Read>,
        limit: usize,
    ) -> Result<Vec<TagCount>, StoreError> {
        self.journal
            .enter("items.tag_counts")
            .map_err(item_failure)?;
        self.inner.tag_counts(permit, limit).await
    }

    async fn location_counts(
        &self,
        permit: &Permit<Read>,
    ) -> Result<std::collections::HashMap<domain::model::LocationId, u64>, StoreError> {
        self.journal
            .enter("items.location_counts")
            .map_err(item_failure)?;
        self.inner.location_counts(permit).await
    }

    async fn update(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        change: ItemChange,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        self.journal.enter("items.update").map_err(item_failure)?;
        self.inner
            .update(permit, id, change, expected_version)
            .await
    }

    async fn delete(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        self.journal.enter("items.delete").map_err(item_failure)?;
        self.inner.delete(permit, id, expected_version).await
    }

    async fn attach_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: PhotoRecord,
        max_photos: usize,
        expected_version: Option<u64>,
    ) -> Result<Attached, StoreError> {
        self.journal
            .enter("items.attach_photo")
            .map_err(item_failure)?;
        self.inner
            .attach_photo(permit, id, photo, max_photos, expected_version)
            .await
    }

    async fn remove_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: &PhotoId,
        expected_version: Option<u64>,
    ) -> Result<(Item, PhotoRecord), StoreError> {
        self.journal
            .enter("items.remove_photo")
            .map_err(item_failure)?;
        self.inner
            .remove_photo(permit, id, photo, expected_version)
            .await
    }

    async fn reorder_photos(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        order: &[PhotoId],
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        self.journal
            .enter("items.reorder_photos")
            .map_err(item_failure)?;
        self.inner
            .reorder_photos(permit, id, order, expected_version)
            .await
    }

    async fn find_anywhere(&self, id: &ItemId) -> Result<Option<Item>, StoreError> {
        self.journal
            .enter("items.find_anywhere")
            .map_err(item_failure)?;
        self.inner.find_anywhere(id).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.inner.ping().await
    }
}

/// What a test runs once, just before the next keep: another request's work meanwhile.
type BeforeKeep = Arc<Mutex<Option<futures::future::BoxFuture<'static, ()>>>>;

struct WatchedFiles {
    inner: SharedPhotoStore,
    journal: Journal,
    before_keep: BeforeKeep,
}

impl PhotoUrls for WatchedFiles {
    fn url(&self, key: &PhotoKey) -> String {
        self.inner.url(key)
    }
}

#[async_trait::async_trait]
impl PhotoStore for WatchedFiles {
    async fn upload_target(
        &self,
        key: &PhotoKey,
        bytes: u64,
        content_type: &str,
        sha256: &str,
        expires: SystemTime,
    ) -> Result<UploadTarget, PhotoStoreError> {
        self.journal
            .enter("files.upload_target")
            .map_err(file_failure)?;
        self.inner
            .upload_target(key, bytes, content_type, sha256, expires)
            .await
    }

    async fn stat(&self, key: &PhotoKey) -> Result<Option<ObjectInfo>, PhotoStoreError> {
        self.journal.enter("files.stat").map_err(file_failure)?;
        self.inner.stat(key).await
    }

    async fn read(&self, key: &PhotoKey, max: usize) -> Result<Option<Vec<u8>>, PhotoStoreError> {
        self.journal.enter("files.read").map_err(file_failure)?;
        self.inner.read(key, max).await
    }

    async fn keep(&self, key: &PhotoKey, checked: &ObjectInfo) -> Result<(), PhotoStoreError> {
        let meanwhile = self.before_keep.lock().unwrap().take();
        if let Some(meanwhile) = meanwhile {
            meanwhile.await;
        }
        self.journal.enter("files.keep").map_err(file_failure)?;
        self.inner.keep(key, checked).await
    }

    async fn put(
        &self,
        key: &PhotoKey,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PhotoStoreError> {
        self.journal.enter("files.put").map_err(file_failure)?;
        self.inner.put(key, bytes, content_type).await
    }

    async fn delete_photo(&self, item: &ItemId, photo: &PhotoId) -> Result<(), PhotoStoreError> {
        self.journal
            .enter("files.delete_photo")
            .map_err(file_failure)?;
        self.inner.delete_photo(item, photo).await
    }

    async fn delete_item(&self, item: &ItemId) -> Result<(), PhotoStoreError> {
        self.journal
            .enter("files.delete_item")
            .map_err(file_failure)?;
        self.inner.delete_item(item).await
    }

    async fn stored_before(&self, before: SystemTime) -> Result<Vec<StoredPhoto>, PhotoStoreError> {
        self.journal
            .enter("files.stored_before")
            .map_err(file_failure)?;
        self.inner.stored_before(before).await
    }

    async fn ping(&self) -> Result<(), PhotoStoreError> {
        self.inner.ping().await
    }
}

/// The service over fresh embedded stores, both watched by one journal.
struct Fixture {
    photos: Photos,
    /// The stores as they are, for checking what the service left behind (the items as the
    /// fixture's collection sees them).
    items: InCollection,
    /// The editor's permit every call of the service is made with.
    permit: Permit<Edit>,
    files: SharedPhotoStore,
    /// The same store, for writing uploads where the signed route would.
    local: Arc<LocalPhotoStore>,
    journal: Journal,
    before_keep: BeforeKeep,
    data_dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let signer = Signer::new(&[9; 32]).unwrap();
        let local = Arc::new(LocalPhotoStore::open(data_dir.path(), signer.clone()).unwrap());
        let items: SharedItemStore =
            Arc::new(SqliteStore::open(data_dir.path(), 2, local.clone()).unwrap());
        let files: SharedPhotoStore = local.clone();
        let journal = Journal::default();
        let before_keep = BeforeKeep::default();
        let photos = Photos::new(
            Arc::new(WatchedItems {
                inner: items.clone(),
                journal: journal.clone(),
            }),
            Arc::new(WatchedFiles {
                inner: files.clone(),
                journal: journal.clone(),
                before_keep: before_keep.clone(),
            }),
            signer,
            PhotoLimits {
                max_per_item: 12,
                max_bytes: 8 * 1024 * 1024,
            },
        );
        let items = InCollection::new(items);
        Self {
            photos,
            permit: items.edit,
            items,
            files,
            local,
            journal,
            before_keep,
            data_dir,
        }
    }

    async fn new_item(&self) -> ItemId {
        let id = ItemId::generate();
        let draft = ItemDraft::parse("Watched", "").unwrap();
        self.items.create(id.clone(), draft).await.unwrap();
        id
    }

    /// A photo processed on the server, attached; the journal starts empty afterwards.
    async fn item_with_photo(&self) -> (ItemId, PhotoId) {
        let item = self.new_item().await;
        let stored = self
            .photos
            .add_processed(&self.permit, &item, variants().clone())
            .await
            .unwrap();
        self.journal.take();
        (item, stored.photos[0].id.clone())
    }

    /// Starts an upload and stores both variants where its grant's URLs would, with the
    /// store's own upload writer (the signed upload route itself is the photo conformance
    /// suite's subject): the upload id to attach with, and the photo's id.
    async fn uploaded(&self, item: &ItemId) -> (String, PhotoId) {
        let request: UploadRequest = serde_json::from_value(upload_request(variants())).unwrap();
        let grant = self
            .photos
            .start_upload(&self.permit, item, &request)
            .await
            .unwrap();
        let photo = PhotoId::parse(&grant.photo_id).unwrap();
        self.write_variants(item, &photo).await;
        self.journal.take();
        (grant.upload_id, photo)
    }

    /// Stores both variants of the test photo where the grant for `photo` of `item` would.
    async fn write_variants(&self, item: &ItemId, photo: &PhotoId) {
        for (variant, encoded) in [
            (Variant::Display, &variants().display),
            (Variant::Thumb, &variants().thumb),
        ] {
            let key = PhotoKey::new(item, photo, variant);
            self.write_upload(&key, &encoded.bytes).await;
        }
    }

    async fn write_upload(&self, key: &PhotoKey, bytes: &[u8]) {
        let body = futures::stream::iter([Ok::<_, std::io::Error>(bytes.to_vec().into())]);
        self.local
            .write_upload(key, body, bytes.len() as u64, &sha256(bytes))
            .await
            .unwrap();
    }

    async fn has_files(&self, item: &ItemId, photo: &PhotoId) -> bool {
        let mut present = Vec::new();
        for variant in Variant::ALL {
            let key = PhotoKey::new(item, photo, variant);
            present.push(self.files.stat(&key).await.unwrap().is_some());
        }
        assert!(
            present.iter().all(|p| *p) || present.iter().all(|p| !*p),
            "one variant without the other: {present:?}"
        );
        present[0]
    }

    async fn photo_ids(&self, item: &ItemId) -> Vec<PhotoId> {
        let item = self
            .items
            .get(item)
            .await
            .unwrap()
            .expect("the item exists");
        item.photos.into_iter().map(|p| p.id).collect()
    }

    /// Makes every file of a photo, attached or waiting, look `age` old to the sweeper.
    fn age(&self, item: &ItemId, photo: &PhotoId, age: Duration) {
        let then = SystemTime::now() - age;
        let folders = ["photos", "uploads"].map(|top| {
            self.data_dir
                .path()
                .join(top)
                .join(item.as_str())
                .join(photo.as_str())
        });
        let files: Vec<_> = folders
            .iter()
            .flat_map(|folder| Variant::ALL.map(|v| folder.join(v.file_name())))
            .filter(|path| path.exists())
            .collect();
        assert_eq!(files.len(), Variant::ALL.len(), "{folders:?}");
        for path in files {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(then).unwrap();
        }
    }
}

fn position(calls: &[&str], call: &str) -> usize {
    calls
        .iter()
        .position(|c| *c == call)
        .unwrap_or_else(|| panic!("no {call} in {calls:?}"))
}

#[tokio::test]
async fn processed_files_are_written_before_their_record() {
    let f = Fixture::new();
    let item = f.new_item().await;
    f.photos
        .add_processed(&f.permit, &item, variants().clone())
        .await
        .unwrap();
    // Written where uploads wait, kept, then recorded.
    assert_eq!(
        f.journal.take(),
        [
            "files.put",
            "files.put",
            "files.stat",
            "files.keep",
            "files.stat",
            "files.keep",
            "items.attach_photo"
        ]
    );

    // The record's write fails with an unknown outcome: the files stay, kept (the write may
    // have happened); no record points anywhere.
    f.journal.fail("items.attach_photo");
    let error = f
        .photos
        .add_processed(&f.permit, &item, variants().clone())
        .await
        .unwrap_err();
    assert!(error.is_unavailable(), "{error:?}");
    assert_eq!(f.photo_ids(&item).await.len(), 1);
    let stored = f
        .files
        .stored_before(SystemTime::now() + Duration::from_secs(1))
        .await;
    let stored = stored.unwrap();
    assert_eq!(stored.len(), 2, "the orphan's files are on disk");
    assert!(stored.iter().all(|photo| photo.kept), "{stored:?}");

    // A file fails: nothing is recorded at all.
    f.journal.fail("files.put");
    f.journal.take();
    assert!(f
        .photos
        .add_processed(&f.permit, &item, variants().clone())
        .await
        .is_err());
    assert!(!f.journal.take().contains(&"items.attach_photo"));
    assert_eq!(f.photo_ids(&item).await.len(), 1);
}

#[tokio::test]
async fn photos_granted_together_read_their_item_once() {
    let f = Fixture::new();
    let item = f.new_item().await;
    f.journal.take();
    let request: UploadRequest = serde_json::from_value(upload_request(variants())).unwrap();
    let grants = f
        .photos
        .start_uploads(&f.permit, &item, &vec![request; 3])
        .await
        .unwrap();
    assert!(grants.iter().all(Result::is_ok));
    let calls = f.journal.take();
    let count = |call| calls.iter().filter(|c| **c == call).count();
    assert_eq!(count("items.get"), 1, "{calls:?}");
    assert_eq!(count("files.upload_target"), 6, "{calls:?}");
}

/// A new item's form uploads its photos while its user is still typing: they are granted for
/// the id its create will use, before the item exists, and attach once it does. The REST
/// API's grant still wants the item.
#[tokio::test]
async fn a_form_uploads_before_its_item_is_created_and_attaches_after() {
    let f = Fixture::new();
    let item = ItemId::generate();
    let request: UploadRequest = serde_json::from_value(upload_request(variants())).unwrap();
    let error = f
        .photos
        .start_upload(&f.permit, &item, &request)
        .await
        .unwrap_err();
    assert!(matches!(error, PhotoError::ItemNotFound), "{error:?}");

    let grants = f
        .photos
        .start_uploads_ahead(&f.permit, &item, &vec![request; 13])
        .await
        .unwrap();
    assert!(grants[..12].iter().all(Result::is_ok));
    let refused = grants[12].as_ref().unwrap_err();
    assert!(
        matches!(refused, PhotoError::TooManyPhotos { max: 12 }),
        "an item's limit holds before it exists: {refused:?}"
    );
    let grant = grants[0].as_ref().unwrap();
    let photo = PhotoId::parse(&grant.photo_id).unwrap();
    f.write_variants(&item, &photo).await;

    f.items
        .create(item.clone(), ItemDraft::parse("Made after", "").unwrap())
        .await
        .unwrap();
    let (attached, attached_photo) = f
        .photos
        .attach(&f.permit, &item, &grant.upload_id, None)
        .await
        .unwrap();
    assert!(matches!(attached, Attached::New(_)));
    assert_eq!(attached_photo, photo);
    assert_eq!(f.photo_ids(&item).await, [photo]);
}

/// Ahead of its save, a form's grants for an item that exists count its photos.
#[tokio::test]
async fn grants_ahead_for_an_existing_item_count_its_photos() {
    let f = Fixture::new();
    let (item, _) = f.item_with_photo().await;
    let request: UploadRequest = serde_json::from_value(upload_request(variants())).unwrap();
    let grants = f
        .photos
        .start_uploads_ahead(&f.permit, &item, &vec![request; 12])
        .await
        .unwrap();
    assert_eq!(grants.iter().filter(|g| g.is_ok()).count(), 11);
    assert!(matches!(
        grants[11],
        Err(PhotoError::TooManyPhotos { max: 12 })
    ));
}

#[tokio::test]
async fn uploads_are_verified_and_kept_before_their_record() {
    let f = Fixture::new();
    let item = f.new_item().await;
    let (upload_id, _) = f.uploaded(&item).await;

    let (attached, photo) = f
        .photos
        .attach(&f.permit, &item, &upload_id, None)
        .await
        .unwrap();
    let Attached::New(after) = attached else {
        panic!("a first attach is new")
    };
    // The item read, both files checked (size and type, then the whole file), then kept, then
    // recorded.
    assert_eq!(
        f.journal.take(),
        [
            "items.get",
            "files.stat",
            "files.read",
            "files.stat",
            "files.read",
            "files.keep",
            "files.keep",
            "items.attach_photo"
        ]
    );

    // Retried with the same upload id: answered from the record, no file touched, nothing
    // changed, not even the version.
    let (again, same) = f
        .photos
        .attach(&f.permit, &item, &upload_id, None)
        .await
        .unwrap();
    let Attached::Existing(unchanged) = again else {
        panic!("a retried attach is not new")
    };
    assert_eq!(f.journal.take(), ["items.get"]);
    assert_eq!((same, unchanged.version), (photo.clone(), after.version));
    assert_eq!(f.photo_ids(&item).await, std::slice::from_ref(&photo));
    assert!(f.has_files(&item, &photo).await);
}

#[tokio::test]
async fn an_upload_for_an_item_deleted_meanwhile_is_refused_and_its_files_deleted() {
    let f = Fixture::new();
    let item = f.new_item().await;
    let (upload_id, photo) = f.uploaded(&item).await;
    // The item goes away between the upload and the attach (its files, as an item deletion
    // leaves them when it fails to delete them: still there).
    f.items.delete(&item, None).await.unwrap();
    assert!(f.has_files(&item, &photo).await);
    let error = f
        .photos
        .attach(&f.permit, &item, &upload_id, None)
        .await
        .unwrap_err();
    assert!(matches!(error, PhotoError::ItemNotFound), "{error:?}");
    let calls = f.journal.take();
    assert_eq!(calls, ["items.get", "files.delete_photo"]);
    assert!(
        !f.has_files(&item, &photo).await,
        "the refused upload's files are gone"
    );
}

/// The item is deleted (with its files) after the attach checked the upload but before it kept
/// the files: the keep fails, and the answer is that the item is gone (404), not a store
/// failure (500). Seen once under load in `make faults`.
#[tokio::test]
async fn an_item_deleted_while_its_upload_is_kept_is_not_found() {
    let f = Fixture::new();
    let item = f.new_item().await;
    let (upload_id, _) = f.uploaded(&item).await;
    let (photos, permit, deleted) = (f.photos.clone(), f.permit, item.clone());
    *f.before_keep.lock().unwrap() = Some(Box::pin(async move {
        photos.delete_item(&permit, &deleted, None).await.unwrap();
    }));
    let error = f
        .photos
        .attach(&f.permit, &item, &upload_id, None)
        .await
        .unwrap_err();
    assert!(matches!(error, PhotoError::ItemNotFound), "{error:?}");
    let calls = f.journal.take();
    assert!(
        position(&calls, "files.read") < position(&calls, "items.delete")
            && position(&calls, "files.delete_item") < position(&calls, "files.keep"),
        "{calls:?}"
    );
}

#[tokio::test]
async fn a_removed_photo_loses_its_record_before_its_files() {
    let f = Fixture::new();
    let (item, photo) = f.item_with_photo().await;

    f.journal.fail("items.remove_photo");
    assert!(f
        .photos
        .remove(&f.permit, &item, &photo, None)
        .await
        .is_err());
    assert_eq!(f.journal.take(), ["items.remove_photo"]);
    assert!(
        f.has_files(&item, &photo).await,
        "files stay while the record does"
    );

    f.journal.succeed();
    f.photos
        .remove(&f.permit, &item, &photo, None)
        .await
        .unwrap();
    assert_eq!(
        f.journal.take(),
        ["items.remove_photo", "files.delete_photo"]
    );
    assert!(!f.has_files(&item, &photo).await);
    assert!(f.photo_ids(&item).await.is_empty());
}

#[tokio::test]
async fn a_deleted_item_loses_its_record_before_its_files() {
    let f = Fixture::new();
    let (item, photo) = f.item_with_photo().await;

    f.journal.fail("items.delete");
    assert!(f.photos.delete_item(&f.permit, &item, None).await.is_err());
    assert_eq!(f.journal.take(), ["items.delete"]);
    assert!(
        f.has_files(&item, &photo).await,
        "files stay while the record does"
    );

    f.journal.succeed();
    f.photos.delete_item(&f.permit, &item, None).await.unwrap();
    assert_eq!(f.journal.take(), ["items.delete", "files.delete_item"]);
    assert!(!f.has_files(&item, &photo).await);

    // Files whose deletion fails after the record is gone are the sweeper's, not an error.
    let (item, photo) = f.item_with_photo().await;
    f.journal.fail("files.delete_item");
    assert!(f.photos.delete_item(&f.permit, &item, None).await.is_ok());
    assert!(f.items.get(&item).await.unwrap().is_none());
    assert!(f.has_files(&item, &photo).await);
}

#[tokio::test]
async fn the_sweep_spares_young_and_attached_photos() {
    let f = Fixture::new();
    let (item, attached) = f.item_with_photo().await;
    let hour = Duration::from_secs(60 * 60);
    f.age(&item, &attached, 48 * hour);
    // Uploaded, never attached: one of each age.
    let mut orphans = Vec::new();
    let minutes = |n: u64| Duration::from_secs(60 * n);
    for age in [3 * hour, minutes(90), minutes(30)] {
        let (_, photo) = f.uploaded(&item).await;
        f.age(&item, &photo, age);
        orphans.push(photo);
    }

    // A max age below the attach window is raised to it: the 30-minute-old upload may still
    // be attached, the 90-minute-old one can no longer be.
    let report = f.photos.sweep(Duration::ZERO).await.unwrap();
    assert_eq!((report.examined, report.deleted), (3, 2), "{report:?}");
    assert!(
        f.has_files(&item, &attached).await,
        "attached photos are never swept"
    );
    assert!(!f.has_files(&item, &orphans[0]).await);
    assert!(!f.has_files(&item, &orphans[1]).await);
    assert!(f.has_files(&item, &orphans[2]).await);

    // With a two-hour age, only what is older than that is looked at.
    let (_, photo) = f.uploaded(&item).await;
    f.age(&item, &photo, minutes(150));
    let report = f.photos.sweep(2 * hour).await.unwrap();
    assert_eq!((report.examined, report.deleted), (2, 1), "{report:?}");
    assert!(!f.has_files(&item, &photo).await);
    assert!(f.has_files(&item, &orphans[2]).await);
    assert_eq!(f.photo_ids(&item).await, [attached]);
}
