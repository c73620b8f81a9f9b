//! Changes to many items at once: what one reports (compiled for the browser too), and the
//! operations (server only): renaming a tag everywhere, emptying a location into another
//! before deleting it; each item changed with its own conditional write, so a change made
//! meanwhile is never overwritten.
//!
//! No backend offers a transaction over a whole collection (DynamoDB's hold 100 items), and
//! none is needed: each item is changed from the version just read, a conflict re-reads that
//! item and tries again, and whatever still could not be changed is reported by name, so
//! nothing is silently left behind.
//!
//! # Layout
//! - this file: [`ChangeReport`], [`ItemFailure`].
//! - `operations` (server): [`rename_tag`], [`delete_location`], and the per-item write they
//!   share.
//! - `bulk` (server): the changes to items picked in the list ([`change_picked`]).

#[cfg(feature = "server")]
mod bulk;
#[cfg(feature = "server")]
mod operations;

#[cfg(feature = "server")]
pub use bulk::{
    change_matching, change_picked, pick_matching, picked_items, BulkAction, BulkError, RetagError,
};
#[cfg(feature = "server")]
pub use operations::{delete_location, rename_tag, MAX_ITEMS_PER_CHANGE};

use crate::model::{Item, ItemId};
use serde::{Deserialize, Serialize};

/// An item picked for a change, with the version it was seen at when that is known: a picked
/// item changed since is reported, not changed. Written `{id}.{version}` (or the bare id) in
/// forms and addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picked {
    pub id: ItemId,
    pub seen: Option<u64>,
}

impl Picked {
    /// The item as it is now, at its version.
    pub fn of(item: &Item) -> Self {
        Self {
            id: item.id.clone(),
            seen: Some(item.version),
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let (id, seen) = match raw.split_once('.') {
            Some((id, version)) => {
                let version = version
                    .parse::<u64>()
                    .map_err(|_| format!("“{raw}” does not end in a version number"))?;
                (id, Some(version))
            }
            None => (raw, None),
        };
        let id = ItemId::parse(id).map_err(|_| format!("“{raw}” is not an item id"))?;
        Ok(Self { id, seen })
    }

    /// How [`Picked::parse`] reads it back.
    pub fn token(&self) -> String {
        match self.seen {
            Some(version) => format!("{}.{version}", self.id),
            None => self.id.to_string(),
        }
    }
}

/// What a change to many items did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeReport {
    /// How many items were changed.
    pub changed: usize,
    /// How many needed no change (they had it already, or no longer had what it was about).
    #[serde(default)]
    pub unchanged: usize,
    /// The items that could not be, and why.
    pub failed: Vec<ItemFailure>,
    /// More items were left for another go ([`MAX_ITEMS_PER_CHANGE`] at a time).
    pub more: bool,
}

/// One item a change could not make.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemFailure {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: ItemId,
    pub name: String,
    /// Why, for people: "changed by someone else meanwhile", "deleted meanwhile"…
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn an_id() -> ItemId {
        ItemId::parse("0193f0a4-6f1e-7c2a-9d3b-5a8e2f1c4b7d").unwrap()
    }

    #[test]
    fn a_pick_reads_back_what_it_writes() {
        let id = an_id();
        for seen in [Some(0), Some(7), Some(u64::MAX), None] {
            let pick = Picked {
                id: id.clone(),
                seen,
            };
            assert_eq!(Picked::parse(&pick.token()), Ok(pick));
        }
        assert_eq!(Picked::parse(&format!(" {id}.3 ")).unwrap().seen, Some(3));
    }

    #[test]
    fn a_malformed_pick_says_what_is_wrong() {
        let id = an_id();
        for raw in [
            format!("{id}."),
            format!("{id}.x"),
            format!("{id}.-1"),
            format!("{id}.1.2"),
            format!("{id}.99999999999999999999"),
        ] {
            let problem = Picked::parse(&raw).unwrap_err();
            assert!(problem.contains("version number"), "{raw}: {problem}");
        }
        for raw in ["", "nope", ".3", "nope.3"] {
            let problem = Picked::parse(raw).unwrap_err();
            assert!(problem.contains("not an item id"), "{raw}: {problem}");
        }
    }
}
