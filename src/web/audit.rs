//! Settings > Audit Log: newest first, filtered by action and user, paged by key.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::db::audit::{AuditEvent, AuditFilter};
use crate::domain::audit::Action;
use crate::error::AppError;
use crate::services::audit;
use crate::web::page::{self, PageContext, Section};
use crate::web::request::Request;

const PAGE_SIZE: i64 = 50;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/settings/audit", web::get().to(log));
}

#[derive(Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    action: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    before: String,
}

struct Row {
    when: String,
    who: String,
    action: String,
    summary: String,
    source: String,
    address: String,
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogPage {
    ctx: PageContext,
    rows: Vec<Row>,
    actions: Vec<(&'static str, &'static str, bool)>,
    user: String,
    older: Option<String>,
    filtered: bool,
}

/// Cursor text: `TIMESTAMP~ID`.
fn parse_cursor(text: &str) -> Option<(NaiveDateTime, String)> {
    let (at, id) = text.split_once('~')?;
    let at = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    Some((at, id.to_owned()))
}

fn cursor_of(event: &AuditEvent) -> String {
    format!(
        "{}~{}",
        event.created_at.format("%Y-%m-%dT%H:%M:%S%.6f"),
        event.id
    )
}

pub async fn log(req: Request, query: web::Query<Query>) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = AuditFilter {
        action: Action::from_code(&query.action).map(|a| a.code().to_owned()),
        actor_email: Some(query.user.trim().to_owned()).filter(|u| !u.is_empty()),
        before: parse_cursor(&query.before),
    };
    let f = filter.clone();
    let mut events = req
        .run(move |ctx| audit::list(ctx, &f, PAGE_SIZE + 1))
        .await?;
    let older = if events.len() as i64 > PAGE_SIZE {
        events.truncate(PAGE_SIZE as usize);
        events.last().map(|last| {
            serde_urlencoded::to_string([
                ("action", query.action.as_str()),
                ("user", query.user.as_str()),
                ("before", &cursor_of(last)),
            ])
            .unwrap_or_default()
        })
    } else {
        None
    };
    let rows = events
        .into_iter()
        .map(|e| Row {
            when: e.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            who: e.actor_email.unwrap_or_else(|| "system".to_owned()),
            action: Action::from_code(&e.action).map_or(e.action.clone(), |a| a.label().to_owned()),
            summary: e.summary,
            source: e.source,
            address: e.client_addr.unwrap_or_default(),
        })
        .collect();
    let ctx = req
        .page(Section::Settings, "/settings/audit", "Audit Log")
        .await?;
    page::ok(&LogPage {
        ctx,
        rows,
        actions: Action::ALL
            .iter()
            .map(|a| {
                (
                    a.code(),
                    a.label(),
                    filter.action.as_deref() == Some(a.code()),
                )
            })
            .collect(),
        user: query.user,
        older,
        filtered: filter.action.is_some()
            || filter.actor_email.is_some()
            || filter.before.is_some(),
    })
}
