//! Publish Package for one process, and Review and Publish for several.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::publishing::{self, BatchRow, PublishInput};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

const HERE: &str = "/manage/process-library";

#[derive(Template)]
#[template(path = "library/publish.html")]
struct PublishPage {
    ctx: PageContext,
    component_id: String,
    name: String,
    publisher_ready: bool,
    package: Select,
    description: Field,
    include_passwords: bool,
    notes: Field,
}

async fn publish_page(
    req: &Request,
    component_id: String,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<PublishPage, AppError> {
    let id = component_id.clone();
    let data = req
        .run(move |ctx| publishing::publish_form(ctx, &ComponentId::from(&id)))
        .await?;
    // A form shown for the first time starts from the latest publication.
    let fresh = form.0.is_empty();
    let (description, include_passwords) = match (&data.latest, fresh) {
        (Some(latest), true) => (latest.description.clone(), latest.include_passwords),
        _ => (
            form.get("description").to_owned(),
            form.checked("include_passwords"),
        ),
    };
    let chosen = form.get("package");
    let package = Select::new(
        "package",
        "Package Version",
        data.packages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let selected = if chosen.is_empty() {
                    i == 0
                } else {
                    p.id == chosen
                };
                Choice::new(
                    p.id.clone(),
                    format!(
                        "{} ({})",
                        p.version,
                        p.created_at.format("%Y-%m-%d %H:%M UTC")
                    ),
                    selected,
                )
            })
            .collect(),
    )
    .required()
    .help("Shareable, not deleted packages of this process, latest first.")
    .error(errors, "package");
    Ok(PublishPage {
        ctx: req.page(Section::Manage, HERE, "Publish Package").await?,
        component_id,
        name: data.component.name,
        publisher_ready: data.publisher_ready,
        package,
        description: Field::text("description", "Publication Description")
            .kind("textarea")
            .maxlength(4000)
            .help("Public: managed accounts read it in their library.")
            .with(&description, errors),
        include_passwords,
        notes: Field::text("notes", "Publication Notes")
            .kind("textarea")
            .maxlength(4000)
            .help("Internal: seen by your account only.")
            .with(form.get("notes"), errors),
    })
}

