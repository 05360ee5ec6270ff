//! The wording of Rehber's e-mails, in the recipient's language, and the jobs that send
//! them: a notification still unread after the delay, an invitation, a password reset (and,
//! through `documents`, a quote with its PDF).
//! Register them with [`register`] on an app that has a mailer.

use crate::i18n::Lang;
use rehber_app::App;
use rehber_app::account::{ACCOUNT_EMAIL, LinkPurpose};
use rehber_app::jobs::{JobFailure, JobHandlers};
use rehber_app::mail::Mail;
use rehber_app::notifications::{NOTIFICATION_EMAIL, NotificationView};
use rehber_domain::UserId;
use rehber_domain::comment::NotificationKind;
use serde_json::Value;

/// The e-mail jobs added to `handlers`.
pub fn register(handlers: JobHandlers) -> JobHandlers {
    crate::export_job::register(crate::documents::register(handlers))
        .with(NOTIFICATION_EMAIL, |app, payload| async move {
            notification_job(&app, &payload).await
        })
        .with(ACCOUNT_EMAIL, |app, payload| async move {
            account_job(&app, &payload).await
        })
}

fn user_lang(user: &rehber_app::User) -> Lang {
    user.locale
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default()
}

/// An absolute link on the configured public address.
fn link(app: &App, path: &str) -> String {
    format!("{}{path}", app.settings.public_url.trim_end_matches('/'))
}

async fn send(app: &App, mail: &Mail) -> Result<(), JobFailure> {
    let Some(mailer) = &app.mailer else {
        return Err(JobFailure::Permanent("no mail server is configured".into()));
    };
    mailer.send(mail).await.map_err(JobFailure::Retry)
}

async fn notification_job(app: &App, payload: &Value) -> Result<(), JobFailure> {
    let Some(id) = payload["notification_id"].as_i64() else {
        return Err(JobFailure::Permanent(format!(
            "no notification_id in {payload}"
        )));
    };
    let claimed = app
        .notification_to_email(id)
        .await
        .map_err(|e| JobFailure::Retry(e.to_string()))?;
    // Read meanwhile, e-mailed already, or its user is gone: nothing to send.
    let Some((user, view)) = claimed else {
        return Ok(());
    };
    let mail = notification_mail(app, &user, &view);
    if let Err(failure) = send(app, &mail).await {
        // Give the claim back so the retry sends it (unless it is read by then).
        if let Err(error) = app.email_not_sent(id).await {
            tracing::warn!(%error, notification = id, "a failed e-mail's claim could not be given back");
        }
        return Err(failure);
    }
    Ok(())
}

/// The e-mail about a notification its user has not read.
pub fn notification_mail(app: &App, user: &rehber_app::User, view: &NotificationView) -> Mail {
    let lang = user_lang(user);
    let n = &view.notification;
    let title = view
        .title
        .clone()
        .unwrap_or_else(|| lang.t("notification-hidden-record"));
    let actor = n.actor_name.clone().unwrap_or_default();
    let headline = match n.kind {
        NotificationKind::Mention => lang.t_args(
            "notification-mention",
            &[("actor", actor), ("title", title.clone())],
        ),
        NotificationKind::Assignment => lang.t_args(
            "notification-assignment",
            &[("actor", actor), ("title", title.clone())],
        ),
        NotificationKind::Reminder => {
            lang.t_args("notification-reminder", &[("title", title.clone())])
        }
        NotificationKind::ExportReady => {
            lang.t_args("notification-export-ready", &[("title", title.clone())])
        }
    };
    let mut text = format!("{headline}\n");
    if let Some(excerpt) = &view.excerpt {
        text.push_str(&format!("\n“{excerpt}”\n"));
    }
    // Opening it marks it read and leads to what it is about, while that is in sight.
    let target = match view.path {
        Some(_) => format!("/notifications/{}/open", n.id),
        None => "/notifications".to_string(),
    };
    text.push_str(&format!(
        "\n{}\n{}\n\n-- \n{}\n",
        lang.t("email-open-in-rehber"),
        link(app, &target),
        lang.t("email-notification-footer"),
    ));
    Mail {
        to_address: user.email.clone(),
        to_name: user.name.clone(),
        subject: format!("Rehber: {headline}"),
        text,
        attachments: Vec::new(),
    }
}

async fn account_job(app: &App, payload: &Value) -> Result<(), JobFailure> {
    let user = payload["user_id"].as_i64().map(UserId);
    let purpose = payload["purpose"].as_str().and_then(LinkPurpose::parse);
    let (Some(user), Some(purpose)) = (user, purpose) else {
        return Err(JobFailure::Permanent(format!(
            "an account e-mail needs user_id and purpose: {payload}"
        )));
    };
    let issued = app
        .issue_account_link(user, purpose)
        .await
        .map_err(|e| JobFailure::Retry(e.to_string()))?;
    let Some((user, path)) = issued else {
        return Ok(());
    };
    send(app, &account_mail(&user, purpose, &link(app, &path))).await
}

/// An invitation or a reset link.
pub fn account_mail(user: &rehber_app::User, purpose: LinkPurpose, url: &str) -> Mail {
    let lang = user_lang(user);
    let (subject, lead, valid) = match purpose {
        LinkPurpose::Invite => (
            "email-invite-subject",
            "email-invite-lead",
            "email-invite-valid",
        ),
        LinkPurpose::Reset => (
            "email-reset-subject",
            "email-reset-lead",
            "email-reset-valid",
        ),
    };
    let text = format!(
        "{}\n\n{}\n\n{url}\n\n{}\n\n-- \nRehber\n",
        lang.t_args("email-greeting", &[("name", user.name.clone())]),
        lang.t_args(lead, &[("email", user.email.clone())]),
        lang.t(valid),
    );
    Mail {
        to_address: user.email.clone(),
        to_name: user.name.clone(),
        subject: lang.t(subject),
        text,
        attachments: Vec::new(),
    }
}
