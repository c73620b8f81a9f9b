//! An item store seen from one collection, as a signed-in editor sees it: the store's own
//! calls with a permit the real gate issued (anonymous editing of that one collection), so
//! suites read like calls of the old unscoped store.

use domain::access::{AnonymousAccess, Edit, Gate, Permit, Read, Visitor};
use domain::accounts::{CollectionId, Role};
use domain::item_filter::ItemFilter;
use domain::item_store::{Attached, Created, Page, PageLimit, SharedItemStore, StoreError};
use domain::model::{Cursor, Item, ItemChange, ItemDraft, ItemId, PhotoId, PhotoRecord, TagCount};
use domain::search::{SearchCursor, SearchPage, SearchQuery};

/// The gate's edit permit for `collection`.
pub fn edit_permit(collection: CollectionId) -> Permit<Edit> {
    Gate::new(Some(AnonymousAccess {
        collection,
        role: Role::Editor,
    }))
    .edit(&Visitor::Anonymous, &collection)
    .expect("anonymous editing of the collection it names")
}

#[derive(Clone)]
pub struct InCollection {
    pub store: SharedItemStore,
    pub edit: Permit<Edit>,
}

impl InCollection {
    /// The store, in a fresh collection of its own.
    pub fn new(store: SharedItemStore) -> Self {
        Self::within(store, CollectionId::generate())
    }

    pub fn within(store: SharedItemStore, collection: CollectionId) -> Self {
        Self {
            store,
            edit: edit_permit(collection),
        }
    }

    pub fn read(&self) -> Permit<Read> {
        self.edit.read()
    }

    pub async fn create(&self, id: ItemId, draft: ItemDraft) -> Result<Created, StoreError> {
        self.store.create(&self.edit, id, draft).await
    }

    pub async fn get(&self, id: &ItemId) -> Result<Option<Item>, StoreError> {
        self.store.get(&self.read(), id).await
    }

    pub async fn list(&self, limit: PageLimit, after: Option<&Cursor>) -> Result<Page, StoreError> {
        self.store.list(&self.read(), limit, after).await
    }

    /// A search for `raw`, which must have words.
    pub async fn search(
        &self,
        raw: &str,
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        self.filter(raw, &[], limit, after).await
    }

    /// The items matching the search `raw` (blank: no search) with every one of `tags`.
    pub async fn filter(
        &self,
        raw: &str,
        tags: &[&str],
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError> {
        let query = SearchQuery::parse(raw).unwrap();
        let tags: Vec<String> = tags.iter().map(|tag| tag.to_string()).collect();
        let filter = ItemFilter::new(query, &tags)
            .unwrap()
            .expect("a search or tags");
        self.store.search(&self.read(), &filter, limit, after).await
    }

    pub async fn tag_counts(&self) -> Result<Vec<TagCount>, StoreError> {
        self.store.tag_counts(&self.read(), 100).await
    }

    pub async fn update(
        &self,
        id: &ItemId,
        change: impl Into<ItemChange>,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        self.store
            .update(&self.edit, id, change.into(), expected_version)
            .await
    }

    pub async fn delete(
        &self,
        id: &ItemId,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        self.store.delete(&self.edit, id, expected_version).await
    }

    pub async fn attach_photo(
        &self,
        id: &ItemId,
        photo: PhotoRecord,
        max_photos: usize,
        expected_version: Option<u64>,
    ) -> Result<Attached, StoreError> {
        self.store
            .attach_photo(&self.edit, id, photo, max_photos, expected_version)
            .await
    }

    pub async fn remove_photo(
        &self,
        id: &ItemId,
        photo: &PhotoId,
        expected_version: Option<u64>,
    ) -> Result<(Item, PhotoRecord), StoreError> {
        self.store
            .remove_photo(&self.edit, id, photo, expected_version)
            .await
    }

    pub async fn reorder_photos(
        &self,
        id: &ItemId,
        order: &[PhotoId],
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError> {
        self.store
            .reorder_photos(&self.edit, id, order, expected_version)
            .await
    }
}
