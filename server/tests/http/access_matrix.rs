//! The whole access matrix on a closed Shelf: every kind of visitor (anonymous, a viewer, an
//! editor and an owner of the collection, and an outsider who owns another collection) tries
//! every operation at every entry point that offers it (page, plain form post, server
//! function, REST, upload grant and attach, media), and each answer is classified: allowed,
//! sign in first, forbidden, or not found. One table says what each visitor must get.

use crate::common::{put_variant, start_upload, variants, TestServer};
use crate::sign_in::{form_token, location, session_cookie, set_up, PASSWORD};
use domain::accounts::CollectionId;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Allowed,
    SignIn,
    Forbidden,
    NotFound,
}
use Outcome::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Viewer,
    Editor,
    Owner,
    Outsider,
}
use Who::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    ListPage,
    ItemPage,
    EditPage,
    ListRest,
    GetRest,
    ListServerFn,
    GetServerFn,
    CreateForm,
    CreateRest,
    CreateServerFn,
    UpdateForm,
    UpdateRest,
    UpdateServerFn,
    DeleteForm,
    DeleteRest,
    DeleteServerFn,
    GrantRest,
    GrantServerFn,
    AttachRest,
    AttachServerFn,
    PhotoForm,
    InviteForm,
    MembersPage,
    MediaByKey,
    MediaSigned,
    SearchPage,
    SearchRest,
    SearchServerFn,
    TagsRest,
    TagsServerFn,
    RenameTagRest,
    TagsPage,
    RenameTagForm,
    LocationsRest,
    CreateLocationRest,
    LocationsPage,
    AddLocationForm,
    BulkPage,
    BulkForm,
    BulkRest,
    BulkServerFn,
}

const OPS: [Op; 41] = [
    Op::ListPage,
    Op::ItemPage,
    Op::EditPage,
    Op::ListRest,
    Op::GetRest,
    Op::ListServerFn,
    Op::GetServerFn,
    Op::CreateForm,
    Op::CreateRest,
    Op::CreateServerFn,
    Op::UpdateForm,
    Op::UpdateRest,
    Op::UpdateServerFn,
    Op::DeleteForm,
    Op::DeleteRest,
    Op::DeleteServerFn,
    Op::GrantRest,
    Op::GrantServerFn,
    Op::AttachRest,
    Op::AttachServerFn,
    Op::PhotoForm,
    Op::InviteForm,
    Op::MembersPage,
    Op::MediaByKey,
    Op::MediaSigned,
    Op::SearchPage,
    Op::SearchRest,
    Op::SearchServerFn,
    Op::TagsRest,
    Op::TagsServerFn,
    Op::RenameTagRest,
    Op::TagsPage,
    Op::RenameTagForm,
    Op::LocationsRest,
    Op::CreateLocationRest,
    Op::LocationsPage,
    Op::AddLocationForm,
    Op::BulkPage,
    Op::BulkForm,
    Op::BulkRest,
    Op::BulkServerFn,
];

/// What `who` must get for `op`.
fn expected(op: Op, who: Who) -> Outcome {
    let read = matches!(
        op,
        Op::ListPage
            | Op::ItemPage
            | Op::ListRest
            | Op::GetRest
            | Op::ListServerFn
            | Op::GetServerFn
            | Op::MembersPage
            | Op::SearchPage
            | Op::SearchRest
            | Op::SearchServerFn
            | Op::TagsRest
            | Op::TagsServerFn
            | Op::TagsPage
            | Op::LocationsRest
            | Op::LocationsPage
    );
    match (op, who) {
        // A photo's bytes are behind its signed URL (a capability the reading entry points
        // hand out), never behind its key alone.
        (Op::MediaByKey, _) => Forbidden,
        (Op::MediaSigned, _) => Allowed,
        (_, Anonymous) => SignIn,
        (_, Outsider) => NotFound,
        (Op::InviteForm, Owner) => Allowed,
        (Op::InviteForm, _) => Forbidden,
        (_, Viewer) if !read => Forbidden,
        _ => Allowed,
    }
}

struct World {
    s: TestServer,
    /// `/c/{home}`: the collection everyone but the outsider is in.
    home: String,
    home_id: String,
    owner: String,
}

struct Visitor {
    who: Who,
    cookie: Option<String>,
    token: Option<String>,
}

