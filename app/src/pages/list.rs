//! `/`: every item, newest first, or those matching a search (`?q=`), best first, a page at a
//! time (keyset cursors in the query string).

use super::LoadError;
use crate::components::{collection_href, ItemCard, Viewer};
use crate::server_fns::{list_items, ItemPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// Cards whose covers are loaded eagerly: the most a wide screen shows above the fold.
const EAGER_COVERS: usize = 6;
/// How long typing must pause before the results follow it: one request per pause, not per
/// key.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// The list's address with this search (none if blank) and page.
fn list_href(search: Option<&str>, cursor: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(search) = search.filter(|search| !search.trim().is_empty()) {
        query.append_pair("q", search);
    }
    if let Some(cursor) = cursor {
        query.append_pair("cursor", cursor);
    }
    let query = query.finish();
    if query.is_empty() {
        collection_href("/")
    } else {
        collection_href(&format!("/?{query}"))
    }
}

/// The page's title: the search, if there is one.
fn title(search: Option<String>) -> String {
    search
        .filter(|search| !search.trim().is_empty())
        .map(|search| format!("“{search}”"))
        .unwrap_or_default()
}

/// All items, newest first, or the search's results, a page at a time.
#[component]
pub fn ListPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.read().get("cursor");
    let search = move || query.read().get("q").filter(|q| !q.trim().is_empty());
    let first_title = query.with_untracked(|query| title(query.get("q")));
    let collection = Viewer::current().collection_id();
    let first_page = Resource::new(
        move || (cursor(), search()),
        move |(cursor, search)| list_items(collection.clone(), cursor, search),
    );
    view! {
        <Title text=move || {
            // The server reads the title once the page is rendered, when the query is gone:
            // then the title it had at the start stands.
            query.try_with(|query| title(query.get("q"))).unwrap_or_else(|| first_title.clone())
        } />
        <div class="page-head">
            <h1>{move || if search().is_some() { "Search" } else { "Items" }}</h1>
            {move || {
                cursor()
                    .is_some()
                    .then(|| {
                        let href = list_href(search().as_deref(), None);
                        let text = if search().is_some() { "← First results" } else { "← Newest items" };
                        view! { <a class="page-head__aside" href=href>{text}</a> }
                    })
            }}
        </div>
        <SearchBox />
        // A transition, not a suspense: while the next results load, the current ones stay.
        <Transition fallback=|| view! { <p class="loading">"Loading items…"</p> }>
            {move || Suspend::new(async move {
                match first_page.await {
                    Ok(page) => view! { <ItemGrid page search=search() /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The search box: a plain GET form without JavaScript; hydrated, the results follow the
/// typing (after a pause), and the address keeps the search, replacing itself rather than
/// adding a history entry per pause.
#[component]
fn SearchBox() -> impl IntoView {
    let initial = use_query_map()
        .read_untracked()
        .get("q")
        .unwrap_or_default();
    let navigate = StoredValue::new(use_navigate());
    let waiting = StoredValue::new(None::<TimeoutHandle>);
    let show = move |search: String| {
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate.with_value(|navigate| navigate(&list_href(Some(&search), None), options));
    };
    let cancel_waiting = move || {
        if let Some(handle) = waiting.get_value() {
            handle.clear();
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let search = event_target_value(&ev);
        cancel_waiting();
        let handle = set_timeout_with_handle(move || show(search), SEARCH_DEBOUNCE).ok();
        waiting.set_value(handle);
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        cancel_waiting();
        show(input.get().map(|input| input.value()).unwrap_or_default());
    };
    view! {
        <form class="search" role="search" method="get" action=collection_href("/") on:submit=on_submit>
            <label class="visually-hidden" for="search-items">"Search items"</label>
            <input
                id="search-items"
                node_ref=input
                class="search__input"
                type="search"
                name="q"
                value=initial
                maxlength=domain::search::MAX_QUERY_CHARS
                placeholder="Search name, description…"
                autocomplete="off"
                enterkeyhint="search"
                on:input=on_input
            />
            <button class="button" type="submit">"Search"</button>
        </form>
    }
}

/// The cards of the first page plus any pages loaded since. Without JavaScript "Load more" is
/// a link to the next page; hydrated, it appends the next page in place.
#[component]
fn ItemGrid(page: ItemPage, search: Option<String>) -> impl IntoView {
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
    let searched = StoredValue::new(search);
    let load_more = Action::new(move |cursor: &String| {
        list_items(
            collection.get_value(),
            Some(cursor.clone()),
            searched.get_value(),
        )
    });
    Effect::new(move || {
        if let Some(Ok(page)) = load_more.value().get() {
            items.update(|items| items.extend(page.items));
            next_cursor.set(page.next_cursor);
        }
    });
    view! {
        <Show
            when=move || !items.read().is_empty()
            fallback=move || match searched.get_value() {
                Some(search) => view! { <NoResults search /> }.into_any(),
                None => view! { <EmptyState /> }.into_any(),
            }
        >
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
                        let href = searched.with_value(|search| list_href(search.as_deref(), Some(&cursor)));
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
fn NoResults(search: String) -> impl IntoView {
    view! {
        <section class="empty-state" role="status">
            <h2>"Nothing matches “" {search} "”"</h2>
            <p>"Try fewer words, or the start of a word."</p>
            <a class="button" href=collection_href("/")>"Show all items"</a>
        </section>
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
