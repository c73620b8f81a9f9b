//! Search: what a query means, and the rules that decide whether an item matches it and how
//! well.
//!
//! Both backends follow these rules: the DynamoDB store applies [`SearchQuery::tier`] to each
//! item directly, and the SQLite store expresses the same rules as FTS5 queries
//! ([`SearchQuery::fts_whole`] and its siblings) over text folded by [`fold`]. The store
//! conformance suite runs one table of cases against both, so they cannot drift apart.
//!
//! # The rules
//! - Text is compared **folded**: lower case, accents and other combining marks removed
//!   ("Café" is "cafe"), everything that is not a letter or digit a word break.
//! - Every word of the query must match a word of the item (its name or description), in any
//!   order. A query word matches an item word **whole** (the same), as a **prefix** (the item
//!   word starts with it: "scre" while typing "screwdriver"), or, for query words of
//!   [`FUZZY_MIN_CHARS`] or more, **fuzzily**: one edit away (a letter inserted, removed,
//!   replaced, or two neighbours swapped: "screwdiver" finds "screwdriver").
//! - An item's [`Tier`] is its worst word's match, except that an item whose whole name is the
//!   query ranks above everything ([`Tier::Exact`]). Results come best tier first, and newest
//!   first within a tier.
//!
//! # Limits
//! A query has at most [`MAX_QUERY_CHARS`] characters and [`MAX_WORDS`] distinct words; a
//! fuzzy word tries at most [`MAX_FUZZY_TERMS`] item words one edit away (nearest in spelling
//! order), which bounds the work of one search whatever is typed.

use crate::model::{Cursor, Item, ItemId, Timestamp};
#[cfg(feature = "server")]
use crate::{model::InvalidCursor, photos::Signer};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most distinct words in a query.
pub const MAX_WORDS: usize = 8;
/// Query words this long or longer also match words one edit away.
pub const FUZZY_MIN_CHARS: usize = 5;
/// Most item words one fuzzy query word is widened to.
pub const MAX_FUZZY_TERMS: usize = 32;

/// How well an item matches a query; the lower, the better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// The item's whole name is the query.
    Exact = 0,
    /// Every query word is a whole word of the item.
    Whole = 1,
    /// Every query word is at least the start of a word of the item.
    Prefix = 2,
    /// Some query word matched only one edit away.
    Fuzzy = 3,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Exact, Tier::Whole, Tier::Prefix, Tier::Fuzzy];

    pub fn from_number(number: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|tier| *tier as i64 == number)
    }
}

/// Why a query was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidQuery {
    #[error("must be at most {MAX_QUERY_CHARS} characters")]
    TooLong,
    #[error("must have at most {MAX_WORDS} words")]
    TooManyWords,
}

/// A parsed search: its folded text and distinct words, in the order typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    folded: String,
    words: Vec<String>,
}

