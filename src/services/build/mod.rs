//! Build: folders, components with their revisions and references, processes, and the
//! dependency closure that packaging freezes.

pub mod components;
pub mod dependencies;
pub mod folder_tree;
pub mod folders;
pub mod process;

use std::collections::BTreeMap;

use crate::db::build::Folder;

/// A folder as selects and lists show it: its path from the root.
#[derive(Debug, Clone)]
pub struct FolderOption {
    pub id: String,
    pub name: String,
    pub path: String,
    pub depth: usize,
    pub is_root: bool,
}

/// Orders an account's folders as a tree (parents before children, siblings by name) and
/// gives each its path, e.g. "Partner Co / Salesforce / Orders".
pub fn folder_tree(folders: &[Folder]) -> Vec<FolderOption> {
    let mut children: BTreeMap<Option<&str>, Vec<&Folder>> = BTreeMap::new();
    for folder in folders {
        children
            .entry(folder.parent_id.as_deref())
            .or_default()
            .push(folder);
    }
    for siblings in children.values_mut() {
        siblings.sort_by(|a, b| a.name_key.cmp(&b.name_key));
    }
    let mut out = Vec::with_capacity(folders.len());
    let mut stack: Vec<(&Folder, String, usize)> = children
        .get(&None)
        .map(|roots| {
            roots
                .iter()
                .rev()
                .map(|f| (*f, f.name.clone(), 0))
                .collect()
        })
        .unwrap_or_default();
    while let Some((folder, path, depth)) = stack.pop() {
        if let Some(kids) = children.get(&Some(folder.id.as_str())) {
            for kid in kids.iter().rev() {
                stack.push((kid, format!("{path} / {}", kid.name), depth + 1));
            }
        }
        out.push(FolderOption {
            id: folder.id.clone().into_string(),
            name: folder.name.clone(),
            path,
            depth,
            is_root: folder.parent_id.is_none(),
        });
        if out.len() > folders.len() {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: &str, parent: Option<&str>, name: &str) -> Folder {
        Folder {
            id: id.into(),
            account_id: "a".into(),
            parent_id: parent.map(Into::into),
            name: name.into(),
            name_key: name.to_lowercase(),
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn folders_come_out_as_a_tree_with_paths() {
        let tree = folder_tree(&[
            folder("r", None, "Partner"),
            folder("b", Some("r"), "Billing"),
            folder("a", Some("r"), "Accounts"),
            folder("x", Some("a"), "Exports"),
        ]);
        let paths: Vec<&str> = tree.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Partner",
                "Partner / Accounts",
                "Partner / Accounts / Exports",
                "Partner / Billing"
            ]
        );
        assert_eq!(tree[2].depth, 2);
    }
}
