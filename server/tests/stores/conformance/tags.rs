//! Tags and quantities every backend must keep: stored and read back, left alone by changes
//! that do not mention them, filtered by (alone, together, with a search), counted, and
//! renamed or merged everywhere, an item changed meanwhile included.

use super::meddler::{Meddler, Meddling};
use super::{draft, new_id};
use crate::common::scoped::InCollection;
use domain::item_store::{Created, PageLimit, StoreError};
use domain::model::{Item, ItemChange, ItemDraft, ItemId};
use domain::model::{ItemDescription, Quantity, Tag, TagCount, Tags};
use domain::organise;

fn tagged(name: &str, tags: &str) -> ItemDraft {
    ItemDraft {
        tags: Tags::parse_list(tags).unwrap(),
        ..draft(name, "")
    }
}

fn names(items: &[Item]) -> Vec<&str> {
    items.iter().map(|item| item.name.as_str()).collect()
}

pub async fn tags_and_quantity_are_kept_and_changed_only_when_given(store: InCollection) {
    let id = new_id();
    let counted = ItemDraft {
        quantity: Some(Quantity::new(3).unwrap()),
        ..tagged("Drill", "Garage, power tools")
    };
    let item = store
        .create(id.clone(), counted.clone())
        .await
        .unwrap()
        .into_item();
    assert_eq!(item.tags.to_list(), "Garage, power tools");
    assert_eq!(item.quantity.map(Quantity::get), Some(3));
    assert_eq!(store.get(&id).await.unwrap().as_ref(), Some(&item));
    // A retried create with the same tags is the same item; other tags are another item.
    assert!(matches!(
        store.create(id.clone(), counted).await.unwrap(),
        Created::Existing(_)
    ));
    assert!(matches!(
        store.create(id.clone(), tagged("Drill", "Garage")).await,
        Err(StoreError::IdTaken { .. })
    ));
    // A change that names only the name and description (an old client's) keeps the rest.
    let renamed = ItemChange {
        tags: None,
        quantity: None,
        ..draft("Cordless drill", "").into()
    };
    let item = store.update(&id, renamed, Some(1)).await.unwrap();
    assert_eq!(
        (
            item.name.as_str(),
            item.tags.to_list(),
            item.quantity.map(Quantity::get)
        ),
        ("Cordless drill", "Garage, power tools".into(), Some(3))
    );
    // Given, they are replaced; a quantity of none removes it.
    let cleared = ItemChange {
        tags: Some(Tags::default()),
        quantity: Some(None),
        ..ItemChange::default()
    };
    let item = store.update(&id, cleared, Some(2)).await.unwrap();
    assert_eq!(
        (item.name.as_str(), item.tags.is_empty(), item.quantity),
        ("Cordless drill", true, None)
    );
    assert_eq!(store.get(&id).await.unwrap(), Some(item));
}

pub async fn tag_filters_keep_items_with_every_tag(store: InCollection) {
    for (name, tags) in [
        ("Drill", "garage, power tools"),
        ("Saw", "Garage"),
        ("Whisk", "kitchen"),
        ("Kitchen scale", ""),
        ("Sander", "POWER-TOOLS, garage, Café"),
    ] {
        store.create(new_id(), tagged(name, tags)).await.unwrap();
    }
    let limit = PageLimit::DEFAULT;
    let find = |search: &'static str, tags: &'static [&'static str]| {
        let store = store.clone();
        async move { store.filter(search, tags, limit, None).await.unwrap() }
    };
    // Newest first; case, accents and punctuation ignored; every tag needed.
    assert_eq!(
        names(&find("", &["GARAGE"]).await.items),
        ["Sander", "Saw", "Drill"]
    );
    assert_eq!(
        names(&find("", &["garage", "power tools"]).await.items),
        ["Sander", "Drill"]
    );
    assert_eq!(names(&find("", &["cafe"]).await.items), ["Sander"]);
    assert_eq!(names(&find("", &["attic"]).await.items), Vec::<&str>::new());
    // With a search: both must hold, ranked by the search.
    assert_eq!(
        names(&find("sa", &["garage"]).await.items),
        ["Sander", "Saw"]
    );
    assert_eq!(names(&find("saw", &["garage"]).await.items), ["Saw"]);
    // A search finds tags as words: "kitchen" is Whisk's tag and Kitchen scale's name.
    assert_eq!(
        names(&find("kitchen", &[]).await.items),
        ["Kitchen scale", "Whisk"]
    );
    // Pages of a tag filter follow each other newest first.
    let first = store
        .filter("", &["garage"], PageLimit::parse("2").unwrap(), None)
        .await
        .unwrap();
    assert_eq!(names(&first.items), ["Sander", "Saw"]);
    let rest = store
        .filter(
            "",
            &["garage"],
            PageLimit::parse("2").unwrap(),
            first.next.as_ref(),
        )
        .await
        .unwrap();
    assert_eq!((names(&rest.items), rest.next), (vec!["Drill"], None));
}

