//! Accounts over HTTP on the embedded store: the first run, signing in and out, the session
//! cookie, cross-site requests refused, failed sign-ins throttled.

use crate::common::TestServer;
use serde_json::json;

pub const PASSWORD: &str = "correct horse battery staple";

pub async fn closed() -> TestServer {
    TestServer::start_with(&["--anonymous-access", "none"]).await
}

/// The session cookie's `name=value`, from a response that set it.
pub fn session_cookie(response: &reqwest::Response) -> String {
    let set = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|value| value.starts_with("shelf_session="))
        .expect("a session cookie is set");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(attribute), "{set} lacks {attribute}");
    }
    set.split(';').next().unwrap().to_owned()
}

pub async fn set_up(s: &TestServer, email: &str, password: &str) -> reqwest::Response {
    s.http
        .post(s.url("/setup"))
        .form(&[
            ("email", email),
            ("password", password),
            ("collection", "Home"),
        ])
        .send()
        .await
        .unwrap()
}

pub async fn sign_in(s: &TestServer, email: &str, password: &str, next: &str) -> reqwest::Response {
    s.http
        .post(s.url("/sign-in"))
        .form(&[("email", email), ("password", password), ("next", next)])
        .send()
        .await
        .unwrap()
}

/// The stored account of `email`.
pub async fn user(s: &TestServer, email: &str) -> domain::accounts::User {
    let email = domain::accounts::Email::parse(email).unwrap();
    s.accounts
        .store()
        .user_by_email(&email)
        .await
        .unwrap()
        .expect("the account exists")
}

/// The session's form token, as a page's forms carry it (read from the header's sign-out form).
pub async fn form_token(s: &TestServer, cookie: &str) -> String {
    let page = get_as(s, cookie, "/account").await.text().await.unwrap();
    let start = page
        .find("form_token=")
        .expect("a signed-in page's forms carry the token")
        + 11;
    page[start..].split('"').next().unwrap().to_owned()
}

/// `path` as a form posts to it: with the session's form token.
pub async fn with_token(s: &TestServer, cookie: &str, path: &str) -> String {
    let join = if path.contains('?') { '&' } else { '?' };
    format!("{path}{join}form_token={}", form_token(s, cookie).await)
}

/// A plain form post as the signed-in `cookie`, with the form token its page's form carries.
pub async fn post_as(
    s: &TestServer,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    s.http
        .post(s.url(&with_token(s, cookie, path).await))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// A GET as the signed-in `cookie`.
pub async fn get_as(s: &TestServer, cookie: &str, path: &str) -> reqwest::Response {
    s.http
        .get(s.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

pub fn location(response: &reqwest::Response) -> &str {
    response.headers()["location"].to_str().unwrap()
}

#[tokio::test]
async fn the_first_run_creates_the_owner_once_and_signs_them_in() {
    let s = closed().await;
    let home = s.http.get(s.url("/")).send().await.unwrap();
    assert_eq!((home.status().as_u16(), location(&home)), (303, "/setup"));
    let form = s.http.get(s.url("/setup")).send().await.unwrap();
    assert_eq!(form.status(), 200);
    assert!(form
        .text()
        .await
        .unwrap()
        .contains("Create the owner account"));

    let weak = set_up(&s, "owner@example.org", "short").await;
    assert_eq!(weak.status(), 422);
    assert!(weak
        .text()
        .await
        .unwrap()
        .contains("at least 12 characters"));
    let still_open = s.http.get(s.url("/")).send().await.unwrap();
    assert_eq!(location(&still_open), "/setup", "nothing was created");

    let created = set_up(&s, "Owner@Example.org", PASSWORD).await;
    assert_eq!((created.status().as_u16(), location(&created)), (303, "/"));
    let cookie = session_cookie(&created);
    let page = s
        .http
        .get(s.url("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text().await.unwrap().contains("owner@example.org"),
        "the header names them"
    );
    let listed = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200, "the session works for the API too");

    let again = set_up(&s, "intruder@example.org", PASSWORD).await;
    assert_eq!(
        (again.status().as_u16(), location(&again)),
        (303, "/sign-in")
    );
    let intruder = sign_in(&s, "intruder@example.org", PASSWORD, "/").await;
    assert_eq!(
        intruder.status(),
        401,
        "the second first run made no account"
    );
    let anonymous = s.http.get(s.url("/")).send().await.unwrap();
    assert_eq!(location(&anonymous), "/sign-in?next=%2F");
}

#[tokio::test]
async fn signing_in_makes_a_new_session_and_signing_out_ends_it() {
    let s = closed().await;
    let first = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);

    let wrong = sign_in(&s, "ann@example.org", "not the password at all", "/").await;
    assert_eq!(wrong.status(), 401);
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("The email or the password is wrong."));
    let unknown = sign_in(&s, "nobody@example.org", PASSWORD, "/").await;
    assert_eq!(unknown.status(), 401, "an unknown email is the same answer");

    // A cookie planted before sign-in is not what sign-in hands out (no session fixation).
    let planted = "shelf_session=planted";
    let signed_in = s
        .http
        .post(s.url("/sign-in"))
        .header("cookie", planted)
        .form(&[
            ("email", "ANN@example.org"),
            ("password", PASSWORD),
            ("next", "/items/new"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        (signed_in.status().as_u16(), location(&signed_in)),
        (303, "/items/new")
    );
    let second = session_cookie(&signed_in);
    assert_ne!(second, first);
    assert_ne!(second, planted);
    let elsewhere = sign_in(&s, "ann@example.org", PASSWORD, "//evil.example/").await;
    assert_eq!(location(&elsewhere), "/", "never to another site");

    let out = s
        .http
        .post(s.url(&with_token(&s, &second, "/sign-out").await))
        .header("cookie", &second)
        .send()
        .await
        .unwrap();
    assert_eq!((out.status().as_u16(), location(&out)), (303, "/sign-in"));
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let after = s
        .http
        .get(s.url("/"))
        .header("cookie", &second)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 303, "the ended session is anonymous");
    let api = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &second)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);
    let other = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &first)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200, "the other session goes on");
}

