//! The changes to many items, each item with its own conditional write.

use super::{ChangeReport, ItemFailure};
use crate::access::{Edit, Permit};
use crate::item_filter::ItemFilter;
use crate::item_store::{ItemStore, PageLimit, StoreError};
use crate::model::{Item, ItemChange, Tag};

/// Most items one change reaches; a tag on more is renamed in several goes (each says how
/// many it changed).
pub const MAX_ITEMS_PER_CHANGE: usize = 1000;
/// Tries per item when others keep changing it.
const TRIES: usize = 3;

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
    let (items, more) = all_kept(store, permit, &filter).await?;
    let key = from.key();
    let mut report = ChangeReport {
        more,
        ..ChangeReport::default()
    };
    for item in items {
        let result = change_with_retries(store, permit, item, |item| {
            item.tags.renamed(&key, to).map(|tags| ItemChange {
                tags: Some(tags),
                ..ItemChange::default()
            })
        })
        .await;
        report.record(result)?;
    }
    Ok(report)
}

/// Up to [`MAX_ITEMS_PER_CHANGE`] items `filter` keeps, and whether there were more.
async fn all_kept(
    store: &dyn ItemStore,
    permit: &Permit<Edit>,
    filter: &ItemFilter,
) -> Result<(Vec<Item>, bool), StoreError> {
    let read = permit.read();
    let limit = PageLimit::LARGEST;
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let page = store.search(&read, filter, limit, after.as_ref()).await?;
        items.extend(page.items);
        if items.len() >= MAX_ITEMS_PER_CHANGE {
            let more = items.len() > MAX_ITEMS_PER_CHANGE || page.next.is_some();
            items.truncate(MAX_ITEMS_PER_CHANGE);
            return Ok((items, more));
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok((items, false)),
        }
    }
}

/// What became of one item.
enum Outcome {
    Changed,
    /// Nothing to do: it no longer has what the change is about.
    Untouched,
    Failed(ItemFailure),
}

/// Writes `change(item)` from the item's version; after a conflict, from the version that won,
/// at most [`TRIES`] times.
async fn change_with_retries(
    store: &dyn ItemStore,
    permit: &Permit<Edit>,
    mut item: Item,
    change: impl Fn(&Item) -> Option<ItemChange>,
) -> Result<Outcome, StoreError> {
    for _ in 0..TRIES {
        let Some(wanted) = change(&item) else {
            return Ok(Outcome::Untouched);
        };
        match store
            .update(permit, &item.id, wanted, Some(item.version))
            .await
        {
            Ok(_) => return Ok(Outcome::Changed),
            Err(StoreError::VersionConflict { current }) => item = *current,
            Err(StoreError::NotFound) => {
                return Ok(Outcome::Failed(failure(&item, "deleted meanwhile")))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Outcome::Failed(failure(
        &item,
        "changed by someone else meanwhile, again and again",
    )))
}

fn failure(item: &Item, reason: &str) -> ItemFailure {
    ItemFailure {
        id: item.id.clone(),
        name: item.name.clone(),
        reason: reason.to_owned(),
    }
}

impl ChangeReport {
    fn record(&mut self, outcome: Result<Outcome, StoreError>) -> Result<(), StoreError> {
        match outcome? {
            Outcome::Changed => self.changed += 1,
            Outcome::Untouched => {}
            Outcome::Failed(failure) => self.failed.push(failure),
        }
        Ok(())
    }
}
