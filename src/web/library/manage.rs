//! Manage > Process Library: packaged processes, the selected one's share link and history.

use crate::services::library::publishing::HISTORY_PAGE;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::ids::ComponentId;
use crate::db::library::{PackagedFilter, PublishStatus};
use crate::domain::accounts::DeploymentModel;
use crate::domain::build::ComponentType;
use crate::domain::tags::CATEGORIES;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::manage::{self, ManageView};
use crate::services::library::share_link;
use crate::services::library::tagging;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    /// Legacy: the Component Type filter (`process` or `api_service`).
    #[serde(default)]
    kind: String,
    #[serde(default)]
    selected: String,
    #[serde(default)]
    below: Option<i32>,
    #[serde(default)]
    after: String,
}

struct ProcessRow {
    id: String,
    name: String,
    kind: &'static str,
    folder: String,
    status: String,
    /// Legacy: the status as a badge (Unpublished, Published, Published with Changes).
    badge: &'static str,
    selected: bool,
}

struct HistoryRow {
    id: String,
    version: i32,
    package_version: String,
    by: String,
    date: String,
    notes: String,
    latest: bool,
    installs: i64,
    include_passwords: bool,
    /// The publication id's first eight characters (Legacy's Publication Id column).
    short_id: String,
}

struct InstallRow {
    account: String,
    version: i32,
    by: String,
    date: String,
}

struct SelectedView {
    component_id: String,
    name: String,
    /// Legacy: the component's own description, under its name.
    description: String,
    link: Option<String>,
    history: Vec<HistoryRow>,
    older: Option<String>,
    /// The page of newer publications, when this one is not the first.
    newer: Option<String>,
    installs: Vec<InstallRow>,
    /// A published process (not an API service) can be deprecated.
    can_deprecate: bool,
    /// "Deprecated on DATE: REASON. Successor: NAME."
    deprecated: Option<String>,
    /// *Category* and *Tags* of a published process (what Browse offers as facets).
    tagging: Option<(Select, Field)>,
}

#[derive(Template)]
#[template(path = "library/manage.html")]
struct ManagePage {
    ctx: PageContext,
    q: String,
    status: Select,
    /// Legacy: *Publishable Components* with their type and status, *Publish Latest Revision*.
    legacy: bool,
    kind: Select,
    /// A search or a filter narrows the list.
    filtered: bool,
    publisher_ready: bool,
    processes: Vec<ProcessRow>,
    next: Option<String>,
    selected: Option<SelectedView>,
    query_base: String,
}

pub async fn page(req: Request, query: web::Query<Query>) -> Result<HttpResponse, AppError> {
    page::ok(&manage_page(&req, query.into_inner(), None).await?)
}

/// *Save Category and Tags* of the selected process: back to it, or the page again with the
/// refusal beside the fields (422).
pub async fn save_tags(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let component = path.into_inner();
    let form = Pairs(pairs);
    let (id, category, tags) = (
        ComponentId::from(component.clone()),
        form.get("category").to_owned(),
        form.get("tags").to_owned(),
    );
    req.submit(
        move |ctx| {
            let name = tagging::save(ctx, &id, &category, &tags)?;
            Ok(
                Redirect::to(format!("/manage/process-library?selected={id}"))
                    .with(format!("Category and tags of {name} saved.")),
            )
        },
        async |errors| {
            let query = Query {
                selected: component,
                ..Query::default()
            };
            manage_page(&req, query, Some((form, errors))).await
        },
    )
    .await
}

