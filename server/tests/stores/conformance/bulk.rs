//! Bulk changes every backend must carry out alike: picked items moved, tagged, untagged and
//! deleted one conditional write each; an item changed or deleted after it was picked is
//! reported, never overwritten; a whole change with nothing to do it to is refused.

use super::meddler::{Meddler, Meddling};
use super::{draft, new_id, Places};
use domain::item_filter::ItemFilter;
use domain::item_store::SharedItemStore;
use domain::model::{ItemChange, ItemDescription, ItemDraft, ItemId, Tag, Tags};
use domain::organise::{self, BulkAction, BulkError, ChangeReport, Picked};
use domain::photos::{PhotoLimits, Photos, Signer};
use server::store::local_photos::LocalPhotoStore;
use std::sync::Arc;

fn tagged(name: &str, tags: &str) -> ItemDraft {
    ItemDraft {
        tags: Tags::parse_list(tags).unwrap(),
        ..draft(name, "")
    }
}

/// The photo operations over `items`, with photo files in a folder of their own.
fn photos(items: SharedItemStore, files: &tempfile::TempDir) -> Photos {
    let signer = Signer::new(&[7; 32]).unwrap();
    let local = Arc::new(LocalPhotoStore::open(files.path(), signer.clone()).unwrap());
    let limits = PhotoLimits {
        max_per_item: 12,
        max_bytes: 8 * 1024 * 1024,
    };
    Photos::new(items, local, signer, limits)
}

fn failures(report: &ChangeReport) -> Vec<(&str, &str)> {
    report
        .failed
        .iter()
        .map(|f| (f.name.as_str(), f.reason.as_str()))
        .collect()
}

fn edited(text: &str) -> ItemChange {
    ItemChange {
        description: Some(ItemDescription::parse(text).unwrap()),
        ..ItemChange::default()
    }
}

