//! The page's side of the photo Web Worker (`photo-worker/`): starting it, sending it
//! files, and turning its messages into Rust values.
//!
//! The worker script and its wasm are fetched only when [`PhotoWorker::spawn`] first runs:
//! once the item form is interactive and the browser idle, or on the form's first focus or
//! touch if that comes first or the user saves data, so it is ready by the time photos are
//! picked (`PhotoQueue::start_worker_when_idle`). Everything here runs in the browser; on the
//! server these functions are never called.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, File, MessageEvent, Worker, WorkerOptions, WorkerType};

/// Where the site serves `photo-worker/build.sh`'s output.
const WORKER_URL: &str = "/photo-worker/worker.js";

/// A running worker. Dropping it stops the worker and whatever it was doing.
pub struct PhotoWorker {
    worker: Worker,
    // Kept alive as long as the worker: it is the worker's `onmessage`.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// What the worker reports about the photo with id `id`.
pub enum WorkerEvent {
    Progress { id: u32, stage: Stage },
    Done { id: u32, photo: ProcessedPhoto },
    Refused { id: u32, message: String },
}

/// A step of the worker's pipeline, as its progress messages name it (`photo-worker`'s
/// `stage_name`). Parsed here, where the message arrives, so nothing further in matches on
/// the worker's strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Decoding,
    Orienting,
    Resizing,
    Encoding,
    Placeholder,
}

impl Stage {
    /// `None` for a name this page does not know (a worker of another version): that
    /// progress message is dropped, the photo still finishes.
    fn parse(name: &str) -> Option<Self> {
        match name {
            "decoding" => Some(Self::Decoding),
            "orienting" => Some(Self::Orienting),
            "resizing" => Some(Self::Resizing),
            "encoding" => Some(Self::Encoding),
            "placeholder" => Some(Self::Placeholder),
            _ => None,
        }
    }
}

/// One processed photo, held in the page until it is uploaded.
#[derive(Clone)]
pub struct ProcessedPhoto {
    pub display: EncodedVariant,
    pub thumb: EncodedVariant,
    pub placeholder: String,
    pub total_ms: f64,
}

#[derive(Clone)]
pub struct EncodedVariant {
    pub blob: Blob,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// The file's SHA-256 in base64, as the worker computed it.
    pub sha256: String,
}

impl PhotoWorker {
    pub fn spawn(mut on_event: impl FnMut(WorkerEvent) + 'static) -> Result<Self, JsValue> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options)?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(event) = parse(&event.data()) {
                on_event(event);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            _on_message: on_message,
        })
    }

    /// Queues `file` under `id`; the worker takes files one at a time, in order.
    pub fn process(&self, id: u32, file: &File) -> Result<(), JsValue> {
        let message = Object::new();
        Reflect::set(&message, &"id".into(), &id.into())?;
        Reflect::set(&message, &"file".into(), file)?;
        self.worker.post_message(&message)
    }
}

impl Drop for PhotoWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.terminate();
    }
}

fn parse(data: &JsValue) -> Option<WorkerEvent> {
    let id = get(data, "id")?.as_f64()? as u32;
    match get(data, "type")?.as_string()?.as_str() {
        "progress" => Some(WorkerEvent::Progress {
            id,
            stage: Stage::parse(&get(data, "stage")?.as_string()?)?,
        }),
        "error" => Some(WorkerEvent::Refused {
            id,
            message: get(data, "message")?.as_string()?,
        }),
        "done" => {
            let result = get(data, "result")?;
            Some(WorkerEvent::Done {
                id,
                photo: ProcessedPhoto {
                    display: variant(&get(&result, "display")?)?,
                    thumb: variant(&get(&result, "thumb")?)?,
                    placeholder: get(&result, "placeholder")?.as_string()?,
                    total_ms: get(&get(&result, "timings")?, "total")?.as_f64()?,
                },
            })
        }
        _ => None,
    }
}

fn variant(value: &JsValue) -> Option<EncodedVariant> {
    let bytes: Uint8Array = get(value, "bytes")?.dyn_into().ok()?;
    let options = BlobPropertyBag::new();
    options.set_type(&get(value, "contentType")?.as_string()?);
    let blob = Blob::new_with_u8_array_sequence_and_options(&Array::of1(&bytes), &options).ok()?;
    Some(EncodedVariant {
        width: get(value, "width")?.as_f64()? as u32,
        height: get(value, "height")?.as_f64()? as u32,
        bytes: u64::from(bytes.length()),
        sha256: get(value, "sha256")?.as_string()?,
        blob,
    })
}

fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}
