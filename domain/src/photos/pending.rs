//! Uploads granted and not yet attached, per item, on this instance: what bounds the files one
//! item can have waiting (each grant lets its holder store two files until its URLs expire).
//! Grants are signed tickets with no server state, so this is the one place they are
//! counted; behind a load balancer each instance counts its own (the bound is per instance).
//! Memory is bounded: at most [`TRACKED_ITEMS`] items, each forgotten once its last grant's
//! URLs have expired.

use crate::model::{ItemId, PhotoId};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Items tracked at once; the least recently granted are forgotten first.
pub const TRACKED_ITEMS: u64 = 100_000;

/// An item's pending grants: each one's photo and when its URLs expire.
type Grants = Arc<Mutex<Vec<(PhotoId, Instant)>>>;

#[derive(Clone)]
pub struct PendingUploads {
    items: moka::sync::Cache<ItemId, Grants>,
    ttl: Duration,
}

impl PendingUploads {
    /// `ttl`: how long a grant's upload URLs work.
    pub fn new(ttl: Duration) -> Self {
        Self {
            items: moka::sync::Cache::builder()
                .max_capacity(TRACKED_ITEMS)
                .time_to_idle(ttl)
                .build(),
            ttl,
        }
    }

    /// Records a grant for `photo` of `item` unless `max` are pending already; otherwise how
    /// long until the oldest one's URLs expire.
    pub fn admit(&self, item: &ItemId, photo: &PhotoId, max: usize) -> Result<(), Duration> {
        self.admit_at(item, photo, max, Instant::now())
    }

    fn admit_at(
        &self,
        item: &ItemId,
        photo: &PhotoId,
        max: usize,
        now: Instant,
    ) -> Result<(), Duration> {
        let entry = self.items.get_with(item.clone(), Default::default);
        let mut pending = entry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        pending.retain(|(_, expires)| *expires > now);
        if pending.len() >= max {
            let first_free = pending.iter().map(|(_, expires)| *expires).min();
            return Err(first_free.map_or(Duration::ZERO, |at| at - now));
        }
        pending.push((photo.clone(), now + self.ttl));
        Ok(())
    }

    /// The photo was attached (or refused for good): its grant no longer waits.
    pub fn settle(&self, item: &ItemId, photo: &PhotoId) {
        if let Some(entry) = self.items.get(item) {
            let mut pending = entry
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            pending.retain(|(p, _)| p != photo);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_max_wait_per_item_until_attached_or_expired() {
        let ttl = Duration::from_secs(15 * 60);
        let pending = PendingUploads::new(ttl);
        let start = Instant::now();
        let (item, other) = (ItemId::generate(), ItemId::generate());
        let photos: Vec<PhotoId> = (0..3).map(|_| PhotoId::generate()).collect();
        assert_eq!(pending.admit_at(&item, &photos[0], 2, start), Ok(()));
        let later = start + Duration::from_secs(60);
        assert_eq!(pending.admit_at(&item, &photos[1], 2, later), Ok(()));
        let wait = pending.admit_at(&item, &photos[2], 2, later).unwrap_err();
        assert_eq!(
            wait,
            ttl - Duration::from_secs(60),
            "until the oldest expires"
        );
        assert_eq!(
            pending.admit_at(&other, &photos[2], 2, later),
            Ok(()),
            "items count apart"
        );

        pending.settle(&item, &photos[0]);
        assert_eq!(pending.admit_at(&item, &photos[2], 2, later), Ok(()));
        assert!(pending
            .admit_at(&item, &PhotoId::generate(), 2, later)
            .is_err());
        assert_eq!(
            pending.admit_at(&item, &PhotoId::generate(), 2, later + ttl),
            Ok(()),
            "expired grants free their place"
        );
    }
}
