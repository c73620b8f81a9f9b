//! Invites and members over HTTP: an owner invites, the invited sign up (or join signed in)
//! with the role of the invite, once; viewers read and change nothing at any entry point;
//! owners change roles and remove members, and a collection keeps an owner.

use crate::common::TestServer;
use crate::sign_in::{location, post_as, session_cookie, set_up, sign_in, user, PASSWORD};
use serde_json::json;

async fn server() -> TestServer {
    TestServer::start_with(&["--anonymous-access", "none", "--credential-cache-secs", "0"]).await
}

/// An invite link made on the members page, as the page shows it once.
async fn invite(s: &TestServer, owner: &str, role: &str) -> String {
    let made = post_as(s, owner, "/members/invites", &[("role", role)]).await;
    assert_eq!(made.status(), 201);
    let page = made.text().await.unwrap();
    let marker = "<code class=\"token\">";
    let start = page.find(marker).expect("the link is shown") + marker.len();
    page[start..].split('<').next().unwrap().to_owned()
}

async fn sign_up(s: &TestServer, link: &str, email: &str) -> reqwest::Response {
    let path = link.replacen("/join?", "/join/sign-up?", 1);
    s.http
        .post(s.url(&path))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap()
}

async fn create_status(s: &TestServer, cookie: &str) -> u16 {
    s.http
        .post(s.url("/api/items"))
        .header("cookie", cookie)
        .json(&json!({"name": "Lamp"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn invited_people_join_with_the_role_of_their_invite_once() {
    let s = server().await;
    let owner = session_cookie(&set_up(&s, "owner@example.org", PASSWORD).await);
    let link = invite(&s, &owner, "editor").await;
    let page = s.http.get(s.url(&link)).send().await.unwrap();
    assert_eq!(
        page.status(),
        200,
        "the invite page is open to anyone with the link"
    );
    assert!(page.text().await.unwrap().contains("You are invited as"));

    let joined = sign_up(&s, &link, "bea@example.org").await;
    assert_eq!((joined.status().as_u16(), location(&joined)), (303, "/"));
    let bea = session_cookie(&joined);
    assert_eq!(create_status(&s, &bea).await, 201, "an editor edits");
    let again = sign_up(&s, &link, "cem@example.org").await;
    assert_eq!(again.status(), 404, "an invite works once");
    let gone = s.http.get(s.url(&link)).send().await.unwrap();
    assert_eq!(gone.status(), 404);

    // Someone with an account joins signed in; a viewer reads and changes nothing.
    let viewer_link = invite(&s, &owner, "viewer").await;
    let cem =
        session_cookie(&sign_up(&s, &invite(&s, &owner, "viewer").await, "cem@example.org").await);
    let taken = sign_up(&s, &viewer_link, "bea@example.org").await;
    assert_eq!(taken.status(), 422, "an existing email signs in instead");
    let accepted = post_as(&s, &bea, &viewer_link, &[]).await;
    assert_eq!(
        location(&accepted),
        format!("/c/{}", domain::accounts::CollectionId::named("Shelf")),
        "joined signed in, on the collection; an invite never lowers a role"
    );
    assert_eq!(create_status(&s, &bea).await, 201, "still an editor");

    let listed = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &cem)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200, "a viewer reads");
    assert_eq!(
        create_status(&s, &cem).await,
        403,
        "a viewer does not write"
    );
    let form = post_as(
        &s,
        &cem,
        "/items/new",
        &[("name", "Forced"), ("description", "")],
    )
    .await;
    assert_eq!(form.status(), 403, "nor by a forced form post");
    let server_fn = post_as(
        &s,
        &cem,
        <app::server_fns::CreateItem as leptos::server_fn::ServerFn>::PATH,
        &[
            ("form[id]", ""),
            ("form[name]", "Forced"),
            ("form[description]", ""),
        ],
    )
    .await;
    assert_eq!(server_fn.status(), 403, "nor by a server function");
    let home = s
        .http
        .get(s.url("/"))
        .header("cookie", &cem)
        .send()
        .await
        .unwrap();
    let home = home.text().await.unwrap();
    assert!(!home.contains("New item"), "no edit controls for a viewer");
    let not_owner = post_as(&s, &bea, "/members/invites", &[("role", "owner")]).await;
    assert_eq!(not_owner.status(), 403, "only owners invite");
}

#[tokio::test]
async fn owners_change_roles_and_remove_members_and_a_collection_keeps_an_owner() {
    let s = server().await;
    let owner = session_cookie(&set_up(&s, "owner@example.org", PASSWORD).await);
    let bea =
        session_cookie(&sign_up(&s, &invite(&s, &owner, "editor").await, "bea@example.org").await);
    let members = s
        .http
        .get(s.url("/members"))
        .header("cookie", &owner)
        .send()
        .await
        .unwrap();
    let page = members.text().await.unwrap();
    assert!(
        page.contains("bea@example.org") && page.contains("(you)"),
        "{page}"
    );
    let bea_id = user(&s, "bea@example.org").await.id.to_string();
    let owner_id = user(&s, "owner@example.org").await.id.to_string();

    let demoted = post_as(
        &s,
        &owner,
        &format!("/members/{bea_id}/role"),
        &[("role", "viewer")],
    )
    .await;
    assert_eq!(location(&demoted), "/members");
    assert_eq!(create_status(&s, &bea).await, 403, "demoted at once");
    let last = post_as(
        &s,
        &owner,
        &format!("/members/{owner_id}/role"),
        &[("role", "editor")],
    )
    .await;
    assert_eq!(last.status(), 409);
    assert!(last.text().await.unwrap().contains("must keep an owner"));
    let removed = post_as(&s, &owner, &format!("/members/{bea_id}/remove"), &[]).await;
    assert_eq!(location(&removed), "/members");
    let outside = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &bea)
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), 404, "removed: in no collection");
    let signed_in = sign_in(&s, "bea@example.org", PASSWORD, "/").await;
    assert_eq!(signed_in.status(), 303, "the account itself stays");
}
