//! Photos without JavaScript: the item form posted as multipart with the original files, the
//! server shrinking them with `imaging`, and the edit page's photo buttons as plain posts. Also
//! the photo markup the pages render.

use crate::common;

use common::{photo_ids, testdata, TestServer};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

fn form(fields: &[(&str, &str)], photos: &[(&str, Vec<u8>)]) -> Form {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for (file_name, bytes) in photos {
        form = form.part(
            "photos",
            Part::bytes(bytes.clone()).file_name(file_name.to_string()),
        );
    }
    form
}

impl TestServer {
    async fn post_multipart(&self, path: &str, form: Form) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    async fn item(&self, id: &str) -> Value {
        self.get_json(&format!("/api/items/{id}")).await
    }
}

fn item_id_from(response: &reqwest::Response) -> String {
    let location = response.headers()["location"].to_str().unwrap();
    location.strip_prefix("/items/").unwrap().to_owned()
}

#[tokio::test]
async fn a_plain_multipart_post_creates_an_item_with_its_photos_shrunk_upright_and_clean() {
    let s = TestServer::start().await;
    let original = testdata("exif-orientation/Landscape_6.jpg");
    let phone = testdata("phones/nokia83_gps.jpg");
    let response = s
        .post_multipart(
            "/items/new",
            form(
                &[("id", ""), ("name", "Bike"), ("description", "Blue")],
                &[
                    ("Landscape_6.jpg", original.clone()),
                    ("nokia.jpg", phone.clone()),
                ],
            ),
        )
        .await;
    assert_eq!(response.status(), 303);
    let id = item_id_from(&response);
    let item = s.item(&id).await;
    let photos = item["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 2);
    // Orientation 6 stored sideways: upright it is landscape.
    assert!(
        photos[0]["width"].as_u64() > photos[0]["height"].as_u64(),
        "{}",
        photos[0]
    );
    // Stored 1200 × 1800 and turned: 1800 × 1200, fitted into 1600.
    assert_eq!(
        (&photos[0]["width"], &photos[0]["height"]),
        (&1600.into(), &1067.into())
    );
    for photo in photos {
        assert!(
            photo["width"]
                .as_u64()
                .unwrap()
                .max(photo["height"].as_u64().unwrap())
                <= 1600
        );
        let bytes = s
            .http
            .get(s.url(photo["url"].as_str().unwrap()))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(bytes.len() as u64, photo["bytes"].as_u64().unwrap());
        assert_eq!(&bytes[..2], b"\xff\xd8");
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "metadata (GPS) must not survive"
        );
    }
    let phone_bytes = photos[1]["bytes"].as_u64().unwrap();
    assert!(
        phone_bytes * 10 < phone.len() as u64,
        "{phone_bytes} of {}",
        phone.len()
    );
}

