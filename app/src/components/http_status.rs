//! The HTTP status of a server-rendered page.

/// Sets the status of the response that carries the page being rendered on the server, so a
/// missing item is a real 404 to crawlers, tests and caches. Does nothing in the browser.
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
