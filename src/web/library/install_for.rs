//! Install for Accounts (choose accounts or a group, and a folder), the job's progress page,
//! and Who Can See This.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::ids::*;
use crate::domain::validation::{FieldErrors, name_key};
use crate::error::AppError;
use crate::services::library::audience;
use crate::services::library::install_for::{self, ALREADY, FAILED, INSTALLED, InstallForInput};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

const HERE: &str = "/manage/process-library";

/// How many accounts the form lists at once (search narrows; a group takes them all).
const LISTED: usize = 500;

#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

struct AccountRow {
    id: String,
    name: String,
    groups: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "library/install_for.html")]
struct InstallForPage {
    ctx: PageContext,
    component_id: String,
    q: String,
    accounts: Vec<AccountRow>,
    total: usize,
    matching: usize,
    accounts_error: Option<String>,
    group: Select,
    folder_name: Field,
}

async fn install_for_page(
    req: &Request,
    component_id: String,
    q: &str,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<InstallForPage, AppError> {
    let id = component_id.clone();
    let data = req
        .run(move |ctx| install_for::form(ctx, &ComponentId::from(&id)))
        .await?;
    let key = name_key(q);
    let ticked = form.all("account");
    let matching: Vec<AccountRow> = data
        .viewers
        .iter()
        .filter(|v| key.is_empty() || v.account.name_key.contains(&key))
        .map(|v| AccountRow {
            checked: ticked.contains(&v.account.id.as_str()),
            id: v.account.id.to_string(),
            name: v.account.name.clone(),
            groups: v.groups.join(", "),
        })
        .collect();
    let chosen_group = form.get("group");
    let group = Select::new(
        "group",
        "Or a whole group",
        data.groups
            .iter()
            .map(|g| {
                Choice::new(
                    g.id.to_string(),
                    g.name.clone(),
                    g.id.as_str() == chosen_group,
                )
            })
            .collect(),
    )
    .optional("No group: the ticked accounts")
    .help("Every account of the group that sees the process, listed here or not.")
    .error(errors, "group");
    let title = format!("Install {} for Accounts", data.process.name);
    Ok(InstallForPage {
        ctx: req.page(Section::Manage, HERE, &title).await?,
        component_id,
        q: q.to_owned(),
        total: data.viewers.len(),
        matching: matching.len(),
        accounts: matching.into_iter().take(LISTED).collect(),
        accounts_error: errors.get("accounts").map(str::to_owned),
        group,
        folder_name: Field::text("folder_name", "Folder Name")
            .maxlength(100)
            .help("Made in each account's root folder when missing. Empty: the root folder.")
            .with(form.get("folder_name"), errors),
    })
}

pub async fn form(
    req: Request,
    path: web::Path<String>,
    query: web::Query<Search>,
) -> Result<HttpResponse, AppError> {
    let q: String = query.q.trim().chars().take(100).collect();
    page::ok(
        &install_for_page(
            &req,
            path.into_inner(),
            &q,
            &Pairs::default(),
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn submit(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let component_id = path.into_inner();
    let form = Pairs(pairs);
    let input = InstallForInput {
        accounts: form.all("account").into_iter().map(str::to_owned).collect(),
        group: form.get("group").to_owned(),
        folder_name: form.get("folder_name").to_owned(),
    };
    let target = component_id.clone();
    let q = form.get("q").to_owned();
    req.submit(
        move |ctx| {
            let job = install_for::start(ctx, &ComponentId::from(&target), &input)?;
            Ok(Redirect::to(format!("/manage/jobs/{job}")).with("The installs are queued."))
        },
        async |errors| install_for_page(&req, component_id, &q, &form, &errors).await,
    )
    .await
}

struct ResultRow {
    account: String,
    result: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "library/job.html")]
struct JobPage {
    ctx: PageContext,
    id: String,
    done: i32,
    total: i32,
    finished: bool,
    folder_name: String,
    summary: String,
    rows: Vec<ResultRow>,
}

/// A job's page, by its kind: Install for Accounts here, a pack release's in
/// [`crate::web::packs`].
pub async fn job(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let target = JobId::from(&id);
    let kind = req
        .run(move |ctx| crate::services::jobs::kind_of(ctx, &target))
        .await?;
    if kind == crate::services::pack_releases::KIND {
        return crate::web::packs::release_job(req, id).await;
    }
    let view = req
        .run(move |ctx| install_for::view(ctx, &JobId::from(&id)))
        .await?;
    let count = |state: &str| {
        view.counts
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0, |(_, n)| *n)
    };
    let summary = format!(
        "{} installed, {} already installed, {} not installed.",
        count(INSTALLED),
        count(ALREADY),
        count(FAILED)
    );
    let rows = view
        .items
        .iter()
        .map(|i| ResultRow {
            account: i.label.clone(),
            result: match i.state.as_str() {
                INSTALLED => "Installed",
                ALREADY => "Already installed",
                FAILED => "Not installed",
                _ => "Waiting",
            },
            message: i.message.clone(),
        })
        .collect();
    let title = format!("Install {} for Accounts", view.process_name);
    let ctx = req.page(Section::Manage, HERE, &title).await?;
    page::ok(&JobPage {
        ctx,
        id: view.job.id.to_string(),
        done: view.job.done,
        total: view.job.total,
        finished: view.job.finished_at.is_some(),
        folder_name: view.folder_name,
        summary,
        rows,
    })
}

struct ViewerRow {
    account: String,
    groups: String,
}

#[derive(Template)]
#[template(path = "library/audience.html")]
struct AudiencePage {
    ctx: PageContext,
    component_id: String,
    rows: Vec<ViewerRow>,
    /// Every account of every partner sees it (the platform publisher's *All Platform
    /// Accounts* shares it).
    everywhere: bool,
}

pub async fn who_can_see(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (process, viewers, everywhere) = req
        .run(move |ctx| audience::who_can_see(ctx, &ComponentId::from(&id)))
        .await?;
    let title = format!("Who Can See {}", process.name);
    let ctx = req.page(Section::Manage, HERE, &title).await?;
    page::ok(&AudiencePage {
        ctx,
        component_id: process.component_id.to_string(),
        everywhere,
        rows: viewers
            .into_iter()
            .map(|v| ViewerRow {
                account: v.account.name,
                groups: v.groups.join(", "),
            })
            .collect(),
    })
}
