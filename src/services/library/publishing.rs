//! Publishing: the Packaged Processes list, publication history, Publish, Republish and the
//! multi-process Review and Publish. Publications are append-only.

use crate::db::ids::*;
use std::sync::Arc;

use crate::db::build::Component;
use crate::db::deploy::Package;
use crate::db::library::{PackagedFilter, PackagedProcess, Publication, PublishedProcess};
use crate::db::{self, DbConnection};
use crate::domain::accounts::DeploymentModel;
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};
use crate::services::cache::{Tagged, Weight};

/// History rows per page.
pub const HISTORY_PAGE: i64 = 10;

/// A process selected on the library page.
#[derive(Debug, Clone)]
pub struct Selected {
    pub component: Component,
    pub published: Option<PublishedProcess>,
    /// (publication, package version), newest first.
    pub history: Vec<(Publication, String)>,
    /// The sequence below which the next page of history starts.
    pub older: Option<i32>,
    /// The name of the process that succeeds a deprecated one.
    pub successor_name: Option<String>,
}

/// One page of Manage > Process Library's list, and whether the publisher profile is ready.
#[derive(Debug, Clone)]
pub struct PackagedPage {
    pub processes: Vec<PackagedProcess>,
    pub more: bool,
    pub publisher_ready: bool,
}

impl Weight for PackagedPage {
    fn weight(&self) -> u64 {
        u64::try_from(self.processes.len()).unwrap_or(u64::MAX) + 1
    }
}

pub(crate) fn publisher_ready(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<bool, AppError> {
    Ok(db::library::find_publisher(conn, account_id)?
        .is_some_and(|p| !p.publisher_name.trim().is_empty()))
}

pub(crate) fn live_component(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> Result<Component, AppError> {
    db::build::find_component_for_account(conn, caller.account_id(), &ComponentId::from(id))?
        .ok_or(AppError::NotFound)
}

/// A page of the library's packaged processes as of `generation`, from memory when that
/// recent.
pub fn packaged_page(
    ctx: &Ctx,
    filter: &PackagedFilter,
    limit: i64,
) -> Result<Arc<Tagged<PackagedPage>>, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    let mut filter = filter.clone();
    filter.publishable = caller.deployment_model() == DeploymentModel::Legacy;
    let key = (caller.account_id().clone(), filter, limit);
    ctx.cached(
        |c| &c.packaged_pages,
        &key,
        || {
            ctx.read(|conn| {
                let mut processes = db::library::list_packaged_processes(
                    conn,
                    caller.account_id(),
                    &key.1,
                    limit + 1,
                )?;
                let more = processes.len() as i64 > limit;
                processes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                Ok(PackagedPage {
                    processes,
                    more,
                    publisher_ready: publisher_ready(conn, caller.account_id())?,
                })
            })
        },
    )
}

/// The selected process of the library page: its share state and a page of its history.
pub fn selected(
    ctx: &Ctx,
    component_id: &ComponentId,
    below: Option<i32>,
) -> Result<Selected, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| selected_process(conn, caller, component_id, below))
}

fn selected_process(
    conn: &mut DbConnection,
    caller: &Caller,
    component_id: &ComponentId,
    below: Option<i32>,
) -> Result<Selected, AppError> {
    let component = live_component(conn, caller, component_id)?;
    let published =
        db::library::find_process_by_component(conn, caller.account_id(), &component.id)?;
    let (history, older) = match &published {
        Some(p) => {
            let mut rows = db::library::list_publications(conn, &p.id, below, HISTORY_PAGE + 1)?;
            let older = if rows.len() as i64 > HISTORY_PAGE {
                rows.truncate(HISTORY_PAGE as usize);
                rows.last().map(|(p, _)| p.sequence)
            } else {
                None
            };
            (rows, older)
        }
        None => (Vec::new(), None),
    };
    let successor_name = match published.as_ref().and_then(|p| p.successor_id.as_ref()) {
        Some(id) => {
            db::library::find_process_for_account(conn, caller.account_id(), id)?.map(|p| p.name)
        }
        None => None,
    };
    Ok(Selected {
        component,
        published,
        history,
        older,
        successor_name,
    })
}

/// What the Publish form offers for a component.
#[derive(Debug, Clone)]
pub struct PublishForm {
    pub component: Component,
    pub packages: Vec<Package>,
    pub publisher_ready: bool,
    /// The process's latest publication, whose description and password choice the form
    /// starts from.
    pub latest: Option<Publication>,
}

