//! Build: the account's components, searched and filtered, paged by name, beside the folder
//! tree opened at the chosen folder (its trail from the root and its subfolders, paged).

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::build::{ComponentFilter, ComponentSummary};
use crate::domain::accounts::Privilege;
use crate::domain::build::ComponentType;
use crate::error::AppError;
use crate::services::build::{FolderOption, components, folders};
use crate::web::page::{self, Choice, PageContext, Section, Select};
use crate::web::request::Request;

const PAGE_SIZE: i64 = 50;
/// Subfolders shown at a time.
const FOLDER_PAGE: usize = 50;

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
    /// The first component of the page after the one asked for (reading back).
    #[serde(default)]
    before: String,
    /// The last subfolder shown of the previous page of subfolders.
    #[serde(default)]
    folders_after: String,
}

pub struct Row<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'static str,
    pub folder: &'a str,
    pub revision: i32,
    pub modified: String,
}

#[derive(Template)]
#[template(path = "build/list.html")]
struct ListPage<'a> {
    ctx: PageContext,
    q: String,
    kinds: Select,
    folder: Option<FolderOption>,
    rows: Vec<Row<'a>>,
    next: Option<String>,
    /// The page before this one, when there is one.
    prev: Option<String>,
    filtered: bool,
    trail: Vec<&'a FolderOption>,
    subfolders: Vec<&'a FolderOption>,
    more_folders: Option<String>,
    can_write: bool,
}

/// A keyset cursor `NAME_KEY~ID`.
fn cursor(text: &str) -> Option<(String, String)> {
    text.split_once('~')
        .map(|(n, i)| (n.to_owned(), i.to_owned()))
}

pub async fn page(req: Request, query: web::Query<Query>) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let q = query.q.trim().chars().take(100).collect::<String>();
    let kind = ComponentType::from_code(&query.kind);
    let filter = ComponentFilter {
        name_contains: Some(crate::domain::validation::name_key(&q)).filter(|t| !t.is_empty()),
        component_type: kind.map(|k| k.code().to_owned()),
        folder_id: Some(query.folder.clone())
            .filter(|f| !f.is_empty())
            .map(FolderId::from),
        after: cursor(&query.after),
        before: cursor(&query.before).filter(|_| query.after.is_empty()),
    };
    let f = filter.clone();
    let (tree, found) = req
        .read(move |ctx| {
            Ok((
                folders::tree(ctx)?,
                components::list(ctx, &f, PAGE_SIZE + 1)?,
            ))
        })
        .await?;
    let tree = &tree.value;
    if let Some(id) = &filter.folder_id {
        tree.get(id).ok_or(AppError::NotFound)?;
    }
    let page = PAGE_SIZE as usize;
    let backwards = filter.before.is_some();
    // Read backwards, the extra component (the sign of a page before) comes first.
    let shown = if backwards {
        &found.value[found.value.len().saturating_sub(page)..]
    } else {
        &found.value[..found.value.len().min(page)]
    };
    let more = found.value.len() > shown.len();
    let link = |direction: &str, c: &ComponentSummary| {
        serde_urlencoded::to_string([
            ("q", q.as_str()),
            ("type", query.kind.as_str()),
            ("folder", query.folder.as_str()),
            (direction, &format!("{}~{}", c.name_key, c.id)),
        ])
        .unwrap_or_default()
    };
    let (has_next, has_prev) = if backwards {
        (true, more)
    } else {
        (more, filter.after.is_some())
    };
    let next = shown.last().filter(|_| has_next).map(|c| link("after", c));
    let prev = shown
        .first()
        .filter(|_| has_prev)
        .map(|c| link("before", c));
    let rows = shown
        .iter()
        .map(|c| Row {
            kind: ComponentType::from_code(&c.component_type).map_or("", |k| k.label()),
            folder: tree.path_of(&c.folder_id),
            modified: crate::web::dates::minute(&c.updated_at),
            revision: c.revision,
            name: &c.name,
            id: &c.id,
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
    let open = filter
        .folder_id
        .clone()
        .or_else(|| tree.root().map(|r| r.id.clone()).map(FolderId::from))
        .unwrap_or_default();
    let folders_after = Some(query.folders_after.as_str()).filter(|a| !a.is_empty());
    let (subfolders, more) = tree.children(&open, folders_after, FOLDER_PAGE);
    let more_folders = if more {
        subfolders.last().map(|last| {
            serde_urlencoded::to_string([
                ("q", q.as_str()),
                ("type", query.kind.as_str()),
                ("folder", query.folder.as_str()),
                ("folders_after", last.id.as_str()),
            ])
            .unwrap_or_default()
        })
    } else {
        None
    };
    let trail = tree.trail(&open);
    let folder = filter
        .folder_id
        .as_deref()
        .and_then(|id| tree.get(id))
        .cloned();
    let ctx = req.page(Section::Build, "/build", "Build").await?;
    page::ok(&ListPage {
        ctx,
        filtered: filter.name_contains.is_some()
            || filter.component_type.is_some()
            || filter.folder_id.is_some(),
        q,
        kinds,
        folder,
        rows,
        next,
        prev,
        trail,
        subfolders,
        more_folders,
        can_write: req.may(Privilege::BuildWrite),
    })
}