pub async fn form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page::ok(
        &publish_page(
            &req,
            path.into_inner(),
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
    let input = PublishInput {
        component_id: ComponentId::from(component_id.clone()),
        package_id: PackageId::from(form.get("package").to_owned()),
        description: form.get("description").to_owned(),
        include_passwords: form.checked("include_passwords"),
        notes: form.get("notes").to_owned(),
    };
    req.submit(
        move |ctx| {
            let publication = publishing::publish(ctx, &input)?;
            let message = format!("Published as version {}.", publication.sequence);
            Ok(Redirect::to(format!("{HERE}?selected={}", input.component_id)).with(message))
        },
        async |errors| publish_page(&req, component_id, &form, &errors).await,
    )
    .await
}

/// One ticked process on Review and Publish, with its choices.
struct ReviewRow {
    id: String,
    name: String,
    /// Its shareable packages, newest first, the chosen one selected.
    packages: Vec<Choice>,
    description: String,
    include_passwords: bool,
    /// The latest publication's version and package, if it was published before.
    latest: Option<(i32, String)>,
    /// Why this row's package version was refused, if it was.
    error: Option<String>,
    /// Why this row's description was refused, if it was.
    description_error: Option<String>,
}

#[derive(Template)]
#[template(path = "library/review.html")]
struct ReviewPage {
    ctx: PageContext,
    rows: Vec<ReviewRow>,
    notes: Field,
    ready: bool,
}

async fn review_page(
    req: &Request,
    ids: Vec<ComponentId>,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<ReviewPage, AppError> {
    let found = req.run(move |ctx| publishing::review(ctx, &ids)).await?;
    let fresh = !form.0.iter().any(|(k, _)| k.starts_with("package_"));
    let rows: Vec<ReviewRow> = found
        .into_iter()
        .map(|row| {
            let id = row.component.id.into_string();
            let chosen = form.get(&format!("package_{id}")).to_owned();
            let packages = row
                .packages
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let selected = if chosen.is_empty() {
                        i == 0
                    } else {
                        p.id == chosen
                    };
                    Choice::new(
                        p.id.clone(),
                        format!(
                            "{} ({})",
                            p.version,
                            p.created_at.format("%Y-%m-%d %H:%M UTC")
                        ),
                        selected,
                    )
                })
                .collect();
            let (description, include_passwords) = match (&row.latest, fresh) {
                (Some(latest), true) => (latest.description.clone(), latest.include_passwords),
                (None, true) => (row.component.description.clone(), false),
                _ => (
                    form.get(&format!("description_{id}")).to_owned(),
                    form.checked(&format!("include_passwords_{id}")),
                ),
            };
            let latest = row.latest.as_ref().map(|l| {
                let version = row
                    .packages
                    .iter()
                    .find(|p| p.id == l.package_id)
                    .map_or_else(String::new, |p| p.version.clone());
                (l.sequence, version)
            });
            // A row's errors name it first ("NAME: ...").
            let prefix = format!("{}:", row.component.name);
            let error_of = |wanted: &str| {
                errors
                    .iter()
                    .find(|(field, message)| *field == wanted && message.starts_with(&prefix))
                    .map(|(_, message)| message.to_owned())
            };
            let (error, description_error) = (error_of("package"), error_of("description"));
            ReviewRow {
                id,
                name: row.component.name,
                packages,
                description,
                include_passwords,
                latest,
                error,
                description_error,
            }
        })
        .collect();
    let mut ctx = req
        .page(Section::Manage, HERE, "Review and Publish")
        .await?;
    // The summary links each row's error to that row's field.
    for (field, message) in &mut ctx.errors {
        if let Some(row) = rows.iter().find(|r| r.error.as_ref() == Some(message)) {
            *field = format!("package_{}", row.id);
        } else if let Some(row) = rows
            .iter()
            .find(|r| r.description_error.as_ref() == Some(message))
        {
            *field = format!("description_{}", row.id);
        }
    }
    Ok(ReviewPage {
        ctx,
        ready: !rows.is_empty() && rows.iter().all(|r| !r.packages.is_empty()),
        rows,
        notes: Field::text("notes", "Publication Notes")
            .kind("textarea")
            .maxlength(4000)
            .help("Internal: seen by your account only. The same for every process.")
            .with(form.get("notes"), errors),
    })
}

fn chosen(form: &Pairs) -> Vec<ComponentId> {
    form.all("component")
        .into_iter()
        .take(500)
        .map(ComponentId::from)
        .collect()
}

/// Shows the ticked processes with their choices (nothing changes yet).
pub async fn review(
    req: Request,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    crate::services::library::legacy::refuse_in_legacy(req.caller())?;
    let form = Pairs(pairs);
    let ids = chosen(&form);
    if ids.is_empty() {
        return req
            .act(|_| Ok(Redirect::to(HERE).alert("Tick the processes to publish first.")))
            .await;
    }
    page::ok(&review_page(&req, ids, &Pairs::default(), &FieldErrors::new()).await?)
}

pub async fn publish_selected(
    req: Request,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = Pairs(pairs);
    let ids = chosen(&form);
    let rows: Vec<BatchRow> = ids
        .iter()
        .map(|id| BatchRow {
            component_id: id.clone(),
            package_id: PackageId::from(form.get(&format!("package_{id}")).to_owned()),
            description: form.get(&format!("description_{id}")).to_owned(),
            include_passwords: form.checked(&format!("include_passwords_{id}")),
        })
        .collect();
    let notes = form.get("notes").to_owned();
    req.submit(
        move |ctx| {
            let n = publishing::publish_batch(ctx, &rows, &notes)?;

            Ok(Redirect::to(HERE).with(format!(
                "Published {}.",
                page::count(n, "process", "processes")
            )))
        },
        async |errors| review_page(&req, ids, &form, &errors).await,
    )
    .await
}
