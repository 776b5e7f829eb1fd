//! A library as code (SPEC §6.5): `export` writes an account's folders, components, packages
//! and publications as files ([`crate::domain::library_code`]); `import` applies such a tree
//! to an account of any database through the rules of the pages, in one transaction.

mod export;
mod import;
mod tree;

pub use export::{ExportReport, export};
pub use import::{ImportReport, import};

/// The kinds of object an identity names, as `import_identities.kind` stores them.
pub(crate) mod kind {
    pub const FOLDER: &str = "folder";
    pub const COMPONENT: &str = "component";
    pub const PACKAGE: &str = "package";
    pub const PUBLISHED: &str = "published_process";
    pub const PUBLICATION: &str = "publication";
}

/// The remembered identities of an account, both ways.
#[derive(Debug, Default)]
pub(crate) struct Identities {
    /// (kind, identity) → local id.
    pub local: std::collections::HashMap<(String, String), String>,
    /// (kind, local id) → identity.
    pub identity: std::collections::HashMap<(String, String), String>,
}

impl Identities {
    pub fn from_rows(rows: Vec<crate::db::library_code::Identity>) -> Self {
        let mut ids = Self::default();
        for (kind, identity, local) in rows {
            ids.identity
                .insert((kind.clone(), local.clone()), identity.clone());
            ids.local.insert((kind, identity), local);
        }
        ids
    }

    /// The identity a local object is exported under: the one it was imported with, or its id.
    pub fn of(&self, kind: &str, local: &str) -> String {
        self.identity
            .get(&(kind.to_owned(), local.to_owned()))
            .cloned()
            .unwrap_or_else(|| local.to_owned())
    }

    /// Local component id → identity, for the components imported under another id.
    pub fn component_rewire(&self) -> std::collections::BTreeMap<String, String> {
        self.identity
            .iter()
            .filter(|((k, local), identity)| k == kind::COMPONENT && local != *identity)
            .map(|((_, local), identity)| (local.clone(), identity.clone()))
            .collect()
    }

    /// Remembers one more identity (an object this import creates).
    pub fn remember(&mut self, kind: &str, identity: &str, local: &str) {
        self.identity
            .insert((kind.to_owned(), local.to_owned()), identity.to_owned());
        self.local
            .insert((kind.to_owned(), identity.to_owned()), local.to_owned());
    }

    /// Maps an identity to a local id for this import only (never remembered).
    pub fn alias(&mut self, kind: &str, identity: &str, local: &str) {
        self.local
            .insert((kind.to_owned(), identity.to_owned()), local.to_owned());
    }

    /// The local id an identity was imported as, if it was.
    pub fn local(&self, kind: &str, identity: &str) -> Option<&String> {
        self.local.get(&(kind.to_owned(), identity.to_owned()))
    }
}