/// The latest publication of a component's published process, if it was ever published.
pub(crate) fn latest_publication(
    conn: &mut DbConnection,
    caller: &Caller,
    component_id: &ComponentId,
) -> Result<Option<Publication>, AppError> {
    let Some(process) =
        db::library::find_process_by_component(conn, caller.account_id(), component_id)?
    else {
        return Ok(None);
    };
    db::library::find_publication_for_account(
        conn,
        caller.account_id(),
        &process.latest_publication_id,
    )
}

/// Refuses to publish again the package that the latest publication already publishes:
/// customers would be told of an update that changes nothing.
fn refuse_same_package(
    latest: Option<&Publication>,
    package: &Package,
    name: &str,
) -> Result<(), String> {
    match latest {
        Some(latest) if latest.package_id == package.id => Err(format!(
            "{name}: version {} already publishes package {}. Choose another package version.",
            latest.sequence, package.version
        )),
        _ => Ok(()),
    }
}

pub fn publish_form(ctx: &Ctx, component_id: &ComponentId) -> Result<PublishForm, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    super::legacy::refuse_in_legacy(caller)?;
    ctx.read(|conn| {
        let component = live_component(conn, caller, component_id)?;
        let packages =
            db::library::list_shareable_packages(conn, caller.account_id(), &component.id)?;
        let latest = latest_publication(conn, caller, &component.id)?;
        Ok(PublishForm {
            component,
            packages,
            publisher_ready: publisher_ready(conn, caller.account_id())?,
            latest,
        })
    })
}

/// The Publish form's values.
#[derive(Debug, Clone, Default)]
pub struct PublishInput {
    pub component_id: ComponentId,
    pub package_id: PackageId,
    pub description: String,
    pub include_passwords: bool,
    pub notes: String,
}

pub(crate) const NO_PUBLISHER: &str =
    "Set a Publisher Name on the Publisher tab before publishing.";

/// Appends a publication (version n+1) of a package to the component's published process,
/// creating the published process on its first publication.
pub(crate) fn append(
    conn: &mut DbConnection,
    caller: &Caller,
    package: &Package,
    description: &str,
    include_passwords: bool,
    notes: &str,
    republished_from: Option<&str>,
) -> Result<(PublishedProcess, Publication), AppError> {
    let now = db::now();
    let existing =
        db::library::find_process_by_component(conn, caller.account_id(), &package.component_id)?;
    let publication_id = PublicationId::generate();
    let (process, sequence) = match existing {
        Some(p) => {
            let next = p.latest_sequence + 1;
            (p, next)
        }
        None => {
            let p = PublishedProcess {
                id: ProcessId::generate(),
                account_id: caller.account_id().clone(),
                component_id: package.component_id.clone(),
                component_type: package.component_type.clone(),
                name: package.component_name.clone(),
                name_key: name_key(&package.component_name),
                description: description.to_owned(),
                latest_sequence: 1,
                latest_publication_id: publication_id.clone(),
                latest_published_at: now,
                install_count: 0,
                created_at: now,
                deprecated_at: None,
                deprecation_reason: String::new(),
                successor_id: None,
                component_count: package.component_count,
                category: String::new(),
                tags: String::new(),
                connectors: String::new(),
            };
            db::library::insert_process(conn, &p)?;
            (p, 1)
        }
    };
    let publication = Publication {
        id: publication_id,
        published_process_id: process.id.clone(),
        account_id: caller.account_id().clone(),
        sequence,
        package_id: package.id.clone(),
        description: description.to_owned(),
        include_passwords,
        notes: notes.to_owned(),
        published_by: Some(caller.email().to_owned()),
        published_at: now,
        republished_from: republished_from.map(str::to_owned),
    };
    db::library::insert_publication(conn, &publication)?;
    let frozen = db::library::frozen_connections(conn, &package.id)?;
    let connectors = crate::domain::build::connector_codes(frozen.iter().map(String::as_str));
    db::library::set_latest(
        conn,
        &process.id,
        &package.component_name,
        description,
        &publication,
        package.component_count,
        &connectors,
    )?;
    Ok((process, publication))
}

pub(crate) fn check_texts(errors: &mut FieldErrors, description: &str, notes: &str) {
    errors.check(
        "description",
        v::prose("Publication Description", description, 4000),
    );
    errors.check("notes", v::prose("Publication Notes", notes, 4000));
}

