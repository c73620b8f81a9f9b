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

/// Why a list's query asks for nothing that can be shown.
#[derive(Debug, thiserror::Error)]
pub enum ListQueryError {
    /// `parameter` (`q`, `tag` or `in`) is at fault; `problem` says why, as an API names a
    /// field ("must be at most 200 characters"). Displayed, it is a sentence for people.
    #[error("{}", for_people(parameter, problem))]
    Refused {
        parameter: &'static str,
        problem: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ListQueryError {
    fn refused(parameter: &'static str, problem: impl Into<String>) -> Self {
        Self::Refused {
            parameter,
            problem: problem.into(),
        }
    }
}

fn for_people(parameter: &str, problem: &str) -> String {
    match parameter {
        "q" => format!("The search {problem}."),
        "tag" => format!("The tags: {problem}"),
        _ => "There is no such location.".to_owned(),
    }
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
            .map_err(|e| ListQueryError::refused("q", e.to_string()))?;
        let filter =
            ItemFilter::new(search, &self.tags).map_err(|e| ListQueryError::refused("tag", e))?;
        let within = match self.within.as_deref().filter(|raw| !raw.trim().is_empty()) {
            None => None,
            Some(raw) => {
                let no_such =
                    || ListQueryError::refused("in", "is not a location of this collection");
                let id = LocationId::parse(raw).map_err(|_| no_such())?;
                let subtree = subtree_of(locations, permit, &id).await?;
                Some(subtree.ok_or_else(no_such)?)
            }
        };
        Ok(ItemFilter::narrowed(filter, within))
    }
}
