//! Search latency by catalogue size, and DynamoDB calls per search (`make bench-search`).
//!
//!     cargo run --release -p server --example search_bench -- [SIZE ...]
//!
//! Fills one embedded store (a SQLite file in a temporary folder) through the item store's own
//! `create`, step by step up to each size (default 1 000, 10 000, 100 000 items of generated
//! names and descriptions), and after each step times searches of five kinds: a whole word, a
//! three-letter prefix, a word with a letter left out, two words, and a word nobody has. With
//! `SHELF_TEST_MOTO_URL` set (run it inside `server/tests/with-aws-servers.sh`) it does the same
//! on DynamoDB (moto) up to 10 000 items, with fewer searches, and prints the calls each
//! search made.

use domain::access::{AnonymousAccess, Edit, Gate, Permit, Visitor};
use domain::accounts::{CollectionId, Role};
use domain::item_filter::ItemFilter;
use domain::item_store::{PageLimit, SharedItemStore};
use domain::model::{ItemDraft, ItemId, PhotoKey};
use domain::photo_store::PhotoUrls;
use domain::search::SearchQuery;
use server::store::aws::AwsCalls;
use server::store::dynamodb::DynamoStore;
use server::store::sqlite::SqliteStore;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Searches of each kind per size; moto answers a search in hundreds of milliseconds, so
/// DynamoDB gets fewer (its figure that matters is the calls).
const SEARCHES_PER_KIND: usize = 200;
const AWS_SEARCHES_PER_KIND: usize = 10;
const DEFAULT_SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const AWS_SIZES: [usize; 2] = [1_000, 10_000];

/// Words of the generated catalogue: things, materials, colours, places.
const WORDS: &[&str] = &[
    "hammer",
    "screwdriver",
    "wrench",
    "pliers",
    "drill",
    "saw",
    "chisel",
    "level",
    "tape",
    "ladder",
    "bucket",
    "brush",
    "roller",
    "sander",
    "clamp",
    "vice",
    "bench",
    "toolbox",
    "lamp",
    "kettle",
    "toaster",
    "blender",
    "mixer",
    "teapot",
    "mug",
    "plate",
    "bowl",
    "glass",
    "spoon",
    "fork",
    "knife",
    "pan",
    "skillet",
    "wok",
    "grater",
    "sieve",
    "whisk",
    "ladle",
    "chair",
    "table",
    "stool",
    "sofa",
    "cushion",
    "blanket",
    "curtain",
    "rug",
    "mirror",
    "shelf",
    "cabinet",
    "drawer",
    "wardrobe",
    "basket",
    "crate",
    "box",
    "bin",
    "hook",
    "camera",
    "lens",
    "tripod",
    "charger",
    "cable",
    "adapter",
    "speaker",
    "headphones",
    "keyboard",
    "mouse",
    "monitor",
    "laptop",
    "tablet",
    "router",
    "battery",
    "torch",
    "jacket",
    "boots",
    "scarf",
    "gloves",
    "umbrella",
    "backpack",
    "suitcase",
    "wallet",
    "book",
    "atlas",
    "notebook",
    "pencil",
    "marker",
    "stapler",
    "scissors",
    "ruler",
    "guitar",
    "violin",
    "piano",
    "drum",
    "record",
    "poster",
    "frame",
    "vase",
    "candle",
    "bicycle",
    "helmet",
    "pump",
    "tent",
    "sleeping",
    "stove",
    "compass",
    "rope",
    "anchor",
    "red",
    "blue",
    "green",
    "yellow",
    "black",
    "white",
    "brass",
    "copper",
    "steel",
    "oak",
    "walnut",
    "pine",
    "leather",
    "wool",
    "cotton",
    "linen",
    "ceramic",
    "porcelain",
    "glass",
    "vintage",
    "cordless",
    "electric",
    "manual",
    "folding",
    "heavy",
    "small",
    "large",
    "spare",
    "broken",
    "new",
    "old",
    "antique",
    "travel",
    "garden",
    "kitchen",
    "garage",
    "attic",
    "cellar",
    "office",
    "bedroom",
    "hallway",
    "shed",
    "loft",
    "porch",
    "studio",
    "café",
    "crème",
    "naïve",
    "façade",
    "jalapeño",
    "señor",
    "über",
    "smörgås",
    "déjà",
];

