//! `/api/locations`: the collection's locations (a tree), created, renamed, moved and deleted.

use super::access::{Editing, Reading};
use super::error::{ApiError, ErrorBody};
use super::json_body::{JsonObject, ObjectReader};
use super::preconditions::{expected_version, if_match, IfMatch};
use super::responses::versioned_response;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Json;
use domain::item_store::SharedItemStore;
use domain::location_store::{self, LocationChange, LocationError, SharedLocationStore};
use domain::location_tree::{LocationTree, MoveError};
use domain::model::{FieldErrors, Location, LocationId, LocationName};
use domain::organise::{self, ChangeReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A location as the API shows it: the location, where it is, and how many items it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationView {
    #[serde(flatten)]
    location: Location,
    /// Its path, outermost first: "House › Garage › Shelf 2".
    path: String,
    /// Items filed in it or anywhere inside it.
    items: u64,
}

/// Body of `POST /api/locations`. Other fields are refused (422).
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLocationBody {
    /// A UUID chosen by the client, making retries safe; omitted, the server picks one.
    #[schema(format = Uuid)]
    id: Option<String>,
    /// 1 to 60 characters after trimming, one line.
    #[schema(min_length = 1)]
    name: String,
    /// The id of the location it is in; omitted or `null`: at the top.
    #[schema(format = Uuid)]
    parent: Option<String>,
}

impl NewLocationBody {
    const FIELDS: &'static [&'static str] = &["id", "name", "parent"];

    fn read(reader: &mut ObjectReader) -> Self {
        Self {
            id: reader.optional_string("id"),
            name: reader.required_string("name").unwrap_or_default(),
            parent: reader.optional_string("parent"),
        }
    }
}

/// Body of `PUT /api/locations/{id}`: what changes (fields left out stay). Other fields are
/// refused (422).
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationChangeBody {
    /// The new name: 1 to 60 characters after trimming, one line.
    #[schema(min_length = 1)]
    name: Option<String>,
    /// The location to move it into (with everything inside it); `null`: to the top.
    #[schema(value_type = Option<String>, format = Uuid)]
    parent: Option<Option<String>>,
}

impl LocationChangeBody {
    const FIELDS: &'static [&'static str] = &["name", "parent"];

    fn read(reader: &mut ObjectReader) -> Self {
        Self {
            name: reader.optional_string("name"),
            parent: reader.nullable_string("parent"),
        }
    }
}

/// Query of `DELETE /api/locations/{id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Where what it holds goes (its items and the locations in it): a location's id, or
    /// `none` (the items in no location, the locations at the top). Needed unless it is empty.
    #[param(
        pattern = r"^(|none|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
    )]
    contents_to: Option<String>,
}

/// Every location of the collection, in tree order, with its path and item count.
#[utoipa::path(get, path = "/api/locations", tag = "locations",
    responses((status = 200, description = "The locations, each followed by those inside it", body = [LocationView])))]
pub async fn list(
    Reading(permit): Reading,
    State(locations): State<SharedLocationStore>,
    State(items): State<SharedItemStore>,
) -> Result<Json<Vec<LocationView>>, ApiError> {
    let (tree, counts) = location_store::overview(&*items, &*locations, &permit).await?;
    let views = tree
        .in_order()
        .into_iter()
        .map(|(_, location)| LocationView {
            path: tree.path_text(&location.id),
            items: counts.get(&location.id).copied().unwrap_or(0),
            location: location.clone(),
        })
        .collect();
    Ok(Json(views))
}

/// Create a location.
#[utoipa::path(post, path = "/api/locations", tag = "locations", request_body = NewLocationBody,
    responses(
        (status = 201, description = "Created (or, for a repeated id with the same content, the one created before)", body = Location,
            headers(("Location" = String), ("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "The id is another location's, or the parent does not exist (any more)", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid or unknown fields; no such parent; too deep; too many locations", body = ErrorBody),
    ))]
pub async fn create(
    Editing(permit): Editing,
    State(locations): State<SharedLocationStore>,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    let mut reader = ObjectReader::new(body, NewLocationBody::FIELDS);
    let body = NewLocationBody::read(&mut reader);
    let id = match body.id {
        None => Some(LocationId::generate()),
        Some(raw) => parsed(&mut reader, "id", LocationId::parse(&raw)),
    };
    let name = parsed(&mut reader, "name", LocationName::parse(&body.name));
    let parent = match body.parent {
        None => Some(None),
        Some(raw) => parsed(&mut reader, "parent", LocationId::parse(&raw)).map(Some),
    };
    let (id, (name, parent)) = reader.finish(id.zip(name.zip(parent)))?;
    let location = locations
        .create_location(&permit, id, name, parent)
        .await
        .map_err(location_error)?;
    Ok(location_response(StatusCode::CREATED, &location, true))
}

/// One location. Its `ETag` is its version.
#[utoipa::path(get, path = "/api/locations/{id}", tag = "locations",
    params(("id" = String, Path, description = "The location's id")),
    responses(
        (status = 200, description = "The location", body = Location, headers(("ETag" = String))),
        (status = 404, description = "No such location", body = ErrorBody),
    ))]
pub async fn get(
    Reading(permit): Reading,
    State(locations): State<SharedLocationStore>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = location_id(&raw)?;
    let tree = LocationTree::new(locations.locations(&permit).await?);
    let location = tree.get(&id).ok_or_else(not_found)?;
    Ok(location_response(StatusCode::OK, location, false))
}

