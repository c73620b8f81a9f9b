//! Server functions for locations.

#[cfg(feature = "ssr")]
use super::ssr;
use domain::model::{Location, LocationId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The collection's locations (a tree: each names its parent).
#[server]
pub async fn list_locations(collection: Option<String>) -> Result<Vec<Location>, ServerFnError> {
    let permit = ssr::read_permit(collection.as_deref())?;
    ssr::locations()?
        .locations(&permit)
        .await
        .map_err(ssr::internal)
}

/// The collection's locations with how many items each holds, inside it included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationsSummary {
    pub locations: Vec<Location>,
    /// Items in each location and everything inside it (locations holding none left out).
    pub counts: Vec<(LocationId, u64)>,
}

#[server]
pub async fn location_overview(
    collection: Option<String>,
) -> Result<LocationsSummary, ServerFnError> {
    let permit = ssr::read_permit(collection.as_deref())?;
    let (tree, counts) =
        domain::location_store::overview(&*ssr::store()?, &*ssr::locations()?, &permit)
            .await
            .map_err(ssr::internal)?;
    let counts = counts.into_iter().filter(|(_, count)| *count > 0).collect();
    let locations = tree
        .in_order()
        .into_iter()
        .map(|(_, l)| l.clone())
        .collect();
    Ok(LocationsSummary { locations, counts })
}