/// A small deterministic generator, so every run searches the same catalogue.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.next() % WORDS.len()]
    }

    fn words(&mut self, from: usize, to: usize) -> String {
        let count = from + self.next() % (to - from + 1);
        (0..count)
            .map(|_| self.word())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

struct NoUrls;

impl PhotoUrls for NoUrls {
    fn url(&self, key: &PhotoKey) -> String {
        key.to_string()
    }
}

fn permit() -> Permit<Edit> {
    let collection = CollectionId::generate();
    Gate::new(Some(AnonymousAccess {
        collection,
        role: Role::Editor,
    }))
    .edit(&Visitor::Anonymous, &collection)
    .expect("anonymous editing of the collection it names")
}

/// Creates items until the store holds `size`.
async fn fill(
    store: &SharedItemStore,
    permit: &Permit<Edit>,
    rng: &mut Lcg,
    from: usize,
    size: usize,
) {
    for _ in from..size {
        let name = rng.words(1, 3);
        let description = rng.words(4, 14);
        let draft = ItemDraft::parse(&name, &description).expect("generated text is valid");
        store
            .create(permit, ItemId::generate(), draft)
            .await
            .expect("create");
    }
}

/// The queries of one kind, generated.
fn queries(kind: &str, rng: &mut Lcg) -> Vec<String> {
    (0..SEARCHES_PER_KIND)
        .map(|_| match kind {
            "word" => rng.word().to_owned(),
            "prefix" => rng.word().chars().take(3).collect(),
            "typo" => loop {
                let word: Vec<char> = rng.word().chars().collect();
                if word.len() >= 6 {
                    let skip = 1 + rng.next() % (word.len() - 2);
                    let typo: String = word
                        .iter()
                        .enumerate()
                        .filter(|(at, _)| *at != skip)
                        .map(|(_, c)| c)
                        .collect();
                    break typo;
                }
            },
            "two words" => format!("{} {}", rng.word(), rng.word()),
            _ => "zqxjkv".to_owned(),
        })
        .collect()
}

const KINDS: [&str; 5] = ["word", "prefix", "typo", "two words", "miss"];

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[at]
}

fn ms(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

/// Times every kind of search; prints a row per kind. `calls` reports the backend calls made
/// so far (DynamoDB), if known.
async fn measure(
    label: &str,
    store: &SharedItemStore,
    permit: &Permit<Edit>,
    size: usize,
    calls: Option<&AwsCalls>,
) {
    let searches = if calls.is_some() {
        AWS_SEARCHES_PER_KIND
    } else {
        SEARCHES_PER_KIND
    };
    let mut rng = Lcg(7);
    let read = permit.read();
    for kind in KINDS {
        let mut times = Vec::with_capacity(searches);
        let mut found = 0;
        let calls_before = calls.map(|calls| calls.total("DynamoDB"));
        for raw in queries(kind, &mut rng).into_iter().take(searches) {
            let query = SearchQuery::parse(&raw).expect("valid");
            let filter = ItemFilter::new(query, &[])
                .expect("valid")
                .expect("has words");
            let started = Instant::now();
            let page = store
                .search(&read, &filter, PageLimit::DEFAULT, None)
                .await
                .expect("search");
            times.push(started.elapsed());
            found += page.items.len();
        }
        times.sort();
        let calls = match (calls, calls_before) {
            (Some(calls), Some(before)) => format!(
                "{:.1}",
                (calls.total("DynamoDB") - before) as f64 / searches as f64
            ),
            _ => "-".to_owned(),
        };
        println!(
            "| {label} | {size} | {kind} | {} | {} | {} | {:.1} | {calls} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().expect("searches ran")),
            found as f64 / searches as f64,
        );
    }
}

async fn run(label: &str, store: SharedItemStore, sizes: &[usize], calls: Option<&AwsCalls>) {
    let permit = permit();
    let mut rng = Lcg(42);
    let mut held = 0;
    for &size in sizes {
        let started = Instant::now();
        fill(&store, &permit, &mut rng, held, size).await;
        eprintln!(
            "{label}: {} items created in {:.1} s",
            size - held,
            started.elapsed().as_secs_f64()
        );
        held = size;
        measure(label, &store, &permit, size, calls).await;
    }
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|arg| arg.parse().expect("sizes are whole numbers"))
        .collect();
    let sizes = if sizes.is_empty() {
        DEFAULT_SIZES.to_vec()
    } else {
        sizes
    };
    println!(
        "Searches per kind: {SEARCHES_PER_KIND} (DynamoDB: {AWS_SEARCHES_PER_KIND}), \
         first page (50), one collection."
    );
    println!();
    println!("| store | items | query | p50 ms | p99 ms | max ms | results | calls/search |");
    println!("|---|---|---|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = SqliteStore::open(dir.path(), 8, Arc::new(NoUrls)).expect("open SQLite");
    run("embedded", Arc::new(sqlite), &sizes, None).await;

    if let Ok(url) = std::env::var("SHELF_TEST_MOTO_URL") {
        let calls = Arc::new(AwsCalls::default());
        let config = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new("bench", "bench", None, None, "bench"),
                ),
            )
            .endpoint_url(url)
            .build();
        let client = server::store::aws::dynamodb_client(&config, &calls);
        let table = format!("search-bench-{}", uuid::Uuid::new_v4().simple());
        server::store::dynamodb::table::create(&client, &table)
            .await
            .expect("table on moto");
        let store = DynamoStore::new(client, table, Arc::new(NoUrls));
        let sizes: Vec<usize> = AWS_SIZES
            .into_iter()
            .filter(|size| sizes.contains(size))
            .collect();
        run("aws (moto)", Arc::new(store), &sizes, Some(&calls)).await;
    }
}
