//! `/api/items`: list, create, read, replace and delete items.

use super::access::{Editing, Reading};
use super::error::{ApiError, ErrorBody};
use super::ids::ItemIdPath;
use super::json_body::{JsonObject, ObjectReader};
use super::kept_lists::{list_json, list_response, ListAnswer};
use super::preconditions::{expected_version, if_match, if_none_match, IfMatch};
use super::responses::{insert_etag, item_response, page_tag, PublicOrigin};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::item_store::{self, Created, PageError, PageLimit, SharedItemStore, StoreError};
use domain::model::{FieldErrors, Item, ItemChange, ItemDraft, ItemId};
use domain::model::{LocationId, Quantity, Tags};
use domain::photos::Photos;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /api/items`. Kept as strings so a bad value gets a message naming it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Items per page, 1 to 100 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
    /// Where to continue: the cursor from the previous page's `Link: <…>; rel="next"`.
    cursor: Option<String>,
    /// Search: only items whose name, description or tags have every word of it (whole, as
    /// the start of a word, or for words of 5+ letters one typo away; case and accents
    /// ignored), best matches first (the whole name, then whole words, then prefixes, then
    /// typos), newest first among equals. At most 200 characters and 8 words. Blank: no
    /// search.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Only items in this location or anywhere inside it (a location's id).
    #[serde(rename = "in")]
    #[param(rename = "in")]
    within: Option<String>,
}

/// Body of `POST /api/items`. Other fields are refused (422), as the old service did.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItemBody {
    /// A UUID or ULID chosen by the client, making retries idempotent. Omit it and the server
    /// picks one.
    id: Option<String>,
    /// 1 to 100 characters after trimming, one line. (No `maxLength`: it would count the
    /// spaces that trimming removes, and a schema cannot say "after trimming".)
    #[schema(min_length = 1)]
    name: String,
    /// Up to 500 characters after trimming. Defaults to empty.
    description: Option<String>,
    /// Up to 20 tags of 1 to 40 characters (one line, no commas, a letter or digit); tags
    /// that differ only in case, accents or punctuation are one (the first kept). Defaults to
    /// none.
    #[schema(max_items = 20)]
    tags: Option<Vec<String>>,
    /// 0 to 1 000 000; omitted or `null`: not counted.
    #[schema(value_type = Option<u32>, maximum = 1000000)]
    quantity: Option<Quantity>,
    /// The id of the location it is in (`GET /api/locations`); omitted or `null`: none.
    #[schema(value_type = Option<String>)]
    location: Option<LocationId>,
}

impl NewItemBody {
    const FIELDS: &'static [&'static str] =
        &["id", "name", "description", "tags", "quantity", "location"];

    fn read(reader: &mut ObjectReader) -> Self {
        Self {
            id: reader.optional_string("id"),
            name: reader.required_string("name").unwrap_or_default(),
            description: reader.optional_string("description"),
            tags: reader.optional_strings("tags"),
            quantity: quantity_field(reader).flatten(),
            location: location_field(reader).flatten(),
        }
    }
}

/// Body of `PUT /api/items/{id}`: the new name and description, and the tags and quantity if
/// given (left out, they stay as they are: clients of the old service know nothing of them).
/// A whole item as returned by `GET` is accepted too (its read-only fields are ignored), so
/// clients can send back what they read; its `version` then acts like `If-Match`.
#[derive(Debug, ToSchema)]
pub struct ItemUpdateBody {
    /// As in `POST /api/items`: 1 to 100 characters after trimming, one line.
    #[schema(min_length = 1)]
    name: String,
    /// Up to 500 characters after trimming.
    description: Option<String>,
    /// As in `POST /api/items`. Omitted or `null`: unchanged; `[]` removes every tag.
    #[schema(max_items = 20)]
    tags: Option<Vec<String>>,
    /// 0 to 1 000 000. Omitted: unchanged; `null` removes it.
    #[schema(value_type = Option<u32>, maximum = 1000000)]
    quantity: Option<Option<Quantity>>,
    /// The id of the location it is in. Omitted: unchanged; `null`: in none.
    #[schema(value_type = Option<String>)]
    location: Option<Option<LocationId>>,
    /// If present, must be the id in the path.
    id: Option<String>,
    /// If present (and there is no `If-Match`), the update only applies to this version.
    version: Option<u64>,
}

impl ItemUpdateBody {
    const FIELDS: &'static [&'static str] = &[
        "name",
        "description",
        "tags",
        "quantity",
        "location",
        "id",
        "version",
        "created_at",
        "updated_at",
        "photos",
    ];
    const READ_ONLY: &'static [&'static str] = &["created_at", "updated_at", "photos"];

    fn read(reader: &mut ObjectReader) -> Self {
        for field in Self::READ_ONLY {
            reader.ignore(field);
        }
        Self {
            name: reader.required_string("name").unwrap_or_default(),
            description: reader.optional_string("description"),
            tags: reader.optional_strings("tags"),
            quantity: quantity_field(reader),
            location: location_field(reader),
            id: reader.optional_string("id"),
            version: reader.optional_u64("version"),
        }
    }
}

/// The `quantity` field: `None` if absent, `Some(None)` if null; a value that is not a
/// quantity is recorded as the field's problem (and read as absent).
fn quantity_field(reader: &mut ObjectReader) -> Option<Option<Quantity>> {
    let raw = reader.nullable_u64("quantity")?;
    match raw.map(|n| {
        u32::try_from(n)
            .map_err(|_| String::new())
            .and_then(Quantity::new)
    }) {
        None => Some(None),
        Some(Ok(quantity)) => Some(Some(quantity)),
        Some(Err(_)) => {
            reader.fail(
                "quantity",
                "must be a whole number from 0 to 1000000, or null",
            );
            None
        }
    }
}

/// The `location` field: `None` if absent, `Some(None)` if null; a value that is not a
/// location's id is recorded as the field's problem (and read as absent).
fn location_field(reader: &mut ObjectReader) -> Option<Option<LocationId>> {
    match reader.nullable_string("location")? {
        None => Some(None),
        Some(raw) => match LocationId::parse(&raw) {
            Ok(id) => Some(Some(id)),
            Err(e) => {
                reader.fail("location", e.to_string());
                None
            }
        },
    }
}

/// The `tags` field checked, or its problem recorded.
fn tags_field(reader: &mut ObjectReader, tags: Option<&[String]>) -> Option<Tags> {
    match Tags::parse_all(tags.unwrap_or_default().iter().map(String::as_str)) {
        Ok(tags) => Some(tags),
        Err(message) => {
            reader.fail("tags", message);
            None
        }
    }
}

/// List items, newest first, or search them (`q`), best match first, or only those with some
/// tags (`tag`), or both. The page's `ETag` answers `If-None-Match` with 304 while the page
/// has not changed.
#[utoipa::path(get, path = "/api/items", tag = "items",
    params(
        ListQuery,
        ("tag" = Option<Vec<String>>, Query, explode,
            description = "Only items that have this tag (case, accents and punctuation ignored); repeat it for items that have every one of several (at most 10)"),
    ),
    responses(
        (status = 200, description = "A page of items, newest first (with `q`: best first)", body = [Item],
            headers(("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, absent on the last page"),
                ("ETag" = String, description = "The page's tag, for `If-None-Match`"))),
        (status = 304, description = "The page is what it was when it had the `If-None-Match` tag",
            headers(("ETag" = String), ("Link" = String))),
        (status = 400, description = "Bad `limit`, `cursor`, `q`, `tag` or `in`", body = ErrorBody),
    ))]
pub async fn list(
    Reading(permit): Reading,
    State(state): State<AppState>,
    PublicOrigin(origin): PublicOrigin,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let raw = raw.unwrap_or_default();
    let tags: Vec<String> = form_urlencoded::parse(raw.as_bytes())
        .filter(|(key, _)| key == "tag")
        .map(|(_, tag)| tag.into_owned())
        .collect();
    let limit = match query.limit.as_deref() {
        None => PageLimit::DEFAULT,
        Some(raw) => {
            PageLimit::parse(raw).map_err(|message| ApiError::bad_field("limit", message))?
        }
    };
    let kept = &state.kept_lists;
    let urls = state.photos.files();
    let key = kept
        .key(&*state.store, &**urls, &permit, &origin, &raw)
        .await;
    if let Some(answer) = key.as_ref().and_then(|key| kept.get(key)) {
        return answer.respond(&headers);
    }
    let asked = domain::list_query::ListQuery {
        search: query.q.clone(),
        tags: tags.clone(),
        within: query.within.clone(),
    };
    let filter = asked.filter(&*state.locations, &permit).await?;
    let page = item_store::page(
        &*state.store,
        &permit,
        filter.as_ref(),
        limit,
        query.cursor.as_deref(),
        &state.signer,
    )
    .await
    .map_err(|e| match e {
        PageError::BadCursor(e) => ApiError::bad_field("cursor", e.to_string()),
        PageError::Store(e) => e.into(),
    })?;
    let tag = page_tag(&page.items, page.next.as_deref());
    let link = page
        .next
        .and_then(|next| next_link(&origin, &query, &tags, limit, &next));
    match key {
        Some(key) => kept
            .keep(key, ListAnswer::new(&page.items, tag, link)?)
            .respond(&headers),
        None => list_response(&headers, &tag, link.as_ref(), || list_json(&page.items)),
    }
}

/// `Link: <…>; rel="next"`: this list's URL with the cursor `next`.
fn next_link(
    origin: &str,
    query: &ListQuery,
    tags: &[String],
    limit: PageLimit,
    next: &str,
) -> Option<HeaderValue> {
    let limit = limit.get().to_string();
    let mut parameters = Vec::new();
    if let Some(q) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
        parameters.push(("q", q));
    }
    parameters.extend(tags.iter().map(|tag| ("tag", tag.as_str())));
    if let Some(within) = query.within.as_deref().filter(|raw| !raw.trim().is_empty()) {
        parameters.push(("in", within));
    }
    parameters.extend([("limit", limit.as_str()), ("cursor", next)]);
    let parameters = serde_urlencoded::to_string(parameters).unwrap_or_default();
    HeaderValue::try_from(format!("<{origin}/api/items?{parameters}>; rel=\"next\"")).ok()
}

/// Create an item. With a client-chosen `id`, repeating the request is safe.
#[utoipa::path(post, path = "/api/items", tag = "items", request_body = NewItemBody,
    responses(
        (status = 201, description = "Created", body = Item,
            headers(("Location" = String), ("ETag" = String))),
        (status = 200, description = "The same request was made before; this is the item it created", body = Item),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "The id belongs to an item with different content", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid or unknown fields", body = ErrorBody),
    ))]
pub async fn create(
    Editing(permit): Editing,
    State(store): State<SharedItemStore>,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    let mut reader = ObjectReader::new(body, NewItemBody::FIELDS);
    let body = NewItemBody::read(&mut reader);
    let id = match body.id.as_deref().map(ItemId::parse) {
        None => Some(ItemId::generate()),
        Some(Ok(id)) => Some(id),
        Some(Err(e)) => {
            reader.fail("id", e.to_string());
            None
        }
    };
    let draft = validate(&mut reader, &body.name, body.description.as_deref());
    let tags = tags_field(&mut reader, body.tags.as_deref());
    let draft = draft.zip(tags).map(|(draft, tags)| ItemDraft {
        tags,
        quantity: body.quantity,
        location: body.location,
        ..draft
    });
    let (id, draft) = reader.finish(id.zip(draft))?;
    match store.create(&permit, id, draft).await {
        Ok(Created::New(item)) => {
            let location = format!("/api/items/{}", item.id);
            let mut response = item_response(StatusCode::CREATED, item);
            if let Ok(value) = HeaderValue::try_from(location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            Ok(response)
        }
        Ok(Created::Existing(item)) => Ok(item_response(StatusCode::OK, item)),
        Err(StoreError::IdTaken { .. }) => Err(ApiError::conflict(
            "an item with this id already exists with different content",
            FieldErrors::from([("id".into(), "is already taken".into())]),
        )),
        Err(e) => Err(e.into()),
    }
}

/// One item. Its `ETag` is its version.
#[utoipa::path(get, path = "/api/items/{id}", tag = "items",
    params(("id" = String, Path, description = "The item's id (UUID or ULID)")),
    responses(
        (status = 200, description = "The item", body = Item, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the `If-None-Match` version"),
        (status = 404, description = "No such item", body = ErrorBody),
    ))]
pub async fn get(
    Reading(permit): Reading,
    State(store): State<SharedItemStore>,
    headers: HeaderMap,
    ItemIdPath(id): ItemIdPath,
) -> Result<Response, ApiError> {
    let item = store
        .get(&permit, &id)
        .await?
        .ok_or_else(ApiError::item_not_found)?;
    if if_none_match(&headers, item.version) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        insert_etag(&mut response, item.version);
        return Ok(response);
    }
    Ok(item_response(StatusCode::OK, item))
}

/// Replace an item's name and description, and its tags and quantity when given.
#[utoipa::path(put, path = "/api/items/{id}", tag = "items", request_body = ItemUpdateBody,
    params(
        ("id" = String, Path, description = "The item's id"),
        ("If-Match" = Option<String>, Header, pattern = r#"^(\*|(W/)?"[^"]*"|[0-9]+)$"#, description = "The `ETag` the change is based on; a stale one fails with 412"),
    ),
    responses(
        (status = 200, description = "The updated item", body = Item, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or `If-Match`", body = ErrorBody),
        (status = 404, description = "No such item", body = ErrorBody),
        (status = 412, description = "The item changed since that version", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid or unknown fields", body = ErrorBody),
    ))]
pub async fn update(
    Editing(permit): Editing,
    State(store): State<SharedItemStore>,
    headers: HeaderMap,
    ItemIdPath(id): ItemIdPath,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    let precondition = if_match(&headers)?;
    let mut reader = ObjectReader::new(body, ItemUpdateBody::FIELDS);
    let body = ItemUpdateBody::read(&mut reader);
    if let Some(body_id) = &body.id {
        if ItemId::parse(body_id).as_ref() != Ok(&id) {
            reader.fail("id", "must be the id in the URL (ids cannot change)");
        }
    }
    let draft = validate(&mut reader, &body.name, body.description.as_deref());
    let tags = match &body.tags {
        Some(tags) => tags_field(&mut reader, Some(tags)).map(Some),
        None => Some(None),
    };
    let change = draft.zip(tags).map(|(draft, tags)| ItemChange {
        name: Some(draft.name),
        description: Some(draft.description),
        tags,
        quantity: body.quantity,
        location: body.location,
    });
    let change = reader.finish(change)?;
    let expected = match precondition {
        Some(IfMatch::Never) => return Err(ApiError::precondition_failed()),
        Some(IfMatch::Any) => None,
        Some(IfMatch::Version(version)) => Some(version),
        None => body.version,
    };
    let item = store.update(&permit, &id, change, expected).await?;
    Ok(item_response(StatusCode::OK, item))
}

/// Delete an item and its photos.
#[utoipa::path(delete, path = "/api/items/{id}", tag = "items",
    params(
        ("id" = String, Path, description = "The item's id"),
        ("If-Match" = Option<String>, Header, pattern = r#"^(\*|(W/)?"[^"]*"|[0-9]+)$"#, description = "Only delete this version"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed `If-Match`", body = ErrorBody),
        (status = 404, description = "No such item", body = ErrorBody),
        (status = 412, description = "The item changed since that version", body = ErrorBody),
    ))]
pub async fn delete(
    Editing(permit): Editing,
    State(photos): State<Photos>,
    headers: HeaderMap,
    ItemIdPath(id): ItemIdPath,
) -> Result<StatusCode, ApiError> {
    photos
        .delete_item(&permit, &id, expected_version(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks name and description with the model's rules, recording failures on `reader`.
fn validate(reader: &mut ObjectReader, name: &str, description: Option<&str>) -> Option<ItemDraft> {
    match ItemDraft::parse(name, description.unwrap_or_default()) {
        Ok(draft) => Some(draft),
        Err(errors) => {
            for (field, message) in errors {
                reader.fail(&field, message);
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::PartialSchema;

    /// The documented request bodies and what the parser accepts must not drift apart.
    fn schema_fields<T: PartialSchema>() -> Vec<String> {
        let schema = serde_json::to_value(T::schema()).unwrap();
        let mut fields: Vec<String> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        fields.sort();
        fields
    }

    fn sorted(fields: &[&str]) -> Vec<String> {
        let mut fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        fields.sort();
        fields
    }

    #[test]
    fn documented_create_fields_are_the_accepted_ones() {
        assert_eq!(schema_fields::<NewItemBody>(), sorted(NewItemBody::FIELDS));
    }

    #[test]
    fn documented_update_fields_are_the_writable_ones() {
        let writable: Vec<&str> = ItemUpdateBody::FIELDS
            .iter()
            .copied()
            .filter(|f| !ItemUpdateBody::READ_ONLY.contains(f))
            .collect();
        assert_eq!(schema_fields::<ItemUpdateBody>(), sorted(&writable));
    }
}
