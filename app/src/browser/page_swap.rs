//! Parts of another page put in place of this one's, for islands that show more of what the
//! server renders (the list's search results, its next page) without a page load. The server
//! stays the one renderer of items: an island fetches the page's HTML, as a link would, and
//! moves the parts it wants into the document. Islands among them are hydrated by the page's
//! script (`window.__shelfHydrateIslands`, see `hydration_script`).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, DomParser, Element, Response, SupportedType};

/// The page at `href` as a document, if it was answered with a success.
pub async fn fetch_page(href: &str) -> Option<Document> {
    let window = web_sys::window()?;
    let response: Response = JsFuture::from(window.fetch_with_str(href))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let html = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    DomParser::new()
        .ok()?
        .parse_from_string(&html, SupportedType::TextHtml)
        .ok()
}

/// Puts `page`'s elements with `ids` in place of this document's, takes its title and makes
/// `href` (where `page` came from) the address, replacing it: no history entry.
pub fn show_parts(page: &Document, href: &str, ids: &[&str]) {
    let document = leptos::prelude::document();
    for id in ids {
        let (Some(new), Some(old)) = (page.get_element_by_id(id), document.get_element_by_id(id))
        else {
            continue;
        };
        let Ok(new) = document.import_node_with_deep(&new, true) else {
            continue;
        };
        if old.replace_with_with_node_1(&new).is_ok() {
            hydrate_islands_in(&new);
        }
    }
    document.set_title(&page.title());
    if let Ok(history) = leptos::prelude::window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(href));
    }
}

/// Appends `page`'s cards to this document's grid, their photos loaded lazily (they are
/// below what is on screen), and returns the address of the page after `page`, if any.
pub fn append_cards(page: &Document) -> Option<String> {
    let document = leptos::prelude::document();
    let grid = document.query_selector(".card-grid").ok()??;
    let cards = page.query_selector_all(".card-grid > li").ok()?;
    for index in 0..cards.length() {
        let Some(card) = cards.item(index) else {
            continue;
        };
        let Ok(card) = document.import_node_with_deep(&card, true) else {
            continue;
        };
        if let Some(card) = card.dyn_ref::<Element>() {
            lazy_photos(card);
        }
        let _ = grid.append_child(&card);
    }
    page.query_selector("[data-load-more]")
        .ok()
        .flatten()
        .and_then(|link| link.get_attribute("href"))
}

/// Loads another page, as following a link would.
pub fn go_to(href: &str) {
    let _ = leptos::prelude::window().location().assign(href);
}

/// A card's cover is eager on the page it came from when it was near the top there.
fn lazy_photos(card: &Element) {
    let Ok(images) = card.query_selector_all("img") else {
        return;
    };
    for index in 0..images.length() {
        if let Some(image) = images
            .item(index)
            .and_then(|node| node.dyn_into::<Element>().ok())
        {
            let _ = image.set_attribute("loading", "lazy");
            let _ = image.remove_attribute("fetchpriority");
        }
    }
}

/// Hydrates the islands inside `root`, through the function the page's script left.
fn hydrate_islands_in(root: &web_sys::Node) {
    let hydrate = js_sys::Reflect::get(
        &leptos::prelude::window(),
        &JsValue::from_str("__shelfHydrateIslands"),
    )
    .ok()
    .and_then(|hydrate| hydrate.dyn_into::<js_sys::Function>().ok());
    if let Some(hydrate) = hydrate {
        let _ = hydrate.call1(&JsValue::NULL, root);
    }
}
