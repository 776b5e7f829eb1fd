//! Accounts, roles and privileges: the vocabulary of SPEC §1–2 as plain types.

use std::fmt;

/// Whether an account is an integration partner or one of its customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Primary,
    Managed,
}

impl AccountKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Managed => "managed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "primary" => Some(Self::Primary),
            "managed" => Some(Self::Managed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Primary => "Primary account",
            Self::Managed => "Managed account",
        }
    }
}

/// How an account publishes (SPEC §6.3): from shareable packages (*Packaged*, the default) or
/// straight from its components' latest revisions (*Legacy*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum DeploymentModel {
    #[default]
    Packaged,
    Legacy,
}

impl DeploymentModel {
    pub fn code(self) -> &'static str {
        match self {
            Self::Packaged => "packaged",
            Self::Legacy => "legacy",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "packaged" => Some(Self::Packaged),
            "legacy" => Some(Self::Legacy),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Packaged => "Packaged components",
            Self::Legacy => "Legacy",
        }
    }
}

/// An optional capability the operator switches on per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    ProcessLibrary,
    /// Integration packs (requires the Process Library).
    IntegrationPacks,
}

impl Feature {
    pub const ALL: [Feature; 2] = [Feature::ProcessLibrary, Feature::IntegrationPacks];

    pub fn code(self) -> &'static str {
        match self {
            Self::ProcessLibrary => "process-library",
            Self::IntegrationPacks => "integration-packs",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ProcessLibrary => "Process Library",
            Self::IntegrationPacks => "Integration Packs",
        }
    }
}

/// The set of features stored as a space-separated list of codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features(Vec<Feature>);

impl Features {
    pub fn parse(text: &str) -> Self {
        let mut features: Vec<Feature> = text
            .split_whitespace()
            .filter_map(Feature::from_code)
            .collect();
        features.dedup();
        Self(features)
    }

    pub fn has(&self, feature: Feature) -> bool {
        self.0.contains(&feature)
    }

    pub fn with(mut self, feature: Feature, on: bool) -> Self {
        self.0.retain(|f| *f != feature);
        if on {
            self.0.push(feature);
        }
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = Feature> + '_ {
        self.0.iter().copied()
    }

    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|f| f.code())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One privilege of SPEC §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Privilege {
    BuildRead,
    BuildWrite,
    PackagedComponentManagement,
    ProcessLibrary,
    AccountGroupManagement,
    UserManagement,
    AccountAdministration,
    ViewAuditLogs,
    IntegrationPack,
}

impl Privilege {
    pub const ALL: [Privilege; 9] = [
        Privilege::BuildRead,
        Privilege::BuildWrite,
        Privilege::PackagedComponentManagement,
        Privilege::ProcessLibrary,
        Privilege::AccountGroupManagement,
        Privilege::UserManagement,
        Privilege::AccountAdministration,
        Privilege::ViewAuditLogs,
        Privilege::IntegrationPack,
    ];

    /// The stable code stored in the database and used in form field names.
    pub fn code(self) -> &'static str {
        match self {
            Self::BuildRead => "build_read",
            Self::BuildWrite => "build_write",
            Self::PackagedComponentManagement => "packaged_component_management",
            Self::ProcessLibrary => "process_library",
            Self::AccountGroupManagement => "account_group_management",
            Self::UserManagement => "user_management",
            Self::AccountAdministration => "account_administration",
            Self::ViewAuditLogs => "view_audit_logs",
            Self::IntegrationPack => "integration_pack",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The name users see (and the label of its checkbox).
    pub fn label(self) -> &'static str {
        match self {
            Self::BuildRead => "Build Read Access",
            Self::BuildWrite => "Build Read and Write Access",
            Self::PackagedComponentManagement => "Packaged Component Management",
            Self::ProcessLibrary => "Process Library",
            Self::AccountGroupManagement => "Account Group Management",
            Self::UserManagement => "User Management",
            Self::AccountAdministration => "Account Administration",
            Self::ViewAuditLogs => "View Audit Logs",
            Self::IntegrationPack => "Integration Pack",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of privileges, stored as a space-separated list of codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Privileges(u16);

impl Privileges {
    pub fn none() -> Self {
        Self(0)
    }

    pub fn of(list: &[Privilege]) -> Self {
        list.iter().fold(Self::none(), |set, p| set.with(*p))
    }

    pub fn parse(text: &str) -> Self {
        text.split_whitespace()
            .filter_map(Privilege::from_code)
            .fold(Self::none(), |set, p| set.with(p))
    }

    pub fn with(self, privilege: Privilege) -> Self {
        Self(self.0 | privilege.bit())
    }

    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub fn has(self, privilege: Privilege) -> bool {
        self.0 & privilege.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Privilege> {
        Privilege::ALL.into_iter().filter(move |p| self.has(*p))
    }

    pub fn to_text(self) -> String {
        self.iter().map(|p| p.code()).collect::<Vec<_>>().join(" ")
    }
}

impl fmt::Display for Privileges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let labels: Vec<&str> = self.iter().map(|p| p.label()).collect();
        f.write_str(&labels.join(", "))
    }
}

/// The four roles every account has, with fixed ids so that they are the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltInRole {
    Administrator,
    StandardUser,
    ProductionSupport,
    Support,
}

impl BuiltInRole {
    pub const ALL: [BuiltInRole; 4] = [
        BuiltInRole::Administrator,
        BuiltInRole::StandardUser,
        BuiltInRole::ProductionSupport,
        BuiltInRole::Support,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::Administrator => "00000000-0000-4000-8000-000000000001",
            Self::StandardUser => "00000000-0000-4000-8000-000000000002",
            Self::ProductionSupport => "00000000-0000-4000-8000-000000000003",
            Self::Support => "00000000-0000-4000-8000-000000000004",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Administrator => "Administrator",
            Self::StandardUser => "Standard User",
            Self::ProductionSupport => "Production Support",
            Self::Support => "Support",
        }
    }

    pub fn privileges(self) -> Privileges {
        use Privilege::*;
        match self {
            Self::Administrator => Privileges::of(&Privilege::ALL),
            Self::StandardUser => Privileges::of(&[
                BuildRead,
                BuildWrite,
                PackagedComponentManagement,
                ProcessLibrary,
            ]),
            Self::ProductionSupport | Self::Support => Privileges::of(&[BuildRead]),
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(name.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileges_round_trip_through_their_codes() {
        let set = Privileges::of(&[Privilege::BuildRead, Privilege::ViewAuditLogs]);
        assert_eq!(Privileges::parse(&set.to_text()), set);
        assert!(set.has(Privilege::ViewAuditLogs));
        assert!(!set.has(Privilege::BuildWrite));
    }

    #[test]
    fn built_in_roles_match_the_privilege_table() {
        assert!(
            BuiltInRole::Administrator
                .privileges()
                .has(Privilege::ViewAuditLogs)
        );
        assert!(
            BuiltInRole::StandardUser
                .privileges()
                .has(Privilege::ProcessLibrary)
        );
        assert!(
            !BuiltInRole::StandardUser
                .privileges()
                .has(Privilege::UserManagement)
        );
        assert_eq!(BuiltInRole::Support.privileges().iter().count(), 1);
    }

    #[test]
    fn features_toggle_without_duplicates() {
        let f = Features::parse("process-library process-library bogus");
        assert!(f.has(Feature::ProcessLibrary));
        assert_eq!(
            f.clone().with(Feature::ProcessLibrary, true).to_text(),
            "process-library"
        );
        assert_eq!(f.with(Feature::ProcessLibrary, false).to_text(), "");
    }
}
