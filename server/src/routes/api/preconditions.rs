//! Conditional requests: `If-Match` for optimistic locking, `If-None-Match` for caching.
//!
//! An item's entity tag is its version in quotes (`"3"`), so a precondition maps onto the
//! store's conditional write directly.

use super::error::ApiError;
use axum::http::{header, HeaderMap, HeaderName};

/// What `If-Match` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: the item must exist, any version.
    Any,
    /// The item must be at exactly this version.
    Version(u64),
    /// A tag that no item version can ever have (weak, or not one of ours): always 412.
    Never,
}

/// Parses `If-Match`; `None` when absent.
pub fn if_match(headers: &HeaderMap) -> Result<Option<IfMatch>, ApiError> {
    let Some(tags) = tag_list(headers, header::IF_MATCH)? else {
        return Ok(None);
    };
    match tags.as_slice() {
        ["*"] => Ok(Some(IfMatch::Any)),
        [tag] => Ok(Some(
            strong_version(tag).map_or(IfMatch::Never, IfMatch::Version),
        )),
        _ => Err(ApiError::bad_field(
            "If-Match",
            "send one entity tag (the item's ETag) or *",
        )),
    }
}

/// The version a write is conditional on, from `If-Match`: `None` for none or `*`.
pub fn expected_version(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    match if_match(headers)? {
        Some(IfMatch::Never) => Err(ApiError::precondition_failed()),
        Some(IfMatch::Version(version)) => Ok(Some(version)),
        Some(IfMatch::Any) | None => Ok(None),
    }
}

/// Whether `If-None-Match` matches `version` (weak comparison, as RFC 9110 asks for GET).
pub fn if_none_match(headers: &HeaderMap, version: u64) -> bool {
    let Ok(Some(tags)) = tag_list(headers, header::IF_NONE_MATCH) else {
        return false;
    };
    tags.iter().any(|tag| {
        *tag == "*" || strong_version(tag.strip_prefix("W/").unwrap_or(tag)) == Some(version)
    })
}

/// Whether `If-None-Match` matches the entity tag `tag` (`"…"` or `W/"…"`), weakly.
pub fn if_none_match_tag(headers: &HeaderMap, tag: &str) -> bool {
    none_match_list(headers, tag, true)
}

/// Whether `If-None-Match` names the entity tag `tag` itself, weakly: `*` ("any
/// representation") does not count, for a response that may turn out to be none (a page
/// whose tag is made before it is known whether what it shows exists).
pub fn if_none_match_names(headers: &HeaderMap, tag: &str) -> bool {
    none_match_list(headers, tag, false)
}

fn none_match_list(headers: &HeaderMap, tag: &str, star: bool) -> bool {
    let Ok(Some(tags)) = tag_list(headers, header::IF_NONE_MATCH) else {
        return false;
    };
    let opaque = |tag: &str| tag.strip_prefix("W/").unwrap_or(tag).to_owned();
    tags.iter()
        .any(|sent| (star && *sent == "*") || opaque(sent) == opaque(tag))
}

fn tag_list(headers: &HeaderMap, name: HeaderName) -> Result<Option<Vec<&str>>, ApiError> {
    let Some(value) = headers.get(&name) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::bad_field(name.as_str(), "must be ASCII"))?;
    let tags: Vec<&str> = split_outside_quotes(value)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if tags.is_empty() {
        return Err(ApiError::bad_field(name.as_str(), "is empty"));
    }
    Ok(Some(tags))
}

/// The comma-separated parts of a tag list; a comma inside a quoted tag (`W/"a,b"`, which
/// RFC 9110 allows) does not separate.
fn split_outside_quotes(list: &str) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    list.split(move |c| {
        if c == '"' {
            quoted = !quoted;
        }
        c == ',' && !quoted
    })
}

/// The version in a strong tag `"N"`. Bare `N` is accepted too: clients of the old service
/// sent the version without quotes.
fn strong_version(tag: &str) -> Option<u64> {
    let inner = tag
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(tag);
    if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    inner.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, value.parse().unwrap());
        h
    }

    #[test]
    fn if_match_forms() {
        let parse = |v: &str| if_match(&headers(header::IF_MATCH, v));
        assert_eq!(parse("\"7\"").unwrap(), Some(IfMatch::Version(7)));
        assert_eq!(parse("7").unwrap(), Some(IfMatch::Version(7)));
        assert_eq!(parse("*").unwrap(), Some(IfMatch::Any));
        assert_eq!(parse("W/\"7\"").unwrap(), Some(IfMatch::Never));
        assert_eq!(parse("\"abc\"").unwrap(), Some(IfMatch::Never));
        assert_eq!(
            parse("\"99999999999999999999999\"").unwrap(),
            Some(IfMatch::Never)
        );
        assert!(parse("\"1\", \"2\"").is_err());
        assert_eq!(parse("W/\"a,b\"").unwrap(), Some(IfMatch::Never));
        assert!(parse(" , ").is_err());
        assert_eq!(if_match(&HeaderMap::new()).unwrap(), None);
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let check = |v: &str| if_none_match(&headers(header::IF_NONE_MATCH, v), 3);
        assert!(check("\"3\""));
        assert!(check("W/\"3\""));
        assert!(check("\"1\", \"3\""));
        assert!(check("\"x,y\", \"3\""));
        assert!(check("*"));
        assert!(!check("\"4\""));
        assert!(!if_none_match(&HeaderMap::new(), 3));
    }

    #[test]
    fn if_none_match_tag_compares_opaque_tags_weakly() {
        let check = |v: &str| if_none_match_tag(&headers(header::IF_NONE_MATCH, v), "W/\"p1f\"");
        assert!(check("W/\"p1f\""));
        assert!(check("\"p1f\""));
        assert!(check("\"x\", W/\"p1f\""));
        assert!(check("*"));
        assert!(!check("W/\"p1e\""));
        assert!(!check(""));
        assert!(!if_none_match_tag(&HeaderMap::new(), "W/\"p1f\""));
        let star = headers(header::IF_NONE_MATCH, "*");
        assert!(if_none_match_tag(&star, "W/\"p1f\""));
        assert!(!if_none_match_names(&star, "W/\"p1f\""));
        assert!(if_none_match_names(
            &headers(header::IF_NONE_MATCH, "\"x\", \"p1f\""),
            "W/\"p1f\""
        ));
    }
}
