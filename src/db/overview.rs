//! The figures of Manage > Overview: what a partner publishes and who installs it, what a
//! customer installed.

use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};

use super::DbConnection;
use super::browse::Installation;
use super::ids::AccountId;
use super::jobs::Job;
use super::library::PublishedProcess;
use super::schema::{account_groups, accounts, installations, jobs, published_processes};
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

/// A partner's figures.
#[derive(Debug, Clone, Default)]
pub struct PartnerFigures {
    /// Processes in its library (API services excluded), of which deprecated.
    pub published: i64,
    pub deprecated: i64,
    /// Installations of them, over all its managed accounts.
    pub installs: i64,
    pub managed_accounts: i64,
    /// Account groups, All Accounts included.
    pub groups: i64,
}

pub fn partner_figures(conn: &mut DbConnection, account_id: &AccountId) -> Result<PartnerFigures> {
    let (published, installs): (i64, Option<i64>) = published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(super::library::in_libraries())
        .select((
            count_star(),
            // A sum of BIGINT is NUMERIC on PostgreSQL: cast back, the same on both.
            sql::<Nullable<BigInt>>("CAST(SUM(install_count) AS BIGINT)"),
        ))
        .first(conn)?;
    let deprecated = published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(super::library::in_libraries())
        .filter(published_processes::deprecated_at.is_not_null())
        .count()
        .get_result(conn)?;
    let managed_accounts = accounts::table
        .filter(accounts::parent_id.eq(account_id))
        .count()
        .get_result(conn)?;
    let groups = account_groups::table
        .filter(account_groups::account_id.eq(account_id))
        .count()
        .get_result(conn)?;
    Ok(PartnerFigures {
        published,
        deprecated,
        installs: installs.unwrap_or(0),
        managed_accounts,
        groups,
    })
}

/// The partner's processes most installed, then by name (at most `limit`).
pub fn most_installed(
    conn: &mut DbConnection,
    account_id: &AccountId,
    limit: i64,
) -> Result<Vec<PublishedProcess>> {
    Ok(published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(super::library::in_libraries())
        .order((
            published_processes::install_count.desc(),
            published_processes::id,
        ))
        .select(PublishedProcess::as_select())
        .limit(limit)
        .load(conn)?)
}

/// The partner's processes (API services excluded, as in the figures) last published, newest
/// first (at most `limit`).
pub fn last_published(
    conn: &mut DbConnection,
    account_id: &AccountId,
    limit: i64,
) -> Result<Vec<PublishedProcess>> {
    Ok(published_processes::table
        .filter(published_processes::account_id.eq(account_id))
        .filter(super::library::in_libraries())
        .order((
            published_processes::latest_published_at.desc(),
            published_processes::id,
        ))
        .select(PublishedProcess::as_select())
        .limit(limit)
        .load(conn)?)
}

/// The account's latest jobs, newest first (at most `limit`).
pub fn latest_jobs(
    conn: &mut DbConnection,
    account_id: &AccountId,
    limit: i64,
) -> Result<Vec<Job>> {
    Ok(jobs::table
        .filter(jobs::account_id.eq(account_id))
        .order(jobs::created_at.desc())
        .select(Job::as_select())
        .limit(limit)
        .load(conn)?)
}

/// How many installations a customer made, and its latest (at most `limit`), newest first.
pub fn latest_installations(
    conn: &mut DbConnection,
    account_id: &AccountId,
    limit: i64,
) -> Result<(i64, Vec<Installation>)> {
    let count = installations::table
        .filter(installations::account_id.eq(account_id))
        .count()
        .get_result(conn)?;
    let latest = installations::table
        .filter(installations::account_id.eq(account_id))
        .order((installations::installed_at.desc(), installations::id))
        .select(Installation::as_select())
        .limit(limit)
        .load(conn)?;
    Ok((count, latest))
}