pub async fn bulk_changes_report_what_changed_meanwhile(places: Places) {
    let store = &places.items;
    let files = tempfile::tempdir().unwrap();
    let garage = places.add("Garage", None).await;
    let mut picked = Vec::new();
    for name in ["Drill", "Saw", "Sander", "Level"] {
        let id = new_id();
        let item = store
            .create(id, tagged(name, "box"))
            .await
            .unwrap()
            .into_item();
        picked.push(Picked::of(&item));
    }
    let [drill, saw, sander, level] = [0, 1, 2, 3].map(|i| picked[i].id.clone());

    // The sander is edited after it was picked; the drill just before its own write (another
    // user, between the read and the write); the last one never existed.
    store
        .update(&sander, edited("Blade changed"), None)
        .await
        .unwrap();
    let meddler: SharedItemStore = Arc::new(Meddler::new(
        store.store.clone(),
        Meddling::Edit(drill.clone(), edited("Now in the shed")),
    ));
    let photos_meddled = photos(meddler, &files);
    let mut move_these = picked[..3].to_vec();
    move_these.push(Picked {
        id: ItemId::generate(),
        seen: Some(1),
    });
    let to_garage = BulkAction::MoveTo(Some(garage.id.clone()));
    let report = organise::change_picked(
        &photos_meddled,
        &*places.locations,
        &store.edit,
        &move_these,
        &to_garage,
    )
    .await
    .unwrap();
    assert_eq!((report.changed, report.unchanged), (1, 0));
    assert_eq!(
        failures(&report),
        vec![
            ("Drill", "changed by someone else since it was selected"),
            ("Sander", "changed by someone else since it was selected"),
            ("", "no longer exists"),
        ]
    );
    let location = |id: &ItemId| {
        let id = id.clone();
        async move { store.get(&id).await.unwrap().unwrap().location }
    };
    assert_eq!(location(&saw).await, Some(garage.id.clone()));
    let drill_now = store.get(&drill).await.unwrap().unwrap();
    assert_eq!(
        (drill_now.description.as_str(), drill_now.location),
        ("Now in the shed", None)
    );
    assert_eq!(location(&sander).await, None);

    // Picked again as they are now, all three move; the saw was there already.
    let again = organise::picked_items(&*store.store, &store.edit, &picked[..3])
        .await
        .unwrap();
    let again: Vec<Picked> = again.iter().map(Picked::of).collect();
    let plain = photos(store.store.clone(), &files);
    let report =
        organise::change_picked(&plain, &*places.locations, &store.edit, &again, &to_garage)
            .await
            .unwrap();
    assert_eq!(
        (report.changed, report.unchanged, report.failed),
        (2, 1, vec![])
    );

    // Picked without a version (an API client's choice), an item edited meanwhile is changed
    // from the version that won: both edits stay.
    let meddler: SharedItemStore = Arc::new(Meddler::new(
        store.store.clone(),
        Meddling::Edit(drill.clone(), edited("Cordless")),
    ));
    let photos_meddled = photos(meddler, &files);
    let retag = BulkAction::Retag {
        add: vec![Tag::parse("Tools").unwrap()],
        remove: vec![Tag::parse("BOX").unwrap()],
    };
    let bare = [drill.clone(), level.clone()].map(|id| Picked { id, seen: None });
    let report = organise::change_picked(
        &photos_meddled,
        &*places.locations,
        &store.edit,
        &bare,
        &retag,
    )
    .await
    .unwrap();
    assert_eq!((report.changed, report.failed), (2, vec![]));
    let drill_now = store.get(&drill).await.unwrap().unwrap();
    assert_eq!(
        (drill_now.description.as_str(), drill_now.tags.to_list()),
        ("Cordless", "Tools".into())
    );

    // Every item still tagged "box": the saw and the sander. The sander is edited after the
    // pick, so only the saw is deleted.
    let filter = ItemFilter::new(None, &["box".to_owned()]).unwrap();
    let matching = organise::pick_matching(&*store.store, &store.edit, filter.as_ref())
        .await
        .unwrap();
    let mut names: Vec<&str> = matching.iter().map(|i| i.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Sander", "Saw"]);
    store
        .update(&sander, edited("Sharper"), None)
        .await
        .unwrap();
    let matching: Vec<Picked> = matching.iter().map(Picked::of).collect();
    let report = organise::change_picked(
        &plain,
        &*places.locations,
        &store.edit,
        &matching,
        &BulkAction::Delete,
    )
    .await
    .unwrap();
    assert_eq!(report.changed, 1);
    assert_eq!(
        failures(&report),
        vec![("Sander", "changed by someone else since it was selected")]
    );
    assert_eq!(store.get(&saw).await.unwrap(), None);
    assert!(store.get(&sander).await.unwrap().is_some());

    // Refused as a whole, nothing changed: no items, a location that does not exist, a
    // retag with no tags, more than a thousand items.
    let refusal = |action: BulkAction, picked: Vec<Picked>| {
        let (store, plain, locations) = (store, &plain, &places.locations);
        async move {
            organise::change_picked(plain, &**locations, &store.edit, &picked, &action)
                .await
                .unwrap_err()
        }
    };
    let one = vec![Picked {
        id: level.clone(),
        seen: None,
    }];
    assert!(matches!(
        refusal(BulkAction::Delete, vec![]).await,
        BulkError::NothingPicked
    ));
    let nowhere = BulkAction::MoveTo(Some(domain::model::LocationId::generate()));
    assert!(matches!(
        refusal(nowhere, one.clone()).await,
        BulkError::NoSuchLocation
    ));
    let no_tags = BulkAction::Retag {
        add: vec![],
        remove: vec![],
    };
    assert!(matches!(refusal(no_tags, one).await, BulkError::NoTags));
    let too_many = (0..1001)
        .map(|_| Picked {
            id: ItemId::generate(),
            seen: None,
        })
        .collect();
    assert!(matches!(
        refusal(BulkAction::Delete, too_many).await,
        BulkError::TooMany
    ));
    assert!(store.get(&level).await.unwrap().is_some());

    // Every item tagged "Tools" out of any location, read once: the drill moves, the level was
    // in none already. A filter that keeps nothing changes nothing.
    let tools = ItemFilter::new(None, &["tools".to_owned()]).unwrap();
    let unfile = BulkAction::MoveTo(None);
    let report = organise::change_matching(
        &plain,
        &*places.locations,
        &store.edit,
        tools.as_ref(),
        &unfile,
    )
    .await
    .unwrap();
    assert_eq!(
        (report.changed, report.unchanged, report.failed),
        (1, 1, vec![])
    );
    assert_eq!(location(&drill).await, None);
    let none = ItemFilter::new(None, &["nowhere".to_owned()]).unwrap();
    let report = organise::change_matching(
        &plain,
        &*places.locations,
        &store.edit,
        none.as_ref(),
        &unfile,
    )
    .await
    .unwrap();
    assert_eq!(report, ChangeReport::default());
}
