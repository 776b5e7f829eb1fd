//! Writing and reading the audit log.

use crate::db::audit::{AuditEvent, AuditFilter};
use crate::db::ids::*;
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::{Action, Source};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;

/// What a change did, to be recorded in the transaction that made it.
pub struct Entry<'a> {
    pub account_id: Option<&'a str>,
    pub action: Action,
    pub target_type: &'a str,
    pub target_id: Option<&'a str>,
    pub summary: String,
}

/// Who made a change and from where.
pub struct By<'a> {
    pub user_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub source: Source,
    pub client_addr: Option<&'a str>,
}

impl<'a> From<&'a Caller> for By<'a> {
    fn from(caller: &'a Caller) -> Self {
        Self {
            user_id: Some(caller.user_id()),
            email: Some(caller.email()),
            source: caller.source(),
            client_addr: caller.client_addr(),
        }
    }
}

/// Appends one event; call it inside the transaction of the change.
pub fn record(conn: &mut DbConnection, by: &By<'_>, entry: Entry<'_>) -> Result<(), AppError> {
    db::audit::insert(
        conn,
        &AuditEvent {
            id: db::new_id(),
            account_id: entry.account_id.map(str::to_owned).map(AccountId::from),
            actor_id: by.user_id.map(str::to_owned),
            actor_email: by.email.map(str::to_owned),
            action: entry.action.code().to_owned(),
            target_type: entry.target_type.to_owned(),
            target_id: entry.target_id.map(str::to_owned),
            summary: entry.summary,
            source: by.source.code().to_owned(),
            client_addr: by.client_addr.map(str::to_owned),
            created_at: db::now(),
        },
    )
}

/// One page of the current account's audit log (View Audit Logs), newest first.
pub fn list(ctx: &Ctx, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditEvent>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::ViewAuditLogs)?;
    ctx.read(|conn| db::audit::list_for_account(conn, caller.account_id(), filter, limit))
}
