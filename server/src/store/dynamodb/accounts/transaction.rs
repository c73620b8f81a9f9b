//! `TransactWriteItems` with a meaning for each failed condition.
//!
//! DynamoDB cancels a transaction whole and says, per write, which condition failed
//! (`CancellationReasons`); each write here carries what its failure means, so a refused
//! change becomes the right error ("last owner", "link used") without a second read.

use super::super::errors::account_error;
use super::super::expression::Expression;
use super::keys::{self, Key};
use crate::store::dynamodb::record::Attributes;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{ConditionCheck, Delete, Put, TransactWriteItem, Update};
use aws_sdk_dynamodb::Client;
use domain::accounts::{AccountStoreError, MAX_MEMBERSHIPS};

/// What a failed condition of one write means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// Someone changed the record since we read it: read again and retry.
    Changed,
    EmailTaken,
    AlreadySetUp,
    NotFound,
    LastOwner,
    TooManyMembers,
    LinkUnusable,
}

impl From<Why> for AccountStoreError {
    fn from(why: Why) -> Self {
        match why {
            Why::EmailTaken => AccountStoreError::EmailTaken,
            Why::AlreadySetUp => AccountStoreError::AlreadySetUp,
            Why::NotFound => AccountStoreError::NotFound,
            Why::LastOwner => AccountStoreError::LastOwner,
            Why::TooManyMembers => AccountStoreError::TooManyMembers {
                max: MAX_MEMBERSHIPS,
            },
            Why::LinkUnusable => AccountStoreError::LinkUnusable,
            Why::Changed => AccountStoreError::Unavailable(
                "the record kept changing while it was being written".into(),
            ),
        }
    }
}

/// One write and what its failed condition means.
pub struct Step {
    item: TransactWriteItem,
    why: Why,
}

/// How a transaction ended, short of an error.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// A record changed under it (or another transaction held it): read again and retry.
    Retry,
}

fn built<T>(
    result: Result<T, aws_sdk_dynamodb::error::BuildError>,
) -> Result<T, AccountStoreError> {
    result.map_err(|e| AccountStoreError::Internal(Box::new(e)))
}

/// Builds the writes of one transaction on one table.
pub struct Writes<'a> {
    pub table: &'a str,
    pub steps: Vec<Step>,
}

impl Writes<'_> {
    fn expression() -> Expression {
        Expression::new().name("#pk", keys::PK)
    }

    pub fn put(
        &mut self,
        item: Attributes,
        condition: Option<&str>,
        expression: Expression,
        why: Why,
    ) -> Result<(), AccountStoreError> {
        let texts: Vec<&str> = condition.into_iter().collect();
        let (names, values) = expression.name("#pk", keys::PK).used_in(&texts);
        let put = built(
            Put::builder()
                .table_name(self.table)
                .set_item(Some(item))
                .set_condition_expression(condition.map(str::to_owned))
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .build(),
        )?;
        self.steps.push(Step {
            item: TransactWriteItem::builder().put(put).build(),
            why,
        });
        Ok(())
    }

    pub fn update(
        &mut self,
        key: Key,
        update: &str,
        condition: &str,
        expression: Expression,
        why: Why,
    ) -> Result<(), AccountStoreError> {
        let (names, values) = expression
            .name("#pk", keys::PK)
            .used_in(&[update, condition]);
        let update = built(
            Update::builder()
                .table_name(self.table)
                .set_key(Some(key))
                .update_expression(update)
                .condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .build(),
        )?;
        self.steps.push(Step {
            item: TransactWriteItem::builder().update(update).build(),
            why,
        });
        Ok(())
    }

    pub fn delete(
        &mut self,
        key: Key,
        condition: &str,
        expression: Expression,
        why: Why,
    ) -> Result<(), AccountStoreError> {
        let (names, values) = expression.name("#pk", keys::PK).used_in(&[condition]);
        let delete = built(
            Delete::builder()
                .table_name(self.table)
                .set_key(Some(key))
                .condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .build(),
        )?;
        self.steps.push(Step {
            item: TransactWriteItem::builder().delete(delete).build(),
            why,
        });
        Ok(())
    }

    /// A condition on a record the transaction does not write.
    pub fn check(&mut self, key: Key, condition: &str, why: Why) -> Result<(), AccountStoreError> {
        let (names, values) = Self::expression().used_in(&[condition]);
        let check = built(
            ConditionCheck::builder()
                .table_name(self.table)
                .set_key(Some(key))
                .condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .build(),
        )?;
        self.steps.push(Step {
            item: TransactWriteItem::builder().condition_check(check).build(),
            why,
        });
        Ok(())
    }
}

/// Runs the writes as one transaction.
pub async fn run(client: &Client, steps: Vec<Step>) -> Result<Outcome, AccountStoreError> {
    let whys: Vec<Why> = steps.iter().map(|step| step.why).collect();
    let items = steps.into_iter().map(|step| step.item).collect();
    let error = match client
        .transact_write_items()
        .set_transact_items(Some(items))
        .send()
        .await
    {
        Ok(_) => return Ok(Outcome::Done),
        Err(error) => error,
    };
    let Some(TransactWriteItemsError::TransactionCanceledException(canceled)) =
        error.as_service_error()
    else {
        return Err(account_error(error));
    };
    let codes: Vec<&str> = canceled
        .cancellation_reasons()
        .iter()
        .map(|reason| reason.code().unwrap_or("None"))
        .collect();
    if let Some(index) = codes
        .iter()
        .position(|code| *code == "ConditionalCheckFailed")
    {
        return match whys.get(index) {
            Some(Why::Changed) => Ok(Outcome::Retry),
            Some(why) => Err((*why).into()),
            None => Err(account_error(error)),
        };
    }
    if codes.contains(&"TransactionConflict") {
        return Ok(Outcome::Retry);
    }
    Err(account_error(error))
}
