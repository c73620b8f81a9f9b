//! The OpenAPI 3 description of the REST API, generated from the handlers' annotations.

use super::error::ErrorBody;
use super::{bulk, items, locations, photos, tags};
use axum::Json;
use domain::model::{Item, Location, Photo, TagCount};
use domain::organise::{ChangeReport, ItemFailure};
use domain::photos::{UploadGrant, UploadInstruction, UploadRequest, VariantSpec};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shelf API",
        description = "Items with photos. Errors are JSON: `{\"error\": \"…\", \"fields\": {\"name\": \"…\"}}`.",
    ),
    paths(
        items::list, items::create, items::get, items::update, items::delete, bulk::change,
        photos::start_upload, photos::attach, photos::remove, photos::reorder,
        tags::list, tags::rename,
        locations::list, locations::create, locations::get, locations::update, locations::delete,
        super::health,
    ),
    components(schemas(
        Item, Photo, ErrorBody, items::NewItemBody, items::ItemUpdateBody,
        UploadRequest, VariantSpec, UploadGrant, UploadInstruction, photos::AttachBody,
        photos::OrderBody, TagCount, tags::RenameTagBody, ChangeReport, ItemFailure,
        Location, locations::LocationView, locations::NewLocationBody,
        locations::LocationChangeBody, bulk::BulkChangeBody, bulk::MatchingBody,
        bulk::BulkActionName,
    )),
    modifiers(&Access),
    tags(
        (name = "items", description = "Create, list, read, replace and delete items"),
        (name = "photos", description = "Upload photos straight to storage, attach, remove and reorder them"),
        (name = "tags", description = "The collection's tags; rename or merge one everywhere"),
        (name = "locations", description = "Nested places items are filed in"),
        (name = "health", description = "Is the API up"),
    )
)]
pub struct ApiDoc;

/// How callers authenticate, and what every operation answers when they may not.
struct Access;

impl Modify for Access {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token (not available yet)"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "shelf_session",
                "The session cookie of a signed-in browser (`__Host-shelf_session` over HTTPS); \
                 changes must come from Shelf's own pages",
            ))),
        );
        // A token, a session, or nothing where --anonymous-access allows it.
        openapi.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
            SecurityRequirement::default(),
        ]);
        let refusals = [
            (
                "401",
                "No credentials that allow this (`WWW-Authenticate: Bearer`)",
            ),
            (
                "403",
                "The caller's role does not allow this, or a cross-site change",
            ),
        ];
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path == "/api/health" {
                continue;
            }
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, description) in refusals {
                    let body = ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build();
                    let response = ResponseBuilder::new()
                        .description(description)
                        .content("application/json", body)
                        .build();
                    operation
                        .responses
                        .responses
                        .insert(status.to_owned(), RefOr::T(response));
                }
            }
        }
    }
}

/// `GET /api/openapi.json`
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