impl SearchQuery {
    /// `None` when the query has no words (blank, or punctuation only): no search at all.
    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidQuery> {
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(InvalidQuery::TooLong);
        }
        let folded = fold(raw);
        let mut words: Vec<String> = Vec::new();
        for word in folded.split(' ').filter(|word| !word.is_empty()) {
            if !words.iter().any(|seen| seen == word) {
                words.push(word.to_owned());
            }
        }
        if words.len() > MAX_WORDS {
            return Err(InvalidQuery::TooManyWords);
        }
        Ok((!words.is_empty()).then_some(Self { folded, words }))
    }

    /// The whole query, folded: what an [`Tier::Exact`] name folds to.
    pub fn folded(&self) -> &str {
        &self.folded
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Whether `word` (a query word) is long enough to match one edit away.
    pub fn is_fuzzy(word: &str) -> bool {
        word.chars().count() >= FUZZY_MIN_CHARS
    }

    /// How an item with this folded name and folded other text (description, ...) matches,
    /// or `None` if it does not.
    pub fn tier(&self, folded_name: &str, folded_rest: &str) -> Option<Tier> {
        if folded_name == self.folded {
            return Some(Tier::Exact);
        }
        let item_words: Vec<&str> = folded_name
            .split(' ')
            .chain(folded_rest.split(' '))
            .filter(|word| !word.is_empty())
            .collect();
        let mut worst = Tier::Whole;
        for word in &self.words {
            worst = worst.max(best_match(word, &item_words)?);
        }
        Some(worst)
    }

    /// FTS5: items having every word whole.
    pub fn fts_whole(&self) -> String {
        self.fts(|word| vec![quoted(word)])
    }

    /// FTS5: items having every word at least as the start of a word.
    pub fn fts_prefix(&self) -> String {
        self.fts(|word| vec![format!("{}*", quoted(word))])
    }

    /// FTS5: items matching at all, where `near(word)` lists the item words one edit away
    /// from a fuzzy query word (at most [`MAX_FUZZY_TERMS`] are used).
    pub fn fts_any(&self, mut near: impl FnMut(&str) -> Vec<String>) -> String {
        self.fts(|word| {
            let mut terms = vec![format!("{}*", quoted(word))];
            if Self::is_fuzzy(word) {
                let mut found = near(word);
                found.sort();
                found.dedup();
                terms.extend(found.iter().take(MAX_FUZZY_TERMS).map(|term| quoted(term)));
            }
            terms
        })
    }

    /// Every word's terms, ORed together, and the words ANDed.
    fn fts(&self, mut terms: impl FnMut(&str) -> Vec<String>) -> String {
        self.words
            .iter()
            .map(|word| format!("({})", terms(word).join(" OR ")))
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

/// One page of search results, best first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchPage {
    pub items: Vec<Item>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<SearchCursor>,
}

/// Where the next page of results starts: strictly after this item of this tier. Like the
/// list's [`Cursor`], clients get it sealed, and a token that is not one is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchCursor {
    pub tier: Tier,
    pub after: Cursor,
}

/// The signer purpose of search cursors: one verifies as nothing else.
#[cfg(feature = "server")]
const CURSOR_PURPOSE: &str = "search-cursor";
/// Longest token accepted; real ones are under 140 characters.
#[cfg(feature = "server")]
const MAX_CURSOR_CHARS: usize = 300;

impl SearchCursor {
    #[cfg(feature = "server")]
    pub fn seal(&self, signer: &Signer) -> String {
        let position = format!("{}{}", self.tier as u8, self.after.encode());
        let signature = signer.sign(CURSOR_PURPOSE, position.as_bytes());
        format!("{position}.{signature}")
    }

    #[cfg(feature = "server")]
    pub fn open(token: &str, signer: &Signer) -> Result<Self, InvalidCursor> {
        if token.len() > MAX_CURSOR_CHARS {
            return Err(InvalidCursor);
        }
        let (position, signature) = token.split_once('.').ok_or(InvalidCursor)?;
        if !signer.verify(CURSOR_PURPOSE, position.as_bytes(), signature) {
            return Err(InvalidCursor);
        }
        let tier = position.get(..1).and_then(|digit| digit.parse().ok());
        let tier = tier.and_then(Tier::from_number).ok_or(InvalidCursor)?;
        let after = Cursor::decode(position.get(1..).ok_or(InvalidCursor)?)?;
        Ok(Self { tier, after })
    }

    /// Whether the result `(tier, created_at, id)` comes after this cursor: a worse tier, or
    /// the same tier and older (then a lower id).
    pub fn is_before(&self, tier: Tier, created_at: Timestamp, id: &ItemId) -> bool {
        let position = (self.after.created_at, &self.after.id);
        tier > self.tier || (tier == self.tier && (created_at, id) < position)
    }
}

