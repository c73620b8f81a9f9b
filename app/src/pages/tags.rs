//! `/tags`: the collection's tags with how many items have each; editors rename them here,
//! and renaming one to another's name merges the two. Plain forms: the server answers with
//! this page again, saying what changed and what could not be.

use crate::components::{collection_form_action, collection_href, tag_href, Viewer};
use crate::components::{item_count, ChangeNotice};
use crate::server_fns::list_tags;
use domain::model::{TagCount, TAG_MAX_CHARS};
use domain::organise::ChangeReport;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the page shows after a rename was posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagsFeedback {
    /// The rename asked for: from, to.
    pub renamed: Option<(String, String)>,
    pub report: Option<ChangeReport>,
    /// Why the rename was refused.
    pub error: Option<String>,
}

#[component]
pub fn TagsPage() -> impl IntoView {
    let feedback = use_context::<TagsFeedback>().unwrap_or_default();
    let collection = Viewer::current().collection_id();
    let tags = list_tags(collection);
    let can_edit = Viewer::current().can_edit();
    view! {
        <Title text="Tags" />
        <div class="page-head">
            <h1>"Tags"</h1>
            <a class="page-head__aside" href=collection_href("/")>"← All items"</a>
        </div>
        <Outcome feedback />
        {Suspend::new(async move {
            match tags.await {
                Ok(tags) if tags.is_empty() => view! {
                    <section class="empty-state">
                        <h2>"No tags yet"</h2>
                        <p>"Tags you give items (on their edit page) are listed here."</p>
                    </section>
                }
                .into_any(),
                Ok(tags) => view! { <TagTable tags can_edit /> }.into_any(),
                Err(error) => view! { <super::LoadError error /> }.into_any(),
            }
        })}
    }
}

/// What the last rename did, or why it was refused.
#[component]
fn Outcome(feedback: TagsFeedback) -> impl IntoView {
    if let Some(error) = feedback.error {
        return view! { <div class="notice notice--error" role="alert"><p>{error}</p></div> }
            .into_any();
    }
    let (Some((from, to)), Some(report)) = (feedback.renamed, feedback.report) else {
        return ().into_any();
    };
    let headline = format!(
        "Renamed “{from}” to “{to}” on {}.",
        item_count(report.changed as u64)
    );
    let more = report.more;
    let failed_intro = "These could not be changed; open them to check their tags:".to_owned();
    view! {
        <ChangeNotice headline report failed_intro>
            {more
                .then(|| {
                    view! { <p>"More items have the tag: rename it again to change the next ones."</p> }
                })}
        </ChangeNotice>
    }
    .into_any()
}

#[component]
fn TagTable(tags: Vec<TagCount>, can_edit: bool) -> impl IntoView {
    view! {
        <p class="hint">
            {if can_edit {
                "Renaming a tag to the name of another merges the two."
            } else {
                "Follow a tag to see its items."
            }}
        </p>
        <ul class="tag-table" aria-label="Tags">
            {tags
                .into_iter()
                .map(|TagCount { tag, items }| {
                    let name = tag.to_string();
                    let count = item_count(items);
                    let rename = can_edit.then(|| {
                        let label = format!("New name for {name}");
                        view! {
                            <form
                                class="tag-table__rename"
                                method="post"
                                action=collection_form_action("/tags/rename")
                            >
                                <input type="hidden" name="from" value=name.clone() />
                                <input
                                    type="text"
                                    name="to"
                                    value=name.clone()
                                    aria-label=label
                                    maxlength=TAG_MAX_CHARS
                                    required
                                />
                                <button class="button" type="submit">"Rename"</button>
                            </form>
                        }
                    });
                    view! {
                        <li class="tag-table__row">
                            <a class="chip" href=tag_href(&name)>{name.clone()}</a>
                            <span class="tag-table__count">{count}</span>
                            {rename}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
