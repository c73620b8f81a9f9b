//! The `shelf` binary as a process: JSON logs with request ids, and graceful shutdown.

use crate::common;

use common::{read_log_line, spawn_shelf};
use serde_json::Value;
use std::io::{BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command};
use std::time::{Duration, Instant};

/// A running `shelf` with its own data folder; killed when dropped.
struct Shelf {
    child: Child,
    addr: String,
    logs: BufReader<ChildStdout>,
    _data_dir: tempfile::TempDir,
}

impl Shelf {
    fn start(extra_args: &[&str]) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let (child, addr, logs) = spawn_shelf(data_dir.path(), extra_args);
        Self {
            child,
            addr,
            logs,
            _data_dir: data_dir,
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        read_response(&mut stream)
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for exit (bounded) and returns the exit code and the remaining log lines.
    fn wait(mut self, limit: Duration) -> (Option<i32>, Vec<Value>) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < limit,
                "shelf did not exit within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut lines = Vec::new();
        while let Some(line) = read_log_line(&mut self.logs) {
            lines.push(line);
        }
        (status.code(), lines)
    }
}

impl Drop for Shelf {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn read_response(stream: &mut TcpStream) -> (u16, String) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[test]
fn every_log_line_of_a_request_carries_its_id() {
    let shelf = Shelf::start(&[]);
    let mut stream = TcpStream::connect(&shelf.addr).unwrap();
    let body = r#"{"name": "Logged"}"#;
    write!(
        stream,
        "POST /api/items HTTP/1.1\r\nHost: x\r\nx-request-id: trace-me-42\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let (status, response) = read_response(&mut stream);
    assert_eq!(status, 201);
    assert!(response
        .to_ascii_lowercase()
        .contains("x-request-id: trace-me-42"));

    shelf.signal("-TERM");
    let (_, lines) = shelf.wait(Duration::from_secs(10));
    let traced: Vec<&Value> = lines
        .iter()
        .filter(|line| line["span"]["request_id"] == "trace-me-42")
        .collect();
    assert!(
        !traced.is_empty(),
        "no line carries the request id: {lines:?}"
    );
    let response_line = traced
        .iter()
        .find(|line| line["message"] == "response")
        .expect("a response line");
    assert_eq!(response_line["status"], 201);
    assert_eq!(response_line["span"]["method"], "POST");
    assert_eq!(response_line["span"]["path"], "/api/items");
    assert!(response_line["latency_ms"].is_number());
    assert!(response_line["timestamp"].is_string() && response_line["level"] == "INFO");
}

#[test]
fn sigterm_fails_readiness_first_and_finishes_in_flight_requests() {
    let shelf = Shelf::start(&["--drain-secs", "2", "--shutdown-timeout-secs", "10"]);
    assert_eq!(shelf.get("/readyz").0, 200);

    // A request in flight: headers and half the body sent before the signal.
    let body = r#"{"name": "Sent across a shutdown"}"#;
    let (head, tail) = body.split_at(10);
    let mut in_flight = TcpStream::connect(&shelf.addr).unwrap();
    write!(
        in_flight,
        "POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head}",
        body.len()
    )
    .unwrap();
    in_flight.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));

    shelf.signal("-TERM");
    std::thread::sleep(Duration::from_millis(300));
    // Draining: still serving, but telling the load balancer to go away.
    let (status, text) = shelf.get("/readyz");
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("draining"));
    assert_eq!(shelf.get("/healthz").0, 200);

    // After the drain the listener closes, yet the in-flight request completes.
    std::thread::sleep(Duration::from_millis(2200));
    assert!(
        TcpStream::connect(&shelf.addr).is_err(),
        "listener should be closed"
    );
    in_flight.write_all(tail.as_bytes()).unwrap();
    let (status, response) = read_response(&mut in_flight);
    assert_eq!(status, 201, "{response}");

    let (code, _) = shelf.wait(Duration::from_secs(10));
    assert_eq!(code, Some(0));
}

#[test]
fn help_documents_every_setting() {
    let output = Command::new(env!("CARGO_BIN_EXE_shelf"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "LEPTOS_SITE_ADDR",
        "SHELF_DATA_DIR",
        "LEPTOS_SITE_ROOT",
        "SHELF_STORE",
        "SHELF_LOG_FORMAT",
        "RUST_LOG",
        "SHELF_DRAIN_SECS",
        "SHELF_REQUEST_TIMEOUT_SECS",
    ] {
        assert!(help.contains(needle), "--help does not mention {needle}");
    }
}

#[test]
fn a_bad_setting_is_refused_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_shelf"))
        .args(["--addr", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--addr"));

    // The AWS store without its bucket is a usage error, found before anything is opened.
    let output = Command::new(env!("CARGO_BIN_EXE_shelf"))
        .args(["--store", "aws", "--addr", "127.0.0.1:0"])
        .env_remove("SHELF_S3_BUCKET")
        .env("SHELF_UPLOAD_SECRET", "an upload secret of 32+ characters!")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--s3-bucket (SHELF_S3_BUCKET) is required"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("32+ characters"),
        "the secret is never echoed: {stderr}"
    );

    let file = tempfile::NamedTempFile::new().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_shelf"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--log-format",
            "text",
            "--data-dir",
        ])
        .arg(file.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "a data dir that is a file cannot work"
    );
    let logs = String::from_utf8_lossy(&output.stdout);
    assert!(logs.contains("data folder"), "{logs}");
}

/// Slowloris: headers sent a byte at a time, or never finished, hold a connection only for
/// the header-read timeout.
#[test]
fn a_client_slow_to_send_its_headers_is_cut_off() {
    let shelf = Shelf::start(&["--header-read-timeout-secs", "1"]);
    let mut stream = TcpStream::connect(&shelf.addr).unwrap();
    write!(stream, "GET /healthz HTTP/1.1\r\nHost: shelf\r\nX-Slow: ").unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    // The server closes the connection (EOF, or a reset): the read ends either way.
    let _ = stream.read_to_end(&mut answer);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the connection was held {:?}",
        started.elapsed()
    );
    assert!(
        !String::from_utf8_lossy(&answer).contains("200 OK"),
        "an unfinished request was answered"
    );
    // Whoever sends whole headers is served as before.
    assert_eq!(shelf.get("/healthz").0, 200);
}

/// With --max-connections held open by idle clients, the next connection waits in the
/// backlog (nothing is refused) and is served as soon as one closes.
#[test]
fn connections_beyond_the_limit_wait_for_one_to_close() {
    let shelf = Shelf::start(&["--max-connections", "2"]);
    let idle: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(&shelf.addr).unwrap())
        .collect();
    // Let the server accept both before the third arrives.
    std::thread::sleep(Duration::from_millis(300));
    let mut third = TcpStream::connect(&shelf.addr).unwrap();
    write!(
        third,
        "GET /healthz HTTP/1.1\r\nHost: shelf\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    third
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let mut first_byte = [0u8; 1];
    let early = third.read(&mut first_byte);
    assert!(
        early.is_err(),
        "answered while the limit was reached: {early:?}"
    );
    drop(idle);
    let (status, _) = read_response(&mut third);
    assert_eq!(status, 200);
}
