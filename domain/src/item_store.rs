//! The item storage boundary: what the server functions, the plain form posts and the REST API
//! call.
//!
//! Every item belongs to one collection, and every call but [`ItemStore::find_anywhere`] names
//! it through a [`Permit`] from the [`crate::access::Gate`]: an item of another collection is
//! "not found", whatever its id.
//!
//! It knows nothing of HTTP, axum or Leptos. The backends (SQLite for the embedded store,
//! DynamoDB for the AWS one) live in the server crate and implement [`ItemStore`]; everything
//! above them holds an `Arc<dyn ItemStore>`.
//! Photo records live on their item (one conditional write attaches one); the photo files
//! are the [`crate::photo_store`]'s.

use crate::access::{Edit, Permit, Read};
use crate::item_filter::ItemFilter;
use crate::model::{Cursor, InvalidCursor, Item, ItemChange, ItemDraft, ItemId, PhotoId};
use crate::model::{LocationId, PhotoRecord, TagCount};
use crate::photos::Signer;
use crate::search::{SearchCursor, SearchPage};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::Arc;

/// The store as the app holds it: shared by every request, provided to server functions as
/// Leptos context.
pub type SharedItemStore = Arc<dyn ItemStore>;

/// A boxed error from a backend, kept for the logs (never shown to users).
pub type BackendError = Box<dyn StdError + Send + Sync>;

/// Item persistence with optimistic locking.
///
/// Every write is one atomic, conditional operation: a backend must never let two writers both
/// succeed against the same `version`, nor create an item twice under one id.
/// No item ever holds more photos than this: the ceiling of the configurable per-item limit
/// (`--max-photos-per-item`). A photo order longer than it cannot be an item's, and is refused
/// before a backend is asked (DynamoDB could not even express its condition).
pub const MOST_PHOTOS_PER_ITEM: usize = 100;

#[async_trait::async_trait]
pub trait ItemStore: Send + Sync {
    /// Creates an item under `id`. Creating the same id again with the same content is not an
    /// error (the client retried): the existing item comes back as [`Created::Existing`].
    /// An id taken in another collection is [`StoreError::IdTakenElsewhere`].
    async fn create(
        &self,
        permit: &Permit<Edit>,
        id: ItemId,
        draft: ItemDraft,
    ) -> Result<Created, StoreError>;

    async fn get(&self, permit: &Permit<Read>, id: &ItemId) -> Result<Option<Item>, StoreError>;

    /// Newest first (by creation time, then id), `limit` items strictly after `after`.
    async fn list(
        &self,
        permit: &Permit<Read>,
        limit: PageLimit,
        after: Option<&Cursor>,
    ) -> Result<Page, StoreError>;

    /// The items `filter` keeps, by the rules of [`crate::item_filter`]: best tier first,
    /// newest first within a tier, `limit` items strictly after `after`.
    async fn search(
        &self,
        permit: &Permit<Read>,
        filter: &ItemFilter,
        limit: PageLimit,
        after: Option<&SearchCursor>,
    ) -> Result<SearchPage, StoreError>;

    /// Every tag of the collection's items with how many carry it, most used first (then by
    /// key), at most `limit` of them.
    async fn tag_counts(
        &self,
        permit: &Permit<Read>,
        limit: usize,
    ) -> Result<Vec<TagCount>, StoreError>;

    /// How many items are filed directly in each location (locations with none left out).
    async fn location_counts(
        &self,
        permit: &Permit<Read>,
    ) -> Result<HashMap<LocationId, u64>, StoreError>;

    /// Writes `change` (the fields it leaves out stay as stored) and bumps the version, if the
    /// stored version is `expected_version` (or unconditionally when `None`).
    async fn update(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        change: ItemChange,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError>;

    /// Deletes the item and its photo records, returning what was deleted so the caller can
    /// delete the photo files.
    async fn delete(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError>;

    /// Appends a photo to the item and bumps its version, if the item exists, has fewer than
    /// `max_photos` photos, and (when given) is at `expected_version`. Attaching a photo id the
    /// item already has changes nothing: the caller retried, [`Attached::Existing`].
    async fn attach_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: PhotoRecord,
        max_photos: usize,
        expected_version: Option<u64>,
    ) -> Result<Attached, StoreError>;

    /// Removes one photo record and bumps the version; returns the item as it is now and the
    /// removed record.
    async fn remove_photo(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        photo: &PhotoId,
        expected_version: Option<u64>,
    ) -> Result<(Item, PhotoRecord), StoreError>;

    /// Puts the photos in `order` (every photo id of the item exactly once; the first is the
    /// cover) and bumps the version.
    async fn reorder_photos(
        &self,
        permit: &Permit<Edit>,
        id: &ItemId,
        order: &[PhotoId],
        expected_version: Option<u64>,
    ) -> Result<Item, StoreError>;

    /// The item under `id` in whichever collection: only for the sweeper, which asks whether
    /// an uploaded photo belongs to any item at all.
    async fn find_anywhere(&self, id: &ItemId) -> Result<Option<Item>, StoreError>;

    /// The collection's revision: a value that changes with every write to its items (their
    /// photos and tags included) or its locations, and only then. Pages make their entity tags
    /// from it, so answering `If-None-Match` costs this one read instead of a render. `None`:
    /// the backend cannot vouch for one now (DynamoDB for a few seconds after a change, while
    /// its indexes catch up) or keeps none, and pages are rendered without a tag.
    async fn revision(&self, permit: &Permit<Read>) -> Result<Option<u64>, StoreError> {
        let _ = permit;
        Ok(None)
    }

    /// Whether the backend answers: the readiness check.
    async fn ping(&self) -> Result<(), StoreError>;

    /// How many writes one operation on many items is worth having in flight at once. One by
    /// default: an embedded database has one writer, and writes queued in its busy handler
    /// only add its sleeps (1 000 SQLite updates took 1.8 s eight at a time, 0.3 s one by
    /// one). A networked store takes them in parallel and says so.
    fn writes_in_flight(&self) -> usize {
        1
    }
}

/// What a create did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Created {
    New(Item),
    /// The same id with the same content already existed: an idempotent retry.
    Existing(Item),
}

