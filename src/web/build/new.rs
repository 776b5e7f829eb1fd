//! New Component: name, type, folder, description, and a template for processes.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::Privilege;
use crate::domain::build::ComponentType;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::build::{components, folders};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::session::Actor;

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
    state: &web::Data<AppState>,
    actor: &Actor,
    form: &NewForm,
    errors: &FieldErrors,
) -> Result<NewPage, AppError> {
    actor.caller.require(Privilege::BuildWrite)?;
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (all_folders, processes, installed) = blocking(move || {
        Ok((
            folders::list(&pool, &caller)?,
            components::list_processes(&pool, &caller)?,
            crate::services::browse::lineage::installed_roots(&pool, &caller)?,
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
        ctx: PageContext::signed_in(state, actor, Section::Build, "/build", "New Component")
            .await?,
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

pub async fn form(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<NewForm>,
) -> Result<HttpResponse, AppError> {
    page::ok(&new_page(&state, &actor, &query.into_inner(), &FieldErrors::new()).await?)
}

pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    Form(form): Form<NewForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let input = components::NewComponent {
        name: form.name.clone(),
        component_type: form.kind.clone(),
        folder_id: form.folder.clone(),
        description: form.description.clone(),
        template_id: form.template.clone(),
    };
    match blocking(move || components::create(&pool, &caller, &input)).await {
        Ok(id) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("/build/components/{id}"),
                format!("{} created.", form.name.trim()),
            )
            .await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_page(&state, &actor, &form, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}
