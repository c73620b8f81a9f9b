//! [`PhotoQueue`]: the photos picked in a form, from choosing to attaching. Each file goes to
//! the photo Web Worker (started once the form is interactive) and comes back small, upright and
//! metadata-free, or refused with a reason. Each ready photo is uploaded at once, a few at a
//! time, while the user is still filling in the form (the item it is for may not exist yet:
//! a new item's form knows the id its create will use). Once the item is saved,
//! [`PhotoQueue::attach_all`] waits for the uploads still under way and attaches every photo
//! that arrived, in the order picked.

use super::browser_side::{self, BrowserSide};
use crate::browser::photo_upload::{attach, put_photo, request_grants, PHOTOS_AT_ONCE};
use crate::browser::photo_worker::{PhotoWorker, Stage, WorkerEvent};
use domain::model::Item;
use futures::channel::oneshot;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{File, FileList};

/// One picked file, as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct PickedPhoto {
    pub id: u32,
    pub file_name: String,
    pub original_bytes: u64,
    pub state: PhotoState,
    pub upload: UploadState,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum PhotoState {
    Waiting,
    Working(Stage),
    Ready(ReadyPhoto),
    Refused(String),
}

/// Where a ready photo is on its way to the item.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum UploadState {
    /// Not ready yet.
    NotSent,
    /// Waiting for other photos to be sent first.
    Queued,
    /// Asked for its upload URLs, then the fraction of its bytes sent, 0 to 1.
    Sending(f64),
    /// In storage, with the upload id to attach it with once the item is saved.
    Uploaded(String),
    /// Attached to the item.
    Sent,
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct ReadyPhoto {
    /// `blob:` URL of the thumbnail, revoked when the photo is removed.
    pub thumb_url: String,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub width: u32,
    pub height: u32,
    /// Bytes of both variants: what the upload will send.
    pub bytes: u64,
    /// How long the worker took, in whole milliseconds.
    pub millis: u64,
}

/// Where a save started, in the user's cancels: see [`PhotoQueue::save_started`].
#[derive(Clone, Copy, Debug)]
pub struct SaveMark(u32);

/// What happened when the picked photos were sent.
#[derive(Clone, Debug, Default)]
pub struct UploadSummary {
    pub sent: usize,
    pub failed: usize,
    /// The item as the last successful attach left it (its version moved on).
    pub latest: Option<Item>,
}

/// The item a queue's photos are for: its collection (`None`: the viewer's own) and id.
#[derive(Clone, Debug)]
pub struct PhotosFor {
    pub collection: Option<String>,
    pub item_id: String,
}

/// The photos picked in a form, from choosing to attaching: held by the form, shown by
/// [`super::PhotoPicker`]. Cheap to copy.
#[derive(Clone, Copy)]
pub struct PhotoQueue {
    pub(super) photos: RwSignal<Vec<PickedPhoto>>,
    /// Where this queue's browser-only values live ([`browser_side`]).
    key: u64,
    next_id: StoredValue<u32>,
    item: StoredValue<PhotosFor>,
    /// Counts the user's cancels: a save that saw one while it waited attaches nothing.
    cancels: StoredValue<u32>,
}

impl PhotoQueue {
    pub fn new(item: PhotosFor) -> Self {
        let queue = Self {
            photos: RwSignal::new(Vec::new()),
            key: browser_side::new_key(),
            next_id: StoredValue::new(0),
            item: StoredValue::new(item),
            cancels: StoredValue::new(0),
        };
        on_cleanup(move || {
            for photo in queue.photos.get_untracked() {
                if let PhotoState::Ready(ready) = photo.state {
                    let _ = web_sys::Url::revoke_object_url(&ready.thumb_url);
                }
            }
            browser_side::remove(queue.key);
        });
        queue
    }

    /// Runs `f` on this queue's browser-only values. Never call back into the queue from `f`.
    fn browser<R>(self, f: impl FnOnce(&mut BrowserSide) -> R) -> R {
        browser_side::with(self.key, f)
    }

    /// Photos are still being prepared (reactive).
    pub fn is_preparing(self) -> bool {
        self.photos
            .read()
            .iter()
            .any(|p| matches!(p.state, PhotoState::Waiting | PhotoState::Working(_)))
    }

    /// Photos are being uploaded, or waiting to be (reactive).
    pub fn is_uploading(self) -> bool {
        any_uploading(&self.photos.read())
    }

