use crate::components::{EditorMode, ItemEditor};
use crate::forms::{fresh_item_id, FormFeedback};
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
        <a class="back-link" href="/">"← All items"</a>
        <h1>"New item"</h1>
        <ItemEditor mode=EditorMode::Create initial=feedback.form outcome=feedback.outcome />
    }
}
