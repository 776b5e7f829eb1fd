//! Browse: a managed account's library, the View page, Install, and the lineage of installed
//! copies.

pub mod install;
pub mod library;
pub mod lineage;
pub mod model;
pub mod source;
pub mod update;

use crate::db::ids::AccountId;
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::services::Caller;

/// The primary account whose library the caller's account sees (`None` for primary accounts).
pub fn primary_of(conn: &mut DbConnection, caller: &Caller) -> Result<Option<AccountId>, AppError> {
    Ok(db::accounts::get_account(conn, caller.account_id())?.parent_id)
}
