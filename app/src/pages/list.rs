//! `/`: every item, newest first, a page at a time (keyset cursors in the query string).

use super::LoadError;
use crate::components::{collection_href, ItemCard, Viewer};
use crate::server_fns::{list_items, ItemPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Cards whose covers are loaded eagerly: the most a wide screen shows above the fold.
const EAGER_COVERS: usize = 6;

/// All items, newest first, a page at a time.
#[component]
pub fn ListPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.read().get("cursor");
    let collection = Viewer::current().collection_id();
    let first_page = Resource::new(cursor, move |cursor| list_items(collection.clone(), cursor));
    view! {
        <Title text="" />
        <div class="page-head">
            <h1>"Items"</h1>
            {move || {
                cursor()
                    .is_some()
                    .then(|| view! { <a class="page-head__aside" href=collection_href("/")>"← Newest items"</a> })
            }}
        </div>
        <Suspense fallback=|| view! { <p class="loading">"Loading items…"</p> }>
            {move || Suspend::new(async move {
                match first_page.await {
                    Ok(page) => view! { <ItemGrid page /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The cards of the first page plus any pages loaded since. Without JavaScript "Load more" is
/// a link to the next page; hydrated, it appends the next page in place.
#[component]
fn ItemGrid(page: ItemPage) -> impl IntoView {
    // The first screenful of covers loads at once; the rest when scrolled near.
    let eager = StoredValue::new(
        page.items
            .iter()
            .take(EAGER_COVERS)
            .map(|i| i.id.clone())
            .collect::<Vec<_>>(),
    );
    let items = RwSignal::new(page.items);
    let next_cursor = RwSignal::new(page.next_cursor);
    let collection = StoredValue::new(Viewer::current().collection_id());
    let load_more = Action::new(move |cursor: &String| {
        list_items(collection.get_value(), Some(cursor.clone()))
    });
    Effect::new(move || {
        if let Some(Ok(page)) = load_more.value().get() {
            items.update(|items| items.extend(page.items));
            next_cursor.set(page.next_cursor);
        }
    });
    view! {
        <Show when=move || !items.read().is_empty() fallback=EmptyState>
            <ul class="card-grid" aria-label="Items">
                <For each=move || items.get() key=|item| item.id.clone() let:item>
                    <li>
                        <ItemCard lazy=!eager.with_value(|e| e.contains(&item.id)) item />
                    </li>
                </For>
            </ul>
        </Show>
        <div class="load-more">
            {move || {
                next_cursor
                    .get()
                    .map(|cursor| {
                        let href = collection_href(&format!("/?cursor={cursor}"));
                        view! {
                            <a
                                class="button"
                                href=href
                                aria-disabled=move || load_more.pending().get().to_string()
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    if !load_more.pending().get_untracked() {
                                        load_more.dispatch(cursor.clone());
                                    }
                                }
                            >
                                {move || if load_more.pending().get() { "Loading…" } else { "Load more" }}
                            </a>
                        }
                    })
            }}
            {move || {
                load_more
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|_| view! { <p class="field__error" role="alert">"Could not load more items; try again."</p> })
            }}
        </div>
    }
}

#[component]
fn EmptyState() -> impl IntoView {
    let invite = if Viewer::current().can_edit() {
        view! {
            <p>"Add the first thing you want to keep track of."</p>
            <a class="button button--primary" href=collection_href("/items/new")>"Add an item"</a>
        }
        .into_any()
    } else {
        view! { <p>"Nothing has been added yet."</p> }.into_any()
    };
    view! {
        <section class="empty-state">
            <h2>"Your shelf is empty"</h2>
            {invite}
        </section>
    }
}
