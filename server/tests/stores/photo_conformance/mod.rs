//! The photo-store conformance suite: what every `PhotoStore` backend must do, over real HTTP
//! for the uploads (the embedded store's own `/uploads` route, or S3's pre-signed URLs). Each backend's
//! test file provides a [`Harness`] and runs these functions through
//! `photo_conformance_tests!`.

use crate::common::scoped::edit_permit;
use crate::common::sha256;
use domain::item_store::SharedItemStore;
use domain::model::{ItemDraft, ItemId, PhotoId, PhotoKey, Variant};
use domain::photo_store::{SharedPhotoStore, UploadTarget};
use std::time::{Duration, SystemTime};

/// A photo store plus where its upload URLs are resolved against.
pub struct Harness {
    pub store: SharedPhotoStore,
    /// The item store beside it: uploads are only taken for items that exist.
    pub items: SharedItemStore,
    /// The collection the harness's items are in.
    pub collection: domain::accounts::CollectionId,
    /// Prefix for relative upload URLs (the app's origin); absolute URLs are used as they are.
    pub base: String,
    pub http: reqwest::Client,
}

const JPEG: &str = "image/jpeg";

fn key(item: &ItemId, variant: Variant) -> PhotoKey {
    PhotoKey::new(item, &PhotoId::generate(), variant)
}

/// Bytes that look like what they are for the test's purpose; stores do not parse content.
fn body(len: usize) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0];
    bytes.extend((0..len.saturating_sub(4)).map(|i| (i % 251) as u8));
    bytes
}

impl Harness {
    async fn new_item(&self) -> ItemId {
        let id = ItemId::generate();
        let draft = ItemDraft::parse("Photographed", "").unwrap();
        self.items
            .create(&edit_permit(self.collection), id.clone(), draft)
            .await
            .unwrap();
        id
    }

    /// Upload URLs for exactly `body` (its length and SHA-256).
    async fn target(&self, key: &PhotoKey, body: &[u8], expires_in: i64) -> UploadTarget {
        let now = SystemTime::now();
        let expires = if expires_in >= 0 {
            now + Duration::from_secs(expires_in as u64)
        } else {
            now - Duration::from_secs(expires_in.unsigned_abs())
        };
        self.store
            .upload_target(key, body.len() as u64, JPEG, &sha256(body), expires)
            .await
            .expect("an upload target")
    }

    async fn put(&self, target: &UploadTarget, body: Vec<u8>, content_type: Option<&str>) -> u16 {
        let url = if target.url.starts_with('/') {
            format!("{}{}", self.base, target.url)
        } else {
            target.url.clone()
        };
        let mut request = self.http.put(url).body(body);
        for (name, value) in &target.headers {
            if !name.eq_ignore_ascii_case("content-type") {
                request = request.header(name, value);
            }
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request
            .send()
            .await
            .expect("the PUT gets an answer")
            .status()
            .as_u16()
    }
}

pub async fn a_signed_upload_stores_exactly_its_bytes(h: Harness) {
    let item = h.new_item().await;
    let key = key(&item, Variant::Display);
    let bytes = body(70_000);
    let target = h.target(&key, &bytes, 60).await;
    assert!(target
        .headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("content-type") && v == JPEG));
    let status = h.put(&target, bytes.clone(), Some(JPEG)).await;
    assert!((200..300).contains(&status), "{status}");
    let info = h.store.stat(&key).await.unwrap().expect("stored");
    assert_eq!(info.bytes, bytes.len() as u64);
    assert!(
        info.content_type.as_deref().is_none_or(|t| t == JPEG),
        "{info:?}"
    );
    let head = h.store.read(&key, 1000).await.unwrap().expect("readable");
    assert_eq!(head, bytes[..1000]);
    let whole = h.store.read(&key, 1_000_000).await.unwrap().unwrap();
    assert_eq!(whole, bytes);
    let other = PhotoKey {
        variant: Variant::Thumb,
        ..key
    };
    assert_eq!(h.store.stat(&other).await.unwrap(), None);
    assert_eq!(h.store.read(&other, 10).await.unwrap(), None);
}

