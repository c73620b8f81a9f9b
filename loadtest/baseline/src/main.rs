//! `list-baseline ITEMS_JSON ADDR`: serves `GET /api/items` on ADDR by serialising the items
//! of ITEMS_JSON (a page Shelf returned) from memory on every request. No store, no
//! middleware: what Shelf's list is measured against.

use axum::routing::get;
use axum::serve::ListenerExt;
use axum::{Json, Router};
use domain::model::Item;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [items, addr] = args.as_slice() else {
        eprintln!("usage: list-baseline ITEMS_JSON ADDR");
        std::process::exit(64);
    };
    let text = std::fs::read_to_string(items).expect("ITEMS_JSON is readable");
    let items: Vec<Item> = serde_json::from_str(&text).expect("ITEMS_JSON is a page of items");
    // Lives as long as the process; handlers borrow it, so nothing is copied per request.
    let items: &'static [Item] = Box::leak(items.into_boxed_slice());
    let app = Router::new().route("/api/items", get(move || async move { Json(items) }));
    let listener = tokio::net::TcpListener::bind(addr.as_str())
        .await
        .expect("ADDR is free")
        // As Shelf does: without it small responses wait for delayed ACKs.
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    axum::serve(listener, app).await.expect("serving");
}
