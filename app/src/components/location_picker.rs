//! The item form's location: a plain `<select>` of the collection's locations, each shown
//! with its path ("House › Garage › Shelf 2"), so it works without JavaScript.

use domain::location_tree::LocationTree;
use domain::model::Location;
use leptos::prelude::*;

#[component]
pub fn LocationPicker(
    /// The collection's locations, loaded by the page with the form.
    locations: Vec<Location>,
    /// The chosen location's id; blank for none.
    value: RwSignal<String>,
    on_change: impl Fn(String) + Copy + Send + Sync + 'static,
    /// `aria-invalid`'s value (reactive).
    invalid: impl Fn() -> &'static str + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let tree = LocationTree::new(locations);
    let chosen = value.get_untracked();
    let options = tree
        .in_order()
        .into_iter()
        .map(|(_, location)| {
            let id = location.id.to_string();
            let selected = id == chosen;
            view! { <option value=id selected=selected>{tree.path_text(&location.id)}</option> }
        })
        .collect_view();
    view! {
        <select
            id="location"
            name="location"
            aria-invalid=invalid
            aria-describedby="location-error"
            prop:value=value
            on:change=move |ev| on_change(event_target_value(&ev))
        >
            <option value="" selected=chosen.is_empty()>"Not filed anywhere"</option>
            {options}
        </select>
    }
}
