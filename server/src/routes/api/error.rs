//! Errors of the REST API, each mapped to one status code and a JSON body.
//!
//! Bodies are `{"error": "...", "fields": {"name": "..."}}` (`fields` only when a field is to
//! blame), the shape the old service's clients already handle. Internal failures are logged
//! with their cause and answered with a generic message: details stay in the logs.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::item_store::StoreError;
use domain::model::FieldErrors;
use domain::photo_store::PhotoStoreError;
use domain::photos::PhotoError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest {
        message: String,
        fields: FieldErrors,
    },
    #[error("{message}")]
    NotFound {
        message: String,
        fields: FieldErrors,
    },
    #[error("{message}")]
    Conflict {
        message: String,
        fields: FieldErrors,
    },
    #[error("the item has changed since the version given in If-Match")]
    PreconditionFailed,
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// A photo larger than the configured limit.
    #[error("{message}")]
    PhotoTooLarge {
        message: String,
        fields: FieldErrors,
    },
    /// A photo of a type other than JPEG.
    #[error("{message}")]
    UnsupportedPhotoType {
        message: String,
        fields: FieldErrors,
    },
    #[error("{message}")]
    Unprocessable {
        message: String,
        fields: FieldErrors,
    },
    #[error("the store is busy or unreachable; retry shortly")]
    Unavailable(#[source] BackendFailure),
    #[error("internal error")]
    Internal(#[source] BackendFailure),
}

/// A failure of the item store or the photo store, kept for the log.
#[derive(Debug, thiserror::Error)]
pub enum BackendFailure {
    #[error(transparent)]
    Items(#[from] StoreError),
    #[error(transparent)]
    Photos(#[from] PhotoStoreError),
}

/// The JSON error body, as documented in the OpenAPI description.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for people.
    #[schema(example = "the request has invalid fields")]
    pub error: String,
    /// Field name → what is wrong with it.
    #[serde(skip_serializing_if = "FieldErrors::is_empty")]
    #[schema(example = json!({"name": "Name is required."}))]
    pub fields: FieldErrors,
}

/// Seconds a client should wait before retrying a 503.
const RETRY_AFTER_SECS: &str = "1";

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest {
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    pub fn bad_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::BadRequest {
            message: format!("invalid {field}: {message}"),
            fields: FieldErrors::from([(field.to_owned(), message)]),
        }
    }

    pub fn invalid_fields(fields: FieldErrors) -> Self {
        Self::Unprocessable {
            message: "the request has invalid fields".into(),
            fields,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound {
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    pub fn item_not_found() -> Self {
        Self::not_found("item not found")
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType | Self::UnsupportedPhotoType { .. } => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::PhotoTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Store errors the handlers did not turn into something more specific.
impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::item_not_found(),
            StoreError::VersionConflict { .. } => Self::PreconditionFailed,
            StoreError::PhotoNotFound => Self::not_found("photo not found"),
            StoreError::TooManyPhotos { .. } | StoreError::BadPhotoOrder => {
                PhotoError::from(error).into()
            }
            StoreError::Unavailable(_) => Self::Unavailable(error.into()),
            _ => Self::Internal(error.into()),
        }
    }
}

impl From<PhotoError> for ApiError {
    fn from(error: PhotoError) -> Self {
        let one = |field: &str, message: String| FieldErrors::from([(field.to_owned(), message)]);
        match error {
            PhotoError::ItemNotFound => Self::item_not_found(),
            PhotoError::PhotoNotFound => Self::not_found("photo not found"),
            PhotoError::VersionConflict { .. } => Self::PreconditionFailed,
            PhotoError::TooManyPhotos { max } => Self::Conflict {
                message: format!("the item already has the most photos allowed ({max})"),
                fields: FieldErrors::new(),
            },
            PhotoError::TooLarge { ref field, max } => Self::PhotoTooLarge {
                message: error.to_string(),
                fields: one(field, format!("must be at most {max} bytes")),
            },
            PhotoError::UnsupportedType { ref field } => Self::UnsupportedPhotoType {
                message: error.to_string(),
                fields: one(field, "must be image/jpeg".into()),
            },
            PhotoError::Invalid(fields) => Self::invalid_fields(fields),
            PhotoError::Store(error) => error.into(),
            PhotoError::Files(error @ PhotoStoreError::Unavailable(_)) => {
                Self::Unavailable(error.into())
            }
            PhotoError::Files(error) => Self::Internal(error.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            Self::Internal(source) | Self::Unavailable(source) => {
                tracing::error!(
                    error = %source,
                    cause = ?std::error::Error::source(source),
                    status = status.as_u16(),
                    "request failed"
                );
            }
            _ => {}
        }
        let fields = match &self {
            Self::BadRequest { fields, .. }
            | Self::NotFound { fields, .. }
            | Self::Conflict { fields, .. }
            | Self::Unprocessable { fields, .. }
            | Self::PhotoTooLarge { fields, .. }
            | Self::UnsupportedPhotoType { fields, .. } => fields.clone(),
            _ => FieldErrors::new(),
        };
        let body = ErrorBody {
            error: self.to_string(),
            fields,
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
        response
    }
}
