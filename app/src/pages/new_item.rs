//! `/items/new`: the item form for a new item, with the id the create will use.

use crate::components::{collection_href, EditorMode, ItemEditor};
use domain::item_form::FormFeedback;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewItemPage() -> impl IntoView {
    // Shared so the hydrating browser starts from exactly what the server rendered: the same
    // client id, and after a failed plain post the user's input and its errors.
    let feedback = SharedValue::new(|| {
        use_context::<FormFeedback>().unwrap_or_else(|| FormFeedback::fresh(super::fresh_id()))
    })
    .into_inner();
    view! {
        <Title text="New item" />
        <a class="back-link" href=collection_href("/")>"← All items"</a>
        <h1>"New item"</h1>
        <ItemEditor mode=EditorMode::Create initial=feedback.form outcome=feedback.outcome />
    }
}
