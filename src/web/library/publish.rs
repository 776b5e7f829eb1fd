//! Publish Package for one process, and Review and Publish for several.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::publishing::{self, PublishInput};
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
                    format!("{} ({})", p.version, p.created_at.format("%Y-%m-%d")),
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
            .with(form.get("description"), errors),
        include_passwords: form.checked("include_passwords"),
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

struct ReviewRow {
    id: String,
    name: String,
    version: Option<String>,
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
    let rows: Vec<ReviewRow> = found
        .into_iter()
        .map(|(c, p)| ReviewRow {
            id: c.id.into_string(),
            name: c.name,
            version: p.map(|p| p.version),
        })
        .collect();
    Ok(ReviewPage {
        ctx: req
            .page(Section::Manage, HERE, "Review and Publish")
            .await?,
        ready: !rows.is_empty() && rows.iter().all(|r| r.version.is_some()),
        rows,
        notes: Field::text("notes", "Publication Notes")
            .kind("textarea")
            .maxlength(4000)
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

/// Shows what publishing the ticked processes would publish (nothing changes yet).
pub async fn review(
    req: Request,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
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
    let (sent, notes) = (ids.clone(), form.get("notes").to_owned());
    req.submit(
        move |ctx| {
            let n = publishing::publish_latest(ctx, &sent, &notes)?;

            Ok(Redirect::to(HERE).with(format!(
                "Published {}.",
                page::count(n, "process", "processes")
            )))
        },
        async |errors| review_page(&req, ids, &form, &errors).await,
    )
    .await
}