/// How one query word matches the best of an item's words.
fn best_match(word: &str, item_words: &[&str]) -> Option<Tier> {
    let mut best = None;
    for item_word in item_words {
        let tier = if *item_word == word {
            return Some(Tier::Whole);
        } else if item_word.starts_with(word) {
            Tier::Prefix
        } else if SearchQuery::is_fuzzy(word) && within_one_edit(word, item_word) {
            Tier::Fuzzy
        } else {
            continue;
        };
        best = Some(best.map_or(tier, |best: Tier| best.min(tier)));
    }
    best
}

/// `text` in compatibility decomposition (NFKD) without its combining marks: "Ｃafé" is
/// "Cafe".
#[cfg(not(target_arch = "wasm32"))]
fn decomposed_without_marks(text: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    text.nfkd().filter(|c| !is_combining_mark(*c)).collect()
}

/// The same in the browser, by its own Unicode tables (`String.prototype.normalize` and the
/// `\p{M}` class, General Category Mark as `is_combining_mark`): the decomposition tables
/// would be a sixth of the page's wasm.
#[cfg(target_arch = "wasm32")]
fn decomposed_without_marks(text: &str) -> String {
    let marks = js_sys::RegExp::new(r"\p{M}", "gu");
    js_sys::JsString::from(text)
        .normalize("NFKD")
        .replace_by_pattern(&marks, "")
        .into()
}

