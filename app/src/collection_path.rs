//! A collection's pages live under `/c/{collection}/…`, so a link or a bookmark names the
//! collection it shows and two tabs can show two collections. The same pages without the
//! prefix (`/`, `/items/{id}`, …) show the visitor's default collection: the first one they
//! joined, or the one anonymous access names. They are what links from before collections
//! had, and what a visitor with one collection never needs to see differ.

use domain::accounts::CollectionId;

const PREFIX: &str = "/c/";

/// The collection a path names: `None` if it names none, `Some(Err)` if what it names cannot
/// be a collection id (answered as a collection that does not exist).
pub fn named_collection(path: &str) -> Option<Result<CollectionId, ()>> {
    let rest = path.strip_prefix(PREFIX)?;
    let segment = rest.split('/').next().unwrap_or_default();
    Some(CollectionId::parse(segment).map_err(|_| ()))
}

/// `path` (which starts with `/`) in `collection`, or as it is when there is none.
pub fn in_collection(collection: Option<&str>, path: &str) -> String {
    match collection {
        Some(id) => match path {
            "/" => format!("{PREFIX}{id}"),
            _ if path.starts_with("/?") => format!("{PREFIX}{id}{}", &path[1..]),
            _ => format!("{PREFIX}{id}{path}"),
        },
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0190f5e4-8a5c-7d2e-9c1b-3f4a5b6c7d8e";

    #[test]
    fn paths_name_their_collection_or_none() {
        let id = CollectionId::parse(ID).unwrap();
        assert_eq!(named_collection(&format!("/c/{ID}")), Some(Ok(id)));
        assert_eq!(
            named_collection(&format!("/c/{ID}/items/new")),
            Some(Ok(id))
        );
        assert_eq!(named_collection("/c/not-an-id/items/new"), Some(Err(())));
        assert_eq!(named_collection("/c/"), Some(Err(())));
        assert_eq!(named_collection("/items/new"), None);
        assert_eq!(named_collection("/cats"), None);
    }

    #[test]
    fn paths_are_put_in_their_collection() {
        assert_eq!(in_collection(Some(ID), "/"), format!("/c/{ID}"));
        assert_eq!(
            in_collection(Some(ID), "/?cursor=x"),
            format!("/c/{ID}?cursor=x")
        );
        assert_eq!(
            in_collection(Some(ID), "/items/1"),
            format!("/c/{ID}/items/1")
        );
        assert_eq!(in_collection(None, "/items/1"), "/items/1");
        for path in ["/", "/items/new", "/members"] {
            let named = in_collection(Some(ID), path);
            assert_eq!(named_collection(&named).unwrap().unwrap().to_string(), ID);
        }
    }
}
