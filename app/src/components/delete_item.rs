//! The item page's delete button, with a confirmation that works without JavaScript.

use crate::server_fns::delete_item;
use leptos::{ev::SubmitEvent, prelude::*};

/// Delete with confirmation. The confirmation is a `<details>` disclosure holding a real form,
/// so it needs no script: opening it is the "are you sure?", the button inside is the "yes".
/// An island: hydrated, it deletes through a server function and then goes to the list.
#[island]
pub fn DeleteItem(id: String, name: String) -> impl IntoView {
    let collection = StoredValue::new(crate::components::Viewer::current().collection_id());
    let delete = Action::new(move |id: &String| delete_item(collection.get_value(), id.clone()));
    Effect::new(move || {
        if let Some(Ok(_)) = delete.value().get() {
            // Gone either way: deleted now, or by someone else before.
            crate::browser::page_swap::go_to(&crate::components::collection_href("/"));
        }
    });
    let on_submit = {
        let id = id.clone();
        move |event: SubmitEvent| {
            event.prevent_default();
            delete.dispatch(id.clone());
        }
    };
    view! {
        <details class="danger-zone">
            <summary class="button button--danger-quiet">"Delete…"</summary>
            <form
                class="danger-zone__body"
                method="post"
                action=crate::components::collection_form_action(&format!("/items/{id}/delete"))
                on:submit=on_submit
            >
                <p>
                    "Delete “" <strong>{name}</strong> "” and its photos? This cannot be undone."
                </p>
                {move || {
                    delete
                        .value()
                        .get()
                        .and_then(Result::err)
                        .map(|e| view! { <p class="field__error" role="alert">{format!("Not deleted: {e}")}</p> })
                }}
                <button class="button button--danger" type="submit" disabled=move || delete.pending().get()>
                    {move || if delete.pending().get() { "Deleting…" } else { "Delete permanently" }}
                </button>
            </form>
        </details>
    }
}