/// Publishes a shareable package of the component; returns the new publication.
pub fn publish(ctx: &Ctx, input: &PublishInput) -> Result<Publication, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    super::legacy::refuse_in_legacy(caller)?;
    ctx.write(|conn| {
        let component = live_component(conn, caller, &input.component_id)?;
        let mut errors = FieldErrors::new();
        if !publisher_ready(conn, caller.account_id())? {
            errors.add("package", NO_PUBLISHER);
        }
        let package = db::deploy::find_for_account(conn, caller.account_id(), &input.package_id)?
            .filter(|p| p.component_id == component.id && p.shareable && p.deleted_at.is_none());
        if package.is_none() {
            errors.add(
                "package",
                "Choose a shareable package version of this process.",
            );
        }
        check_texts(&mut errors, &input.description, &input.notes);
        errors.into_result()?;
        let package =
            package.ok_or_else(|| AppError::invalid("package", "Choose a package version."))?;
        let latest = latest_publication(conn, caller, &component.id)?;
        refuse_same_package(latest.as_ref(), &package, &component.name)
            .map_err(|message| AppError::Refused(FieldErrors::single("package", message)))?;
        let (process, publication) = append(
            conn,
            caller,
            &package,
            input.description.trim(),
            input.include_passwords,
            input.notes.trim(),
            None,
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::Published,
                target_type: "publication",
                target_id: Some(&publication.id),
                summary: format!(
                    "{} version {} published from package {}",
                    process.name, publication.sequence, package.version
                ),
            },
        )?;
        Ok(publication)
    })
}

/// A publication with its process and package (View Publication Details).
pub fn details(
    ctx: &Ctx,
    publication_id: &PublicationId,
) -> Result<(Publication, PublishedProcess, Package), AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| details_in(conn, caller, publication_id))
}

/// A publication of the caller's account with its process and package; 404 otherwise.
pub(crate) fn details_in(
    conn: &mut DbConnection,
    caller: &Caller,
    publication_id: &PublicationId,
) -> Result<(Publication, PublishedProcess, Package), AppError> {
    let publication =
        db::library::find_publication_for_account(conn, caller.account_id(), publication_id)?
            .ok_or(AppError::NotFound)?;
    let process = db::library::find_process_for_account(
        conn,
        caller.account_id(),
        &publication.published_process_id,
    )?
    .ok_or(AppError::NotFound)?;
    let package = db::deploy::find_for_account(conn, caller.account_id(), &publication.package_id)?
        .ok_or(AppError::NotFound)?;
    Ok((publication, process, package))
}

/// Publishes an older publication's package again as version n+1; its notes are the reason
/// followed by the source's notes.
pub fn republish(
    ctx: &Ctx,
    publication_id: &PublicationId,
    reason: &str,
) -> Result<Publication, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.write( |conn| {
        let source =
            db::library::find_publication_for_account(conn, caller.account_id(), publication_id)?
                .ok_or(AppError::NotFound)?;
        let process = db::library::find_process_for_account(
            conn,
            caller.account_id(),
            &source.published_process_id,
        )?
        .ok_or(AppError::NotFound)?;
        if source.sequence == process.latest_sequence {
            return Err(AppError::Conflict(format!(
                "Version {} is already the latest publication of {}; only older versions can be republished.",
                source.sequence, process.name
            )));
        }
        let mut errors = FieldErrors::new();
        if !publisher_ready(conn, caller.account_id())? {
            errors.add("notes", NO_PUBLISHER);
        }
        check_texts(&mut errors, "", reason);
        errors.into_result()?;
        let package = db::deploy::find_for_account(conn, caller.account_id(), &source.package_id)?
            .ok_or(AppError::NotFound)?;
        let notes = match (reason.trim(), source.notes.trim()) {
            ("", old) => old.to_owned(),
            (why, "") => why.to_owned(),
            (why, old) => format!("{why}\n\n{old}"),
        };
        let (_, publication) = append(
            conn,
            caller,
            &package,
            &source.description,
            source.include_passwords,
            &notes,
            Some(&source.id),
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::Republished,
                target_type: "publication",
                target_id: Some(&publication.id),
                summary: format!(
                    "{} version {} republished as version {}",
                    process.name, source.sequence, publication.sequence
                ),
            },
        )?;
        Ok(publication)
    })
}

/// What Review and Publish offers for one ticked process: its shareable packages (newest
/// first) and its latest publication (to start from its description and password choice).
#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub component: Component,
    pub packages: Vec<Package>,
    pub latest: Option<Publication>,
}

