//! The library a managed account sees (SPEC rule 6) and the View page of one process.

use crate::db::ids::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::model::{Facets, LibraryModel};
use super::primary_of;
use crate::db::browse::LibraryFilter;
use crate::db::deploy::{Package, PackagedComponent};
use crate::db::library::{Publication, PublishedProcess, PublisherProfile};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::build::{Body, ComponentType, Shape};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::cache::{Tagged, Weight};

/// A process of the library with what this account installed of it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub process: Arc<PublishedProcess>,
    /// The highest version this account installed, if any.
    pub installed: Option<i32>,
    /// The latest installation of that version and the root component of its copy.
    pub copy: Option<(InstallationId, ComponentId)>,
}

/// One page of the library.
#[derive(Debug, Clone)]
pub struct Library {
    /// Who publishes the processes (`None` only for an account without a library).
    pub publisher: Option<(String, PublisherProfile)>,
    /// A primary account's own published processes, as its customers see them (nothing to
    /// view or install from here).
    pub own: bool,
    /// The platform publisher, when some entries are its.
    pub platform: Option<(String, PublisherProfile)>,
    pub entries: Vec<Entry>,
    pub more: bool,
    /// Matching processes come before the first entry (a page before it exists).
    pub earlier: bool,
    /// Categories and tags with how many processes each would show.
    pub facets: Facets,
}

/// The account's library, a page at a time (Build Read Access), from the account's read
/// model as of `generation` (built when missing or older).
pub fn library(ctx: &Ctx, filter: &LibraryFilter, limit: usize) -> Result<Library, AppError> {
    ctx.caller().require(Privilege::BuildRead)?;
    let model = model_of(ctx)?;
    Ok(page_of(&model.value, filter, limit))
}

/// The account's library read model as of `generation` (built when missing or older).
fn model_of(ctx: &Ctx) -> Result<Arc<Tagged<LibraryModel>>, AppError> {
    let caller = ctx.caller();
    ctx.cached(
        |c| &c.libraries,
        caller.account_id(),
        || ctx.read(|conn| LibraryModel::build(conn, caller.account_id())),
    )
}

/// A page of the library as rendered for its account (by the web layer), kept so that the
/// next request for the same page of the same model only sends it again.
#[derive(Debug)]
pub struct RenderedLibrary {
    /// Who publishes the processes (`None` only for an account without a library).
    pub publisher: Option<(String, PublisherProfile)>,
    /// A primary account's own published processes, as its customers see them.
    pub own: bool,
    /// The platform publisher, when the library holds its processes.
    pub platform: Option<(String, PublisherProfile)>,
    /// Whether the page shows no process.
    pub empty: bool,
    /// What the renderer said of the page besides its HTML: the cursors of the next page and
    /// of the page before.
    pub next: Option<String>,
    pub prev: Option<String>,
    pub html: String,
    /// Categories and tags with their counts, for the facet links.
    pub facets: Facets,
    /// The model it was rendered from (a page stays only as long as its model).
    model: Arc<Tagged<LibraryModel>>,
    /// The last whole page shown from it, by the query of its address (see [`Self::shown`]).
    shown: Mutex<Option<(String, Arc<str>)>>,
}

impl RenderedLibrary {
    /// The page the web layer last made of it for the address whose query is `query`
    /// (everything the page shows but the layout depends on this page and that query).
    pub fn shown(&self, query: &str) -> Option<Arc<str>> {
        let shown = self.shown.lock().ok()?;
        shown
            .as_ref()
            .filter(|(q, _)| q == query)
            .map(|(_, html)| html.clone())
    }

    /// Keeps the page made of it for the address whose query is `query`, instead of the last.
    pub fn keep_shown(&self, query: &str, html: Arc<str>) {
        if let Ok(mut shown) = self.shown.lock() {
            *shown = Some((query.to_owned(), html));
        }
    }
}

