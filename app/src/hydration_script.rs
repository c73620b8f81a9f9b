//! The script that brings the wasm in: once the page has loaded and the browser is idle.
//!
//! Leptos' `HydrationScripts` fetches the wasm as soon as the head is read (a `preload` link,
//! even with `defer`, at low priority), and on a phone's connection its half megabyte then
//! shares the bandwidth with the first screenful's photos: Lighthouse put the list page's
//! Largest Contentful Paint at 4.1 s, the wasm's download in it (docs/performance.md). Every
//! page works before the wasm (forms post, links load), so it can wait: this script starts
//! it after the `load` event (the page's eager images are in), when the browser is idle, and
//! at the latest five seconds after the script runs, so a photo that never finishes loading
//! cannot keep the page from hydrating.
//!
//! Only the islands hydrate (`#[island]` components, each a `<leptos-island>` naming its
//! wasm function): the script calls each once, and keeps the call as
//! `window.__shelfHydrateIslands(root)` for islands that arrive in HTML fetched later (the
//! list's results). Once every island on the page has hydrated, the script marks
//! `<html data-hydrated>` for end-to-end tests and CSS.

use leptos::prelude::*;

/// Hydrate this long after the script runs even if the page has not finished loading.
const BACKSTOP_MS: u32 = 5000;

/// `<script type="module">` that loads `/{pkg}/{name}.js` and its wasm, then hydrates the
/// page's islands.
#[component]
pub fn HydrationOnLoad(options: LeptosOptions) -> impl IntoView {
    // Outside its islands the page is never hydrated: render it without hydration markers and
    // without its resources' data (only islands, which set this again inside, carry theirs).
    // This is what Leptos' `HydrationScripts` does in islands mode; rendered in the `<head>`,
    // it runs before the body.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let base = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    let script = format!(
        r#"(function (js, wasm) {{
  let started = false;
  const hydrate = () => {{
    if (started) return;
    started = true;
    import(js).then((mod) => mod.default({{ module_or_path: wasm }}).then(() => {{
      mod.hydrate();
      // A lazy island (`#[island(lazy)]`: the item form, whose code is a wasm module of its
      // own) answers a promise: all are awaited before the page counts as hydrated.
      const islands = (root) =>
        Promise.all(
          Array.from(root.querySelectorAll("leptos-island"), (island) => {{
            if (island.$$hydrated) return;
            island.$$hydrated = true;
            const hydrateIsland = mod[island.dataset.component];
            if (hydrateIsland) return hydrateIsland(island);
            console.error(`no wasm function for the island ${{island.dataset.component}}`);
          }}),
        );
      window.__shelfHydrateIslands = islands;
      islands(document).then(() => document.documentElement.setAttribute("data-hydrated", ""));
    }}));
  }};
  const whenIdle = () =>
    "requestIdleCallback" in window ? requestIdleCallback(hydrate, {{ timeout: 2000 }}) : hydrate();
  if (document.readyState === "complete") whenIdle();
  else addEventListener("load", whenIdle, {{ once: true }});
  setTimeout(hydrate, {BACKSTOP_MS});
}})({js:?}, {wasm:?});"#,
        js = format!("{base}.js"),
        wasm = format!("{base}.wasm"),
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}
