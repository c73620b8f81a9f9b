//! `/items/new`: the item form for a new item, with the id the create will use.

use super::LoadError;
use crate::components::{collection_href, EditorMode, ItemEditor, Viewer};
use crate::server_fns::list_locations;
use domain::item_form::FormFeedback;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewItemPage() -> impl IntoView {
    // The island starts from exactly what the server rendered: the same client id, and after
    // a failed plain post the user's input and its errors.
    let feedback =
        use_context::<FormFeedback>().unwrap_or_else(|| FormFeedback::fresh(super::fresh_id()));
    let collection = Viewer::current().collection_id();
    let locations = list_locations(collection);
    view! {
        <Title text="New item" />
        <a class="back-link" href=collection_href("/")>"← All items"</a>
        <h1>"New item"</h1>
        {Suspend::new(async move {
            match locations.await {
                Ok(locations) => view! {
                    <ItemEditor
                        mode=EditorMode::Create
                        initial=feedback.form
                        outcome=feedback.outcome
                        photos=Vec::new()
                        stored_name=String::new()
                        locations
                    />
                }
                .into_any(),
                Err(error) => view! { <LoadError error /> }.into_any(),
            }
        })}
    }
}
