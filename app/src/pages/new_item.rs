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
        use_context::<FormFeedback>().unwrap_or_else(|| FormFeedback::fresh(fresh_item_id()))
    })
    .into_inner();
    view! {
        <Title text="New item" />
        <a class="back-link" href=collection_href("/")>"← All items"</a>
        <h1>"New item"</h1>
        <ItemEditor mode=EditorMode::Create initial=feedback.form outcome=feedback.outcome />
    }
}

/// A new id for a create form: made on the server when it renders the form, or by the browser
/// (`crypto.randomUUID()`) when the form is opened by client-side navigation.
fn fresh_item_id() -> String {
    #[cfg(feature = "ssr")]
    {
        domain::model::ItemId::generate().to_string()
    }
    #[cfg(not(feature = "ssr"))]
    {
        // Without a crypto API the server picks the id; only retries lose idempotency.
        web_sys::window()
            .and_then(|window| window.crypto().ok())
            .map(|crypto| crypto.random_uuid())
            .unwrap_or_default()
    }
}
