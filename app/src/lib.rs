//! Shelf's web application: the pages, their components and server functions, and the domain
//! model shared by the server and the browser.
//!
//! The same crate compiles twice: with `ssr` into the server binary (rendering pages, running
//! server functions against the store) and with `hydrate` into the browser's wasm (taking over
//! the server-rendered HTML). Every page also works without the wasm: forms are real HTML
//! forms that post to the server.
//!
//! # Layout
//! - [`model`]: items, ids, timestamps, cursors and the validation rules for item fields.
//! - [`forms`]: the item form's wire types, shared by server functions and plain posts.
//! - [`server_fns`]: the `#[server]` functions the hydrated pages call.
//! - [`store`] (ssr): the item storage trait the server functions and the REST API use.
//! - [`photo_store`] (ssr): the photo-file storage trait (local folder or S3).
//! - [`photos`]: the photo operations (ssr) (signed uploads, attach, remove, reorder, sweep)
//!   over both stores, shared by the REST API, server functions and plain posts.
//! - [`actions`] (ssr): form operations shared by server functions and plain posts.
//! - [`pages`], [`components`]: the UI.
//! - [`photo_worker`]: the page's side of the photo Web Worker (browser only).
//! - [`photo_upload`]: uploading a processed photo straight to storage (browser only).

#[cfg(feature = "ssr")]
pub mod actions;
pub mod components;
pub mod forms;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod photo_store;
pub mod photo_upload;
pub mod photo_worker;
pub mod photos;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod store;

use components::SiteHeader;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};
use pages::{EditItemPage, ItemPage, ListPage, NewItemPage, NotFound};

/// The name cargo-leptos gives the wasm, JS and CSS it builds (`/pkg/shelf.*`).
pub const OUTPUT_NAME: &str = "shelf";

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
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
    view! {
        <Stylesheet id="leptos" href=format!("/pkg/{OUTPUT_NAME}.css") />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="theme-color" content="#1f4f46" />
        <Title formatter=|page: String| {
            components::raw_text(&if page.is_empty() { "Shelf".to_owned() } else { format!("{page} · Shelf") })
        } />
        <Router>
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <SiteHeader />
            <main id="main" class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=ListPage ssr=SsrMode::Async />
                    <Route path=path!("/items/new") view=NewItemPage ssr=SsrMode::Async />
                    <Route path=path!("/items/:id") view=ItemPage ssr=SsrMode::Async />
                    <Route path=path!("/items/:id/edit") view=EditItemPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
