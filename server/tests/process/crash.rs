//! Crash consistency of the embedded stores: the real `shelf` binary is killed with SIGKILL in
//! the middle of uploads (some of them half-sent), attaches, removals, deletes and form posts
//! with photos, several times over one data folder. Afterwards the SQLite file must be intact,
//! every photo record must point at complete files of the recorded size and dimensions, no
//! torn file may sit in the photo folder, and a restarted server must serve it all.

use crate::common;

use common::{files_under, upload_request, variants, ShelfProcess};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

const ROUNDS: usize = 4;
const WORKERS: usize = 6;
/// Each worker stops after this many steps even if the kill never comes.
const MAX_STEPS: usize = 200;

/// One client doing everything a user can do with photos, over and over, until stopped.
async fn worker(base: String, stop: Arc<AtomicBool>, steps: Arc<AtomicUsize>, seed: usize) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let photo = variants();
    for step in 0..MAX_STEPS {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        // Workers take the kinds of step in different phases, so every kind is under way
        // when the kill comes.
        let kind = step + seed;
        let result: Result<(), reqwest::Error> = async {
            let item: Value = http
                .post(format!("{base}/api/items"))
                .json(&json!({"name": format!("crash {seed}-{step}")}))
                .send()
                .await?
                .json()
                .await?;
            let id = item["id"].as_str().unwrap_or_default().to_owned();
            if kind % 5 == 4 {
                // A form post without JavaScript: the server shrinks and stores the photo.
                let form = reqwest::multipart::Form::new()
                    .text("version", item["version"].to_string())
                    .text("name", "crash form")
                    .part(
                        "photos",
                        reqwest::multipart::Part::bytes(common::testdata(
                            "exif-orientation/Portrait_3.jpg",
                        ))
                        .file_name("p.jpg"),
                    );
                http.post(format!("{base}/items/{id}/edit"))
                    .multipart(form)
                    .send()
                    .await?;
                return Ok(());
            }
            let grant: Value = http
                .post(format!("{base}/api/items/{id}/photos/uploads"))
                .json(&upload_request(photo))
                .send()
                .await?
                .json()
                .await?;
            let url = |name: &str| grant[name]["url"].as_str().unwrap_or_default().to_owned();
            // Half the display uploads crawl, so the kill often lands mid-body.
            slow_put(
                &url("display"),
                &photo.display.bytes,
                kind.is_multiple_of(2),
            )
            .await;
            http.put(url("thumb"))
                .header("content-type", "image/jpeg")
                .body(photo.thumb.bytes.clone())
                .send()
                .await?;
            http.post(format!("{base}/api/items/{id}/photos"))
                .json(&json!({"upload_id": grant["upload_id"]}))
                .send()
                .await?;
            match kind % 3 {
                0 => {
                    let photo_id = grant["photo_id"].as_str().unwrap_or_default();
                    http.delete(format!("{base}/api/items/{id}/photos/{photo_id}"))
                        .send()
                        .await?;
                }
                1 => {
                    http.delete(format!("{base}/api/items/{id}")).send().await?;
                }
                _ => {}
            }
            Ok(())
        }
        .await;
        steps.fetch_add(1, Ordering::Relaxed);
        if result.is_err() && stop.load(Ordering::Relaxed) {
            return;
        }
    }
}

/// A PUT sent by hand, optionally in small pieces with pauses between them.
async fn slow_put(url: &str, body: &[u8], slowly: bool) {
    let Some(rest) = url.strip_prefix("http://") else {
        return;
    };
    let Some((addr, path)) = rest.split_once('/') else {
        return;
    };
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return;
    };
    let head = format!(
        "PUT /{path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: image/jpeg\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let piece = if slowly {
        body.len() / 8 + 1
    } else {
        body.len()
    };
    for chunk in body.chunks(piece) {
        if stream.write_all(chunk).await.is_err() {
            return;
        }
        if slowly {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut answer),
    )
    .await;
}

/// What a photo record says one of its files is.
struct StoredVariant {
    path: PathBuf,
    width: u32,
    height: u32,
    bytes: i64,
}

