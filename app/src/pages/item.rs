//! `/items/{id}`: one item with its photo gallery, and the delete button.

use super::{LoadError, NotFound};
use crate::components::{collection_href, Viewer};
use crate::components::{DeleteItem, ItemPlace, PhotoGallery, TagChips};
use crate::server_fns::get_item;
use domain::model::Item;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ItemPage() -> impl IntoView {
    let id = super::route_id();
    let viewer = Viewer::current();
    let item = get_item(viewer.collection_id(), id);
    let can_edit = viewer.can_edit();
    Suspend::new(async move {
        match item.await {
            Ok(Some(item)) => view! { <ItemDetails item can_edit /> }.into_any(),
            Ok(None) => view! { <NotFound /> }.into_any(),
            Err(error) => view! { <LoadError error /> }.into_any(),
        }
    })
}

#[component]
fn ItemDetails(item: Item, can_edit: bool) -> impl IntoView {
    let edited = item.updated_at != item.created_at;
    view! {
        <Title text=item.name.clone() />
        <article class="item">
            <a class="back-link" href=collection_href("/")>"← All items"</a>
            <h1 class="item__name">{item.name.clone()}</h1>
            <p class="item__meta">
                "Added "
                <time datetime=item.created_at.to_rfc3339()>{item.created_at.human_date()}</time>
                {edited
                    .then(|| {
                        view! {
                            " · Updated "
                            <time datetime=item.updated_at.to_rfc3339()>{item.updated_at.human_date()}</time>
                        }
                    })}
            </p>
            {item.location.clone().map(|location| view! { <ItemPlace location /> })}
            <TagChips tags=item.tags.clone() />
            <PhotoGallery photos=item.photos.clone() name=item.name.clone() />
            {item
                .quantity
                .map(|quantity| {
                    view! {
                        <dl class="item__facts">
                            <dt>"Quantity"</dt>
                            <dd>{quantity.get()}</dd>
                        </dl>
                    }
                })}
            {if item.description.is_empty() {
                view! { <p class="item__description item__description--empty">"No description."</p> }.into_any()
            } else {
                view! { <p class="item__description prewrap">{item.description.clone()}</p> }.into_any()
            }}
            // Viewers see no controls they may not use (the server refuses them anyway).
            {can_edit.then(|| view! {
                <div class="item__actions">
                    <a class="button button--primary" href=collection_href(&format!("/items/{}/edit", item.id))>
                        "Edit"
                    </a>
                    <DeleteItem id=item.id.to_string() name=item.name.clone() />
                </div>
            })}
        </article>
    }
}
