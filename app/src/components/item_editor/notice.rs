//! Messages about the whole form rather than one field: a conflict with someone else's save,
//! a deleted item, a form used twice, a failed save, photos that did not upload.

use crate::components::collection_href;
use domain::model::Item;
use leptos::prelude::*;

/// A message about the whole form rather than one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Notice {
    Conflict(Item),
    Missing,
    AlreadyCreated(Item),
    Failed(String),
    /// Saved, but not every photo could be uploaded.
    UploadsFailed {
        item: Item,
        failed: usize,
    },
}

#[component]
pub(super) fn FormNotice(
    notice: Notice,
    /// Reloading the edit page is how to start over from the stored version without JS.
    reload_href: String,
    name: RwSignal<String>,
    description: RwSignal<String>,
) -> impl IntoView {
    match notice {
        Notice::Conflict(latest) => {
            let take_theirs = {
                let latest = latest.clone();
                move |ev: leptos::ev::MouseEvent| {
                    ev.prevent_default();
                    name.set(latest.name.clone());
                    description.set(latest.description.clone());
                }
            };
            view! {
                <div class="notice notice--warning" role="alert">
                    <h2 class="notice__title">"Someone else changed this item"</h2>
                    <p>
                        "It was saved by someone else while you were editing. This is what is stored now:"
                    </p>
                    <dl class="notice__latest">
                        <dt>"Name"</dt>
                        <dd>{latest.name.clone()}</dd>
                        <dt>"Description"</dt>
                        <dd class="prewrap">{latest.description.clone()}</dd>
                    </dl>
                    <p>
                        "Your changes are still in the form. Save again to replace their version with yours, or "
                        <a href=reload_href on:click=take_theirs>
                            "start from their version"
                        </a> "."
                    </p>
                </div>
            }
            .into_any()
        }
        Notice::Missing => view! {
            <div class="notice notice--error" role="alert">
                <h2 class="notice__title">"This item no longer exists"</h2>
                <p>
                    "It was deleted while you were editing. Your text is still in the form; copy it into a "
                    <a href=collection_href("/items/new")>"new item"</a> " to keep it."
                </p>
            </div>
        }
        .into_any(),
        Notice::AlreadyCreated(item) => view! {
            <div class="notice notice--warning" role="alert">
                <h2 class="notice__title">"This form was already used"</h2>
                <p>
                    "It created "
                    <a href=collection_href(&format!("/items/{}", item.id))>{item.name.clone()}</a>
                    ". To add another item, start a "
                    <a href=collection_href("/items/new")>"new form"</a> "."
                </p>
            </div>
        }
        .into_any(),
        Notice::UploadsFailed { item, failed } => view! {
            <div class="notice notice--error" role="alert">
                <h2 class="notice__title">"Saved, but not every photo was uploaded"</h2>
                <p>
                    {if failed == 1 { "1 photo was".to_owned() } else { format!("{failed} photos were") }}
                    " not uploaded; the reason is next to each. Save again to retry them, or "
                    <a href=collection_href(&format!("/items/{}", item.id))>"go to the item"</a> "."
                </p>
            </div>
        }
        .into_any(),
        Notice::Failed(message) => view! {
            <div class="notice notice--error" role="alert">
                <h2 class="notice__title">"Not saved"</h2>
                <p>{message} " Your changes are still here; try again."</p>
            </div>
        }
        .into_any(),
    }
}
