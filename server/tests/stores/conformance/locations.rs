//! Locations every backend must keep: a tree whose rules hold at every write (a parent that
//! exists, never into itself, at most eight deep), items filed in them and found by their
//! places' names, counts, and deletes that say where the contents go.

use super::{draft, new_id};
use crate::common::scoped::InCollection;
use domain::item_store::{PageLimit, StoreError};
use domain::location_store::{LocationChange, LocationError, SharedLocationStore};
use domain::location_tree::{LocationTree, MoveError};
use domain::model::MAX_LOCATION_DEPTH;
use domain::model::{ItemChange, ItemDraft, ItemId, Location, LocationId, LocationName};
use domain::organise;

/// The item store and the location store of one backend, in one fresh collection.
#[derive(Clone)]
pub struct Places {
    pub items: InCollection,
    pub locations: SharedLocationStore,
}

impl Places {
    pub(super) async fn add(&self, name: &str, parent: Option<&Location>) -> Location {
        self.try_add(name, parent.map(|p| p.id.clone()))
            .await
            .unwrap()
    }

    async fn try_add(
        &self,
        name: &str,
        parent: Option<LocationId>,
    ) -> Result<Location, LocationError> {
        self.locations
            .create_location(
                &self.items.edit,
                LocationId::generate(),
                LocationName::parse(name).unwrap(),
                parent,
            )
            .await
    }

    async fn tree(&self) -> LocationTree {
        LocationTree::new(self.locations.locations(&self.items.read()).await.unwrap())
    }

    async fn move_to(
        &self,
        location: &Location,
        parent: Option<&Location>,
    ) -> Result<Location, LocationError> {
        let change = LocationChange {
            parent: Some(parent.map(|p| p.id.clone())),
            ..LocationChange::default()
        };
        self.locations
            .change_location(&self.items.edit, &location.id, change, None)
            .await
    }

    async fn file(&self, name: &str, location: Option<&Location>) -> ItemId {
        let id = new_id();
        let draft = ItemDraft {
            location: location.map(|l| l.id.clone()),
            ..draft(name, "")
        };
        self.items.create(id.clone(), draft).await.unwrap();
        id
    }

    async fn names_within(&self, location: &Location) -> Vec<String> {
        let within = self.tree().await.subtree(&location.id);
        let filter = domain::item_filter::ItemFilter::in_locations(within);
        let page = self
            .items
            .store
            .search(&self.items.read(), &filter, PageLimit::DEFAULT, None)
            .await
            .unwrap();
        page.items.into_iter().map(|item| item.name).collect()
    }
}

