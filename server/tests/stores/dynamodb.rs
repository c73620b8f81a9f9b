//! The storage conformance suite against DynamoDB (on moto_server), plus what only the
//! DynamoDB store has: the old service's items, `migrate`, and one call per operation.

use crate::aws;
use crate::{account_conformance_tests, conformance_tests, location_conformance_tests};

use crate::common::scoped::InCollection;
use aws_sdk_dynamodb::types::AttributeValue;
use domain::accounts::{CollectionId, SharedAccountStore};
use domain::item_store::{PageLimit, SharedItemStore, StoreError};
use domain::location_store::LocationStore;
use domain::model::{
    ItemDraft, ItemId, LocationId, LocationName, PhotoId, PhotoKey, PhotoRecord, VariantInfo,
};
use domain::photo_store::PhotoUrls;
use server::store::aws::AwsCalls;
use server::store::dynamodb::DynamoStore;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

struct PlainUrls;

impl PhotoUrls for PlainUrls {
    fn url(&self, key: &PhotoKey) -> String {
        format!("https://media.example/{key}")
    }
}

async fn open() -> (SharedItemStore, ()) {
    let (store, _, _) = aws::item_store(Arc::new(PlainUrls)).await;
    (store, ())
}

conformance_tests!(open());

async fn open_places() -> (
    SharedItemStore,
    domain::location_store::SharedLocationStore,
    (),
) {
    // Revisions vouched for at once: the conformance suite reads them right after writes.
    let settled_at_once = |store: DynamoStore| store.with_revision_settling(Duration::ZERO);
    let (store, _, _) = aws::item_store_with(Arc::new(PlainUrls), settled_at_once).await;
    (store.clone(), store, ())
}

location_conformance_tests!(open_places());

async fn open_accounts() -> (SharedAccountStore, ()) {
    let (store, _) = aws::account_store().await;
    (store, ())
}

account_conformance_tests!(open_accounts());

fn photo() -> PhotoRecord {
    let info = VariantInfo {
        width: 1600,
        height: 1200,
        bytes: 150_000,
    };
    PhotoRecord {
        id: PhotoId::generate(),
        display: info,
        thumb: VariantInfo {
            width: 400,
            height: 300,
            bytes: 20_000,
        },
        placeholder: "1QcSHQRnh493V4dIh4eXh1h4kJUI".into(),
    }
}

fn draft(name: &str) -> ItemDraft {
    ItemDraft::parse(name, "").unwrap()
}

/// Each read the API performs is one DynamoDB call, and a list page one `Query`; a search of
/// a small collection is two. Each write is one conditional call, then one `UpdateItem` that
/// gives the collection a new revision; a write refused by its condition is the one call.
#[tokio::test]
async fn every_read_is_one_call_and_every_write_two() {
    let (store, calls, _) = aws::item_store(Arc::new(PlainUrls)).await;
    let store = InCollection::new(store);
    let total = || calls.total("DynamoDB");
    let id = ItemId::generate();
    let expect_calls = |before: u64, calls_made: u64, operation: &str, what: &str| {
        assert_eq!(
            total() - before,
            calls_made,
            "{what} took {} calls",
            total() - before
        );
        assert!(
            calls.count("DynamoDB", operation) >= 1,
            "{what} used {operation}"
        );
    };
    let expect =
        |before: u64, operation: &str, what: &str| expect_calls(before, 1, operation, what);
    let expect_write = |before: u64, operation: &str, what: &str| {
        expect_calls(before, 2, operation, what);
    };
    let before = total();
    store.create(id.clone(), draft("Counted")).await.unwrap();
    expect_write(before, "PutItem", "create");
    let before = total();
    store.create(id.clone(), draft("Counted")).await.unwrap();
    expect(before, "PutItem", "a repeated create");
    let before = total();
    store.get(&id).await.unwrap().unwrap();
    expect(before, "GetItem", "get");
    let before = total();
    store.list(PageLimit::DEFAULT, None).await.unwrap();
    expect(before, "Query", "list");
    let before = total();
    let found = store
        .search("count", PageLimit::DEFAULT, None)
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(
        total() - before,
        2,
        "a search of a small collection: one page of the search index, one BatchGetItem"
    );
    assert_eq!(calls.count("DynamoDB", "BatchGetItem"), 1);
    let before = total();
    store
        .search("nothing", PageLimit::DEFAULT, None)
        .await
        .unwrap();
    expect(before, "Query", "a search that finds nothing");
    let before = total();
    store
        .update(&id, draft("Recounted"), Some(1))
        .await
        .unwrap();
    expect_write(before, "UpdateItem", "update");
    let before = total();
    assert!(matches!(
        store.update(&id, draft("Stale"), Some(1)).await,
        Err(StoreError::VersionConflict { .. })
    ));
    expect(
        before,
        "UpdateItem",
        "a stale update, conflict and current item included",
    );
    let record = photo();
    let before = total();
    store
        .attach_photo(&id, record.clone(), 12, Some(2))
        .await
        .unwrap();
    expect_write(before, "UpdateItem", "attach");
    let before = total();
    store
        .attach_photo(&id, record.clone(), 12, None)
        .await
        .unwrap();
    expect(before, "UpdateItem", "a retried attach");
    let before = total();
    store
        .reorder_photos(&id, std::slice::from_ref(&record.id), None)
        .await
        .unwrap();
    expect_write(before, "UpdateItem", "reorder");
    let before = total();
    store.remove_photo(&id, &record.id, None).await.unwrap();
    expect_write(before, "UpdateItem", "remove photo");
    let before = total();
    store.delete(&id, None).await.unwrap();
    expect_write(before, "DeleteItem", "delete");
    assert_eq!(calls.count("DynamoDB", "Scan"), 0, "the app never scans");
}

