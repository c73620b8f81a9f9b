//! `/`: every item, newest first, or those matching a search (`?q=`, best first) and carrying
//! some tags (`?tag=…&tag=…`), a page at a time (keyset cursors in the query string).

use super::LoadError;
use crate::browser::page_swap;
use crate::components::{collection_href, BulkBar, ItemCard, Loading, PickBox, Viewer};
use crate::server_fns::{list_items, list_tags, ItemPage};
use domain::model::{Item, ItemId, TagCount};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Cards whose covers are loaded eagerly: the most a wide screen shows above the fold.
const EAGER_COVERS: usize = 6;
/// The list page's head (its heading), which follows the search.
const HEAD_ID: &str = "list-head";
/// The list page's results (tag filter, cards, selection, next page), which follow the search.
const RESULTS_ID: &str = "list-results";
/// How long typing must pause before the results follow it: one request per pause, not per
/// key.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// Most tags the filter bar offers (besides those chosen).
const FILTER_TAGS: usize = 24;

/// What the list shows, as its address says: a search, tags and a place to filter by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub search: Option<String>,
    pub tags: Vec<String>,
    /// A location's id: only what is in it (or inside it).
    pub within: Option<String>,
}

impl Shown {
    fn from_query(query: &leptos_router::params::ParamsMap) -> Self {
        Self::from_pairs(query.into_iter().map(|(key, value)| (key.as_ref(), value)))
    }

    /// From the query's (or a form's) `q`, `tag` and `in`; other names are not the list's.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut shown = Self::default();
        for (key, value) in pairs {
            if value.trim().is_empty() {
                continue;
            }
            match key {
                "q" => shown.search = Some(value.to_owned()),
                "tag" => shown.tags.push(value.to_owned()),
                "in" => shown.within = Some(value.to_owned()),
                _ => {}
            }
        }
        shown
    }

    fn is_filtered(&self) -> bool {
        self.search.is_some() || !self.tags.is_empty() || self.within.is_some()
    }

    /// The tags as the server function takes them (a tag holds no comma).
    pub fn tag_list(&self) -> Option<String> {
        (!self.tags.is_empty()).then(|| self.tags.join(","))
    }

    /// The same list with `tag` chosen, or no longer chosen if it was.
    fn toggled(&self, tag: &str) -> Self {
        let key = domain::search::fold(tag);
        let mut tags: Vec<String> = self
            .tags
            .iter()
            .filter(|chosen| domain::search::fold(chosen) != key)
            .cloned()
            .collect();
        if tags.len() == self.tags.len() {
            tags.push(tag.to_owned());
        }
        Self {
            search: self.search.clone(),
            tags,
            within: self.within.clone(),
        }
    }

    fn is_chosen(&self, tag: &str) -> bool {
        let key = domain::search::fold(tag);
        self.tags
            .iter()
            .any(|chosen| domain::search::fold(chosen) == key)
    }

    /// Its query's names and values (`q`, `tag`…, `in`).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> =
            self.search.iter().map(|q| ("q", q.clone())).collect();
        pairs.extend(self.tags.iter().map(|tag| ("tag", tag.clone())));
        pairs.extend(self.within.iter().map(|within| ("in", within.clone())));
        pairs
    }

    /// The list's address showing this, at `cursor`'s page.
    pub fn href(&self, cursor: Option<&str>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(self.pairs());
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

    /// The page's title: the search and the tags, if any.
    fn title(&self) -> String {
        let mut parts: Vec<String> = self.search.iter().map(|s| format!("“{s}”")).collect();
        parts.extend(self.tags.iter().map(|tag| format!("#{tag}")));
        parts.join(" ")
    }
}

