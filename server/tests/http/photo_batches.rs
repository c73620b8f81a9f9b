//! The hydrated form's way of sending photos: one request for the upload URLs of all the
//! photos picked, and one to attach those that arrived, each photo answered on its own.

use crate::common::{photo_ids, put_variant, upload_request, variants, TestServer};
use serde_json::{json, Value};

async fn new_item(s: &TestServer, name: &str) -> String {
    s.create(name, "").await["id"].as_str().unwrap().to_owned()
}

async fn grants(s: &TestServer, item: &str, requests: Vec<Value>) -> Vec<Value> {
    let body = json!({"item_id": item, "requests": requests});
    let response = s
        .call_server_fn::<app::server_fns::RequestPhotoUploads>(&body)
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// PUTs the test photo's variants where `grant` says (the page's URLs are relative to it).
async fn put_both(s: &TestServer, grant: &Value) {
    let mut grant = grant.clone();
    for name in ["display", "thumb"] {
        grant[name]["url"] = json!(s.url(grant[name]["url"].as_str().unwrap()));
    }
    let grant = &grant;
    for (name, variant) in [
        ("display", &variants().display),
        ("thumb", &variants().thumb),
    ] {
        let status = put_variant(&s.http, grant, name, variant.bytes.clone()).await;
        assert_eq!(status, 200, "{name}");
    }
}

async fn attach(s: &TestServer, item: &str, uploads: &[&str]) -> Value {
    let body = json!({"item_id": item, "upload_ids": uploads});
    let response = s
        .call_server_fn::<app::server_fns::AttachPhotos>(&body)
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn error_of(outcome: &Value) -> &str {
    outcome["Err"]
        .as_str()
        .unwrap_or_else(|| panic!("a refusal: {outcome}"))
}

#[tokio::test]
async fn photos_are_granted_and_attached_together_each_answered_on_its_own() {
    let s = TestServer::start_with(&["--max-photos-per-item", "3"]).await;
    let item = new_item(&s, "Camera").await;
    let good = upload_request(variants());
    let mut too_wide = good.clone();
    too_wide["display"]["width"] = json!(5000);
    let answers = grants(
        &s,
        &item,
        vec![good.clone(), too_wide, good.clone(), good.clone(), good],
    )
    .await;
    assert_eq!(answers.len(), 5);
    let granted: Vec<&Value> = [0, 2].iter().map(|&i| &answers[i]["Ok"]).collect();
    assert!(
        granted.iter().all(|g| g["upload_id"].is_string()),
        "{answers:?}"
    );
    assert!(error_of(&answers[1]).contains("could not be accepted"));
    // The item holds three: the first three are read, those beyond are refused unread.
    for beyond in &answers[3..] {
        assert_eq!(error_of(beyond), "An item can have at most 3 photos.");
    }
    for grant in &granted {
        put_both(&s, grant).await;
    }

    // Attached in the order given, whatever the order granted; an upload of another item is
    // refused alone.
    let other = new_item(&s, "Other").await;
    let stray = grants(&s, &other, vec![upload_request(variants())]).await;
    put_both(&s, &stray[0]["Ok"]).await;
    let upload = |grant: &Value| grant["upload_id"].as_str().unwrap().to_owned();
    let (first, second, stray) = (
        upload(granted[1]),
        upload(granted[0]),
        upload(&stray[0]["Ok"]),
    );
    let report = attach(&s, &item, &[&first, &stray, &second]).await;
    assert_eq!(report["outcomes"][0], json!({"Ok": null}), "{report}");
    assert!(error_of(&report["outcomes"][1]).contains("could not be accepted"));
    assert_eq!(report["outcomes"][2], json!({"Ok": null}), "{report}");
    let photo = |grant: &Value| grant["photo_id"].as_str().unwrap().to_owned();
    let expected = vec![photo(granted[1]), photo(granted[0])];
    assert_eq!(photo_ids(&report["item"]), expected, "the report's item");
    let stored: Value = s.get_json(&format!("/api/items/{item}")).await;
    assert_eq!(photo_ids(&stored), expected, "the stored item");
    let untouched: Value = s.get_json(&format!("/api/items/{other}")).await;
    assert_eq!(untouched["photos"], json!([]));

    // Attaching again changes nothing; the third photo would still fit.
    let again = attach(&s, &item, &[&first, &second]).await;
    assert_eq!(again["outcomes"], json!([{"Ok": null}, {"Ok": null}]));
    assert_eq!(photo_ids(&again["item"]), expected);
}

/// The new-item form uploads its photos before it creates the item, for the id the create
/// will use: granted and uploaded (real signed PUTs) for an item that does not exist yet,
/// attached once it does. The REST API's grant still answers 404 for an unknown item.
#[tokio::test]
async fn a_form_uploads_before_it_creates_its_item() {
    let s = TestServer::start().await;
    let item = uuid::Uuid::new_v4().to_string();
    let answers = grants(&s, &item, vec![upload_request(variants())]).await;
    let grant = &answers[0]["Ok"];
    put_both(&s, grant).await;

    let rest = s
        .http
        .post(s.url(&format!("/api/items/{item}/photos/uploads")))
        .json(&upload_request(variants()))
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 404, "the REST API names items that exist");

    let created = s
        .call_server_fn::<app::server_fns::CreateItem>(
            &json!({"form": {"id": item, "name": "Made after its photos", "description": ""}}),
        )
        .await;
    assert_eq!(created.status(), 200);
    let upload_id = grant["upload_id"].as_str().unwrap();
    let report = attach(&s, &item, &[upload_id]).await;
    assert_eq!(report["outcomes"], json!([{"Ok": null}]));
    let stored: Value = s.get_json(&format!("/api/items/{item}")).await;
    assert_eq!(
        photo_ids(&stored),
        vec![grant["photo_id"].as_str().unwrap().to_owned()]
    );
}
