//! `cargo run -p imaging --release --example shrink -- IN OUT_DIR`
//!
//! Runs the pipeline on one file, writes `display.jpg` and `thumb.jpg` into OUT_DIR, and
//! prints one JSON line: sizes, bytes, per-stage milliseconds and the peak heap the pipeline
//! used. Refused input prints `{"error": …, "code": …}` and exits with status 2.

// Counting the heap takes a `GlobalAlloc`, which is unsafe to implement; it only forwards to
// the system allocator. The imaging library itself forbids unsafe code.
#![allow(unsafe_code)]

use imaging::{Options, Processed, SystemClock};
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live heap bytes and remembers the peak, to report the pipeline's memory.
struct PeakAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir] = args.as_slice() else {
        eprintln!("usage: shrink IN OUT_DIR");
        return ExitCode::from(64);
    };
    let bytes = match std::fs::read(input) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("shrink: cannot read {input}: {e}");
            return ExitCode::from(66);
        }
    };
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = imaging::process(
        &bytes,
        &Options::default(),
        &SystemClock::default(),
        &mut |_| {},
    );
    let peak_mib = (PEAK.load(Ordering::Relaxed) - before) as f64 / (1024.0 * 1024.0);
    match result {
        Ok(processed) => match write(&processed, &PathBuf::from(out_dir)) {
            Ok(()) => {
                println!("{}", report(input, &bytes, &processed, peak_mib));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("shrink: cannot write into {out_dir}: {e}");
                ExitCode::from(73)
            }
        },
        Err(error) => {
            println!(
                "{}",
                json!({"input": input, "error": error.to_string(), "code": error.code(),
                       "peak_heap_mib": round(peak_mib)})
            );
            ExitCode::from(2)
        }
    }
}

fn write(processed: &Processed, out_dir: &PathBuf) -> std::io::Result<()> {
    std::fs::create_dir_all(out_dir)?;
    std::fs::write(out_dir.join("display.jpg"), &processed.display.bytes)?;
    std::fs::write(out_dir.join("thumb.jpg"), &processed.thumb.bytes)
}

fn report(input: &str, bytes: &[u8], p: &Processed, peak_mib: f64) -> serde_json::Value {
    let t = &p.timings;
    json!({
        "input": input,
        "format": p.source_format.name(),
        "source": {"width": p.source_width, "height": p.source_height, "bytes": bytes.len(), "orientation": p.orientation},
        "decoded": {"width": p.decoded_width, "height": p.decoded_height},
        "display": {"width": p.display.width, "height": p.display.height, "bytes": p.display.bytes.len()},
        "thumb": {"width": p.thumb.width, "height": p.thumb.height, "bytes": p.thumb.bytes.len()},
        "placeholder": p.placeholder,
        "ms": {"sniff": round(t.sniff), "decode": round(t.decode), "orient": round(t.orient),
               "resize": round(t.resize), "encode": round(t.encode), "placeholder": round(t.placeholder),
               "total": round(t.total)},
        "peak_heap_mib": round(peak_mib),
    })
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
