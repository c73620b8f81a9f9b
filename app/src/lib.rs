//! Shelf's web application: the pages, their components, the server functions they call, and
//! the browser's side of the photo pipeline. The domain (model, validation, stores, photo
//! operations) is the [`domain`] crate's; this crate is only the UI over it.
//!
//! The same crate compiles twice: with `ssr` into the server binary (rendering pages, running
//! server functions against the stores) and with `hydrate` into the browser's wasm. Pages
//! render on the server only; the browser runs their islands (`#[island]`: the item form, the
//! list's search box, …), each taking over its part of the server-rendered HTML. Every page
//! also works without the wasm: forms are real HTML forms that post to the server.
//!
//! # Layout
//! - [`pages`]: one component per route.
//! - [`collection_path`]: where a collection's pages live (`/c/{collection}/…`).
//! - [`hydration_script`]: the script that loads the wasm once the page has loaded.
//! - [`components`]: the pieces pages are made of (the item form, the photo picker, …).
//! - [`server_fns`]: the `#[server]` functions the pages' islands call.
//! - [`browser`]: what only runs in the browser: the photo Web Worker's page side and the
//!   uploads straight to storage.

pub mod browser;
pub mod collection_path;
pub mod components;
pub mod hydration_script;
pub mod pages;
pub mod server_fns;

use components::SiteHeader;
use hydration_script::HydrationOnLoad;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};
use pages::{
    AccountPage, BulkPage, EditItemPage, EditorsOnly, InCollection, ItemPage, JoinPage, ListPage,
    LocationPage, LocationsPage, MembersPage, NewCollectionPage, NewItemPage, NotFound,
    SetPasswordPage, SetupPage, SignInPage, SignUpPage, TagsPage,
};

/// The name cargo-leptos gives the wasm, JS and CSS it builds (`/pkg/shelf.*`).
pub const OUTPUT_NAME: &str = "shelf";

/// The id of the page's `<main>`, which carries the viewer for the islands.
pub const MAIN_ID: &str = "main";

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationOnLoad options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: header plus the routed page.
///
/// Every route renders with [`SsrMode::Async`]: the server waits for the page's data and sends
/// complete HTML, which is what a browser without JavaScript (or before the wasm arrives)
/// needs; streamed out-of-order fragments would only be placed by a script.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let viewer = components::Viewer::provide().to_page();
    view! {
        <Stylesheet id="leptos" href=format!("/pkg/{OUTPUT_NAME}.css") />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="theme-color" content="#1f4f46" />
        <Meta
            name="description"
            content="Shelf keeps a record of your things: names, descriptions, tags, places and photos, searchable from any device."
        />
        <Title formatter=|page: String| {
            components::raw_text(&if page.is_empty() { "Shelf".to_owned() } else { format!("{page} · Shelf") })
        } />
        <Router>
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <SiteHeader />
            <main id=MAIN_ID class="page" data-viewer=viewer>
                <Routes fallback=NotFound>
                    // A collection's pages, in the visitor's default collection and under
                    // `/c/{collection}` (see `collection_path`).
                    <Route path=path!("/") view=|| view! { <InCollection><ListPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection") view=|| view! { <InCollection><ListPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/items/new") view=|| view! { <InCollection><EditorsOnly><NewItemPage /></EditorsOnly></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection/items/new") view=|| view! { <InCollection><EditorsOnly><NewItemPage /></EditorsOnly></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/items/:id") view=|| view! { <InCollection><ItemPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection/items/:id") view=|| view! { <InCollection><ItemPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/items/:id/edit") view=|| view! { <InCollection><EditorsOnly><EditItemPage /></EditorsOnly></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection/items/:id/edit") view=|| view! { <InCollection><EditorsOnly><EditItemPage /></EditorsOnly></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/locations") view=|| view! { <InCollection><LocationsPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection/locations") view=|| view! { <InCollection><LocationsPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/locations/:id") view=|| view! { <InCollection><LocationPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection/locations/:id") view=|| view! { <InCollection><LocationPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/bulk") view=|| view! { <InCollection><EditorsOnly><BulkPage /></EditorsOnly></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection/bulk") view=|| view! { <InCollection><EditorsOnly><BulkPage /></EditorsOnly></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/tags") view=|| view! { <InCollection><TagsPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection/tags") view=|| view! { <InCollection><TagsPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/members") view=|| view! { <InCollection><MembersPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/c/:collection/members") view=|| view! { <InCollection><MembersPage /></InCollection> } ssr=SsrMode::Async />
                    <Route path=path!("/collections/new") view=NewCollectionPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-up") view=SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/join") view=JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                    <Route path=path!("/set-password") view=SetPasswordPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