/// An item exactly as the old Python service wrote it: no version, no photos, no list keys,
/// a naive time.
async fn put_old_item(client: &aws_sdk_dynamodb::Client, table: &str, id: &str, name: &str) {
    let item = HashMap::from([
        ("id".to_owned(), AttributeValue::S(id.to_owned())),
        ("name".to_owned(), AttributeValue::S(name.to_owned())),
        (
            "description".to_owned(),
            AttributeValue::S("from 2025".to_owned()),
        ),
        (
            "created_at".to_owned(),
            AttributeValue::S("2025-11-26T10:11:12.123456".to_owned()),
        ),
    ]);
    client
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn old_items_work_before_and_after_migrate() {
    let calls = Arc::new(AwsCalls::default());
    let client =
        server::store::aws::dynamodb_client(&aws::sdk_config(&aws::dynamodb_url()), &calls);
    let (_, _, table) = aws::item_store(Arc::new(PlainUrls)).await;
    let legacy = CollectionId::generate();
    let unscoped = Arc::new(
        DynamoStore::new(client.clone(), table.clone(), Arc::new(PlainUrls))
            .with_legacy_collection(Some(legacy)),
    );
    let store = InCollection::within(unscoped.clone(), legacy);
    let elsewhere = InCollection::new(unscoped.clone());
    let ids: Vec<String> = (0..7).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    for (i, id) in ids.iter().enumerate() {
        put_old_item(&client, &table, id, &format!("Old {i}")).await;
    }
    let first = ItemId::parse(&ids[0]).unwrap();

    // From the first minute: read, update with the version it was shown at, attach a photo.
    // Items without a collection are the legacy collection's, and nobody else's.
    assert_eq!(elsewhere.get(&first).await.unwrap(), None);
    let old = store.get(&first).await.unwrap().unwrap();
    assert_eq!(old.version, 1);
    assert_eq!(old.created_at.to_rfc3339(), "2025-11-26T10:11:12.123456Z");
    assert_eq!(old.updated_at, old.created_at);
    assert!(old.photos.is_empty());
    let updated = store
        .update(&first, draft("Renamed"), Some(1))
        .await
        .unwrap();
    assert_eq!((updated.name.as_str(), updated.version), ("Renamed", 2));
    let second = ItemId::parse(&ids[1]).unwrap();
    let attached = store
        .attach_photo(&second, photo(), 12, Some(1))
        .await
        .unwrap()
        .into_item();
    assert_eq!((attached.version, attached.photos.len()), (2, 1));
    // Not listed until migrated: the list index has no keys for them yet.
    let listed = store.list(PageLimit::DEFAULT, None).await.unwrap();
    assert!(listed.items.is_empty());

    // Records that are not items share the table: a location, and the collection's revision
    // that the writes above left. The scan must pass over both and leave them as they are.
    let attic = unscoped
        .create_location(
            &store.edit,
            LocationId::generate(),
            LocationName::parse("Attic").unwrap(),
            None,
        )
        .await
        .unwrap();

    let mut pages = 0;
    let report =
        server::store::dynamodb::migrate::run(&client, &table, &legacy, None, 200, |_, _| {
            pages += 1
        })
        .await
        .unwrap();
    assert_eq!(
        (report.examined, report.migrated, report.skipped),
        (7, 7, 0),
        "the 7 old items, and neither the location nor the revision"
    );
    assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
    assert_eq!(
        unscoped.locations(&store.read()).await.unwrap(),
        vec![attic],
        "the location is as it was"
    );
    assert!(pages >= 1);
    let again =
        server::store::dynamodb::migrate::run(&client, &table, &legacy, None, 200, |_, _| ())
            .await
            .unwrap();
    assert_eq!(again.migrated, 0, "a second run finds nothing to do");

    let listed = store
        .list(PageLimit::parse("100").unwrap(), None)
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 7);
    let renamed = listed.items.iter().find(|i| i.id == first).unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.version),
        ("Renamed", 2),
        "migrate kept the edit"
    );
    let third = ItemId::parse(&ids[2]).unwrap();
    let untouched = store.get(&third).await.unwrap().unwrap();
    assert_eq!(
        untouched.version, 1,
        "migrate does not change versions (ETags stay valid)"
    );
    assert!(elsewhere
        .list(PageLimit::DEFAULT, None)
        .await
        .unwrap()
        .items
        .is_empty());
    store.delete(&third, Some(1)).await.unwrap();
    assert_eq!(store.get(&third).await.unwrap(), None);
}

