//! Bulk changes: items picked in the list (one by one, or every result of a search) moved to
//! a location, tagged, untagged or deleted.
//!
//! A picked item carries the version it was seen at, so an item someone else changed after it
//! was picked is reported ("changed by someone else since it was selected") rather than
//! changed from a state its picker never saw; only items picked without a version (an API
//! client that did not say) are changed from whatever they are now, retrying conflicts.

use super::operations::{
    all_kept, change_with_retries, failure, Outcome, CHANGED_SINCE_SEEN, DELETED_MEANWHILE, TRIES,
};
use super::{ChangeReport, ItemFailure, Picked, MAX_ITEMS_PER_CHANGE};
use crate::access::{Edit, Permit};
use crate::item_filter::ItemFilter;
use crate::item_store::{ItemStore, StoreError};
use crate::location_store::{subtree_of, LocationStore};
use crate::model::{Item, ItemChange, LocationId, Tag, Tags, MAX_TAGS_PER_ITEM};
use crate::photos::Photos;
use futures_util::{stream, StreamExt};

/// What a bulk change does to each picked item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// Files it in the location (`None`: in no location).
    MoveTo(Option<LocationId>),
    /// Adds the tags `add` and takes away those keyed like `remove`.
    Retag { add: Vec<Tag>, remove: Vec<Tag> },
    /// Deletes it with its photos.
    Delete,
}

/// Tags named for a retag that cannot be: not tags, or more to add than an item can hold.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RetagError {
    #[error("{0}")]
    Add(String),
    #[error("{0}")]
    Remove(String),
}

impl BulkAction {
    /// A retag from the tags as written: those to add (at most [`MAX_TAGS_PER_ITEM`]: no item
    /// could take more) and those to take away, any number of them (a selection's items can
    /// carry many different tags between them).
    pub fn retag<'a>(
        add: impl IntoIterator<Item = &'a str>,
        remove: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, RetagError> {
        let add = Tags::parse_all(add).map_err(RetagError::Add)?;
        let remove = remove
            .into_iter()
            .map(Tag::parse)
            .collect::<Result<Vec<Tag>, String>>()
            .map_err(RetagError::Remove)?;
        Ok(Self::Retag {
            add: add.iter().cloned().collect(),
            remove,
        })
    }
}

/// Why a bulk change was refused as a whole (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    #[error("No items are selected.")]
    NothingPicked,
    #[error(
        "A bulk change reaches at most {MAX_ITEMS_PER_CHANGE} items at once, and this selection \
         has more: narrow the search, or select fewer."
    )]
    TooMany,
    #[error("That location no longer exists; pick another.")]
    NoSuchLocation,
    #[error("Name at least one tag to add or remove.")]
    NoTags,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Items read at once: a bulk change of a thousand items on DynamoDB is a thousand round
/// trips, so they overlap, within what one request should ask of a store at a time. Writes
/// overlap as much as the store says they are worth ([`ItemStore::writes_in_flight`]), and
/// never more than this.
const CONCURRENT_ITEMS: usize = 8;

/// Every item `filter` keeps (`None`: every item), each picked at the version read now; more
/// than [`MAX_ITEMS_PER_CHANGE`] are refused, so "all results" never silently means "the first
/// thousand".
pub async fn pick_matching(
    items: &dyn ItemStore,
    permit: &Permit<Edit>,
    filter: Option<&ItemFilter>,
) -> Result<Vec<Item>, BulkError> {
    let (kept, more) = all_kept(items, permit, filter).await?;
    if more {
        return Err(BulkError::TooMany);
    }
    Ok(kept)
}

/// The picked items that still exist, as they are now, in the order picked (each once).
pub async fn picked_items(
    items: &dyn ItemStore,
    permit: &Permit<Edit>,
    picked: &[Picked],
) -> Result<Vec<Item>, BulkError> {
    let picked = distinct(picked)?;
    let read = permit.read();
    let read = &read;
    let found: Vec<Result<Option<Item>, StoreError>> = stream::iter(picked)
        .map(|pick| async move { items.get(read, &pick.id).await })
        .buffered(CONCURRENT_ITEMS)
        .collect()
        .await;
    Ok(found
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect())
}

/// Does `action` to every picked item, each with its own conditional write, and reports how
/// many changed, how many needed nothing, and which could not be changed and why. The items
/// are `photos`' item store's (deleting one deletes its photo files too).
pub async fn change_picked(
    photos: &Photos,
    locations: &dyn LocationStore,
    permit: &Permit<Edit>,
    picked: &[Picked],
    action: &BulkAction,
) -> Result<ChangeReport, BulkError> {
    let picked = distinct(picked)?;
    check(locations, permit, action).await?;
    let items = &**photos.items();
    let read = &permit.read();
    let outcomes: Vec<Result<Outcome, StoreError>> = stream::iter(picked)
        .map(|pick| async move {
            let Some(item) = items.get(read, &pick.id).await? else {
                return Ok(Outcome::Failed(ItemFailure {
                    id: pick.id.clone(),
                    name: String::new(),
                    reason: "no longer exists".into(),
                }));
            };
            if pick.seen.is_some_and(|seen| seen != item.version) {
                return Ok(Outcome::Failed(failure(&item, CHANGED_SINCE_SEEN)));
            }
            // Seen at a version: one try, from that version. Not: retry from whatever won.
            let tries = if pick.seen.is_some() { 1 } else { TRIES };
            change_one(items, photos, permit, item, tries, action).await
        })
        .buffered(in_flight(items))
        .collect()
        .await;
    report(outcomes)
}

