//! What a list's address asks for (`q`, `tag`, `in`) turned into an [`ItemFilter`]: one place
//! for the list page, `GET /api/items` and the bulk changes' "every result", so that "all the
//! results" always means the results the list showed.

use crate::access::{Permit, Read};
use crate::item_filter::ItemFilter;
use crate::item_store::StoreError;
use crate::location_store::{subtree_of, LocationStore};
use crate::model::LocationId;
use crate::search::SearchQuery;

/// A list's query as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub search: Option<String>,
    pub tags: Vec<String>,
    /// A location's id: only what is in it or anywhere inside it.
    pub within: Option<String>,
}

/// Why a list's query asks for nothing that can be shown. Shown as is to people; an API names
/// the parameter (`q`, `tag`, `in`) with the inner message.
#[derive(Debug, thiserror::Error)]
pub enum ListQueryError {
    #[error("The search {0}.")]
    Search(String),
    #[error("The tags: {0}")]
    Tags(String),
    #[error("There is no such location.")]
    NoSuchLocation,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ListQuery {
    /// The filter it asks for, `None` for every item. `in` is looked up in `locations`: the
    /// location and those inside it.
    pub async fn filter(
        &self,
        locations: &dyn LocationStore,
        permit: &Permit<Read>,
    ) -> Result<Option<ItemFilter>, ListQueryError> {
        let search = SearchQuery::parse(self.search.as_deref().unwrap_or_default())
            .map_err(|e| ListQueryError::Search(e.to_string()))?;
        let filter = ItemFilter::new(search, &self.tags).map_err(ListQueryError::Tags)?;
        let within = match self.within.as_deref().filter(|raw| !raw.trim().is_empty()) {
            None => None,
            Some(raw) => {
                let id = LocationId::parse(raw).map_err(|_| ListQueryError::NoSuchLocation)?;
                let subtree = subtree_of(locations, permit, &id).await?;
                Some(subtree.ok_or(ListQueryError::NoSuchLocation)?)
            }
        };
        Ok(ItemFilter::narrowed(filter, within))
    }
}
