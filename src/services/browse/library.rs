//! The library a managed account sees (SPEC rule 6) and the View page of one process.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::model::LibraryModel;
use super::primary_of;
use crate::db::browse::LibraryFilter;
use crate::db::deploy::{Package, PackagedComponent};
use crate::db::library::{Publication, PublishedProcess, PublisherProfile};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::accounts::Privilege;
use crate::domain::build::{Body, ComponentType, Shape};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::cache::{Caches, Tagged, Weight};

/// A process of the library with what this account installed of it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub process: Arc<PublishedProcess>,
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
    let model = model_of(pool, caches, caller, generation)?;
    Ok(page_of(&model.value, filter, limit))
}

/// The account's library read model as of `generation` (built when missing or older).
fn model_of(
    pool: &DbPool,
    caches: &Caches,
    caller: &Caller,
    generation: Option<i64>,
) -> Result<Arc<Tagged<LibraryModel>>, AppError> {
    caches
        .libraries
        .get_or_build(&caller.account_id, generation, || {
            db::read(pool, |conn| LibraryModel::build(conn, &caller.account_id))
        })
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

/// What a publication shows on the View page, read once: a publication, its package and its
/// manifest never change once made.
#[derive(Debug, Clone)]
pub struct PublishedContent {
    pub publication: Publication,
    pub package: Package,
    /// How many components the package holds.
    pub included: usize,
    /// Components per type label, in the order of the types.
    pub types: Vec<(&'static str, usize)>,
    /// Connections per connector label.
    pub connectors: Vec<(&'static str, usize)>,
    /// The shapes of the packaged root process.
    pub shapes: Vec<Shape>,
    /// The name of each shape's packaged component, shape by shape.
    pub shape_names: Vec<Option<String>>,
}

impl Weight for PublishedContent {
    fn weight(&self) -> u64 {
        u64::try_from(self.included).unwrap_or(u64::MAX) + 1
    }
}

impl PublishedContent {
    fn new(publication: Publication, package: Package, manifest: &[PackagedComponent]) -> Self {
        let types = ComponentType::ALL
            .iter()
            .map(|t| {
                (
                    t.label(),
                    manifest
                        .iter()
                        .filter(|m| m.component_type == t.code())
                        .count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        let mut connectors: BTreeMap<&'static str, usize> = BTreeMap::new();
        for m in manifest {
            if let Ok(Body::Connection { connector, .. }) = Body::from_json(&m.body) {
                *connectors.entry(connector.label()).or_default() += 1;
            }
        }
        let shapes: Vec<Shape> = manifest
            .iter()
            .find(|m| m.is_root)
            .and_then(|root| match Body::from_json(&root.body) {
                Ok(Body::Process { shapes }) => Some(shapes),
                _ => None,
            })
            .unwrap_or_default();
        let shape_names = shapes
            .iter()
            .map(|shape| {
                shape
                    .component
                    .as_ref()
                    .and_then(|id| manifest.iter().find(|m| &m.component_id == id))
                    .map(|m| m.name.clone())
            })
            .collect();
        Self {
            publication,
            package,
            included: manifest.len(),
            types,
            connectors: connectors.into_iter().collect(),
            shapes,
            shape_names,
        }
    }
}

/// What the View page shows.
#[derive(Debug, Clone)]
pub struct ProcessView {
    pub process: Arc<PublishedProcess>,
    pub content: Arc<Tagged<PublishedContent>>,
    pub publisher: PublisherProfile,
    pub installed: Option<i32>,
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

/// The View page of a process of the account's library (Build Read Access): 404 unless a
/// group containing the account shares it. Read from the account's library model as of
/// `generation` and the publication's content, each built when missing.
pub fn view(
    pool: &DbPool,
    caches: &Caches,
    caller: &Caller,
    generation: Option<i64>,
    id: &str,
) -> Result<ProcessView, AppError> {
    caller.require(Privilege::BuildRead)?;
    let model = model_of(pool, caches, caller, generation)?;
    let (entry, publisher) = found_in(&model.value, id)?;
    let content = caches
        .publications
        .get_or_build(&entry.process.latest_publication_id, || {
            db::read(pool, |conn| {
                let publication = db::browse::latest_publication(conn, &entry.process)?;
                let package = db::deploy::find_for_account(
                    conn,
                    &entry.process.account_id,
                    &publication.package_id,
                )?
                .ok_or(AppError::NotFound)?;
                let manifest = db::deploy::list_manifest(conn, &package.id)?;
                Ok(PublishedContent::new(publication, package, &manifest))
            })
        })?;
    Ok(ProcessView {
        process: entry.process,
        content,
        publisher,
        installed: entry.installed,
    })
}

/// [`view`] when everything it needs is cached and current: no database work. `Ok(None)`
/// when something must be read.
pub fn cached_view(
    caches: &Caches,
    caller: &Caller,
    generation: Option<i64>,
    id: &str,
) -> Result<Option<ProcessView>, AppError> {
    caller.require(Privilege::BuildRead)?;
    let Some(model) = caches.libraries.current(&caller.account_id, generation) else {
        return Ok(None);
    };
    let (entry, publisher) = found_in(&model.value, id)?;
    Ok(caches
        .publications
        .get(&entry.process.latest_publication_id)
        .map(|content| ProcessView {
            process: entry.process,
            content,
            publisher,
            installed: entry.installed,
        }))
}

fn found_in(model: &LibraryModel, id: &str) -> Result<(Entry, PublisherProfile), AppError> {
    let (_, publisher) = model.publisher.as_ref().ok_or(AppError::NotFound)?;
    let entry = model.find(id).ok_or(AppError::NotFound)?;
    Ok((entry, publisher.clone()))
}
