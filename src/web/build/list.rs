//! Build: the account's components, searched and filtered, paged by name.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::AppState;
use crate::db::build::ComponentFilter;
use crate::domain::accounts::Privilege;
use crate::domain::build::ComponentType;
use crate::error::AppError;
use crate::services::build::{FolderOption, components};
use crate::web::blocking;
use crate::web::page::{self, Choice, PageContext, Section, Select};
use crate::web::session::Actor;

const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    folder: String,
    #[serde(default)]
    after: String,
}

pub struct Row {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub folder: String,
    pub revision: i32,
    pub modified: String,
}

#[derive(Template)]
#[template(path = "build/list.html")]
struct ListPage {
    ctx: PageContext,
    q: String,
    kinds: Select,
    folder_filter: Select,
    rows: Vec<Row>,
    next: Option<String>,
    filtered: bool,
    folders: Vec<FolderOption>,
    can_write: bool,
}

pub async fn page(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let q = query.q.trim().chars().take(100).collect::<String>();
    let kind = ComponentType::from_code(&query.kind);
    let filter = ComponentFilter {
        name_contains: Some(q.to_lowercase()).filter(|t| !t.is_empty()),
        component_type: kind.map(|k| k.code().to_owned()),
        folder_id: Some(query.folder.clone()).filter(|f| !f.is_empty()),
        after: query
            .after
            .split_once('~')
            .map(|(n, i)| (n.to_owned(), i.to_owned())),
    };
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let f = filter.clone();
    let (mut found, folders) =
        blocking(move || components::list(&pool, &caller, &f, PAGE_SIZE + 1)).await?;
    let next = if found.len() as i64 > PAGE_SIZE {
        found.truncate(PAGE_SIZE as usize);
        found.last().map(|last| {
            serde_urlencoded::to_string([
                ("q", q.as_str()),
                ("type", query.kind.as_str()),
                ("folder", query.folder.as_str()),
                ("after", &format!("{}~{}", last.name_key, last.id)),
            ])
            .unwrap_or_default()
        })
    } else {
        None
    };
    let path_of = |id: &str| {
        folders
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.path.clone())
            .unwrap_or_default()
    };
    let rows = found
        .into_iter()
        .map(|c| Row {
            kind: ComponentType::from_code(&c.component_type).map_or("", |k| k.label()),
            folder: path_of(&c.folder_id),
            modified: c.updated_at.format("%Y-%m-%d %H:%M").to_string(),
            revision: c.revision,
            name: c.name,
            id: c.id,
        })
        .collect();
    let kinds = Select::new(
        "type",
        "Type",
        ComponentType::ALL
            .iter()
            .map(|k| Choice::new(k.code(), k.label(), Some(*k) == kind))
            .collect(),
    )
    .optional("All types");
    let folder_filter = Select::new(
        "folder",
        "Folder",
        folders
            .iter()
            .map(|f| Choice::new(f.id.clone(), f.path.clone(), f.id == query.folder))
            .collect(),
    )
    .optional("All folders");
    let ctx = PageContext::signed_in(&state, &actor, Section::Build, "/build", "Build").await?;
    page::ok(&ListPage {
        ctx,
        filtered: filter.name_contains.is_some()
            || filter.component_type.is_some()
            || filter.folder_id.is_some(),
        q,
        kinds,
        folder_filter,
        rows,
        next,
        folders,
        can_write: actor.access.privileges.has(Privilege::BuildWrite),
    })
}
