//! The changes to many items, each item with its own conditional write.

use super::{ChangeReport, ItemFailure};
use crate::access::{Edit, Permit};
use crate::item_filter::ItemFilter;
use crate::item_store::{ItemStore, PageLimit, StoreError};
use crate::location_store::{at_version, LocationChange, LocationError, LocationStore};
use crate::location_tree::{LocationTree, MoveError};
use crate::model::{Item, ItemChange, LocationId, Tag};

/// Most items one change reaches; a tag on more is renamed in several goes (each says how
/// many it changed).
pub const MAX_ITEMS_PER_CHANGE: usize = 1000;
/// Tries per item when others keep changing it.
pub(super) const TRIES: usize = 3;

/// Renames the tag keyed like `from` to `to` on every item of the collection that has it; an
/// item that has `to` already keeps one of them (a merge).
pub async fn rename_tag(
    store: &dyn ItemStore,
    permit: &Permit<Edit>,
    from: &Tag,
    to: &Tag,
) -> Result<ChangeReport, StoreError> {
    let filter = ItemFilter::new(None, &[from.as_str().to_owned()])
        .map_err(|e| StoreError::Internal(e.into()))?
        .ok_or_else(|| StoreError::Internal("a tag filter keeps every item".into()))?;
    let (items, more) = all_kept(store, permit, Some(&filter)).await?;
    let key = from.key();
    let mut report = ChangeReport {
        more,
        ..ChangeReport::default()
    };
    for item in items {
        let result = change_with_retries(store, permit, item, TRIES, |item| {
            Ok(item.tags.renamed(&key, to).map(|tags| ItemChange {
                tags: Some(tags),
                ..ItemChange::default()
            }))
        })
        .await;
        report.record(result)?;
    }
    Ok(report)
}

/// Deletes a location. What it holds (the items filed in it, the locations in it) first goes
/// into `contents_to` when that is given (`Some(None)`: to no location, the locations to the
/// top); a location that holds anything and no `contents_to` is refused as
/// [`LocationError::NotEmpty`]. Each item moves with its own conditional write; if any could
/// not be moved, the location stays (with them in it) and the report lists them.
pub async fn delete_location(
    items: &dyn ItemStore,
    locations: &dyn LocationStore,
    permit: &Permit<Edit>,
    id: &LocationId,
    contents_to: Option<Option<LocationId>>,
    expected_version: Option<u64>,
) -> Result<ChangeReport, LocationError> {
    let tree = LocationTree::new(locations.locations(&permit.read()).await?);
    let location = tree.get(id).cloned().ok_or(LocationError::NotFound)?;
    at_version(location, expected_version)?;
    let inside: Vec<LocationId> = tree
        .children(Some(id))
        .iter()
        .map(|l| l.id.clone())
        .collect();
    let filter = ItemFilter::in_locations(vec![id.clone()]);
    let (held, more) = all_kept(items, permit, Some(&filter)).await?;
    let Some(destination) = contents_to else {
        if held.is_empty() && inside.is_empty() {
            return locations
                .delete_location(permit, id, expected_version)
                .await
                .map(|_| ChangeReport::default());
        }
        let items = if more {
            held.len() as u64 + 1
        } else {
            held.len() as u64
        };
        return Err(LocationError::NotEmpty {
            items,
            locations: inside.len(),
        });
    };
    if let Some(destination) = &destination {
        if tree.get(destination).is_none() {
            return Err(MoveError::NoSuchParent.into());
        }
        if tree.subtree(id).contains(destination) {
            return Err(MoveError::IntoItself.into());
        }
    }
    for child in &inside {
        let change = LocationChange {
            parent: Some(destination.clone()),
            ..LocationChange::default()
        };
        locations
            .change_location(permit, child, change, None)
            .await?;
    }
    let mut report = ChangeReport {
        more,
        ..ChangeReport::default()
    };
    for item in held {
        let result = change_with_retries(items, permit, item, TRIES, |item| {
            Ok((item.location.as_ref() == Some(id)).then(|| ItemChange {
                location: Some(destination.clone()),
                ..ItemChange::default()
            }))
        })
        .await;
        report.record(result)?;
    }
    if report.failed.is_empty() && !report.more {
        locations.delete_location(permit, id, None).await?;
    }
    Ok(report)
}

