//! The storage conformance suite: behaviour every `ItemStore` backend must show. Each backend's
//! test file opens a fresh store and runs these functions through `conformance_tests!`.

mod bulk;
mod locations;
mod meddler;
mod revision;
mod search;
mod tags;

pub use bulk::bulk_changes_report_what_changed_meanwhile;
pub use locations::{
    deleting_a_location_says_where_its_contents_go, items_are_filed_found_by_place_and_counted,
    locations_nest_and_keep_their_rules, Places,
};
pub use revision::the_revision_changes_with_every_write_to_the_collection;
pub use search::{
    search_finds_typos_of_words_that_are_typos_of_others, search_follows_the_rules,
    search_keeps_in_step_with_writes, search_pages_in_rank_order,
};
pub use tags::{
    renaming_a_tag_changes_every_item_and_merges, renaming_a_tag_keeps_an_edit_made_meanwhile,
    tag_filters_keep_items_with_every_tag, tags_and_quantity_are_kept_and_changed_only_when_given,
    tags_are_counted_in_their_most_used_spelling,
};

use crate::common::scoped::InCollection;
use domain::item_store::{Attached, Created, PageLimit, SharedItemStore, StoreError};
use domain::model::{Cursor, Item, ItemDraft, ItemId, PhotoId, PhotoRecord, VariantInfo};
use std::collections::HashSet;

fn draft(name: &str, description: &str) -> ItemDraft {
    ItemDraft::parse(name, description).expect("valid draft")
}

fn new_id() -> ItemId {
    ItemId::generate()
}

pub async fn create_then_get(store: InCollection) {
    let id = new_id();
    let created = store
        .create(id.clone(), draft("Lamp", "Brass"))
        .await
        .unwrap();
    let Created::New(item) = created else {
        panic!("expected a new item")
    };
    assert_eq!(
        (
            item.id.clone(),
            item.name.as_str(),
            item.description.as_str(),
            item.version
        ),
        (id.clone(), "Lamp", "Brass", 1)
    );
    assert_eq!(item.created_at, item.updated_at);
    assert!(item.photos.is_empty());
    assert_eq!(store.get(&id).await.unwrap(), Some(item));
    assert_eq!(store.get(&new_id()).await.unwrap(), None);
}

pub async fn create_is_idempotent_per_id(store: InCollection) {
    let id = new_id();
    let first = store
        .create(id.clone(), draft("Kettle", ""))
        .await
        .unwrap()
        .into_item();
    match store.create(id.clone(), draft("Kettle", "")).await.unwrap() {
        Created::Existing(item) => assert_eq!(item, first),
        Created::New(_) => panic!("a repeated create must not create again"),
    }
    match store.create(id.clone(), draft("Teapot", "")).await {
        Err(StoreError::IdTaken { existing }) => assert_eq!(*existing, first),
        other => panic!("expected IdTaken, got {other:?}"),
    }
}