/// An FTS5 string literal. Folded words hold letters and digits only, so no quote needs
/// escaping; doubling them keeps that true whatever is passed.
fn quoted(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// Text as search compares it: lower case, without accents or other combining marks, each run
/// of anything but letters and digits one space, no space at either end.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space = false;
    for c in decomposed_without_marks(text).chars() {
        if c.is_alphanumeric() {
            if space && !folded.is_empty() {
                folded.push(' ');
            }
            space = false;
            folded.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    folded
}

/// The distinct words of folded text.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    let mut seen = std::collections::HashSet::new();
    folded
        .split(' ')
        .filter(move |word| !word.is_empty() && seen.insert(*word))
}

/// The strings one character shorter than `word`: two words within one edit of each other
/// always share one of these (or one is the other's), so an index of them finds the near
/// words of a query word with a few exact lookups instead of comparing every word.
pub fn deletions(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut variants: Vec<String> = (0..chars.len())
        .map(|skip| {
            chars
                .iter()
                .enumerate()
                .filter(|(at, _)| *at != skip)
                .map(|(_, c)| c)
                .collect()
        })
        .collect();
    variants.sort();
    variants.dedup();
    variants
}

/// Whether `a` becomes `b` with at most one edit: a character inserted, removed or replaced,
/// or two neighbouring characters swapped.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let start = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        if start == short.len() {
            return true;
        }
        let rest_equal = |from: usize| short[from..] == long[from..];
        // One replaced, or two neighbours swapped.
        rest_equal(start + 1)
            || (start + 1 < short.len()
                && short[start] == long[start + 1]
                && short[start + 1] == long[start]
                && rest_equal(start + 2))
    } else {
        // One inserted into the shorter.
        short[start..] == long[start + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(raw: &str) -> SearchQuery {
        SearchQuery::parse(raw).unwrap().unwrap()
    }

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Café  au-LAIT!"), "cafe au lait");
        assert_eq!(fold("  Ångström — naïve "), "angstrom naive");
        assert_eq!(fold("M8×40 bolts, №5"), "m8 40 bolts no5");
        assert_eq!(fold("ＦＵＬＬ width"), "full width");
        assert_eq!(fold("?!"), "");
    }

    #[test]
    fn queries_are_bounded_and_blank_ones_are_none() {
        assert_eq!(SearchQuery::parse("  - "), Ok(None));
        assert_eq!(query("Red red RED box").words(), ["red", "box"]);
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(SearchQuery::parse(&long), Err(InvalidQuery::TooLong));
        let many = "a b c d e f g h i";
        assert_eq!(SearchQuery::parse(many), Err(InvalidQuery::TooManyWords));
    }

    #[test]
    fn one_edit_is_an_insertion_removal_replacement_or_swap() {
        for (a, b) in [
            ("screwdiver", "screwdriver"),
            ("screwdriver", "screwdiver"),
            ("hammer", "hammar"),
            ("hammer", "hmamer"),
            ("hammer", "hammer"),
            ("drill", "drills"),
        ] {
            assert!(within_one_edit(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("hammer", "hamper1"),
            ("hammer", "hmaemr"),
            ("drill", "dril1s"),
            ("screwdriver", "screw"),
        ] {
            assert!(!within_one_edit(a, b), "{a} {b}");
        }
    }

    #[test]
    fn words_one_edit_apart_share_a_deletion() {
        for (a, b) in [
            ("screwdiver", "screwdriver"),
            ("hammer", "hammar"),
            ("hammer", "hmamer"),
        ] {
            let (da, db) = (deletions(a), deletions(b));
            let shared = da.iter().any(|d| db.contains(d) || d == b) || db.iter().any(|d| d == a);
            assert!(shared, "{a} {b}");
        }
        assert_eq!(deletions("abb"), ["ab", "bb"]);
    }

    #[test]
    fn tiers_follow_the_worst_word_and_an_exact_name_ranks_first() {
        let item = ("cordless screwdriver", "blue case with bits");
        for (raw, want) in [
            ("Cordless Screwdriver", Some(Tier::Exact)),
            ("screwdriver", Some(Tier::Whole)),
            ("bits cordless", Some(Tier::Whole)),
            ("scre", Some(Tier::Prefix)),
            ("blue scre", Some(Tier::Prefix)),
            ("screwdiver", Some(Tier::Fuzzy)),
            ("screwdiver scre", Some(Tier::Fuzzy)),
            ("bit", Some(Tier::Prefix)),
            ("bots", None),
            ("screwdriver red", None),
            ("crew", None),
        ] {
            assert_eq!(query(raw).tier(item.0, item.1), want, "{raw}");
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn search_cursors_are_sealed_and_ordered_by_tier_then_newest() {
        let signer = Signer::new(b"a secret of at least thirty-two bytes").unwrap();
        let id = |n: u128| ItemId::parse(&uuid::Uuid::from_u128(n).to_string()).unwrap();
        let at = |micros: i64| Timestamp::from_micros(micros).unwrap();
        let cursor = SearchCursor {
            tier: Tier::Prefix,
            after: Cursor {
                created_at: at(1_000),
                id: id(5),
            },
        };
        let token = cursor.seal(&signer);
        assert_eq!(SearchCursor::open(&token, &signer), Ok(cursor.clone()));
        let forged = format!("3{}", &token[1..]);
        assert_eq!(SearchCursor::open(&forged, &signer), Err(InvalidCursor));
        let list_token = cursor.after.seal(&signer);
        assert_eq!(SearchCursor::open(&list_token, &signer), Err(InvalidCursor));
        assert!(cursor.is_before(Tier::Fuzzy, at(9_000), &id(9)));
        assert!(cursor.is_before(Tier::Prefix, at(999), &id(9)));
        assert!(cursor.is_before(Tier::Prefix, at(1_000), &id(4)));
        assert!(!cursor.is_before(Tier::Prefix, at(1_000), &id(5)));
        assert!(!cursor.is_before(Tier::Whole, at(1), &id(1)));
    }

    #[test]
    fn fts_queries_quote_every_term() {
        let q = query("scre Box");
        assert_eq!(q.fts_whole(), r#"("scre") AND ("box")"#);
        assert_eq!(q.fts_prefix(), r#"("scre"*) AND ("box"*)"#);
        let q = query("screwdiver");
        let any = q.fts_any(|_| vec!["screwdriver".into(), "screwdivers".into()]);
        assert_eq!(any, r#"("screwdiver"* OR "screwdivers" OR "screwdriver")"#);
        let many = q.fts_any(|_| (0..100).map(|n| format!("w{n:03}")).collect());
        assert_eq!(many.matches(" OR ").count(), MAX_FUZZY_TERMS);
    }
}
