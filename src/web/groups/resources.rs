//! A group's Resources: the published processes it offers, and the chooser to add more.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::HERE;
use crate::db::library::PublishedProcess;
use crate::db::seek::Seek;
use crate::error::AppError;
use crate::services::groups;
use crate::web::csrf::Form;
use crate::web::page::{self, PageContext, Section};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

#[derive(Template)]
#[template(path = "groups/resources.html")]
struct ResourcesPage {
    ctx: PageContext,
    data: groups::ResourcesPage,
    /// The integration packs the group shares, when the account has the feature.
    packs: Option<Vec<crate::db::packs::IntegrationPack>>,
    /// The pages before and after this one (query strings).
    prev: Option<String>,
    next: Option<String>,
}

/// Processes listed per page of the Resources tab.
const RESOURCES_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    after: String,
    #[serde(default)]
    before: String,
}

pub async fn page(
    req: Request,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let query = query.into_inner();
    let data = req
        .run(move |ctx| {
            let seek =
                Seek::from_params(query.after.rsplit_once('~'), query.before.rsplit_once('~'));
            let page = groups::resources_page(ctx, &GroupId::from(&id), seek, RESOURCES_PAGE)?;
            let packs = match ctx.caller().packs_access() {
                crate::services::LibraryAccess::Open => Some(crate::services::packs::group_packs(
                    ctx,
                    &GroupId::from(&id),
                )?),
                _ => None,
            };
            Ok((page, packs))
        })
        .await?;
    let (data, packs) = data;
    let link = |direction: &str, p: &PublishedProcess| {
        serde_urlencoded::to_string([(direction, format!("{}~{}", p.name_key, p.id))])
            .unwrap_or_default()
    };
    let next = data
        .resources
        .last()
        .filter(|_| data.later)
        .map(|p| link("after", p));
    let prev = data
        .resources
        .first()
        .filter(|_| data.earlier)
        .map(|p| link("before", p));
    let ctx = req.page(Section::Settings, HERE, &data.group.name).await?;
    page::ok(&ResourcesPage {
        ctx,
        data,
        packs,
        prev,
        next,
    })
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
    req: &Request,
    id: String,
    q: String,
    error: Option<String>,
) -> Result<ChooserPage, AppError> {
    let (target, search) = (id.clone(), crate::domain::validation::name_key(&q));
    let (group, processes) = req
        .run(move |ctx| {
            let search = Some(search.as_str()).filter(|s| !s.is_empty());
            groups::resource_candidates(ctx, &GroupId::from(&target), search)
        })
        .await?;
    Ok(ChooserPage {
        ctx: req
            .page(Section::Settings, HERE, "Add Published Processes")
            .await?,
        id,
        group_name: group.name,
        q,
        processes,
        error,
    })
}

pub async fn chooser(
    req: Request,
    path: web::Path<String>,
    query: web::Query<ChooserQuery>,
) -> Result<HttpResponse, AppError> {
    let q: String = query.into_inner().q.chars().take(100).collect();
    page::ok(&chooser_page(&req, path.into_inner(), q, None).await?)
}

pub async fn add(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let chosen: Vec<ProcessId> = form
        .all("process")
        .into_iter()
        .take(1000)
        .map(ProcessId::from)
        .collect();
    let target = id.clone();
    req.submit(
        move |ctx| {
            let n = groups::add_resources(ctx, &GroupId::from(&target), &chosen)?;
            Ok(
                Redirect::to(format!("{HERE}/{target}/resources")).with(format!(
                    "{} added to the group.",
                    page::count(n, "published process", "published processes")
                )),
            )
        },
        async |errors| {
            let error = errors.get("processes").map(str::to_owned);
            chooser_page(&req, id, form.get("q").to_owned(), error).await
        },
    )
    .await
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
    req: Request,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, process_id) = path.into_inner();
    let target = id.clone();
    let (group, process) = req
        .run(move |ctx| {
            groups::resource(ctx, &GroupId::from(&target), &ProcessId::from(&process_id))
        })
        .await?;
    let ctx = req
        .page(Section::Settings, HERE, &format!("Remove {}", process.name))
        .await?;
    page::ok(&RemovePage {
        ctx,
        id,
        group_name: group.name,
        process,
    })
}

pub async fn remove(
    req: Request,
    path: web::Path<(String, String)>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, process_id) = path.into_inner();
    let target = id.clone();
    req.act(move |ctx| {
        let name =
            groups::remove_resource(ctx, &GroupId::from(&target), &ProcessId::from(&process_id))?;

        Ok(Redirect::to(format!("{HERE}/{id}/resources"))
            .with(format!("{name} is no longer shared with the group.")))
    })
    .await
}
