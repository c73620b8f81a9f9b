//! The photo pipeline ([`imaging`]) exposed to the browser's Web Worker.
//!
//! This is a wasm module of its own, loaded by `worker.js` inside a dedicated worker the
//! first time the user picks a photo: the page's own wasm never carries the imaging code,
//! and decoding and resizing never run on the main thread.
//!
//! # Layout
//! - [`process_photo`]: bytes in, a plain JS object out (or a JS error object).
//! - `worker.js` (beside this crate): the worker's entry; queues photos, one at a time.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use imaging::{Clock, ImagingError, Options, Processed, Stage, Variant};
use js_sys::{Object, Reflect, Uint8Array};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Processes one photo. `progress` is called with the name of each stage as it starts.
///
/// Returns `{display, thumb, placeholder, source, decoded, timings}` where each variant is
/// `{bytes: Uint8Array, width, height, contentType}`; throws `{code, message}` for a refused
/// file.
#[wasm_bindgen]
pub fn process_photo(bytes: &[u8], progress: &js_sys::Function) -> Result<JsValue, JsValue> {
    let mut report = |stage: Stage| {
        let _ = progress.call1(&JsValue::NULL, &JsValue::from_str(stage_name(stage)));
    };
    match imaging::process(
        bytes,
        &Options::default(),
        &PerformanceClock::new(),
        &mut report,
    ) {
        Ok(processed) => Ok(to_js(&processed).into()),
        Err(error) => Err(error_to_js(&error).into()),
    }
}

/// The largest file `process_photo` opens, in bytes: `worker.js` refuses a larger one before
/// reading it into memory.
#[wasm_bindgen]
pub fn max_file_bytes() -> f64 {
    Options::default().limits.max_file_bytes as f64
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Decoding => "decoding",
        Stage::Orienting => "orienting",
        Stage::Resizing => "resizing",
        Stage::Encoding => "encoding",
        Stage::Placeholder => "placeholder",
    }
}

/// `performance.now()` of the worker; `Date.now()` where a scope has no performance API.
struct PerformanceClock(Option<web_sys::Performance>);

impl PerformanceClock {
    fn new() -> Self {
        Self(
            js_sys::global()
                .dyn_into::<web_sys::WorkerGlobalScope>()
                .ok()
                .and_then(|scope| scope.performance()),
        )
    }
}

impl Clock for PerformanceClock {
    fn now_ms(&self) -> f64 {
        self.0.as_ref().map_or_else(js_sys::Date::now, |p| p.now())
    }
}

fn to_js(p: &Processed) -> Object {
    let t = &p.timings;
    object(&[
        ("display", variant(&p.display).into()),
        ("thumb", variant(&p.thumb).into()),
        ("placeholder", p.placeholder.as_str().into()),
        (
            "source",
            object(&[
                ("format", p.source_format.name().into()),
                ("width", p.source_width.into()),
                ("height", p.source_height.into()),
                ("orientation", p.orientation.into()),
            ])
            .into(),
        ),
        (
            "decoded",
            object(&[
                ("width", p.decoded_width.into()),
                ("height", p.decoded_height.into()),
            ])
            .into(),
        ),
        (
            "timings",
            object(&[
                ("sniff", t.sniff.into()),
                ("decode", t.decode.into()),
                ("orient", t.orient.into()),
                ("resize", t.resize.into()),
                ("encode", t.encode.into()),
                ("placeholder", t.placeholder.into()),
                ("total", t.total.into()),
            ])
            .into(),
        ),
    ])
}

fn variant(v: &Variant) -> Object {
    object(&[
        ("bytes", Uint8Array::from(v.bytes.as_slice()).into()),
        ("width", v.width.into()),
        ("height", v.height.into()),
        ("contentType", v.content_type.into()),
        // What the upload URL will be signed for (`docs/uploads.md`).
        ("sha256", STANDARD.encode(Sha256::digest(&v.bytes)).into()),
    ])
}

fn error_to_js(error: &ImagingError) -> Object {
    object(&[
        ("code", error.code().into()),
        ("message", error.to_string().into()),
    ])
}

fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}
