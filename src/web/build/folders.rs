//! New Folder, and renaming or deleting a folder.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::accounts::Privilege;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::build::{FolderOption, folders};
use crate::web::confirm::{self, Confirm};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::request::{Redirect, Request};

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

async fn all_folders(req: &Request) -> Result<Vec<FolderOption>, AppError> {
    req.caller().require(Privilege::BuildWrite)?;
    req.run(folders::list).await
}

async fn new_page(
    req: &Request,
    form: &FolderForm,
    errors: &FieldErrors,
) -> Result<FolderPage, AppError> {
    let all = all_folders(req).await?;
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
        ctx: req.page(Section::Build, "/build", "New Folder").await?,
        action: "/build/folders/new".to_owned(),
        button: "Create Folder",
        name: Field::text("name", "Name")
            .required()
            .with(&form.name, errors),
        parent: Some(parent),
        folder_id: None,
    })
}

pub async fn new_form(req: Request, query: web::Query<NewQuery>) -> Result<HttpResponse, AppError> {
    let form = FolderForm {
        name: String::new(),
        parent: query.into_inner().parent,
    };
    page::ok(&new_page(&req, &form, &FieldErrors::new()).await?)
}

pub async fn create(req: Request, Form(form): Form<FolderForm>) -> Result<HttpResponse, AppError> {
    let (parent, name) = (form.parent.clone(), form.name.clone());
    req.submit(
        move |ctx| {
            let id = folders::create(ctx, &FolderId::from(&parent), &name)?;
            Ok(Redirect::to(format!("/build?folder={id}"))
                .with(format!("Folder {} created.", name.trim())))
        },
        async |errors| new_page(&req, &form, &errors).await,
    )
    .await
}

async fn edit_page(
    req: &Request,
    id: &str,
    name: Option<&str>,
    errors: &FieldErrors,
) -> Result<FolderPage, AppError> {
    let all = all_folders(req).await?;
    let folder = all
        .iter()
        .find(|f| f.id == id && !f.is_root)
        .ok_or(AppError::NotFound)?;
    Ok(FolderPage {
        ctx: req
            .page(Section::Build, "/build", &format!("Folder {}", folder.name))
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

pub async fn edit_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page::ok(&edit_page(&req, &path.into_inner(), None, &FieldErrors::new()).await?)
}

pub async fn rename(
    req: Request,
    path: web::Path<String>,
    Form(form): Form<FolderForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (folder, name) = (id.clone(), form.name.clone());
    req.submit(
        move |ctx| {
            folders::rename(ctx, &FolderId::from(&folder), &name)?;
            Ok(Redirect::to(format!("/build?folder={folder}"))
                .with(format!("Folder renamed to {}.", name.trim())))
        },
        async |errors| edit_page(&req, &id, Some(&form.name), &errors).await,
    )
    .await
}

pub async fn delete(
    req: Request,
    path: web::Path<String>,
    _form: Form<FolderForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    req.act(move |ctx| {
        let name = folders::delete(ctx, &FolderId::from(&id))?;

        Ok(Redirect::to("/build").with(format!("Folder {name} deleted.")))
    })
    .await
}

/// Asks before deleting a folder.
pub async fn delete_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let all = all_folders(&req).await?;
    let folder = all
        .iter()
        .find(|f| f.id == id && !f.is_root)
        .ok_or(AppError::NotFound)?;
    confirm::page(
        &req,
        Confirm {
            section: Section::Build,
            current: "/build",
            title: format!("Delete folder {}", folder.name),
            what: format!(
                "The folder {} will be deleted. A folder can be deleted only when it holds no folder and no component.",
                folder.name
            ),
            action: format!("/build/folders/{id}/delete"),
            button: "Delete",
            cancel: format!("/build?folder={id}"),
        },
    )
    .await
}
