//! DynamoDB expressions (`ConditionExpression`, `UpdateExpression`, …) and their placeholders:
//! attribute names go through `#name` placeholders (several are reserved words, `name`
//! among them) and values through `:value` ones, and DynamoDB refuses any placeholder that the
//! texts do not use, so each request passes only those its texts mention.

use super::record;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// The names and values of one expression (`#name`, `:value`), built alongside its text.
#[derive(Default)]
pub(super) struct Expression {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Expression {
    pub(super) fn new() -> Self {
        let mut names = HashMap::new();
        for attribute in [
            record::ID,
            record::NAME,
            record::DESCRIPTION,
            record::TAGS,
            record::QUANTITY,
            record::LOCATION,
            record::UPDATED_AT,
            record::VERSION,
            record::PHOTOS,
            record::COLLECTION,
        ] {
            names.insert(format!("#{attribute}"), attribute.to_owned());
        }
        Self {
            names,
            values: HashMap::from([(":one".to_owned(), record::n(1))]),
        }
    }

    pub(super) fn name(mut self, placeholder: &str, attribute: &str) -> Self {
        self.names
            .insert(placeholder.to_owned(), attribute.to_owned());
        self
    }

    pub(super) fn value(mut self, placeholder: &str, value: AttributeValue) -> Self {
        self.values.insert(placeholder.to_owned(), value);
        self
    }

    /// The names and values `texts` mention: DynamoDB refuses unused ones, and an empty map.
    pub(super) fn used_in(
        self,
        texts: &[&str],
    ) -> (Option<HashMap<String, String>>, Option<Values>) {
        let used = |placeholder: &String| texts.iter().any(|text| mentions(text, placeholder));
        let names: HashMap<_, _> = self.names.into_iter().filter(|(k, _)| used(k)).collect();
        let values: Values = self.values.into_iter().filter(|(k, _)| used(k)).collect();
        (
            (!names.is_empty()).then_some(names),
            (!values.is_empty()).then_some(values),
        )
    }
}

pub(super) type Values = HashMap<String, AttributeValue>;

/// Whether `text` uses `placeholder` as a whole token (`#p1` is not used by `#p10`).
fn mentions(text: &str, placeholder: &str) -> bool {
    text.match_indices(placeholder).any(|(at, _)| {
        !text[at + placeholder.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// `SET` clauses every change makes: a new version (old items count as version 1) and time.
pub(super) const BUMP: &str = "#version = if_not_exists(#version, :one) + :one, #updated_at = :now";

/// The condition that the item exists and, when `expected` is given, is at that version.
/// Old items have no `version` attribute and count as version 1.
pub(super) fn version_condition(
    expected: Option<u64>,
    expression: Expression,
) -> (String, Expression) {
    match expected {
        None => ("attribute_exists(#id)".to_owned(), expression),
        Some(1) => (
            "attribute_exists(#id) AND (#version = :expected OR attribute_not_exists(#version))"
                .to_owned(),
            expression.value(":expected", record::n(1)),
        ),
        Some(version) => (
            "attribute_exists(#id) AND #version = :expected".to_owned(),
            expression.value(":expected", record::n(version)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_whole_tokens() {
        assert!(mentions("#p1 = :v", "#p1"));
        assert!(!mentions("#p10 = :v", "#p1"));
        assert!(mentions("a = #p1_x OR #p1", "#p1"));
        assert!(!mentions("#p1_x", "#p1"));
    }

    #[test]
    fn only_the_mentioned_names_and_values_are_sent() {
        let (names, values) = Expression::new()
            .value(":now", record::n(5))
            .used_in(&["SET #name = :one", "attribute_exists(#id)"]);
        let names = names.unwrap();
        let mut mentioned: Vec<&str> = names.keys().map(String::as_str).collect();
        mentioned.sort();
        assert_eq!(mentioned, ["#id", "#name"]);
        assert_eq!(values.unwrap().keys().collect::<Vec<_>>(), [":one"]);
        assert_eq!(Expression::new().used_in(&["REMOVE x"]), (None, None));
    }
}
