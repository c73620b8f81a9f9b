//! What the bulk-change page asks before it offers to change items: which of the picked ones
//! are still there (or which items "every result" means now), by name.

#[cfg(feature = "ssr")]
use super::ssr;
use domain::model::TagCount;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The items a bulk change would reach.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPicks {
    /// Each as its pick token (`{id}.{version}`: the version it was seen at) and its name now.
    pub items: Vec<(String, String)>,
    /// Picked items that no longer exist.
    pub gone: usize,
    /// The tags these items have, with how many of them have each, most common first: what
    /// there is to take away.
    pub tags: Vec<TagCount>,
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
    use std::collections::HashMap;

    let permit = ssr::edit_permit(collection.as_deref())?;
    let store = ssr::store()?;
    let refused = |error: BulkError| match error {
        BulkError::Store(error) => ssr::internal(error),
        refused => ServerFnError::Args(refused.to_string()),
    };
    let (found, tokens, gone) = if all {
        let filter = ssr::list_filter(&permit.read(), search, tags, within).await?;
        let found = organise::pick_matching(&*store, &permit, filter.as_ref())
            .await
            .map_err(refused)?;
        let tokens: Vec<String> = found.iter().map(|item| Picked::of(item).token()).collect();
        (found, tokens, 0)
    } else {
        let picked = picks
            .split(',')
            .filter(|raw| !raw.trim().is_empty())
            .map(Picked::parse)
            .collect::<Result<Vec<Picked>, String>>()
            .map_err(|problem| -> ServerFnError { ServerFnError::Args(problem) })?;
        let found = organise::picked_items(&*store, &permit, &picked)
            .await
            .map_err(refused)?;
        // The version each was picked at travels on, not the one read now: a change made
        // since is reported when the change is made.
        let picked: HashMap<_, _> = picked.iter().map(|pick| (&pick.id, pick)).collect();
        let tokens: Vec<String> = found
            .iter()
            .filter_map(|item| picked.get(&item.id).map(|pick| pick.token()))
            .collect();
        let gone = picked.len() - tokens.len();
        (found, tokens, gone)
    };
    let items = tokens
        .into_iter()
        .zip(found.iter().map(|item| item.name.clone()))
        .collect();
    Ok(BulkPicks {
        items,
        gone,
        tags: tag_tally(&found),
    })
}

/// The tags of `items`, each with how many have it, most common first (then by key).
#[cfg(feature = "ssr")]
fn tag_tally(items: &[domain::model::Item]) -> Vec<TagCount> {
    let mut tally: std::collections::HashMap<String, TagCount> = Default::default();
    for tag in items.iter().flat_map(|item| item.tags.iter()) {
        tally
            .entry(tag.key())
            .or_insert_with(|| TagCount {
                tag: tag.clone(),
                items: 0,
            })
            .items += 1;
    }
    let mut tags: Vec<TagCount> = tally.into_values().collect();
    tags.sort_by(|a, b| {
        b.items
            .cmp(&a.items)
            .then_with(|| a.tag.key().cmp(&b.tag.key()))
    });
    tags
}