impl Visitor {
    fn get(&self, w: &World, path: &str) -> reqwest::RequestBuilder {
        self.with_cookie(w.s.http.get(w.s.url(path)))
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(cookie) => request.header("cookie", cookie),
            None => request,
        }
    }

    /// A plain form post to a page route, with the form token a page's form carries.
    fn form(&self, w: &World, path: &str, form: &[(&str, &str)]) -> reqwest::RequestBuilder {
        let path = match &self.token {
            Some(token) => format!("{path}?form_token={token}"),
            None => path.to_owned(),
        };
        self.with_cookie(w.s.http.post(w.s.url(&path))).form(form)
    }

    fn server_fn<F: ServerFn>(&self, w: &World, form: &[(&str, &str)]) -> reqwest::RequestBuilder {
        self.with_cookie(w.s.http.post(w.s.url(F::PATH))).form(form)
    }

    fn rest(&self, w: &World, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.with_cookie(w.s.http.request(method, w.s.url(path)))
    }
}

/// A location of the home collection, made by its owner; its id.
async fn owner_location(w: &World, name: &str) -> String {
    let created =
        w.s.http
            .post(w.s.url("/api/locations"))
            .header("cookie", &w.owner)
            .json(&json!({"name": name}))
            .send()
            .await
            .unwrap();
    assert_eq!(created.status(), 201);
    let location: Value = created.json().await.unwrap();
    location["id"].as_str().unwrap().to_owned()
}

/// Whether the owner's item `id` has had its tag renamed.
/// The target's tags now.
async fn target_tags(w: &World, id: &str) -> Value {
    let item: Value =
        w.s.http
            .get(w.s.url(&format!("/api/items/{id}")))
            .header("cookie", &w.owner)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    item["tags"].clone()
}

/// An item of the home collection, made by its owner over REST, tagged "Targeted".
async fn owner_item(w: &World, name: &str) -> Value {
    let created =
        w.s.http
            .post(w.s.url("/api/items"))
            .header("cookie", &w.owner)
            .json(&json!({"name": name, "tags": ["Targeted"]}))
            .send()
            .await
            .unwrap();
    assert_eq!(created.status(), 201);
    created.json().await.unwrap()
}

/// An upload of the test photo to `item`, granted to and made by the owner: what an attach
/// needs.
async fn owner_upload(w: &World, item: &str) -> String {
    let owner = owner_client(&w.owner);
    let grant = start_upload(&owner, &w.s.base, item).await;
    for (name, variant) in [
        ("display", &variants().display),
        ("thumb", &variants().thumb),
    ] {
        assert_eq!(
            put_variant(&owner, &grant, name, variant.bytes.clone()).await,
            200
        );
    }
    grant["upload_id"].as_str().unwrap().to_owned()
}

/// A photo attached to `item` by the owner.
async fn owner_photo(w: &World, item: &str) -> Value {
    let upload = owner_upload(w, item).await;
    let attached = owner_client(&w.owner)
        .post(w.s.url(&format!("/api/items/{item}/photos")))
        .json(&json!({"upload_id": upload}))
        .send()
        .await
        .unwrap();
    assert_eq!(attached.status(), 201);
    attached.json().await.unwrap()
}