/// The rows of Review and Publish for the chosen components, by name.
pub fn review(ctx: &Ctx, component_ids: &[ComponentId]) -> Result<Vec<ReviewRow>, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    super::legacy::refuse_in_legacy(caller)?;
    ctx.read(|conn| {
        let mut rows = Vec::new();
        for component in
            db::build::list_components_by_ids(conn, caller.account_id(), component_ids)?
        {
            let packages =
                db::library::list_shareable_packages(conn, caller.account_id(), &component.id)?;
            let latest = latest_publication(conn, caller, &component.id)?;
            rows.push(ReviewRow {
                component,
                packages,
                latest,
            });
        }
        rows.sort_by(|a, b| a.component.name_key.cmp(&b.component.name_key));
        Ok(rows)
    })
}

/// One row of Review and Publish as sent.
#[derive(Debug, Clone, Default)]
pub struct BatchRow {
    pub component_id: ComponentId,
    pub package_id: PackageId,
    pub description: String,
    pub include_passwords: bool,
}

/// Publishes every row (its chosen package, description and password choice) in one
/// transaction; returns how many were published. A row without a shareable package of its
/// process, or whose package the latest publication already publishes, refuses the whole
/// batch: nothing is published.
pub fn publish_batch(ctx: &Ctx, rows: &[BatchRow], notes: &str) -> Result<usize, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    super::legacy::refuse_in_legacy(caller)?;
    ctx.write(|conn| {
        if !publisher_ready(conn, caller.account_id())? {
            return Err(AppError::invalid("notes", NO_PUBLISHER));
        }
        let mut errors = FieldErrors::new();
        errors.check("notes", v::prose("Publication Notes", notes, 4000));
        let ids: Vec<ComponentId> = rows.iter().map(|r| r.component_id.clone()).collect();
        let components = db::build::list_components_by_ids(conn, caller.account_id(), &ids)?;
        if components.is_empty() {
            errors.add("notes", "Tick at least one packaged process.");
        } else if components.len() != rows.len() {
            errors.add(
                "notes",
                "Some ticked processes are no longer processes of this account: go back to Manage > Process Library and tick them again.",
            );
        }
        let mut chosen = Vec::new();
        let mut refusals = Vec::new();
        for component in &components {
            let Some(row) = rows.iter().find(|r| r.component_id == component.id) else {
                continue;
            };
            if let Err(message) = v::prose("Publication Description", &row.description, 4000) {
                errors.also("description", format!("{}: {message}", component.name));
            }
            let package = db::deploy::find_for_account(conn, caller.account_id(), &row.package_id)?
                .filter(|p| {
                    p.component_id == component.id && p.shareable && p.deleted_at.is_none()
                });
            let Some(package) = package else {
                errors.also(
                    "package",
                    format!(
                        "{}: choose a shareable package version of this process.",
                        component.name
                    ),
                );
                continue;
            };
            let latest = latest_publication(conn, caller, &component.id)?;
            if let Err(message) = refuse_same_package(latest.as_ref(), &package, &component.name) {
                refusals.push(message);
            }
            chosen.push((component, package, row));
        }
        errors.into_result()?;
        if !refusals.is_empty() {
            let mut refused = FieldErrors::new();
            for message in refusals {
                refused.also("package", message);
            }
            return Err(AppError::Refused(refused));
        }
        let mut names = Vec::new();
        for (component, package, row) in chosen {
            let (_, publication) = append(
                conn,
                caller,
                &package,
                row.description.trim(),
                row.include_passwords,
                notes.trim(),
                None,
            )?;
            names.push(format!(
                "{} {} (version {}{})",
                component.name,
                package.version,
                publication.sequence,
                if row.include_passwords {
                    ", with passwords"
                } else {
                    ""
                }
            ));
        }
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::MultiPublished,
                target_type: "publication",
                target_id: None,
                summary: format!("Published {}", names.join(", ")),
            },
        )?;
        Ok(names.len())
    })
}

/// Every published process and API service of the account, by name (Process Library).
pub fn published(ctx: &Ctx) -> Result<Vec<PublishedProcess>, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| db::library::list_all_published(conn, caller.account_id()))
}

/// A published process of the account with its latest `limit` publications and their
/// package versions, newest first (Process Library); 404 for any other.
pub fn history(
    ctx: &Ctx,
    id: &ProcessId,
    limit: i64,
) -> Result<(PublishedProcess, Vec<(Publication, String)>), AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let process = db::library::find_process_for_account(conn, caller.account_id(), id)?
            .ok_or(AppError::NotFound)?;
        let publications = db::library::list_publications(conn, &process.id, None, limit)?;
        Ok((process, publications))
    })
}
