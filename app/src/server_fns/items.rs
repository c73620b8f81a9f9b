//! Server functions for items.

#[cfg(feature = "ssr")]
use super::ssr;
use domain::item_form::SaveOutcome;
use domain::model::Item;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One page of the list as the pages receive it; the cursor is already an opaque token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPage {
    pub items: Vec<Item>,
    pub next_cursor: Option<String>,
}

/// The newest items, or those after `cursor`.
#[server]
pub async fn list_items(
    collection: Option<String>,
    cursor: Option<String>,
) -> Result<ItemPage, ServerFnError> {
    use domain::item_store::PageLimit;
    use domain::model::Cursor;

    let signer = ssr::signer()?;
    let after = match cursor.as_deref().filter(|token| !token.is_empty()) {
        Some(token) => Some(Cursor::open(token, &signer).map_err(|_| -> ServerFnError {
            ServerFnError::Args("This page link is no longer valid.".into())
        })?),
        None => None,
    };
    let permit = ssr::read_permit(collection.as_deref())?;
    let page = ssr::store()?
        .list(&permit, PageLimit::DEFAULT, after.as_ref())
        .await
        .map_err(ssr::internal)?;
    Ok(ItemPage {
        items: page.items,
        next_cursor: page.next.map(|c| c.seal(&signer)),
    })
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

#[server]
pub async fn create_item(
    collection: Option<String>,
    id: String,
    name: String,
    description: String,
) -> Result<SaveOutcome, ServerFnError> {
    let form = domain::item_form::ItemForm {
        id,
        name,
        description,
        ..Default::default()
    };
    domain::item_form::create(
        &*ssr::store()?,
        &ssr::edit_permit(collection.as_deref())?,
        &form,
    )
    .await
    .map_err(ssr::internal)
}

#[server]
pub async fn update_item(
    collection: Option<String>,
    id: String,
    version: String,
    name: String,
    description: String,
) -> Result<SaveOutcome, ServerFnError> {
    let form = domain::item_form::ItemForm {
        version,
        name,
        description,
        ..Default::default()
    };
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
