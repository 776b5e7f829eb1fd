//! Confirmation pages of destructive actions: the link or button of a deletion or removal
//! opens a page (its `<h1>` "Delete …" or "Remove …") that says what will happen, with a button
//! named for the action and a *Cancel* link. Nothing changes before that button, and it works
//! without JavaScript: the page's form posts to the action's own address.

use actix_web::HttpResponse;
use askama::Template;

use crate::error::AppError;
use crate::web::page::{self, PageContext, Section};
use crate::web::request::Request;

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    ctx: PageContext,
    what: String,
    action: String,
    button: &'static str,
    cancel: String,
}

/// What a confirmation page asks.
pub struct Confirm {
    pub section: Section,
    /// The section's menu link to mark.
    pub current: &'static str,
    /// The page's title and `<h1>`: "Delete role Auditor".
    pub title: String,
    /// What will happen.
    pub what: String,
    /// Where the button posts (the action's own address).
    pub action: String,
    /// *Delete* or *Remove*.
    pub button: &'static str,
    /// Where *Cancel* leads.
    pub cancel: String,
}

/// The confirmation page of `confirm`.
pub async fn page(req: &Request, confirm: Confirm) -> Result<HttpResponse, AppError> {
    let ctx = req
        .page(confirm.section, confirm.current, &confirm.title)
        .await?;
    page::ok(&ConfirmPage {
        ctx,
        what: confirm.what,
        action: confirm.action,
        button: confirm.button,
        cancel: confirm.cancel,
    })
}