    /// Ready photos not attached yet: a save has photos to finish.
    pub fn has_unattached(self) -> bool {
        self.photos
            .read_untracked()
            .iter()
            .any(|p| matches!(p.state, PhotoState::Ready(_)) && p.upload != UploadState::Sent)
    }

    /// Starts uploading queued photos while fewer than [`PHOTOS_AT_ONCE`] are under way, with
    /// one request for the URLs of those started together; once nothing is under way or
    /// queued, wakes the saves waiting for that.
    fn pump(self) {
        let next = match next_uploads(&self.photos.read_untracked()) {
            NextUploads::Start(next) => next,
            NextUploads::Full => return,
            NextUploads::Idle => {
                let waiting = self.browser(|side| std::mem::take(&mut side.until_idle));
                for waiter in waiting {
                    let _ = waiter.send(());
                }
                return;
            }
        };
        let (mut ids, mut batch) = (Vec::new(), Vec::new());
        for id in next {
            // A row is queued only once its files are here; never leave one queued for ever.
            match self.browser(|side| side.processed.get(&id).cloned()) {
                Some(photo) => {
                    self.set_upload(id, UploadState::Sending(0.0));
                    ids.push(id);
                    batch.push(photo);
                }
                None => self.set_upload(id, UploadState::Failed(LOST.into())),
            }
        }
        if ids.is_empty() {
            // Every one taken was lost (now failed): the next queued ones may go.
            return self.pump();
        }
        let cancel = self.browser(|side| side.cancel.get_or_insert_with(Default::default).clone());
        let PhotosFor {
            collection,
            item_id,
        } = self.item.get_value();
        spawn_local(async move {
            let grants = request_grants(collection, item_id, &batch).await;
            for ((id, photo), grant) in ids.into_iter().zip(batch).zip(grants) {
                let cancel = cancel.clone();
                spawn_local(async move {
                    let progress = move |sent| self.set_upload(id, UploadState::Sending(sent));
                    let uploaded = match grant {
                        Ok(grant) => put_photo(&photo, &grant, progress, &cancel)
                            .await
                            .map(|()| grant.upload_id),
                        Err(message) => Err(message),
                    };
                    self.set_upload(
                        id,
                        match uploaded {
                            Ok(upload_id) => UploadState::Uploaded(upload_id),
                            Err(message) => UploadState::Failed(message),
                        },
                    );
                    self.pump();
                });
            }
        });
    }

    /// Resolves once no photo is being uploaded or waiting to be.
    async fn until_idle(self) {
        if !any_uploading(&self.photos.read_untracked()) {
            return;
        }
        let (done, idle) = oneshot::channel();
        self.browser(|side| side.until_idle.push(done));
        let _ = idle.await;
    }

    /// Marks the start of a save, for [`Self::attach_all`]: a cancel after it stops that save.
    pub fn save_started(self) -> SaveMark {
        SaveMark(self.cancels.get_value())
    }

    /// Finishes the photos of a save started at `mark`: tries the failed ones again, waits
    /// for the uploads under way, then attaches every photo that arrived to the saved item, in
    /// the order picked. A cancel since the save started attaches nothing and tries nothing
    /// again (the uploaded photos stay for the next save).
    pub async fn attach_all(self, mark: SaveMark) -> UploadSummary {
        let cancelled = move || self.cancels.get_value() != mark.0;
        if !cancelled() {
            self.photos.update(|list| {
                for photo in list.iter_mut() {
                    if matches!(photo.state, PhotoState::Ready(_))
                        && matches!(photo.upload, UploadState::Failed(_))
                    {
                        photo.upload = UploadState::Queued;
                    }
                }
            });
            self.pump();
        }
        self.until_idle().await;
        let mut summary = UploadSummary::default();
        let mut arrived = Vec::new();
        for photo in self.photos.read_untracked().iter() {
            match &photo.upload {
                UploadState::Uploaded(upload_id) => arrived.push((photo.id, upload_id.clone())),
                UploadState::Failed(_) => summary.failed += 1,
                _ => {}
            }
        }
        if cancelled() {
            summary.failed += arrived.len();
            return summary;
        }
        if arrived.is_empty() {
            return summary;
        }
        let PhotosFor {
            collection,
            item_id,
        } = self.item.get_value();
        let (ids, upload_ids): (Vec<u32>, Vec<String>) = arrived.into_iter().unzip();
        let (outcomes, latest) = attach(collection, item_id, upload_ids).await;
        summary.latest = latest;
        for (id, outcome) in ids.into_iter().zip(outcomes) {
            match outcome {
                Ok(()) => {
                    self.set_upload(id, UploadState::Sent);
                    summary.sent += 1;
                }
                Err(message) => {
                    self.set_upload(id, UploadState::Failed(message));
                    summary.failed += 1;
                }
            }
        }
        summary
    }

