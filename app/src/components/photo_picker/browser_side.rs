//! Where each [`super::PhotoQueue`]'s JS objects live: the worker, the encoded blobs, the
//! uploads in flight, the saves waiting for them.
//!
//! They are kept out of the reactive owner on purpose: the owner of a server-rendered page is
//! dropped on another thread than the one that made it, which thread-bound values do not
//! survive. They only ever exist in the browser, created on first use, in a registry local to
//! the (single) browser thread and keyed by queue.

use crate::browser::photo_upload::CancelUpload;
use crate::browser::photo_worker::{PhotoWorker, ProcessedPhoto};
use futures::channel::oneshot;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// One queue's browser-only values.
#[derive(Default)]
pub(super) struct BrowserSide {
    pub worker: Option<PhotoWorker>,
    pub processed: HashMap<u32, ProcessedPhoto>,
    pub cancel: Option<CancelUpload>,
    /// Saves waiting for the uploads under way to end.
    pub until_idle: Vec<oneshot::Sender<()>>,
}

thread_local! {
    static REGISTRY: RefCell<HashMap<u64, BrowserSide>> = RefCell::new(HashMap::new());
}

static NEXT_KEY: AtomicU64 = AtomicU64::new(0);

/// A key no other queue of this process has.
pub(super) fn new_key() -> u64 {
    NEXT_KEY.fetch_add(1, Ordering::Relaxed)
}

/// Runs `f` on the values of the queue `key`. `f` must not call back into the registry.
pub(super) fn with<R>(key: u64, f: impl FnOnce(&mut BrowserSide) -> R) -> R {
    REGISTRY.with_borrow_mut(|all| f(all.entry(key).or_default()))
}

/// Drops the queue's values: the worker stops, the blobs are released.
pub(super) fn remove(key: u64) {
    // Taken out first: dropping a worker terminates it, which must happen outside the borrow.
    let side = REGISTRY.with_borrow_mut(|all| all.remove(&key));
    drop(side);
}
