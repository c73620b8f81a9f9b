//! Where an item is: its location's path, each place a link to its page.

use super::{collection_href, Viewer};
use crate::server_fns::list_locations;
use domain::location_tree::LocationTree;
use domain::model::LocationId;
use leptos::prelude::*;

#[component]
pub fn ItemPlace(location: LocationId) -> impl IntoView {
    let collection = Viewer::current().collection_id();
    let locations = list_locations(collection);
    Suspend::new(async move {
        let tree = LocationTree::new(locations.await.unwrap_or_default());
        let path = tree.path(&location);
        (!path.is_empty()).then(|| {
            view! {
                <nav class="breadcrumb" aria-label="Where it is">
                    <ol>
                        {path
                            .into_iter()
                            .map(|place| {
                                let href = collection_href(&format!("/locations/{}", place.id));
                                view! { <li><a href=href>{place.name.clone()}</a></li> }
                            })
                            .collect_view()}
                    </ol>
                </nav>
            }
        })
    })
}
