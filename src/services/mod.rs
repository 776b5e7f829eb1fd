//! Use-cases: one function = one transaction = one authorization decision.
//! Services are synchronous; the web layer runs them off the async workers.

pub mod accounts;
pub mod audit;
pub mod browse;
pub mod build;
pub mod cache;
pub mod clock;
pub mod context;
pub mod deploy;
pub mod groups;
pub mod library;
pub mod passwords;
pub mod secrets;
pub mod throttle;

pub use context::{Ctx, Instance};

use crate::db::accounts::Account;
use crate::db::ids::{AccountId, UserId};
use crate::domain::accounts::{AccountKind, BuiltInRole, Feature, Features, Privilege, Privileges};
use crate::domain::audit::Source;
use crate::error::AppError;

/// Who is asking, in which account, with which privileges there.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: UserId,
    pub email: String,
    pub account_id: AccountId,
    pub account_kind: AccountKind,
    pub features: Features,
    pub privileges: Privileges,
    pub source: Source,
    pub client_addr: Option<String>,
}

impl Caller {
    /// The operator at the command line, acting in an account with an administrator's
    /// privileges (the demo world, imports); audited as coming from the command line.
    pub fn operator(account: &Account, email: &str) -> Self {
        Self {
            user_id: UserId::default(),
            email: email.to_owned(),
            account_id: account.id.clone(),
            account_kind: AccountKind::from_code(&account.kind).unwrap_or(AccountKind::Managed),
            features: Features::parse(&account.features),
            privileges: BuiltInRole::Administrator.privileges(),
            source: Source::Cli,
            client_addr: None,
        }
    }

    /// Refuses (403) unless the caller holds the privilege in the current account.
    pub fn require(&self, privilege: Privilege) -> Result<(), AppError> {
        if self.privileges.has(privilege) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// The Process Library of a primary account: 404 for managed accounts, 403 without the
    /// feature or the privilege.
    pub fn require_library(&self) -> Result<(), AppError> {
        self.require_primary()?;
        if !self.features.has(Feature::ProcessLibrary) {
            return Err(AppError::Forbidden(
                "The Process Library feature is not enabled for this account. Contact your sales representative."
                    .to_owned(),
            ));
        }
        self.require(Privilege::ProcessLibrary)
    }

    /// Refuses (404, as if the page did not exist) unless the current account is a primary one.
    pub fn require_primary(&self) -> Result<(), AppError> {
        if self.account_kind == AccountKind::Primary {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}
