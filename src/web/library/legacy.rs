//! The Legacy deployment model's pages: *Publish Latest Revision* and *View Component
//! Publications*.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::build::ComponentType;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::legacy::{self, LegacyInput};
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

const HERE: &str = "/manage/process-library";

#[derive(Template)]
#[template(path = "library/publish_latest.html")]
struct PublishLatestPage {
    ctx: PageContext,
    component_id: String,
    name: String,
    kind: &'static str,
    revision: i32,
    publisher_ready: bool,
    /// "Version N publishes this revision…" when nothing has changed since.
    unchanged: Option<i32>,
    description: Field,
    include_passwords: bool,
    notes: Field,
}

async fn publish_latest_page(
    req: &Request,
    component_id: String,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<PublishLatestPage, AppError> {
    let id = component_id.clone();
    let data = req
        .run(move |ctx| legacy::publish_form(ctx, &ComponentId::from(&id)))
        .await?;
    // A form shown for the first time starts from the latest publication.
    let (description, include_passwords) = match (&data.latest, form.0.is_empty()) {
        (Some(latest), true) => (latest.description.clone(), latest.include_passwords),
        _ => (
            form.get("description").to_owned(),
            form.checked("include_passwords"),
        ),
    };
    Ok(PublishLatestPage {
        ctx: req
            .page(Section::Manage, HERE, "Publish Latest Revision")
            .await?,
        component_id,
        kind: ComponentType::from_code(&data.component.component_type).map_or("", |k| k.label()),
        revision: data.component.revision,
        name: data.component.name,
        publisher_ready: data.publisher_ready,
        unchanged: data
            .latest
            .as_ref()
            .filter(|_| data.unchanged)
            .map(|p| p.sequence),
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
        &publish_latest_page(
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
    let input = LegacyInput {
        component_id: ComponentId::from(component_id.clone()),
        description: form.get("description").to_owned(),
        include_passwords: form.checked("include_passwords"),
        notes: form.get("notes").to_owned(),
    };
    req.submit(
        move |ctx| {
            let publication = legacy::publish_latest(ctx, &input)?;
            let message = format!("Published as version {}.", publication.sequence);
            Ok(Redirect::to(format!("{HERE}?selected={}", input.component_id)).with(message))
        },
        async |errors| publish_latest_page(&req, component_id, &form, &errors).await,
    )
    .await
}

struct ComponentRow {
    name: String,
    kind: &'static str,
    revision: i32,
    root: bool,
}

#[derive(Template)]
#[template(path = "library/publication_components.html")]
struct ComponentsPage {
    ctx: PageContext,
    process_name: String,
    component_id: String,
    sequence: i32,
    publication_id: String,
    rows: Vec<ComponentRow>,
}

/// *Components in this Publication Version*: what a publication froze, at which revisions.
pub async fn components(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = PublicationId::from(path.into_inner());
    let (publication, process, _, manifest) =
        req.run(move |ctx| legacy::components_of(ctx, &id)).await?;
    let ctx = req
        .page(
            Section::Manage,
            HERE,
            "Components in this Publication Version",
        )
        .await?;
    page::ok(&ComponentsPage {
        ctx,
        process_name: process.name,
        component_id: process.component_id.into_string(),
        sequence: publication.sequence,
        publication_id: publication.id.to_string(),
        rows: manifest
            .into_iter()
            .map(|c| ComponentRow {
                kind: ComponentType::from_code(&c.component_type).map_or("", |k| k.label()),
                name: c.name,
                revision: c.revision,
                root: c.is_root,
            })
            .collect(),
    })
}
