//! `/bulk`: the second step of a bulk change. The list's selection bar sends the items ticked
//! (or "every result") and what to do here as a plain GET; this page says how many items that
//! is, by name, asks for what it needs (where to, which tags), and posts the change; the
//! server answers with this page again, saying what changed and what could not be. It works
//! the same with and without JavaScript.

use super::list::Shown;
use crate::components::{collection_form_action, item_count, ChangeNotice, TagSuggestions};
use crate::server_fns::{bulk_selection, list_locations, BulkPicks};
use domain::location_tree::LocationTree;
use domain::model::TagCount;
use domain::organise::ChangeReport;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// Most names the page lists before "and N more".
const NAMES_SHOWN: usize = 50;

/// What a bulk change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BulkChoice {
    Move,
    Tag,
    Untag,
    Delete,
}

impl BulkChoice {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "move" => Some(Self::Move),
            "tag" => Some(Self::Tag),
            "untag" => Some(Self::Untag),
            "delete" => Some(Self::Delete),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Move => "move",
            Self::Tag => "tag",
            Self::Untag => "untag",
            Self::Delete => "delete",
        }
    }

    /// The button's words for `n` items: "Move 10 items".
    fn button(self, n: usize) -> String {
        let items = item_count(n as u64);
        match self {
            Self::Move => format!("Move {items}"),
            Self::Tag => format!("Add tags to {items}"),
            Self::Untag => format!("Remove tags from {items}"),
            Self::Delete => format!("Delete {items}"),
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Move => "Move items",
            Self::Tag => "Add tags",
            Self::Untag => "Remove tags",
            Self::Delete => "Delete items",
        }
    }
}

/// What the selection bar asked: the change, the items picked (`{id}.{version}` each) or
/// every result, and the list they were picked in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkAsk {
    pub choice: Option<BulkChoice>,
    pub picks: Vec<String>,
    pub all: bool,
    pub list: Shown,
}

impl BulkAsk {
    /// Read from the page's query, or from a posted form's fields: the same names.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut ask = Self {
            choice: None,
            picks: Vec::new(),
            all: false,
            list: Shown::default(),
        };
        let mut list = Vec::new();
        for (key, value) in pairs {
            match key {
                "action" => ask.choice = BulkChoice::parse(value),
                "item" => ask.picks.push(value.to_owned()),
                "all" => ask.all = value == "1",
                "q" | "tag" | "in" => list.push((key, value)),
                _ => {}
            }
        }
        ask.list = Shown::from_pairs(list);
        ask
    }
}

/// What the page shows after a change was posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkFeedback {
    /// What was posted (the page shows it again when the change was refused).
    pub asked: Option<BulkAsk>,
    /// What was done ("Moved to Garage › Shelf 2") and how it went.
    pub done: Option<(String, ChangeReport)>,
    /// Why the change was refused as a whole.
    pub error: Option<String>,
}

#[component]
pub fn BulkPage() -> impl IntoView {
    let feedback = use_context::<BulkFeedback>().unwrap_or_default();
    let query = use_query_map();
    // After a post the page shows what was posted: the address no longer says it.
    let asked = feedback.asked.clone().unwrap_or_else(|| {
        query.with_untracked(|query| {
            BulkAsk::from_pairs(query.into_iter().map(|(key, value)| (key.as_ref(), value)))
        })
    });
    let back = asked.list.href(None);
    let title = asked.choice.map_or("Change items", BulkChoice::title);
    let body = match (feedback.done, asked.choice) {
        (Some((done, report)), _) => view! { <Done done report back=back.clone() /> }.into_any(),
        (None, None) => view! {
            <div class="notice notice--error" role="alert">
                <p>"Choose what to do with the selected items: move, tag, remove tags or delete."</p>
            </div>
        }
        .into_any(),
        (None, Some(choice)) => view! { <Confirm asked choice error=feedback.error /> }.into_any(),
    };
    view! {
        <Title text=title />
        <div class="page-head">
            <h1>{title}</h1>
            <a class="page-head__aside" href=back>"← Back to the items"</a>
        </div>
        {body}
    }
}

/// The items the change would reach, by name, and the form that makes it.
#[component]
fn Confirm(asked: BulkAsk, choice: BulkChoice, error: Option<String>) -> impl IntoView {
    let collection = crate::components::Viewer::current().collection_id();
    let picks = bulk_selection(
        collection,
        asked.picks.join(","),
        asked.all,
        asked.list.search.clone(),
        asked.list.tag_list(),
        asked.list.within.clone(),
    );
    let error = error.map(|error| {
        view! { <div class="notice notice--error" role="alert"><p>{error}</p></div> }
    });
    view! {
        {error}
        {Suspend::new(async move {
            match picks.await {
                Ok(picks) if picks.items.is_empty() => {
                    view! { <NothingPicked picks all=asked.all /> }.into_any()
                }
                Ok(picks) => view! { <ChangeForm asked choice picks /> }.into_any(),
                Err(error) => view! { <super::LoadError error /> }.into_any(),
            }
        })}
    }
}

