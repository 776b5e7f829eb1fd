//! Install analytics of a published process: a page per installation, and the same as CSV.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::ids::*;
use crate::error::AppError;
use crate::services::library::analytics::{self, InstallStats};
use crate::web::page::{self, PageContext, Section};
use crate::web::request::Request;

#[derive(Template)]
#[template(path = "library/analytics.html")]
struct AnalyticsPage {
    ctx: PageContext,
    component_id: String,
    rows: Vec<InstallStats>,
    modified: usize,
    untouched: usize,
}

pub async fn page(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (process, rows) = req
        .run(move |ctx| analytics::of_process(ctx, &ComponentId::from(&id)))
        .await?;
    let title = format!("Install Analytics of {}", process.name);
    let ctx = req
        .page(Section::Manage, "/manage/process-library", &title)
        .await?;
    page::ok(&AnalyticsPage {
        ctx,
        component_id: process.component_id.to_string(),
        modified: rows.iter().filter(|r| r.modified > 0).count(),
        untouched: rows
            .iter()
            .filter(|r| r.modified == 0 && r.deleted == 0)
            .count(),
        rows,
    })
}

pub async fn csv(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (process, rows) = req
        .run(move |ctx| analytics::of_process(ctx, &ComponentId::from(&id)))
        .await?;
    let body = analytics::to_csv(&rows)?;
    let file: String = process
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"installs-{file}.csv\""),
        ))
        .body(body))
}