/// Progress comes after every page with the id to resume after, and a run resumed from one
/// looks only at the items after it.
#[tokio::test]
async fn migrate_reports_each_page_and_resumes_after_a_given_id() {
    let calls = Arc::new(AwsCalls::default());
    let client =
        server::store::aws::dynamodb_client(&aws::sdk_config(&aws::dynamodb_url()), &calls);
    let (_, _, table) = aws::item_store(Arc::new(PlainUrls)).await;
    let ids: Vec<String> = (0..7).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    for id in &ids {
        put_old_item(&client, &table, id, "Paged").await;
    }
    let mut tokens = Vec::new();
    let collection = CollectionId::generate();
    let report = server::store::dynamodb::migrate::run(
        &client,
        &table,
        &collection,
        None,
        2,
        |_, resume| tokens.push(resume.map(str::to_owned)),
    )
    .await
    .unwrap();
    assert_eq!(report.migrated, 7);
    assert_eq!(tokens.len(), 4, "pages of 2: {tokens:?}");
    assert!(tokens[..3].iter().all(Option::is_some) && tokens[3].is_none());

    // Back to the old format, as if the first run had stopped after its second page.
    for id in &ids {
        put_old_item(&client, &table, id, "Paged").await;
    }
    let resumed = server::store::dynamodb::migrate::run(
        &client,
        &table,
        &collection,
        tokens[1].as_deref(),
        2,
        |_, _| (),
    )
    .await
    .unwrap();
    assert_eq!(
        (resumed.examined, resumed.migrated),
        (3, 3),
        "the 3 after the 4th"
    );
}

