//! Text inside `<title>` and `<textarea>`, which Leptos writes into server HTML unescaped.
//!
//! Both are "raw text" elements to the HTML parser: no tags inside, but `</textarea>` or
//! `</title>` in an item's name or description would close the element and let the rest run
//! as markup. Character references *are* decoded there, so escaping on the server is safe and
//! shows the same text. In the browser the text goes through the DOM, which needs no escaping
//! (escaped text would show as `&lt;`), so this is a no-op there.

/// `text` made safe to sit between `<title>`/`<textarea>` tags in server-rendered HTML.
pub fn raw_text(text: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(text).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text.to_owned()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn closing_tags_cannot_escape() {
        assert_eq!(
            raw_text("</textarea><script>x</script> & more"),
            "&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt; &amp; more"
        );
    }
}
