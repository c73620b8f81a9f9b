//! Several collections over HTTP: a user starts a second one, and its pages (under
//! `/c/{collection}`), form posts and server functions work in it and nowhere else; the
//! header's switcher lists the user's collections; the role that counts is the one in the
//! collection the path names; a collection one is not in is a 404 that says nothing more.

use crate::common::TestServer;
use crate::sign_in::{get_as, location, post_as, session_cookie, set_up, PASSWORD};
use leptos::server_fn::ServerFn;

async fn server() -> TestServer {
    TestServer::start_with(&["--anonymous-access", "none", "--credential-cache-secs", "0"]).await
}

/// A new collection called `name`: its list's path, `/c/{id}`.
async fn start_collection(s: &TestServer, cookie: &str, name: &str) -> String {
    let made = post_as(s, cookie, "/collections", &[("name", name)]).await;
    assert_eq!(made.status(), 303, "a new collection opens on its list");
    let home = location(&made).to_owned();
    assert!(home.starts_with("/c/"), "{home}");
    home
}

async fn create_by_form(s: &TestServer, cookie: &str, path: &str, name: &str) -> String {
    let created = post_as(s, cookie, path, &[("name", name), ("description", "")]).await;
    assert_eq!(created.status(), 303, "{path}");
    location(&created).to_owned()
}

#[tokio::test]
async fn a_second_collection_has_its_own_pages_items_and_forms() {
    let s = server().await;
    let ann = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let shop = start_collection(&s, &ann, "Corner shop").await;

    let in_shop = create_by_form(&s, &ann, &format!("{shop}/items/new"), "Till").await;
    assert!(
        in_shop.starts_with(&format!("{shop}/items/")),
        "a form post stays in the collection its path names: {in_shop}"
    );
    // The first run's collection is the one anonymous access would name (`Shelf`).
    let home = format!("/c/{}", domain::accounts::CollectionId::named("Shelf"));
    let at_home = create_by_form(&s, &ann, &format!("{home}/items/new"), "Kettle").await;
    assert!(at_home.starts_with(&format!("{home}/items/")), "{at_home}");

    let shop_list = get_as(&s, &ann, &shop).await.text().await.unwrap();
    assert!(shop_list.contains("Till") && !shop_list.contains("Kettle"));
    let home_list = get_as(&s, &ann, &home).await.text().await.unwrap();
    assert!(home_list.contains("Kettle") && !home_list.contains("Till"));
    let unnamed = get_as(&s, &ann, "/").await.text().await.unwrap();
    assert!(
        unnamed.contains("Till"),
        "paths that name no collection show the first by name (Corner shop before Home)"
    );
    let by_default = create_by_form(&s, &ann, "/items/new", "Scales").await;
    assert!(
        by_default.starts_with("/items/"),
        "and posts to them stay unnamed"
    );
    assert!(get_as(&s, &ann, &shop)
        .await
        .text()
        .await
        .unwrap()
        .contains("Scales"));
    assert!(
        shop_list.contains(&format!("href=\"{in_shop}\"")),
        "cards link within the collection"
    );

    assert_eq!(get_as(&s, &ann, &in_shop).await.status(), 200);
    let item = in_shop.rsplit('/').next().unwrap();
    assert_eq!(
        get_as(&s, &ann, &format!("{home}/items/{item}"))
            .await
            .status(),
        404,
        "an item is found only in its own collection"
    );
    let edit = get_as(&s, &ann, &format!("{in_shop}/edit")).await;
    let edit = edit.text().await.unwrap();
    assert!(edit.contains(&format!("action=\"{in_shop}/edit?form_token=")));

    let deleted = post_as(&s, &ann, &format!("{in_shop}/delete"), &[]).await;
    assert_eq!(
        (deleted.status().as_u16(), location(&deleted)),
        (303, shop.as_str())
    );
    assert_eq!(get_as(&s, &ann, &in_shop).await.status(), 404);
}