/// Up to [`MAX_ITEMS_PER_CHANGE`] items `filter` keeps (`None`: of all items), and whether
/// there were more.
pub(super) async fn all_kept(
    store: &dyn ItemStore,
    permit: &Permit<Edit>,
    filter: Option<&ItemFilter>,
) -> Result<(Vec<Item>, bool), StoreError> {
    let read = permit.read();
    let limit = PageLimit::LARGEST;
    let mut items = Vec::new();
    // The plain list and a search page with cursors of different kinds.
    let more = match filter {
        Some(filter) => {
            let mut after = None;
            loop {
                let page = store.search(&read, filter, limit, after.as_ref()).await?;
                if let Some(more) = gather(&mut items, page.items, page.next.is_some()) {
                    break more;
                }
                after = page.next;
            }
        }
        None => {
            let mut after = None;
            loop {
                let page = store.list(&read, limit, after.as_ref()).await?;
                if let Some(more) = gather(&mut items, page.items, page.next.is_some()) {
                    break more;
                }
                after = page.next;
            }
        }
    };
    Ok((items, more))
}

/// Adds a page to `items`; once there are no more pages or enough items, whether there were
/// more than [`MAX_ITEMS_PER_CHANGE`].
fn gather<T>(items: &mut Vec<T>, page: Vec<T>, next: bool) -> Option<bool> {
    items.extend(page);
    if items.len() >= MAX_ITEMS_PER_CHANGE {
        let more = items.len() > MAX_ITEMS_PER_CHANGE || next;
        items.truncate(MAX_ITEMS_PER_CHANGE);
        return Some(more);
    }
    (!next).then_some(false)
}

/// What became of one item.
pub(super) enum Outcome {
    Changed,
    /// Nothing to do: it no longer has what the change is about.
    Untouched,
    Failed(ItemFailure),
}

/// Writes `change(item)` from the item's version; after a conflict, from the version that won,
/// `tries` times in all (once: the item must still be as it was read). `change` says
/// `Ok(None)` when there is nothing to do, `Err(reason)` when it cannot be done to this item.
pub(super) async fn change_with_retries(
    store: &dyn ItemStore,
    permit: &Permit<Edit>,
    mut item: Item,
    tries: usize,
    change: impl Fn(&Item) -> Result<Option<ItemChange>, String>,
) -> Result<Outcome, StoreError> {
    for _ in 0..tries {
        let wanted = match change(&item) {
            Ok(Some(wanted)) => wanted,
            Ok(None) => return Ok(Outcome::Untouched),
            Err(reason) => return Ok(Outcome::Failed(failure(&item, &reason))),
        };
        match store
            .update(permit, &item.id, wanted, Some(item.version))
            .await
        {
            Ok(_) => return Ok(Outcome::Changed),
            Err(StoreError::VersionConflict { current }) => item = *current,
            Err(StoreError::NotFound) => {
                return Ok(Outcome::Failed(failure(&item, DELETED_MEANWHILE)))
            }
            Err(StoreError::NoSuchLocation) => {
                let reason = "the location it was to go to was deleted meanwhile";
                return Ok(Outcome::Failed(failure(&item, reason)));
            }
            Err(e) => return Err(e),
        }
    }
    let reason = if tries == 1 {
        CHANGED_SINCE_SEEN
    } else {
        "changed by someone else meanwhile, again and again"
    };
    Ok(Outcome::Failed(failure(&item, reason)))
}

pub(super) const DELETED_MEANWHILE: &str = "deleted meanwhile";
pub(super) const CHANGED_SINCE_SEEN: &str = "changed by someone else since it was selected";

pub(super) fn failure(item: &Item, reason: &str) -> ItemFailure {
    ItemFailure {
        id: item.id.clone(),
        name: item.name.clone(),
        reason: reason.to_owned(),
    }
}

impl ChangeReport {
    pub(super) fn record(
        &mut self,
        outcome: Result<Outcome, StoreError>,
    ) -> Result<(), StoreError> {
        match outcome? {
            Outcome::Changed => self.changed += 1,
            Outcome::Untouched => self.unchanged += 1,
            Outcome::Failed(failure) => self.failed.push(failure),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<usize> {
        (0..n).collect()
    }

    #[test]
    fn gathering_stops_at_the_limit_and_knows_whether_there_was_more() {
        let mut kept = Vec::new();
        assert_eq!(gather(&mut kept, items(600), true), None);
        assert_eq!(gather(&mut kept, items(400), false), Some(false));
        assert_eq!(kept.len(), MAX_ITEMS_PER_CHANGE);

        let mut kept = Vec::new();
        assert_eq!(gather(&mut kept, items(600), true), None);
        assert_eq!(gather(&mut kept, items(400), true), Some(true));
        let mut kept = Vec::new();
        assert_eq!(gather(&mut kept, items(600), true), None);
        assert_eq!(gather(&mut kept, items(401), false), Some(true));
        assert_eq!(kept.len(), MAX_ITEMS_PER_CHANGE);

        let mut kept = Vec::new();
        assert_eq!(gather(&mut kept, items(3), false), Some(false));
        assert_eq!(
            gather(&mut Vec::<usize>::new(), Vec::new(), false),
            Some(false)
        );
    }
}
