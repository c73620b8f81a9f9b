//! Sending one processed photo from the browser (`docs/uploads.md` steps 3–5): ask the server
//! where to upload, `PUT` both variants straight to storage with upload progress (XHR, since
//! `fetch` reports none) and retries with backoff, then ask the server to attach it.
//!
//! Runs only in the browser; on the server these functions are never called.

use crate::browser::photo_worker::{EncodedVariant, ProcessedPhoto};
use crate::server_fns::{attach_photo, request_photo_upload, user_message};
use domain::model::Item;
use domain::photos::{UploadInstruction, UploadRequest, VariantSpec, JPEG};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::XmlHttpRequest;

/// A failed PUT is tried again this many times, waiting 0.5 s, 1 s, then 2 s.
pub const RETRIES: u32 = 3;
const FIRST_BACKOFF_MS: i32 = 500;

/// Lets the page stop an upload in progress: the current request is aborted at once.
#[derive(Clone, Default)]
pub struct CancelUpload {
    cancelled: Rc<Cell<bool>>,
    request: Rc<RefCell<Option<XmlHttpRequest>>>,
}

impl CancelUpload {
    pub fn cancel(&self) {
        self.cancelled.set(true);
        if let Some(request) = self.request.borrow_mut().take() {
            let _ = request.abort();
        }
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.get()
    }
}

/// How one PUT ended.
enum PutError {
    /// Worth another try: the network failed, or the server was briefly unable.
    Transient(String),
    /// Trying again cannot help (the server refused the request).
    Refused(String),
    Cancelled,
}

/// Uploads and attaches `photo`; `progress` gets the fraction of bytes sent, 0 to 1. Returns
/// the item with the photo attached, or what went wrong in words for the user.
pub async fn upload_photo(
    collection: Option<&str>,
    item_id: &str,
    photo: &ProcessedPhoto,
    progress: impl Fn(f64) + 'static,
    cancel: &CancelUpload,
) -> Result<Item, String> {
    let request = UploadRequest {
        display: spec(&photo.display),
        thumb: spec(&photo.thumb),
        placeholder: photo.placeholder.clone(),
    };
    let grant = request_photo_upload(collection.map(str::to_owned), item_id.to_owned(), request)
        .await
        .map_err(|e| user_message(&e))?;
    let total = (photo.display.bytes + photo.thumb.bytes).max(1) as f64;
    let progress = Rc::new(progress);
    let mut done = 0u64;
    for (variant, instruction) in [
        (&photo.display, &grant.display),
        (&photo.thumb, &grant.thumb),
    ] {
        let before = done;
        let report = progress.clone();
        let on_sent = move |sent: f64| report((before as f64 + sent) / total);
        put_with_retries(instruction, variant, Rc::new(on_sent), cancel).await?;
        done += variant.bytes;
        progress(done as f64 / total);
    }
    if cancel.is_cancelled() {
        return Err("Cancelled.".into());
    }
    attach_photo(
        collection.map(str::to_owned),
        item_id.to_owned(),
        grant.upload_id,
    )
    .await
    .map_err(|e| user_message(&e))
}

fn spec(variant: &EncodedVariant) -> VariantSpec {
    VariantSpec {
        bytes: variant.bytes,
        content_type: JPEG.into(),
        width: variant.width,
        height: variant.height,
        sha256: variant.sha256.clone(),
    }
}

async fn put_with_retries(
    instruction: &UploadInstruction,
    variant: &EncodedVariant,
    on_sent: Rc<dyn Fn(f64)>,
    cancel: &CancelUpload,
) -> Result<(), String> {
    let mut backoff = FIRST_BACKOFF_MS;
    let mut attempt = 0;
    loop {
        if cancel.is_cancelled() {
            return Err("Cancelled.".into());
        }
        match put_once(instruction, variant, on_sent.clone(), cancel).await {
            Ok(()) => return Ok(()),
            Err(PutError::Cancelled) => return Err("Cancelled.".into()),
            Err(PutError::Refused(message)) => return Err(message),
            Err(PutError::Transient(message)) if attempt >= RETRIES => {
                return Err(format!("{message} (tried {} times)", attempt + 1))
            }
            Err(PutError::Transient(_)) => {
                attempt += 1;
                sleep_ms(backoff).await;
                backoff *= 2;
            }
        }
    }
}

/// One XHR PUT of the variant's blob, resolved when it ends however it ends.
async fn put_once(
    instruction: &UploadInstruction,
    variant: &EncodedVariant,
    on_sent: Rc<dyn Fn(f64)>,
    cancel: &CancelUpload,
) -> Result<(), PutError> {
    let unavailable = |_| PutError::Transient("The browser could not start the upload.".into());
    let xhr = XmlHttpRequest::new().map_err(unavailable)?;
    xhr.open(&instruction.method, &instruction.url)
        .map_err(unavailable)?;
    for (name, value) in &instruction.headers {
        xhr.set_request_header(name, value).map_err(unavailable)?;
    }
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() {
                on_sent(event.loaded());
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let ended = js_sys::Promise::new(&mut |resolve, _| {
        for event in ["load", "error", "abort", "timeout"] {
            let resolve = resolve.clone();
            let on_end = Closure::once_into_js(move |e: web_sys::Event| {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&e.type_()));
            });
            let _ = xhr.add_event_listener_with_callback(event, on_end.unchecked_ref());
        }
    });
    *cancel.request.borrow_mut() = Some(xhr.clone());
    xhr.send_with_opt_blob(Some(&variant.blob))
        .map_err(unavailable)?;
    let how = wasm_bindgen_futures::JsFuture::from(ended)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    cancel.request.borrow_mut().take();
    drop(on_progress);
    match how.as_str() {
        "load" => {
            let status = xhr.status().unwrap_or(0);
            match status {
                200..=299 => Ok(()),
                408 | 429 | 500..=599 => Err(PutError::Transient(format!(
                    "The storage server answered {status}."
                ))),
                _ => Err(PutError::Refused(refusal_message(&xhr, status))),
            }
        }
        "abort" if cancel.is_cancelled() => Err(PutError::Cancelled),
        _ => Err(PutError::Transient(
            "The upload was interrupted; check your connection.".into(),
        )),
    }
}

/// The server's own words (`{"error": "…"}`), if it sent any. Parsed by the browser's own
/// JSON parser: nothing else in the page needs an untyped JSON reader in the wasm.
fn refusal_message(xhr: &XmlHttpRequest, status: u16) -> String {
    let message = xhr
        .response_text()
        .ok()
        .flatten()
        .and_then(|body| js_sys::JSON::parse(&body).ok())
        .and_then(|json| js_sys::Reflect::get(&json, &JsValue::from_str("error")).ok())
        .and_then(|error| error.as_string());
    match message {
        Some(message) => format!("The upload was refused: {message}."),
        None => format!("The storage server refused the upload ({status})."),
    }
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
