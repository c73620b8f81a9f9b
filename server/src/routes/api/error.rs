//! Errors of the REST API, each mapped to one status code and a JSON body.
//!
//! Bodies are `{"error": "...", "fields": {"name": "..."}}` (`fields` only when a field is to
//! blame), the shape the old service's clients already handle. Internal failures are logged
//! with their cause and answered with a generic message: details stay in the logs.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::item_store::StoreError;
use domain::list_query::ListQueryError;
use domain::model::FieldErrors;
use domain::photo_store::PhotoStoreError;
use domain::photos::PhotoError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request was refused (a 4xx): a message for people and the fields at fault. Every
    /// refusal has this one shape, as its body does; the constructors below name the cases.
    #[error("{message}")]
    Refused {
        status: StatusCode,
        message: String,
        fields: FieldErrors,
    },
    /// 429: too many at once; `Retry-After` says when to try again.
    #[error("{message}")]
    TooMany {
        message: String,
        retry_after: std::time::Duration,
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

impl ApiError {
    pub fn refused(status: StatusCode, message: impl Into<String>, fields: FieldErrors) -> Self {
        Self::Refused {
            status,
            message: message.into(),
            fields,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::refused(StatusCode::BAD_REQUEST, message, FieldErrors::new())
    }

    pub fn bad_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::refused(
            StatusCode::BAD_REQUEST,
            format!("invalid {field}: {message}"),
            FieldErrors::from([(field.to_owned(), message)]),
        )
    }

    /// 422: the body is well-formed but its fields break the rules.
    pub fn invalid_fields(fields: FieldErrors) -> Self {
        Self::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the request has invalid fields",
            fields,
        )
    }

    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            message,
            FieldErrors::new(),
        )
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::refused(StatusCode::NOT_FOUND, message, FieldErrors::new())
    }

    pub fn item_not_found() -> Self {
        Self::not_found("item not found")
    }

    pub fn photo_not_found() -> Self {
        Self::not_found("photo not found")
    }

    /// The same refusal, naming `field` as (one of) the reasons; failures are left as they are.
    pub fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        if let Self::Refused { fields, .. } = &mut self {
            fields.insert(field.to_owned(), message.into());
        }
        self
    }

    pub fn conflict(message: impl Into<String>, fields: FieldErrors) -> Self {
        Self::refused(StatusCode::CONFLICT, message, fields)
    }

    pub fn precondition_failed() -> Self {
        Self::refused(
            StatusCode::PRECONDITION_FAILED,
            "the item has changed since the version given in If-Match",
            FieldErrors::new(),
        )
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {limit} bytes"),
            FieldErrors::new(),
        )
    }

    pub fn unsupported_media_type() -> Self {
        Self::refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the request body must be JSON (Content-Type: application/json)",
            FieldErrors::new(),
        )
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Refused { status, .. } => *status,
            Self::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
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
            StoreError::VersionConflict { .. } => Self::precondition_failed(),
            StoreError::PhotoNotFound => Self::photo_not_found(),
            StoreError::IdTakenElsewhere => Self::conflict(
                "another item already has this id",
                FieldErrors::from([("id".into(), "is already taken".into())]),
            ),
            StoreError::TooManyPhotos { .. } | StoreError::BadPhotoOrder => {
                PhotoError::from(error).into()
            }
            StoreError::NoSuchLocation => Self::invalid_fields(FieldErrors::from([(
                "location".into(),
                "is not a location of this collection".into(),
            )])),
            StoreError::Unavailable(_) => Self::Unavailable(error.into()),
            _ => Self::Internal(error.into()),
        }
    }
}

/// A list's `q`, `tag` or `in` that asks for nothing showable is the client's mistake (400).
impl From<ListQueryError> for ApiError {
    fn from(error: ListQueryError) -> Self {
        match error {
            ListQueryError::Refused { parameter, problem } => Self::bad_field(parameter, problem),
            ListQueryError::Store(error) => error.into(),
        }
    }
}

impl From<PhotoError> for ApiError {
    fn from(error: PhotoError) -> Self {
        let one = |field: &str, message: String| FieldErrors::from([(field.to_owned(), message)]);
        match error {
            PhotoError::ItemNotFound => Self::item_not_found(),
            PhotoError::PhotoNotFound => Self::photo_not_found(),
            PhotoError::VersionConflict { .. } => Self::precondition_failed(),
            PhotoError::TooManyPhotos { max } => Self::conflict(
                format!("the item already has the most photos allowed ({max})"),
                FieldErrors::new(),
            ),
            PhotoError::TooManyPending { retry_after, .. } => Self::TooMany {
                message: error.to_string(),
                retry_after,
            },
            PhotoError::TooLarge { ref field, max } => Self::refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                error.to_string(),
                one(field, format!("must be at most {max} bytes")),
            ),
            PhotoError::UnsupportedType { ref field } => Self::refused(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                error.to_string(),
                one(field, "must be image/jpeg".into()),
            ),
            PhotoError::Invalid(fields) => Self::invalid_fields(fields),
            PhotoError::Store(error) => error.into(),
            PhotoError::Files(error @ PhotoStoreError::Unavailable(_)) => {
                Self::Unavailable(error.into())
            }
            PhotoError::Files(error @ PhotoStoreError::OutOfSpace { .. }) => {
                tracing::warn!(error = %error, "photo refused: disk space floor reached");
                Self::refused(
                    StatusCode::INSUFFICIENT_STORAGE,
                    "the server has no room for more photos right now",
                    FieldErrors::new(),
                )
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
        let error = self.to_string();
        let (fields, retry_after) = match self {
            Self::Refused { fields, .. } => (fields, None),
            Self::TooMany { retry_after, .. } => (FieldErrors::new(), Some(retry_after)),
            Self::Unavailable(_) | Self::Internal(_) => (FieldErrors::new(), None),
        };
        // A 503 gets its `Retry-After` from the router's layer, as every 503 does.
        let mut response = (status, Json(ErrorBody { error, fields })).into_response();
        if let Some(wait) = retry_after {
            // Whole seconds, rounded up: never "0" while the wait lasts.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.max(1).into());
        }
        if status == StatusCode::UNAUTHORIZED {
            // RFC 9110: a 401 names how to authenticate. API tokens are bearer tokens.
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"shelf\""),
            );
        }
        response
    }
}
