//! One publication: its details, its comparison with another version, and Republish.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::deploy::Package;
use crate::db::library::{Publication, PublishedProcess};
use crate::domain::build::ComponentType;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::compare::{self, Against, Change};
use crate::services::library::publishing;
use crate::services::library::share_link;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::request::{Redirect, Request};

const HERE: &str = "/manage/process-library";

async fn load(
    req: &Request,
    id: String,
) -> Result<(Publication, PublishedProcess, Package), AppError> {
    req.run(move |ctx| publishing::details(ctx, &PublicationId::from(&id)))
        .await
}

#[derive(Template)]
#[template(path = "library/publication.html")]
struct DetailsPage {
    ctx: PageContext,
    publication: Publication,
    process: PublishedProcess,
    package: Package,
    link: String,
    latest: bool,
}

pub async fn details(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (publication, process, package) = load(&req, path.into_inner()).await?;
    let ctx = req
        .page(Section::Manage, HERE, "Publication Details")
        .await?;
    page::ok(&DetailsPage {
        ctx,
        link: share_link(&req.instance().settings.public_url, &process),
        latest: publication.sequence == process.latest_sequence,
        publication,
        process,
        package,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct CompareQuery {
    #[serde(default)]
    with: String,
    #[serde(default)]
    show: String,
}

struct Row {
    name: String,
    kind: &'static str,
    older: String,
    newer: String,
    change: &'static str,
    fields: String,
}

#[derive(Template)]
#[template(path = "library/compare.html")]
struct ComparePage {
    ctx: PageContext,
    id: String,
    process_name: String,
    older_label: String,
    newer_label: String,
    with: Select,
    show: Select,
    rows: Vec<Row>,
    counts: String,
}

pub async fn compare(
    req: Request,
    path: web::Path<String>,
    query: web::Query<CompareQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let query = query.into_inner();
    let (this, _, _) = load(&req, id.clone()).await?;
    let against = if query.with.is_empty() || query.with == "current" {
        Against::CurrentRevisions
    } else {
        Against::Publication(PublicationId::from(query.with.clone()))
    };
    let target = id.clone();
    let result = req
        .run(move |ctx| compare::compare(ctx, &PublicationId::from(&target), &against))
        .await?;
    let count = |c: Change| result.rows.iter().filter(|r| r.change == c).count();
    let counts = format!(
        "{} added, {} removed, {} changed, {} unchanged",
        count(Change::Added),
        count(Change::Removed),
        count(Change::Changed),
        count(Change::Unchanged)
    );
    let show = match query.show.as_str() {
        "changes" | "without" => query.show.as_str(),
        _ => "all",
    };
    let rows = result
        .rows
        .iter()
        .filter(|r| match show {
            "changes" => r.change != Change::Unchanged,
            "without" => r.change == Change::Unchanged,
            _ => true,
        })
        .map(|r| Row {
            name: r.name.clone(),
            kind: ComponentType::from_code(&r.component_type).map_or("", |k| k.label()),
            older: r.older.map_or_else(|| "—".to_owned(), |v| v.to_string()),
            newer: r.newer.map_or_else(|| "—".to_owned(), |v| v.to_string()),
            change: r.change.label(),
            fields: r.fields.join(", "),
        })
        .collect();
    let mut versions: Vec<Choice> = result
        .versions
        .iter()
        .filter(|(vid, _)| *vid != this.id)
        .map(|(vid, label)| Choice::new(vid.clone(), label.clone(), *vid == query.with))
        .collect();
    versions.push(Choice::new(
        "current",
        "The latest component revisions",
        query.with.is_empty() || query.with == "current",
    ));
    let ctx = req
        .page(Section::Manage, HERE, "Compare Publication")
        .await?;
    page::ok(&ComparePage {
        ctx,
        id,
        process_name: result.process_name.clone(),
        older_label: result.older_label.clone(),
        newer_label: result.newer_label.clone(),
        with: Select::new("with", "Compare with", versions),
        show: Select::new(
            "show",
            "Show",
            page::choices(
                [
                    ("all", "All"),
                    ("changes", "With Changes"),
                    ("without", "Without Changes"),
                ],
                show,
            ),
        ),
        rows,
        counts,
    })
}

#[derive(Template)]
#[template(path = "library/republish.html")]
struct RepublishPage {
    ctx: PageContext,
    publication: Publication,
    process: PublishedProcess,
    package: Package,
    notes: Field,
}

async fn republish_page(
    req: &Request,
    id: String,
    notes: &str,
    errors: &FieldErrors,
) -> Result<RepublishPage, AppError> {
    let (publication, process, package) = load(req, id).await?;
    if publication.sequence == process.latest_sequence {
        return Err(AppError::Conflict(format!(
            "Version {} is already the latest publication of {}; only older versions can be republished.",
            publication.sequence, process.name
        )));
    }
    Ok(RepublishPage {
        ctx: req
            .page(
                Section::Manage,
                HERE,
                &format!("Republish Version {}", publication.sequence),
            )
            .await?,
        notes: Field::text("notes", "Publication Notes")
            .kind("textarea")
            .maxlength(4000)
            .help("Why this version comes back; the original notes follow.")
            .with(notes, errors),
        publication,
        process,
        package,
    })
}

pub async fn republish_form(
    req: Request,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    page::ok(&republish_page(&req, path.into_inner(), "", &FieldErrors::new()).await?)
}

#[derive(Debug, Deserialize)]
pub struct RepublishForm {
    #[serde(default)]
    notes: String,
}

pub async fn republish(
    req: Request,
    path: web::Path<String>,
    Form(form): Form<RepublishForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    // The process is read before the change, so that nothing can fail once it is committed.
    let (_, process, _) = load(&req, id.clone()).await?;
    let (target, notes) = (id.clone(), form.notes.clone());
    req.submit(
        move |ctx| {
            let publication = publishing::republish(ctx, &PublicationId::from(&target), &notes)?;
            let message = format!("Republished as version {}.", publication.sequence);
            Ok(Redirect::to(format!("{HERE}?selected={}", process.component_id)).with(message))
        },
        async |errors| republish_page(&req, id, &form.notes, &errors).await,
    )
    .await
}
