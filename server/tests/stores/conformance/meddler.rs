//! A store that lets another user in at the worst moment: the conformance cases of changes to
//! many items use it to prove a change made meanwhile is kept, or reported, never lost.

use async_trait::async_trait;
use domain::access::{Edit, Permit, Read};
use domain::item_filter::ItemFilter;
use domain::item_store::{
    Attached, Created, ItemStore, Page, PageLimit, SharedItemStore, StoreError,
};
use domain::model::TagCount;
use domain::model::{Cursor, Item, ItemChange, ItemDraft, ItemId, PhotoId, PhotoRecord};
use domain::search::{SearchCursor, SearchPage};
use std::sync::Mutex;

/// A store that makes one change of its own (another user's) just before the first update it
/// is asked for: the update then meets a newer version, or no item, as it would in a race.
pub struct Meddler {
    inner: SharedItemStore,
    meddling: Mutex<Option<Meddling>>,
}

pub enum Meddling {
    Edit(ItemId, ItemChange),
    Delete(ItemId),
}

impl Meddler {
    pub fn new(inner: SharedItemStore, meddling: Meddling) -> Self {
        Self {
            inner,
            meddling: Mutex::new(Some(meddling)),
        }
    }
}

#[async_trait]
impl ItemStore for Meddler {
    async fn create(
        &self,
        p: &Permit<Edit>,
        id: ItemId,
        d: ItemDraft,
    ) -> Result<Created, StoreError> {
        self.inner.create(p, id, d).await
    }
    async fn get(&self, p: &Permit<Read>, id: &ItemId) -> Result<Option<Item>, StoreError> {
        self.inner.get(p, id).await
    }
    async fn list(
        &self,
        p: &Permit<Read>,
        l: PageLimit,
        a: Option<&Cursor>,
    ) -> Result<Page, StoreError> {
        self.inner.list(p, l, a).await
    }
    async fn search(
        &self,
        p: &Permit<Read>,
        f: &ItemFilter,
        l: PageLimit,
        a: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        self.inner.search(p, f, l, a).await
    }
    async fn tag_counts(&self, p: &Permit<Read>, l: usize) -> Result<Vec<TagCount>, StoreError> {
        self.inner.tag_counts(p, l).await
    }
    async fn location_counts(
        &self,
        p: &Permit<Read>,
    ) -> Result<std::collections::HashMap<domain::model::LocationId, u64>, StoreError> {
        self.inner.location_counts(p).await
    }
    async fn update(
        &self,
        p: &Permit<Edit>,
        id: &ItemId,
        c: ItemChange,
        v: Option<u64>,
    ) -> Result<Item, StoreError> {
        let meddling = self.meddling.lock().unwrap().take();
        match meddling {
            Some(Meddling::Edit(target, change)) => {
                self.inner.update(p, &target, change, None).await?;
            }
            Some(Meddling::Delete(target)) => {
                self.inner.delete(p, &target, None).await?;
            }
            None => {}
        }
        self.inner.update(p, id, c, v).await
    }
    async fn delete(
        &self,
        p: &Permit<Edit>,
        id: &ItemId,
        v: Option<u64>,
    ) -> Result<Item, StoreError> {
        self.inner.delete(p, id, v).await
    }
    async fn attach_photo(
        &self,
        p: &Permit<Edit>,
        id: &ItemId,
        r: PhotoRecord,
        m: usize,
        v: Option<u64>,
    ) -> Result<Attached, StoreError> {
        self.inner.attach_photo(p, id, r, m, v).await
    }
    async fn remove_photo(
        &self,
        p: &Permit<Edit>,
        id: &ItemId,
        photo: &PhotoId,
        v: Option<u64>,
    ) -> Result<(Item, PhotoRecord), StoreError> {
        self.inner.remove_photo(p, id, photo, v).await
    }
    async fn reorder_photos(
        &self,
        p: &Permit<Edit>,
        id: &ItemId,
        o: &[PhotoId],
        v: Option<u64>,
    ) -> Result<Item, StoreError> {
        self.inner.reorder_photos(p, id, o, v).await
    }
    async fn find_anywhere(&self, id: &ItemId) -> Result<Option<Item>, StoreError> {
        self.inner.find_anywhere(id).await
    }
    async fn ping(&self) -> Result<(), StoreError> {
        self.inner.ping().await
    }
    fn writes_in_flight(&self) -> usize {
        self.inner.writes_in_flight()
    }
}
