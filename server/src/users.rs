//! `shelf users add` and `shelf users reset-password`: what an operator does without a browser
//! (the first owner of a headless install, a forgotten password when Shelf sends no mail).

use crate::config::UsersCommand;
use anyhow::Context;
use domain::accounts::{Accounts, Email, Role, SetupError, PASSWORD_LINK_TTL};
use std::io::BufRead;

/// Runs the command; what to print.
pub async fn run(
    accounts: &Accounts,
    command: UsersCommand,
    stdin: impl BufRead,
) -> anyhow::Result<String> {
    match command {
        UsersCommand::Add {
            email,
            owner,
            password_stdin,
            base_url,
        } => {
            let password = if password_stdin {
                Some(read_line(stdin)?)
            } else {
                None
            };
            let role = if owner { Role::Owner } else { Role::Editor };
            let user = accounts
                .add_user(&email, role, password.as_deref())
                .await
                .map_err(explain)?;
            let mut report = format!("created {} ({role})", user.email);
            if password.is_none() {
                let token = accounts.issue_password_link(&user.id, None).await?;
                report.push_str(&link_text(&base_url, &token));
            }
            Ok(report)
        }
        UsersCommand::ResetPassword { email, base_url } => {
            let email = Email::parse(&email).map_err(anyhow::Error::msg)?;
            let user = accounts
                .store()
                .user_by_email(&email)
                .await?
                .with_context(|| format!("no account has the email {email}"))?;
            let token = accounts.issue_password_link(&user.id, None).await?;
            Ok(format!("reset for {email}{}", link_text(&base_url, &token)))
        }
    }
}

fn link_text(base_url: &str, token: &str) -> String {
    format!(
        "\nsend them this link; it sets the password once, within {} hours:\n{}/set-password?token={token}",
        PASSWORD_LINK_TTL.as_secs() / 3600,
        base_url.trim_end_matches('/')
    )
}

fn read_line(mut stdin: impl BufRead) -> anyhow::Result<String> {
    let mut line = String::new();
    stdin
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn explain(error: SetupError) -> anyhow::Error {
    match error {
        SetupError::Invalid(fields) => anyhow::anyhow!(fields
            .into_iter()
            .map(|(field, message)| format!("{field}: {message}"))
            .collect::<Vec<_>>()
            .join("; ")),
        other => other.into(),
    }
}
