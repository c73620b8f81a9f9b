//! One item in the list: its cover (or a monogram), name, description, tags and date.

use super::{Loading, PhotoImage, TagChips};
use domain::model::Item;
use leptos::prelude::*;

/// An item in the list: cover, name, the start of the description, and when it was added.
#[component]
pub fn ItemCard(
    item: Item,
    /// When the cover loads (lazily for cards below the first screenful).
    #[prop(default = Loading::Lazy)]
    loading: Loading,
) -> impl IntoView {
    let href = super::collection_href(&format!("/items/{}", item.id));
    let monogram = item
        .name
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    let cover = match item.cover() {
        Some(photo) => view! {
            <PhotoImage
                photo=photo.clone()
                alt=format!("{}, cover photo", item.name)
                sizes="(min-width: 64rem) 23rem, (min-width: 40rem) 50vw, 6.5rem"
                loading
                class="card__cover"
            />
        }
        .into_any(),
        None => view! {
            <div class="card__cover card__cover--empty" aria-hidden="true">
                {monogram}
            </div>
        }
        .into_any(),
    };
    view! {
        <article class="card">
            {cover}
            <div class="card__body">
                <h2 class="card__title">
                    <a class="card__link" href=href>
                        {item.name.clone()}
                    </a>
                </h2>
                <p class="card__text">{item.description.clone()}</p>
                <TagChips tags=item.tags.clone() />
                <p class="card__meta">
                    "Added "
                    <time datetime=item.created_at.to_rfc3339()>{item.created_at.human_date()}</time>
                </p>
            </div>
        </article>
    }
}