/// The database is sound and every record's files are whole.
fn check_consistency(data_dir: &Path) -> (usize, usize) {
    let conn = rusqlite::Connection::open(data_dir.join("shelf.db")).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    // One row per stored variant: item, photo, variant name, width, height, bytes.
    let mut stmt = conn
        .prepare(
            "SELECT item_id, id, 'display', width, height, bytes FROM photos
             UNION ALL
             SELECT item_id, id, 'thumb', thumb_width, thumb_height, thumb_bytes FROM photos",
        )
        .unwrap();
    let variants: Vec<StoredVariant> = stmt
        .query_map([], |r| {
            Ok(StoredVariant {
                path: data_dir
                    .join("photos")
                    .join(r.get::<_, String>(0)?)
                    .join(r.get::<_, String>(1)?)
                    .join(format!("{}.jpg", r.get::<_, String>(2)?)),
                width: r.get(3)?,
                height: r.get(4)?,
                bytes: r.get(5)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for StoredVariant {
        path,
        width,
        height,
        bytes,
    } in &variants
    {
        let file = std::fs::read(path)
            .unwrap_or_else(|e| panic!("record points at a missing file {}: {e}", path.display()));
        assert_eq!(file.len() as i64, *bytes, "{}", path.display());
        assert_eq!(
            imaging::decode::jpeg_dimensions(&file).unwrap(),
            (*width, *height)
        );
    }
    // Nothing half-written ever reaches the photo folder: every file there decodes whole.
    let files = files_under(&data_dir.join("photos"));
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        assert!(
            bytes.ends_with(&[0xff, 0xd9]),
            "torn file {}",
            file.display()
        );
        jpeg_decoder::Decoder::new(bytes.as_slice())
            .decode()
            .unwrap_or_else(|e| panic!("torn file {}: {e}", file.display()));
    }
    (variants.len() / 2, files.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_uploads_and_writes_leaves_a_consistent_store() {
    let data = tempfile::tempdir().unwrap();
    let mut total_steps = 0;
    // Temporary files found after a kill: uploads that were cut off mid-body.
    let mut torn = 0;
    for round in 0..ROUNDS {
        let shelf = ShelfProcess::start(data.path(), &[], &[]);
        let stop = Arc::new(AtomicBool::new(false));
        let steps = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..WORKERS)
            .map(|n| {
                tokio::spawn(worker(
                    shelf.base.clone(),
                    stop.clone(),
                    steps.clone(),
                    round * WORKERS + n,
                ))
            })
            .collect();
        // Let work pile up, then pull the plug at a different moment each round.
        let started = Instant::now();
        while steps.load(Ordering::Relaxed) < 3 * WORKERS
            && started.elapsed() < Duration::from_secs(20)
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(37 * round as u64 + 20)).await;
        shelf.kill();
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            let _ = tokio::time::timeout(Duration::from_secs(10), worker).await;
        }
        total_steps += steps.load(Ordering::Relaxed);
        torn += files_under(&data.path().join("incoming")).len();
        check_consistency(data.path());
    }
    let (records, files) = check_consistency(data.path());
    eprintln!(
        "{ROUNDS} kills over {total_steps} client steps: {records} photo records, {files} files, \
         all whole; {torn} uploads cut off mid-body (left in incoming/)"
    );
    assert!(records > 0, "the workload attached photos");

    // A restart clears the temporary uploads and serves every recorded photo.
    let shelf = ShelfProcess::start(data.path(), &[], &[]);
    assert_eq!(
        files_under(&data.path().join("incoming")),
        Vec::<PathBuf>::new()
    );
    let http = reqwest::Client::new();
    let ready = http
        .get(format!("{}/readyz", shelf.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let items: Value = http
        .get(format!("{}/api/items?limit=100", shelf.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut served = 0;
    for item in items.as_array().unwrap() {
        for photo in item["photos"].as_array().unwrap() {
            for url in [&photo["url"], &photo["thumb_url"]] {
                let response = http
                    .get(format!("{}{}", shelf.base, url.as_str().unwrap()))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
                served += 1;
            }
        }
    }
    assert!(served > 0);
    shelf.kill();
}
