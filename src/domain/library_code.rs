//! A library as code (SPEC §6.5): the files `process-library export` writes and `import`
//! reads, one per object, under `folders/`, `components/`, `packages/` and `publications/`,
//! beside `library.json`. Each file is pretty JSON with its fields in a fixed order, its lists
//! sorted, and one trailing newline, so that exporting an unchanged library writes the same
//! bytes. Ids are identities: the id an object had where it was first exported. Secrets are
//! never written: connection passwords are `null`, password properties empty.

use serde::{Deserialize, Serialize};

use super::build::Body;

/// What `library.json` says: the format of the tree.
pub const FORMAT: &str = "process-library/library-v1";

/// The identity every tree gives the account's root folder.
pub const ROOT: &str = "root";

/// The subfolders of a tree, one per kind of object.
pub const KINDS: [&str; 4] = ["folders", "components", "packages", "publications"];

/// `library.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryFile {
    pub format: String,
}

/// `folders/ID.json`: a folder; the account's root has no parent (and is the target's root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolderFile {
    pub id: String,
    pub parent: Option<String>,
    pub name: String,
}

/// `components/ID.json`: a live component at its current revision, references by identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentFile {
    pub id: String,
    pub folder: String,
    pub name: String,
    pub description: String,
    pub body: Body,
}

/// `packages/ID.json`: an immutable packaged component with its frozen manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageFile {
    pub id: String,
    /// The identity of the packaged (root) component.
    pub component: String,
    pub version: String,
    pub notes: String,
    pub shareable: bool,
    /// Frozen by *Publish Latest Revision* (the Legacy model) rather than on the Deploy page.
    pub implicit: bool,
    /// The root first, then the others by identity.
    pub components: Vec<FrozenFile>,
}

/// One component of a package's manifest as it was frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrozenFile {
    pub id: String,
    pub name: String,
    pub description: String,
    pub revision: i32,
    pub body: Body,
}

/// `publications/ID.json`: a published process with its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedFile {
    pub id: String,
    /// The identity of the published component.
    pub component: String,
    pub category: String,
    pub tags: Vec<String>,
    pub versions: Vec<VersionFile>,
}

/// One publication of a published process. Imported publications never include passwords.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionFile {
    pub id: String,
    pub package: String,
    pub description: String,
    pub notes: String,
}

/// The text of a file: pretty JSON and a trailing newline.
pub fn render<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// An identity as a file name may hold it: letters, digits and dashes only, so that a file
/// name read back can never leave its folder.
pub fn is_identity(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::build::{ComponentType, Connector, Property, PropertyKind};

    #[test]
    fn secrets_are_emptied_and_the_rest_kept() {
        let connection = Body::Connection {
            connector: Connector::Ftp,
            url: "ftp://example.test".into(),
            username: "bot".into(),
            password: Some("sealed".into()),
        };
        let Body::Connection { password, url, .. } = connection.without_secrets() else {
            panic!("a connection stays a connection");
        };
        assert_eq!(password, None);
        assert_eq!(url, "ftp://example.test");
        let properties = Body::ProcessProperty {
            properties: vec![
                Property {
                    name: "Key".into(),
                    kind: PropertyKind::Password,
                    value: "sealed".into(),
                },
                Property {
                    name: "Region".into(),
                    kind: PropertyKind::Text,
                    value: "eu".into(),
                },
            ],
        };
        let Body::ProcessProperty { properties } = properties.without_secrets() else {
            panic!("properties stay properties");
        };
        assert_eq!(properties[0].value, "");
        assert_eq!(properties[1].value, "eu");
        assert_eq!(
            Body::empty(ComponentType::Map).without_secrets(),
            Body::empty(ComponentType::Map)
        );
    }

    #[test]
    fn rendering_is_stable_and_ends_with_a_newline() {
        let folder = FolderFile {
            id: "a".into(),
            parent: None,
            name: "Root".into(),
        };
        assert_eq!(
            render(&folder),
            "{\n  \"id\": \"a\",\n  \"parent\": null,\n  \"name\": \"Root\"\n}\n"
        );
    }

    #[test]
    fn identities_cannot_name_another_folder() {
        assert!(is_identity("0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b"));
        assert!(!is_identity("../secrets"));
        assert!(!is_identity(""));
        assert!(!is_identity("a/b"));
    }
}