/// All items, newest first, or the search's results, a page at a time.
///
/// Rendered on the server only. The search box is an island: hydrated, it fetches the page
/// for what is typed and puts its head and results in place of these.
#[component]
pub fn ListPage() -> impl IntoView {
    let query = use_query_map();
    let (shown, cursor) =
        query.with_untracked(|query| (Shown::from_query(query), query.get("cursor")));
    let collection = Viewer::current().collection_id();
    let tags = list_tags(collection.clone());
    let first_page = list_items(
        collection,
        cursor.clone(),
        shown.search.clone(),
        shown.tag_list(),
        shown.within.clone(),
    );
    let heading = if shown.search.is_some() {
        "Search"
    } else {
        "Items"
    };
    let first_results = cursor.is_some().then(|| {
        let text = if shown.is_filtered() {
            "← First results"
        } else {
            "← Newest items"
        };
        view! { <a class="page-head__aside" href=shown.href(None)>{text}</a> }
    });
    view! {
        <Title text=shown.title() />
        <div class="page-head" id=HEAD_ID>
            <h1>{heading}</h1>
            {first_results}
        </div>
        <SearchBox shown=shown.clone() />
        <nav class="browse" aria-label="Browse">
            <a href=collection_href("/locations")>"Locations"</a>
            <a href=collection_href("/tags")>"Tags"</a>
        </nav>
        <div id=RESULTS_ID>
            {Suspend::new(async move {
                let (tags, first_page) = futures::join!(tags, first_page);
                let grid = match first_page {
                    Ok(page) => view! { <ItemGrid page shown=shown.clone() /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                };
                // Without its counts the filter is left out; the cards still show.
                let filter = tags.ok().map(|tags| view! { <TagFilter tags shown /> });
                view! {
                    {filter}
                    {grid}
                }
            })}
        </div>
    }
}

/// The collection's most used tags as links that add one to the filter (or take it away):
/// plain links, so they work without JavaScript.
#[component]
fn TagFilter(tags: Vec<TagCount>, shown: Shown) -> impl IntoView {
    let offered = offered_tags(&tags, &shown);
    (!offered.is_empty()).then(|| {
        view! {
            <nav class="tag-filter" aria-label="Filter by tag">
                <ul class="chips">
                    {offered
                        .into_iter()
                        .map(|tag| {
                            let chosen = shown.is_chosen(&tag);
                            let href = shown.toggled(&tag).href(None);
                            let action = if chosen { "Stop filtering by " } else { "Filter by " };
                            view! {
                                <li>
                                    <a class="chip" class:chip--chosen=chosen href=href>
                                        <span class="visually-hidden">{action}</span>
                                        {chosen.then(|| view! { <span aria-hidden="true">"✓ "</span> })}
                                        {tag}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                    <li>
                        <a class="tag-filter__all" href=collection_href("/tags")>"All tags"</a>
                    </li>
                </ul>
            </nav>
        }
    })
}

/// The chosen tags first (as chosen), then the most used others.
fn offered_tags(tags: &[TagCount], shown: &Shown) -> Vec<String> {
    let mut offered = shown.tags.clone();
    offered.extend(
        tags.iter()
            .map(|count| count.tag.as_str())
            .filter(|tag| !shown.is_chosen(tag))
            .take(FILTER_TAGS)
            .map(str::to_owned),
    );
    offered
}

/// The search box: a plain GET form without JavaScript. An island: hydrated, the results
/// follow the typing (after a pause): it fetches the list page for the search and puts that
/// page's head and results in place, and the address keeps the search, replacing itself
/// rather than adding a history entry per pause.
#[island]
fn SearchBox(shown: Shown) -> impl IntoView {
    let initial = shown.search.clone().unwrap_or_default();
    let shown = StoredValue::new(shown);
    let waiting = StoredValue::new(None::<TimeoutHandle>);
    // Only the latest search's results are put in place, however the answers arrive.
    let latest = StoredValue::new(0_u32);
    let show = move |search: String| {
        let search = Some(search).filter(|search| !search.trim().is_empty());
        let href = Shown {
            search,
            ..shown.get_value()
        }
        .href(None);
        latest.update_value(|n| *n += 1);
        let this = latest.get_value();
        leptos::task::spawn_local(async move {
            let page = page_swap::fetch_page(&href).await;
            if latest.get_value() != this {
                return;
            }
            match page {
                Some(page) => page_swap::show_parts(&page, &href, &[HEAD_ID, RESULTS_ID]),
                // The server's answer, whatever it is, as a page of its own.
                None => page_swap::go_to(&href),
            }
        });
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
    // What was typed before the wasm arrived (the box was a plain form then) is searched for
    // as soon as the island is alive, rather than at the next key.
    Effect::new({
        let initial = initial.clone();
        move |_| {
            if let Some(typed) = input.get().map(|input| input.value()) {
                if typed != initial {
                    show(typed);
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        cancel_waiting();
        show(input.get().map(|input| input.value()).unwrap_or_default());
    };
    let (tags, within) = shown.with_value(|shown| (shown.tags.clone(), shown.within.clone()));
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
            // The tags and the place chosen stay chosen when a search is sent without
            // JavaScript.
            {tags.into_iter().map(|tag| view! { <input type="hidden" name="tag" value=tag /> }).collect_view()}
            {within.map(|within| view! { <input type="hidden" name="in" value=within /> })}
            <button class="button" type="submit">"Search"</button>
        </form>
    }
}

/// The cards of a page, the selection bar for editors, and the way to the next page.
#[component]
fn ItemGrid(page: ItemPage, shown: Shown) -> impl IntoView {
    if page.items.is_empty() {
        return if shown.is_filtered() {
            view! { <NoResults shown /> }.into_any()
        } else {
            view! { <EmptyState /> }.into_any()
        };
    }
    let loading = CoverLoading::of(&page.items);
    let can_edit = Viewer::current().can_edit();
    let next = page.next_cursor.map(|cursor| shown.href(Some(&cursor)));
    let bulk_bar = can_edit.then(|| {
        let list = shown
            .pairs()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
        view! { <BulkBar list filtered=shown.is_filtered() /> }
    });
    view! {
        <ul class="card-grid" aria-label="Items">
            {page
                .items
                .into_iter()
                .map(|item| {
                    view! {
                        <li class="card-grid__cell">
                            {can_edit.then(|| view! { <PickBox item=item.clone() /> })}
                            <ItemCard loading=loading.of_item(&item.id) item />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {bulk_bar}
        <LoadMore next />
    }
    .into_any()
}

/// "Load more": without JavaScript a link to the next page. An island: hydrated, it fetches
/// that page and appends its cards to these, then offers the page after it.
#[island]
fn LoadMore(next: Option<String>) -> impl IntoView {
    let next = RwSignal::new(next);
    let pending = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let load = move |href: String| {
        pending.set(true);
        failed.set(false);
        leptos::task::spawn_local(async move {
            match page_swap::fetch_page(&href).await {
                Some(page) => next.set(page_swap::append_cards(&page)),
                None => failed.set(true),
            }
            pending.set(false);
        });
    };
    view! {
        <div class="load-more">
            {move || {
                next.get()
                    .map(|href| {
                        view! {
                            <a
                                class="button"
                                href=href.clone()
                                data-load-more=""
                                aria-disabled=move || pending.get().to_string()
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    if !pending.get_untracked() {
                                        load(href.clone());
                                    }
                                }
                            >
                                {move || if pending.get() { "Loading…" } else { "Load more" }}
                            </a>
                        }
                    })
            }}
            {move || {
                failed
                    .get()
                    .then(|| view! { <p class="field__error" role="alert">"Could not load more items; try again."</p> })
            }}
        </div>
    }
}

/// When each card's cover loads: the first screenful's at once, the first cover of all before
/// anything else (it is the page's largest paint); the rest, and any loaded later, when
/// scrolled near.
struct CoverLoading {
    eager: Vec<ItemId>,
    first: Option<ItemId>,
}

impl CoverLoading {
    fn of(items: &[Item]) -> Self {
        let eager = &items[..items.len().min(EAGER_COVERS)];
        CoverLoading {
            eager: eager.iter().map(|item| item.id.clone()).collect(),
            first: eager
                .iter()
                .find(|item| item.cover().is_some())
                .map(|item| item.id.clone()),
        }
    }

    fn of_item(&self, id: &ItemId) -> Loading {
        if self.first.as_ref() == Some(id) {
            Loading::First
        } else if self.eager.contains(id) {
            Loading::Eager
        } else {
            Loading::Lazy
        }
    }
}

#[component]
fn NoResults(shown: Shown) -> impl IntoView {
    let advice = match (&shown.search, shown.tags.len()) {
        (Some(_), 0) => "Try fewer words, or the start of a word.",
        (None, 0) => "Nothing is filed here yet.",
        (None, _) => "No item here has all of these tags.",
        (Some(_), _) => "Try fewer words or fewer tags.",
    };
    view! {
        <section class="empty-state" role="status">
            <h2>"Nothing matches " {shown.title()}</h2>
            <p>{advice}</p>
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
