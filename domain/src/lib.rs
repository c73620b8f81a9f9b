//! Shelf's domain: what an item is, the rules its fields follow, how items and photo files are
//! stored (as traits), and the photo operations over both stores. It knows nothing of HTTP,
//! axum or Leptos: the web app (`app`) and the server binary (`server`) both build on it.
//!
//! Without features it is the part the browser needs: the validated model and the item form's
//! types, so the form checks input with exactly the rules the server enforces. The `server`
//! feature adds the storage boundaries and the operations; `openapi` adds utoipa schemas.
//!
//! # Layout
//! - [`access`] (server): the gate every entry point asks, and the permits the item store
//!   takes.
//! - [`accounts`]: users, collections, roles; with `server`, password hashing, credentials,
//!   one-time links and the account storage trait.
//! - [`list_query`] (server): a list's `q`, `tag` and `in` turned into a filter, the same for
//!   the pages, the API and the bulk changes' "every result".
//! - [`location_store`] (server): the location storage trait.
//! - [`location_tree`]: a collection's locations as a tree: paths, subtrees, counts, and the
//!   rules a move keeps.
//! - [`model`]: items, photos, ids, timestamps, cursors, and the validation of item fields.
//! - [`item_form`]: the item form's wire types; with `server`, the create/update/delete
//!   operations behind it, shared by server functions and plain form posts.
//! - [`item_filter`]: which items a list shows (a search, tags, or both), the rules both
//!   item stores follow.
//! - [`item_store`] (server): the item storage trait ([`item_store::ItemStore`]).
//! - [`organise`]: what a change to many items at once reports; with `server`, the changes
//!   (renaming a tag everywhere, emptying a location, the bulk changes of selected items),
//!   each item with its own conditional write.
//! - [`photo_store`] (server): the photo-file storage trait (a local folder or S3).
//! - [`photos`]: what a client promises before an upload (compiled for the browser too); with
//!   `server`, the photo operations ([`photos::Photos`]: signed uploads, attach, remove,
//!   reorder, sweep), signatures and upload tickets.
//! - [`search`]: what a search query means and how items rank against it, the rules
//!   both item stores follow.

#[cfg(feature = "server")]
pub mod access;
pub mod accounts;
pub mod item_filter;
pub mod item_form;
#[cfg(feature = "server")]
pub mod item_store;
#[cfg(feature = "server")]
pub mod list_query;
#[cfg(feature = "server")]
pub mod location_store;
pub mod location_tree;
pub mod model;
pub mod organise;
#[cfg(feature = "server")]
pub mod photo_store;
pub mod photos;
pub mod search;