    /// Stops the uploads in progress and those waiting: they fail as "Cancelled." (a save
    /// tries them again).
    pub fn cancel_uploads(self) {
        self.cancels.update_value(|count| *count += 1);
        if let Some(cancel) = self.browser(|side| side.cancel.take()) {
            cancel.cancel();
        }
        self.photos.update(|list| {
            for photo in list.iter_mut() {
                if photo.upload == UploadState::Queued {
                    photo.upload = UploadState::Failed("Cancelled.".into());
                }
            }
        });
        self.pump();
    }

    /// Starts the photo worker once the form is interactive and the browser idle, so that
    /// its wasm (about 195 KB) has loaded and compiled by the time photos are picked: started
    /// by the pick, it made the first photo half a second later on a phone. A user who asked
    /// to save data loads it on the form's first use instead ([`Self::start_worker`]).
    pub fn start_worker_when_idle(self) {
        if crate::browser::idle::saves_data() {
            return;
        }
        crate::browser::idle::when_idle(move || {
            // The form may have gone by then; its queue's values with it.
            if !self.photos.is_disposed() {
                self.start_worker();
            }
        });
    }

    /// Starts the photo worker, which loads the imaging wasm, unless it runs already. False if
    /// the browser cannot run it.
    pub fn start_worker(self) -> bool {
        if self.browser(|side| side.worker.is_some()) {
            return true;
        }
        match PhotoWorker::spawn(move |event| self.on_worker_event(event)) {
            Ok(spawned) => {
                self.browser(|side| side.worker = Some(spawned));
                true
            }
            Err(_) => false,
        }
    }

    pub(super) fn add_files(self, files: Option<FileList>) {
        let Some(files) = files else { return };
        let files: Vec<File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        if files.is_empty() {
            return;
        }
        if !self.start_worker() {
            for file in &files {
                let id = self.take_id();
                self.photos
                    .update(|list| list.push(picked(id, file, refused_no_worker())));
            }
            return;
        }
        for file in files {
            let id = self.take_id();
            self.photos
                .update(|list| list.push(picked(id, &file, PhotoState::Waiting)));
            let sent = self.browser(|side| side.worker.as_ref().map(|w| w.process(id, &file)));
            if !matches!(sent, Some(Ok(()))) {
                self.set_state(id, refused_no_worker());
            }
        }
    }

    fn on_worker_event(self, event: WorkerEvent) {
        match event {
            WorkerEvent::Progress { id, stage } => self.set_state(id, PhotoState::Working(stage)),
            WorkerEvent::Refused { id, message } => {
                self.set_state(id, PhotoState::Refused(message))
            }
            WorkerEvent::Done { id, photo } => {
                let ready = ReadyPhoto {
                    thumb_url: object_url(&photo.thumb.blob),
                    thumb_width: photo.thumb.width,
                    thumb_height: photo.thumb.height,
                    width: photo.display.width,
                    height: photo.display.height,
                    bytes: photo.display.bytes + photo.thumb.bytes,
                    millis: photo.total_ms.round() as u64,
                };
                self.browser(|side| side.processed.insert(id, photo));
                self.photos.update(|list| {
                    if let Some(photo) = list.iter_mut().find(|p| p.id == id) {
                        photo.state = PhotoState::Ready(ready);
                        photo.upload = UploadState::Queued;
                    }
                });
                self.pump();
            }
        }
    }

    /// Stops preparing: the worker cannot be interrupted mid-photo, so it is stopped.
    pub(super) fn cancel_preparing(self) {
        // Taken out first: dropping it terminates the worker, outside the borrow.
        let worker = self.browser(|side| side.worker.take());
        drop(worker);
        self.photos.update(|list| {
            list.retain(|p| !matches!(p.state, PhotoState::Waiting | PhotoState::Working(_)))
        });
    }

