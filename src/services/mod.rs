//! Use-cases: one function = one transaction = one authorization decision.
//! Services are synchronous; the web layer runs them off the async workers.

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod browse;
pub mod build;
pub mod cache;
pub mod clock;
pub mod context;
pub mod deploy;
pub mod groups;
pub mod jobs;
pub mod library;
pub mod library_code;
pub mod overview;
pub mod pack_instances;
pub mod pack_releases;
pub mod packs;
pub mod passwords;
pub mod platform;
pub mod secrets;
pub mod throttle;

pub use context::{Ctx, Instance};

use crate::db::accounts::Account;
use crate::db::ids::{AccountId, UserId};
use crate::domain::accounts::{
    AccountKind, BuiltInRole, DeploymentModel, Feature, Features, Privilege, Privileges,
};
use crate::domain::audit::Source;
use crate::error::AppError;

/// Whether a caller may use the current account's Process Library (publishing, the Publisher
/// tab, Manage > Process Library).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibraryAccess {
    Open,
    /// A managed account has a library to browse, not one to publish.
    ManagedAccount,
    /// The operator has not switched the feature on.
    FeatureOff,
    /// The caller's roles lack the Process Library privilege.
    NoPrivilege,
}

/// Who is asking, in which account, with which privileges there. Made only from a signed-in
/// session ([`Caller::signed_in`]) or for the operator at the command line
/// ([`Caller::operator`]); nothing changes it afterwards.
#[derive(Debug, Clone)]
pub struct Caller {
    user_id: UserId,
    email: String,
    account_id: AccountId,
    account_kind: AccountKind,
    features: Features,
    deployment_model: DeploymentModel,
    privileges: Privileges,
    source: Source,
    client_addr: Option<String>,
}

impl Caller {
    /// A signed-in user in the current account of their session, with the privileges and
    /// features resolved there (the web layer's session extractor).
    pub(crate) fn signed_in(
        user_id: &UserId,
        email: &str,
        access: &accounts::Access,
        client_addr: &str,
    ) -> Self {
        Self {
            user_id: user_id.clone(),
            email: email.to_owned(),
            account_id: access.current.id.clone(),
            account_kind: access.kind,
            features: access.features.clone(),
            deployment_model: DeploymentModel::from_code(&access.current.deployment_model)
                .unwrap_or_default(),
            privileges: access.privileges,
            source: Source::Web,
            client_addr: Some(client_addr.to_owned()),
        }
    }

    pub fn user_id(&self) -> &UserId {
        &self.user_id
    }

    pub fn email(&self) -> &str {
        &self.email
    }

    /// The current account: every read and write of a service is scoped to it.
    pub fn account_id(&self) -> &AccountId {
        &self.account_id
    }

    pub fn account_kind(&self) -> AccountKind {
        self.account_kind
    }

    pub fn features(&self) -> &Features {
        &self.features
    }

    pub fn privileges(&self) -> Privileges {
        self.privileges
    }

    /// How the current account publishes.
    pub fn deployment_model(&self) -> DeploymentModel {
        self.deployment_model
    }

    pub fn source(&self) -> Source {
        self.source
    }

    pub fn client_addr(&self) -> Option<&str> {
        self.client_addr.as_deref()
    }

    /// A personal access token's user in the account of the request's path, with the
    /// privileges and features resolved there (the JSON API); audited as coming from the API.
    pub(crate) fn by_token(
        user_id: &UserId,
        email: &str,
        access: &accounts::Access,
        client_addr: &str,
    ) -> Self {
        let mut caller = Self::signed_in(user_id, email, access, client_addr);
        caller.source = Source::Api;
        caller
    }

    /// The operator at the command line, acting in an account with an administrator's
    /// privileges (the demo world, imports); audited as coming from the command line.
    pub fn operator(account: &Account, email: &str) -> Self {
        Self {
            user_id: UserId::default(),
            email: email.to_owned(),
            account_id: account.id.clone(),
            account_kind: AccountKind::from_code(&account.kind).unwrap_or(AccountKind::Managed),
            features: Features::parse(&account.features),
            deployment_model: DeploymentModel::from_code(&account.deployment_model)
                .unwrap_or_default(),
            privileges: BuiltInRole::Administrator.privileges(),
            source: Source::Cli,
            client_addr: None,
        }
    }

    /// A partner's user installing into one of its managed accounts on its behalf (Install for
    /// Accounts, done by a background worker): Build privileges there, nothing else.
    pub fn on_behalf(user_id: &str, email: &str, account: &Account) -> Self {
        Self {
            user_id: UserId::from(user_id.to_owned()),
            email: email.to_owned(),
            account_id: account.id.clone(),
            account_kind: AccountKind::Managed,
            features: Features::parse(&account.features),
            deployment_model: DeploymentModel::from_code(&account.deployment_model)
                .unwrap_or_default(),
            privileges: Privileges::of(&[Privilege::BuildRead, Privilege::BuildWrite]),
            source: Source::Web,
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

    /// Whether the current account's Process Library is open to the caller, and if not why:
    /// the one place that rule is written (services refuse with it, menus and the Manage page
    /// show or explain with it).
    pub fn library_access(&self) -> LibraryAccess {
        if self.account_kind != AccountKind::Primary {
            LibraryAccess::ManagedAccount
        } else if !self.features.has(Feature::ProcessLibrary) {
            LibraryAccess::FeatureOff
        } else if !self.privileges.has(Privilege::ProcessLibrary) {
            LibraryAccess::NoPrivilege
        } else {
            LibraryAccess::Open
        }
    }

    /// Whether the current account's integration packs are open to the caller (the partner's
    /// side), and if not why; the same rule as [`Caller::library_access`] for the
    /// `integration-packs` feature (which needs `process-library`) and the Integration Pack
    /// privilege.
    pub fn packs_access(&self) -> LibraryAccess {
        if self.account_kind != AccountKind::Primary {
            LibraryAccess::ManagedAccount
        } else if !self.features.has(Feature::ProcessLibrary)
            || !self.features.has(Feature::IntegrationPacks)
        {
            LibraryAccess::FeatureOff
        } else if !self.privileges.has(Privilege::IntegrationPack) {
            LibraryAccess::NoPrivilege
        } else {
            LibraryAccess::Open
        }
    }

    /// A primary account's integration packs: 404 for managed accounts, 403 without the
    /// feature or the privilege.
    pub fn require_packs(&self) -> Result<(), AppError> {
        match self.packs_access() {
            LibraryAccess::Open => Ok(()),
            LibraryAccess::ManagedAccount => Err(AppError::NotFound),
            LibraryAccess::FeatureOff => Err(AppError::Forbidden(
                "The Integration Packs feature is not enabled for this account. Contact your sales representative."
                    .to_owned(),
            )),
            LibraryAccess::NoPrivilege => Err(AppError::forbidden()),
        }
    }

    /// The Process Library of a primary account: 404 for managed accounts, 403 without the
    /// feature or the privilege.
    pub fn require_library(&self) -> Result<(), AppError> {
        match self.library_access() {
            LibraryAccess::Open => Ok(()),
            LibraryAccess::ManagedAccount => Err(AppError::NotFound),
            LibraryAccess::FeatureOff => Err(AppError::Forbidden(
                "The Process Library feature is not enabled for this account. Contact your sales representative."
                    .to_owned(),
            )),
            LibraryAccess::NoPrivilege => Err(AppError::forbidden()),
        }
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