pub async fn uploads_other_than_signed_are_refused_and_store_nothing(h: Harness) {
    let item = h.new_item().await;
    let key = key(&item, Variant::Display);
    let bytes = body(5_000);
    let target = h.target(&key, &bytes, 60).await;
    let mut longer = bytes.clone();
    longer.push(1);
    for (what, body, content_type) in [
        ("longer", longer, Some(JPEG)),
        ("shorter", bytes[..4_000].to_vec(), Some(JPEG)),
        ("another type", bytes.clone(), Some("image/png")),
        ("no type", bytes.clone(), None),
    ] {
        let status = h.put(&target, body, content_type).await;
        assert!((400..500).contains(&status), "{what}: {status}");
    }
    let expired = h.target(&key, &bytes, -60).await;
    let status = h.put(&expired, bytes.clone(), Some(JPEG)).await;
    assert!((400..500).contains(&status), "expired: {status}");
    // The signature of one key does not open another.
    let other = PhotoKey {
        variant: Variant::Thumb,
        ..key.clone()
    };
    let other_target = h.target(&other, &bytes, 60).await;
    let (other_path, _) = other_target.url.split_once('?').unwrap();
    let (_, query) = target.url.split_once('?').unwrap();
    let swapped = UploadTarget {
        url: format!("{other_path}?{query}"),
        headers: target.headers.clone(),
    };
    let status = h.put(&swapped, bytes.clone(), Some(JPEG)).await;
    assert!((400..500).contains(&status), "key not signed: {status}");
    assert_eq!(h.store.stat(&key).await.unwrap(), None);
    assert_eq!(h.store.stat(&other).await.unwrap(), None);
    // Other bytes of the signed length: the URL is signed for the content itself. (s3s-fs
    // 0.14.1 answers 400 BadDigest but writes the object first, where S3 stores nothing;
    // the attach hashes the whole file itself, so neither way can it be kept.)
    let mut other_bytes = bytes.clone();
    other_bytes[4_000] ^= 0x55;
    let status = h.put(&target, other_bytes, Some(JPEG)).await;
    assert!((400..500).contains(&status), "other bytes: {status}");
    // And what was signed still goes through: the refusals were about the tampering.
    let status = h.put(&target, bytes, Some(JPEG)).await;
    assert!((200..300).contains(&status), "{status}");
}

pub async fn photos_and_items_are_deleted_with_all_their_variants(h: Harness) {
    let (item, neighbour) = (ItemId::generate(), ItemId::generate());
    let (photo, kept) = (PhotoId::generate(), PhotoId::generate());
    for (item, photo) in [(&item, &photo), (&item, &kept), (&neighbour, &photo)] {
        for variant in Variant::ALL {
            let key = PhotoKey::new(item, photo, variant);
            h.store.put(&key, body(2_000), JPEG).await.unwrap();
        }
    }
    h.store.delete_photo(&item, &photo).await.unwrap();
    h.store.delete_photo(&item, &photo).await.unwrap(); // already gone: fine
    for variant in Variant::ALL {
        assert_eq!(
            h.store
                .stat(&PhotoKey::new(&item, &photo, variant))
                .await
                .unwrap(),
            None
        );
        assert!(h
            .store
            .stat(&PhotoKey::new(&item, &kept, variant))
            .await
            .unwrap()
            .is_some());
    }
    h.store.delete_item(&item).await.unwrap();
    h.store.delete_item(&item).await.unwrap();
    for variant in Variant::ALL {
        assert_eq!(
            h.store
                .stat(&PhotoKey::new(&item, &kept, variant))
                .await
                .unwrap(),
            None
        );
        let other = PhotoKey::new(&neighbour, &photo, variant);
        assert!(
            h.store.stat(&other).await.unwrap().is_some(),
            "another item's photo went too"
        );
    }
}

