//! A component's page: its header and typed body with Save, the process shapes and diagram,
//! revision history, what uses it, Copy, Delete and packaging.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::body_form::{self, BodyView};
use super::shapes::{ProcessView, process_view};
use crate::domain::accounts::Privilege;
use crate::domain::build::{Body, ComponentType};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::build::components::{self, ComponentDetails, SaveComponent};
use crate::web::confirm::{self, Confirm};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

/// A line of the revision history.
pub struct RevisionRow {
    pub revision: i32,
    pub by: String,
    pub at: String,
    pub summary: String,
}

/// A component named on the page.
pub struct RefRow {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "build/component.html")]
pub struct ComponentPage {
    ctx: PageContext,
    id: String,
    kind: &'static str,
    revision: i32,
    folder_path: String,
    can_write: bool,
    can_package: bool,
    name: Field,
    folder: Select,
    description: Field,
    body: BodyView,
    process: Option<ProcessView>,
    revisions: Vec<RevisionRow>,
    referrers: Vec<RefRow>,
    uses: Vec<RefRow>,
    revision_error: Option<String>,
    lineage: Option<crate::services::browse::lineage::Lineage>,
}

fn kind_label(code: &str) -> &'static str {
    ComponentType::from_code(code).map_or("Component", |k| k.label())
}

/// What the form sent back, to show again after an error.
struct Submitted<'a> {
    name: &'a str,
    folder: &'a str,
    description: &'a str,
    body: Option<&'a Body>,
}

async fn load(req: &Request, id: String) -> Result<ComponentDetails, AppError> {
    req.run(move |ctx| components::details(ctx, &ComponentId::from(&id)))
        .await
}

async fn render_page(
    req: &Request,
    details: ComponentDetails,
    submitted: Option<Submitted<'_>>,
    errors: &FieldErrors,
) -> Result<ComponentPage, AppError> {
    let c = &details.component;
    let name = submitted.as_ref().map_or(c.name.as_str(), |s| s.name);
    let folder_id = submitted
        .as_ref()
        .map_or(c.folder_id.as_str(), |s| s.folder);
    let description = submitted
        .as_ref()
        .map_or(c.description.as_str(), |s| s.description);
    let shown_body = submitted
        .as_ref()
        .and_then(|s| s.body)
        .unwrap_or(&details.body);
    let p = req.actor.access.privileges;
    let name_of = |id: &str| details.options.iter().find(|o| o.id == id);
    let uses = details
        .body
        .referenced_ids()
        .iter()
        .filter_map(|id| name_of(id))
        .map(|o| RefRow {
            id: o.id.clone().into_string(),
            name: o.name.clone(),
            kind: kind_label(&o.component_type),
        })
        .collect();
    Ok(ComponentPage {
        ctx: req.page(Section::Build, "/build", &c.name).await?,
        id: c.id.clone().into_string(),
        kind: details.kind.label(),
        revision: c.revision,
        folder_path: details.folder_path.clone(),
        can_write: p.has(Privilege::BuildWrite),
        can_package: p.has(Privilege::PackagedComponentManagement),
        name: Field::text("name", "Name").required().with(name, errors),
        folder: Select::new(
            "folder",
            "Folder",
            details
                .folders
                .iter()
                .map(|f| Choice::new(f.id.clone(), f.path.clone(), f.id == folder_id))
                .collect(),
        )
        .required()
        .error(errors, "folder"),
        description: Field::text("description", "Description")
            .kind("textarea")
            .maxlength(2000)
            .with(description, errors),
        body: body_form::view(shown_body, &details.body, &details.options, errors),
        process: match &details.body {
            Body::Process { shapes } => Some(process_view(shapes, &details.options, errors)),
            _ => None,
        },
        revisions: details
            .revisions
            .iter()
            .map(|r| RevisionRow {
                revision: r.revision,
                by: r.saved_by.clone().unwrap_or_default(),
                at: crate::web::dates::minute(&r.saved_at),
                summary: r.summary.clone(),
            })
            .collect(),
        referrers: details
            .referrers
            .iter()
            .filter(|r| r.id != c.id)
            .map(|r| RefRow {
                id: r.id.clone().into_string(),
                name: r.name.clone(),
                kind: kind_label(&r.component_type),
            })
            .collect(),
        uses,
        revision_error: errors.get("revision").map(str::to_owned),
        lineage: details.lineage.clone(),
    })
}

pub async fn page(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let details = load(&req, path.into_inner()).await?;
    page::ok(&render_page(&req, details, None, &FieldErrors::new()).await?)
}

/// Shows the page again with the errors beside the fields (422).
/// The component page again, with the errors of a refused change beside their fields.
pub async fn page_with_errors(
    req: &Request,
    id: String,
    errors: &FieldErrors,
) -> Result<ComponentPage, AppError> {
    let details = load(req, id).await?;
    render_page(req, details, None, errors).await
}

pub async fn save(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let details = load(&req, id.clone()).await?;
    let mut errors = FieldErrors::new();
    let draft = body_form::draft(details.kind, &form, &mut errors);
    let revision = form.get("revision").parse().unwrap_or(-1);
    let shown = draft.as_ref().map(|d| d.body.clone());
    let name = form.get("name").trim().to_owned();
    let input = SaveComponent {
        name: form.get("name").to_owned(),
        folder_id: FolderId::from(form.get("folder").to_owned()),
        description: form.get("description").to_owned(),
        revision,
        draft,
    };
    let target = id.clone();
    req.submit(
        move |ctx| {
            // What the body's own fields refused is answered before anything is written.
            errors.into_result()?;
            let revision = components::save(ctx, &ComponentId::from(&target), input)?;
            Ok(Redirect::to(format!("/build/components/{target}"))
                .with(format!("{name} saved as revision {revision}.")))
        },
        async |errors| {
            let submitted = Submitted {
                name: form.get("name"),
                folder: form.get("folder"),
                description: form.get("description"),
                body: shown.as_ref(),
            };
            render_page(&req, details, Some(submitted), &errors).await
        },
    )
    .await
}

pub async fn copy(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    req.act(move |ctx| {
        let copy_id = components::copy(ctx, &ComponentId::from(&id))?;

        Ok(Redirect::to(format!("/build/components/{copy_id}")).with("Copy created."))
    })
    .await
}

pub async fn delete(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    req.act(move |ctx| {
        let name = components::delete(ctx, &ComponentId::from(&id))?;

        Ok(Redirect::to("/build").with(format!("{name} deleted.")))
    })
    .await
}

/// Asks before deleting a component.
pub async fn delete_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    req.caller().require(Privilege::BuildWrite)?;
    let id = path.into_inner();
    let target = id.clone();
    let details = req
        .run(move |ctx| components::details(ctx, &ComponentId::from(&target)))
        .await?;
    let name = details.component.name;
    confirm::page(
        &req,
        Confirm {
            section: Section::Build,
            current: "/build",
            title: format!("Delete component {name}"),
            what: format!(
                "The component {name} will be deleted. It can be deleted only when no other component uses it; its packaged versions remain."
            ),
            action: format!("/build/components/{id}/delete"),
            button: "Delete",
            cancel: format!("/build/components/{id}"),
        },
    )
    .await
}