    pub(super) fn remove(self, id: u32) {
        self.photos.update(|list| {
            if let Some(PickedPhoto {
                state: PhotoState::Ready(ready),
                ..
            }) = list.iter().find(|p| p.id == id)
            {
                let _ = web_sys::Url::revoke_object_url(&ready.thumb_url);
            }
            list.retain(|p| p.id != id);
        });
        self.browser(|side| side.processed.remove(&id));
        self.pump();
    }

    fn take_id(self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    fn set_state(self, id: u32, state: PhotoState) {
        self.photos.update(|list| {
            if let Some(photo) = list.iter_mut().find(|p| p.id == id) {
                photo.state = state;
            }
        });
    }

    fn set_upload(self, id: u32, upload: UploadState) {
        self.photos.update(|list| {
            if let Some(photo) = list.iter_mut().find(|p| p.id == id) {
                photo.upload = upload;
            }
        });
    }

    /// The upload progress of one photo in percent, if it is being sent (reactive).
    pub(super) fn percent_sent(self, id: u32) -> Option<u32> {
        self.photos
            .read()
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| match p.upload {
                UploadState::Sending(fraction) => Some((fraction * 100.0).round() as u32),
                _ => None,
            })
    }
}

/// What the uploads of a queue are to do next.
#[derive(Debug, PartialEq)]
enum NextUploads {
    /// Nothing under way, nothing queued.
    Idle,
    /// As many photos under way as may be; the rest wait for one to end.
    Full,
    /// Start these queued photos, in the order picked.
    Start(Vec<u32>),
}

fn next_uploads(photos: &[PickedPhoto]) -> NextUploads {
    let sending = photos
        .iter()
        .filter(|p| matches!(p.upload, UploadState::Sending(_)))
        .count();
    let next: Vec<u32> = photos
        .iter()
        .filter(|p| p.upload == UploadState::Queued)
        .take(PHOTOS_AT_ONCE.saturating_sub(sending))
        .map(|p| p.id)
        .collect();
    match (sending, next.is_empty()) {
        (0, true) => NextUploads::Idle,
        (_, true) => NextUploads::Full,
        (_, false) => NextUploads::Start(next),
    }
}

/// A queued photo whose files the page no longer has (never expected).
const LOST: &str = "The prepared photo was lost; pick it again.";

fn any_uploading(photos: &[PickedPhoto]) -> bool {
    photos
        .iter()
        .any(|p| matches!(p.upload, UploadState::Sending(_) | UploadState::Queued))
}

fn picked(id: u32, file: &File, state: PhotoState) -> PickedPhoto {
    PickedPhoto {
        id,
        file_name: file.name(),
        original_bytes: file.size() as u64,
        state,
        upload: UploadState::NotSent,
    }
}

fn refused_no_worker() -> PhotoState {
    PhotoState::Refused("This browser cannot prepare photos (Web Workers are unavailable).".into())
}

fn object_url(blob: &web_sys::Blob) -> String {
    web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{next_uploads, NextUploads, PhotoState, PickedPhoto, UploadState};

    fn photos(uploads: &[UploadState]) -> Vec<PickedPhoto> {
        let photo = |(id, upload): (usize, &UploadState)| PickedPhoto {
            id: id as u32,
            file_name: format!("{id}.jpg"),
            original_bytes: 1,
            state: PhotoState::Waiting,
            upload: upload.clone(),
        };
        uploads.iter().enumerate().map(photo).collect()
    }

    #[test]
    fn two_photos_upload_at_once_in_the_order_picked() {
        use UploadState::{Failed, NotSent, Queued, Sending, Sent, Uploaded};
        let next = |uploads: &[UploadState]| next_uploads(&photos(uploads));
        assert_eq!(next(&[]), NextUploads::Idle);
        assert_eq!(
            next(&[NotSent, Uploaded("u".into()), Sent, Failed("f".into())]),
            NextUploads::Idle
        );
        assert_eq!(
            next(&[Queued, Queued, Queued]),
            NextUploads::Start(vec![0, 1])
        );
        assert_eq!(
            next(&[Sending(0.5), Queued, Queued]),
            NextUploads::Start(vec![1])
        );
        assert_eq!(
            next(&[Sending(0.5), Sending(0.0), Queued]),
            NextUploads::Full
        );
        assert_eq!(next(&[Sending(1.0)]), NextUploads::Full);
    }
}
