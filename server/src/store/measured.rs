//! Wrappers that time every call the app makes to its item store and photo store, by
//! operation and outcome (`shelf_store_call_duration_seconds`), whichever backend is behind.

use crate::metrics::time_store_call;
use domain::access::{Edit, Permit, Read};
use domain::item_filter::ItemFilter;
use domain::item_store::{
    Attached, Created, ItemStore, Page, PageLimit, SharedItemStore, StoreError,
};
use domain::model::{Cursor, Item, ItemChange, ItemDraft, ItemId, PhotoId, PhotoKey, PhotoRecord};
use domain::model::{LocationId, TagCount};
use domain::photo_store::{
    ObjectInfo, PhotoStore, PhotoStoreError, PhotoUrls, SharedPhotoStore, StoredPhoto, UploadTarget,
};
use domain::search::{SearchCursor, SearchPage};
use std::collections::HashMap;
use std::time::SystemTime;

/// An item store whose calls are timed under `store="items"`.
pub struct MeasuredItems(pub SharedItemStore);

/// A photo store whose calls are timed under `store="photos"`.
pub struct MeasuredPhotos(pub SharedPhotoStore);

const ITEMS: &str = "items";
const PHOTOS: &str = "photos";

#[async_trait::async_trait]
impl ItemStore for MeasuredItems {
    async fn create(
        &self,
        permit: &Permit<Edit>,
        id: ItemId,
        draft: ItemDraft,
    ) -> Result<Created, StoreError> {
        time_store_call(ITEMS, "create", self.0.create(permit, id, draft)).await
    }

    async fn get(&self, permit: &Permit<Read>, id: &ItemId) -> Result<Option<Item>, StoreError> {
        time_store_call(ITEMS, "get", self.0.get(permit, id)).await
    }

    async fn list(
        &self,
        permit: &Permit<Read>,
        limit: PageLimit,
        after: Option<&Cursor>,
    ) -> Result<Page, StoreError> {
        time_store_call(ITEMS, "list", self.0.list(permit, limit, after)).await
    }

    async fn search(
        &self,
        permit: &Permit<Read>,
        filter: &ItemFilter,
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        let call = self.0.search(permit, filter, limit, after);
        time_store_call(ITEMS, "search", call).await
    }

    async fn tag_counts(
        &self,
        permit: &Permit<Read>,
        limit: usize,
    ) -> Result<Vec<TagCount>, StoreError> {
        time_store_call(ITEMS, "tag_counts", self.0.tag_counts(permit, limit)).await
    }

    async fn location_counts(
        &self,
        permit: &Permit<Read>,
    ) -> Result<HashMap<LocationId, u64>, StoreError> {
        time_store_call(ITEMS, "location_counts", self.0.location_counts(permit)).await
    }

    async fn update(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        change: ItemChange,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        let call = self.0.update(permit, id, change, expected_version);
        time_store_call(ITEMS, "update", call).await
    }

    async fn delete(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        time_store_call(ITEMS, "delete", self.0.delete(permit, id, expected_version)).await
    }

    async fn attach_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: PhotoRecord,
        max_photos: usize,
        expected_version: Option<u64>,
    ) -> Result<Attached, StoreError> {
        let call = self
            .0
            .attach_photo(permit, id, photo, max_photos, expected_version);
        time_store_call(ITEMS, "attach_photo", call).await
    }

    async fn remove_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: &PhotoId,
        expected_version: Option<u64>,
    ) -> Result<(Item, PhotoRecord), StoreError> {
        let call = self.0.remove_photo(permit, id, photo, expected_version);
        time_store_call(ITEMS, "remove_photo", call).await
    }

    async fn reorder_photos(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        order: &[PhotoId],
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        let call = self.0.reorder_photos(permit, id, order, expected_version);
        time_store_call(ITEMS, "reorder_photos", call).await
    }

    async fn revision(&self, permit: &Permit<Read>) -> Result<Option<u64>, StoreError> {
        time_store_call(ITEMS, "revision", self.0.revision(permit)).await
    }

    async fn find_anywhere(&self, id: &ItemId) -> Result<Option<Item>, StoreError> {
        time_store_call(ITEMS, "find_anywhere", self.0.find_anywhere(id)).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        time_store_call(ITEMS, "ping", self.0.ping()).await
    }

    fn writes_in_flight(&self) -> usize {
        self.0.writes_in_flight()
    }
}

impl PhotoUrls for MeasuredPhotos {
    fn url(&self, key: &PhotoKey) -> String {
        self.0.url(key)
    }
}

#[async_trait::async_trait]
impl PhotoStore for MeasuredPhotos {
    async fn upload_target(
        &self,
        key: &PhotoKey,
        bytes: u64,
        content_type: &str,
        sha256: &str,
        expires: SystemTime,
    ) -> Result<UploadTarget, PhotoStoreError> {
        let call = self
            .0
            .upload_target(key, bytes, content_type, sha256, expires);
        time_store_call(PHOTOS, "upload_target", call).await
    }

    async fn stat(&self, key: &PhotoKey) -> Result<Option<ObjectInfo>, PhotoStoreError> {
        time_store_call(PHOTOS, "stat", self.0.stat(key)).await
    }

    async fn read(&self, key: &PhotoKey, max: usize) -> Result<Option<Vec<u8>>, PhotoStoreError> {
        time_store_call(PHOTOS, "read", self.0.read(key, max)).await
    }

    async fn keep(&self, key: &PhotoKey, checked: &ObjectInfo) -> Result<(), PhotoStoreError> {
        time_store_call(PHOTOS, "keep", self.0.keep(key, checked)).await
    }

    async fn put(
        &self,
        key: &PhotoKey,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PhotoStoreError> {
        time_store_call(PHOTOS, "put", self.0.put(key, bytes, content_type)).await
    }

    async fn delete_photo(&self, item: &ItemId, photo: &PhotoId) -> Result<(), PhotoStoreError> {
        time_store_call(PHOTOS, "delete_photo", self.0.delete_photo(item, photo)).await
    }

    async fn check_room(&self, bytes: u64) -> Result<(), PhotoStoreError> {
        self.0.check_room(bytes).await
    }

    async fn browser_origins(&self) -> Result<Vec<String>, PhotoStoreError> {
        self.0.browser_origins().await
    }

    async fn delete_item(&self, item: &ItemId) -> Result<(), PhotoStoreError> {
        time_store_call(PHOTOS, "delete_item", self.0.delete_item(item)).await
    }

    async fn stored_before(&self, before: SystemTime) -> Result<Vec<StoredPhoto>, PhotoStoreError> {
        time_store_call(PHOTOS, "stored_before", self.0.stored_before(before)).await
    }

    async fn ping(&self) -> Result<(), PhotoStoreError> {
        time_store_call(PHOTOS, "ping", self.0.ping()).await
    }
}
