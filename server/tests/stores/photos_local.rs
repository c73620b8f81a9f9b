//! The photo-store conformance suite against the embedded store: files under the data folder,
//! uploads through the app's own signed `/uploads` route on a real server.

use crate::common;
use crate::photo_conformance_tests;

use crate::photo_conformance::Harness;
use common::TestServer;

async fn open() -> (Harness, TestServer) {
    let server = TestServer::start().await;
    let harness = Harness {
        collection: domain::accounts::CollectionId::generate(),
        store: server.photos.files().clone(),
        items: server.items.clone(),
        base: server.base.clone(),
        http: server.http.clone(),
    };
    (harness, server)
}

photo_conformance_tests!(open());
