//! Search in the embedded store: SQLite FTS5 over text folded by [`domain::search::fold`],
//! written in the same transaction as every item write.
//!
//! - `item_search`: each item's folded name and description, one row per item, deleted with it
//!   (foreign key). Its own `INTEGER PRIMARY KEY` is the FTS rowid, so a `VACUUM` (which may
//!   renumber the implicit rowids of `items`) cannot unhook the index.
//! - `item_search_index`: the FTS5 index over it (external content, kept in step by triggers on
//!   `item_search`), with prefix indexes for two- and three-letter prefixes, which typing
//!   produces most.
//! - `search_terms`: every indexed word of four letters or more under itself and under each of
//!   its one-letter deletions ([`domain::search::deletions`]), so the words one edit away from a
//!   query word are found with a few exact lookups. Words are never removed: a word no item has
//!   any more only widens a query by a term that matches nothing.
//!
//! The tiers of [`domain::search`] become four FTS5 queries: every result matches the widest
//! (prefixes and near words); whether it also matches the whole-word and prefix-only queries,
//! or has the query as its whole name, gives its tier.

use super::{db_error, item_from_row, locations, photos, tags, ITEM_COLUMNS, ITEM_COLUMN_COUNT};
use domain::item_filter::{searchable_rest, ItemFilter};
use domain::item_store::{PageLimit, StoreError};
use domain::model::{Cursor, Item, ItemId, Tags};
use domain::photo_store::PhotoUrls;
use domain::search::{self, SearchCursor, SearchPage, SearchQuery, Tier, FUZZY_MIN_CHARS};
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// The search schema (migration 5); [`index_all`] fills it for the items already there.
pub const SCHEMA: &str = "
    CREATE TABLE item_search (
        search_id INTEGER PRIMARY KEY,
        item_id   TEXT NOT NULL UNIQUE REFERENCES items (id) ON DELETE CASCADE,
        name      TEXT NOT NULL,
        body      TEXT NOT NULL
    ) STRICT;
    CREATE VIRTUAL TABLE item_search_index USING fts5 (
        name, body,
        content = 'item_search', content_rowid = 'search_id',
        tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
    );
    CREATE TRIGGER item_search_added AFTER INSERT ON item_search BEGIN
        INSERT INTO item_search_index (rowid, name, body)
        VALUES (new.search_id, new.name, new.body);
    END;
    CREATE TRIGGER item_search_removed AFTER DELETE ON item_search BEGIN
        INSERT INTO item_search_index (item_search_index, rowid, name, body)
        VALUES ('delete', old.search_id, old.name, old.body);
    END;
    CREATE TRIGGER item_search_changed AFTER UPDATE ON item_search BEGIN
        INSERT INTO item_search_index (item_search_index, rowid, name, body)
        VALUES ('delete', old.search_id, old.name, old.body);
        INSERT INTO item_search_index (rowid, name, body)
        VALUES (new.search_id, new.name, new.body);
    END;
    CREATE TABLE search_terms (
        variant TEXT NOT NULL,
        term    TEXT NOT NULL,
        PRIMARY KEY (variant, term)
    ) STRICT, WITHOUT ROWID;";

/// Makes `item` findable as it is now: by its name, description, tags, and the names of its
/// place and the places that is in. Called by every write that changes any of them, inside its
/// transaction.
pub fn index(conn: &Connection, item: &Item) -> rusqlite::Result<()> {
    let place = locations::place_words(conn, item.location.as_ref())?;
    index_text(
        conn,
        &item.id,
        &item.name,
        &item.description,
        &item.tags,
        &place,
    )
}

