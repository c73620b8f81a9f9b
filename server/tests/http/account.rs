//! The account page and API tokens over HTTP: sessions listed and ended, the password changed,
//! tokens made on the page and used as `Authorization: Bearer`, within their scope, their
//! collection, their expiry and their user's current role.

use crate::common::TestServer;
use crate::sign_in::{get_as, location, post_as, session_cookie, set_up, sign_in, user, PASSWORD};
use domain::accounts::{Collection, CollectionId, CollectionName, Role, Scope};
use serde_json::json;

async fn server() -> TestServer {
    // Every request asks the store: a role change shows at once.
    TestServer::start_with(&["--anonymous-access", "none", "--credential-cache-secs", "0"]).await
}

async fn account_page(s: &TestServer, cookie: &str) -> (u16, String) {
    let page = get_as(s, cookie, "/account").await;
    (page.status().as_u16(), page.text().await.unwrap())
}

/// Makes a token on the account page; the token as the page shows it, once.
async fn make_token(s: &TestServer, cookie: &str, collection: &str, scope: &str) -> String {
    let made = post_as(
        s,
        cookie,
        "/account/tokens",
        &[
            ("name", "backup script"),
            ("collection", collection),
            ("scope", scope),
            ("expires_days", "30"),
        ],
    )
    .await;
    assert_eq!(made.status(), 201);
    let page = made.text().await.unwrap();
    let marker = "<code class=\"token\">";
    let start = page.find(marker).expect("the page shows the new token") + marker.len();
    page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

async fn api(s: &TestServer, token: &str, create: bool) -> u16 {
    let request = if create {
        s.http
            .post(s.url("/api/items"))
            .json(&json!({"name": "Lamp"}))
    } else {
        s.http.get(s.url("/api/items"))
    };
    request
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The first owner's collection: the anonymous one, whose id follows from its name.
fn home() -> String {
    CollectionId::named("Shelf").to_string()
}

#[tokio::test]
async fn tokens_work_within_their_scope_collection_expiry_and_role() {
    let s = server().await;
    let owner = session_cookie(&set_up(&s, "owner@example.org", PASSWORD).await);
    let home = home();
    let reader = make_token(&s, &owner, &home, "read").await;
    assert_eq!(api(&s, &reader, false).await, 200);
    assert_eq!(
        api(&s, &reader, true).await,
        403,
        "a read token does not write"
    );
    let writer = make_token(&s, &owner, &home, "read_write").await;
    assert_eq!(api(&s, &writer, true).await, 201);
    let (_, page) = account_page(&s, &owner).await;
    assert!(
        page.contains("backup script") && !page.contains(&writer),
        "listed, never shown again"
    );

    for bad in ["Bearer shelf_forged", "Bearer ", "Basic b3duZXI6cGFzcw=="] {
        let response = s
            .http
            .get(s.url("/api/items"))
            .header("authorization", bad)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{bad}");
        assert!(response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer"));
    }

    // Another collection the owner is not in: no token for it, and theirs do not reach it.
    let account = user(&s, "owner@example.org").await;
    let elsewhere = Collection {
        id: CollectionId::generate(),
        name: CollectionName::parse("Shop").unwrap(),
    };
    let bea = domain::accounts::User {
        id: domain::accounts::UserId::generate(),
        email: domain::accounts::Email::parse("bea@example.org").unwrap(),
        password: None,
        created_at: domain::model::Timestamp::now(),
    };
    s.accounts.store().create_user(&bea).await.unwrap();
    s.accounts
        .store()
        .create_collection(&elsewhere, &bea.id)
        .await
        .unwrap();
    let refused = post_as(
        &s,
        &owner,
        "/account/tokens",
        &[
            ("name", "x"),
            ("collection", &elsewhere.id.to_string()),
            ("scope", "read"),
            ("expires_days", "0"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Pick one of your collections."));

    // Demoted to viewer: the read-write token now only reads.
    s.accounts
        .store()
        .set_role(&CollectionId::named("Shelf"), &bea.id, Role::Owner)
        .await
        .unwrap();
    s.accounts
        .store()
        .set_role(&CollectionId::named("Shelf"), &account.id, Role::Viewer)
        .await
        .unwrap();
    assert_eq!(
        api(&s, &writer, true).await,
        403,
        "never beyond the user's current role"
    );
    assert_eq!(api(&s, &writer, false).await, 200);

    // Expired and revoked tokens stop working.
    let account = s
        .accounts
        .store()
        .account(&account.id)
        .await
        .unwrap()
        .unwrap();
    let (short, _) = s
        .accounts
        .create_token(
            &account,
            "short",
            &CollectionId::named("Shelf"),
            Scope::Read,
            Some(std::time::Duration::from_millis(1)),
        )
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(api(&s, &short, false).await, 401, "expired");
    let reader_id = s
        .accounts
        .credentials(&account.id)
        .await
        .unwrap()
        .into_iter()
        .find(|credential| {
            matches!(credential.kind, domain::accounts::CredentialKind::Token { scope: Scope::Read, ref name, .. } if name == "backup script")
        })
        .unwrap()
        .id;
    let revoked = post_as(
        &s,
        &owner,
        &format!("/account/credentials/{reader_id}/revoke"),
        &[],
    )
    .await;
    assert_eq!(
        (revoked.status().as_u16(), location(&revoked)),
        (303, "/account")
    );
    assert_eq!(api(&s, &reader, false).await, 401, "revoked");
}

#[tokio::test]
async fn the_account_page_lists_sessions_and_ends_them() {
    let s = server().await;
    let first = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let second = session_cookie(&sign_in(&s, "ann@example.org", PASSWORD, "/").await);
    let third = session_cookie(&sign_in(&s, "ann@example.org", PASSWORD, "/").await);
    let (status, page) = account_page(&s, &first).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("ann@example.org") && page.contains("(this browser)"),
        "{page}"
    );
    assert_eq!(
        page.matches("Sign out</button>").count(),
        3,
        "two others to end, and the header's"
    );

    let anonymous = s.http.get(s.url("/account")).send().await.unwrap();
    assert_eq!(location(&anonymous), "/sign-in?next=%2Faccount");

    let wrong = post_as(
        &s,
        &first,
        "/account/password",
        &[
            ("current", "not it at all"),
            ("password", "a brand new passphrase"),
        ],
    )
    .await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("This is not your current password."));
    let changed = post_as(
        &s,
        &first,
        "/account/password",
        &[
            ("current", PASSWORD),
            ("password", "a brand new passphrase"),
        ],
    )
    .await;
    assert_eq!(changed.status(), 200);
    assert!(changed.text().await.unwrap().contains("Password changed."));
    for ended in [&second, &third] {
        let (status, _) = account_page(&s, ended).await;
        assert_eq!(status, 303, "other sessions end with a new password");
    }
    assert_eq!(account_page(&s, &first).await.0, 200, "this one goes on");

    let fourth =
        session_cookie(&sign_in(&s, "ann@example.org", "a brand new passphrase", "/").await);
    let everywhere = post_as(&s, &first, "/account/sign-out-everywhere", &[]).await;
    assert_eq!(location(&everywhere), "/account");
    assert_eq!(
        account_page(&s, &fourth).await.0,
        303,
        "signed out everywhere else"
    );
    assert_eq!(account_page(&s, &first).await.0, 200);
}
