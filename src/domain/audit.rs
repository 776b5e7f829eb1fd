//! Audit actions and where a change came from.

/// Where a state change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Web,
    Cli,
    Api,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Cli => "cli",
            Self::Api => "api",
        }
    }
}

/// Every kind of audited change; the code is what the log stores and filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    SignOut,
    AccountCreated,
    FeatureEnabled,
    FeatureDisabled,
    UserCreated,
    UserAdded,
    UserRemoved,
    PasswordChanged,
    RoleCreated,
    RoleUpdated,
    RoleDeleted,
    FolderCreated,
    FolderRenamed,
    FolderDeleted,
    ComponentCreated,
    ComponentSaved,
    ComponentCopied,
    ComponentDeleted,
    PackageCreated,
    PackageDeleted,
    PackageRestored,
}

impl Action {
    pub const ALL: [Action; 23] = [
        Action::SignIn,
        Action::SignInFailed,
        Action::SignOut,
        Action::AccountCreated,
        Action::FeatureEnabled,
        Action::FeatureDisabled,
        Action::UserCreated,
        Action::UserAdded,
        Action::UserRemoved,
        Action::PasswordChanged,
        Action::RoleCreated,
        Action::RoleUpdated,
        Action::RoleDeleted,
        Action::FolderCreated,
        Action::FolderRenamed,
        Action::FolderDeleted,
        Action::ComponentCreated,
        Action::ComponentSaved,
        Action::ComponentCopied,
        Action::ComponentDeleted,
        Action::PackageCreated,
        Action::PackageDeleted,
        Action::PackageRestored,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::SignIn => "user.sign_in",
            Self::SignInFailed => "user.sign_in_failed",
            Self::SignOut => "user.sign_out",
            Self::AccountCreated => "account.create",
            Self::FeatureEnabled => "account.feature_enable",
            Self::FeatureDisabled => "account.feature_disable",
            Self::UserCreated => "user.create",
            Self::UserAdded => "user.add_role",
            Self::UserRemoved => "user.remove",
            Self::PasswordChanged => "user.password_change",
            Self::RoleCreated => "role.create",
            Self::RoleUpdated => "role.update",
            Self::RoleDeleted => "role.delete",
            Self::FolderCreated => "folder.create",
            Self::FolderRenamed => "folder.rename",
            Self::FolderDeleted => "folder.delete",
            Self::ComponentCreated => "component.create",
            Self::ComponentSaved => "component.save",
            Self::ComponentCopied => "component.copy",
            Self::ComponentDeleted => "component.delete",
            Self::PackageCreated => "package.create",
            Self::PackageDeleted => "package.delete",
            Self::PackageRestored => "package.restore",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SignIn => "Signed in",
            Self::SignInFailed => "Sign-in failed",
            Self::SignOut => "Signed out",
            Self::AccountCreated => "Account created",
            Self::FeatureEnabled => "Feature enabled",
            Self::FeatureDisabled => "Feature disabled",
            Self::UserCreated => "User created",
            Self::UserAdded => "Role granted",
            Self::UserRemoved => "User removed",
            Self::PasswordChanged => "Password changed",
            Self::RoleCreated => "Role created",
            Self::RoleUpdated => "Role updated",
            Self::RoleDeleted => "Role deleted",
            Self::FolderCreated => "Folder created",
            Self::FolderRenamed => "Folder renamed",
            Self::FolderDeleted => "Folder deleted",
            Self::ComponentCreated => "Component created",
            Self::ComponentSaved => "Component saved",
            Self::ComponentCopied => "Component copied",
            Self::ComponentDeleted => "Component deleted",
            Self::PackageCreated => "Packaged component created",
            Self::PackageDeleted => "Packaged component deleted",
            Self::PackageRestored => "Packaged component restored",
        }
    }
}
