//! Search semantics every backend must show: the rules of `domain::search` as one table of
//! queries and the results they must give, in order.

use super::{draft, new_id};
use crate::common::scoped::InCollection;
use domain::item_store::PageLimit;
use domain::model::ItemId;

/// The catalogue the cases search, oldest first.
const CATALOGUE: [(&str, &str); 8] = [
    ("Cordless Screwdriver", "Blue case, 20 bits"),
    ("Screwdriver set", "Flat and Phillips"),
    ("Café table", "Round, marble top"),
    ("Screws M4", "Box of 200"),
    ("Hammer", "Claw hammer with a wooden handle"),
    ("Sledgehammer", "Heavy"),
    ("Table lamp", "Brass, for the café corner"),
    ("Screwdrivers rack", ""),
];

/// Query, then the names it must find, best first.
const CASES: &[(&str, &[&str])] = &[
    // Whole words in any field, newest first; a prefix match ranks below, however new.
    (
        "screwdriver",
        &[
            "Screwdriver set",
            "Cordless Screwdriver",
            "Screwdrivers rack",
        ],
    ),
    // One letter left out of a word of 5+ letters.
    ("screwdiver", &["Screwdriver set", "Cordless Screwdriver"]),
    // Two neighbours swapped, one replaced.
    ("tabel", &["Table lamp", "Café table"]),
    ("hammar", &["Hammer"]),
    // Prefixes while typing.
    (
        "scre",
        &[
            "Screwdrivers rack",
            "Screws M4",
            "Screwdriver set",
            "Cordless Screwdriver",
        ],
    ),
    ("screws", &["Screws M4"]),
    // Case and accents, both ways.
    ("cafe", &["Table lamp", "Café table"]),
    ("CAFÉ", &["Table lamp", "Café table"]),
    // The whole name first, even before newer whole-word matches.
    ("café TABLE", &["Café table", "Table lamp"]),
    // Several words: all must match, in any order, across name and description.
    ("bits blue", &["Cordless Screwdriver"]),
    ("scre set", &["Screwdriver set"]),
    ("claw hammer", &["Hammer"]),
    ("hammer lamp", &[]),
    // A word inside another is not a match; short words get no typo allowance.
    ("hammer", &["Hammer"]),
    ("crew", &[]),
    ("hamr", &[]),
    ("m4", &["Screws M4"]),
    ("200", &["Screws M4"]),
    ("xylophone", &[]),
];

async fn catalogue(store: &InCollection) -> Vec<ItemId> {
    let mut ids = Vec::new();
    for (name, description) in CATALOGUE {
        let id = new_id();
        store
            .create(id.clone(), draft(name, description))
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

async fn names(store: &InCollection, query: &str) -> Vec<String> {
    let page = store.search(query, PageLimit::DEFAULT, None).await.unwrap();
    assert_eq!(page.next, None, "{query}: one page");
    page.items.into_iter().map(|item| item.name).collect()
}

pub async fn search_follows_the_rules(store: InCollection) {
    catalogue(&store).await;
    let mut failures = Vec::new();
    for (query, want) in CASES {
        let found = names(&store, query).await;
        if found != *want {
            failures.push(format!("{query:?}: found {found:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Pages go on in the same order, across tiers, and end.
pub async fn search_pages_in_rank_order(store: InCollection) {
    catalogue(&store).await;
    let whole = names(&store, "scre").await;
    let one = PageLimit::parse("1").unwrap();
    let mut paged = Vec::new();
    let mut after = None;
    for _ in 0..=whole.len() {
        let page = store
            .search("screwdriver", one, after.as_ref())
            .await
            .unwrap();
        paged.extend(page.items.into_iter().map(|item| item.name));
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    assert_eq!(
        paged,
        [
            "Screwdriver set",
            "Cordless Screwdriver",
            "Screwdrivers rack"
        ]
    );
    assert_eq!(whole.len(), 4);
}

/// The search sees every change at once: a rename, a deletion, another collection's items.
pub async fn search_keeps_in_step_with_writes(store: InCollection) {
    let ids = catalogue(&store).await;
    let hammer = &ids[4];
    store
        .update(hammer, draft("Mallet", "Rubber head"), None)
        .await
        .unwrap();
    assert!(names(&store, "hammer").await.is_empty());
    assert_eq!(names(&store, "rubber mallet").await, ["Mallet"]);
    store.delete(hammer, None).await.unwrap();
    assert!(names(&store, "mallet").await.is_empty());
    let elsewhere = InCollection::new(store.store.clone());
    assert!(names(&elsewhere, "screwdriver").await.is_empty());
    elsewhere
        .create(new_id(), draft("Screwdriver", "Theirs"))
        .await
        .unwrap();
    assert_eq!(names(&elsewhere, "screwdriver").await, ["Screwdriver"]);
    assert_eq!(names(&store, "theirs").await, Vec::<String>::new());
}

/// A word that is also a one-letter deletion of a word indexed before it ("hamer" of
/// "hammer") is a word of its own: its own typos find it.
pub async fn search_finds_typos_of_words_that_are_typos_of_others(store: InCollection) {
    store
        .create(new_id(), draft("Hammer", "Claw"))
        .await
        .unwrap();
    store
        .create(new_id(), draft("Hamer family bible", ""))
        .await
        .unwrap();
    assert_eq!(names(&store, "hamerz").await, ["Hamer family bible"]);
}