#[component]
fn NothingPicked(picks: BulkPicks, all: bool) -> impl IntoView {
    let message = if picks.gone > 0 {
        "The selected items no longer exist.".to_owned()
    } else if all {
        "Nothing matches this list any more.".to_owned()
    } else {
        "No items are selected: go back, tick the ones to change (or “Select all results”), \
         then choose what to do."
            .to_owned()
    };
    view! { <div class="notice notice--error" role="alert"><p>{message}</p></div> }
}

/// The count, the names, and the fields this change needs.
#[component]
fn ChangeForm(asked: BulkAsk, choice: BulkChoice, picks: BulkPicks) -> impl IntoView {
    let n = picks.items.len();
    let more = n.saturating_sub(NAMES_SHOWN);
    let gone = (picks.gone > 0).then(|| {
        let text = match picks.gone {
            1 => "1 of the selected items no longer exists.".to_owned(),
            gone => format!("{gone} of the selected items no longer exist."),
        };
        view! { <p class="hint">{text}</p> }
    });
    let names = picks
        .items
        .iter()
        .take(NAMES_SHOWN)
        .map(|(_, name)| view! { <li>{name.clone()}</li> })
        .collect_view();
    let tokens = picks
        .items
        .into_iter()
        .map(|(token, _)| view! { <input type="hidden" name="item" value=token /> })
        .collect_view();
    let list_fields = asked
        .list
        .pairs()
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view();
    let button_class = if choice == BulkChoice::Delete {
        "button button--danger"
    } else {
        "button button--primary"
    };
    view! {
        <p>{format!("{} selected:", item_count(n as u64))}</p>
        <ul class="bulk-names" aria-label="Selected items">{names}</ul>
        {(more > 0).then(|| view! { <p class="hint">{format!("…and {more} more.")}</p> })}
        {gone}
        <form class="location-form" method="post" action=collection_form_action("/bulk")>
            <input type="hidden" name="action" value=choice.as_str() />
            {tokens}
            {list_fields}
            <ChoiceFields choice tags=picks.tags />
            <div class="location-form__row">
                <button class=button_class type="submit">{choice.button(n)}</button>
            </div>
        </form>
    }
}

/// The tags to add, typed: a plain field without JavaScript. An island: hydrated, it offers
/// the collection's tags as the user types.
#[island]
fn TagsToAdd() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    view! {
        <label for="bulk-tags">"Tags to add (separated by commas)"</label>
        <input
            id="bulk-tags"
            name="tags"
            type="text"
            required
            autocomplete="off"
            prop:value=typed
            on:input=move |ev| typed.set(event_target_value(&ev))
        />
        <TagSuggestions value=typed on_pick=move |list: String| typed.set(list) />
    }
}

/// What the change needs to know besides the items: where to, which tags to add (typed, with
/// the collection's as suggestions), or which of their tags to take away (ticked).
#[component]
fn ChoiceFields(choice: BulkChoice, tags: Vec<TagCount>) -> impl IntoView {
    match choice {
        BulkChoice::Move => view! { <Destination /> }.into_any(),
        BulkChoice::Tag => view! { <TagsToAdd /> }.into_any(),
        BulkChoice::Untag if tags.is_empty() => view! {
            <p class="hint">"None of them has a tag."</p>
        }
        .into_any(),
        BulkChoice::Untag => view! {
            <fieldset class="bulk-tags">
                <legend>"Tags to remove"</legend>
                {tags
                    .into_iter()
                    .map(|TagCount { tag, items }| {
                        let name = tag.to_string();
                        view! {
                            <label class="bulk-tags__tag">
                                <input type="checkbox" name="remove" value=name.clone() />
                                {format!("{name} ({})", item_count(items))}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
        .into_any(),
        BulkChoice::Delete => view! {
            <p class="hint">"They are deleted with their photos, for good."</p>
        }
        .into_any(),
    }
}

/// Where moved items go: any location, or none.
#[component]
fn Destination() -> impl IntoView {
    let collection = crate::components::Viewer::current().collection_id();
    let locations = list_locations(collection);
    view! {
        <label for="bulk-to">"Move them to"</label>
        {Suspend::new(async move {
            let tree = LocationTree::new(locations.await.unwrap_or_default());
            let options = tree
                .in_order()
                .into_iter()
                .map(|(_, location)| {
                    view! { <option value=location.id.to_string()>{tree.path_text(&location.id)}</option> }
                })
                .collect_view();
            view! {
                <select id="bulk-to" name="to" required>
                    <option value="" selected=true disabled=true>"Choose…"</option>
                    <option value="none">"No location (take them out)"</option>
                    {options}
                </select>
            }
        })}
    }
}

/// What the change did.
#[component]
fn Done(done: String, report: ChangeReport, back: String) -> impl IntoView {
    let headline = format!("{done}: {}.", item_count(report.changed as u64));
    let failed_intro = format!(
        "{} could not be changed:",
        item_count(report.failed.len() as u64)
    );
    view! {
        <ChangeNotice headline report failed_intro />
        <p><a class="button" href=back>"Back to the items"</a></p>
    }
}
