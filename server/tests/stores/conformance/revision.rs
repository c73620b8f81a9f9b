//! The collection's revision, which pages' entity tags are made from: it changes with every
//! kind of write to the collection's items and locations, and with nothing else.

use super::{draft, new_id, photo, Places};
use domain::item_store::PageLimit;
use domain::location_store::LocationChange;
use domain::model::{LocationId, LocationName};

pub async fn the_revision_changes_with_every_write_to_the_collection(places: Places) {
    let Places { items, locations } = places;
    let other = crate::common::scoped::InCollection::new(items.store.clone());
    let revision = || async {
        let revision = items.store.revision(&items.read()).await.unwrap();
        revision.expect("this backend keeps revisions")
    };
    let mut seen = vec![revision().await];
    let mut changed = |now: u64, what: &str| {
        assert!(!seen.contains(&now), "{what} left the revision as it was");
        seen.push(now);
    };

    let id = new_id();
    items.create(id.clone(), draft("Lamp", "")).await.unwrap();
    changed(revision().await, "a create");
    items
        .update(&id, draft("Desk lamp", ""), None)
        .await
        .unwrap();
    changed(revision().await, "an update");
    let (first, second) = (photo(1600), photo(800));
    items
        .attach_photo(&id, first.clone(), 12, None)
        .await
        .unwrap();
    changed(revision().await, "a photo's attach");
    items
        .attach_photo(&id, second.clone(), 12, None)
        .await
        .unwrap();
    changed(revision().await, "a second photo's attach");
    items
        .reorder_photos(&id, &[second.id.clone(), first.id.clone()], None)
        .await
        .unwrap();
    changed(revision().await, "a reorder");
    items.remove_photo(&id, &first.id, None).await.unwrap();
    changed(revision().await, "a photo's removal");

    let place = LocationId::generate();
    let name = |raw: &str| LocationName::parse(raw).unwrap();
    locations
        .create_location(&items.edit, place.clone(), name("Hall"), None)
        .await
        .unwrap();
    changed(revision().await, "a new location");
    let rename = LocationChange {
        name: Some(name("Front hall")),
        parent: None,
    };
    locations
        .change_location(&items.edit, &place, rename, None)
        .await
        .unwrap();
    changed(revision().await, "a location's rename");
    locations
        .delete_location(&items.edit, &place, None)
        .await
        .unwrap();
    changed(revision().await, "a location's delete");

    let unchanged = revision().await;
    items.get(&id).await.unwrap();
    items.list(PageLimit::DEFAULT, None).await.unwrap();
    other.create(new_id(), draft("Kettle", "")).await.unwrap();
    assert_eq!(
        revision().await,
        unchanged,
        "reads and other collections' writes"
    );
    items.delete(&id, None).await.unwrap();
    changed(revision().await, "a delete");
}
