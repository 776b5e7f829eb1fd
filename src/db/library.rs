//! Publisher profiles, published processes and their publications.

use crate::db::ids::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::build::lower;
use super::schema::{
    components, package_components, packages, publications, published_processes, publisher_profiles,
};
use crate::domain::build::ComponentType;
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = publisher_profiles)]
pub struct PublisherProfile {
    pub account_id: AccountId,
    pub publisher_name: String,
    pub publisher_email: String,
    pub publisher_url: String,
    pub support_email: String,
    pub support_url: String,
    pub updated_at: NaiveDateTime,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = published_processes)]
pub struct PublishedProcess {
    pub id: ProcessId,
    pub account_id: AccountId,
    pub component_id: ComponentId,
    pub component_type: String,
    pub name: String,
    pub name_key: String,
    pub description: String,
    pub latest_sequence: i32,
    pub latest_publication_id: PublicationId,
    pub latest_published_at: NaiveDateTime,
    pub install_count: i64,
    pub created_at: NaiveDateTime,
    /// Set while the process is deprecated.
    pub deprecated_at: Option<NaiveDateTime>,
    pub deprecation_reason: String,
    /// The published process that replaces it, if the publisher named one.
    pub successor_id: Option<ProcessId>,
    /// How many components the latest publication holds (the process and what it uses).
    pub component_count: i32,
    /// One of [`crate::domain::tags::CATEGORIES`], or empty.
    pub category: String,
    /// Up to ten tags as typed, joined by ", " (see [`crate::domain::tags`]).
    pub tags: String,
    /// The connectors of the latest publication: codes, sorted, joined by ",".
    pub connectors: String,
}

impl PublishedProcess {
    pub fn is_deprecated(&self) -> bool {
        self.deprecated_at.is_some()
    }

    /// Its tags one by one, as typed.
    pub fn tag_list(&self) -> impl Iterator<Item = &str> {
        crate::domain::tags::split(&self.tags)
    }

    /// The codes of the connectors its latest publication uses.
    pub fn connector_codes(&self) -> impl Iterator<Item = &str> {
        self.connectors.split(',').filter(|c| !c.is_empty())
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = publications)]
pub struct Publication {
    pub id: PublicationId,
    pub published_process_id: ProcessId,
    pub account_id: AccountId,
    pub sequence: i32,
    pub package_id: PackageId,
    pub description: String,
    pub include_passwords: bool,
    pub notes: String,
    pub published_by: Option<String>,
    pub published_at: NaiveDateTime,
    pub republished_from: Option<String>,
}

/// The rule of SPEC §3.5 as a filter: only processes reach a managed account's library or an
/// account group; an API Service publication exists for integration packs only. Every query
/// of a library or a group's resources goes through it.
pub fn in_libraries() -> diesel::dsl::Eq<published_processes::component_type, &'static str> {
    published_processes::component_type.eq(ComponentType::Process.code())
}

pub fn find_publisher(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Option<PublisherProfile>> {
    Ok(publisher_profiles::table
        .find(account_id)
        .select(PublisherProfile::as_select())
        .first(conn)
        .optional()?)
}

/// Creates or replaces an account's publisher profile.
/// Every publisher's name (or only `only`'s), with its account.
pub fn list_publisher_names(
    conn: &mut DbConnection,
    only: Option<&AccountId>,
) -> Result<Vec<(AccountId, String)>> {
    let mut query = publisher_profiles::table
        .select((
            publisher_profiles::account_id,
            publisher_profiles::publisher_name,
        ))
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(publisher_profiles::account_id.eq(id.to_owned()));
    }
    Ok(query.load(conn)?)
}

pub fn save_publisher(conn: &mut DbConnection, profile: &PublisherProfile) -> Result<()> {
    let updated = diesel::update(publisher_profiles::table.find(&profile.account_id))
        .set(profile)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(publisher_profiles::table)
            .values(profile)
            .execute(conn)?;
    }
    Ok(())
}

pub fn find_process_by_component(
    conn: &mut DbConnection,
    account_id: &AccountId,
    component_id: &ComponentId,
) -> Result<Option<PublishedProcess>> {
    Ok(published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(published_processes::component_id.eq(component_id))
        .select(PublishedProcess::as_select())
        .first(conn)
        .optional()?)
}