impl Created {
    pub fn into_item(self) -> Item {
        match self {
            Created::New(item) | Created::Existing(item) => item,
        }
    }
}

/// What an attach did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attached {
    New(Item),
    /// The photo was already attached: a retried request.
    Existing(Item),
}

impl Attached {
    pub fn into_item(self) -> Item {
        match self {
            Attached::New(item) | Attached::Existing(item) => item,
        }
    }
}

/// One page of the newest-first list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<Item>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

/// A page as clients get it: the items, and the next page's cursor sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedPage {
    pub items: Vec<Item>,
    pub next: Option<String>,
}

/// Why a page could not be had: its cursor is not one this server sealed for this kind of
/// page, or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error(transparent)]
    BadCursor(#[from] InvalidCursor),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The page a client asks for, the one place the API and the pages both call: the newest
/// items, or with a `filter` the items it keeps, best first, `limit` of them after `cursor`
/// (a sealed token of the same kind of page: a list cursor does not continue a search, nor
/// the other way).
pub async fn page(
    store: &dyn ItemStore,
    permit: &Permit<Read>,
    filter: Option<&ItemFilter>,
    limit: PageLimit,
    cursor: Option<&str>,
    signer: &Signer,
) -> Result<SealedPage, PageError> {
    let cursor = cursor.filter(|token| !token.is_empty());
    Ok(match filter {
        None => {
            let after = cursor
                .map(|token| Cursor::open(token, signer))
                .transpose()?;
            let page = store.list(permit, limit, after.as_ref()).await?;
            SealedPage {
                items: page.items,
                next: page.next.map(|next| next.seal(signer)),
            }
        }
        Some(filter) => {
            let after = cursor
                .map(|token| SearchCursor::open(token, signer))
                .transpose()?;
            let page = store.search(permit, filter, limit, after.as_ref()).await?;
            SealedPage {
                items: page.items,
                next: page.next.map(|next| next.seal(signer)),
            }
        }
    })
}

/// How many items a page holds: 1 to [`PageLimit::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLimit(u32);

impl PageLimit {
    pub const DEFAULT: Self = Self(50);
    pub const MAX: u32 = 100;
    pub const LARGEST: Self = Self(Self::MAX);

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().parse::<u32>() {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(Self(n)),
            _ => Err(format!("must be a whole number from 1 to {}", Self::MAX)),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("item not found")]
    NotFound,
    /// A create reused an id whose item has different content.
    #[error("another item already has this id")]
    IdTaken { existing: Box<Item> },
    /// The item changed since the caller read it; `current` is what is stored now.
    /// A create reused an id that an item of another collection has (whose content is not
    /// shown).
    #[error("another item already has this id")]
    IdTakenElsewhere,
    #[error("the item was changed by someone else")]
    VersionConflict { current: Box<Item> },
    #[error("the item has no such photo")]
    PhotoNotFound,
    /// The item was to be filed in a location the collection does not have.
    #[error("there is no such location")]
    NoSuchLocation,
    #[error("the item already has {max} photos")]
    TooManyPhotos { max: usize },
    /// A new photo order that is not exactly the item's photos (among them, one longer than
    /// [`MOST_PHOTOS_PER_ITEM`]).
    #[error("the order must list each of the item's photos exactly once")]
    BadPhotoOrder,
    /// The backend is overloaded or unreachable; worth retrying later.
    #[error("store unavailable")]
    Unavailable(#[source] BackendError),
    /// A bug or a broken backend.
    #[error("store failure")]
    Internal(#[source] BackendError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_limit_is_bounded() {
        assert_eq!(PageLimit::parse("1").unwrap().get(), 1);
        assert_eq!(PageLimit::parse("100").unwrap().get(), 100);
        for bad in ["0", "101", "-1", "ten", "", "1.5", "99999999999"] {
            assert!(PageLimit::parse(bad).is_err(), "{bad}");
        }
    }
}