/// A record the store cannot read (here a version that is not a number, as a broken writer
/// might leave) is left out of its list page; the page still lists the rest.
#[tokio::test]
async fn a_malformed_record_does_not_fail_its_list_page() {
    let calls = Arc::new(AwsCalls::default());
    let client =
        server::store::aws::dynamodb_client(&aws::sdk_config(&aws::dynamodb_url()), &calls);
    let (shared, _, table) = aws::item_store(Arc::new(PlainUrls)).await;
    let store = InCollection::new(shared);
    let good = ItemId::generate();
    store.create(good.clone(), draft("Good")).await.unwrap();
    let raw = client
        .get_item()
        .table_name(&table)
        .key("id", AttributeValue::S(good.to_string()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    let bad = ItemId::generate();
    let mut broken = raw.clone();
    broken.insert("id".into(), AttributeValue::S(bad.to_string()));
    broken.insert("version".into(), AttributeValue::S("not a number".into()));
    let sort = raw["list_sk"]
        .as_s()
        .unwrap()
        .replace(&good.to_string(), &bad.to_string());
    broken.insert("list_sk".into(), AttributeValue::S(sort));
    client
        .put_item()
        .table_name(&table)
        .set_item(Some(broken))
        .send()
        .await
        .unwrap();
    let page = store.list(PageLimit::DEFAULT, None).await.unwrap();
    let ids: Vec<_> = page.items.iter().map(|item| item.id.clone()).collect();
    assert_eq!(ids, vec![good]);
    assert!(matches!(
        store.get(&bad).await,
        Err(StoreError::Internal(_))
    ));
}

/// The old service rewrites whole records, without the `photos` it never knew: the sweeper
/// must not take "no record points to it" for "unused" and delete those photos' files. It
/// deletes uploads never attached, and everything of an item the old service deleted.
#[tokio::test]
async fn the_sweeper_keeps_photos_an_old_format_write_dropped_from_their_record() {
    use crate::common::{files_under, sha256, variants};
    use domain::model::Variant;
    use domain::photos::{PhotoLimits, Photos, Signer};
    use server::store::local_photos::LocalPhotoStore;
    use std::time::{Duration, SystemTime};

    let data = tempfile::tempdir().unwrap();
    let signer = Signer::new(&[5; 32]).unwrap();
    let files = Arc::new(LocalPhotoStore::open(data.path(), signer.clone()).unwrap());
    let (items, _, table) = aws::item_store(files.clone()).await;
    let client = server::store::aws::dynamodb_client(
        &aws::sdk_config(&aws::dynamodb_url()),
        &Arc::new(AwsCalls::default()),
    );
    let photos = Photos::new(
        items.clone(),
        files.clone(),
        signer,
        PhotoLimits {
            max_per_item: 12,
            max_bytes: 8 * 1024 * 1024,
        },
    );
    let store = InCollection::new(items.clone());
    let item = ItemId::generate();
    store.create(item.clone(), draft("Lamp")).await.unwrap();
    let attached = photos
        .add_processed(&store.edit, &item, variants().clone())
        .await
        .unwrap()
        .photos[0]
        .id
        .clone();
    // An upload never attached, beside it.
    let abandoned = PhotoKey::new(&item, &PhotoId::generate(), Variant::Display);
    let bytes = variants().display.bytes.clone();
    let body = futures::stream::iter([Ok::<_, std::io::Error>(bytes.clone().into())]);
    files
        .write_upload(&abandoned, body, bytes.len() as u64, &sha256(&bytes))
        .await
        .unwrap();

    put_old_item(
        &client,
        &table,
        item.as_str(),
        "Lamp, as the old service saw it",
    )
    .await;
    let rewritten = domain::item_store::ItemStore::find_anywhere(&*items, &item)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rewritten.photos, vec![], "the old write dropped the photos");
    let age_everything = || {
        let then = SystemTime::now() - Duration::from_secs(2 * 24 * 60 * 60);
        for path in files_under(data.path()) {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(then).unwrap();
        }
    };
    age_everything();
    let day = Duration::from_secs(24 * 60 * 60);
    let report = photos.sweep(day).await.unwrap();
    assert_eq!((report.examined, report.deleted), (2, 1), "{report:?}");
    for variant in Variant::ALL {
        let key = PhotoKey::new(&item, &attached, variant);
        assert!(files.path(&key).exists(), "{key} was swept");
    }

    // Deleted by the old service: its files go.
    client
        .delete_item()
        .table_name(&table)
        .key("id", AttributeValue::S(item.to_string()))
        .send()
        .await
        .unwrap();
    let report = photos.sweep(day).await.unwrap();
    assert_eq!((report.examined, report.deleted), (1, 1), "{report:?}");
    assert_eq!(
        files_under(&data.path().join("photos")),
        Vec::<std::path::PathBuf>::new()
    );
}

/// A table from before tags, whose search index projects only names and descriptions (and a
/// table from before search, without it): `shelf create-table` replaces or adds the index, and
/// the items already there are then found by their tags.
#[tokio::test]
async fn create_table_brings_an_older_tables_indexes_up_to_date() {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
        Projection, ProjectionType, ScalarAttributeType,
    };
    use server::store::aws::Provisioned;
    use server::store::dynamodb::{record, table};

    let calls = Arc::new(AwsCalls::default());
    let config = aws::sdk_config(&aws::dynamodb_url());
    let client = server::store::aws::dynamodb_client(&config, &calls);
    let key = |name: &str, kind| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .unwrap()
    };
    let index = |name: &str, projected: &[&str]| {
        GlobalSecondaryIndex::builder()
            .index_name(name)
            .key_schema(key(record::LIST_PARTITION, KeyType::Hash))
            .key_schema(key(record::LIST_SORT, KeyType::Range))
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::Include)
                    .set_non_key_attributes(Some(projected.iter().map(|a| a.to_string()).collect()))
                    .build(),
            )
            .build()
            .unwrap()
    };
    for (older, indexes) in [
        (
            "before-tags",
            vec![index(record::SEARCH_INDEX, &["name", "description"])],
        ),
        ("before-search", vec![]),
    ] {
        let name = aws::unique_name(older);
        let mut request = client
            .create_table()
            .table_name(&name)
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(key(record::ID, KeyType::Hash));
        for attribute in [record::ID, record::LIST_PARTITION, record::LIST_SORT] {
            request = request.attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(attribute)
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            );
        }
        let list = GlobalSecondaryIndex::builder()
            .index_name(record::LIST_INDEX)
            .key_schema(key(record::LIST_PARTITION, KeyType::Hash))
            .key_schema(key(record::LIST_SORT, KeyType::Range))
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build()
            .unwrap();
        request = request.global_secondary_indexes(list);
        for index in indexes {
            request = request.global_secondary_indexes(index);
        }
        request.send().await.unwrap();

        let older = InCollection::new(Arc::new(DynamoStore::new(
            client.clone(),
            name.clone(),
            Arc::new(PlainUrls),
        )));
        let tagged = ItemDraft {
            tags: domain::model::Tags::parse_list("garage").unwrap(),
            ..draft("Drill")
        };
        older.create(ItemId::generate(), tagged).await.unwrap();

        assert_eq!(
            table::create(&client, &name).await.unwrap(),
            Provisioned::AlreadyExisted
        );
        let described = client
            .describe_table()
            .table_name(&name)
            .send()
            .await
            .unwrap();
        let search = described
            .table()
            .unwrap()
            .global_secondary_indexes()
            .iter()
            .find(|index| index.index_name() == Some(record::SEARCH_INDEX))
            .expect("the search index is there");
        let mut projected = search.projection().unwrap().non_key_attributes().to_vec();
        projected.sort();
        assert_eq!(
            projected,
            ["description", "location", "name", "tags"],
            "{name}"
        );
        let found = older
            .filter("", &["garage"], PageLimit::DEFAULT, None)
            .await
            .unwrap();
        assert_eq!(found.items.len(), 1, "{name}");
        // Once up to date, running it again changes nothing.
        table::create(&client, &name).await.unwrap();
    }
}