#[tokio::test]
async fn a_refused_file_is_named_and_nothing_is_saved() {
    let s = TestServer::start().await;
    let response = s
        .post_multipart(
            "/items/new",
            form(
                &[("id", ""), ("name", "Phone"), ("description", "")],
                &[
                    ("ok.jpg", testdata("exif-orientation/Portrait_3.jpg")),
                    ("IMG_0001.HEIC", testdata("phones/iphone13promax.heic")),
                ],
            ),
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("IMG_0001.HEIC: This is an HEIC photo"),
        "{page}"
    );
    assert!(page.contains("value=\"Phone\""), "the typed name stays");
    let list: Value = s.get_json("/api/items").await;
    assert_eq!(list, serde_json::json!([]));
    let photos = s.data_dir.path().join("photos");
    assert_eq!(std::fs::read_dir(photos).unwrap().count(), 0);

    // Bad text with photos: the text errors, and a word about the photos.
    let response = s
        .post_multipart(
            "/items/new",
            form(
                &[("name", "  ")],
                &[("ok.jpg", testdata("exif-orientation/Portrait_3.jpg"))],
            ),
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Pick the photos again"), "{page}");
}

#[tokio::test]
async fn editing_adds_photos_within_the_limit_and_the_buttons_work_without_javascript() {
    let s = TestServer::start_with(&["--max-photos-per-item", "2"]).await;
    let item = s.create("Lamp", "").await;
    let id = item["id"].as_str().unwrap();
    let edit = format!("/items/{id}/edit");
    let photo = testdata("exif-orientation/Portrait_3.jpg");
    let response = s
        .post_multipart(
            &edit,
            form(
                &[("version", "1"), ("name", "Lamp"), ("description", "")],
                &[("a.jpg", photo.clone()), ("b.jpg", photo.clone())],
            ),
        )
        .await;
    assert_eq!(response.status(), 303);
    let item = s.item(id).await;
    assert_eq!(item["photos"].as_array().unwrap().len(), 2);
    let version = item["version"].as_u64().unwrap().to_string();

    let response = s
        .post_multipart(
            &edit,
            form(
                &[("version", &version), ("name", "Lamp"), ("description", "")],
                &[("c.jpg", photo.clone())],
            ),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("at most 2 photos"));

    // The edit page lists the photos with their buttons as forms.
    let page = s
        .http
        .get(s.url(&edit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ids = photo_ids(&item);
    assert!(
        page.contains(&format!("action=\"/items/{id}/photos/{}/cover\"", ids[1])),
        "{page}"
    );
    assert!(page.contains("enctype=\"multipart/form-data\""));

    let cover = s
        .http
        .post(s.url(&format!("/items/{id}/photos/{}/cover", ids[1])))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            cover.status().as_u16(),
            cover.headers()["location"].to_str().unwrap()
        ),
        (303, edit.as_str())
    );
    assert_eq!(
        photo_ids(&s.item(id).await),
        [ids[1].clone(), ids[0].clone()]
    );

    let removed = s
        .http
        .post(s.url(&format!("/items/{id}/photos/{}/remove", ids[1])))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 303);
    let left = s.item(id).await;
    assert_eq!(left["photos"].as_array().unwrap().len(), 1);
    assert!(!s
        .data_dir
        .path()
        .join("photos")
        .join(id)
        .join(&ids[1])
        .exists());

    let bad = s
        .http
        .post(s.url(&format!("/items/{id}/photos/{}/explode", ids[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 404);
}

#[tokio::test]
async fn pages_render_photos_with_sizes_srcset_alt_and_placeholders() {
    let s = TestServer::start().await;
    let photo = testdata("exif-orientation/Portrait_3.jpg");
    let response = s
        .post_multipart(
            "/items/new",
            form(
                &[("name", "Chair & co")],
                &[("a.jpg", photo.clone()), ("b.jpg", photo)],
            ),
        )
        .await;
    let id = item_id_from(&response);
    let item = s.item(&id).await;
    let first = &item["photos"][0];
    let page = s
        .http
        .get(s.url(&format!("/items/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The signed URLs' queries, as HTML attributes escape them.
    let in_html = |url: &Value| url.as_str().unwrap().replace('&', "&amp;");
    let srcset = format!(
        "srcset=\"{} {}w, {} {}w\"",
        in_html(&first["thumb_url"]),
        first["thumb_width"],
        in_html(&first["url"]),
        first["width"]
    );
    assert!(page.contains(&srcset), "{page}");
    assert!(page.contains(&format!(
        "width=\"{}\" height=\"{}\"",
        first["width"], first["height"]
    )));
    assert!(page.contains("alt=\"Chair &amp; co, photo 1 of 2\""));
    assert!(page.contains("alt=\"Chair &amp; co, photo 2 of 2\""));
    assert!(page.contains("loading=\"eager\"") && page.contains("loading=\"lazy\""));
    // The first photo is the page's largest paint: fetched first, and only it.
    assert_eq!(page.matches("fetchpriority=\"high\"").count(), 1, "{page}");
    assert!(
        page.find("fetchpriority=\"high\"") < page.find("loading=\"lazy\""),
        "the first photo has the priority"
    );
    assert!(page.contains("background-image:url(data:image/bmp;base64,"));

    let list = s
        .http
        .get(s.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("alt=\"Chair &amp; co, cover photo\""),
        "{list}"
    );
    // In an attribute, as HTML writes a URL's `&`.
    let thumb_url = first["thumb_url"].as_str().unwrap().replace('&', "&amp;");
    assert!(list.contains(&thumb_url), "{list}");
    assert_eq!(list.matches("fetchpriority=\"high\"").count(), 1, "{list}");
}

#[tokio::test]
async fn form_posts_beyond_the_concurrency_limit_wait_their_turn() {
    // One worker: two posts may be read at once, the others queue, and all complete.
    let s = TestServer::start_with(&["--photo-workers", "1"]).await;
    let photo = testdata("exif-orientation/Portrait_3.jpg");
    let posts = (0..5).map(|n| {
        let name = format!("Queued {n}");
        s.post_multipart(
            "/items/new",
            form(&[("name", &name)], &[("p.jpg", photo.clone())]),
        )
    });
    for response in futures::future::join_all(posts).await {
        assert_eq!(response.status(), 303);
    }
    let list: Value = s.get_json("/api/items").await;
    let with_photo = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["photos"].as_array().unwrap().len() == 1)
        .count();
    assert_eq!(with_photo, 5);
}