impl Weight for RenderedLibrary {
    fn weight(&self) -> u64 {
        // The cards and the whole page made of them, about a third more.
        u64::try_from(self.html.len() * 7 / 3 / 1024).unwrap_or(u64::MAX) + 1
    }
}

/// The key of a rendered page: account, filter, page size and whether it offers *Install*.
pub type RenderedKey = (AccountId, LibraryFilter, usize, Rendering);

/// What a page of the library is rendered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rendering {
    /// Browse's cards, with or without their *Install* buttons.
    Cards { can_install: bool },
    /// The API's JSON answer.
    Json,
}

/// A page of the account's library rendered by `render` (its HTML and the next page's
/// cursor), from memory when the account's model has not changed since it was rendered for
/// the same filter and the same rendering (Build Read Access).
pub fn rendered(
    ctx: &Ctx,
    filter: &LibraryFilter,
    limit: usize,
    rendering: Rendering,
    render: impl FnOnce(&Library) -> (String, Option<String>, Option<String>),
) -> Result<Arc<Tagged<RenderedLibrary>>, AppError> {
    ctx.caller().require(Privilege::BuildRead)?;
    let model = model_of(ctx)?;
    let key: RenderedKey = (
        ctx.caller().account_id().clone(),
        filter.clone(),
        limit,
        rendering,
    );
    let pages = &ctx.caches().library_pages;
    pages.remove_if(&key, |page| !Arc::ptr_eq(&page.model, &model));
    ctx.cached(
        |c| &c.library_pages,
        &key,
        || {
            let library = page_of(&model.value, filter, limit);
            let (html, next, prev) = render(&library);
            Ok(RenderedLibrary {
                empty: library.entries.is_empty(),
                own: library.own,
                platform: library.platform,
                publisher: library.publisher,
                next,
                prev,
                html,
                facets: library.facets,
                model: model.clone(),
                shown: Mutex::default(),
            })
        },
    )
}

/// *Preview Library As*: a page of a managed account's library exactly as its users see it,
/// for its partner (Process Library privilege), rendered by the same `render`; with the
/// account's name. Read afresh each time (a preview is rare; nothing of it is kept).
pub fn preview(
    ctx: &Ctx,
    account_id: &AccountId,
    filter: &LibraryFilter,
    limit: usize,
    render: impl FnOnce(&Library) -> (String, Option<String>, Option<String>),
) -> Result<(String, Arc<Tagged<RenderedLibrary>>), AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    let (account, model) = ctx.read(|conn| {
        let account = db::accounts::get_account(conn, account_id)?;
        if account.parent_id.as_ref() != Some(caller.account_id()) {
            return Err(AppError::NotFound);
        }
        let model = LibraryModel::build(conn, &account.id)?;
        Ok((account, model))
    })?;
    let model = Arc::new(Tagged {
        generation: i64::MIN,
        built: std::time::Instant::now(),
        value: model,
    });
    let library = page_of(&model.value, filter, limit);
    let (html, next, prev) = render(&library);
    Ok((
        account.name,
        Arc::new(Tagged {
            generation: i64::MIN,
            built: std::time::Instant::now(),
            value: RenderedLibrary {
                empty: library.entries.is_empty(),
                own: library.own,
                platform: library.platform,
                publisher: library.publisher,
                next,
                prev,
                html,
                facets: library.facets,
                model,
                shown: Mutex::default(),
            },
        }),
    ))
}

/// The managed accounts a partner can preview the library of, by name.
pub fn preview_accounts(ctx: &Ctx) -> Result<Vec<db::accounts::Account>, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| db::accounts::list_managed_accounts(conn, caller.account_id()))
}

