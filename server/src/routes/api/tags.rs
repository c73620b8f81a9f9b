//! `/api/tags`: the collection's tags with their counts, and renaming (or merging) a tag on
//! every item that has it.

use super::access::{Editing, Reading};
use super::error::{ApiError, ErrorBody};
use super::json_body::{JsonObject, ObjectReader};
use axum::extract::State;
use axum::Json;
use domain::item_store::SharedItemStore;
use domain::model::{Tag, TagCount};
use domain::organise::{self, ChangeReport};
use utoipa::ToSchema;

/// Most tags `GET /api/tags` returns.
pub const MOST_TAGS: usize = 1000;

/// Body of `POST /api/tags/rename`. Other fields are refused (422).
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameTagBody {
    /// The tag to rename, as any of its items spells it (case, accents and punctuation are
    /// ignored).
    #[schema(min_length = 1, max_length = 40)]
    from: String,
    /// Its new spelling; if some items already have this tag, the two become one.
    #[schema(min_length = 1, max_length = 40)]
    to: String,
}

impl RenameTagBody {
    const FIELDS: &'static [&'static str] = &["from", "to"];

    fn read(reader: &mut ObjectReader) -> Self {
        Self {
            from: reader.required_string("from").unwrap_or_default(),
            to: reader.required_string("to").unwrap_or_default(),
        }
    }
}

/// The tag in `raw`, or its problem recorded under `field`.
fn tag_field(reader: &mut ObjectReader, field: &str, raw: &str) -> Option<Tag> {
    Tag::parse(raw).map_err(|e| reader.fail(field, e)).ok()
}

/// The collection's tags, most used first, each with how many items have it.
#[utoipa::path(get, path = "/api/tags", tag = "tags",
    responses((status = 200, description = "At most 1000 tags, most used first", body = [TagCount])))]
pub async fn list(
    Reading(permit): Reading,
    State(store): State<SharedItemStore>,
) -> Result<Json<Vec<TagCount>>, ApiError> {
    Ok(Json(store.tag_counts(&permit, MOST_TAGS).await?))
}

/// Rename a tag on every item that has it (merging it into `to` where an item has both). Each
/// item is changed with its own conditional write; items changed meanwhile are retried, and
/// any that still could not be changed are listed in `failed`.
#[utoipa::path(post, path = "/api/tags/rename", tag = "tags", request_body = RenameTagBody,
    responses(
        (status = 200, description = "What was changed, and what could not be", body = ChangeReport),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "`from` or `to` is not a tag, or unknown fields", body = ErrorBody),
    ))]
pub async fn rename(
    Editing(permit): Editing,
    State(store): State<SharedItemStore>,
    JsonObject(body): JsonObject,
) -> Result<Json<ChangeReport>, ApiError> {
    let mut reader = ObjectReader::new(body, RenameTagBody::FIELDS);
    let body = RenameTagBody::read(&mut reader);
    let from = tag_field(&mut reader, "from", &body.from);
    let to = tag_field(&mut reader, "to", &body.to);
    let (from, to) = reader.finish(from.zip(to))?;
    Ok(Json(
        organise::rename_tag(&*store, &permit, &from, &to).await?,
    ))
}
