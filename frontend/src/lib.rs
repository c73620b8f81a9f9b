//! The browser entry point: brings the islands of the server-rendered pages of the [`app`]
//! crate to life.
//!
//! # Layout
//! Only [`hydrate`] lives here. The pages render on the server only; what runs in the browser
//! is `app`'s islands (`#[island]`), compiled with its `hydrate` feature and exported by
//! wasm-bindgen, one function per island, which the page's script calls on each
//! `<leptos-island>` (`app::hydration_script`).

// The islands' view types nest deeply; monomorphising them for the browser needs more room
// than rustc's default of 128.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the page's script once the wasm has loaded, before it hydrates the islands.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Under the root owner `hydrate_islands` set: every island sees the page's viewer.
    app::components::Viewer::provide_from_page();
}