fn page_of(model: &LibraryModel, filter: &LibraryFilter, limit: usize) -> Library {
    let (entries, more, earlier) = match &model.publisher {
        Some(_) => model.window(filter, limit),
        None => (Vec::new(), false, false),
    };
    Library {
        publisher: model.publisher.clone(),
        own: model.own,
        platform: model.platform.clone(),
        entries,
        more,
        earlier,
        facets: model.facets(filter),
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
    /// The published root's diagram as rendered once per publication (empty without shapes).
    pub diagram: Arc<Tagged<String>>,
    /// For a deprecated process with a successor: its name, and its id where the account's
    /// library holds it.
    pub successor: Option<(String, Option<ProcessId>)>,
}

/// Draws a process's shapes, each named after its component (the web layer's renderer).
pub type DrawDiagram = fn(&[Shape], &[Option<String>]) -> String;

/// A process of the account's library: 404 unless a group containing the account shares it
/// or the platform publisher shares it with every account.
pub fn find(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProcessId,
) -> Result<PublishedProcess, AppError> {
    if let Some(primary) = primary_of(conn, caller)? {
        let groups = db::browse::visible_groups(conn, caller.account_id(), &primary)?;
        if let Some(found) = db::browse::find_visible(conn, &primary, &groups, id)? {
            return Ok(found);
        }
    }
    // What the platform publisher shares with every account, but never an account's own.
    db::platform::find_visible(conn, id)?
        .filter(|p| &p.account_id != caller.account_id())
        .ok_or(AppError::NotFound)
}

/// One process of the account's library with what the account installed of it, from its
/// library model (Build Read Access); 404 for anything else, the account's own processes
/// included.
pub fn entry(ctx: &Ctx, id: &ProcessId) -> Result<Entry, AppError> {
    ctx.caller().require(Privilege::BuildRead)?;
    let model = model_of(ctx)?;
    model
        .value
        .find(id)
        .filter(|e| !model.value.is_own(&e.process))
        .ok_or(AppError::NotFound)
}

/// The View page of a process of the account's library (Build Read Access): 404 unless a
/// group containing the account shares it. Read from the account's library model as of
/// `generation`, the publication's content and its diagram, each built when missing.
pub fn view(ctx: &Ctx, id: &ProcessId, draw: DrawDiagram) -> Result<ProcessView, AppError> {
    ctx.caller().require(Privilege::BuildRead)?;
    let model = model_of(ctx)?;
    let (entry, publisher) = found_in(&model.value, id)?;
    let content = ctx.lasting(
        |c| &c.publications,
        &entry.process.latest_publication_id,
        || {
            ctx.read(|conn| {
                let publication = db::browse::latest_publication(conn, &entry.process)?;
                let package = db::deploy::find_for_account(
                    conn,
                    &entry.process.account_id,
                    &publication.package_id,
                )?
                .ok_or(AppError::NotFound)?;
                let manifest = db::deploy::list_manifest(conn, &package.account_id, &package.id)?;
                Ok(PublishedContent::new(publication, package, &manifest))
            })
        },
    )?;
    let diagram = ctx.lasting(
        |c| &c.diagrams,
        &content.publication.id,
        || {
            Ok(if content.shapes.is_empty() {
                String::new()
            } else {
                draw(&content.shapes, &content.shape_names)
            })
        },
    )?;
    let successor = match &entry.process.successor_id {
        Some(id) if entry.process.is_deprecated() => match model.value.find(id) {
            Some(found) => Some((found.process.name.clone(), Some(id.clone()))),
            None => ctx
                .read(|conn| {
                    db::library::find_process_for_account(conn, &entry.process.account_id, id)
                })?
                .map(|p| (p.name, None)),
        },
        _ => None,
    };
    Ok(ProcessView {
        process: entry.process,
        content,
        publisher,
        installed: entry.installed,
        diagram,
        successor,
    })
}

fn found_in(model: &LibraryModel, id: &ProcessId) -> Result<(Entry, PublisherProfile), AppError> {
    let entry = model.find(id).ok_or(AppError::NotFound)?;
    if model.is_own(&entry.process) {
        return Err(AppError::NotFound);
    }
    let (publisher, _) = model
        .publisher_of(&entry.process)
        .ok_or(AppError::NotFound)?;
    let publisher = publisher.clone();
    Ok((entry, publisher))
}
