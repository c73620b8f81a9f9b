//! A collection's pages render only for a visitor who may read it; anyone else (signed in,
//! since the server sends anonymous visitors to sign in first) gets a 404 that does not say
//! whether the collection exists, and the way to their own.

use crate::components::{set_http_status, Viewer};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn InCollection(children: ChildrenFn) -> impl IntoView {
    let viewer = Viewer::current();
    if viewer.collection.is_some() {
        return children().into_any();
    }
    set_http_status(404);
    let elsewhere = if viewer.collections.is_empty() {
        view! { <p>"You are not in any collection yet: create one, or ask an owner for an invite."</p> }
            .into_any()
    } else {
        view! { <p>"Pick one of yours from the menu at the top, or create a new one."</p> }
            .into_any()
    };
    view! {
        <Title text="Not found" />
        <section class="empty-state">
            <h1>"No such collection"</h1>
            <p>"This collection does not exist, or you are not one of its members."</p>
            {elsewhere}
            <a class="button button--primary" href="/collections/new">"Create a collection"</a>
        </section>
    }
    .into_any()
}

/// The forms that change a collection (new item, edit) render only for those whose role lets
/// them; a viewer gets a 403 that says why, rather than a form whose save would be refused.
#[component]
pub fn EditorsOnly(children: ChildrenFn) -> impl IntoView {
    let viewer = Viewer::current();
    if viewer.can_edit() {
        return children().into_any();
    }
    set_http_status(403);
    view! {
        <Title text="Not allowed" />
        <section class="empty-state">
            <h1>"View only"</h1>
            <p>"Your role in this collection lets you see its items, not change them. An owner can make you an editor."</p>
            <a class="button button--primary" href=viewer.path("/")>"See the items"</a>
        </section>
    }
    .into_any()
}
