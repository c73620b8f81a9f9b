//! Reading JSON request bodies with precise, per-field errors.
//!
//! Bodies are parsed in two steps: syntax first (400 for malformed JSON, 415 for another
//! content type, 413 past the size limit), then each field by hand through [`ObjectReader`],
//! which collects every problem, unknown fields included, into one 422 keyed by field name.
//! Deriving `Deserialize` would stop at the first problem and name fields only in prose.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use domain::model::FieldErrors;
use serde_json::{Map, Value};

/// Largest JSON body accepted. An item is at most 600 characters (2.4 KB in UTF-8); the
/// rest is room for whitespace and the read-only fields clients echo back.
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

/// A request body that is a JSON object.
#[derive(Debug)]
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(request.headers()) {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::payload_too_large(JSON_BODY_LIMIT)
                } else {
                    ApiError::bad_request(format!(
                        "cannot read the request body: {}",
                        rejection.body_text()
                    ))
                }
            })?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(ApiError::unprocessable("the body must be a JSON object")),
            Err(e) => Err(ApiError::bad_request(format!("malformed JSON: {e}"))),
        }
    }
}

/// `application/json`, or any `application/*+json`, with or without parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Takes typed fields out of a JSON object, remembering every problem.
pub struct ObjectReader {
    map: Map<String, Value>,
    errors: FieldErrors,
}

impl ObjectReader {
    /// Starts reading; any key not in `known` is reported as an unknown field.
    pub fn new(map: Map<String, Value>, known: &[&str]) -> Self {
        let errors = map
            .keys()
            .filter(|key| !known.contains(&key.as_str()))
            .map(|key| (key.clone(), "is not a known field".to_owned()))
            .collect();
        Self { map, errors }
    }

    /// A string field; `None` if absent or null.
    pub fn optional_string(&mut self, key: &str) -> Option<String> {
        match self.map.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.fail(key, "must be a string");
                None
            }
        }
    }

    /// A string field that must be present.
    pub fn required_string(&mut self, key: &str) -> Option<String> {
        let present = self.map.get(key).is_some_and(|v| !v.is_null());
        let value = self.optional_string(key);
        if !present {
            self.fail(key, "is required");
        }
        value
    }

    /// A whole number from 0 to `i64::MAX` (the API describes such numbers as int64, and the
    /// stores keep them so); `None` if absent or null.
    pub fn optional_u64(&mut self, key: &str) -> Option<u64> {
        match self.map.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v >= 0) => n.as_u64(),
            Some(_) => {
                self.fail(key, "must be a whole number from 0 to 9223372036854775807");
                None
            }
        }
    }

    /// A list of strings; `None` if absent or null.
    pub fn optional_strings(&mut self, key: &str) -> Option<Vec<String>> {
        match self.map.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::Array(values)) => {
                let strings: Option<Vec<String>> = values
                    .into_iter()
                    .map(|value| match value {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                if strings.is_none() {
                    self.fail(key, "must be a list of strings");
                }
                strings
            }
            Some(_) => {
                self.fail(key, "must be a list of strings");
                None
            }
        }
    }

    /// A whole number that may be null, which says "none": `None` if absent, `Some(None)` if
    /// null.
    pub fn nullable_u64(&mut self, key: &str) -> Option<Option<u64>> {
        match self.map.get(key) {
            None => None,
            Some(Value::Null) => {
                self.map.remove(key);
                Some(None)
            }
            Some(_) => self.optional_u64(key).map(Some),
        }
    }

    /// A string that may be null, which says "none": `None` if absent, `Some(None)` if null.
    pub fn nullable_string(&mut self, key: &str) -> Option<Option<String>> {
        match self.map.get(key) {
            None => None,
            Some(Value::Null) => {
                self.map.remove(key);
                Some(None)
            }
            Some(_) => self.optional_string(key).map(Some),
        }
    }

    /// An object field, read with a reader of its own that knows the fields `known`; hand it
    /// back through [`ObjectReader::merge`]. `None` if absent or null, or not an object.
    pub fn optional_object(&mut self, key: &str, known: &[&str]) -> Option<ObjectReader> {
        match self.map.remove(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(map)) => Some(Self::new(map, known)),
            Some(_) => {
                self.fail(key, "must be an object");
                None
            }
        }
    }

    /// Takes the problems `nested` found in the object under `key`, each named `key.field`.
    pub fn merge(&mut self, key: &str, nested: ObjectReader) {
        for (field, problem) in nested.errors {
            self.fail(&format!("{key}.{field}"), problem);
        }
    }

    /// Accepts a field whose value is ignored (read-only fields echoed back by clients).
    pub fn ignore(&mut self, key: &str) {
        self.map.remove(key);
    }

    /// Records a problem found while validating a value read earlier.
    pub fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.errors
            .entry(key.to_owned())
            .or_insert_with(|| message.into());
    }

    /// The parsed value, or every problem found (422). `parsed` is `None` exactly when some
    /// problem was recorded.
    pub fn finish<T>(self, parsed: Option<T>) -> Result<T, ApiError> {
        match parsed {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(ApiError::invalid_fields(self.errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reader(value: Value, known: &[&str]) -> ObjectReader {
        let Value::Object(map) = value else {
            panic!("not an object")
        };
        ObjectReader::new(map, known)
    }

    fn field_errors(result: Result<(), ApiError>) -> FieldErrors {
        match result {
            Err(ApiError::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                fields,
                ..
            }) => fields,
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn numbers_beyond_int64_are_refused() {
        let mut r = reader(
            json!({"version": 9_223_372_036_854_775_808_u64}),
            &["version"],
        );
        assert_eq!(r.optional_u64("version"), None);
        assert!(field_errors(r.finish(Some(()))).contains_key("version"));
        let mut r = reader(json!({"version": i64::MAX}), &["version"]);
        assert_eq!(r.optional_u64("version"), Some(i64::MAX as u64));
    }

    #[test]
    fn reports_every_problem_by_field() {
        let mut r = reader(
            json!({"name": 5, "extra": true, "version": -1}),
            &["name", "description", "version"],
        );
        assert_eq!(r.required_string("name"), None);
        assert_eq!(r.required_string("description"), None);
        assert_eq!(r.optional_u64("version"), None);
        let errors = field_errors(r.finish(Some(())));
        assert_eq!(errors["name"], "must be a string");
        assert_eq!(errors["description"], "is required");
        assert_eq!(
            errors["version"],
            "must be a whole number from 0 to 9223372036854775807"
        );
        assert_eq!(errors["extra"], "is not a known field");
    }

    #[test]
    fn lists_and_nullable_numbers() {
        let mut r = reader(
            json!({"tags": ["a", "b"], "bad": ["a", 1], "quantity": null, "count": 3}),
            &["tags", "bad", "quantity", "count"],
        );
        assert_eq!(
            r.optional_strings("tags"),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(r.optional_strings("bad"), None);
        assert_eq!(r.nullable_u64("quantity"), Some(None));
        assert_eq!(r.nullable_u64("count"), Some(Some(3)));
        assert_eq!(r.nullable_u64("absent"), None);
        let errors = field_errors(r.finish(Some(())));
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["bad"]);
    }

    #[test]
    fn null_means_absent() {
        let mut r = reader(json!({"id": null, "name": null}), &["id", "name"]);
        assert_eq!(r.optional_string("id"), None);
        assert_eq!(r.required_string("name"), None);
        assert_eq!(field_errors(r.finish(Some(())))["name"], "is required");
    }

    #[test]
    fn accepts_json_content_types_only() {
        let with = |ct: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, ct.parse().unwrap());
            is_json(&h)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