fn owner_client(cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Whether the item the owner can see in the home collection has this id (a create that
/// landed elsewhere did not create it here).
async fn in_home(w: &World, id: &str) -> bool {
    let found =
        w.s.http
            .get(w.s.url(&format!("/api/items/{id}")))
            .header("cookie", &w.owner)
            .send()
            .await
            .unwrap();
    found.status() == StatusCode::OK
}

fn classify(response: &reqwest::Response) -> Outcome {
    match response.status().as_u16() {
        200..=299 => Allowed,
        303 if location(response).starts_with("/sign-in") => SignIn,
        300..=399 => Allowed,
        401 => SignIn,
        403 => Forbidden,
        404 => NotFound,
        other => panic!("{}: unexpected {other}", response.url()),
    }
}

async fn attempt(w: &World, v: &Visitor, op: Op) -> Outcome {
    use reqwest::Method;
    let home = &w.home;
    let home_id = w.home_id.as_str();
    let target = owner_item(w, "Target").await;
    let id = target["id"].as_str().unwrap();
    let version = target["version"].to_string();
    let fresh = uuid::Uuid::new_v4().to_string();
    let response = match op {
        Op::ListPage => v.get(w, home).send().await,
        Op::ItemPage => v.get(w, &format!("{home}/items/{id}")).send().await,
        Op::EditPage => v.get(w, &format!("{home}/items/{id}/edit")).send().await,
        Op::MembersPage => v.get(w, &format!("{home}/members")).send().await,
        Op::SearchPage => v.get(w, &format!("{home}?q=target")).send().await,
        Op::TagsPage => v.get(w, &format!("{home}/tags")).send().await,
        Op::LocationsPage => v.get(w, &format!("{home}/locations")).send().await,
        Op::AddLocationForm => {
            let form = [("id", fresh.as_str()), ("name", "Form place")];
            v.form(w, &format!("{home}/locations/new"), &form)
                .send()
                .await
        }
        Op::BulkPage => {
            let path = format!("{home}/bulk?action=tag&item={id}.{version}");
            v.get(w, &path).send().await
        }
        Op::BulkForm | Op::BulkRest => {
            let pick = format!("{id}.{version}");
            let response = match op {
                Op::BulkForm => {
                    let form = [
                        ("action", "untag"),
                        ("item", pick.as_str()),
                        ("remove", "Targeted"),
                    ];
                    v.form(w, &format!("{home}/bulk"), &form).send().await
                }
                _ => {
                    let body = json!({"items": [pick], "action": "tag",
                                      "add_tags": ["Bulked"], "remove_tags": ["Targeted"]});
                    v.rest(w, Method::POST, "/api/items/bulk")
                        .json(&body)
                        .send()
                        .await
                }
            }
            .unwrap();
            // REST changes the visitor's own collection, where the target is not; either way
            // an answer that allowed it must have changed it.
            let wanted = if op == Op::BulkForm {
                json!([])
            } else {
                json!(["Bulked"])
            };
            return match classify(&response) {
                Allowed if target_tags(w, id).await != wanted => NotFound,
                other => other,
            };
        }
        Op::BulkServerFn => {
            let pick = format!("{id}.{version}");
            let form = [("collection", home_id), ("picks", &pick), ("all", "false")];
            v.server_fn::<app::server_fns::BulkSelection>(w, &form)
                .send()
                .await
        }
        Op::RenameTagForm => {
            let form = [("from", "Targeted"), ("to", "Renamed")];
            v.form(w, &format!("{home}/tags/rename"), &form)
                .send()
                .await
        }
        Op::ListRest | Op::SearchRest => {
            // The target is the newest "Target", so the first page of the search has it.
            let path = match op {
                Op::SearchRest => "/api/items?q=target",
                _ => "/api/items",
            };
            let response = v.rest(w, Method::GET, path).send().await.unwrap();
            // The REST API lists the visitor's own collection: the target is in it or not.
            return match classify(&response) {
                Allowed => {
                    let list: Value = response.json().await.unwrap();
                    let ids: Vec<_> = list
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|i| i["id"].clone())
                        .collect();
                    if ids.contains(&json!(id)) {
                        Allowed
                    } else {
                        NotFound
                    }
                }
                other => other,
            };
        }
        Op::GetRest => {
            v.rest(w, Method::GET, &format!("/api/items/{id}"))
                .send()
                .await
        }
        Op::ListServerFn => {
            v.server_fn::<app::server_fns::ListItems>(w, &[("collection", home_id)])
                .send()
                .await
        }
        Op::SearchServerFn => {
            let form = [("collection", home_id), ("search", "target")];
            v.server_fn::<app::server_fns::ListItems>(w, &form)
                .send()
                .await
        }
        Op::TagsRest | Op::TagsServerFn => {
            let response = match op {
                Op::TagsRest => v.rest(w, Method::GET, "/api/tags").send().await.unwrap(),
                _ => v
                    .server_fn::<app::server_fns::ListTags>(w, &[("collection", home_id)])
                    .send()
                    .await
                    .unwrap(),
            };
            // The target's tag is in the home collection's list, or the list is another's.
            return match classify(&response) {
                Allowed if !response.text().await.unwrap().contains("Targeted") => NotFound,
                other => other,
            };
        }
        Op::LocationsRest => {
            let place = owner_location(w, "Home place").await;
            let response = v
                .rest(w, Method::GET, "/api/locations")
                .send()
                .await
                .unwrap();
            // The list is the visitor's own collection's: the home place is in it or not.
            return match classify(&response) {
                Allowed if !response.text().await.unwrap().contains(&place) => NotFound,
                other => other,
            };
        }
        Op::CreateLocationRest => {
            let body = json!({"id": fresh, "name": "New place"});
            let response = v
                .rest(w, Method::POST, "/api/locations")
                .json(&body)
                .send()
                .await
                .unwrap();
            let in_home =
                w.s.http
                    .get(w.s.url(&format!("/api/locations/{fresh}")))
                    .header("cookie", &w.owner)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    == StatusCode::OK;
            return match classify(&response) {
                Allowed if !in_home => NotFound,
                other => other,
            };
        }
        Op::RenameTagRest => {
            let body = json!({"from": "Targeted", "to": "Renamed"});
            let response = v
                .rest(w, Method::POST, "/api/tags/rename")
                .json(&body)
                .send()
                .await
                .unwrap();
            // A rename in the visitor's own collection changes nothing here.
            return match classify(&response) {
                Allowed if target_tags(w, id).await != json!(["Renamed"]) => NotFound,
                other => other,
            };
        }
        Op::GetServerFn => {
            let response = v
                .server_fn::<app::server_fns::GetItem>(w, &[("collection", home_id), ("id", id)])
                .send()
                .await
                .unwrap();
            return match classify(&response) {
                Allowed if response.text().await.unwrap() == "null" => NotFound,
                other => other,
            };
        }
        Op::CreateForm | Op::CreateRest | Op::CreateServerFn => {
            let response = match op {
                Op::CreateForm => {
                    let form = [("id", fresh.as_str()), ("name", "New"), ("description", "")];
                    v.form(w, &format!("{home}/items/new"), &form).send().await
                }
                Op::CreateRest => {
                    let body = json!({"id": fresh, "name": "New"});
                    v.rest(w, Method::POST, "/api/items")
                        .json(&body)
                        .send()
                        .await
                }
                _ => {
                    let form = [
                        ("collection", home_id),
                        ("form[id]", &fresh),
                        ("form[name]", "New"),
                        ("form[description]", ""),
                    ];
                    v.server_fn::<app::server_fns::CreateItem>(w, &form)
                        .send()
                        .await
                }
            }
            .unwrap();
            // Created, but not in the home collection (the outsider's REST create goes to
            // their own): not allowed here.
            return match classify(&response) {
                Allowed if !in_home(w, &fresh).await => NotFound,
                other => other,
            };
        }
        Op::UpdateForm => {
            let form = [
                ("version", version.as_str()),
                ("name", "Changed"),
                ("description", ""),
            ];
            v.form(w, &format!("{home}/items/{id}/edit"), &form)
                .send()
                .await
        }
        Op::UpdateRest => {
            let body = json!({"name": "Changed"});
            v.rest(w, Method::PUT, &format!("/api/items/{id}"))
                .json(&body)
                .send()
                .await
        }
        Op::UpdateServerFn => {
            let form = [
                ("collection", home_id),
                ("id", id),
                ("form[version]", &version),
                ("form[name]", "Changed"),
                ("form[description]", ""),
            ];
            v.server_fn::<app::server_fns::UpdateItem>(w, &form)
                .send()
                .await
        }
        Op::DeleteForm => {
            v.form(w, &format!("{home}/items/{id}/delete"), &[])
                .send()
                .await
        }
        Op::DeleteRest => {
            v.rest(w, Method::DELETE, &format!("/api/items/{id}"))
                .send()
                .await
        }
        Op::DeleteServerFn => {
            let response = v
                .server_fn::<app::server_fns::DeleteItem>(w, &[("collection", home_id), ("id", id)])
                .send()
                .await
                .unwrap();
            return match classify(&response) {
                Allowed if in_home(w, id).await => NotFound,
                other => other,
            };
        }
        Op::GrantRest => {
            let body = crate::common::upload_request(variants());
            v.rest(w, Method::POST, &format!("/api/items/{id}/photos/uploads"))
                .json(&body)
                .send()
                .await
        }
        Op::GrantServerFn => {
            let request = crate::common::upload_request(variants());
            let body = json!({"collection": home_id, "item_id": id, "requests": [request]});
            let path = app::server_fns::RequestPhotoUploads::PATH;
            let response = v
                .with_cookie(w.s.http.post(w.s.url(path)))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_qs::to_string(&body).unwrap())
                .send()
                .await
                .unwrap();
            // Allowed means the photo was granted its upload URLs.
            return match classify(&response) {
                Allowed => {
                    let grants: Value = response.json().await.unwrap();
                    assert!(grants[0]["Ok"]["upload_id"].is_string(), "{grants}");
                    Allowed
                }
                other => other,
            };
        }
        Op::AttachRest => {
            let upload = owner_upload(w, id).await;
            let body = json!({"upload_id": upload});
            v.rest(w, Method::POST, &format!("/api/items/{id}/photos"))
                .json(&body)
                .send()
                .await
        }
        Op::AttachServerFn => {
            let upload = owner_upload(w, id).await;
            let form = [
                ("collection", home_id),
                ("item_id", id),
                ("upload_ids[0]", &upload),
            ];
            let response = v
                .server_fn::<app::server_fns::AttachPhotos>(w, &form)
                .send()
                .await
                .unwrap();
            // Allowed means the photo was attached.
            return match classify(&response) {
                Allowed => {
                    let report: Value = response.json().await.unwrap();
                    assert_eq!(report["outcomes"], json!([{"Ok": null}]), "{report}");
                    Allowed
                }
                other => other,
            };
        }
        Op::PhotoForm => {
            let photo = owner_photo(w, id).await;
            let photo = photo["id"].as_str().unwrap();
            v.form(w, &format!("{home}/items/{id}/photos/{photo}/remove"), &[])
                .send()
                .await
        }
        Op::InviteForm => {
            v.form(w, &format!("{home}/members/invites"), &[("role", "viewer")])
                .send()
                .await
        }
        Op::MediaByKey | Op::MediaSigned => {
            let url = owner_photo(w, id).await["url"].as_str().unwrap().to_owned();
            let url = if op == Op::MediaByKey {
                url.split('?').next().unwrap().to_owned()
            } else {
                url
            };
            v.get(w, &url).send().await
        }
    };
    classify(&response.unwrap())
}