pub async fn update_checks_the_version(store: InCollection) {
    let id = new_id();
    let item = store
        .create(id.clone(), draft("Clock", ""))
        .await
        .unwrap()
        .into_item();
    let updated = store
        .update(&id, draft("Wall clock", "Loud"), Some(1))
        .await
        .unwrap();
    assert_eq!(
        (updated.version, updated.name.as_str(), updated.created_at),
        (2, "Wall clock", item.created_at)
    );
    assert!(updated.updated_at >= item.updated_at);

    match store.update(&id, draft("Stale", ""), Some(1)).await {
        Err(StoreError::VersionConflict { current }) => assert_eq!(*current, updated),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let unconditional = store.update(&id, draft("Any", ""), None).await.unwrap();
    assert_eq!(unconditional.version, 3);
    assert!(matches!(
        store.update(&new_id(), draft("Nobody", ""), None).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.update(&id, draft("Huge", ""), Some(u64::MAX)).await,
        Err(StoreError::VersionConflict { .. })
    ));
}

pub async fn concurrent_updates_never_lose_one(store: InCollection) {
    let id = new_id();
    store
        .create(id.clone(), draft("Counter", ""))
        .await
        .unwrap();
    // Many writers, each read-modify-write with retries: every write lands exactly once.
    let writers = 8;
    let writes_each = 5;
    let tasks = (0..writers).map(|w| {
        let store = store.clone();
        let id = id.clone();
        tokio::spawn(async move {
            let mut conflicts = 0;
            for n in 0..writes_each {
                loop {
                    let current = store.get(&id).await.unwrap().unwrap();
                    let text = format!("{}|w{w}n{n}", current.description);
                    let text = text.trim_start_matches('|').to_owned();
                    match store
                        .update(&id, draft("Counter", &text), Some(current.version))
                        .await
                    {
                        Ok(_) => break,
                        Err(StoreError::VersionConflict { .. }) => conflicts += 1,
                        Err(e) => panic!("unexpected {e:?}"),
                    }
                    assert!(conflicts < 10_000, "livelock");
                }
            }
        })
    });
    for task in tasks.collect::<Vec<_>>() {
        task.await.unwrap();
    }
    let last = store.get(&id).await.unwrap().unwrap();
    assert_eq!(last.version, 1 + writers * writes_each);
    let marks: HashSet<&str> = last.description.split('|').collect();
    assert_eq!(
        marks.len() as u64,
        writers * writes_each,
        "no write was lost"
    );
}

pub async fn delete_checks_the_version(store: InCollection) {
    let id = new_id();
    store.create(id.clone(), draft("Shoe", "")).await.unwrap();
    assert!(matches!(
        store.delete(&id, Some(7)).await,
        Err(StoreError::VersionConflict { .. })
    ));
    store.delete(&id, Some(1)).await.unwrap();
    assert_eq!(store.get(&id).await.unwrap(), None);
    assert!(matches!(
        store.delete(&id, None).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn list_pages_newest_first(store: InCollection) {
    let total = 23;
    let mut created = Vec::new();
    for i in 0..total {
        created.push(
            store
                .create(new_id(), draft(&format!("Item {i:02}"), ""))
                .await
                .unwrap()
                .into_item(),
        );
    }
    let limit = PageLimit::parse("5").unwrap();
    let mut seen = Vec::new();
    let mut after: Option<Cursor> = None;
    for _ in 0..10 {
        let page = store.list(limit, after.as_ref()).await.unwrap();
        assert!(page.items.len() <= 5);
        seen.extend(page.items);
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    assert!(after.is_none(), "paging must end");
    let mut expected = created.clone();
    expected.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
    assert_eq!(seen, expected);

    // A page boundary stays put while items are deleted and added around it.
    let first = store.list(limit, None).await.unwrap();
    let boundary = first.next.clone().unwrap();
    store.delete(&first.items[0].id, None).await.unwrap();
    store.create(new_id(), draft("Newer", "")).await.unwrap();
    let second = store.list(limit, Some(&boundary)).await.unwrap();
    assert_eq!(second.items[0], expected[5]);
}

fn photo(width: u32) -> PhotoRecord {
    let info = |width: u32, bytes: u64| VariantInfo {
        width,
        height: width * 3 / 4,
        bytes,
    };
    PhotoRecord {
        id: PhotoId::generate(),
        display: info(width, 100_000),
        thumb: info(width / 4, 10_000),
        placeholder: "1QcSHQRnh493V4dIh4eXh1h4kJUI".into(),
    }
}

fn photo_ids(item: &Item) -> Vec<PhotoId> {
    item.photos.iter().map(|p| p.id.clone()).collect()
}

pub async fn photos_attach_in_order_within_limits(store: InCollection) {
    let id = new_id();
    store.create(id.clone(), draft("Camera", "")).await.unwrap();
    let (first, second) = (photo(1600), photo(1200));
    let Attached::New(item) = store
        .attach_photo(&id, first.clone(), 2, Some(1))
        .await
        .unwrap()
    else {
        panic!("expected a new photo")
    };
    assert_eq!(item.version, 2);
    assert_eq!(
        item.cover()
            .map(|p| (p.width, p.height, p.thumb_width, p.bytes)),
        Some((1600, 1200, 400, 100_000))
    );
    assert!(
        item.photos[0]
            .url
            .contains(&format!("/{id}/{}/display.jpg", first.id)),
        "{}",
        item.photos[0].url
    );
    assert!(item.photos[0].thumb_url.ends_with("/thumb.jpg"));

    // A retry changes nothing, even with the version it was made against.
    let retried = store
        .attach_photo(&id, first.clone(), 2, Some(1))
        .await
        .unwrap();
    assert_eq!(retried, Attached::Existing(item.clone()));

    assert!(matches!(
        store.attach_photo(&id, second.clone(), 2, Some(1)).await,
        Err(StoreError::VersionConflict { .. })
    ));
    let item = store
        .attach_photo(&id, second.clone(), 2, None)
        .await
        .unwrap()
        .into_item();
    assert_eq!(photo_ids(&item), [first.id.clone(), second.id.clone()]);
    assert!(matches!(
        store.attach_photo(&id, photo(800), 2, None).await,
        Err(StoreError::TooManyPhotos { max: 2 })
    ));
    assert!(matches!(
        store.attach_photo(&new_id(), photo(800), 2, None).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.get(&id).await.unwrap(), Some(item));
}

pub async fn photos_reorder_and_remove(store: InCollection) {
    let id = new_id();
    store.create(id.clone(), draft("Chair", "")).await.unwrap();
    let records: Vec<PhotoRecord> = (0..3).map(|i| photo(800 + i * 100)).collect();
    for record in &records {
        store
            .attach_photo(&id, record.clone(), 12, None)
            .await
            .unwrap();
    }
    let ids: Vec<PhotoId> = records.iter().map(|r| r.id.clone()).collect();
    let reversed: Vec<PhotoId> = ids.iter().rev().cloned().collect();
    let item = store.reorder_photos(&id, &reversed, Some(4)).await.unwrap();
    assert_eq!((photo_ids(&item), item.version), (reversed.clone(), 5));
    for bad in [
        vec![],
        ids[..2].to_vec(),
        vec![ids[0].clone(), ids[0].clone(), ids[1].clone()],
        vec![ids[0].clone(), ids[1].clone(), PhotoId::generate()],
        // More than any item can hold: refused as an order, not as a store failure.
        (0..1000).map(|_| PhotoId::generate()).collect(),
    ] {
        assert!(
            matches!(
                store.reorder_photos(&id, &bad, None).await,
                Err(StoreError::BadPhotoOrder)
            ),
            "{} ids",
            bad.len()
        );
    }
    assert!(matches!(
        store.reorder_photos(&id, &ids, Some(4)).await,
        Err(StoreError::VersionConflict { .. })
    ));

    let (item, removed) = store.remove_photo(&id, &ids[1], Some(5)).await.unwrap();
    assert_eq!(removed, records[1]);
    assert_eq!(
        (photo_ids(&item), item.version),
        (vec![ids[2].clone(), ids[0].clone()], 6)
    );
    assert!(matches!(
        store.remove_photo(&id, &ids[1], None).await,
        Err(StoreError::PhotoNotFound)
    ));
    assert!(matches!(
        store.remove_photo(&new_id(), &ids[0], None).await,
        Err(StoreError::NotFound)
    ));

    // A new photo goes last, after the reordered ones.
    let last = photo(640);
    let item = store
        .attach_photo(&id, last.clone(), 12, None)
        .await
        .unwrap()
        .into_item();
    assert_eq!(photo_ids(&item), [ids[2].clone(), ids[0].clone(), last.id]);
}

pub async fn delete_returns_the_photos_it_removed(store: InCollection) {
    let id = new_id();
    store.create(id.clone(), draft("Vase", "")).await.unwrap();
    let record = photo(1000);
    store
        .attach_photo(&id, record.clone(), 12, None)
        .await
        .unwrap();
    let deleted = store.delete(&id, None).await.unwrap();
    assert_eq!(photo_ids(&deleted), std::slice::from_ref(&record.id));
    assert_eq!(store.get(&id).await.unwrap(), None);
    // Re-creating the id starts with no photos: none were left behind.
    let again = store
        .create(id.clone(), draft("Vase", ""))
        .await
        .unwrap()
        .into_item();
    assert!(again.photos.is_empty());
}

pub async fn listing_includes_photos(store: InCollection) {
    let with = new_id();
    let without = new_id();
    store
        .create(without.clone(), draft("Plain", ""))
        .await
        .unwrap();
    store
        .create(with.clone(), draft("Pictured", ""))
        .await
        .unwrap();
    let record = photo(1600);
    store
        .attach_photo(&with, record.clone(), 12, None)
        .await
        .unwrap();
    let page = store
        .list(PageLimit::parse("100").unwrap(), None)
        .await
        .unwrap();
    let find = |id: &ItemId| page.items.iter().find(|i| &i.id == id).unwrap().clone();
    assert_eq!(photo_ids(&find(&with)), [record.id]);
    assert!(find(&without).photos.is_empty());
}

/// An item is invisible and untouchable from another collection, and its id cannot be taken
/// there; the other collection's list does not show it.
pub async fn collections_do_not_see_each_others_items(store: SharedItemStore) {
    let home = InCollection::new(store.clone());
    let shop = InCollection::new(store);
    let id = new_id();
    let item = home
        .create(id.clone(), draft("Lamp", ""))
        .await
        .unwrap()
        .into_item();
    home.attach_photo(&id, photo(1600), 12, None).await.unwrap();
    assert_eq!(shop.get(&id).await.unwrap(), None);
    let refusals = [
        shop.update(&id, draft("Mine now", ""), None).await.err(),
        shop.update(&id, draft("Mine now", ""), Some(2)).await.err(),
        shop.delete(&id, None).await.err(),
        shop.attach_photo(&id, photo(800), 12, None).await.err(),
        shop.reorder_photos(&id, &[], None).await.err(),
    ];
    for refusal in refusals {
        assert!(matches!(refusal, Some(StoreError::NotFound)), "{refusal:?}");
    }
    let photo_id = home.get(&id).await.unwrap().unwrap().photos[0].id.clone();
    let removal = shop.remove_photo(&id, &photo_id, None).await;
    assert!(matches!(removal, Err(StoreError::NotFound)), "{removal:?}");
    let taken = shop.create(id.clone(), draft("Lamp", "")).await;
    assert!(
        matches!(taken, Err(StoreError::IdTakenElsewhere)),
        "{taken:?}"
    );
    let listed = shop.list(PageLimit::DEFAULT, None).await.unwrap();
    assert!(listed.items.is_empty());
    let still = home.get(&id).await.unwrap().unwrap();
    assert_eq!(
        (still.name.as_str(), still.version),
        ("Lamp", item.version + 1)
    );
    assert_eq!(home.store.find_anywhere(&id).await.unwrap(), Some(still));
}

/// Generates one `#[tokio::test]` per suite function for a backend. `$open` is an async
/// expression yielding `(SharedItemStore, guard)`; the guard lives as long as the test.
#[macro_export]
macro_rules! conformance_tests {
    ($open:expr) => {
        $crate::conformance_tests!(@each $open;
            create_then_get, create_is_idempotent_per_id, update_checks_the_version,
            concurrent_updates_never_lose_one, delete_checks_the_version, list_pages_newest_first,
            photos_attach_in_order_within_limits, photos_reorder_and_remove,
            delete_returns_the_photos_it_removed, listing_includes_photos,
            search_follows_the_rules, search_pages_in_rank_order, search_keeps_in_step_with_writes,
            search_finds_typos_of_words_that_are_typos_of_others,
            tags_and_quantity_are_kept_and_changed_only_when_given,
            tag_filters_keep_items_with_every_tag, tags_are_counted_in_their_most_used_spelling,
            renaming_a_tag_changes_every_item_and_merges,
            renaming_a_tag_keeps_an_edit_made_meanwhile);
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn collections_do_not_see_each_others_items() {
            let (store, _guard) = $open.await;
            $crate::conformance::collections_do_not_see_each_others_items(store).await;
        }
    };
    (@each $open:expr; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let (store, _guard) = $open.await;
                $crate::conformance::$name($crate::common::scoped::InCollection::new(store)).await;
            }
        )*
    };
}