pub async fn locations_nest_and_keep_their_rules(places: Places) {
    let house = places.add("House", None).await;
    let garage = places.add("Garage", Some(&house)).await;
    let shelf = places.add("Shelf 2", Some(&garage)).await;
    let shed = places.add("Shed", None).await;
    let tree = places.tree().await;
    assert_eq!(tree.path_text(&shelf.id), "House › Garage › Shelf 2");
    assert_eq!(tree.len(), 4);

    // A retried create is the same location; another with its id is refused.
    let again = places
        .locations
        .create_location(
            &places.items.edit,
            shelf.id.clone(),
            LocationName::parse("Shelf 2").unwrap(),
            Some(garage.id.clone()),
        )
        .await
        .unwrap();
    assert_eq!(again, shelf);
    assert!(matches!(
        places
            .locations
            .create_location(
                &places.items.edit,
                shelf.id.clone(),
                LocationName::parse("Other").unwrap(),
                None,
            )
            .await,
        Err(LocationError::IdTaken)
    ));
    assert!(matches!(
        places
            .try_add("Nowhere", Some(LocationId::generate()))
            .await,
        Err(LocationError::Move(MoveError::NoSuchParent))
    ));

    // Moving takes what is inside along; never into itself.
    let moved = places.move_to(&garage, Some(&shed)).await.unwrap();
    assert_eq!((moved.version, moved.parent.as_ref()), (2, Some(&shed.id)));
    assert_eq!(
        places.tree().await.path_text(&shelf.id),
        "Shed › Garage › Shelf 2"
    );
    for into in [&garage, &shelf] {
        assert!(matches!(
            places.move_to(&garage, Some(into)).await,
            Err(LocationError::Move(MoveError::IntoItself))
        ));
    }
    // A stale version is a conflict.
    let rename = LocationChange {
        name: Some(LocationName::parse("Workshop").unwrap()),
        ..LocationChange::default()
    };
    match places
        .locations
        .change_location(&places.items.edit, &garage.id, rename.clone(), Some(1))
        .await
    {
        Err(LocationError::VersionConflict { current }) => assert_eq!(current.version, 2),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let renamed = places
        .locations
        .change_location(&places.items.edit, &garage.id, rename, Some(2))
        .await
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.version), ("Workshop", 3));

    // Eight deep at most, counting what a move brings along.
    let mut deepest = shed.clone();
    for level in 2..=MAX_LOCATION_DEPTH {
        deepest = places.add(&format!("Level {level}"), Some(&deepest)).await;
    }
    assert!(matches!(
        places.try_add("Too deep", Some(deepest.id.clone())).await,
        Err(LocationError::Move(MoveError::TooDeep))
    ));
    assert!(matches!(
        places.move_to(&house, Some(&deepest)).await,
        Err(LocationError::Move(MoveError::TooDeep))
    ));

    // A location with locations inside is not deleted by the store.
    assert!(matches!(
        places
            .locations
            .delete_location(&places.items.edit, &renamed.id, None)
            .await,
        Err(LocationError::HasLocationsInside)
    ));
    let gone = places
        .locations
        .delete_location(&places.items.edit, &house.id, Some(1))
        .await
        .unwrap();
    assert_eq!(gone.id, house.id);
    assert!(places.tree().await.get(&house.id).is_none());

    // Another collection sees none of it.
    let other = InCollection::new(places.items.store.clone());
    assert!(places
        .locations
        .locations(&other.read())
        .await
        .unwrap()
        .is_empty());
}

