//! The pages' Content-Security-Policy: scripts only with this response's nonce (Leptos puts it
//! on its hydration scripts) and what those load ('strict-dynamic'), the wasm compiled, styles
//! and everything else from our own origin, photos and uploads also from the origins the
//! server names (S3, CloudFront).
//!
//! The nonce is made here, before the request reaches its handler, and the same middleware
//! that made it puts the header on the page (`security_headers`). Pages find it through
//! [`current_nonce`] and render their scripts with it. The header used to be set from inside
//! the render (Leptos' `ResponseOptions`), and twice in CI a page came without it, its
//! stylesheet then refused by the non-page policy; the cause was not found, and a header the
//! middleware sets from a nonce it holds cannot go missing that way.

use leptos::nonce::Nonce;
use std::future::Future;
use std::sync::Arc;

tokio::task_local! {
    /// The nonce of the request this task answers.
    static NONCE: Nonce;
}

/// The policy, with `{nonce}` in place of each response's nonce.
#[derive(Clone, Debug)]
pub struct PagePolicy(Arc<str>);

impl PagePolicy {
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

    pub fn with_nonce(&self, nonce: &Nonce) -> String {
        self.0.replace("{nonce}", nonce)
    }
}

/// Runs `request` with `nonce` as the nonce its page renders with. Leptos renders a page in
/// the task that handles its request (only the data loads are spawned), so the page sees it.
pub async fn with_nonce<F: Future>(nonce: Nonce, request: F) -> F::Output {
    NONCE.scope(nonce, request).await
}

/// The nonce of the request being answered, if it came through [`with_nonce`].
pub fn current_nonce() -> Option<Nonce> {
    NONCE.try_with(Nonce::clone).ok()
}
