//! Sending the photos picked in a form from the browser (`docs/uploads.md` steps 3–5): one
//! request for the upload URLs of the photos ready at once, the `PUT`s straight to storage
//! (both variants of a photo at once) with upload progress (XHR, since `fetch` reports none)
//! and retries with backoff, and one request to attach every photo that arrived, in the order
//! picked. [`crate::components::PhotoQueue`] decides when each runs.
//!
//! Runs only in the browser; on the server these functions are never called.

use crate::browser::photo_worker::{EncodedVariant, ProcessedPhoto};
use crate::server_fns::{attach_photos, request_photo_uploads, user_message, AttachReport};
use domain::model::Item;
use domain::photos::{UploadGrant, UploadInstruction, UploadRequest, VariantSpec, JPEG};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::XmlHttpRequest;

/// A failed PUT is tried again this many times, waiting 0.5 s, 1 s, then 2 s.
pub const RETRIES: u32 = 3;
const FIRST_BACKOFF_MS: i32 = 500;

/// Photos whose files are sent at once, two PUTs each. A phone's upload link is the limit
/// either way; more than one photo at a time hides each request's round trip and the
/// storage's answer, and four PUTs leave a browser's six connections per host room for the
/// page.
pub const PHOTOS_AT_ONCE: usize = 2;

/// What the server answered for no photo of a batch it was sent (it answers for each).
const NO_ANSWER: &str = "The server did not answer for this photo; try again.";

/// Lets the page stop the uploads in progress: every request in flight is aborted at once.
#[derive(Clone, Default)]
pub struct CancelUpload {
    cancelled: Rc<Cell<bool>>,
    in_flight: Rc<RefCell<Vec<(u32, XmlHttpRequest)>>>,
    next_key: Rc<Cell<u32>>,
}

impl CancelUpload {
    pub fn cancel(&self) {
        self.cancelled.set(true);
        for (_, request) in self.in_flight.take() {
            let _ = request.abort();
        }
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.get()
    }

    /// Keeps `request` to abort on cancel, until [`Self::forget`] is called with the key.
    fn track(&self, request: &XmlHttpRequest) -> u32 {
        let key = self.next_key.get();
        self.next_key.set(key.wrapping_add(1));
        self.in_flight.borrow_mut().push((key, request.clone()));
        key
    }

    fn forget(&self, key: u32) {
        self.in_flight.borrow_mut().retain(|(k, _)| *k != key);
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

/// Asks where to upload each of `photos` for the item `item_id` (`docs/uploads.md` step 3), in
/// one request: each photo's grant, or why it was refused, in order.
pub async fn request_grants(
    collection: Option<String>,
    item_id: String,
    photos: &[ProcessedPhoto],
) -> Vec<Result<UploadGrant, String>> {
    let requests = photos.iter().map(request).collect();
    match request_photo_uploads(collection, item_id, requests).await {
        Ok(grants) => {
            let mut grants = grants.into_iter();
            photos
                .iter()
                .map(|_| grants.next().unwrap_or_else(|| Err(NO_ANSWER.to_owned())))
                .collect()
        }
        Err(error) => {
            let message = user_message(&error);
            photos.iter().map(|_| Err(message.clone())).collect()
        }
    }
}

/// Attaches the uploads `upload_ids` to the item `item_id`, in this order, in one request
/// (`docs/uploads.md` step 5): each one's outcome, in order, and the item as the last attach
/// left it.
pub async fn attach(
    collection: Option<String>,
    item_id: String,
    upload_ids: Vec<String>,
) -> (Vec<Result<(), String>>, Option<Item>) {
    let count = upload_ids.len();
    match attach_photos(collection, item_id, upload_ids).await {
        Ok(AttachReport { outcomes, item }) => {
            let mut outcomes = outcomes.into_iter();
            let all = (0..count)
                .map(|_| outcomes.next().unwrap_or_else(|| Err(NO_ANSWER.to_owned())))
                .collect();
            (all, item)
        }
        Err(error) => {
            let message = user_message(&error);
            ((0..count).map(|_| Err(message.clone())).collect(), None)
        }
    }
}

fn request(photo: &ProcessedPhoto) -> UploadRequest {
    UploadRequest {
        display: spec(&photo.display),
        thumb: spec(&photo.thumb),
        placeholder: photo.placeholder.clone(),
    }
}

/// PUTs both variants of `photo` at once, each retried on its own (`docs/uploads.md` step 4);
/// `progress` gets the fraction of both sent, 0 to 1.
pub async fn put_photo(
    photo: &ProcessedPhoto,
    grant: &UploadGrant,
    progress: impl Fn(f64) + 'static,
    cancel: &CancelUpload,
) -> Result<(), String> {
    let total = (photo.display.bytes + photo.thumb.bytes).max(1) as f64;
    let sent = Rc::new([Cell::new(0.0), Cell::new(0.0)]);
    let progress = Rc::new(progress);
    progress(0.0);
    let on_sent = |variant: usize| -> Rc<dyn Fn(f64)> {
        let (sent, progress) = (sent.clone(), progress.clone());
        Rc::new(move |bytes: f64| {
            sent[variant].set(bytes);
            progress((sent[0].get() + sent[1].get()) / total);
        })
    };
    let (display, thumb) = futures::future::join(
        put_with_retries(&grant.display, &photo.display, on_sent(0), cancel),
        put_with_retries(&grant.thumb, &photo.thumb, on_sent(1), cancel),
    )
    .await;
    display.and(thumb)?;
    progress(1.0);
    Ok(())
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
    let tracked = cancel.track(&xhr);
    if let Err(error) = xhr.send_with_opt_blob(Some(&variant.blob)) {
        cancel.forget(tracked);
        return Err(unavailable(error));
    }
    let how = wasm_bindgen_futures::JsFuture::from(ended)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    cancel.forget(tracked);
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
