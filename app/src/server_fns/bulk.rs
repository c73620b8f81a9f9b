//! What the bulk-change page asks before it offers to change items: which of the picked ones
//! are still there (or which items "every result" means now), by name.

#[cfg(feature = "ssr")]
use super::ssr;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The items a bulk change would reach.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPicks {
    /// Each as its pick token (`{id}.{version}`: the version it was seen at) and its name now.
    pub items: Vec<(String, String)>,
    /// Picked items that no longer exist.
    pub gone: usize,
}

/// The items picked (`picks`: tokens separated by commas) or, with `all`, every item the list
/// query (`search`, `tags` separated by commas, `within`) shows now. Editors only: it is the
/// first step of a change.
#[server]
pub async fn bulk_selection(
    collection: Option<String>,
    picks: String,
    all: bool,
    search: Option<String>,
    tags: Option<String>,
    within: Option<String>,
) -> Result<BulkPicks, ServerFnError> {
    use domain::organise::{self, BulkError, Picked};

    let permit = ssr::edit_permit(collection.as_deref())?;
    let store = ssr::store()?;
    let refused = |error: BulkError| match error {
        BulkError::Store(error) => ssr::internal(error),
        refused => ServerFnError::Args(refused.to_string()),
    };
    if all {
        let filter = ssr::list_filter(&permit.read(), search, tags, within).await?;
        let items = organise::pick_matching(&*store, &permit, filter.as_ref())
            .await
            .map_err(refused)?;
        let items = items
            .iter()
            .map(|item| (Picked::of(item).token(), item.name.clone()))
            .collect();
        return Ok(BulkPicks { items, gone: 0 });
    }
    let picked = picks
        .split(',')
        .filter(|raw| !raw.trim().is_empty())
        .map(Picked::parse)
        .collect::<Result<Vec<Picked>, String>>()
        .map_err(|problem| -> ServerFnError { ServerFnError::Args(problem) })?;
    let found = organise::picked_items(&*store, &permit, &picked)
        .await
        .map_err(refused)?;
    // The version each was picked at travels on, not the one read now: a change made since
    // is reported when the change is made.
    let items: Vec<(String, String)> = found
        .iter()
        .filter_map(|item| {
            let pick = picked.iter().find(|pick| pick.id == item.id)?;
            Some((pick.token(), item.name.clone()))
        })
        .collect();
    let distinct: std::collections::HashSet<_> = picked.iter().map(|pick| &pick.id).collect();
    Ok(BulkPicks {
        gone: distinct.len() - items.len(),
        items,
    })
}
