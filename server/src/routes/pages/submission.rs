//! Reading the item form as a browser without JavaScript posts it: URL-encoded, or multipart
//! with the photo files themselves, which the server then shrinks with the same `imaging`
//! pipeline the browser would have run.

use crate::state::AppState;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use domain::item_form::ItemForm;
use domain::model::FieldErrors;
use tokio::sync::OwnedSemaphorePermit;

/// The largest item form posted without files: the JSON bodies' limit.
pub const FORM_TEXT_LIMIT: usize = crate::routes::api::JSON_BODY_LIMIT;

/// The posted form and any photo files that came with it.
pub struct Submission {
    pub form: ItemForm,
    pub files: Vec<PostedFile>,
    /// Held while a multipart post is in memory: keep it until its photos are handled.
    pub permit: Option<OwnedSemaphorePermit>,
}

pub struct PostedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl FromRequest<AppState> for Submission {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let is_multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !is_multipart {
            // Without files the form is a few kB: it gets the JSON bodies' small limit, not the
            // one for photos, since it is read whole before anything bounds how many are read.
            let request = request.map(|body| {
                axum::body::Body::new(http_body_util::Limited::new(body, FORM_TEXT_LIMIT))
            });
            let Form(form) = Form::<ItemForm>::from_request(request, state)
                .await
                .map_err(|rejection| match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => (
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!(
                            "The form is too large (the limit without photos is {} KiB).",
                            FORM_TEXT_LIMIT / 1024
                        ),
                    )
                        .into_response(),
                    _ => rejection.into_response(),
                })?;
            return Ok(Self {
                form,
                files: Vec::new(),
                permit: None,
            });
        }
        // Wait for a turn before reading the body: the bytes stay in the socket meanwhile.
        let permit = state
            .form_uploads
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| StatusCode::SERVICE_UNAVAILABLE.into_response())?;
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let mut form = ItemForm::default();
        let mut files = Vec::new();
        let too_large = |limit: usize| {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "The photos are too large to send together (the limit is {} MB). Go back and \
                     pick fewer, or smaller, photos.",
                    limit / 1_000_000
                ),
            )
                .into_response()
        };
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(too_large(state.form_upload_limit))
                }
                Err(e) => return Err(e.into_response()),
            };
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = match field.bytes().await {
                Ok(bytes) => bytes,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(too_large(state.form_upload_limit))
                }
                Err(e) => return Err(e.into_response()),
            };
            let text = || String::from_utf8_lossy(&bytes).into_owned();
            match name.as_str() {
                "id" => form.id = text(),
                "version" => form.version = text(),
                "name" => form.name = text(),
                "description" => form.description = text(),
                "tags" => form.tags = text(),
                "quantity" => form.quantity = text(),
                // An empty file input still sends a part with no name and no bytes.
                "photos" if !bytes.is_empty() => files.push(PostedFile {
                    name: file_name.unwrap_or_else(|| "photo".into()),
                    bytes: bytes.to_vec(),
                }),
                _ => {}
            }
        }
        Ok(Self {
            form,
            files,
            permit: Some(permit),
        })
    }
}

/// Shrinks every posted photo on the blocking pool, as many at once as the server allows.
/// All or nothing: any refused file is reported (by its name) and none is kept.
pub async fn process_photos(
    state: &AppState,
    files: Vec<PostedFile>,
) -> Result<Vec<imaging::Processed>, FieldErrors> {
    let mut processed = Vec::with_capacity(files.len());
    let mut refused = Vec::new();
    for file in files {
        let Ok(permit) = state.photo_workers.clone().acquire_owned().await else {
            refused.push(format!("{}: the server is shutting down.", file.name));
            continue;
        };
        let bytes = file.bytes;
        let result = run_holding(permit, move || {
            imaging::process(
                &bytes,
                &imaging::Options::default(),
                &imaging::SystemClock::default(),
                &mut |_| {},
            )
        })
        .await;
        match result {
            Ok(Ok(photo)) => processed.push(photo),
            Ok(Err(error)) => refused.push(format!("{}: {error}", file.name)),
            Err(_) => refused.push(format!("{}: the photo could not be read.", file.name)),
        }
    }
    if refused.is_empty() {
        Ok(processed)
    } else {
        Err(FieldErrors::from([("photos".into(), refused.join(" "))]))
    }
}

/// Runs `work` on the blocking pool, holding `permit` for as long as the work runs. A request
/// that times out or whose client goes away is dropped, but its blocking work cannot be: it
/// keeps its memory and its thread until it ends, so it must keep its permit too, or the
/// bound on photos being decoded at once would not hold.
async fn run_holding<T: Send + 'static>(
    permit: OwnedSemaphorePermit,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::sync::Semaphore;

    #[tokio::test]
    async fn blocking_work_keeps_its_permit_after_its_request_is_dropped() {
        let pool = Arc::new(Semaphore::new(1));
        let permit = pool.clone().acquire_owned().await.unwrap();
        let (started, has_started) = mpsc::channel::<()>();
        let (finish, may_finish) = mpsc::channel::<()>();
        let request = tokio::spawn(run_holding(permit, move || {
            started.send(()).unwrap();
            may_finish.recv().unwrap();
        }));
        tokio::task::spawn_blocking(move || has_started.recv().unwrap())
            .await
            .unwrap();
        request.abort();
        assert!(request.await.unwrap_err().is_cancelled());
        assert_eq!(
            pool.available_permits(),
            0,
            "the work still runs, so its permit is still taken"
        );
        finish.send(()).unwrap();
        for _ in 0..500 {
            if pool.available_permits() == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(pool.available_permits(), 1, "and given back when it ends");
    }
}
