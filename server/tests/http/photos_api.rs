//! The photo flow over real HTTP against the real router and the embedded stores: ask for
//! upload URLs, PUT the files, attach, serve, remove, reorder, delete; and every way of
//! cheating or failing along it.

use crate::common;

use common::{
    error_fields, files_under, photo_ids, put_variant, sha256, start_upload, upload_request,
    variants, TestServer,
};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

impl TestServer {
    async fn new_item(&self) -> String {
        self.create("Camera", "").await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn start_upload(&self, item: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/api/items/{item}/photos/uploads")))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    async fn grant(&self, item: &str) -> Value {
        start_upload(&self.http, &self.base, item).await
    }

    /// A grant for uploading these files (their lengths and SHA-256) as the test photo's
    /// variants (its dimensions).
    async fn grant_for(&self, item: &str, display: &[u8], thumb: &[u8]) -> Value {
        let mut request = upload_request(variants());
        for (name, bytes) in [("display", display), ("thumb", thumb)] {
            request[name]["bytes"] = json!(bytes.len());
            request[name]["sha256"] = json!(sha256(bytes));
        }
        let response = self.start_upload(item, &request).await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// A PUT of `bytes` stating their own SHA-256: what a client that uploads these bytes
    /// sends (the URL may have been signed for others).
    async fn put(&self, url: &str, bytes: Vec<u8>, content_type: &str) -> reqwest::Response {
        self.http
            .put(url)
            .header("content-type", content_type)
            .header("x-amz-checksum-sha256", sha256(&bytes))
            .body(bytes)
            .send()
            .await
            .unwrap()
    }

    /// Uploads both variants as instructed; returns the grant.
    async fn upload_both(&self, item: &str) -> Value {
        let grant = self.grant(item).await;
        for (name, variant) in [
            ("display", &variants().display),
            ("thumb", &variants().thumb),
        ] {
            let status = put_variant(&self.http, &grant, name, variant.bytes.clone()).await;
            assert_eq!(status, 200, "{name}");
        }
        grant
    }

    async fn attach(&self, item: &str, upload_id: &str) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/api/items/{item}/photos")))
            .json(&json!({ "upload_id": upload_id }))
            .send()
            .await
            .unwrap()
    }

    /// Where an item's attached photos are: what `/media` serves.
    fn photo_folder(&self, item: &str) -> PathBuf {
        self.data_dir.path().join("photos").join(item)
    }

    /// Where an item's uploads wait to be attached.
    fn upload_folder(&self, item: &str) -> PathBuf {
        self.data_dir.path().join("uploads").join(item)
    }

    /// A variant's file: attached, else still waiting (the path it would have then).
    fn file(&self, item: &str, photo: &str, variant: &str) -> PathBuf {
        let name = format!("{variant}.jpg");
        let attached = self.photo_folder(item).join(photo).join(&name);
        if attached.exists() {
            attached
        } else {
            self.upload_folder(item).join(photo).join(name)
        }
    }

    /// No file of the item is left, attached or waiting.
    fn no_files_of(&self, item: &str) -> bool {
        !self.photo_folder(item).exists() && !self.upload_folder(item).exists()
    }
}

#[tokio::test]
async fn upload_put_attach_serve() {
    let s = TestServer::start().await;
    let item = s.new_item().await;
    let grant = s.upload_both(&item).await;
    let photo_id = grant["photo_id"].as_str().unwrap();
    assert!(grant["display"]["url"]
        .as_str()
        .unwrap()
        .starts_with(&s.base));
    assert_eq!(grant["display"]["method"], "PUT");
    assert_eq!(grant["display"]["headers"]["Content-Type"], "image/jpeg");

    // Uploaded but not attached: the item does not show it.
    let before: Value = s.get_json(&format!("/api/items/{item}")).await;
    assert_eq!(before["photos"], json!([]));

    let response = s.attach(&item, grant["upload_id"].as_str().unwrap()).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let photo: Value = response.json().await.unwrap();
    let display = &variants().display;
    assert_eq!(photo["id"], photo_id);
    assert_eq!(
        (photo["width"].as_u64(), photo["height"].as_u64()),
        (Some(display.width.into()), Some(display.height.into()))
    );
    assert_eq!(photo["bytes"], display.bytes.len());
    assert_eq!(photo["thumb_width"], variants().thumb.width);
    assert_eq!(photo["placeholder"], variants().placeholder.as_str());

    let stored: Value = s.get_json(&format!("/api/items/{item}")).await;
    assert_eq!(stored["photos"], json!([photo.clone()]));
    assert_eq!(stored["version"], 2);
    let list: Value = s.get_json("/api/items").await;
    assert_eq!(list[0]["photos"][0]["id"], photo_id);

    // Retrying the attach is harmless.
    let again = s.attach(&item, grant["upload_id"].as_str().unwrap()).await;
    assert_eq!(again.status(), 200);
    let again: Value = s.get_json(&format!("/api/items/{item}")).await;
    assert_eq!(again["photos"].as_array().unwrap().len(), 1);

    // Served as an immutable JPEG, byte for byte, for as long as its signed URL lasts.
    let url = s.url(photo["url"].as_str().unwrap());
    let response = s.http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    let cache = headers["cache-control"].to_str().unwrap();
    let max_age: u64 = cache
        .strip_prefix("private, max-age=")
        .and_then(|rest| rest.strip_suffix(", immutable"))
        .unwrap_or_else(|| panic!("{cache}"))
        .parse()
        .unwrap();
    assert!((3_000..=7_200).contains(&max_age), "{cache}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        display.bytes.as_slice()
    );
    let cached = s
        .http
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);
    let thumb = s
        .http
        .get(s.url(photo["thumb_url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        thumb.bytes().await.unwrap().as_ref(),
        variants().thumb.bytes.as_slice()
    );

    // Once attached, the upload URL cannot replace it.
    let replace = s
        .put(
            grant["display"]["url"].as_str().unwrap(),
            display.bytes.clone(),
            "image/jpeg",
        )
        .await;
    assert_eq!(replace.status(), 409);
}

/// Changes one character of the `signature` parameter.
fn tampered(url: &str) -> String {
    let (head, signature) = url.split_once("signature=").unwrap();
    let first = if signature.starts_with('A') { 'B' } else { 'A' };
    format!("{head}signature={first}{}", &signature[1..])
}

#[tokio::test]
async fn tampered_uploads_are_refused_and_store_nothing() {
    let s = TestServer::start().await;
    let item = s.new_item().await;
    let grant = s.grant(&item).await;
    let url = grant["display"]["url"].as_str().unwrap();
    let thumb_url = grant["thumb"]["url"].as_str().unwrap();
    let bytes = variants().display.bytes.clone();
    let (path_and_query, _) = (url.trim_start_matches(&s.base), ());

    let mut longer = bytes.clone();
    longer.push(0);
    let other_key = format!(
        "{}?{}",
        thumb_url.split('?').next().unwrap(),
        url.split_once('?').unwrap().1
    );
    let unsigned = url.split('?').next().unwrap().to_owned();
    let cases: Vec<(&str, String, Vec<u8>, &str, u16)> = vec![
        (
            "bad signature",
            tampered(url),
            bytes.clone(),
            "image/jpeg",
            403,
        ),
        ("no signature", unsigned, bytes.clone(), "image/jpeg", 403),
        ("other length", url.to_owned(), longer, "image/jpeg", 403),
        (
            "shorter",
            url.to_owned(),
            bytes[..100].to_vec(),
            "image/jpeg",
            403,
        ),
        (
            "other type",
            url.to_owned(),
            bytes.clone(),
            "image/png",
            403,
        ),
        (
            "key not signed",
            other_key,
            bytes.clone(),
            "image/jpeg",
            403,
        ),
        (
            "not a photo key",
            s.url("/uploads/photos/../shelf.db"),
            bytes.clone(),
            "image/jpeg",
            404,
        ),
    ];
    for (what, target, body, content_type, status) in cases {
        let response = s.put(&target, body, content_type).await;
        assert_eq!(response.status(), status, "{what}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].is_string(), "{what}: {body}");
    }

    // Expired: a URL signed with the server's own secret, a minute in the past.
    let secret = std::fs::read_to_string(s.data_dir.path().join("upload-secret")).unwrap();
    let signer = domain::photos::Signer::new(secret.trim().as_bytes()).unwrap();
    let key = domain::model::PhotoKey::parse(
        &path_and_query.split('?').next().unwrap()["/uploads/".len()..],
    )
    .unwrap();
    let expired = server::store::local_photos::signed_url(
        &signer,
        &key,
        bytes.len() as u64,
        "image/jpeg",
        &sha256(&bytes),
        SystemTime::now() - Duration::from_secs(60),
    );
    let response = s.put(&s.url(&expired), bytes.clone(), "image/jpeg").await;
    assert_eq!(response.status(), 403);
    let message: Value = response.json().await.unwrap();
    assert!(
        message["error"].as_str().unwrap().contains("expired"),
        "{message}"
    );

    // A body that ends before its Content-Length, and one with no length at all.
    let signed_checksum = sha256(&bytes);
    let short = raw_put(
        &s.base,
        path_and_query,
        &signed_checksum,
        Some(bytes.len()),
        &bytes[..bytes.len() - 10],
    )
    .await;
    assert!(short.is_none_or(|status| status == 400), "{short:?}");
    let chunked = raw_put(&s.base, path_and_query, &signed_checksum, None, &bytes).await;
    assert_eq!(chunked, Some(411));

    // Other bytes of the signed length, sent with the signed checksum: the signature holds,
    // the body's SHA-256 does not.
    let mut other_bytes = bytes.clone();
    other_bytes[bytes.len() / 2] ^= 0x55;
    let status = put_variant(&s.http, &grant, "display", other_bytes).await;
    assert_eq!(status, 400);

    assert_eq!(files_under(&s.photo_folder(&item)), Vec::<PathBuf>::new());
    assert_eq!(files_under(&s.upload_folder(&item)), Vec::<PathBuf>::new());
    assert_eq!(
        files_under(&s.data_dir.path().join("incoming")),
        Vec::<PathBuf>::new()
    );

    // The untouched URL still works afterwards.
    assert_eq!(s.put(url, bytes, "image/jpeg").await.status(), 200);

    // Once the item is deleted, an upload URL still takes its promised bytes, as S3's does
    // (a new item's form uploads before it creates the item, so "no item" is no refusal),
    // but they only wait in `uploads/`, which nothing serves, for the sweeper; and its
    // attach finds no item, and deletes them.
    let thumb = variants().thumb.bytes.clone();
    s.http
        .delete(s.url(&format!("/api/items/{item}")))
        .send()
        .await
        .unwrap();
    assert_eq!(s.put(thumb_url, thumb, "image/jpeg").await.status(), 200);
    assert_eq!(files_under(&s.photo_folder(&item)), Vec::<PathBuf>::new());
    let attach = s
        .http
        .post(s.url(&format!("/api/items/{item}/photos")))
        .json(&serde_json::json!({"upload_id": grant["upload_id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(attach.status(), 404);
    assert!(s.no_files_of(&item));
}

/// A PUT written by hand: `checksum` as its SHA-256 header, `length` as Content-Length (or
/// chunked when `None`), then `body`, then the write side is closed. Returns the status, if the server answered at all.
async fn raw_put(
    base: &str,
    path: &str,
    checksum: &str,
    length: Option<usize>,
    body: &[u8],
) -> Option<u16> {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let length_header = match length {
        Some(n) => format!("content-length: {n}\r\n"),
        None => "transfer-encoding: chunked\r\n".into(),
    };
    let head = format!(
        "PUT {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: image/jpeg\r\nx-amz-checksum-sha256: {checksum}\r\n{length_header}connection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    if length.is_some() {
        let _ = stream.write_all(body).await;
    } else {
        let _ = stream
            .write_all(format!("{:x}\r\n", body.len()).as_bytes())
            .await;
        let _ = stream.write_all(body).await;
        let _ = stream.write_all(b"\r\n0\r\n\r\n").await;
    }
    let _ = stream.shutdown().await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
}

#[tokio::test]
async fn upload_requests_are_checked() {
    let s = TestServer::start_with(&["--max-photos-per-item", "1", "--max-photo-bytes", "500000"])
        .await;
    let item = s.new_item().await;
    let good = upload_request(variants());

    let unknown = s.start_upload(&ulid_like(), &good).await;
    assert_eq!(unknown.status(), 404);

    let mut png = good.clone();
    png["thumb"]["content_type"] = json!("image/png");
    let response = s.start_upload(&item, &png).await;
    assert_eq!(response.status(), 415);
    assert!(error_fields(response).await["thumb.content_type"].is_string());

    let mut huge = good.clone();
    huge["display"]["bytes"] = json!(500_001);
    let response = s.start_upload(&item, &huge).await;
    assert_eq!(response.status(), 413);
    assert!(error_fields(response).await["display.bytes"].is_string());

    let mut odd = good.clone();
    odd["display"]["width"] = json!(1601);
    odd["placeholder"] = json!("not base64!");
    let response = s.start_upload(&item, &odd).await;
    assert_eq!(response.status(), 422);
    let fields = error_fields(response).await;
    assert!(
        fields["display.width"].is_string() && fields["placeholder"].is_string(),
        "{fields}"
    );

    let mut missing = good.clone();
    missing["thumb"].as_object_mut().unwrap().remove("bytes");
    let response = s.start_upload(&item, &missing).await;
    assert_eq!(response.status(), 422);
    assert!(error_fields(response).await["thumb"].is_string());

    // One photo allowed: the second upload request is refused, and so is a second attach.
    let first = s.upload_both(&item).await;
    let spare = s.upload_both(&item).await;
    // Two grants wait per photo the item can hold: a third is refused until one is attached
    // or its URLs expire (15 minutes), so grants cannot pile files up without bound.
    let third = s.start_upload(&item, &good).await;
    assert_eq!(third.status(), 429);
    let wait: u64 = third.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    let body: Value = third.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("waiting"),
        "{body}"
    );
    assert_eq!(
        s.attach(&item, first["upload_id"].as_str().unwrap())
            .await
            .status(),
        201
    );
    let response = s.start_upload(&item, &good).await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        s.attach(&item, spare["upload_id"].as_str().unwrap())
            .await
            .status(),
        409
    );
    // The refused photo's files are gone at once.
    let spare_id = spare["photo_id"].as_str().unwrap();
    assert!(!s.file(&item, spare_id, "display").exists());
}

fn ulid_like() -> String {
    "01ARZ3NDEKTSV4RRFFQ69G5FAV".into()
}

#[tokio::test]
async fn attach_checks_the_uploaded_files() {
    let s = TestServer::start().await;
    let item = s.new_item().await;
    let display = &variants().display;

    // Nothing uploaded.
    let grant = s.grant(&item).await;
    let upload_id = grant["upload_id"].as_str().unwrap();
    let response = s.attach(&item, upload_id).await;
    assert_eq!(response.status(), 422);
    let fields = error_fields(response).await;
    assert!(
        fields["display"].as_str().unwrap().contains("not uploaded"),
        "{fields}"
    );

    // Uploaded, but the stored file is short (damaged on disk after the upload).
    let grant = s.upload_both(&item).await;
    let path = s.file(&item, grant["photo_id"].as_str().unwrap(), "display");
    std::fs::write(&path, &display.bytes[..display.bytes.len() / 2]).unwrap();
    let response = s.attach(&item, grant["upload_id"].as_str().unwrap()).await;
    assert_eq!(response.status(), 422);
    assert!(error_fields(response).await["display"]
        .as_str()
        .unwrap()
        .contains("bytes"));

    // Files that are not what the pipeline makes, each promised honestly (its own length and
    // SHA-256) so that only the attach's check of the whole file can refuse it: a PNG, noise,
    // the real JPEG carrying EXIF with a location, the real JPEG with a page appended, and the
    // real JPEG damaged past its first 64 KiB (all the old check read).
    let with_exif = {
        let mut tagged = display.bytes[..2].to_vec();
        let payload = b"Exif\0\0GPSLatitude 51.5007N GPSLongitude 0.1246W";
        tagged.extend([0xFF, 0xE1]);
        tagged.extend(((payload.len() + 2) as u16).to_be_bytes());
        tagged.extend(payload);
        tagged.extend(&display.bytes[2..]);
        tagged
    };
    let mut polyglot = display.bytes.clone();
    polyglot.extend(b"<html><script>alert(document.cookie)</script></html>");
    assert!(
        display.bytes.len() > 100_000,
        "the test photo reaches past 64 KiB"
    );
    let mut damaged = display.bytes.clone();
    let end = damaged.len() - 2;
    for (i, byte) in damaged[70_000..end].iter_mut().enumerate() {
        *byte = [0xFF, 0xC4, 0x13, 0x00, 0x7A][i % 5];
    }
    for (what, fake, says) in [
        (
            "png",
            {
                let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
                png.resize(display.bytes.len(), 0);
                png
            },
            "JPEG",
        ),
        ("noise", vec![0x5a; display.bytes.len()], "JPEG"),
        ("exif", with_exif, "metadata (EXIF"),
        ("polyglot", polyglot, "after the end"),
        ("damaged", damaged, "not a plain JPEG"),
    ] {
        let grant = s.grant_for(&item, &fake, &variants().thumb.bytes).await;
        assert_eq!(
            s.put(
                grant["display"]["url"].as_str().unwrap(),
                fake,
                "image/jpeg"
            )
            .await
            .status(),
            200
        );
        assert_eq!(
            s.put(
                grant["thumb"]["url"].as_str().unwrap(),
                variants().thumb.bytes.clone(),
                "image/jpeg"
            )
            .await
            .status(),
            200
        );
        let response = s.attach(&item, grant["upload_id"].as_str().unwrap()).await;
        assert_eq!(response.status(), 422, "{what}");
        let message = error_fields(response).await["display"].clone();
        assert!(
            message.as_str().unwrap().contains(says),
            "{what}: {message}"
        );
    }

    // A real JPEG, but not of the promised dimensions: the thumbnail sent as the display.
    let thumb = &variants().thumb;
    let grant = s.grant_for(&item, &thumb.bytes, &thumb.bytes).await;
    for name in ["display", "thumb"] {
        assert_eq!(
            s.put(
                grant[name]["url"].as_str().unwrap(),
                thumb.bytes.clone(),
                "image/jpeg"
            )
            .await
            .status(),
            200
        );
    }
    let response = s.attach(&item, grant["upload_id"].as_str().unwrap()).await;
    assert_eq!(response.status(), 422);
    assert!(error_fields(response).await["display"]
        .as_str()
        .unwrap()
        .contains("pixels"));

    // Upload ids that are forged, or belong to another item.
    let grant = s.upload_both(&item).await;
    let upload_id = grant["upload_id"].as_str().unwrap();
    for forged in [format!("x{upload_id}"), "nonsense".into(), String::new()] {
        let response = s.attach(&item, &forged).await;
        assert_eq!(response.status(), 422);
        assert!(error_fields(response).await["upload_id"].is_string());
    }
    let other = s.new_item().await;
    let response = s.attach(&other, upload_id).await;
    assert_eq!(response.status(), 422);
    assert!(error_fields(response).await["upload_id"]
        .as_str()
        .unwrap()
        .contains("another item"));

    // None of it reached the item.
    let stored: Value = s.get_json(&format!("/api/items/{item}")).await;
    assert_eq!(
        (stored["photos"].clone(), stored["version"].clone()),
        (json!([]), json!(1))
    );
}

#[tokio::test]
async fn photos_are_removed_reordered_and_deleted_with_their_item() {
    let s = TestServer::start().await;
    let item = s.new_item().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let grant = s.upload_both(&item).await;
        assert_eq!(
            s.attach(&item, grant["upload_id"].as_str().unwrap())
                .await
                .status(),
            201
        );
        ids.push(grant["photo_id"].as_str().unwrap().to_owned());
    }
    let order_url = s.url(&format!("/api/items/{item}/photos/order"));
    let reversed: Vec<&String> = ids.iter().rev().collect();
    let response = s
        .http
        .put(&order_url)
        .header("if-match", "\"4\"")
        .json(&json!({"order": reversed}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let reordered: Value = response.json().await.unwrap();
    assert_eq!(
        photo_ids(&reordered),
        [ids[2].clone(), ids[1].clone(), ids[0].clone()]
    );

    let stale = s
        .http
        .put(&order_url)
        .header("if-match", "\"4\"")
        .json(&json!({"order": ids}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let partial = s
        .http
        .put(&order_url)
        .json(&json!({"order": [&ids[0]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status(), 422);
    assert!(error_fields(partial).await["order"].is_string());

    let photo_url = |id: &str| s.url(&format!("/api/items/{item}/photos/{id}"));
    assert!(s.file(&item, &ids[1], "display").exists());
    let removed = s.http.delete(photo_url(&ids[1])).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    assert!(!s.file(&item, &ids[1], "display").exists());
    assert!(!s.file(&item, &ids[1], "thumb").exists());
    assert_eq!(
        s.http
            .delete(photo_url(&ids[1]))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        s.http
            .delete(photo_url("not-a-photo"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let stored: Value = s.get_json(&format!("/api/items/{item}")).await;
    assert_eq!(photo_ids(&stored), [ids[2].clone(), ids[0].clone()]);

    assert_eq!(files_under(&s.photo_folder(&item)).len(), 4);
    let deleted = s
        .http
        .delete(s.url(&format!("/api/items/{item}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(s.no_files_of(&item), "the item's photo files go with it");
}

#[tokio::test]
async fn the_sweeper_deletes_only_old_unattached_uploads() {
    let s = TestServer::start().await;
    let item = s.new_item().await;
    let attached = s.upload_both(&item).await;
    assert_eq!(
        s.attach(&item, attached["upload_id"].as_str().unwrap())
            .await
            .status(),
        201
    );
    let abandoned = s.upload_both(&item).await;
    let fresh = s.upload_both(&item).await;
    let id = |grant: &Value| grant["photo_id"].as_str().unwrap().to_owned();

    let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 24 * 60 * 60);
    for grant in [&attached, &abandoned] {
        for variant in ["display", "thumb"] {
            let file = std::fs::File::options()
                .write(true)
                .open(s.file(&item, &id(grant), variant))
                .unwrap();
            file.set_modified(two_days_ago).unwrap();
        }
    }
    let report = s
        .photos
        .sweep(Duration::from_secs(24 * 60 * 60))
        .await
        .unwrap();
    assert_eq!((report.examined, report.deleted), (2, 1));
    assert!(s.file(&item, &id(&attached), "display").exists());
    assert!(!s.file(&item, &id(&abandoned), "display").exists());
    assert!(s.file(&item, &id(&fresh), "display").exists());
    // The fresh upload can still be attached.
    assert_eq!(
        s.attach(&item, fresh["upload_id"].as_str().unwrap())
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn concurrent_attach_and_delete_leave_nothing_behind() {
    let s = std::sync::Arc::new(TestServer::start().await);
    for _ in 0..8 {
        let item = s.new_item().await;
        let grant = s.upload_both(&item).await;
        let upload_id = grant["upload_id"].as_str().unwrap().to_owned();
        let (attach, delete) = tokio::join!(
            s.attach(&item, &upload_id),
            s.http.delete(s.url(&format!("/api/items/{item}"))).send()
        );
        assert!(
            [201, 404].contains(&attach.status().as_u16()),
            "{}",
            attach.status()
        );
        assert_eq!(delete.unwrap().status(), 204);
        assert!(s.no_files_of(&item), "files of a deleted item remain");
    }
}

#[tokio::test]
async fn media_serves_nothing_outside_the_photo_folder() {
    let s = TestServer::start().await;
    let item = s.new_item().await;
    let grant = s.upload_both(&item).await;
    let photo = grant["photo_id"].as_str().unwrap();
    for path in [
        "/media/shelf.db".to_owned(),
        "/media/upload-secret".to_owned(),
        "/media/photos/../shelf.db".to_owned(),
        "/media/photos/%2e%2e/shelf.db".to_owned(),
        "/media/photos/..%2fupload-secret".to_owned(),
        format!("/media/photos/{item}/{photo}/..%2f..%2f..%2fupload-secret"),
        format!("/media/photos/{item}/{photo}/display.jpg%00.txt"),
        format!("/media/photos/{}/{photo}/display.jpg", item.to_uppercase()),
        format!("/media/photos/{item}/{photo}"),
    ] {
        let response = s.http.get(s.url(&path)).send().await.unwrap();
        assert!(
            [400, 404].contains(&response.status().as_u16()),
            "{path}: {}",
            response.status()
        );
    }
    let attached = s.attach(&item, grant["upload_id"].as_str().unwrap()).await;
    let signed = attached.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let ok = s.http.get(s.url(&signed)).send().await.unwrap();
    assert_eq!(ok.status(), 200);

    // Knowing a photo's key is not enough: its URL must be the one the server signed.
    let bare = format!("/media/photos/{item}/{photo}/display.jpg");
    let query = signed.split_once('?').unwrap().1;
    let signature = query
        .split('&')
        .find(|p| p.starts_with("signature="))
        .unwrap();
    let expires: u64 = query
        .split('&')
        .find_map(|p| p.strip_prefix("expires="))
        .unwrap()
        .parse()
        .unwrap();
    let thumb = format!("/media/photos/{item}/{photo}/thumb.jpg?expires={expires}&{signature}");
    for path in [
        bare.clone(),
        format!("{bare}?expires={expires}"),
        format!("{bare}?expires={}&{signature}", expires + 3600),
        format!("{bare}?expires=1&signature=AAAA"),
        thumb,
    ] {
        let response = s.http.get(s.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 403, "{path}");
    }
}

/// Below the disk-space floor, photos are refused with 507 before a byte is written, and
/// everything else goes on: items are made and edited, the instance stays ready.
#[tokio::test]
async fn below_the_disk_space_floor_photos_get_507_and_nothing_else_breaks() {
    // A floor no disk clears.
    let s = TestServer::start_with(&["--min-free-disk-bytes", &u64::MAX.to_string()]).await;
    let item = s.new_item().await;

    let grant = s.start_upload(&item, &upload_request(variants())).await;
    assert_eq!(grant.status(), 507);
    let body: Value = grant.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("no room"),
        "{body}"
    );

    // An upload URL signed before the disk filled up: refused too, nothing stored.
    let secret = std::fs::read_to_string(s.data_dir.path().join("upload-secret")).unwrap();
    let signer = domain::photos::Signer::new(secret.trim().as_bytes()).unwrap();
    let key = domain::model::PhotoKey::new(
        &domain::model::ItemId::parse(&item).unwrap(),
        &domain::model::PhotoId::generate(),
        domain::model::Variant::Display,
    );
    let bytes = variants().display.bytes.clone();
    let url = server::store::local_photos::signed_url(
        &signer,
        &key,
        bytes.len() as u64,
        "image/jpeg",
        &sha256(&bytes),
        SystemTime::now() + Duration::from_secs(60),
    );
    let put = s.put(&s.url(&url), bytes, "image/jpeg").await;
    assert_eq!(put.status(), 507);
    assert!(s.no_files_of(&item));

    let renamed = s
        .http
        .put(s.url(&format!("/api/items/{item}")))
        .json(&json!({"name": "Camera, boxed", "description": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    assert_eq!(s.create("Tripod", "").await["name"], "Tripod");
    let ready = s.http.get(s.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
}
