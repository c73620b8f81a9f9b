//! Server functions for items.

#[cfg(feature = "ssr")]
use super::ssr;
use domain::item_form::SaveOutcome;
use domain::model::{Item, TagCount};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Most tags [`list_tags`] returns.
pub const TAG_SUGGESTIONS: usize = 200;

/// One page of the list as the pages receive it; the cursor is already an opaque token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPage {
    pub items: Vec<Item>,
    pub next_cursor: Option<String>,
}

/// The newest items, or those matching a `search` (best first), carrying every one of `tags`
/// (separated by commas: a tag has none) and in the location `within` (or inside it); those
/// after `cursor` (a token of the same kind of page).
#[server]
pub async fn list_items(
    collection: Option<String>,
    cursor: Option<String>,
    search: Option<String>,
    tags: Option<String>,
    within: Option<String>,
) -> Result<ItemPage, ServerFnError> {
    use domain::item_store::{PageError, PageLimit};

    let permit = ssr::read_permit(collection.as_deref())?;
    let filter = ssr::list_filter(&permit, search, tags, within).await?;
    let page = domain::item_store::page(
        &*ssr::store()?,
        &permit,
        filter.as_ref(),
        PageLimit::DEFAULT,
        cursor.as_deref(),
        &ssr::signer()?,
    )
    .await
    .map_err(|e| match e {
        PageError::BadCursor(_) => ServerFnError::Args("This page link is no longer valid.".into()),
        PageError::Store(e) => ssr::internal(e),
    })?;
    let (items, next_cursor) = (page.items, page.next);
    Ok(ItemPage { items, next_cursor })
}

/// The item, or `None` if no item has this id (including ids that cannot exist).
#[server]
pub async fn get_item(
    collection: Option<String>,
    id: String,
) -> Result<Option<Item>, ServerFnError> {
    let Ok(id) = domain::model::ItemId::parse(&id) else {
        return Ok(None);
    };
    let permit = ssr::read_permit(collection.as_deref())?;
    ssr::store()?.get(&permit, &id).await.map_err(ssr::internal)
}

/// Creates the item the form describes (under the id it was rendered with).
#[server]
pub async fn create_item(
    collection: Option<String>,
    form: domain::item_form::ItemForm,
) -> Result<SaveOutcome, ServerFnError> {
    domain::item_form::create(
        &*ssr::store()?,
        &ssr::edit_permit(collection.as_deref())?,
        &form,
    )
    .await
    .map_err(ssr::internal)
}

/// Saves the form's edit of the item `id`, made from `form.version`.
#[server]
pub async fn update_item(
    collection: Option<String>,
    id: String,
    form: domain::item_form::ItemForm,
) -> Result<SaveOutcome, ServerFnError> {
    domain::item_form::update(
        &*ssr::store()?,
        &ssr::edit_permit(collection.as_deref())?,
        &id,
        &form,
    )
    .await
    .map_err(ssr::internal)
}

/// `Ok(false)` if the item was already gone.
#[server]
pub async fn delete_item(collection: Option<String>, id: String) -> Result<bool, ServerFnError> {
    domain::item_form::delete(
        &ssr::photos()?,
        &ssr::edit_permit(collection.as_deref())?,
        &id,
    )
    .await
    .map_err(ssr::internal)
}

/// The collection's tags, most used first: what the tag field suggests and the list page
/// filters by.
#[server]
pub async fn list_tags(collection: Option<String>) -> Result<Vec<TagCount>, ServerFnError> {
    let permit = ssr::read_permit(collection.as_deref())?;
    ssr::store()?
        .tag_counts(&permit, TAG_SUGGESTIONS)
        .await
        .map_err(ssr::internal)
}
