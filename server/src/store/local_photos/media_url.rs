//! The embedded store's photo URLs: `/media/{key}?expires={unix}&signature={hmac}`, where the
//! HMAC-SHA256 covers the key and the expiry. Photo ids are unguessable, but a URL would
//! otherwise work for ever, for anyone it reaches (a shared screenshot's link, a browser
//! history, a removed member); signed, it stops working.
//!
//! As the S3 backend's pre-signed URLs do, a URL is signed as of the start of the current hour
//! and expires two hours after it: a page's photo URLs stay byte-identical for an hour (so
//! browsers cache them) and every URL handed out works for at least an hour.
//!
//! Since a URL is the same for a whole window, [`SignedUrls`] keeps the window's URLs: a list
//! of 50 items asks for two per photo on every request, and signing them (an HMAC and a string
//! each) was a twelfth of `GET /api/items`'s CPU (perf).

use super::MEDIA_PREFIX;
use domain::model::PhotoKey;
use domain::photos::Signer;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PURPOSE: &str = "media-url";
const WINDOW: u64 = 60 * 60;
const VALIDITY: u64 = 2 * 60 * 60;
/// How many URLs [`SignedUrls`] keeps per window (each about 250 bytes with its key); past
/// that, URLs are signed on every call.
const CACHED_URLS: usize = 20_000;

/// The current window's signed URLs, signed once each.
#[derive(Default)]
pub struct SignedUrls {
    /// The expiry every URL in `urls` carries, and the URLs.
    window: Mutex<(u64, HashMap<PhotoKey, String>)>,
}

impl SignedUrls {
    /// [`signed`]`(signer, key, now)`, from the cache when this window signed it already.
    pub fn get(&self, signer: &Signer, key: &PhotoKey, now: SystemTime) -> String {
        let expires = expiry(now);
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let (cached_expiry, urls) = &mut *window;
        if *cached_expiry != expires {
            *cached_expiry = expires;
            urls.clear();
        }
        if let Some(url) = urls.get(key) {
            return url.clone();
        }
        let url = signed(signer, key, now);
        if urls.len() < CACHED_URLS {
            urls.insert(key.clone(), url.clone());
        }
        url
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MediaRefusal {
    #[error("this photo URL is not signed, or not for this photo")]
    BadSignature,
    #[error("this photo URL has expired; reload the page for a new one")]
    Expired,
}

pub fn signed(signer: &Signer, key: &PhotoKey, now: SystemTime) -> String {
    let expires = expiry(now);
    let signature = signer.sign(PURPOSE, message(key, expires).as_bytes());
    format!("{MEDIA_PREFIX}/{key}?expires={expires}&signature={signature}")
}

/// How long the URL still works, if it is `key`'s and has not expired.
pub fn check(
    signer: &Signer,
    key: &PhotoKey,
    expires: Option<&str>,
    signature: Option<&str>,
    now: SystemTime,
) -> Result<Duration, MediaRefusal> {
    let (Some(expires), Some(signature)) = (expires, signature) else {
        return Err(MediaRefusal::BadSignature);
    };
    let expires: u64 = expires.parse().map_err(|_| MediaRefusal::BadSignature)?;
    if !signer.verify(PURPOSE, message(key, expires).as_bytes(), signature) {
        return Err(MediaRefusal::BadSignature);
    }
    expires
        .checked_sub(unix_seconds(now))
        .filter(|left| *left > 0)
        .map(Duration::from_secs)
        .ok_or(MediaRefusal::Expired)
}

/// When a URL signed at `now` expires: [`VALIDITY`] after the start of its window.
fn expiry(now: SystemTime) -> u64 {
    let now = unix_seconds(now);
    now - now % WINDOW + VALIDITY
}

fn message(key: &PhotoKey, expires: u64) -> String {
    format!("GET\n{key}\n{expires}")
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::model::{ItemId, PhotoId, Variant};

    fn key() -> PhotoKey {
        PhotoKey::new(&ItemId::generate(), &PhotoId::generate(), Variant::Display)
    }

    fn query(url: &str) -> (String, String) {
        let query = url.split_once('?').unwrap().1;
        let value = |name: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                .unwrap()
                .to_owned()
        };
        (value("expires"), value("signature"))
    }

    #[test]
    fn a_url_works_for_its_photo_for_one_to_two_hours_then_stops() {
        let signer = Signer::new(&[7; 32]).unwrap();
        let (photo, other) = (key(), key());
        let at = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let url = signed(&signer, &photo, at);
        let (expires, signature) = query(&url);
        let check_at = |key: &PhotoKey, later: u64| {
            check(
                &signer,
                key,
                Some(&expires),
                Some(&signature),
                at + Duration::from_secs(later),
            )
        };
        let left = check_at(&photo, 0).unwrap();
        assert!((WINDOW..=VALIDITY).contains(&left.as_secs()), "{left:?}");
        assert_eq!(check_at(&photo, left.as_secs()), Err(MediaRefusal::Expired));
        assert_eq!(check_at(&other, 0), Err(MediaRefusal::BadSignature));
        assert_eq!(
            signed(&signer, &photo, at + Duration::from_secs(59)),
            url,
            "the same URL within the hour, so browsers cache it"
        );
        let longer = (expires.parse::<u64>().unwrap() + WINDOW).to_string();
        assert_eq!(
            check(&signer, &photo, Some(&longer), Some(&signature), at),
            Err(MediaRefusal::BadSignature),
            "the expiry cannot be moved"
        );
        let other_signer = Signer::new(&[8; 32]).unwrap();
        assert_eq!(
            check(&other_signer, &photo, Some(&expires), Some(&signature), at),
            Err(MediaRefusal::BadSignature)
        );
        assert_eq!(
            check(&signer, &photo, None, None, at),
            Err(MediaRefusal::BadSignature)
        );
    }

    #[test]
    fn cached_urls_are_the_windows_signed_ones() {
        let signer = Signer::new(&[7; 32]).unwrap();
        let cache = SignedUrls::default();
        let (photo, other) = (key(), key());
        let at = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        for later in [0, 1, 59, WINDOW - 1, WINDOW, 3 * WINDOW + 5] {
            let now = at + Duration::from_secs(later);
            for key in [&photo, &other] {
                assert_eq!(
                    cache.get(&signer, key, now),
                    signed(&signer, key, now),
                    "{later} s"
                );
                assert_eq!(
                    cache.get(&signer, key, now),
                    signed(&signer, key, now),
                    "{later} s"
                );
            }
        }
    }
}
