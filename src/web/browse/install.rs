//! Install a process from the library, and the Installation Complete page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::AppState;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::browse::install::{self, InstallInput};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::session::Actor;

#[derive(Template)]
#[template(path = "browse/install.html")]
struct InstallPage {
    ctx: PageContext,
    process_id: String,
    installed: Option<i32>,
    latest: i32,
    folder: Select,
    new_folder: Field,
    local_name: Field,
    token: String,
}

async fn install_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: String,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<InstallPage, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (process, folders, installed) =
        blocking(move || install::form(&pool, &caller, &id)).await?;
    let chosen = form.get("folder");
    let folder = Select::new(
        "folder",
        "Installation Location",
        folders
            .iter()
            .map(|f| {
                Choice::new(
                    f.id.clone(),
                    f.path.clone(),
                    if chosen.is_empty() {
                        f.is_root
                    } else {
                        f.id == chosen
                    },
                )
            })
            .collect(),
    )
    .required()
    .error(errors, "folder");
    let name = if form.0.is_empty() {
        process.name.clone()
    } else {
        form.get("local_name").to_owned()
    };
    let token = if form.get("token").is_empty() {
        uuid::Uuid::new_v4().to_string()
    } else {
        form.get("token").to_owned()
    };
    Ok(InstallPage {
        ctx: PageContext::signed_in(
            state,
            actor,
            Section::Build,
            "/build/library",
            &format!("Install {}", process.name),
        )
        .await?,
        process_id: process.id,
        installed,
        latest: process.latest_sequence,
        folder,
        new_folder: Field::text("new_folder", "New Folder")
            .help("Optional: created inside the location, and the process goes there.")
            .with(form.get("new_folder"), errors),
        local_name: Field::text("local_name", "Process Name for Local Version")
            .required()
            .with(&name, errors),
        token,
    })
}

pub async fn form(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    page::ok(
        &install_page(
            &state,
            &actor,
            path.into_inner(),
            &Pairs::default(),
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn submit(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let input = InstallInput {
        folder_id: form.get("folder").to_owned(),
        new_folder: form.get("new_folder").to_owned(),
        local_name: form.get("local_name").to_owned(),
        idempotency_key: form.get("token").to_owned(),
    };
    let pool = state.pool.clone();
    let app = state.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    match blocking(move || install::install(&pool, &app.sealer, &caller, &target, &input)).await {
        Ok(installation) => Ok(page::see_other(&format!(
            "/build/library/installations/{}",
            installation.id
        ))),
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &install_page(&state, &actor, id, &form, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "browse/complete.html")]
struct CompletePage {
    ctx: PageContext,
    process_name: String,
    local_name: String,
    sequence: i32,
    root: String,
}

pub async fn complete(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let id = path.into_inner();
    let (installation, process) =
        blocking(move || install::installation(&pool, &caller, &id)).await?;
    let ctx = PageContext::signed_in(
        &state,
        &actor,
        Section::Build,
        "/build/library",
        "Installation Complete",
    )
    .await?;
    page::ok(&CompletePage {
        ctx,
        process_name: process.name,
        local_name: installation.local_name,
        sequence: installation.sequence,
        root: installation.root_component_id,
    })
}
