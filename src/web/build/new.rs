//! New Component: name, type, folder, description, and a template for processes.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::accounts::Privilege;
use crate::domain::build::ComponentType;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::build::{components, folders};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::request::{Redirect, Request};

#[derive(Template)]
#[template(path = "build/new.html")]
struct NewPage {
    ctx: PageContext,
    name: Field,
    kind: Select,
    folder: Select,
    description: Field,
    template: Select,
}

#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    folder: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    template: String,
}

async fn new_page(
    req: &Request,
    form: &NewForm,
    errors: &FieldErrors,
) -> Result<NewPage, AppError> {
    req.caller().require(Privilege::BuildWrite)?;
    let (all_folders, processes, installed) = req
        .run(|ctx| {
            Ok((
                folders::list(ctx)?,
                components::list_processes(ctx)?,
                crate::services::browse::lineage::installed_roots(ctx)?,
            ))
        })
        .await?;
    let folder = Select::new(
        "folder",
        "Folder",
        all_folders
            .iter()
            .map(|f| Choice::new(f.id.clone(), f.path.clone(), f.id == form.folder))
            .collect(),
    )
    .required()
    .error(errors, "folder");
    let kind = Select::new(
        "type",
        "Type",
        ComponentType::ALL
            .iter()
            .map(|k| Choice::new(k.code(), k.label(), k.code() == form.kind))
            .collect(),
    )
    .required()
    .error(errors, "type");
    let mut templates: Vec<(bool, Choice)> = processes
        .into_iter()
        .map(|p| match installed.get(&p.id) {
            Some(mark) => (
                true,
                Choice::new(
                    p.id.clone(),
                    format!("{} — {mark}", p.name),
                    p.id == form.template,
                ),
            ),
            None => (
                false,
                Choice::new(p.id.clone(), p.name, p.id == form.template),
            ),
        })
        .collect();
    templates.sort_by_key(|(from_library, _)| !*from_library);
    let template = Select::new(
        "template",
        "Start from template",
        templates.into_iter().map(|(_, c)| c).collect(),
    )
    .optional("None: an empty process")
    .help("Processes only: the new process gets a copy of the template's shapes.")
    .error(errors, "template");
    Ok(NewPage {
        ctx: req.page(Section::Build, "/build", "New Component").await?,
        name: Field::text("name", "Name")
            .required()
            .with(&form.name, errors),
        kind,
        folder,
        description: Field::text("description", "Description")
            .kind("textarea")
            .maxlength(2000)
            .with(&form.description, errors),
        template,
    })
}

pub async fn form(req: Request, query: web::Query<NewForm>) -> Result<HttpResponse, AppError> {
    page::ok(&new_page(&req, &query.into_inner(), &FieldErrors::new()).await?)
}

pub async fn create(req: Request, Form(form): Form<NewForm>) -> Result<HttpResponse, AppError> {
    let name = form.name.trim().to_owned();
    let input = components::NewComponent {
        name: form.name.clone(),
        component_type: form.kind.clone(),
        folder_id: FolderId::from(form.folder.clone()),
        description: form.description.clone(),
        template_id: form.template.clone(),
    };
    req.submit(
        move |ctx| {
            let id = components::create(ctx, &input)?;
            Ok(Redirect::to(format!("/build/components/{id}")).with(format!("{name} created.")))
        },
        async |errors| new_page(&req, &form, &errors).await,
    )
    .await
}
