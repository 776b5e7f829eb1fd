//! New Folder, and renaming or deleting a folder.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::Privilege;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::build::{FolderOption, folders};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::session::Actor;

#[derive(Template)]
#[template(path = "build/folder_form.html")]
struct FolderPage {
    ctx: PageContext,
    action: String,
    button: &'static str,
    name: Field,
    parent: Option<Select>,
    folder_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct FolderForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    parent: String,
}

async fn all_folders(
    state: &web::Data<AppState>,
    actor: &Actor,
) -> Result<Vec<FolderOption>, AppError> {
    actor.caller.require(Privilege::BuildWrite)?;
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    blocking(move || folders::list(&pool, &caller)).await
}

async fn new_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    form: &FolderForm,
    errors: &FieldErrors,
) -> Result<FolderPage, AppError> {
    let all = all_folders(state, actor).await?;
    let parent = Select::new(
        "parent",
        "Folder",
        all.iter()
            .map(|f| Choice::new(f.id.clone(), f.path.clone(), f.id == form.parent))
            .collect(),
    )
    .required()
    .help("The new folder goes inside this one.")
    .error(errors, "parent");
    Ok(FolderPage {
        ctx: PageContext::signed_in(state, actor, Section::Build, "/build", "New Folder").await?,
        action: "/build/folders/new".to_owned(),
        button: "Create Folder",
        name: Field::text("name", "Name")
            .required()
            .with(&form.name, errors),
        parent: Some(parent),
        folder_id: None,
    })
}

pub async fn new_form(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    let form = FolderForm {
        name: String::new(),
        parent: query.into_inner().parent,
    };
    page::ok(&new_page(&state, &actor, &form, &FieldErrors::new()).await?)
}

pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    Form(form): Form<FolderForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (parent, name) = (form.parent.clone(), form.name.clone());
    match blocking(move || folders::create(&pool, &caller, &parent, &name)).await {
        Ok(id) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("/build?folder={id}"),
                format!("Folder {} created.", form.name.trim()),
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

async fn edit_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: &str,
    name: Option<&str>,
    errors: &FieldErrors,
) -> Result<FolderPage, AppError> {
    let all = all_folders(state, actor).await?;
    let folder = all
        .iter()
        .find(|f| f.id == id && !f.is_root)
        .ok_or(AppError::NotFound)?;
    Ok(FolderPage {
        ctx: PageContext::signed_in(
            state,
            actor,
            Section::Build,
            "/build",
            &format!("Folder {}", folder.name),
        )
        .await?,
        action: format!("/build/folders/{id}"),
        button: "Rename",
        name: Field::text("name", "Name")
            .required()
            .with(name.unwrap_or(&folder.name), errors),
        parent: None,
        folder_id: Some(folder.id.clone()),
    })
}

pub async fn edit_form(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    page::ok(
        &edit_page(
            &state,
            &actor,
            &path.into_inner(),
            None,
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn rename(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(form): Form<FolderForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (folder, name) = (id.clone(), form.name.clone());
    match blocking(move || folders::rename(&pool, &caller, &folder, &name)).await {
        Ok(()) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("/build?folder={id}"),
                format!("Folder renamed to {}.", form.name.trim()),
            )
            .await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &edit_page(&state, &actor, &id, Some(&form.name), &errors).await?,
        ),
        Err(other) => Err(other),
    }
}

pub async fn delete(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    _form: Form<FolderForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let id = path.into_inner();
    let name = blocking(move || folders::delete(&pool, &caller, &id)).await?;
    page::redirect_with(&state, &actor, "/build", format!("Folder {name} deleted.")).await
}
