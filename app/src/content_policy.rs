//! The pages' Content-Security-Policy: scripts only with this response's nonce (Leptos puts it
//! on its hydration scripts) and what those load ('strict-dynamic'), the wasm compiled, styles
//! and everything else from our own origin, photos and uploads also from the origins the
//! server names (S3, CloudFront). The server provides the policy with `{nonce}` where each
//! response's nonce goes; the shell fills it in and sets the header.

use std::sync::Arc;

/// The policy, with `{nonce}` in place of each response's nonce.
#[derive(Clone, Debug)]
pub struct ContentPolicy(pub Arc<str>);

impl ContentPolicy {
    /// The policy for pages whose photos and uploads are also at `origins`.
    pub fn for_pages(origins: &[String]) -> Self {
        let extra = origins
            .iter()
            .map(|origin| format!(" {origin}"))
            .collect::<String>();
        Self(
            format!(
                "default-src 'none'; \
                 script-src 'nonce-{{nonce}}' 'strict-dynamic' 'wasm-unsafe-eval'; \
                 style-src 'self'; style-src-attr 'unsafe-inline'; \
                 img-src 'self' data: blob:{extra}; \
                 connect-src 'self'{extra}; \
                 worker-src 'self'; manifest-src 'self'; \
                 form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
            )
            .into(),
        )
    }

    pub fn with_nonce(&self, nonce: &str) -> String {
        self.0.replace("{nonce}", nonce)
    }
}

/// Sets the header on the page being rendered, if the server provided a policy.
pub fn apply() {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let (Some(policy), Some(nonce), Some(response)) = (
            use_context::<ContentPolicy>(),
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            if let Ok(value) = http::HeaderValue::from_str(&policy.with_nonce(&nonce)) {
                response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
            }
        }
    }
}
