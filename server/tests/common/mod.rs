//! A real Shelf router on 127.0.0.1 over a fresh SQLite file, for HTTP tests.

#![allow(dead_code)] // each test binary uses a different part of this module

pub mod scoped;

use clap::Parser;
use serde_json::Value;
use server::config::Config;
use server::shutdown::Readiness;
use std::time::Duration;
use tempfile::TempDir;

pub struct TestServer {
    pub base: String,
    pub http: reqwest::Client,
    /// The server's own photo operations, for what no HTTP request triggers (the sweeper).
    pub photos: domain::photos::Photos,
    /// The server's item store, for tests of the stores themselves.
    pub items: domain::item_store::SharedItemStore,
    /// The server's account operations, for what the command line does (`shelf users`).
    pub accounts: domain::accounts::Accounts,
    /// The process's metrics, as the metrics listener renders them.
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    /// Held so the data folder lives as long as the server.
    pub data_dir: TempDir,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// A server with extra command-line settings.
    pub async fn start_with(args: &[&str]) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let data = data_dir
            .path()
            .to_str()
            .expect("utf-8 temp path")
            .to_owned();
        let site = format!("{data}/site");
        let mut all = vec!["shelf", "--data-dir", &data, "--site-root", &site];
        all.extend_from_slice(&with_anonymous_editing(args));
        let config = Config::try_parse_from(all).expect("test config");
        let state = server::app_state(&config, Readiness::default())
            .await
            .expect("stores open");
        let photos = state.photos.clone();
        let items = state.store.clone();
        let accounts = state.accounts.clone();
        let metrics = state.metrics.clone();
        let app = server::routes::app(state, Duration::from_secs(10));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let service =
            axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
                std::net::SocketAddr,
            >(app);
        tokio::spawn(async move { axum::serve(listener, service).await });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            base,
            http,
            photos,
            items,
            accounts,
            metrics,
            data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `GET` a path and parse the JSON answer (any status).
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        self.get_json_url(&self.url(path)).await
    }

    pub async fn get_json_url<T: serde::de::DeserializeOwned>(&self, url: &str) -> T {
        let response = self.http.get(url).send().await.expect("request");
        response.json().await.expect("a JSON body")
    }

    /// `GET` a page and its HTML (any status).
    pub async fn html(&self, path: &str) -> String {
        let response = self.http.get(self.url(path)).send().await.expect("request");
        response.text().await.expect("a body")
    }

    /// `form` posted to `path` as `application/x-www-form-urlencoded`, as a browser does.
    pub async fn post_form(
        &self,
        path: &str,
        form: &(impl serde::Serialize + ?Sized),
    ) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A call of the server function `F` with `arguments` encoded as the hydrated page encodes
    /// them (nested values and lists in `serde_qs`' brackets).
    pub async fn call_server_fn<F: leptos::server_fn::ServerFn>(
        &self,
        arguments: &Value,
    ) -> reqwest::Response {
        self.http
            .post(self.url(F::PATH))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_qs::to_string(arguments).expect("arguments as a query string"))
            .send()
            .await
            .unwrap()
    }

    /// `POST /api/items` with a JSON body; returns the response.
    pub async fn post_item(&self, body: Value) -> reqwest::Response {
        self.http
            .post(self.url("/api/items"))
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// Creates an item and returns its JSON.
    pub async fn create(&self, name: &str, description: &str) -> Value {
        let response = self
            .post_item(serde_json::json!({"name": name, "description": description}))
            .await;
        assert_eq!(response.status(), 201, "create {name}");
        response.json().await.expect("item json")
    }
}

/// The `fields` object of a JSON error response.
pub async fn error_fields(response: reqwest::Response) -> Value {
    let body: Value = response.json().await.expect("error json");
    assert!(body["error"].is_string(), "error message missing: {body}");
    body["fields"].clone()
}

/// A file under `testdata/photos/` of this repository.
pub fn testdata(rel: &str) -> Vec<u8> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/photos")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A real photo through the real pipeline: the variants a browser would upload.
pub fn variants() -> &'static imaging::Processed {
    static PROCESSED: std::sync::OnceLock<imaging::Processed> = std::sync::OnceLock::new();
    PROCESSED.get_or_init(|| {
        imaging::process(
            &testdata("exif-orientation/Landscape_6.jpg"),
            &imaging::Options::default(),
            &imaging::SystemClock::default(),
            &mut |_| {},
        )
        .expect("the pipeline takes the test photo")
    })
}

/// The body of `POST /api/items/{id}/photos/uploads` for `photo`.
pub fn upload_request(photo: &imaging::Processed) -> Value {
    let spec = |v: &imaging::Variant| serde_json::json!({"bytes": v.bytes.len(), "content_type": "image/jpeg", "width": v.width, "height": v.height, "sha256": sha256(&v.bytes)});
    serde_json::json!({"display": spec(&photo.display), "thumb": spec(&photo.thumb), "placeholder": photo.placeholder})
}

/// A file's SHA-256 in base64, as an upload request states it.
pub fn sha256(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
}

