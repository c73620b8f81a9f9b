//! Server functions for photos: the hydrated form's side of the upload flow, and the photo
//! buttons of the edit page (which also work as plain form posts).

#[cfg(feature = "ssr")]
use super::ssr;
use domain::model::Item;
use domain::photos::{PhotoMove, UploadGrant, UploadRequest};
use leptos::prelude::*;

/// One photo's answer among several: what it asked for, or why it was refused, in words for
/// the person using the page.
pub type PhotoOutcome<T> = Result<T, String>;

/// What [`attach_photos`] did: an outcome per upload, in the order given, and the item as the
/// last attach left it (`None` if none was attached).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct AttachReport {
    pub outcomes: Vec<PhotoOutcome<()>>,
    pub item: Option<Item>,
}

/// Where to upload the two variants of each of the photos picked in a form (`docs/uploads.md`
/// step 3): one request for the photos ready at once, each answered on its own, in order.
/// The form asks as soon as photos are ready, so the item may not exist yet: the new-item
/// form knows the id its create will use ([`domain::photos::Photos::start_uploads_ahead`]).
/// Each counts against the client's limit on upload grants; those beyond what an item can
/// hold are refused unread.
#[server]
pub async fn request_photo_uploads(
    collection: Option<String>,
    item_id: String,
    requests: Vec<UploadRequest>,
) -> Result<Vec<PhotoOutcome<UploadGrant>>, ServerFnError> {
    let id = ssr::item_id(&item_id)?;
    let permit = ssr::edit_permit(collection.as_deref())?;
    let photos = ssr::photos()?;
    let (asked, beyond) = within_an_item(&photos, &requests);
    // An empty request is counted as one: no request is free.
    ssr::count_grants(asked.len().max(1))?;
    let mut grants: Vec<_> = photos
        .start_uploads_ahead(&permit, &id, asked)
        .await
        .map_err(ssr::photo_error)?
        .into_iter()
        .map(|grant| grant.map_err(ssr::photo_message))
        .collect();
    grants.extend(beyond.iter().map(|_| Err(too_many(&photos))));
    Ok(grants)
}

/// Attaches uploaded photos, in the order given, each after the server has checked its files
/// (`docs/uploads.md` step 5): one request for all the photos a form saved.
#[server]
pub async fn attach_photos(
    collection: Option<String>,
    item_id: String,
    upload_ids: Vec<String>,
) -> Result<AttachReport, ServerFnError> {
    let id = ssr::item_id(&item_id)?;
    let permit = ssr::edit_permit(collection.as_deref())?;
    let photos = ssr::photos()?;
    let (asked, beyond) = within_an_item(&photos, &upload_ids);
    let mut report = AttachReport {
        outcomes: Vec::with_capacity(upload_ids.len()),
        item: None,
    };
    for upload_id in asked {
        match photos.attach(&permit, &id, upload_id, None).await {
            Ok((attached, _)) => {
                report.item = Some(attached.into_item());
                report.outcomes.push(Ok(()));
            }
            Err(error) => report.outcomes.push(Err(ssr::photo_message(error))),
        }
    }
    report
        .outcomes
        .extend(beyond.iter().map(|_| Err(too_many(&photos))));
    Ok(report)
}

/// The photos of a request an item could hold, and those beyond (refused unread: so a request
/// costs the server at most an item's worth of work).
#[cfg(feature = "ssr")]
fn within_an_item<'a, T>(photos: &domain::photos::Photos, asked: &'a [T]) -> (&'a [T], &'a [T]) {
    asked.split_at(asked.len().min(photos.limits().max_per_item))
}

#[cfg(feature = "ssr")]
fn too_many(photos: &domain::photos::Photos) -> String {
    ssr::photo_message(domain::photos::PhotoError::TooManyPhotos {
        max: photos.limits().max_per_item,
    })
}

/// Removes a photo from an item.
#[server]
pub async fn remove_photo(
    collection: Option<String>,
    item_id: String,
    photo_id: String,
) -> Result<Item, ServerFnError> {
    let id = ssr::item_id(&item_id)?;
    let photo = ssr::photo_id(&photo_id)?;
    ssr::photos()?
        .remove(&ssr::edit_permit(collection.as_deref())?, &id, &photo, None)
        .await
        .map_err(ssr::photo_error)
}

/// Moves a photo to the front (the cover), or one place earlier or later.
#[server]
pub async fn move_photo(
    collection: Option<String>,
    item_id: String,
    photo_id: String,
    to: PhotoMove,
) -> Result<Item, ServerFnError> {
    let id = ssr::item_id(&item_id)?;
    let photo = ssr::photo_id(&photo_id)?;
    ssr::photos()?
        .move_photo(&ssr::edit_permit(collection.as_deref())?, &id, &photo, to)
        .await
        .map_err(ssr::photo_error)
}