/// [`index`] from the parts: `place` is the place's names already folded.
fn index_text(
    conn: &Connection,
    id: &ItemId,
    name: &str,
    description: &str,
    tags: &Tags,
    place: &str,
) -> rusqlite::Result<()> {
    let (name, body) = (
        search::fold(name),
        searchable_rest(description, tags, place),
    );
    conn.prepare_cached(
        "INSERT INTO item_search (item_id, name, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (item_id) DO UPDATE SET name = excluded.name, body = excluded.body
         WHERE name IS NOT excluded.name OR body IS NOT excluded.body",
    )?
    .execute(params![id.as_str(), name, body])?;
    // Indexed as a term already (a row under itself), not merely a deletion of another word.
    let mut known =
        conn.prepare_cached("SELECT 1 FROM search_terms WHERE variant = ?1 AND term = ?1")?;
    let mut add = conn.prepare_cached("INSERT OR IGNORE INTO search_terms VALUES (?1, ?2)")?;
    let text = format!("{name} {body}");
    for word in search::words(&text) {
        if word.chars().count() + 1 < FUZZY_MIN_CHARS || known.exists([word])? {
            continue;
        }
        add.execute([word, word])?;
        for variant in search::deletions(word) {
            add.execute([variant.as_str(), word])?;
        }
    }
    Ok(())
}

/// Indexes every item: the migration that adds search runs it once for the items already
/// there (which have no tags: those came later).
pub fn index_all(conn: &Connection) -> rusqlite::Result<()> {
    let items: Vec<(String, String, String)> = conn
        .prepare("SELECT id, name, description FROM items")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, name, description) in items {
        // Ids were validated when written; one that is not an id any more is left unfound.
        if let Ok(id) = ItemId::parse(&id) {
            index_text(conn, &id, &name, &description, &Tags::default(), "")?;
        }
    }
    Ok(())
}

/// One page of the items of `collection` that `filter` keeps, best first.
pub fn find(
    conn: &Connection,
    collection: &str,
    filter: &ItemFilter,
    limit: PageLimit,
    after: Option<&SearchCursor>,
    urls: &dyn PhotoUrls,
) -> Result<SearchPage, StoreError> {
    // One row more than asked tells whether another page follows.
    let fetch = i64::from(limit.get()) + 1;
    let kept = Kept::of(filter)?;
    let mut ranked = match filter.search() {
        Some(query) => matching(conn, collection, query, &kept, fetch, after)?,
        None => tagged(conn, collection, &kept, fetch, after)?,
    };
    let next = if ranked.len() > limit.get() as usize {
        ranked.truncate(limit.get() as usize);
        ranked.last().map(|(last, tier)| SearchCursor {
            tier: *tier,
            after: Cursor {
                created_at: last.created_at,
                id: last.id.clone(),
            },
        })
    } else {
        None
    };
    let mut items: Vec<_> = ranked.into_iter().map(|(item, _)| item).collect();
    photos::load(conn, &mut items, urls)?;
    Ok(SearchPage { items, next })
}

/// What a filter asks of an item besides a search, as SQL parameters.
struct Kept {
    /// The tags' keys (a JSON array) and how many there are.
    tag_keys: String,
    tag_count: i64,
    /// The locations it must be in (a JSON array), or `None` for anywhere.
    within: Option<String>,
}

impl Kept {
    fn of(filter: &ItemFilter) -> Result<Self, StoreError> {
        let (tag_keys, tag_count) = tags::keys_param(filter.tag_keys())?;
        let within = filter
            .locations()
            .map(|ids| {
                let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
                serde_json::to_string(&ids).map_err(|e| StoreError::Internal(Box::new(e)))
            })
            .transpose()?;
        Ok(Self {
            tag_keys,
            tag_count,
            within,
        })
    }

    /// The SQL condition on `items`, its parameters numbered from `first`.
    fn condition(first: usize) -> String {
        let (keys, count, within) = (first, first + 1, first + 2);
        format!(
            "{tagged} AND (?{within} IS NULL OR items.location_id IN
                 (SELECT value FROM json_each(?{within})))",
            tagged = tags::has_all(&format!("?{keys}"), &format!("?{count}")),
        )
    }
}

