//! Sessions across instances: two `shelf` processes over one store, as behind a load balancer.
//! A session made on one works on the other; signing out on one ends it there at once and on
//! the other within its credential cache time. On the embedded store (one SQLite file, two
//! processes) and on DynamoDB (moto).

use crate::aws;
use crate::common::ShelfProcess;
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery staple";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn status(http: &reqwest::Client, shelf: &ShelfProcess, cookie: &str) -> u16 {
    http.get(format!("{}/api/items", shelf.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Signs up on `a`, uses the session on `b`, signs out on `a`, and measures when `b` stops
/// accepting it.
async fn revocation_reaches_the_other_instance(a: &ShelfProcess, b: &ShelfProcess) {
    let http = client();
    let created = http
        .post(format!("{}/setup", a.base))
        .form(&[
            ("email", "ann@example.org"),
            ("password", PASSWORD),
            ("collection", "Home"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let cookie = created.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        status(&http, b, &cookie).await,
        200,
        "any instance serves any session"
    );
    // The sign-out form's action, with the session's form token, as the page has it.
    let page = http
        .get(format!("{}/account", a.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page
        .find("/sign-out?form_token=")
        .expect("the header's sign-out form");
    let action = page[start..].split('"').next().unwrap().to_owned();
    let out = http
        .post(format!("{}{action}", a.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let signed_out = Instant::now();
    assert_eq!(
        status(&http, a, &cookie).await,
        401,
        "at once where it was signed out"
    );
    // b cached the session for 1 s (--credential-cache-secs 1): within that, and a bit.
    let mut seen = None;
    for _ in 0..40 {
        if status(&http, b, &cookie).await == 401 {
            seen = Some(signed_out.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seen = seen.expect("the other instance stops accepting the session");
    assert!(seen <= Duration::from_secs(3), "{seen:?}");
}

#[tokio::test]
async fn a_session_works_on_every_instance_and_ends_everywhere_embedded() {
    let data = tempfile::tempdir().unwrap();
    let args = ["--anonymous-access", "none", "--credential-cache-secs", "1"];
    let a = ShelfProcess::start(data.path(), &args, &[]);
    let b = ShelfProcess::start(data.path(), &args, &[]);
    revocation_reaches_the_other_instance(&a, &b).await;
}

#[tokio::test]
async fn a_session_works_on_every_instance_and_ends_everywhere_on_dynamodb() {
    let env = aws::shelf_env();
    let created = std::process::Command::new(env!("CARGO_BIN_EXE_shelf"))
        .args(["--log-format", "text", "create-table"])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let args = ["--anonymous-access", "none", "--credential-cache-secs", "1"];
    let a = ShelfProcess::start(data_a.path(), &args, &env);
    let b = ShelfProcess::start(data_b.path(), &args, &env);
    revocation_reaches_the_other_instance(&a, &b).await;
}
