//! How caches of answers kept under a revision are built: the kept pages
//! (`routes::pages::page_cache`), the kept `GET /api/items` pages (`routes::api::kept_lists`)
//! and the embedded store's tag counts (`store::sqlite::tag_counts`).
//!
//! A write makes a new revision, so a new key, and the answers kept under the superseded one
//! are never asked for again. Such a cache evicts the least recently used entry, which is
//! then always a superseded one. Not moka's default, TinyLFU: that admits a new key only if it
//! was asked for more often than the one it would push out, so once full it refused the
//! newest revision's answers and every request made them again (measured: 6 138 tag counts
//! for 3 072 revisions asked three times, 192 renders of 96 pages, 1 479 lists for 768),
//! until the old entries idled out.

use moka::policy::EvictionPolicy;
use std::hash::Hash;
use std::time::Duration;

/// The eviction policy of every cache keyed by a revision (see the module's documentation).
pub fn superseded_first() -> EvictionPolicy {
    EvictionPolicy::lru()
}

/// A cache holding at most `most_bytes`, each entry weighing what `weigh` says (an entry of
/// 4 GiB or more counts as 4 GiB), where an entry not asked for in `idle` goes.
pub fn weighed<K, V>(
    most_bytes: u64,
    idle: Duration,
    weigh: impl Fn(&K, &V) -> usize + Send + Sync + 'static,
) -> moka::sync::Cache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    moka::sync::Cache::builder()
        .max_capacity(most_bytes)
        .weigher(move |key: &K, value: &V| u32::try_from(weigh(key, value)).unwrap_or(u32::MAX))
        .time_to_idle(idle)
        .eviction_policy(superseded_first())
        .build()
}
