//! Folders, components, their revisions and the references between them.

use crate::db::ids::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{component_refs, component_revisions, components, folders};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

diesel::define_sql_function!(
    /// `lower(text)` on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = folders)]
pub struct Folder {
    pub id: FolderId,
    pub account_id: AccountId,
    pub parent_id: Option<FolderId>,
    pub name: String,
    pub name_key: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = components)]
pub struct Component {
    pub id: ComponentId,
    pub account_id: AccountId,
    pub folder_id: FolderId,
    pub component_type: String,
    pub name: String,
    pub name_key: String,
    pub description: String,
    pub revision: i32,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub updated_by: Option<String>,
    pub deleted_at: Option<NaiveDateTime>,
    /// Whether a shareable, live package of it exists (kept by Deploy; lists the packaged
    /// processes of Manage > Process Library without scanning packages).
    pub shareable_package: bool,
}

/// What a save changes on a component.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = components)]
pub struct ComponentChanges<'a> {
    pub folder_id: &'a str,
    pub name: &'a str,
    pub name_key: &'a str,
    pub description: &'a str,
    pub revision: i32,
    pub body: &'a str,
    pub updated_at: NaiveDateTime,
    pub updated_by: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = component_revisions)]
pub struct Revision {
    pub component_id: ComponentId,
    pub revision: i32,
    pub name: String,
    pub description: String,
    pub folder_id: FolderId,
    pub body: String,
    pub summary: String,
    pub saved_by: Option<String>,
    pub saved_at: NaiveDateTime,
}

/// A component as a list shows it (no body).
#[derive(Debug, Clone, Queryable, QueryableByName)]
#[diesel(table_name = components)]
pub struct ComponentSummary {
    pub id: ComponentId,
    pub component_type: String,
    pub name: String,
    pub name_key: String,
    pub folder_id: FolderId,
    pub revision: i32,
    pub updated_at: NaiveDateTime,
}

type SummaryColumns = (
    components::id,
    components::component_type,
    components::name,
    components::name_key,
    components::folder_id,
    components::revision,
    components::updated_at,
);

const SUMMARY: SummaryColumns = (
    components::id,
    components::component_type,
    components::name,
    components::name_key,
    components::folder_id,
    components::revision,
    components::updated_at,
);

pub fn insert_folder(conn: &mut DbConnection, folder: &Folder) -> Result<()> {
    diesel::insert_into(folders::table)
        .values(folder)
        .execute(conn)?;
    Ok(())
}

