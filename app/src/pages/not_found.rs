//! The page for a path or item that does not exist: a real 404.

use crate::components::set_http_status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    set_http_status(404);
    view! {
        <Title text="Not found" />
        <section class="empty-state">
            <h1>"Nothing here"</h1>
            <p>"This page or item does not exist. It may have been deleted."</p>
            <a class="button button--primary" href="/">"See all items"</a>
        </section>
    }
}
