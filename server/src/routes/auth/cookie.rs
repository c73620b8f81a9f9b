//! The session cookie: `__Host-shelf_session` over HTTPS (`Secure`, host-only, `Path=/`, as the
//! prefix demands), `shelf_session` on plain HTTP (a LAN, a laptop), where browsers refuse
//! `Secure` cookies. Both `HttpOnly` and `SameSite=Lax`.

use axum::http::{header, HeaderMap, HeaderValue};
use std::time::Duration;

const SECURE_NAME: &str = "__Host-shelf_session";
const PLAIN_NAME: &str = "shelf_session";

/// Whether the browser reached us over HTTPS: directly never (Shelf speaks HTTP), so through a
/// proxy that says so (the ALB sets `X-Forwarded-Proto`). A client that lies about it only
/// gets a cookie its own browser will not send back over HTTP.
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

fn name(https: bool) -> &'static str {
    if https {
        SECURE_NAME
    } else {
        PLAIN_NAME
    }
}

/// The session cookie's value, if the request carries one. Over HTTPS only the `__Host-` one
/// counts: a plain one there could have been planted over HTTP by someone on the network.
pub fn read(headers: &HeaderMap) -> Option<String> {
    let wanted = name(is_https(headers));
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| cookie::Cookie::parse(pair.trim().to_owned()).ok())
        .find(|cookie| cookie.name() == wanted)
        .map(|cookie| cookie.value().to_owned())
}

/// `Set-Cookie` for a new session that the browser keeps for `max_age`.
pub fn set(headers: &HeaderMap, value: &str, max_age: Duration) -> HeaderValue {
    build(headers, value.to_owned(), max_age)
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn clear(headers: &HeaderMap) -> HeaderValue {
    build(headers, String::new(), Duration::ZERO)
}

fn build(headers: &HeaderMap, value: String, max_age: Duration) -> HeaderValue {
    let https = is_https(headers);
    let cookie = cookie::Cookie::build((name(https), value))
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(
            i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
        ))
        .build();
    HeaderValue::try_from(cookie.to_string())
        .expect("a cookie of URL-safe characters is a valid header")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn https_gets_the_host_prefixed_secure_cookie() {
        let https = headers(&[("x-forwarded-proto", "https")]);
        let set = set(&https, "abc", Duration::from_secs(60));
        let set = set.to_str().unwrap();
        assert!(set.starts_with("__Host-shelf_session=abc"), "{set}");
        for part in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=60"] {
            assert!(set.contains(part), "{set} lacks {part}");
        }
        assert!(!set.contains("Domain"), "{set}");
        let plain = super::set(&HeaderMap::new(), "abc", Duration::from_secs(60));
        let plain = plain.to_str().unwrap();
        assert!(
            plain.starts_with("shelf_session=abc") && !plain.contains("Secure"),
            "{plain}"
        );
    }

    #[test]
    fn only_the_cookie_for_the_scheme_is_read() {
        let plain = headers(&[("cookie", "other=1; shelf_session=s1"), ("cookie", "x=2")]);
        assert_eq!(read(&plain).as_deref(), Some("s1"));
        let planted = headers(&[
            ("x-forwarded-proto", "https"),
            ("cookie", "shelf_session=s1"),
        ]);
        assert_eq!(read(&planted), None);
        let secure = headers(&[
            ("x-forwarded-proto", "https"),
            ("cookie", "shelf_session=s1; __Host-shelf_session=s2"),
        ]);
        assert_eq!(read(&secure).as_deref(), Some("s2"));
        assert_eq!(read(&HeaderMap::new()), None);
    }

    #[test]
    fn clearing_expires_the_cookie_now() {
        let cleared = clear(&HeaderMap::new());
        assert!(cleared.to_str().unwrap().contains("Max-Age=0"));
    }
}