pub async fn items_are_filed_found_by_place_and_counted(places: Places) {
    let house = places.add("House", None).await;
    let garage = places.add("Garage", Some(&house)).await;
    let box3 = places.add("Box 3", Some(&garage)).await;
    let attic = places.add("Attic", Some(&house)).await;
    let drill = places.file("Drill", Some(&box3)).await;
    places.file("Saw", Some(&garage)).await;
    places.file("Lamp", Some(&attic)).await;
    places.file("Kettle", None).await;

    assert_eq!(places.names_within(&garage).await, ["Saw", "Drill"]);
    assert_eq!(places.names_within(&house).await, ["Lamp", "Saw", "Drill"]);
    let tree = places.tree().await;
    let direct = places
        .items
        .store
        .location_counts(&places.items.read())
        .await
        .unwrap();
    let counts = tree.subtree_counts(&direct);
    assert_eq!(
        (
            counts[&house.id],
            counts[&garage.id],
            counts[&box3.id],
            counts[&attic.id]
        ),
        (3, 2, 1, 1)
    );

    // A search finds items by the names of the places they are in, and follows renames.
    let found = |query: &'static str| {
        let items = places.items.clone();
        async move {
            let page = items.search(query, PageLimit::DEFAULT, None).await.unwrap();
            page.items
                .into_iter()
                .map(|item| item.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("drill garage").await, ["Drill"]);
    assert_eq!(found("garage").await, ["Saw", "Drill"]);
    let rename = LocationChange {
        name: Some(LocationName::parse("Workshop").unwrap()),
        ..LocationChange::default()
    };
    places
        .locations
        .change_location(&places.items.edit, &garage.id, rename, None)
        .await
        .unwrap();
    assert_eq!(found("workshop drill").await, ["Drill"]);
    assert!(found("garage").await.is_empty());

    // Filed elsewhere: an update that names the location; others leave it.
    let moved = places
        .items
        .update(
            &drill,
            ItemChange {
                location: Some(Some(attic.id.clone())),
                ..ItemChange::default()
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(moved.location.as_ref(), Some(&attic.id));
    let kept = places
        .items
        .update(&drill, ItemChange::default(), None)
        .await
        .unwrap();
    assert_eq!(kept.location.as_ref(), Some(&attic.id));
    assert_eq!(found("attic drill").await, ["Drill"]);

    // A location the collection does not have is refused, on create and on update.
    let elsewhere = Places {
        items: InCollection::new(places.items.store.clone()),
        locations: places.locations.clone(),
    };
    let foreign = elsewhere.add("Not yours", None).await;
    let draft = ItemDraft {
        location: Some(foreign.id.clone()),
        ..draft("Sneaky", "")
    };
    assert!(matches!(
        places.items.create(new_id(), draft).await,
        Err(StoreError::NoSuchLocation)
    ));
    let change = ItemChange {
        location: Some(Some(LocationId::generate())),
        ..ItemChange::default()
    };
    assert!(matches!(
        places.items.update(&drill, change, None).await,
        Err(StoreError::NoSuchLocation)
    ));
}

pub async fn deleting_a_location_says_where_its_contents_go(places: Places) {
    let house = places.add("House", None).await;
    let garage = places.add("Garage", Some(&house)).await;
    let shelf = places.add("Shelf", Some(&garage)).await;
    let shed = places.add("Shed", None).await;
    places.file("Drill", Some(&garage)).await;
    places.file("Saw", Some(&garage)).await;
    places.file("Glue", Some(&shelf)).await;
    let (items, locations) = (&*places.items.store, &*places.locations);
    let edit = &places.items.edit;

    match organise::delete_location(items, locations, edit, &garage.id, None, None).await {
        Err(LocationError::NotEmpty { items, locations }) => assert_eq!((items, locations), (2, 1)),
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    // Not into itself.
    assert!(matches!(
        organise::delete_location(
            items,
            locations,
            edit,
            &garage.id,
            Some(Some(shelf.id.clone())),
            None
        )
        .await,
        Err(LocationError::Move(MoveError::IntoItself))
    ));
    let report = organise::delete_location(
        items,
        locations,
        edit,
        &garage.id,
        Some(Some(shed.id.clone())),
        None,
    )
    .await
    .unwrap();
    assert_eq!((report.changed, report.failed.len()), (2, 0));
    let tree = places.tree().await;
    assert!(tree.get(&garage.id).is_none());
    assert_eq!(tree.path_text(&shelf.id), "Shed › Shelf");
    assert_eq!(places.names_within(&shed).await, ["Glue", "Saw", "Drill"]);

    // An empty location goes without asking; contents can go to no location at all.
    let report = organise::delete_location(items, locations, edit, &house.id, None, None)
        .await
        .unwrap();
    assert_eq!(report.changed, 0);
    let report = organise::delete_location(items, locations, edit, &shed.id, Some(None), None)
        .await
        .unwrap();
    assert_eq!(report.changed, 2);
    let tree = places.tree().await;
    assert_eq!(tree.path_text(&shelf.id), "Shelf");
    assert_eq!(tree.len(), 1);
}

#[macro_export]
macro_rules! location_conformance_tests {
    ($open:expr) => {
        $crate::location_conformance_tests!(@each $open;
            locations_nest_and_keep_their_rules, items_are_filed_found_by_place_and_counted,
            deleting_a_location_says_where_its_contents_go,
            bulk_changes_report_what_changed_meanwhile,
            the_revision_changes_with_every_write_to_the_collection);
    };
    (@each $open:expr; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let (items, locations, _guard) = $open.await;
                let places = $crate::conformance::Places {
                    items: $crate::common::scoped::InCollection::new(items),
                    locations,
                };
                $crate::conformance::$name(places).await;
            }
        )*
    };
}
