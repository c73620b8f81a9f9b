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
//! - `operations` (server): [`rename_tag`], [`delete_location`].

#[cfg(feature = "server")]
mod operations;

#[cfg(feature = "server")]
pub use operations::{delete_location, rename_tag, MAX_ITEMS_PER_CHANGE};

use crate::model::ItemId;
use serde::{Deserialize, Serialize};

/// What a change to many items did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeReport {
    /// How many items were changed.
    pub changed: usize,
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