/// `fetch` items matching `query` and what else the filter keeps, ranked, after `after`.
fn matching(
    conn: &Connection,
    collection: &str,
    query: &SearchQuery,
    kept: &Kept,
    fetch: i64,
    after: Option<&SearchCursor>,
) -> Result<Vec<(Item, Tier)>, StoreError> {
    let mut near_words = HashMap::new();
    for word in query.words() {
        if SearchQuery::is_fuzzy(word) {
            near_words.insert(word.as_str(), near(conn, word).map_err(db_error)?);
        }
    }
    let any = query.fts_any(|word| near_words.get(word).cloned().unwrap_or_default());
    let sql = format!(
        "WITH matches AS (
             SELECT f.rowid AS search_id, s.item_id, s.name AS folded_name
             FROM item_search_index(?1) AS f
             JOIN item_search AS s ON s.search_id = f.rowid
         ), ranked AS (
             SELECT {ITEM_COLUMNS},
                 CASE WHEN m.folded_name = ?2 THEN 0
                      WHEN m.search_id IN (SELECT rowid FROM item_search_index(?3)) THEN 1
                      WHEN m.search_id IN (SELECT rowid FROM item_search_index(?4)) THEN 2
                      ELSE 3 END AS tier
             FROM matches AS m JOIN items ON items.id = m.item_id
             WHERE items.collection_id = ?5 AND {kept}
         )
         SELECT {ITEM_COLUMNS}, tier FROM ranked
         WHERE ?6 IS NULL OR tier > ?6 OR (tier = ?6 AND (created_at, id) < (?7, ?8))
         ORDER BY tier, created_at DESC, id DESC
         LIMIT ?9",
        kept = Kept::condition(10),
    );
    ranked(
        conn,
        &sql,
        params![
            any,
            query.folded(),
            query.fts_whole(),
            query.fts_prefix(),
            collection,
            after.map(|cursor| cursor.tier as i64),
            after.map(|cursor| cursor.after.created_at.as_micros()),
            after.map(|cursor| cursor.after.id.as_str().to_owned()),
            fetch,
            kept.tag_keys,
            kept.tag_count,
            kept.within,
        ],
    )
}

/// `fetch` items the filter keeps, newest first, after `after`: a filter without a search
/// ranks every item it keeps alike ([`Tier::Exact`]).
fn tagged(
    conn: &Connection,
    collection: &str,
    kept: &Kept,
    fetch: i64,
    after: Option<&SearchCursor>,
) -> Result<Vec<(Item, Tier)>, StoreError> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS}, 0 AS tier FROM items
         WHERE collection_id = ?1 AND {kept}
             AND (?2 IS NULL OR (created_at, id) < (?2, ?3))
         ORDER BY created_at DESC, id DESC
         LIMIT ?4",
        kept = Kept::condition(5),
    );
    ranked(
        conn,
        &sql,
        params![
            collection,
            after.map(|cursor| cursor.after.created_at.as_micros()),
            after.map(|cursor| cursor.after.id.as_str().to_owned()),
            fetch,
            kept.tag_keys,
            kept.tag_count,
            kept.within,
        ],
    )
}

/// The rows of `sql` (the item's columns, then its tier) with `params`.
fn ranked(
    conn: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<(Item, Tier)>, StoreError> {
    let rows = conn
        .prepare_cached(sql)
        .and_then(|mut stmt| {
            stmt.query_map(params, |row| {
                Ok((item_from_row(row)?, row.get::<_, i64>(ITEM_COLUMN_COUNT)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(db_error)?;
    rows.into_iter()
        .map(|(item, tier)| {
            let tier = Tier::from_number(tier)
                .ok_or_else(|| StoreError::Internal(format!("no tier {tier}").into()))?;
            Ok((item, tier))
        })
        .collect()
}

/// The indexed words one edit away from `word` (not `word` itself).
fn near(conn: &Connection, word: &str) -> rusqlite::Result<Vec<String>> {
    let mut keys = search::deletions(word);
    keys.push(word.to_owned());
    let keys = serde_json::to_string(&keys)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let terms: Vec<String> = conn
        .prepare_cached(
            "SELECT DISTINCT term FROM search_terms
             WHERE variant IN (SELECT value FROM json_each(?1))",
        )?
        .query_map([keys], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(terms
        .into_iter()
        .filter(|term| term != word && search::within_one_edit(word, term))
        .collect())
}
