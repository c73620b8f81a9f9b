//! The list's selection, for editors: a box on each card and a bar that sends the ticked items
//! (or every result) to the bulk-change page with what to do. A plain GET form, the boxes
//! tied to it by their `form` attribute (a card cannot hold a form of its own inside another),
//! so it works without JavaScript; hydrated, the bar counts what is ticked and offers the
//! changes only once something is. It follows the list and sticks to the bottom of the screen
//! while the list scrolls by, where a thumb reaches it.

use super::collection_href;
use domain::model::Item;
use domain::organise::Picked;
use leptos::prelude::*;

/// The selection form's id, which the cards' boxes name.
const FORM_ID: &str = "bulk";

/// The bar: "select all", the count, and the changes on offer. An island: the boxes are on
/// the cards, outside it, so it counts the ticked ones whenever a box in the page changes
/// (cards appended by "Load more" included).
#[island]
pub fn BulkBar(
    /// The list's `q`, `tag` and `in`: "every result" means theirs.
    list: Vec<(String, String)>,
    /// Whether the list is filtered (a search, tags or a place): what "all" is called.
    filtered: bool,
) -> impl IntoView {
    let all = RwSignal::new(false);
    let ticked = RwSignal::new(0_usize);
    // Effects run only in the browser: set once the page is hydrated, when the count is live.
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        live.set(true);
        // Boxes the browser kept ticked (back to the page) count from the start.
        ticked.set(ticked_boxes());
        let _ = window_event_listener(leptos::ev::change, move |_| ticked.set(ticked_boxes()));
    });
    let idle = move || live.get() && !all.get() && ticked.get() == 0;
    let status = move || match (all.get(), ticked.get()) {
        (true, _) if filtered => "Every result is selected.".to_owned(),
        (true, _) => "Every item is selected.".to_owned(),
        (false, 0) => "Tick items to move, tag or delete several at once.".to_owned(),
        (false, 1) => "1 item selected.".to_owned(),
        (false, n) => format!("{n} items selected."),
    };
    let all_label = if filtered {
        "Select all results"
    } else {
        "Select all items"
    };
    view! {
        <form id=FORM_ID class="bulk-bar" class:bulk-bar--idle=idle method="get" action=collection_href("/bulk") aria-label="Change several items">
            {list
                .into_iter()
                .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                .collect_view()}
            <p class="bulk-bar__status" aria-live="polite">{status}</p>
            <label class="bulk-bar__all">
                <input
                    type="checkbox"
                    name="all"
                    value="1"
                    on:change=move |ev| all.set(event_target_checked(&ev))
                />
                {all_label}
            </label>
            <div class="bulk-bar__actions">
                <button class="button" type="submit" name="action" value="move">"Move…"</button>
                <button class="button" type="submit" name="action" value="tag">"Tag…"</button>
                <button class="button" type="submit" name="action" value="untag">"Untag…"</button>
                <button class="button button--danger" type="submit" name="action" value="delete">"Delete…"</button>
            </div>
        </form>
    }
}

/// How many of the cards' boxes are ticked.
fn ticked_boxes() -> usize {
    document()
        .query_selector_all(&format!("input[form={FORM_ID}][name=item]:checked"))
        .map(|boxes| boxes.length() as usize)
        .unwrap_or_default()
}

/// A card's box: ticking it picks the item at the version shown, so a change made to it since
/// is reported rather than overwritten.
#[component]
pub fn PickBox(item: Item) -> impl IntoView {
    let label = format!("Select {}", item.name);
    view! {
        <label class="card__pick">
            <input
                type="checkbox"
                form=FORM_ID
                name="item"
                value=Picked::of(&item).token()
            />
            <span class="visually-hidden">{label}</span>
        </label>
    }
}