pub async fn the_sweeper_listing_goes_by_age(h: Harness) {
    let item = ItemId::generate();
    let photo = PhotoId::generate();
    h.store
        .put(
            &PhotoKey::new(&item, &photo, Variant::Display),
            body(100),
            JPEG,
        )
        .await
        .unwrap();
    let listed = |before: SystemTime| {
        let store = h.store.clone();
        let item = item.clone();
        async move {
            store
                .stored_before(before)
                .await
                .unwrap()
                .into_iter()
                .filter(|p| p.item == item)
                .map(|p| p.photo)
                .collect::<Vec<_>>()
        }
    };
    let later = SystemTime::now() + Duration::from_secs(60);
    assert_eq!(listed(later).await, std::slice::from_ref(&photo));
    let earlier = SystemTime::now() - Duration::from_secs(3600);
    assert_eq!(listed(earlier).await, Vec::<PhotoId>::new());
    assert!(h.store.ping().await.is_ok());
}

/// Uploads wait where nothing serves them; a kept photo's file never changes, whatever is
/// uploaded to its URL afterwards and however often it is kept.
pub async fn kept_uploads_are_served_immutable_and_keeping_twice_is_harmless(h: Harness) {
    let item = h.new_item().await;
    let key = key(&item, Variant::Display);
    let bytes = body(30_000);
    let target = h.target(&key, &bytes, 60).await;
    let status = h.put(&target, bytes.clone(), Some(JPEG)).await;
    assert!((200..300).contains(&status), "{status}");
    let url = h.store.url(&key);
    let url = if url.starts_with('/') {
        format!("{}{url}", h.base)
    } else {
        url
    };
    let before = h.http.get(&url).send().await.unwrap().status();
    assert_eq!(before, 404, "served before it was kept: {url}");

    let checked = h.store.stat(&key).await.unwrap().expect("uploaded");
    h.store.keep(&key, &checked).await.expect("kept");
    // The URL used again, with other bytes and with the same ones, then kept again.
    let mut other_bytes = bytes.clone();
    other_bytes[20_000] ^= 0x55;
    let status = h.put(&target, other_bytes, Some(JPEG)).await;
    assert!((400..500).contains(&status), "other bytes: {status}");
    let status = h.put(&target, bytes.clone(), Some(JPEG)).await;
    assert!(
        (200..300).contains(&status),
        "the same bytes again: {status}"
    );
    h.store
        .keep(&key, &checked)
        .await
        .expect("keeping again (a retried attach) is fine");
    assert_eq!(
        h.store.stat(&key).await.unwrap().map(|info| info.bytes),
        Some(bytes.len() as u64)
    );
    let response = h.http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    let cache = response
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // Immutable, and cached at least as long as the URL surely works (an hour): a year from
    // S3 behind a CDN, until the signed URL expires from the embedded store.
    let max_age: u64 = cache
        .split(", ")
        .find_map(|part| part.strip_prefix("max-age="))
        .and_then(|age| age.parse().ok())
        .unwrap_or_default();
    assert!(cache.contains("immutable") && max_age >= 3_000, "{cache}");
    assert_eq!(response.bytes().await.unwrap(), bytes);
    // Deleting the photo deletes the kept files too.
    h.store.delete_photo(&item, &key.photo).await.unwrap();
    assert_eq!(h.store.stat(&key).await.unwrap(), None);
}

/// One `#[tokio::test]` per suite function; `$open` is an async expression yielding
/// `(Harness, guard)`, the guard living as long as the test.
#[macro_export]
macro_rules! photo_conformance_tests {
    ($open:expr) => {
        $crate::photo_conformance_tests!(@each $open;
            a_signed_upload_stores_exactly_its_bytes,
            uploads_other_than_signed_are_refused_and_store_nothing,
            photos_and_items_are_deleted_with_all_their_variants,
            the_sweeper_listing_goes_by_age,
            kept_uploads_are_served_immutable_and_keeping_twice_is_harmless);
    };
    (@each $open:expr; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (harness, _guard) = $open.await;
                $crate::photo_conformance::$name(harness).await;
            }
        )*
    };
}
