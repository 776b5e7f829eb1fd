//! The library a managed account sees (SPEC rule 6) and the View page of one process.

use std::collections::BTreeMap;

use super::model::LibraryModel;
use super::primary_of;
use crate::db::browse::LibraryFilter;
use crate::db::deploy::{Package, PackagedComponent};
use crate::db::library::{Publication, PublishedProcess, PublisherProfile};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::accounts::Privilege;
use crate::domain::build::{Body, ComponentType};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::cache::Caches;

/// A process of the library with what this account installed of it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub process: std::sync::Arc<PublishedProcess>,
    /// The highest version this account installed, if any.
    pub installed: Option<i32>,
}

/// One page of the library.
#[derive(Debug, Clone)]
pub struct Library {
    /// `None` for a primary account (it publishes; it has no library of its own).
    pub publisher: Option<(String, PublisherProfile)>,
    pub entries: Vec<Entry>,
    pub more: bool,
}

fn publisher(conn: &mut DbConnection, primary_id: &str) -> Result<PublisherProfile, AppError> {
    Ok(
        db::library::find_publisher(conn, primary_id)?.unwrap_or_else(|| PublisherProfile {
            account_id: primary_id.to_owned(),
            ..PublisherProfile::default()
        }),
    )
}

/// The account's library, a page at a time (Build Read Access), from the account's read
/// model as of `generation` (built when missing or older).
pub fn library(
    pool: &DbPool,
    caches: &Caches,
    caller: &Caller,
    generation: Option<i64>,
    filter: &LibraryFilter,
    limit: usize,
) -> Result<Library, AppError> {
    caller.require(Privilege::BuildRead)?;
    let model = caches
        .libraries
        .get_or_build(&caller.account_id, generation, || {
            db::read(pool, |conn| LibraryModel::build(conn, &caller.account_id))
        })?;
    Ok(page_of(&model.value, filter, limit))
}

/// [`library`] when the account's read model is cached and current: no database work, so
/// callers need not leave the request's thread. `Ok(None)` when it must be built.
pub fn cached_library(
    caches: &Caches,
    caller: &Caller,
    generation: Option<i64>,
    filter: &LibraryFilter,
    limit: usize,
) -> Result<Option<Library>, AppError> {
    caller.require(Privilege::BuildRead)?;
    Ok(caches
        .libraries
        .current(&caller.account_id, generation)
        .map(|model| page_of(&model.value, filter, limit)))
}

fn page_of(model: &LibraryModel, filter: &LibraryFilter, limit: usize) -> Library {
    let (entries, more) = match &model.publisher {
        Some(_) => model.page(filter, limit),
        None => (Vec::new(), false),
    };
    Library {
        publisher: model.publisher.clone(),
        entries,
        more,
    }
}

/// What the View page shows.
#[derive(Debug, Clone)]
pub struct ProcessView {
    pub process: PublishedProcess,
    pub publication: Publication,
    pub package: Package,
    pub manifest: Vec<PackagedComponent>,
    pub publisher: PublisherProfile,
    pub installed: Option<i32>,
}

impl ProcessView {
    /// Components per type label, in the order of the types.
    pub fn type_counts(&self) -> Vec<(&'static str, usize)> {
        ComponentType::ALL
            .iter()
            .map(|t| {
                (
                    t.label(),
                    self.manifest
                        .iter()
                        .filter(|m| m.component_type == t.code())
                        .count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Connections per connector label.
    pub fn connector_counts(&self) -> Vec<(&'static str, usize)> {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for m in &self.manifest {
            if let Ok(Body::Connection { connector, .. }) = Body::from_json(&m.body) {
                *counts.entry(connector.label()).or_default() += 1;
            }
        }
        counts.into_iter().collect()
    }
}

/// A process of the account's library: 404 unless a group containing the account shares it.
pub fn find(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> Result<PublishedProcess, AppError> {
    let primary = primary_of(conn, caller)?.ok_or(AppError::NotFound)?;
    let groups = db::browse::visible_groups(conn, &caller.account_id, &primary)?;
    db::browse::find_visible(conn, &primary, &groups, id)?.ok_or(AppError::NotFound)
}

/// The View page of a process of the account's library (Build Read Access).
pub fn view(pool: &DbPool, caller: &Caller, id: &str) -> Result<ProcessView, AppError> {
    caller.require(Privilege::BuildRead)?;
    db::read(pool, |conn| {
        let process = find(conn, caller, id)?;
        let publication = db::browse::latest_publication(conn, &process)?;
        let package =
            db::deploy::find_for_account(conn, &process.account_id, &publication.package_id)?
                .ok_or(AppError::NotFound)?;
        let manifest = db::deploy::list_manifest(conn, &package.id)?;
        let installed = db::browse::installed_versions(
            conn,
            &caller.account_id,
            std::slice::from_ref(&process.id),
        )?
        .first()
        .map(|(_, v)| *v);
        let publisher = publisher(conn, &process.account_id)?;
        Ok(ProcessView {
            process,
            publication,
            package,
            manifest,
            publisher,
            installed,
        })
    })
}