#[tokio::test]
async fn the_switcher_lists_every_collection_and_marks_the_one_shown() {
    let s = server().await;
    let ann = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let shop = start_collection(&s, &ann, "Corner shop").await;
    let page = get_as(&s, &ann, &shop).await.text().await.unwrap();
    let switcher = &page[page.find("class=\"switcher\"").expect("a switcher")..];
    let switcher = &switcher[..switcher.find("</details>").unwrap()];
    assert!(switcher.contains("Home") && switcher.contains("Corner shop"));
    assert!(switcher.contains("href=\"/collections/new\""));
    let current = switcher
        .find("aria-current=\"page\"")
        .expect("one is current");
    let shop_entry = switcher.find(&format!("href=\"{shop}\"")).unwrap();
    assert!(
        current > shop_entry && switcher[shop_entry..current].find("<a").is_none(),
        "the shown collection is the current one"
    );
    assert!(
        page.contains(&format!("href=\"{shop}/items/new\"")),
        "the header's New item adds to the collection shown"
    );
    assert!(page.contains(&format!("href=\"{shop}/members\"")));
}

#[tokio::test]
async fn the_role_that_counts_is_the_one_in_the_named_collection() {
    let s = server().await;
    let ann = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let shop = start_collection(&s, &ann, "Corner shop").await;
    let invite = post_as(
        &s,
        &ann,
        &format!("{shop}/members/invites"),
        &[("role", "viewer")],
    )
    .await;
    assert_eq!(
        invite.status(),
        201,
        "the owner of the shop invites to the shop"
    );
    let page = invite.text().await.unwrap();
    let marker = "<code class=\"token\">";
    let start = page.find(marker).unwrap() + marker.len();
    let link = page[start..].split('<').next().unwrap().to_owned();
    let bea = s
        .http
        .post(s.url(&link.replacen("/join?", "/join/sign-up?", 1)))
        .form(&[("email", "bea@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let bea = session_cookie(&bea);

    // Bea views the shop, her only collection: it is her default.
    assert_eq!(get_as(&s, &bea, "/").await.status(), 200);
    assert_eq!(get_as(&s, &bea, &shop).await.status(), 200);
    let forced = post_as(
        &s,
        &bea,
        &format!("{shop}/items/new"),
        &[("name", "Forced"), ("description", "")],
    )
    .await;
    assert_eq!(forced.status(), 403, "a viewer there");
    let shop_page = get_as(&s, &bea, &shop).await.text().await.unwrap();
    assert!(!shop_page.contains("New item"));

    // Ann's home is not Bea's to see, by page, form, server function or guessed path.
    // The first run's collection is the one anonymous access would name (`Shelf`).
    let home_id = domain::accounts::CollectionId::named("Shelf").to_string();
    let ann_home = format!("/c/{home_id}");
    let hidden = get_as(&s, &bea, &ann_home).await;
    assert_eq!(hidden.status(), 404);
    assert!(hidden.text().await.unwrap().contains("No such collection"));
    let forced = post_as(
        &s,
        &bea,
        &format!("{ann_home}/items/new"),
        &[("name", "Forced"), ("description", "")],
    )
    .await;
    assert_eq!(forced.status(), 404);
    let listed = post_as(
        &s,
        &bea,
        app::server_fns::ListItems::PATH,
        &[("collection", home_id.as_str())],
    )
    .await;
    assert_eq!(
        listed.status(),
        404,
        "a server function names the collection too"
    );
    let shop_id = shop.trim_start_matches("/c/");
    let listed = post_as(
        &s,
        &bea,
        app::server_fns::ListItems::PATH,
        &[("collection", shop_id)],
    )
    .await;
    assert_eq!(listed.status(), 200);
    assert_eq!(get_as(&s, &bea, "/c/not-a-collection").await.status(), 404);
    let members = post_as(
        &s,
        &bea,
        &format!("{ann_home}/members/invites"),
        &[("role", "owner")],
    )
    .await;
    assert_eq!(
        members.status(),
        404,
        "nor manage it (a collection not hers is not found)"
    );

    // Ann, an owner of both, still edits at home.
    assert_eq!(
        post_as(
            &s,
            &ann,
            &format!("{ann_home}/items/new"),
            &[("name", "Lamp"), ("description", "")]
        )
        .await
        .status(),
        303
    );
}

#[tokio::test]
async fn visitors_signed_out_are_sent_to_sign_in_and_back_to_the_collection() {
    let s = server().await;
    let ann = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let shop = start_collection(&s, &ann, "Corner shop").await;
    let away = s.http.get(s.url(&shop)).send().await.unwrap();
    assert_eq!(away.status(), 303);
    let expected = format!("/sign-in?next={}", shop.replace('/', "%2F"));
    assert_eq!(location(&away), expected);
    let unnamed = post_as(&s, &ann, "/collections", &[("name", "  ")]).await;
    assert_eq!(unnamed.status(), 422);
    assert!(unnamed.text().await.unwrap().contains("Name is required."));
}

async fn sign_up(s: &TestServer, form: &[(&str, &str)]) -> reqwest::Response {
    s.http
        .post(s.url("/sign-up"))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn open_sign_up_makes_an_account_with_a_collection_of_its_own() {
    let s = TestServer::start_with(&["--anonymous-access", "none", "--sign-up", "open"]).await;
    let form = || {
        [
            ("email", "dan@example.org"),
            ("password", PASSWORD),
            ("collection", "Workshop"),
        ]
    };
    let early = sign_up(&s, &form()).await;
    assert_eq!(
        (early.status().as_u16(), location(&early)),
        (303, "/setup"),
        "the first account is the owner's, from the first run"
    );
    let ann = session_cookie(&set_up(&s, "ann@example.org", PASSWORD).await);
    let _ = create_by_form(&s, &ann, "/items/new", "Ann's lamp").await;
    let page = s.http.get(s.url("/sign-in")).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("href=\"/sign-up\""));

    let made = sign_up(&s, &form()).await;
    assert_eq!((made.status().as_u16(), location(&made)), (303, "/"));
    let dan = session_cookie(&made);
    let home = get_as(&s, &dan, "/").await.text().await.unwrap();
    assert!(
        home.contains("Workshop"),
        "the switcher shows Dan's own collection"
    );
    assert!(!home.contains("Ann&#x27;s lamp") && !home.contains("Ann's lamp"));
    let mine = create_by_form(&s, &dan, "/items/new", "Vice").await;
    assert_eq!(get_as(&s, &dan, &mine).await.status(), 200);
    let home_id = domain::accounts::CollectionId::named("Shelf");
    assert_eq!(
        get_as(&s, &dan, &format!("/c/{home_id}")).await.status(),
        404
    );

    let again = sign_up(&s, &form()).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("sign in instead"));
    let bad = sign_up(
        &s,
        &[("email", "nope"), ("password", "short"), ("collection", "")],
    )
    .await;
    assert_eq!(bad.status(), 422);
    let bad = bad.text().await.unwrap();
    for field in ["email-error", "password-error", "collection-error"] {
        let at = bad.find(&format!("id=\"{field}\"")).expect(field);
        assert!(
            !bad[at..].starts_with(&format!("id=\"{field}\"></")),
            "{field} has a message"
        );
    }
}

#[tokio::test]
async fn sign_up_is_by_invite_unless_opened_and_open_sign_up_is_throttled() {
    let closed = server().await;
    let _ = set_up(&closed, "ann@example.org", PASSWORD).await;
    let page = closed
        .http
        .get(closed.url("/sign-up"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("invite"));
    let refused = sign_up(
        &closed,
        &[
            ("email", "eve@example.org"),
            ("password", PASSWORD),
            ("collection", "X"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 404);
    let sign_in = closed
        .http
        .get(closed.url("/sign-in"))
        .send()
        .await
        .unwrap();
    assert!(!sign_in.text().await.unwrap().contains("href=\"/sign-up\""));

    let open = TestServer::start_with(&["--anonymous-access", "none", "--sign-up", "open"]).await;
    let _ = set_up(&open, "ann@example.org", PASSWORD).await;
    let limit = server::routes::AddressThrottle::SIGN_UPS;
    for n in 0..limit {
        // Invalid tries count too: each may cost a password hash.
        let tried = sign_up(
            &open,
            &[
                ("email", "x@example.org"),
                ("password", "short"),
                ("collection", "X"),
            ],
        )
        .await;
        assert_eq!(tried.status(), 422, "try {n}");
    }
    let blocked = sign_up(
        &open,
        &[
            ("email", "fay@example.org"),
            ("password", PASSWORD),
            ("collection", "X"),
        ],
    )
    .await;
    assert_eq!(blocked.status(), 429);
    assert!(blocked.headers().contains_key("retry-after"));
    assert!(blocked.text().await.unwrap().contains("Too many accounts"));
}