/// Rename a location, or move it (with everything inside it) into another, or both.
#[utoipa::path(put, path = "/api/locations/{id}", tag = "locations", request_body = LocationChangeBody,
    params(
        ("id" = String, Path, description = "The location's id"),
        ("If-Match" = Option<String>, Header, pattern = r#"^(\*|(W/)?"[^"]*"|[0-9]+)$"#, description = "The `ETag` the change is based on"),
    ),
    responses(
        (status = 200, description = "The changed location", body = Location, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or `If-Match`", body = ErrorBody),
        (status = 404, description = "No such location", body = ErrorBody),
        (status = 409, description = "The parent does not exist (any more)", body = ErrorBody),
        (status = 412, description = "It changed since that version", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid or unknown fields; into itself; too deep; no such parent", body = ErrorBody),
        (status = 503, description = "Other locations moved meanwhile: try again", body = ErrorBody),
    ))]
pub async fn update(
    Editing(permit): Editing,
    State(locations): State<SharedLocationStore>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    let id = location_id(&raw)?;
    let expected = match if_match(&headers)? {
        Some(IfMatch::Never) => return Err(ApiError::precondition_failed()),
        Some(IfMatch::Any) | None => None,
        Some(IfMatch::Version(version)) => Some(version),
    };
    let mut reader = ObjectReader::new(body, LocationChangeBody::FIELDS);
    let body = LocationChangeBody::read(&mut reader);
    let name = match body.name {
        None => Some(None),
        Some(raw) => parsed(&mut reader, "name", LocationName::parse(&raw)).map(Some),
    };
    let parent = match body.parent {
        None => Some(None),
        Some(None) => Some(Some(None)),
        Some(Some(raw)) => {
            parsed(&mut reader, "parent", LocationId::parse(&raw)).map(|p| Some(Some(p)))
        }
    };
    let (name, parent) = reader.finish(name.zip(parent))?;
    let change = LocationChange { name, parent };
    let location = locations
        .change_location(&permit, &id, change, expected)
        .await
        .map_err(location_error)?;
    Ok(location_response(StatusCode::OK, &location, false))
}

/// Delete a location. What it holds goes where `contents_to` says (each item moved with its
/// own conditional write); if some item could not be moved, the location stays and the report
/// lists it.
#[utoipa::path(delete, path = "/api/locations/{id}", tag = "locations",
    params(
        ("id" = String, Path, description = "The location's id"),
        DeleteQuery,
        ("If-Match" = Option<String>, Header, pattern = r#"^(\*|(W/)?"[^"]*"|[0-9]+)$"#, description = "Only delete this version"),
    ),
    responses(
        (status = 200, description = "What was moved out, and what could not be (then the location stays)", body = ChangeReport),
        (status = 400, description = "`contents_to` is neither a location's id nor `none`, or a malformed `If-Match`", body = ErrorBody),
        (status = 404, description = "No such location", body = ErrorBody),
        (status = 409, description = "It holds items or locations and `contents_to` was not given, or `contents_to` does not exist", body = ErrorBody),
        (status = 412, description = "It changed since that version", body = ErrorBody),
        (status = 422, description = "`contents_to` is not a location, or is inside this one", body = ErrorBody),
    ))]
pub async fn delete(
    Editing(permit): Editing,
    State(locations): State<SharedLocationStore>,
    State(items): State<SharedItemStore>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    query: Result<Query<DeleteQuery>, QueryRejection>,
) -> Result<Json<ChangeReport>, ApiError> {
    let id = location_id(&raw)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let contents_to = match query.contents_to.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("none") => Some(None),
        Some(raw) => {
            Some(Some(LocationId::parse(raw).map_err(|e| {
                ApiError::bad_field("contents_to", e.to_string())
            })?))
        }
    };
    let report = organise::delete_location(
        &*items,
        &*locations,
        &permit,
        &id,
        contents_to,
        expected_version(&headers)?,
    )
    .await
    .map_err(location_error)?;
    Ok(Json(report))
}

fn parsed<T, E: ToString>(
    reader: &mut ObjectReader,
    field: &str,
    result: Result<T, E>,
) -> Option<T> {
    result.map_err(|e| reader.fail(field, e.to_string())).ok()
}

fn location_id(raw: &str) -> Result<LocationId, ApiError> {
    LocationId::parse(raw).map_err(|e| not_found().with_field("id", e.to_string()))
}

fn not_found() -> ApiError {
    ApiError::not_found("no such location")
}

fn location_response(status: StatusCode, location: &Location, with_location: bool) -> Response {
    let mut response = versioned_response(status, location, location.version);
    if with_location {
        if let Ok(value) = HeaderValue::try_from(format!("/api/locations/{}", location.id)) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    response
}

fn location_error(error: LocationError) -> ApiError {
    let one = |field: &str, message: String| FieldErrors::from([(field.to_owned(), message)]);
    match error {
        LocationError::NotFound => not_found(),
        LocationError::IdTaken => ApiError::conflict(
            "another location already has this id",
            one("id", "is already taken".into()),
        ),
        // A location that is not there (any more) is a conflict with the state of the
        // collection, like an id taken; a move the rules forbid is invalid input.
        LocationError::Move(e @ MoveError::NoSuchParent) => {
            ApiError::conflict(e.to_string(), one("parent", e.to_string()))
        }
        LocationError::Move(e) => ApiError::invalid_fields(one("parent", e.to_string())),
        LocationError::TooMany => ApiError::unprocessable(error.to_string()),
        LocationError::HasLocationsInside | LocationError::NotEmpty { .. } => ApiError::conflict(
            error.to_string(),
            one("contents_to", "is needed: where its contents go".into()),
        ),
        LocationError::VersionConflict { .. } => ApiError::precondition_failed(),
        LocationError::Store(e) => e.into(),
    }
}
