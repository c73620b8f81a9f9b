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

/// The bar: "select all", the count, and the changes on offer.
#[component]
pub fn BulkBar(
    /// The list's `q`, `tag` and `in`: "every result" means theirs.
    list: Vec<(&'static str, String)>,
    /// Whether the list is filtered (a search, tags or a place): what "all" is called.
    filtered: bool,
    /// How many boxes are ticked (counted once hydrated).
    ticked: RwSignal<usize>,
) -> impl IntoView {
    let all = RwSignal::new(false);
    // Effects run only in the browser: set once the page is hydrated, when the count is live.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
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

/// A card's box: ticking it picks the item at the version shown, so a change made to it since
/// is reported rather than overwritten.
#[component]
pub fn PickBox(item: Item, ticked: RwSignal<usize>) -> impl IntoView {
    let label = format!("Select {}", item.name);
    let on_change = move |ev: leptos::ev::Event| {
        let checked = event_target_checked(&ev);
        ticked.update(|n| *n = if checked { *n + 1 } else { n.saturating_sub(1) });
    };
    view! {
        <label class="card__pick">
            <input
                type="checkbox"
                form=FORM_ID
                name="item"
                value=Picked::of(&item).token()
                on:change=on_change
            />
            <span class="visually-hidden">{label}</span>
        </label>
    }
}