async fn manage_page(
    req: &Request,
    query: Query,
    tagging_form: Option<(Pairs, FieldErrors)>,
) -> Result<ManagePage, AppError> {
    let q: String = query.q.trim().chars().take(100).collect();
    let legacy = req.caller().deployment_model() == DeploymentModel::Legacy;
    let kind_code = ComponentType::from_code(&query.kind)
        .filter(|k| matches!(k, ComponentType::Process | ComponentType::ApiService))
        .filter(|_| legacy);
    let filter = PackagedFilter {
        name_contains: Some(crate::domain::validation::name_key(&q)).filter(|t| !t.is_empty()),
        status: match (legacy, query.status.as_str()) {
            (false, "published") => Some(PublishStatus::Published),
            (false, "not_published") | (true, "unpublished") => Some(PublishStatus::Unpublished),
            (true, "published") => Some(PublishStatus::Unchanged),
            (true, "changed") => Some(PublishStatus::Changed),
            _ => None,
        },
        publishable: legacy,
        component_type: kind_code.map(|k| k.code().to_owned()),
        after: query
            .after
            .split_once('~')
            .map(|(n, i)| (n.to_owned(), i.to_owned())),
    };
    let filtered = filter.name_contains.is_some()
        || filter.status.is_some()
        || filter.component_type.is_some();
    let selected_id = Some(query.selected.clone()).filter(|s| !s.is_empty());
    let below = query.below;
    let ManageView {
        list,
        tree,
        selected,
        installs,
    } = req
        .read(move |ctx| manage::page(ctx, &filter, PAGE_SIZE, selected_id.as_deref(), below))
        .await?;
    let library = &list.value;
    let (per_publication, latest_installs) = installs.unwrap_or_default();
    let query_base = serde_urlencoded::to_string([
        ("q", q.as_str()),
        ("status", query.status.as_str()),
        ("kind", kind_code.map_or("", |k| k.code())),
    ])
    .unwrap_or_default();
    let next = if library.more {
        library.processes.last().map(|p| {
            format!(
                "{query_base}&after={}",
                urlencode(&format!("{}~{}", p.name_key, p.component_id))
            )
        })
    } else {
        None
    };
    let processes = library
        .processes
        .iter()
        .map(|p| ProcessRow {
            id: p.component_id.to_string(),
            name: p.name.clone(),
            kind: ComponentType::from_code(&p.component_type).map_or("", |k| k.label()),
            folder: tree.value.path_of(&p.folder_id).to_owned(),
            status: p.latest_sequence.map_or_else(
                || "Not published".to_owned(),
                |s| format!("Published · version {s}"),
            ),
            badge: match (p.latest_sequence, p.changed) {
                (None, _) => "Unpublished",
                (Some(_), false) => "Published",
                (Some(_), true) => "Published with Changes",
            },
            selected: p.component_id == query.selected,
        })
        .collect();
    let selected = selected.map(|s| {
        let latest = s.published.as_ref().map(|p| p.latest_sequence);
        SelectedView {
            link: s
                .published
                .as_ref()
                .map(|p| share_link(&req.instance().settings.public_url, p)),
            older: s
                .older
                .map(|below| format!("{query_base}&selected={}&below={below}", s.component.id)),
            // Versions are numbered 1, 2, 3… with none missing, so the newer page is the next
            // HISTORY_PAGE numbers above the first row shown.
            newer: match (s.history.first(), latest) {
                (Some((first, _)), Some(latest)) if first.sequence < latest => {
                    let below = i64::from(first.sequence) + HISTORY_PAGE + 1;
                    Some(if below > i64::from(latest) {
                        format!("{query_base}&selected={}", s.component.id)
                    } else {
                        format!("{query_base}&selected={}&below={below}", s.component.id)
                    })
                }
                _ => None,
            },
            history: s
                .history
                .into_iter()
                .map(|(p, package_version)| HistoryRow {
                    latest: Some(p.sequence) == latest,
                    include_passwords: p.include_passwords,
                    short_id: p.id.chars().take(8).collect(),
                    installs: per_publication.get(&p.id).copied().unwrap_or(0),
                    id: p.id.into_string(),
                    version: p.sequence,
                    package_version,
                    by: p.published_by.unwrap_or_default(),
                    date: crate::web::dates::minute(&p.published_at),
                    notes: p.notes,
                })
                .collect(),
            installs: latest_installs
                .iter()
                .map(|(i, account)| InstallRow {
                    account: account.clone(),
                    version: i.sequence,
                    by: i.installed_by.clone().unwrap_or_default(),
                    date: crate::web::dates::minute(&i.installed_at),
                })
                .collect(),
            can_deprecate: s
                .published
                .as_ref()
                .is_some_and(|p| p.component_type == "process"),
            deprecated: s.published.as_ref().and_then(|p| {
                let since = p.deprecated_at?;
                let successor = s
                    .successor_name
                    .as_ref()
                    .map(|n| format!(" Successor: {n}."))
                    .unwrap_or_default();
                Some(format!(
                    "Deprecated on {}: {}{successor}",
                    crate::web::dates::minute(&since),
                    p.deprecation_reason
                ))
            }),
            tagging: s
                .published
                .as_ref()
                .filter(|p| p.component_type == "process")
                .map(|p| {
                    let (form, errors) = match &tagging_form {
                        Some((form, errors)) => (
                            (form.get("category").to_owned(), form.get("tags").to_owned()),
                            errors.clone(),
                        ),
                        None => ((p.category.clone(), p.tags.clone()), FieldErrors::new()),
                    };
                    (
                        Select::new(
                            "category",
                            "Category",
                            std::iter::once(Choice::new("", "None", form.0.is_empty()))
                                .chain(CATEGORIES.iter().map(|c| Choice::new(*c, *c, form.0 == *c)))
                                .collect(),
                        )
                        .error(&errors, "category"),
                        Field::text("tags", "Tags")
                            .maxlength(400)
                            .help("Up to 10, separated by commas, such as \"nightly, salesforce\".")
                            .with(&form.1, &errors),
                    )
                }),
            component_id: s.component.id.into_string(),
            name: s.component.name,
            description: s.component.description,
        }
    });
    let status_now = if query.status.is_empty() {
        "all"
    } else {
        &query.status
    };
    let status = if legacy {
        Select::new(
            "status",
            "Status",
            page::choices(
                [
                    ("all", "All"),
                    ("unpublished", "Unpublished"),
                    ("published", "Published"),
                    ("changed", "Published with Changes"),
                ],
                status_now,
            ),
        )
    } else {
        Select::new(
            "status",
            "Publish Status",
            page::choices(
                [
                    ("all", "All"),
                    ("published", "Published"),
                    ("not_published", "Not Published"),
                ],
                status_now,
            ),
        )
    };
    let kind = Select::new(
        "kind",
        "Component Type",
        page::choices(
            [
                ("all", "All"),
                ("process", "Process"),
                ("api_service", "API Service"),
            ],
            kind_code.map_or("all", |k| k.code()),
        ),
    );
    let ctx = req
        .page(
            Section::Manage,
            "/manage/process-library",
            "Process Library",
        )
        .await?;
    Ok(ManagePage {
        ctx,
        q,
        status,
        legacy,
        kind,
        filtered,
        publisher_ready: library.publisher_ready,
        processes,
        next,
        selected,
        query_base,
    })
}

/// What the page is made of: the list, the folder tree, the selected process and its
/// installations.
fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("v", text)])
        .unwrap_or_default()
        .trim_start_matches("v=")
        .to_owned()
}
