//! The browser entry point: hydrates the server-rendered pages of the [`app`] crate.
//!
//! # Layout
//! Only [`hydrate`] lives here; everything the pages do is in `app`, compiled with its
//! `hydrate` feature.

// The pages' view types nest deeply; monomorphising them for the browser needs more room
// than rustc's default of 128.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the script tag that `HydrationScripts` renders once the wasm has loaded.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for end-to-end tests and for CSS: from here on, the page is interactive.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
