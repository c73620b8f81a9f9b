//! What runs only in the browser: the page's side of the photo Web Worker, sending a
//! processed photo straight to storage, and other pages' parts put in place of this one's. On the server these functions are compiled (the
//! components that call them are rendered there too) but never called.
//!
//! # Layout
//! - [`photo_worker`]: starting the worker, sending it files, reading its messages.
//! - [`photo_upload`]: the upload request, the PUTs with progress and retries, the attach.
//! - [`page_swap`]: fetching a page and moving its parts (results, cards) into this one.
//! - [`idle`]: optional work for an idle browser, and whether the user asked to save data.

pub mod idle;
pub mod page_swap;
pub mod photo_upload;
pub mod photo_worker;