/// `POST {base}/api/items/{item}/photos/uploads` for the test photo: the upload grant.
pub async fn start_upload(http: &reqwest::Client, base: &str, item: &str) -> Value {
    let response = http
        .post(format!("{base}/api/items/{item}/photos/uploads"))
        .json(&upload_request(variants()))
        .send()
        .await
        .expect("the upload request answers");
    assert_eq!(response.status(), 201, "upload granted");
    response.json().await.expect("a JSON grant")
}

/// PUTs one variant (`"display"` or `"thumb"`) where an upload grant says, with the headers it
/// says (they are signed); returns the status.
pub async fn put_variant(
    http: &reqwest::Client,
    grant: &Value,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::StatusCode {
    let target = &grant[name];
    let mut put = http
        .put(target["url"].as_str().expect("an upload url"))
        .body(bytes);
    for (header, value) in target["headers"].as_object().expect("upload headers") {
        put = put.header(header, value.as_str().expect("a header value"));
    }
    put.send().await.expect("the upload answers").status()
}

/// Every file below `dir`, at any depth; none if it does not exist.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flat_map(|e| {
            let path = e.unwrap().path();
            if path.is_dir() {
                files_under(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

/// The ids of an item's photos (item JSON), in order.
pub fn photo_ids(item: &Value) -> Vec<String> {
    item["photos"]
        .as_array()
        .expect("photos")
        .iter()
        .map(|p| p["id"].as_str().expect("photo id").to_owned())
        .collect()
}

/// The `shelf` binary started on `data_dir` with JSON logs on a port the OS chooses, once it
/// has logged where it listens: the child, its address, and the rest of its log.
pub fn spawn_shelf(data_dir: &std::path::Path, extra_args: &[&str]) -> Spawned {
    spawn_shelf_with_env(data_dir, extra_args, &[])
}

/// A started `shelf`: the child, its address, and the rest of its log.
pub type Spawned = (
    std::process::Child,
    String,
    std::io::BufReader<std::process::ChildStdout>,
);

/// [`spawn_shelf`] with extra environment variables.
pub fn spawn_shelf_with_env(
    data_dir: &std::path::Path,
    extra_args: &[&str],
    env: &[(String, String)],
) -> Spawned {
    let (child, addr, _, logs) = spawn_shelf_with_metrics(data_dir, extra_args, env);
    (child, addr, logs)
}

/// [`spawn_shelf_with_env`], also returning the metrics listener's address (its own port,
/// which the OS chooses).
pub fn spawn_shelf_with_metrics(
    data_dir: &std::path::Path,
    extra_args: &[&str],
    env: &[(String, String)],
) -> (
    std::process::Child,
    String,
    String,
    std::io::BufReader<std::process::ChildStdout>,
) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shelf"))
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--metrics-addr",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--data-dir",
        ])
        .arg(data_dir)
        .args(with_anonymous_editing(extra_args))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("shelf starts");
    let mut logs = std::io::BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut metrics_addr = None;
    let addr = loop {
        let line = read_log_line(&mut logs).expect("shelf logs its address before exiting");
        if let Some(addr) = line["metrics_addr"].as_str() {
            metrics_addr = Some(addr.to_owned());
        }
        if let Some(addr) = line["addr"].as_str() {
            break addr.to_owned();
        }
    };
    let metrics_addr = metrics_addr.expect("the metrics address is logged before the main one");
    (child, addr, metrics_addr, logs)
}

/// Until a test says otherwise, anyone may edit the anonymous collection: the tests of items
/// and photos are about items and photos, as the old clients (which send no credentials) use
/// them. The tests of access itself pass `--anonymous-access` themselves.
fn with_anonymous_editing<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    if !args.contains(&"--anonymous-access") {
        all.extend(["--anonymous-access", "edit"]);
    }
    all
}

/// One JSON log line; `None` at the end of the log.
pub fn read_log_line(logs: &mut impl std::io::BufRead) -> Option<Value> {
    let mut line = String::new();
    match logs.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            Some(serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        }
    }
}

/// The `shelf` binary serving in the background: its log is drained on a thread (so logging
/// never blocks the server on a full pipe), and it is killed when dropped, however the test
/// ends.
pub struct ShelfProcess {
    child: std::process::Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The metrics listener's `http://127.0.0.1:<port>`.
    pub metrics_base: String,
    pub http: reqwest::Client,
}

impl ShelfProcess {
    pub fn start(
        data_dir: &std::path::Path,
        extra_args: &[&str],
        env: &[(String, String)],
    ) -> Self {
        let (child, addr, metrics_addr, logs) = spawn_shelf_with_metrics(data_dir, extra_args, env);
        std::thread::spawn(move || std::io::BufRead::lines(logs).for_each(drop));
        Self {
            child,
            base: format!("http://{addr}"),
            metrics_base: format!("http://{metrics_addr}"),
            http: reqwest::Client::new(),
        }
    }

    /// `GET /metrics` from the metrics listener.
    pub async fn metrics(&self) -> reqwest::Response {
        self.http
            .get(format!("{}/metrics", self.metrics_base))
            .send()
            .await
            .expect("the metrics listener answers")
    }

    /// `GET {base}{path}`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("shelf answers")
    }

    /// SIGKILL: no drain, no flush, no cleanup; returns once the process is gone.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ShelfProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