/// Does `action` to every item `filter` keeps now (see [`pick_matching`]), each from the
/// version just read: an item changed in between is reported, as a picked one would be.
pub async fn change_matching(
    photos: &Photos,
    locations: &dyn LocationStore,
    permit: &Permit<Edit>,
    filter: Option<&ItemFilter>,
    action: &BulkAction,
) -> Result<ChangeReport, BulkError> {
    check(locations, permit, action).await?;
    let items = &**photos.items();
    let kept = pick_matching(items, permit, filter).await?;
    let outcomes: Vec<Result<Outcome, StoreError>> = stream::iter(kept)
        .map(|item| change_one(items, photos, permit, item, 1, action))
        .buffered(in_flight(items))
        .collect()
        .await;
    report(outcomes)
}

/// Items changed at once on `items`: as many as it says writes are worth, within
/// [`CONCURRENT_ITEMS`].
fn in_flight(items: &dyn ItemStore) -> usize {
    items.writes_in_flight().clamp(1, CONCURRENT_ITEMS)
}

/// Refuses a change that could do nothing to any item.
async fn check(
    locations: &dyn LocationStore,
    permit: &Permit<Edit>,
    action: &BulkAction,
) -> Result<(), BulkError> {
    match action {
        BulkAction::MoveTo(Some(to))
            if subtree_of(locations, &permit.read(), to).await?.is_none() =>
        {
            Err(BulkError::NoSuchLocation)
        }
        BulkAction::Retag { add, remove } if add.is_empty() && remove.is_empty() => {
            Err(BulkError::NoTags)
        }
        _ => Ok(()),
    }
}

/// `action` done to `item`, from the version it was read at.
async fn change_one(
    items: &dyn ItemStore,
    photos: &Photos,
    permit: &Permit<Edit>,
    item: Item,
    tries: usize,
    action: &BulkAction,
) -> Result<Outcome, StoreError> {
    match action {
        BulkAction::Delete => delete(photos, permit, item).await,
        BulkAction::MoveTo(to) => {
            change_with_retries(items, permit, item, tries, |item| {
                Ok((item.location != *to).then(|| ItemChange {
                    location: Some(to.clone()),
                    ..ItemChange::default()
                }))
            })
            .await
        }
        BulkAction::Retag { add, remove } => {
            let remove: Vec<String> = remove.iter().map(Tag::key).collect();
            change_with_retries(items, permit, item, tries, |item| {
                let tags = item
                    .tags
                    .changed(add, &remove)
                    .map_err(|_| format!("it would have more than {MAX_TAGS_PER_ITEM} tags"))?;
                Ok((tags != item.tags).then(|| ItemChange {
                    tags: Some(tags),
                    ..ItemChange::default()
                }))
            })
            .await
        }
    }
}

/// The outcomes, in the order of the items, as one report; a store failure fails it all.
fn report(outcomes: Vec<Result<Outcome, StoreError>>) -> Result<ChangeReport, BulkError> {
    let mut report = ChangeReport::default();
    for outcome in outcomes {
        report.record(outcome)?;
    }
    Ok(report)
}

/// Deletes the item if it is still at the version read.
async fn delete(photos: &Photos, permit: &Permit<Edit>, item: Item) -> Result<Outcome, StoreError> {
    match photos
        .delete_item(permit, &item.id, Some(item.version))
        .await
    {
        Ok(_) => Ok(Outcome::Changed),
        Err(StoreError::NotFound) => Ok(Outcome::Failed(failure(&item, DELETED_MEANWHILE))),
        Err(StoreError::VersionConflict { .. }) => {
            Ok(Outcome::Failed(failure(&item, CHANGED_SINCE_SEEN)))
        }
        Err(e) => Err(e),
    }
}

/// The picks, each item once (as first picked), within the limit. Owned: a stream of
/// borrowed picks makes futures the compiler cannot prove `Send` for every lifetime.
fn distinct(picked: &[Picked]) -> Result<Vec<Picked>, BulkError> {
    let mut distinct: Vec<Picked> = Vec::with_capacity(picked.len());
    let mut seen = std::collections::HashSet::new();
    for pick in picked {
        if seen.insert(&pick.id) {
            distinct.push(pick.clone());
        }
    }
    match distinct.len() {
        0 => Err(BulkError::NothingPicked),
        n if n > MAX_ITEMS_PER_CHANGE => Err(BulkError::TooMany),
        _ => Ok(distinct),
    }
}
