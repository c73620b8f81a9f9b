//! `/locations` (every location, nested, with how many items each holds) and
//! `/locations/{id}` (one location: where it is, what is inside it, and for editors the forms
//! that add, rename, move and delete). Plain forms: the server redirects back, or answers with
//! the page again saying what went wrong.

use super::{LoadError, NotFound};
use crate::components::{collection_form_action, collection_href, ItemCard, Viewer};
use crate::components::{item_count, FailedItems};
use crate::server_fns::{list_items, location_overview, LocationsSummary};
use domain::location_tree::LocationTree;
use domain::model::{Location, LocationId, LOCATION_NAME_MAX_CHARS};
use domain::organise::ChangeReport;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a location page shows after one of its forms was posted and refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationFeedback {
    pub error: Option<String>,
    /// A delete whose items could not all be moved out: the location stays.
    pub report: Option<ChangeReport>,
}

/// The address of a location's page.
pub fn location_href(id: &LocationId) -> String {
    collection_href(&format!("/locations/{id}"))
}

/// The tree and its counts, as the pages use them.
struct Places {
    tree: LocationTree,
    counts: HashMap<LocationId, u64>,
}

impl Places {
    fn new(summary: LocationsSummary) -> Self {
        Self {
            tree: LocationTree::new(summary.locations),
            counts: summary.counts.into_iter().collect(),
        }
    }

    fn count(&self, id: &LocationId) -> String {
        item_count(self.counts.get(id).copied().unwrap_or(0))
    }
}

#[component]
pub fn LocationsPage() -> impl IntoView {
    let feedback = use_context::<LocationFeedback>().unwrap_or_default();
    let collection = Viewer::current().collection_id();
    let summary = location_overview(collection);
    let can_edit = Viewer::current().can_edit();
    view! {
        <Title text="Locations" />
        <div class="page-head">
            <h1>"Locations"</h1>
            <a class="page-head__aside" href=collection_href("/")>"← All items"</a>
        </div>
        <Problem feedback />
        {Suspend::new(async move {
            match summary.await {
                Ok(summary) => {
                    let places = Places::new(summary);
                    let tree = if places.tree.is_empty() {
                        view! {
                            <section class="empty-state">
                                <h2>"No locations yet"</h2>
                                <p>"Add the places you keep things in: rooms, shelves, boxes."</p>
                            </section>
                        }
                        .into_any()
                    } else {
                        view! { <nav aria-label="Locations"><Branch places=&places parent=None /></nav> }
                            .into_any()
                    };
                    view! {
                        {tree}
                        {can_edit.then(|| view! { <AddLocation parent=None label="Add a location" /> })}
                    }
                    .into_any()
                }
                Err(error) => view! { <LoadError error /> }.into_any(),
            }
        })}
    }
}

