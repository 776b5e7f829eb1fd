//! The data generation: a counter that database triggers move, in the same transaction, with
//! every change to what instances cache in memory (accounts, roles, groups, publications,
//! installations). A cached value built at generation `g` is current while the counter is `g`.

use diesel::prelude::*;

use super::DbConnection;
use super::schema::generations;
use crate::error::AppError;

/// The counter as committed now.
pub fn current(conn: &mut DbConnection) -> Result<i64, AppError> {
    Ok(generations::table
        .find(1)
        .select(generations::value)
        .first(conn)?)
}

/// The counter as a scalar subquery, to read it in the same statement as something else.
pub fn current_value() -> diesel::dsl::SingleValue<
    diesel::dsl::Select<diesel::dsl::Find<generations::table, i32>, generations::value>,
> {
    generations::table
        .find(1)
        .select(generations::value)
        .single_value()
}

/// The tables whose every insert, update and delete moves the generation (by triggers, on
/// both backends): everything an instance caches is built from these.
pub const TRACKED: &[&str] = &[
    "accounts",
    "roles",
    "user_roles",
    "account_groups",
    "group_members",
    "group_users",
    "group_resources",
    "published_processes",
    "publications",
    "publisher_profiles",
    "installations",
    "folders",
    "components",
];

/// The tables that move no generation, each with the reason no cache depends on its changes.
/// A new table must join one of the two lists (a test fails otherwise).
pub const UNTRACKED: &[(&str, &str)] = &[
    (
        "users",
        "caches hold a user's e-mail and name, which never change; password changes end sessions",
    ),
    (
        "data_migrations",
        "written once per one-off migration at start-up, never cached",
    ),
    (
        "invitations",
        "read from the database on the Users and Account Information pages; accepting one writes user_roles",
    ),
    (
        "sessions",
        "read with the generation on every request, never cached",
    ),
    (
        "audit_events",
        "read from the database on each Audit Log page",
    ),
    (
        "component_revisions",
        "a component's history is read on its page; saving a revision also updates the component",
    ),
    (
        "component_refs",
        "written with the component whose body holds the references",
    ),
    (
        "packages",
        "Deploy pages read them; packaging updates the component's shareable flag",
    ),
    (
        "package_components",
        "a manifest never changes once written (cached without a generation)",
    ),
    (
        "installed_components",
        "written in the transaction of their installation",
    ),
    ("generations", "the counter itself"),
    (
        "component_search_rows",
        "SQLite's row numbers of the name search index, kept by triggers on components",
    ),
    (
        "component_names",
        "SQLite's search index of component names (with its own tables), kept by triggers",
    ),
];
