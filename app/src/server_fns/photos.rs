//! Server functions for photos: the hydrated form's side of the upload flow, and the photo
//! buttons of the edit page (which also work as plain form posts).

#[cfg(feature = "ssr")]
use super::ssr;
use domain::model::Item;
use domain::photos::{PhotoMove, UploadGrant, UploadRequest};
use leptos::prelude::*;

/// Where to upload a photo's two variants (`docs/uploads.md` step 3).
#[server]
pub async fn request_photo_upload(
    collection: Option<String>,
    item_id: String,
    request: UploadRequest,
) -> Result<UploadGrant, ServerFnError> {
    let id = ssr::item_id(&item_id)?;
    ssr::photos()?
        .start_upload(&ssr::edit_permit(collection.as_deref())?, &id, &request)
        .await
        .map_err(ssr::photo_error)
}

/// Attaches an uploaded photo, after the server has checked the files.
#[server]
pub async fn attach_photo(
    collection: Option<String>,
    item_id: String,
    upload_id: String,
) -> Result<Item, ServerFnError> {
    let id = ssr::item_id(&item_id)?;
    ssr::photos()?
        .attach(
            &ssr::edit_permit(collection.as_deref())?,
            &id,
            &upload_id,
            None,
        )
        .await
        .map(|(attached, _)| attached.into_item())
        .map_err(ssr::photo_error)
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
