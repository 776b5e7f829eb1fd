//! Update in place (the Update page of an installation) and Compare with source (an installed
//! component against what it was installed from).

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::ids::*;
use crate::domain::merge::{Choice, State};
use crate::error::AppError;
use crate::services::browse::source::{self, SourceComparison};
use crate::services::browse::update::{self, Choices, UpdatePlan};
use crate::web::csrf::Form;
use crate::web::page::{self, PageContext, Section};
use crate::web::request::{Redirect, Request};

/// A conflicting field with the form's choice.
struct ConflictField {
    label: String,
    name: String,
    base: String,
    theirs: String,
    mine: String,
    take_theirs: bool,
}

/// A row of the update table.
struct Row {
    name: String,
    copy_id: Option<String>,
    kind: &'static str,
    outcome: &'static str,
    changed: String,
    conflicts: Vec<ConflictField>,
}

#[derive(Template)]
#[template(path = "browse/update.html")]
struct UpdatePage {
    ctx: PageContext,
    id: String,
    local_name: String,
    root: String,
    process_name: String,
    from: i32,
    to: i32,
    include_passwords: bool,
    rows: Vec<Row>,
    conflicts: usize,
    fingerprint: String,
}

fn choice_name(source_id: &str, key: &str) -> String {
    format!("choice:{source_id}:{key}")
}

fn page_of(ctx: PageContext, plan: UpdatePlan, submitted: &Choices) -> UpdatePage {
    let rows: Vec<Row> = plan
        .rows
        .iter()
        .map(|r| Row {
            name: r.name.clone(),
            copy_id: r.copy_id.as_ref().map(|id| id.to_string()),
            kind: r.component_type,
            outcome: r.outcome.label(),
            changed: r
                .fields
                .iter()
                .map(|f| f.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            conflicts: r
                .fields
                .iter()
                .filter(|f| f.state == State::Conflict)
                .map(|f| ConflictField {
                    label: f.label.clone(),
                    name: choice_name(&r.source_id, &f.key),
                    base: f.base.clone(),
                    theirs: f.theirs.clone(),
                    mine: f.mine.clone(),
                    take_theirs: submitted.get(&(r.source_id.to_string(), f.key.clone()))
                        == Some(&Choice::TakeTheirs),
                })
                .collect(),
        })
        .collect();
    UpdatePage {
        ctx,
        id: plan.installation.id.to_string(),
        local_name: plan.installation.local_name.clone(),
        root: plan.installation.root_component_id.to_string(),
        process_name: plan.process.name.clone(),
        from: plan.installation.sequence,
        to: plan.target.sequence,
        include_passwords: plan.target.include_passwords,
        conflicts: rows.iter().filter(|r| !r.conflicts.is_empty()).count(),
        fingerprint: plan.fingerprint.clone(),
        rows,
    }
}

async fn update_page(
    req: &Request,
    id: String,
    submitted: &Choices,
) -> Result<UpdatePage, AppError> {
    let plan = req
        .run(move |ctx| update::plan(ctx, &InstallationId::from(&id)))
        .await?;
    let title = format!("Update {}", plan.installation.local_name);
    let ctx = req.page(Section::Build, "/build", &title).await?;
    Ok(page_of(ctx, plan, submitted))
}

pub async fn form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page::ok(&update_page(&req, path.into_inner(), &Choices::new()).await?)
}

pub async fn submit(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let mut to = None;
    let mut shown = None;
    let mut choices = Choices::new();
    for (name, value) in &pairs {
        if name == "to" {
            to = value.parse::<i32>().ok();
        } else if name == "copies" {
            shown = Some(value.clone());
        } else if let Some(rest) = name.strip_prefix("choice:")
            && let Some((source, key)) = rest.split_once(':')
            && let Some(choice) = Choice::from_code(value)
        {
            choices.insert((source.to_owned(), key.to_owned()), choice);
        }
    }
    let to = to.ok_or_else(|| AppError::BadRequest("The form names no version.".to_owned()))?;
    let target = id.clone();
    let kept = choices.clone();
    req.submit(
        move |ctx| {
            let installation = InstallationId::from(&target);
            let applied = update::apply(ctx, &installation, to, shown.as_deref(), &kept)?;
            let (done, _) = crate::services::browse::install::installation(ctx, &installation)?;
            let message = if applied.already_done {
                format!("{} is already at version {to}.", done.local_name)
            } else {
                format!(
                    "{} updated to version {to}: {} changed, {} added.",
                    done.local_name,
                    crate::domain::text::count(applied.changed, "component", "components"),
                    applied.added
                )
            };
            Ok(Redirect::to(format!("/build/components/{}", done.root_component_id)).with(message))
        },
        async |_errors| update_page(&req, id, &choices).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "browse/source.html")]
struct SourcePage {
    ctx: PageContext,
    comparison: SourceComparison,
}

pub async fn compare_with_source(
    req: Request,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let comparison = req
        .run(move |ctx| source::compare_with_source(ctx, &ComponentId::from(&id)))
        .await?;
    let title = format!("Compare {} with source", comparison.name);
    let ctx = req.page(Section::Build, "/build", &title).await?;
    page::ok(&SourcePage { ctx, comparison })
}
