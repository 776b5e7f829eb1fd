//! Install a process from the library, and the Installation Complete page.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::browse::install::{self, InstallInput};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

#[derive(Template)]
#[template(path = "browse/install.html")]
struct InstallPage {
    ctx: PageContext,
    process_id: String,
    installed: Option<i32>,
    latest: i32,
    include_passwords: bool,
    folder: Select,
    new_folder: Field,
    local_name: Field,
    token: String,
    connections: Vec<ConnectionRow>,
    connections_error: Vec<String>,
}

/// A connection of the process: copy it, or use one of the account's.
struct ConnectionRow {
    source_id: String,
    name: String,
    connector: &'static str,
    bind: bool,
    existing: Select,
}

async fn install_page(
    req: &Request,
    id: String,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<InstallPage, AppError> {
    let install::InstallForm {
        process,
        folders,
        installed,
        include_passwords,
        connections,
    } = req
        .run(move |ctx| install::form(ctx, &ProcessId::from(&id)))
        .await?;
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
    let connections = connections
        .into_iter()
        .map(|c| {
            let source_id = c.source_id.to_string();
            let chosen = form.get(&format!("existing_{source_id}")).to_owned();
            ConnectionRow {
                bind: form.get(&format!("bind_{source_id}")) == "existing",
                existing: Select::new(
                    format!("existing_{source_id}"),
                    format!("Existing connection for {}", c.name),
                    c.existing
                        .iter()
                        .map(|(id, name)| Choice::new(id.to_string(), name.clone(), *id == chosen))
                        .collect(),
                ),
                name: c.name,
                connector: c.connector,
                source_id,
            }
        })
        .collect();
    let connections_error = errors
        .iter()
        .filter(|(field, _)| *field == "connections")
        .map(|(_, message)| message.to_owned())
        .collect();
    Ok(InstallPage {
        connections,
        connections_error,
        ctx: req
            .page(
                Section::Build,
                "/build/library",
                &format!("Install {}", process.name),
            )
            .await?,
        process_id: process.id.into_string(),
        installed,
        include_passwords,
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

pub async fn form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page::ok(
        &install_page(
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
    let id = path.into_inner();
    let form = Pairs(pairs);
    let input = InstallInput {
        folder_id: FolderId::from(form.get("folder").to_owned()),
        new_folder: form.get("new_folder").to_owned(),
        local_name: form.get("local_name").to_owned(),
        idempotency_key: form.get("token").to_owned(),
        bindings: form
            .0
            .iter()
            .filter_map(|(name, value)| {
                let source = name.strip_prefix("bind_")?;
                (value == "existing").then(|| {
                    (
                        source.to_owned(),
                        form.get(&format!("existing_{source}")).to_owned(),
                    )
                })
            })
            .collect(),
        on_behalf_of: None,
    };
    let target = id.clone();
    req.submit(
        move |ctx| {
            let installation = install::install(ctx, &ProcessId::from(&target), &input)?;
            Ok(Redirect::to(format!(
                "/build/library/installations/{}",
                installation.id
            )))
        },
        async |errors| install_page(&req, id, &form, &errors).await,
    )
    .await
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

pub async fn complete(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (installation, process) = req
        .run(move |ctx| install::installation(ctx, &InstallationId::from(&id)))
        .await?;
    let ctx = req
        .page(Section::Build, "/build/library", "Installation Complete")
        .await?;
    page::ok(&CompletePage {
        ctx,
        process_name: process.name,
        local_name: installation.local_name,
        sequence: installation.sequence,
        root: installation.root_component_id.into_string(),
    })
}
