//! Autocompletion for a comma-separated tag field: the collection's tags that start with what
//! is being typed after the last comma (most used first), as buttons that complete it.
//!
//! Only a hydrated page shows them (a button without the wasm would do nothing); without
//! JavaScript the field takes the tags typed out.

use crate::components::Viewer;
use crate::server_fns::list_tags;
use domain::model::TagCount;
use domain::search::fold;
use leptos::prelude::*;

/// Most suggestions shown at once.
const SHOWN: usize = 8;

#[component]
pub fn TagSuggestions(
    /// The field's text.
    value: RwSignal<String>,
    /// Called with the field's new text when a suggestion is picked.
    on_pick: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let collection = Viewer::current().collection_id();
    // Fetched by an effect, which runs in the browser only: the server renders no
    // suggestions, and its page does not wait for them.
    let known = RwSignal::new(Vec::<TagCount>::new());
    Effect::new(move || {
        let collection = collection.clone();
        leptos::task::spawn_local(async move {
            if let Ok(tags) = list_tags(collection).await {
                known.set(tags);
            }
        });
    });
    let suggestions = move || suggest(&value.read(), &known.read());
    view! {
        <div class="tag-suggestions" role="group" aria-label="Existing tags">
            <For each=suggestions key=|tag| tag.clone() let:tag>
                {
                    let label = tag.clone();
                    view! {
                        <button
                            type="button"
                            class="chip chip--button"
                            on:click=move |_| on_pick(completed(&value.get_untracked(), &tag))
                        >
                            {label}
                        </button>
                    }
                }
            </For>
        </div>
    }
}

/// The tags to offer for the field's text `list`: those starting with its last part, not in
/// it already.
fn suggest(list: &str, known: &[TagCount]) -> Vec<String> {
    let (done, typing) = split_last(list);
    let typing = fold(typing);
    let done: Vec<String> = done.split(',').map(fold).collect();
    known
        .iter()
        .map(|count| count.tag.as_str())
        .filter(|tag| {
            let key = fold(tag);
            key.starts_with(&typing) && !done.contains(&key) && key != typing
        })
        .take(SHOWN)
        .map(str::to_owned)
        .collect()
}

/// The field's text with its last part replaced by `tag`, ready for the next.
fn completed(list: &str, tag: &str) -> String {
    let (done, _) = split_last(list);
    let done = done.trim_end();
    if done.is_empty() {
        format!("{tag}, ")
    } else {
        format!("{done} {tag}, ")
    }
}

/// The text up to and including the last comma, and the part after it.
fn split_last(list: &str) -> (&str, &str) {
    match list.rfind(',') {
        Some(at) => (&list[..=at], &list[at + 1..]),
        None => ("", list),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::model::Tag;

    fn known(tags: &[&str]) -> Vec<TagCount> {
        tags.iter()
            .map(|tag| TagCount {
                tag: Tag::parse(tag).unwrap(),
                items: 1,
            })
            .collect()
    }

    #[test]
    fn suggests_tags_starting_with_the_last_part_not_yet_there() {
        let known = known(&["Garage", "Garden", "Gifts", "Kitchen"]);
        assert_eq!(suggest("kitchen, ga", &known), ["Garage", "Garden"]);
        assert_eq!(suggest("garden, ", &known), ["Garage", "Gifts", "Kitchen"]);
        assert_eq!(suggest("GARAGE", &known), Vec::<String>::new());
    }

    #[test]
    fn picking_completes_the_last_part() {
        assert_eq!(completed("ga", "Garage"), "Garage, ");
        assert_eq!(completed("kitchen, ga", "Garage"), "kitchen, Garage, ");
        assert_eq!(completed("kitchen,", "Garage"), "kitchen, Garage, ");
    }
}