#[tokio::test]
async fn changes_with_the_cookie_must_come_from_our_own_pages() {
    let s = closed().await;
    let cookie = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let host = s.base.trim_start_matches("http://").to_owned();
    let create = |origin: Option<&str>, site: Option<&str>| {
        let mut request = s
            .http
            .post(s.url("/api/items"))
            .header("cookie", &cookie)
            .json(&json!({"name": "Lamp"}));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    let cross_origin = create(Some("https://evil.example"), None).await.unwrap();
    assert_eq!(cross_origin.status(), 403);
    let cross_site = create(Some(&format!("http://{host}")), Some("cross-site"))
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let same = create(Some(&format!("http://{host}")), Some("same-origin"))
        .await
        .unwrap();
    assert_eq!(same.status(), 201);
    let script = create(None, None).await.unwrap();
    assert_eq!(
        script.status(),
        201,
        "no browser headers: not a browser, nothing forged"
    );

    let form = s
        .http
        .post(s.url("/items/new"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[("name", "Forged"), ("description", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403);
    let server_fn = s
        .http
        .post(s.url(<app::server_fns::CreateItem as leptos::server_fn::ServerFn>::PATH))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("form[id]", ""),
            ("form[name]", "Forged"),
            ("form[description]", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(server_fn.status(), 403);
    let items: Vec<serde_json::Value> = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(items.len(), 2, "only the two same-origin creates");
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_account() {
    let s = closed().await;
    set_up(&s, "ann@example.org", PASSWORD).await;
    for attempt in 1..=10 {
        let wrong = sign_in(
            &s,
            "ann@example.org",
            &format!("wrong password {attempt}"),
            "/",
        )
        .await;
        assert_eq!(wrong.status(), 401, "attempt {attempt}");
    }
    let blocked = sign_in(&s, "ann@example.org", PASSWORD, "/").await;
    assert_eq!(blocked.status(), 429, "even the right password waits");
    let retry: u64 = blocked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(blocked
        .text()
        .await
        .unwrap()
        .contains("Try again in 15 minutes"));
    let other = sign_in(&s, "bea@example.org", PASSWORD, "/").await;
    assert_eq!(other.status(), 401, "other emails are not blocked");
}

/// An install from before accounts (or the old clients, with anonymous access) has items in
/// the anonymous collection: the first owner gets that collection, under the name they chose.
#[tokio::test]
async fn the_first_owner_gets_the_items_from_before_accounts() {
    let s = TestServer::start_with(&["--anonymous-access", "edit"]).await;
    let old = s.create("From before", "").await;
    let sign_in_page = s.http.get(s.url("/sign-in")).send().await.unwrap();
    assert_eq!(location(&sign_in_page), "/setup", "no accounts yet");
    let cookie = session_cookie(&set_up(&s, "owner@example.org", PASSWORD).await);
    let items: Vec<serde_json::Value> = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], old["id"]);
    let sign_in_page = s.http.get(s.url("/sign-in")).send().await.unwrap();
    assert_eq!(sign_in_page.status(), 200, "the first run is over");
}

async fn users(s: &TestServer, command: server::config::UsersCommand, stdin: &str) -> String {
    server::users::run(&s.accounts, command, std::io::Cursor::new(stdin.to_owned()))
        .await
        .unwrap()
}

/// The path and query of the link a `shelf users` command printed.
fn printed_link(report: &str) -> String {
    let url = report.lines().last().unwrap();
    assert!(
        url.starts_with("http://shelf.example/set-password?token="),
        "{report}"
    );
    url.trim_start_matches("http://shelf.example").to_owned()
}

#[tokio::test]
async fn the_operator_adds_the_owner_and_resets_passwords_with_one_time_links() {
    use server::config::UsersCommand;
    let s = closed().await;
    let report = users(
        &s,
        UsersCommand::Add {
            email: "owner@example.org".into(),
            owner: true,
            password_stdin: false,
            base_url: "http://shelf.example/".into(),
        },
        "",
    )
    .await;
    assert!(
        report.starts_with("created owner@example.org (owner)"),
        "{report}"
    );
    let link = printed_link(&report);
    let no_password = sign_in(&s, "owner@example.org", PASSWORD, "/").await;
    assert_eq!(
        no_password.status(),
        401,
        "no password until the link sets one"
    );

    let page = s.http.get(s.url(&link)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("owner@example.org"));
    let weak = s
        .http
        .post(s.url(&link))
        .form(&[("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), 422);
    let set = s
        .http
        .post(s.url(&link))
        .form(&[("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!((set.status().as_u16(), location(&set)), (303, "/"));
    let session = session_cookie(&set);
    let again = s
        .http
        .post(s.url(&link))
        .form(&[("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404, "a link works once");
    let used = s.http.get(s.url(&link)).send().await.unwrap();
    assert_eq!(used.status(), 404);
    assert_eq!(
        sign_in(&s, "owner@example.org", PASSWORD, "/")
            .await
            .status(),
        303
    );
    let setup = s.http.get(s.url("/setup")).send().await.unwrap();
    assert_eq!(
        location(&setup),
        "/sign-in",
        "the owner exists: no first run"
    );

    let editor = users(
        &s,
        UsersCommand::Add {
            email: "bea@example.org".into(),
            owner: false,
            password_stdin: true,
            base_url: "http://shelf.example".into(),
        },
        "another long passphrase\n",
    )
    .await;
    assert_eq!(editor, "created bea@example.org (editor)");
    let bea = session_cookie(&sign_in(&s, "bea@example.org", "another long passphrase", "/").await);
    let listed = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &bea)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200, "an editor of the owner's collection");

    let reset = users(
        &s,
        UsersCommand::ResetPassword {
            email: "Owner@example.org".into(),
            base_url: "http://shelf.example".into(),
        },
        "",
    )
    .await;
    let reset_link = printed_link(&reset);
    let new_password = "a completely new passphrase";
    let done = s
        .http
        .post(s.url(&reset_link))
        .form(&[("password", new_password)])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let old_session = s
        .http
        .get(s.url("/api/items"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(
        old_session.status(),
        401,
        "a reset signs out every other session"
    );
    assert_eq!(
        sign_in(&s, "owner@example.org", PASSWORD, "/")
            .await
            .status(),
        401
    );
    assert_eq!(
        sign_in(&s, "owner@example.org", new_password, "/")
            .await
            .status(),
        303
    );
    let forged = s
        .http
        .get(s.url("/set-password?token=forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 404);
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_client_address_across_emails() {
    let s = closed().await;
    set_up(&s, "ann@example.org", PASSWORD).await;
    for n in 0..server::routes::AddressThrottle::SIGN_IN_FAILURES {
        let wrong = sign_in(&s, &format!("guess{n}@example.org"), PASSWORD, "/").await;
        assert_eq!(wrong.status(), 401, "attempt {n}");
    }
    let blocked = sign_in(&s, "ann@example.org", PASSWORD, "/").await;
    assert_eq!(
        blocked.status(),
        429,
        "this address waits, even for a right password"
    );
    assert!(blocked.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn plain_form_posts_with_the_cookie_carry_the_sessions_form_token() {
    let s = closed().await;
    let ann = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let other = session_cookie(&sign_in(&s, "ann@example.org", PASSWORD, "/").await);
    let post = |path: String, cookie: String| {
        let s = &s;
        async move {
            s.http
                .post(s.url(&path))
                .header("cookie", cookie)
                .form(&[("name", "Lamp"), ("description", "")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        post("/items/new".into(), ann.clone()).await,
        403,
        "no token"
    );
    assert_eq!(
        post("/items/new?form_token=forged".into(), ann.clone()).await,
        403
    );
    let others = with_token(&s, &other, "/items/new").await;
    assert_eq!(
        post(others, ann.clone()).await,
        403,
        "another session's token"
    );
    let own = with_token(&s, &ann, "/items/new").await;
    assert_eq!(post(own, ann.clone()).await, 303, "its own token");
}