/// A published process by id, whoever publishes it (for what an installation refers to).
pub fn find_process(conn: &mut DbConnection, id: &ProcessId) -> Result<Option<PublishedProcess>> {
    Ok(published_processes::table
        .find(id)
        .select(PublishedProcess::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_process_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &ProcessId,
) -> Result<Option<PublishedProcess>> {
    Ok(published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(published_processes::id.eq(id))
        .select(PublishedProcess::as_select())
        .first(conn)
        .optional()?)
}

/// Deprecates a process (or changes its reason and successor), or makes it current again.
pub fn set_deprecation(
    conn: &mut DbConnection,
    id: &ProcessId,
    deprecated_at: Option<NaiveDateTime>,
    reason: &str,
    successor: Option<&ProcessId>,
) -> Result<()> {
    diesel::update(published_processes::table.find(id))
        .set((
            published_processes::deprecated_at.eq(deprecated_at),
            published_processes::deprecation_reason.eq(reason),
            published_processes::successor_id.eq(successor),
        ))
        .execute(conn)?;
    Ok(())
}

/// The account's published processes other than `except`, by name (successor choices).
pub fn list_processes_except(
    conn: &mut DbConnection,
    account_id: &AccountId,
    except: &ProcessId,
) -> Result<Vec<PublishedProcess>> {
    Ok(published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(in_libraries())
        .filter(published_processes::id.ne(except))
        .order((
            published_processes::name_key.asc(),
            published_processes::id.asc(),
        ))
        .select(PublishedProcess::as_select())
        .load(conn)?)
}

pub fn insert_process(conn: &mut DbConnection, process: &PublishedProcess) -> Result<()> {
    diesel::insert_into(published_processes::table)
        .values(process)
        .execute(conn)?;
    Ok(())
}

/// The bodies of the connections a package froze.
pub fn frozen_connections(conn: &mut DbConnection, package_id: &PackageId) -> Result<Vec<String>> {
    Ok(package_components::table
        .filter(package_components::package_id.eq(package_id))
        .filter(package_components::component_type.eq(ComponentType::Connection.code()))
        .select(package_components::body)
        .load(conn)?)
}

/// Points a published process at its newest publication.
pub fn set_latest(
    conn: &mut DbConnection,
    process_id: &ProcessId,
    name: &str,
    description: &str,
    publication: &Publication,
    component_count: i32,
    connectors: &str,
) -> Result<()> {
    diesel::update(published_processes::table.find(process_id))
        .set((
            published_processes::connectors.eq(connectors),
            published_processes::component_count.eq(component_count),
            published_processes::name.eq(name),
            published_processes::name_key.eq(crate::domain::validation::name_key(name)),
            published_processes::description.eq(description),
            published_processes::latest_sequence.eq(publication.sequence),
            published_processes::latest_publication_id.eq(&publication.id),
            published_processes::latest_published_at.eq(publication.published_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn insert_publication(conn: &mut DbConnection, publication: &Publication) -> Result<()> {
    diesel::insert_into(publications::table)
        .values(publication)
        .execute(conn)?;
    Ok(())
}

pub fn find_publication_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    id: &PublicationId,
) -> Result<Option<Publication>> {
    Ok(publications::table
        .filter(publications::account_id.eq(account_id))
        .filter(publications::id.eq(id))
        .select(Publication::as_select())
        .first(conn)
        .optional()?)
}

/// A page of a process's publications, newest first, below a sequence number if given.
pub fn list_publications(
    conn: &mut DbConnection,
    process_id: &ProcessId,
    below: Option<i32>,
    limit: i64,
) -> Result<Vec<(Publication, String)>> {
    let mut query = publications::table
        .inner_join(packages::table)
        .filter(publications::published_process_id.eq(process_id))
        .select((Publication::as_select(), packages::version))
        .into_boxed();
    if let Some(seq) = below {
        query = query.filter(publications::sequence.lt(seq));
    }
    Ok(query
        .order(publications::sequence.desc())
        .limit(limit)
        .load(conn)?)
}

/// Every publication of a process with its package version (for comparisons), newest first.
pub fn list_all_publications(
    conn: &mut DbConnection,
    process_id: &ProcessId,
) -> Result<Vec<(Publication, String)>> {
    list_publications(conn, process_id, None, i64::from(i32::MAX))
}

/// The sequence number of the first publication of a package, if it was ever published.
pub fn package_publication(conn: &mut DbConnection, package_id: &PackageId) -> Result<Option<i32>> {
    Ok(publications::table
        .filter(publications::package_id.eq(package_id))
        .select(publications::sequence)
        .order(publications::sequence.asc())
        .first(conn)
        .optional()?)
}

/// A component that has shareable packages, with its publication state.
#[derive(Debug, Clone, Queryable)]
pub struct PackagedProcess {
    pub component_id: ComponentId,
    pub name: String,
    pub name_key: String,
    pub component_type: String,
    pub folder_id: FolderId,
    pub published_id: Option<ProcessId>,
    pub latest_sequence: Option<i32>,
    /// The component or one it uses has a newer revision than its latest publication froze
    /// (*Published with Changes*).
    pub changed: bool,
}

/// A publish status of Manage > Process Library's filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublishStatus {
    /// Never published.
    Unpublished,
    /// Published, changed or not.
    Published,
    /// Published, and nothing has changed since its latest publication.
    Unchanged,
    /// Published, and it or one it uses has changed since (*Published with Changes*).
    Changed,
}

/// Filters of Manage > Process Library.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PackagedFilter {
    pub name_contains: Option<String>,
    pub status: Option<PublishStatus>,
    /// *Publishable Components* (Legacy): every process and API service, packaged or not;
    /// otherwise the components that have a shareable, live package.
    pub publishable: bool,
    pub component_type: Option<String>,
    pub after: Option<(String, String)>,
}

/// One page of Manage > Process Library's list, by name: the components that have a
/// shareable, live package, or under Legacy every live process and API service.
pub fn list_packaged_processes(
    conn: &mut DbConnection,
    account_id: &AccountId,
    filter: &PackagedFilter,
    limit: i64,
) -> Result<Vec<PackagedProcess>> {
    let current = diesel::alias!(components as current);
    // Whether a component frozen by the latest publication has moved on since: a correlated
    // EXISTS over the publication's manifest (its primary key) and each component's own.
    let changed = diesel::dsl::exists(
        package_components::table
            .inner_join(
                publications::table.on(publications::package_id.eq(package_components::package_id)),
            )
            .inner_join(
                current.on(current
                    .field(components::id)
                    .eq(package_components::component_id)),
            )
            .filter(
                publications::id
                    .nullable()
                    .eq(published_processes::latest_publication_id.nullable()),
            )
            .filter(
                current
                    .field(components::revision)
                    .gt(package_components::revision),
            ),
    );
    let mut query = components::table
        .left_join(
            published_processes::table.on(published_processes::account_id
                .eq(components::account_id)
                .and(published_processes::component_id.eq(components::id))),
        )
        .filter(components::account_id.eq(account_id.to_owned()))
        .filter(components::deleted_at.is_null())
        .select((
            components::id,
            components::name,
            components::name_key,
            components::component_type,
            components::folder_id,
            published_processes::id.nullable(),
            published_processes::latest_sequence.nullable(),
            changed,
        ))
        .into_boxed();
    query = if filter.publishable {
        query.filter(components::component_type.eq_any(["process", "api_service"]))
    } else {
        query.filter(components::shareable_package.eq(true))
    };
    if let Some(kind) = &filter.component_type {
        query = query.filter(components::component_type.eq(kind.clone()));
    }
    if let Some(text) = &filter.name_contains {
        query = query.filter(
            components::name_key
                .like(super::contains_pattern(text))
                .escape('\\'),
        );
    }
    match filter.status {
        Some(PublishStatus::Published) => {
            query = query.filter(published_processes::id.is_not_null())
        }
        Some(PublishStatus::Unpublished) => query = query.filter(published_processes::id.is_null()),
        Some(PublishStatus::Changed) => {
            query = query
                .filter(published_processes::id.is_not_null())
                .filter(changed)
        }
        Some(PublishStatus::Unchanged) => {
            query = query
                .filter(published_processes::id.is_not_null())
                .filter(diesel::dsl::not(changed))
        }
        None => {}
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
    Ok(query
        .order((components::name_key.asc(), components::id.asc()))
        .limit(limit)
        .load(conn)?)
}

/// The live shareable packages of a component, newest first.
pub fn list_shareable_packages(
    conn: &mut DbConnection,
    account_id: &AccountId,
    component_id: &ComponentId,
) -> Result<Vec<super::deploy::Package>> {
    Ok(packages::table
        .filter(packages::account_id.eq(account_id))
        .filter(packages::component_id.eq(component_id))
        .filter(packages::shareable.eq(true))
        .filter(packages::implicit.eq(false))
        .filter(packages::deleted_at.is_null())
        .order((packages::created_at.desc(), packages::id.desc()))
        .select(super::deploy::Package::as_select())
        .load(conn)?)
}

/// Published processes of the account not yet resources of a group, by name (processes only:
/// API services never go to groups).
pub fn list_processes_not_in_group(
    conn: &mut DbConnection,
    account_id: &AccountId,
    group_id: &GroupId,
    name_contains: Option<&str>,
    limit: i64,
) -> Result<Vec<PublishedProcess>> {
    use super::schema::group_resources;
    let in_group = group_resources::table
        .filter(group_resources::group_id.eq(group_id))
        .select(group_resources::published_process_id);
    let mut query = published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(in_libraries())
        .filter(published_processes::id.ne_all(in_group))
        .select(PublishedProcess::as_select())
        .into_boxed();
    if let Some(text) = name_contains {
        query = query.filter(
            lower(published_processes::name)
                .like(super::contains_pattern(text))
                .escape('\\'),
        );
    }
    Ok(query
        .order((
            published_processes::name_key.asc(),
            published_processes::id.asc(),
        ))
        .limit(limit)
        .load(conn)?)
}

/// Every published process and API service of the account, by name.
pub fn list_all_published(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Vec<PublishedProcess>> {
    Ok(published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .order((published_processes::name_key, published_processes::id))
        .select(PublishedProcess::as_select())
        .load(conn)?)
}

/// Sets a published process's category and tags.
pub fn set_category_and_tags(
    conn: &mut DbConnection,
    id: &ProcessId,
    category: &str,
    tags: &str,
) -> Result<()> {
    diesel::update(published_processes::table.find(id))
        .set((
            published_processes::category.eq(category),
            published_processes::tags.eq(tags),
        ))
        .execute(conn)?;
    Ok(())
}
