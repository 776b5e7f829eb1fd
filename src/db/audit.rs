//! Audit events: appended in the transaction of the change they record.

use crate::db::ids::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::audit_events;
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: String,
    pub account_id: Option<AccountId>,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub summary: String,
    pub source: String,
    pub client_addr: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, event: &AuditEvent) -> Result<()> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)?;
    Ok(())
}

/// Filters of the audit log page.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor_email: Option<String>,
    /// Keyset cursor: events strictly older than this (created_at, id).
    pub before: Option<(NaiveDateTime, String)>,
}

/// One page of an account's events, newest first, `limit` rows at most.
pub fn list_for_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let mut query = audit_events::table
        .filter(audit_events::account_id.eq(account_id))
        .select(AuditEvent::as_select())
        .into_boxed();
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(email) = &filter.actor_email {
        query = query.filter(lower(audit_events::actor_email).eq(email.to_lowercase()));
    }
    if let Some((at, id)) = &filter.before {
        query = query.filter(
            audit_events::created_at.lt(*at).or(audit_events::created_at
                .eq(*at)
                .and(audit_events::id.lt(id.clone()))),
        );
    }
    Ok(query
        .order((audit_events::created_at.desc(), audit_events::id.desc()))
        .limit(limit)
        .load(conn)?)
}