async fn sign_up(s: &TestServer, link: &str, email: &str) -> String {
    let made = s
        .http
        .post(s.url(&link.replacen("/join?", "/join/sign-up?", 1)))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    session_cookie(&made)
}

async fn invite(s: &TestServer, owner: &str, role: &str) -> String {
    let token = form_token(s, owner).await;
    let made = s
        .http
        .post(s.url(&format!("/members/invites?form_token={token}")))
        .header("cookie", owner)
        .form(&[("role", role)])
        .send()
        .await
        .unwrap();
    let page = made.text().await.unwrap();
    let marker = "<code class=\"token\">";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..].split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn every_visitor_gets_what_their_role_allows_at_every_entry_point() {
    let s = TestServer::start_with(&[
        "--anonymous-access",
        "none",
        "--credential-cache-secs",
        "0",
        "--sign-up",
        "open",
        // Every operation is tried by every visitor, each after the owner's own set-up
        // writes: more changes a minute than the default allows one account.
        "--writes-per-minute",
        "100000",
    ])
    .await;
    let owner = session_cookie(&set_up(&s, "owner@example.org", PASSWORD).await);
    let editor = sign_up(
        &s,
        &invite(&s, &owner, "editor").await,
        "editor@example.org",
    )
    .await;
    let viewer = sign_up(
        &s,
        &invite(&s, &owner, "viewer").await,
        "viewer@example.org",
    )
    .await;
    let outsider = s
        .http
        .post(s.url("/sign-up"))
        .form(&[
            ("email", "out@example.org"),
            ("password", PASSWORD),
            ("collection", "Elsewhere"),
        ])
        .send()
        .await
        .unwrap();
    let outsider = session_cookie(&outsider);
    let home_id = CollectionId::named("Shelf").to_string();
    let world = World {
        home: format!("/c/{home_id}"),
        home_id,
        owner: owner.clone(),
        s,
    };
    let mut visitors = vec![Visitor {
        who: Anonymous,
        cookie: None,
        token: None,
    }];
    for (who, cookie) in [
        (Viewer, viewer),
        (Editor, editor),
        (Owner, owner),
        (Outsider, outsider),
    ] {
        let token = Some(form_token(&world.s, &cookie).await);
        visitors.push(Visitor {
            who,
            cookie: Some(cookie),
            token,
        });
    }
    let mut wrong = Vec::new();
    for visitor in &visitors {
        for op in OPS {
            let got = attempt(&world, visitor, op).await;
            let want = expected(op, visitor.who);
            if got != want {
                wrong.push(format!(
                    "{:?} × {op:?}: got {got:?}, want {want:?}",
                    visitor.who
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cells wrong:\n{}",
        wrong.len(),
        visitors.len() * OPS.len(),
        wrong.join("\n")
    );
}