/// The locations directly in `parent`, each with what is inside it.
#[component]
fn Branch<'a>(places: &'a Places, parent: Option<LocationId>) -> impl IntoView {
    let children = places.tree.children(parent.as_ref());
    view! {
        <ul class="location-tree">
            {children
                .into_iter()
                .map(|location| {
                    let inside = (!places.tree.children(Some(&location.id)).is_empty())
                        .then(|| view! { <Branch places parent=Some(location.id.clone()) /> });
                    view! {
                        <li>
                            <a href=location_href(&location.id)>{location.name.clone()}</a>
                            " "
                            <span class="location-tree__count">{places.count(&location.id)}</span>
                            {inside}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn LocationPage() -> impl IntoView {
    let feedback = use_context::<LocationFeedback>().unwrap_or_default();
    let id = super::route_id();
    let collection = Viewer::current().collection_id();
    let summary = location_overview(collection.clone());
    let items = list_items(collection, None, None, None, Some(id.clone()));
    Suspend::new(async move {
        let (summary, items) = futures::join!(summary, items);
        let summary = match summary {
            Ok(summary) => summary,
            Err(error) => return view! { <LoadError error /> }.into_any(),
        };
        let places = Places::new(summary);
        let Some(location) = LocationId::parse(&id)
            .ok()
            .and_then(|id| places.tree.get(&id).cloned())
        else {
            return view! { <NotFound /> }.into_any();
        };
        let items = match items {
            Ok(page) => page,
            Err(error) => return view! { <LoadError error /> }.into_any(),
        };
        view! { <LocationDetails places location feedback items /> }.into_any()
    })
}

#[component]
fn LocationDetails(
    places: Places,
    location: Location,
    feedback: LocationFeedback,
    items: crate::server_fns::ItemPage,
) -> impl IntoView {
    let can_edit = Viewer::current().can_edit();
    let path = places.tree.path(&location.id);
    let crumbs = path[..path.len() - 1]
        .iter()
        .map(|outer| {
            view! {
                <li><a href=location_href(&outer.id)>{outer.name.clone()}</a></li>
            }
        })
        .collect_view();
    let inside = (!places.tree.children(Some(&location.id)).is_empty()).then(|| {
        view! {
            <h2>"Inside"</h2>
            <Branch places=&places parent=Some(location.id.clone()) />
        }
    });
    let all_here = collection_href(&format!("/?in={}", location.id));
    let more = items.next_cursor.is_some().then(|| {
        view! { <p><a class="button" href=all_here.clone()>"See every item here"</a></p> }
    });
    let cards = if items.items.is_empty() {
        view! { <p class="hint">"Nothing is filed here yet."</p> }.into_any()
    } else {
        view! {
            <ul class="card-grid" aria-label="Items">
                {items
                    .items
                    .into_iter()
                    .map(|item| view! { <li><ItemCard item /></li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let forms =
        can_edit.then(|| view! { <LocationForms places=&places location=location.clone() /> });
    view! {
        <Title text=places.tree.path_text(&location.id) />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li><a href=collection_href("/locations")>"Locations"</a></li>
                {crumbs}
            </ol>
        </nav>
        <div class="page-head">
            <h1>{location.name.clone()}</h1>
            <span class="page-head__aside">{places.count(&location.id)}</span>
        </div>
        <Problem feedback />
        {inside}
        <h2>"Items here"</h2>
        {cards}
        {more}
        {forms}
    }
}

/// Why the last form was refused, or which items a delete could not move.
#[component]
fn Problem(feedback: LocationFeedback) -> impl IntoView {
    let failed = feedback
        .report
        .filter(|report| !report.failed.is_empty())
        .map(|report| {
            view! {
                <p>"The location was kept: these items could not be moved out of it."</p>
                <FailedItems failures=report.failed />
            }
        });
    (feedback.error.is_some() || failed.is_some()).then(|| {
        view! {
            <div class="notice notice--error" role="alert">
                {feedback.error.map(|error| view! { <p>{error}</p> })}
                {failed}
            </div>
        }
    })
}

/// A form adding a location in `parent` (at the top for `None`).
#[component]
fn AddLocation(parent: Option<LocationId>, label: &'static str) -> impl IntoView {
    let id = super::fresh_id();
    view! {
        <form class="location-form" method="post" action=collection_form_action("/locations/new")>
            <h2>{label}</h2>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="parent" value=parent.map(|p| p.to_string()).unwrap_or_default() />
            <label for="new-location-name">"Name"</label>
            <div class="location-form__row">
                <input
                    id="new-location-name"
                    name="name"
                    type="text"
                    required
                    maxlength=LOCATION_NAME_MAX_CHARS
                    autocomplete="off"
                />
                <button class="button button--primary" type="submit">"Add"</button>
            </div>
        </form>
    }
}

/// An editor's forms for `location`: add inside, rename, move, delete.
#[component]
fn LocationForms<'a>(places: &'a Places, location: Location) -> impl IntoView {
    let action = |op: &str| collection_form_action(&format!("/locations/{}/{op}", location.id));
    let version = location.version.to_string();
    // Where it may go: anywhere but inside itself.
    let inside = places.tree.subtree(&location.id);
    let destinations: Vec<(String, String)> = places
        .tree
        .in_order()
        .into_iter()
        .filter(|(_, other)| !inside.contains(&other.id))
        .map(|(_, other)| (other.id.to_string(), places.tree.path_text(&other.id)))
        .collect();
    let current_parent = location
        .parent
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let move_options = destinations
        .iter()
        .map(|(id, path)| {
            view! { <option value=id.clone() selected=*id == current_parent>{path.clone()}</option> }
        })
        .collect_view();
    let empty = places.counts.get(&location.id).copied().unwrap_or(0) == 0
        && places.tree.children(Some(&location.id)).is_empty();
    let contents_options = destinations
        .iter()
        .map(|(id, path)| view! { <option value=id.clone()>{path.clone()}</option> })
        .collect_view();
    view! {
        <AddLocation parent=Some(location.id.clone()) label="Add a location inside" />
        <form class="location-form" method="post" action=action("rename")>
            <h2>"Rename"</h2>
            <input type="hidden" name="version" value=version.clone() />
            <label for="rename-location">"New name"</label>
            <div class="location-form__row">
                <input
                    id="rename-location"
                    name="name"
                    type="text"
                    required
                    maxlength=LOCATION_NAME_MAX_CHARS
                    value=location.name.clone()
                />
                <button class="button" type="submit">"Rename"</button>
            </div>
        </form>
        <form class="location-form" method="post" action=action("move")>
            <h2>"Move"</h2>
            <input type="hidden" name="version" value=version.clone() />
            <label for="move-location">"Into"</label>
            <div class="location-form__row">
                <select id="move-location" name="parent">
                    <option value="" selected=current_parent.is_empty()>"The top (in no other location)"</option>
                    {move_options}
                </select>
                <button class="button" type="submit">"Move"</button>
            </div>
        </form>
        <form class="location-form" method="post" action=action("delete")>
            <h2>"Delete"</h2>
            <input type="hidden" name="version" value=version />
            {if empty {
                view! {
                    <input type="hidden" name="contents_to" value="none" />
                    <p class="hint">"It is empty."</p>
                }
                .into_any()
            } else {
                view! {
                    <label for="contents-to">"Move what it holds into"</label>
                    <select id="contents-to" name="contents_to" required>
                        <option value="" selected=true disabled=true>"Choose…"</option>
                        <option value="none">"No location (items unfiled, locations to the top)"</option>
                        {contents_options}
                    </select>
                }
                .into_any()
            }}
            <div class="location-form__row">
                <button class="button button--danger" type="submit">"Delete location"</button>
            </div>
        </form>
    }
}