/// Right after a change a revision is not vouched for (pages read indexes that may not show
/// the change yet, so a tag then could pin the page as it was); once settled it is. An
/// instance that sees a revision it had not seen drops the tag counts it kept, so another
/// instance's change of tags shows at once, not after the counts' time to live.
#[tokio::test]
async fn revisions_settle_before_pages_get_tags_and_drop_kept_tag_counts() {
    use domain::item_store::ItemStore;
    use domain::model::{ItemChange, Tags};
    let settling = Duration::from_millis(500);
    let (store, _, table) = aws::item_store_with(Arc::new(PlainUrls), |store| {
        store.with_revision_settling(settling)
    })
    .await;
    let here = InCollection::new(store.clone());
    let id = ItemId::generate();
    let tagged = ItemDraft {
        tags: Tags::parse_list("red").unwrap(),
        ..draft("Lamp")
    };
    here.create(id.clone(), tagged).await.unwrap();
    let read = here.read();
    assert_eq!(store.revision(&read).await.unwrap(), None, "just changed");
    tokio::time::sleep(settling + Duration::from_millis(200)).await;
    let settled = store.revision(&read).await.unwrap();
    assert!(settled.is_some(), "settled");
    assert_eq!(here.tag_counts().await.unwrap()[0].tag.as_str(), "red");

    // Another instance on the same table changes the tags.
    let calls = Arc::new(AwsCalls::default());
    let client =
        server::store::aws::dynamodb_client(&aws::sdk_config(&aws::dynamodb_url()), &calls);
    let elsewhere = Arc::new(DynamoStore::new(client, table, Arc::new(PlainUrls)));
    let blue = ItemChange {
        tags: Some(Tags::parse_list("blue").unwrap()),
        ..ItemChange::default()
    };
    elsewhere.update(&here.edit, &id, blue, None).await.unwrap();
    assert_eq!(
        here.tag_counts().await.unwrap()[0].tag.as_str(),
        "red",
        "kept for their time to live, as before"
    );
    let changed = store.revision(&read).await.unwrap();
    assert_eq!(changed, None, "another instance's change, settling");
    assert_eq!(
        here.tag_counts().await.unwrap()[0].tag.as_str(),
        "blue",
        "the new revision dropped the kept counts"
    );
    tokio::time::sleep(settling + Duration::from_millis(200)).await;
    let now = store.revision(&read).await.unwrap();
    assert!(now.is_some() && now != settled, "{now:?} after {settled:?}");
}
