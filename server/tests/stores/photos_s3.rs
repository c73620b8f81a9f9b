//! The photo-store conformance suite against S3: s3s-fs on 127.0.0.1, which checks pre-signed
//! signatures, signed Content-Length and Content-Type, and expiry like S3 does; items on
//! DynamoDB (moto).

use crate::aws;
use crate::photo_conformance_tests;

use crate::photo_conformance::Harness;

async fn open() -> (Harness, ()) {
    let photos = aws::photo_store().await;
    let (items, _, _) = aws::item_store(photos.clone()).await;
    let harness = Harness {
        collection: domain::accounts::CollectionId::generate(),
        store: photos,
        items,
        base: String::new(),
        http: reqwest::Client::new(),
    };
    (harness, ())
}

photo_conformance_tests!(open());
