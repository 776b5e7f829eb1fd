//! A group's Resources: the published processes it offers, and the chooser to add more.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::HERE;
use crate::app::AppState;
use crate::db::library::PublishedProcess;
use crate::error::AppError;
use crate::services::groups;
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, PageContext, Section};
use crate::web::pairs::Pairs;
use crate::web::session::Actor;

#[derive(Template)]
#[template(path = "groups/resources.html")]
struct ResourcesPage {
    ctx: PageContext,
    data: groups::ResourcesPage,
    next: Option<String>,
}

/// Processes listed per page of the Resources tab.
const RESOURCES_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    after: String,
}

pub async fn page(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let id = path.into_inner();
    let after = query.into_inner().after;
    let data = blocking(move || {
        let cursor = after.rsplit_once('~');
        groups::resources_page(&pool, &caller, &id, cursor, RESOURCES_PAGE)
    })
    .await?;
    let next = if data.more {
        data.resources.last().map(|p| {
            serde_urlencoded::to_string([("after", format!("{}~{}", p.name_key, p.id))])
                .unwrap_or_default()
        })
    } else {
        None
    };
    let ctx =
        PageContext::signed_in(&state, &actor, Section::Settings, HERE, &data.group.name).await?;
    page::ok(&ResourcesPage { ctx, data, next })
}

#[derive(Debug, Default, Deserialize)]
pub struct ChooserQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "groups/resources_chooser.html")]
struct ChooserPage {
    ctx: PageContext,
    id: String,
    group_name: String,
    q: String,
    processes: Vec<PublishedProcess>,
    error: Option<String>,
}

async fn chooser_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: String,
    q: String,
    error: Option<String>,
) -> Result<ChooserPage, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (target, search) = (id.clone(), q.trim().to_lowercase());
    let (group, processes) = blocking(move || {
        let search = Some(search.as_str()).filter(|s| !s.is_empty());
        groups::resource_candidates(&pool, &caller, &target, search)
    })
    .await?;
    Ok(ChooserPage {
        ctx: PageContext::signed_in(
            state,
            actor,
            Section::Settings,
            HERE,
            "Add Published Processes",
        )
        .await?,
        id,
        group_name: group.name,
        q,
        processes,
        error,
    })
}

pub async fn chooser(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<ChooserQuery>,
) -> Result<HttpResponse, AppError> {
    let q: String = query.into_inner().q.chars().take(100).collect();
    page::ok(&chooser_page(&state, &actor, path.into_inner(), q, None).await?)
}

pub async fn add(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let chosen: Vec<String> = form
        .all("process")
        .into_iter()
        .take(1000)
        .map(str::to_owned)
        .collect();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    match blocking(move || groups::add_resources(&pool, &caller, &target, &chosen)).await {
        Ok(n) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("{HERE}/{id}/resources"),
                format!(
                    "{} added to the group.",
                    page::count(n, "published process", "published processes")
                ),
            )
            .await
        }
        Err(AppError::Validation(errors)) => {
            let error = errors.get("processes").map(str::to_owned);
            page::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &chooser_page(&state, &actor, id, form.get("q").to_owned(), error).await?,
            )
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "groups/resource_remove.html")]
struct RemovePage {
    ctx: PageContext,
    id: String,
    group_name: String,
    process: PublishedProcess,
}

pub async fn remove_form(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, process_id) = path.into_inner();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    let (group, process) =
        blocking(move || groups::resource(&pool, &caller, &target, &process_id)).await?;
    let ctx = PageContext::signed_in(
        &state,
        &actor,
        Section::Settings,
        HERE,
        &format!("Remove {}", process.name),
    )
    .await?;
    page::ok(&RemovePage {
        ctx,
        id,
        group_name: group.name,
        process,
    })
}

pub async fn remove(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(String, String)>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, process_id) = path.into_inner();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    let name =
        blocking(move || groups::remove_resource(&pool, &caller, &target, &process_id)).await?;
    page::redirect_with(
        &state,
        &actor,
        &format!("{HERE}/{id}/resources"),
        format!("{name} is no longer shared with the group."),
    )
    .await
}
