//! Multi-row inserts for loading large worlds (the benchmark seed): each call writes its rows
//! in chunks, one statement per chunk.

use diesel::prelude::*;

use super::DbConnection;
use super::accounts::{NewAccount, NewUser};
use super::build::{Component, Folder, Revision};
use super::deploy::{Package, PackagedComponent};
use super::groups::AccountGroup;
use super::ids::{GroupId, ProcessId};
use super::library::{Publication, PublishedProcess};
use super::schema::{
    account_groups, accounts, folders, group_members, group_resources, package_components,
    packages, publications, published_processes, user_roles, users,
};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

/// Rows per statement: below SQLite's limit of bound parameters for the widest table.
const CHUNK: usize = 500;

macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {{
        for chunk in $rows.chunks(CHUNK) {
            super::per_backend!($conn, |c| diesel::insert_into($table)
                .values(chunk)
                .execute(c))?;
        }
        Ok(())
    }};
}

pub fn accounts(conn: &mut DbConnection, rows: &[NewAccount<'_>]) -> Result<()> {
    insert_all!(conn, accounts::table, rows)
}

pub fn users(conn: &mut DbConnection, rows: &[NewUser<'_>]) -> Result<()> {
    insert_all!(conn, users::table, rows)
}

/// (user, account, role, at) rows.
pub fn user_roles(
    conn: &mut DbConnection,
    rows: &[(String, String, String, chrono::NaiveDateTime)],
) -> Result<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|(u, a, r, at)| {
            (
                user_roles::user_id.eq(u),
                user_roles::account_id.eq(a),
                user_roles::role_id.eq(r),
                user_roles::created_at.eq(at),
            )
        })
        .collect();
    insert_all!(conn, user_roles::table, values)
}

pub fn folders(conn: &mut DbConnection, rows: &[Folder]) -> Result<()> {
    insert_all!(conn, folders::table, rows)
}

pub fn components(conn: &mut DbConnection, rows: &[Component]) -> Result<()> {
    super::build::insert_components(conn, rows)
}

pub fn revisions(conn: &mut DbConnection, rows: &[Revision]) -> Result<()> {
    super::build::insert_revisions(conn, rows)
}

pub fn packages(conn: &mut DbConnection, rows: &[Package]) -> Result<()> {
    insert_all!(conn, packages::table, rows)
}

pub fn package_components(conn: &mut DbConnection, rows: &[PackagedComponent]) -> Result<()> {
    insert_all!(conn, package_components::table, rows)
}

pub fn published_processes(conn: &mut DbConnection, rows: &[PublishedProcess]) -> Result<()> {
    insert_all!(conn, published_processes::table, rows)
}

pub fn publications(conn: &mut DbConnection, rows: &[Publication]) -> Result<()> {
    insert_all!(conn, publications::table, rows)
}

pub fn groups(conn: &mut DbConnection, rows: &[AccountGroup]) -> Result<()> {
    insert_all!(conn, account_groups::table, rows)
}

/// (group, account, at) rows.
pub fn group_members(
    conn: &mut DbConnection,
    rows: &[(GroupId, String, chrono::NaiveDateTime)],
) -> Result<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|(g, a, at)| {
            (
                group_members::group_id.eq(g),
                group_members::account_id.eq(a),
                group_members::added_at.eq(at),
            )
        })
        .collect();
    insert_all!(conn, group_members::table, values)
}

/// (group, published process, at) rows.
pub fn group_resources(
    conn: &mut DbConnection,
    rows: &[(GroupId, ProcessId, chrono::NaiveDateTime)],
) -> Result<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|(g, p, at)| {
            (
                group_resources::group_id.eq(g),
                group_resources::published_process_id.eq(p),
                group_resources::added_at.eq(at),
            )
        })
        .collect();
    insert_all!(conn, group_resources::table, values)
}

/// Refreshes the planner's statistics after a large load (both backends know `ANALYZE`).
pub fn analyze(conn: &mut DbConnection) -> Result<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("ANALYZE").map_err(AppError::from)
}
