//! `/collections/new`: a signed-in user starts a collection of their own (they own it and may
//! invite others). A plain form; the server answers with the new collection's list, or this
//! page again with why not.

use crate::components::form_action;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the page shows after a refused post.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionFeedback {
    pub name: String,
    pub error: Option<String>,
}

#[component]
pub fn NewCollectionPage() -> impl IntoView {
    let feedback = use_context::<CollectionFeedback>().unwrap_or_default();
    let invalid = feedback.error.is_some();
    view! {
        <Title text="New collection" />
        <div class="auth">
            <h1>"New collection"</h1>
            <p>"A collection is a catalogue of its own (a household's things, a shop's stock), with its own members."</p>
            <form class="auth__form" method="post" action=form_action("/collections")>
                <div class="field" class:field--invalid=invalid>
                    <div class="field__label-row">
                        <label for="name">"Name"</label>
                    </div>
                    <input
                        id="name"
                        name="name"
                        type="text"
                        autocomplete="off"
                        required=true
                        maxlength=domain::accounts::COLLECTION_NAME_MAX_CHARS.to_string()
                        value=feedback.name.clone()
                        aria-invalid=if invalid { "true" } else { "false" }
                        aria-describedby="name-error"
                    />
                    <p id="name-error" class="field__error" role="alert">{feedback.error.clone()}</p>
                </div>
                <div class="form__actions">
                    <button class="button button--primary" type="submit">"Create collection"</button>
                </div>
            </form>
        </div>
    }
}
