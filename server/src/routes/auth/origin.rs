//! Cross-site request forgery: a request that changes something and is authenticated by the
//! session cookie must come from one of our own pages.
//!
//! Browsers say where a request comes from: `Sec-Fetch-Site` (every current browser) and
//! `Origin` (on every cross-origin request and every POST). The check is the one Go's
//! `net/http.CrossOriginProtection` makes: `Sec-Fetch-Site` must be `same-origin` or `none`
//! (typed in the address bar); without it, `Origin`'s host must be the request's `Host`;
//! with neither, it is not a browser (a script with its own copy of the cookie), which no
//! other site can make send a request. `SameSite=Lax` on the cookie is the second line.

use axum::http::{header, HeaderMap, Method};

/// Whether the method can change something.
pub fn is_unsafe(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Whether the request comes from our own origin, as far as the browser tells.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|origin| origin.split_once("://"))
        .map(|(_, host)| host);
    matches!((origin_host, host), (Some(origin), Some(host)) if origin.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                (
                    header::HeaderName::from_static(name),
                    HeaderValue::from_static(value),
                )
            })
            .collect()
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "none")])));
        for other in ["cross-site", "same-site"] {
            let mut h = headers(&[
                ("host", "shelf.example"),
                ("origin", "https://shelf.example"),
            ]);
            h.insert("sec-fetch-site", HeaderValue::from_static(other));
            assert!(!is_same_origin(&h), "{other}");
        }
    }

    #[test]
    fn otherwise_the_origin_must_be_the_host() {
        let same = headers(&[
            ("host", "shelf.example:3000"),
            ("origin", "http://shelf.example:3000"),
        ]);
        assert!(is_same_origin(&same));
        let other = headers(&[
            ("host", "shelf.example"),
            ("origin", "https://evil.example"),
        ]);
        assert!(!is_same_origin(&other));
        let opaque = headers(&[("host", "shelf.example"), ("origin", "null")]);
        assert!(!is_same_origin(&opaque));
        assert!(is_same_origin(&HeaderMap::new()), "not a browser");
        assert!(is_unsafe(&Method::POST) && is_unsafe(&Method::DELETE));
        assert!(!is_unsafe(&Method::GET));
    }
}
