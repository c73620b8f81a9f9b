//! `/items/{id}/edit`: the item form on a stored item, and its photos to reorder or remove.

use super::{LoadError, NotFound};
use crate::components::{collection_href, EditorMode, ItemEditor, Viewer};
use crate::server_fns::{get_item, list_locations};
use domain::item_form::{FormFeedback, ItemForm};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EditItemPage() -> impl IntoView {
    let id = super::route_id();
    let collection = Viewer::current().collection_id();
    let item = get_item(collection.clone(), id.clone());
    let locations = list_locations(collection);
    // After a failed plain post: the user's input and why it was refused (see NewItemPage).
    let feedback = use_context::<FormFeedback>();
    let back = collection_href(&format!("/items/{id}"));
    view! {
        <Title text="Edit item" />
        <a class="back-link" href=back>"← Back to item"</a>
        <h1>"Edit item"</h1>
        {Suspend::new(async move {
            let mode = EditorMode::Edit { id };
            let (item, locations) = match futures::join!(item, locations) {
                (Ok(item), Ok(locations)) => (item, locations),
                (Err(error), _) | (_, Err(error)) => {
                    return view! { <LoadError error /> }.into_any();
                }
            };
            match (item, feedback) {
                // Even if the item was deleted meanwhile: the user's text stays.
                (item, Some(FormFeedback { form, outcome })) => {
                    let (photos, stored_name) = item
                        .map(|item| (item.photos, item.name))
                        .unwrap_or_default();
                    view! { <ItemEditor mode initial=form outcome photos stored_name locations /> }
                        .into_any()
                }
                (Some(item), None) => {
                    let initial = ItemForm::from_item(&item);
                    view! {
                        <ItemEditor
                            mode
                            initial
                            outcome=None
                            photos=item.photos
                            stored_name=item.name
                            locations
                        />
                    }
                        .into_any()
                }
                (None, None) => view! { <NotFound /> }.into_any(),
            }
        })}
    }
}
