//! The edit page's list of an item's photos, with buttons to make one the cover, move it, or
//! remove it. Each button is its own small form posting to `/items/{id}/photos/{photo}/{op}`,
//! so it works without JavaScript; once hydrated, the same buttons call server functions and
//! update the list in place.

use crate::server_fns::{move_photo, remove_photo, user_message};
use domain::model::{Item, Photo};
use domain::photos::PhotoMove;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// What one button does; its name is the last part of the form's URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoOp {
    Move(PhotoMove),
    Remove,
}

impl PhotoOp {
    pub const ALL: [PhotoOp; 4] = [
        PhotoOp::Move(PhotoMove::First),
        PhotoOp::Move(PhotoMove::Earlier),
        PhotoOp::Move(PhotoMove::Later),
        PhotoOp::Remove,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PhotoOp::Move(PhotoMove::First) => "cover",
            PhotoOp::Move(PhotoMove::Earlier) => "earlier",
            PhotoOp::Move(PhotoMove::Later) => "later",
            PhotoOp::Remove => "remove",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// What the button says to assistive technology (and in its tooltip).
    fn label(self) -> &'static str {
        match self {
            PhotoOp::Move(PhotoMove::First) => "Make cover",
            PhotoOp::Move(PhotoMove::Earlier) => "Move earlier",
            PhotoOp::Move(PhotoMove::Later) => "Move later",
            PhotoOp::Remove => "Remove",
        }
    }

    /// What the button shows: short, so a tile's buttons fit on one line on a phone.
    fn text(self) -> &'static str {
        match self {
            PhotoOp::Move(PhotoMove::First) => "Cover",
            PhotoOp::Move(PhotoMove::Earlier) => "←",
            PhotoOp::Move(PhotoMove::Later) => "→",
            PhotoOp::Remove => "Remove",
        }
    }
}

#[component]
pub fn PhotoManager(
    item_id: String,
    name: String,
    photos: Vec<Photo>,
    /// Called with the item after each change (its version moved on).
    on_change: impl Fn(Item) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let photos = RwSignal::new(photos);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let item_id = StoredValue::new(item_id);
    let name = StoredValue::new(name);
    let collection = StoredValue::new(crate::components::Viewer::current().collection_id());
    let apply = Callback::new(move |(photo_id, op): (String, PhotoOp)| {
        let (collection, item_id) = (collection.get_value(), item_id.get_value());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match op {
                PhotoOp::Remove => remove_photo(collection, item_id, photo_id).await,
                PhotoOp::Move(to) => move_photo(collection, item_id, photo_id, to).await,
            };
            busy.set(false);
            match result {
                Ok(item) => {
                    error.set(None);
                    photos.set(item.photos.clone());
                    on_change(item);
                }
                Err(e) => error.set(Some(user_message(&e))),
            }
        });
    });

    view! {
        <section class="photo-manager" aria-labelledby="photo-manager-title">
            <h2 id="photo-manager-title" class="photo-manager__title">"Photos"</h2>
            {move || error.get().map(|message| view! { <p class="notice notice--error" role="alert">{message}</p> })}
            <Show
                when=move || !photos.read().is_empty()
                fallback=|| view! { <p class="photo-manager__empty">"No photos yet. Add some below."</p> }
            >
                <ol class="photo-manager__list">
                    <For
                        each=move || {
                            let list = photos.get();
                            let count = list.len();
                            list.into_iter().enumerate().map(move |(i, p)| (i, count, p)).collect::<Vec<_>>()
                        }
                        key=|(index, count, photo)| (photo.id.clone(), *index, *count)
                        let:entry
                    >
                        {
                            let (index, count, photo) = entry;
                            let alt = format!("{}, photo {} of {count}", name.get_value(), index + 1);
                            let photo_id = photo.id.to_string();
                            let ops = PhotoOp::ALL
                                .into_iter()
                                .filter(|op| match op {
                                    PhotoOp::Move(PhotoMove::First | PhotoMove::Earlier) => index > 0,
                                    PhotoOp::Move(PhotoMove::Later) => index + 1 < count,
                                    PhotoOp::Remove => true,
                                })
                                .map(|op| {
                                    let photo_id = photo_id.clone();
                                    let action = crate::components::collection_form_action(&format!(
                                        "/items/{}/photos/{photo_id}/{}",
                                        item_id.get_value(),
                                        op.name()
                                    ));
                                    let on_submit = move |ev: SubmitEvent| {
                                        ev.prevent_default();
                                        apply.run((photo_id.clone(), op));
                                    };
                                    view! {
                                        <form method="post" action=action on:submit=on_submit class="photo-manager__op">
                                            <button
                                                type="submit"
                                                class=if op == PhotoOp::Remove { "button button--danger-quiet" } else { "button button--quiet" }
                                                disabled=move || busy.get()
                                                aria-label=op.label()
                                                title=op.label()
                                            >
                                                {op.text()}
                                            </button>
                                        </form>
                                    }
                                })
                                .collect_view();
                            view! {
                                <li class="photo-manager__item">
                                    <img
                                        class="photo-manager__thumb"
                                        src=photo.thumb_url.clone()
                                        width=photo.thumb_width
                                        height=photo.thumb_height
                                        alt=alt
                                        style=super::placeholder_style(&photo.placeholder)
                                    />
                                    {(index == 0).then(|| view! { <span class="photo-manager__cover">"Cover"</span> })}
                                    <div class="photo-manager__ops">{ops}</div>
                                </li>
                            }
                        }
                    </For>
                </ol>
            </Show>
        </section>
    }
}