pub async fn tags_are_counted_in_their_most_used_spelling(store: InCollection) {
    let mut attic = None;
    for (name, tags) in [
        ("A", "Garage, kitchen"),
        ("B", "garage"),
        ("C", "Garage"),
        ("D", "attic"),
    ] {
        let id = new_id();
        store.create(id.clone(), tagged(name, tags)).await.unwrap();
        attic = Some(id);
    }
    let counts = |store: InCollection| async move {
        store
            .tag_counts()
            .await
            .unwrap()
            .into_iter()
            .map(|TagCount { tag, items }| (tag.to_string(), items))
            .collect::<Vec<(String, u64)>>()
    };
    assert_eq!(
        counts(store.clone()).await,
        [
            ("Garage".into(), 3),
            ("attic".into(), 1),
            ("kitchen".into(), 1)
        ]
    );
    // Counted again after a change of tags and a delete: never the counts from before.
    let retagged = ItemChange {
        tags: Some(Tags::parse_list("kitchen").unwrap()),
        ..ItemChange::default()
    };
    let attic = attic.unwrap();
    store.update(&attic, retagged, None).await.unwrap();
    assert_eq!(
        counts(store.clone()).await,
        [("Garage".into(), 3), ("kitchen".into(), 2)]
    );
    store.delete(&attic, None).await.unwrap();
    assert_eq!(
        counts(store.clone()).await,
        [("Garage".into(), 3), ("kitchen".into(), 1)]
    );
}

pub async fn renaming_a_tag_changes_every_item_and_merges(store: InCollection) {
    let drill = new_id();
    store
        .create(drill.clone(), tagged("Drill", "tools, red"))
        .await
        .unwrap();
    let saw = new_id();
    store
        .create(saw.clone(), tagged("Saw", "Tools, Workshop"))
        .await
        .unwrap();
    let whisk = new_id();
    store
        .create(whisk.clone(), tagged("Whisk", "kitchen"))
        .await
        .unwrap();
    let rename = |from: &str, to: &str| {
        let store = store.clone();
        let (from, to) = (Tag::parse(from).unwrap(), Tag::parse(to).unwrap());
        async move {
            organise::rename_tag(&*store.store, &store.edit, &from, &to)
                .await
                .unwrap()
        }
    };
    let report = rename("TOOLS", "Workshop").await;
    assert_eq!(
        (report.changed, report.failed.len(), report.more),
        (2, 0, false)
    );
    let tags = |id: ItemId| {
        let store = store.clone();
        async move { store.get(&id).await.unwrap().unwrap().tags.to_list() }
    };
    assert_eq!(tags(drill.clone()).await, "red, Workshop");
    // Saw had both: they are one now.
    assert_eq!(tags(saw.clone()).await, "Workshop");
    assert_eq!(tags(whisk.clone()).await, "kitchen");
    // A respelling is a rename too.
    assert_eq!(rename("workshop", "Shed").await.changed, 2);
    assert_eq!(tags(saw).await, "Shed");
    assert_eq!(rename("nothing", "else").await.changed, 0);
}

/// An item edited between the rename's read and its write is renamed from the edited version,
/// and the edit stays.
pub async fn renaming_a_tag_keeps_an_edit_made_meanwhile(store: InCollection) {
    let id = new_id();
    store
        .create(id.clone(), tagged("Drill", "tools"))
        .await
        .unwrap();
    let description = ItemDescription::parse("Edited meanwhile").unwrap();
    let edit = ItemChange {
        description: Some(description),
        ..ItemChange::default()
    };
    let edit = Meddling::Edit(id.clone(), edit);
    let meddler = Meddler::new(store.store.clone(), edit);
    let report = organise::rename_tag(
        &meddler,
        &store.edit,
        &Tag::parse("tools").unwrap(),
        &Tag::parse("Workshop").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!((report.changed, report.failed), (1, vec![]));
    let item = store.get(&id).await.unwrap().unwrap();
    assert_eq!(
        (item.description.as_str(), item.tags.to_list(), item.version),
        ("Edited meanwhile", "Workshop".into(), 3)
    );

    // An item deleted meanwhile is reported, not lost track of.
    let gone = new_id();
    store
        .create(gone.clone(), tagged("Saw", "Workshop"))
        .await
        .unwrap();
    let deleter = Meddler::new(store.store.clone(), Meddling::Delete(gone));
    let report = organise::rename_tag(
        &deleter,
        &store.edit,
        &Tag::parse("workshop").unwrap(),
        &Tag::parse("Shed").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(report.changed, 1);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(
        (
            report.failed[0].name.as_str(),
            report.failed[0].reason.as_str()
        ),
        ("Saw", "deleted meanwhile")
    );
}
