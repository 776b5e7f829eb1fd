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
    PublisherSaved,
    Published,
    Republished,
    MultiPublished,
    GroupCreated,
    GroupRenamed,
    GroupDeleted,
    GroupAccountAdded,
    GroupAccountRemoved,
    GroupUserAdded,
    GroupUserRemoved,
    GroupResourceAdded,
    GroupResourceRemoved,
}

impl Action {
    pub const ALL: [Action; 36] = [
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
        Action::PublisherSaved,
        Action::Published,
        Action::Republished,
        Action::MultiPublished,
        Action::GroupCreated,
        Action::GroupRenamed,
        Action::GroupDeleted,
        Action::GroupAccountAdded,
        Action::GroupAccountRemoved,
        Action::GroupUserAdded,
        Action::GroupUserRemoved,
        Action::GroupResourceAdded,
        Action::GroupResourceRemoved,
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
            Self::PublisherSaved => "publisher.save",
            Self::Published => "publication.publish",
            Self::Republished => "publication.republish",
            Self::MultiPublished => "publication.publish_many",
            Self::GroupCreated => "group.create",
            Self::GroupRenamed => "group.rename",
            Self::GroupDeleted => "group.delete",
            Self::GroupAccountAdded => "group.account_add",
            Self::GroupAccountRemoved => "group.account_remove",
            Self::GroupUserAdded => "group.user_add",
            Self::GroupUserRemoved => "group.user_remove",
            Self::GroupResourceAdded => "group.resource_add",
            Self::GroupResourceRemoved => "group.resource_remove",
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
            Self::PublisherSaved => "Publisher profile saved",
            Self::Published => "Published",
            Self::Republished => "Republished",
            Self::MultiPublished => "Published several",
            Self::GroupCreated => "Group created",
            Self::GroupRenamed => "Group renamed",
            Self::GroupDeleted => "Group deleted",
            Self::GroupAccountAdded => "Account added to group",
            Self::GroupAccountRemoved => "Account removed from group",
            Self::GroupUserAdded => "User added to group",
            Self::GroupUserRemoved => "User removed from group",
            Self::GroupResourceAdded => "Process shared with group",
            Self::GroupResourceRemoved => "Process removed from group",
        }
    }
}
