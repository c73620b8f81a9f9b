//! An item's tags as chips, each a link to the list of the items that have it.

use super::collection_href;
use domain::model::Tags;
use leptos::prelude::*;

/// The list's address showing the items tagged `tag`.
pub fn tag_href(tag: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("tag", tag)
        .finish();
    collection_href(&format!("/?{query}"))
}

#[component]
pub fn TagChips(tags: Tags) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="chips" aria-label="Tags">
                {tags
                    .iter()
                    .map(|tag| {
                        view! {
                            <li>
                                <a class="chip" href=tag_href(tag.as_str())>{tag.to_string()}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