/// Every folder of an account (the tree is built in memory).
pub fn list_folders(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<Folder>> {
    Ok(folders::table
        .filter(folders::account_id.eq(account_id))
        .order(folders::name_key.asc())
        .select(Folder::as_select())
        .load(conn)?)
}

pub fn find_folder_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &FolderId,
) -> Result<Option<Folder>> {
    Ok(folders::table
        .filter(folders::account_id.eq(account_id))
        .filter(folders::id.eq(id))
        .select(Folder::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_root_folder(conn: &mut DbConnection, account_id: &AccountId) -> Result<Option<Folder>> {
    Ok(folders::table
        .filter(folders::account_id.eq(account_id))
        .filter(folders::parent_id.is_null())
        .select(Folder::as_select())
        .first(conn)
        .optional()?)
}

/// Whether a sibling folder already has this name.
pub fn folder_name_taken(
    conn: &mut DbConnection,
    parent_id: &str,
    name_key: &str,
    except_id: &str,
) -> Result<bool> {
    let n: i64 = folders::table
        .filter(folders::parent_id.eq(parent_id))
        .filter(folders::name_key.eq(name_key))
        .filter(folders::id.ne(except_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn rename_folder(
    conn: &mut DbConnection,
    folder: &Folder,
    name: &str,
    name_key: &str,
) -> Result<()> {
    diesel::update(folders::table.find(&folder.id))
        .set((folders::name.eq(name), folders::name_key.eq(name_key)))
        .execute(conn)?;
    Ok(())
}

/// Sub-folders and live components inside a folder.
pub fn count_folder_contents(conn: &mut DbConnection, id: &FolderId) -> Result<i64> {
    let sub: i64 = folders::table
        .filter(folders::parent_id.eq(id))
        .count()
        .get_result(conn)?;
    let live: i64 = components::table
        .filter(components::folder_id.eq(id))
        .filter(components::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(sub + live)
}

/// Whether any component, deleted ones included, still sits in the folder.
pub fn folder_has_any_component(conn: &mut DbConnection, id: &FolderId) -> Result<bool> {
    let n: i64 = components::table
        .filter(components::folder_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn delete_folder(conn: &mut DbConnection, folder: &Folder) -> Result<()> {
    diesel::delete(folders::table.find(&folder.id)).execute(conn)?;
    Ok(())
}

pub fn insert_component(conn: &mut DbConnection, component: &Component) -> Result<()> {
    diesel::insert_into(components::table)
        .values(component)
        .execute(conn)?;
    Ok(())
}

/// A live component of the account (`None` for other accounts' ids and deleted ones).
pub fn find_component_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &ComponentId,
) -> Result<Option<Component>> {
    Ok(components::table
        .filter(components::account_id.eq(account_id))
        .filter(components::id.eq(id))
        .filter(components::deleted_at.is_null())
        .select(Component::as_select())
        .first(conn)
        .optional()?)
}

/// Live components of the account among these ids (one query).
pub fn list_components_by_ids(
    conn: &mut DbConnection,
    account_id: &AccountId,
    ids: &[ComponentId],
) -> Result<Vec<Component>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(components::table
        .filter(components::account_id.eq(account_id))
        .filter(components::id.eq_any(ids))
        .filter(components::deleted_at.is_null())
        .select(Component::as_select())
        .load(conn)?)
}

pub fn update_component(
    conn: &mut DbConnection,
    component: &Component,
    changes: &ComponentChanges<'_>,
) -> Result<()> {
    diesel::update(components::table.find(&component.id))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

/// Records whether a component has a shareable, live package.
pub fn set_shareable_package(
    conn: &mut DbConnection,
    component: &Component,
    packaged: bool,
) -> Result<()> {
    diesel::update(components::table.find(&component.id))
        .set(components::shareable_package.eq(packaged))
        .execute(conn)?;
    Ok(())
}

pub fn mark_component_deleted(
    conn: &mut DbConnection,
    component: &Component,
    at: NaiveDateTime,
) -> Result<()> {
    diesel::update(components::table.find(&component.id))
        .set(components::deleted_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// Filters of the Build page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ComponentFilter {
    /// Lower-cased text the name must contain.
    pub name_contains: Option<String>,
    pub component_type: Option<String>,
    pub folder_id: Option<FolderId>,
    /// Keyset cursor: names after this (name_key, id).
    pub after: Option<(String, String)>,
    /// Keyset cursor: the names just before this (name_key, id), for the page before a page;
    /// read backwards, then given in name order.
    pub before: Option<(String, String)>,
}

impl ComponentFilter {
    /// `ASC` in name order, `DESC` when reading back from [`ComponentFilter::before`].
    pub fn direction(&self) -> &'static str {
        if self.before.is_some() { "DESC" } else { "ASC" }
    }
}

/// One page of the account's live components by name.
pub fn list_components(
    conn: &mut DbConnection,
    account_id: &AccountId,
    filter: &ComponentFilter,
    limit: i64,
) -> Result<Vec<ComponentSummary>> {
    use super::name_search::{Found, search};
    let among = match search(conn, account_id, filter, limit)? {
        Found::Page(page) => return Ok(in_name_order(filter, page)),
        Found::Among(ids) => Some(ids),
        Found::Unknown => None,
    };
    let mut query = components::table
        .filter(components::account_id.eq(account_id))
        .filter(components::deleted_at.is_null())
        .select(SUMMARY)
        .into_boxed();
    if let Some(text) = &filter.name_contains {
        // Tested on each row read in name order (`|| ''` keeps PostgreSQL's planner from
        // turning to the trigram index on its own: its guess of how many names hold a text can
        // be off a thousandfold, and `name_search` has already made that choice).
        query = query.filter(
            components::name_key
                .concat("")
                .like(super::contains_pattern(text))
                .escape('\\'),
        );
    }
    let sorted_here = among.is_some();
    if let Some(ids) = among {
        query = query.filter(components::id.eq_any(ids));
    }
    if let Some(kind) = &filter.component_type {
        query = query.filter(components::component_type.eq(kind.clone()));
    }
    if let Some(folder) = &filter.folder_id {
        query = query.filter(components::folder_id.eq(folder.clone()));
    }
    if let Some((name_key, id)) = &filter.after {
        query = query.filter(
            components::name_key
                .gt(name_key.clone())
                .or(components::name_key
                    .eq(name_key.clone())
                    .and(components::id.gt(id.clone()))),
        );
    }
    if let Some((name_key, id)) = &filter.before {
        query = query.filter(
            components::name_key
                .lt(name_key.clone())
                .or(components::name_key
                    .eq(name_key.clone())
                    .and(components::id.lt(id.clone()))),
        );
    }
    // The few candidates are fetched by id and sorted; an order no index gives keeps the
    // planner from walking the account's components in name order to meet them instead.
    query = match (sorted_here, filter.before.is_some()) {
        (true, false) => query.order((components::name_key.concat("").asc(), components::id.asc())),
        (true, true) => query.order((
            components::name_key.concat("").desc(),
            components::id.desc(),
        )),
        (false, false) => query.order((components::name_key.asc(), components::id.asc())),
        (false, true) => query.order((components::name_key.desc(), components::id.desc())),
    };
    Ok(in_name_order(filter, query.limit(limit).load(conn)?))
}

/// A page read backwards (see [`ComponentFilter::before`]) turned back into name order.
fn in_name_order(
    filter: &ComponentFilter,
    mut page: Vec<ComponentSummary>,
) -> Vec<ComponentSummary> {
    if filter.before.is_some() {
        page.reverse();
    }
    page
}

/// Live components of some types, by name (for the selects of the forms).
pub fn list_components_of_types(
    conn: &mut DbConnection,
    account_id: &AccountId,
    types: &[&str],
) -> Result<Vec<ComponentSummary>> {
    Ok(components::table
        .filter(components::account_id.eq(account_id))
        .filter(components::deleted_at.is_null())
        .filter(components::component_type.eq_any(types))
        .order((components::name_key.asc(), components::id.asc()))
        .select(SUMMARY)
        .load(conn)?)
}

/// The account's live connections with their bodies, by name (at most `limit`).
pub fn list_connections(
    conn: &mut DbConnection,
    account_id: &AccountId,
    limit: i64,
) -> Result<Vec<Component>> {
    Ok(components::table
        .filter(components::account_id.eq(account_id))
        .filter(components::deleted_at.is_null())
        .filter(components::component_type.eq("connection"))
        .order((components::name_key.asc(), components::id.asc()))
        .limit(limit)
        .select(Component::as_select())
        .load(conn)?)
}

pub fn insert_revision(conn: &mut DbConnection, revision: &Revision) -> Result<()> {
    diesel::insert_into(component_revisions::table)
        .values(revision)
        .execute(conn)?;
    Ok(())
}

/// The latest revisions of a component, newest first.
pub fn list_revisions(
    conn: &mut DbConnection,
    component_id: &ComponentId,
    limit: i64,
) -> Result<Vec<Revision>> {
    Ok(component_revisions::table
        .filter(component_revisions::component_id.eq(component_id))
        .order(component_revisions::revision.desc())
        .limit(limit)
        .select(Revision::as_select())
        .load(conn)?)
}

/// Replaces the outgoing references of a component.
pub fn replace_refs(
    conn: &mut DbConnection,
    account_id: &AccountId,
    from_id: &ComponentId,
    to_ids: &[ComponentId],
) -> Result<()> {
    diesel::delete(component_refs::table.filter(component_refs::from_id.eq(from_id)))
        .execute(conn)?;
    let refs: Vec<(ComponentId, ComponentId)> = to_ids
        .iter()
        .map(|to| (from_id.to_owned(), to.clone()))
        .collect();
    insert_refs(conn, account_id, &refs)
}

/// Replaces the outgoing references of several components at once: one delete, then the new
/// references in batches.
pub fn replace_refs_of_many(
    conn: &mut DbConnection,
    account_id: &AccountId,
    from_ids: &[ComponentId],
    refs: &[(ComponentId, ComponentId)],
) -> Result<()> {
    for chunk in from_ids.chunks(500) {
        diesel::delete(component_refs::table.filter(component_refs::from_id.eq_any(chunk)))
            .execute(conn)?;
    }
    insert_refs(conn, account_id, refs)
}

/// The live components that reference a component.
pub fn list_referrers(
    conn: &mut DbConnection,
    account_id: &AccountId,
    to_id: &ComponentId,
) -> Result<Vec<ComponentSummary>> {
    Ok(component_refs::table
        .inner_join(components::table.on(components::id.eq(component_refs::from_id)))
        .filter(component_refs::account_id.eq(account_id))
        .filter(components::account_id.eq(account_id))
        .filter(component_refs::to_id.eq(to_id))
        .filter(components::deleted_at.is_null())
        .order(components::name_key.asc())
        .select(SUMMARY)
        .load(conn)?)
}

/// The references leaving any of these components (one query per level of a walk).
pub fn list_refs_from(
    conn: &mut DbConnection,
    from_ids: &[ComponentId],
) -> Result<Vec<(ComponentId, ComponentId)>> {
    if from_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(component_refs::table
        .filter(component_refs::from_id.eq_any(from_ids))
        .select((component_refs::from_id, component_refs::to_id))
        .load(conn)?)
}

/// Moves the deleted components of a folder elsewhere, so that the folder can go.
pub fn move_deleted_components(
    conn: &mut DbConnection,
    from_folder: &str,
    to_folder: &str,
) -> Result<()> {
    diesel::update(
        components::table
            .filter(components::folder_id.eq(from_folder))
            .filter(components::deleted_at.is_not_null()),
    )
    .set(components::folder_id.eq(to_folder))
    .execute(conn)?;
    Ok(())
}

/// Inserts components in batches.
pub fn insert_components(conn: &mut DbConnection, rows: &[Component]) -> Result<()> {
    for chunk in rows.chunks(100) {
        super::per_backend!(conn, |c| diesel::insert_into(components::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Inserts revision rows in batches.
pub fn insert_revisions(conn: &mut DbConnection, rows: &[Revision]) -> Result<()> {
    for chunk in rows.chunks(100) {
        super::per_backend!(conn, |c| diesel::insert_into(component_revisions::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Inserts references (from, to) in batches.
pub fn insert_refs(
    conn: &mut DbConnection,
    account_id: &AccountId,
    refs: &[(ComponentId, ComponentId)],
) -> Result<()> {
    for chunk in refs.chunks(200) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(from, to)| {
                (
                    component_refs::account_id.eq(account_id),
                    component_refs::from_id.eq(from.as_str()),
                    component_refs::to_id.eq(to.as_str()),
                )
            })
            .collect();
        super::per_backend!(conn, |c| diesel::insert_into(component_refs::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}
