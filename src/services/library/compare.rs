//! Compare Publication: which components were added, removed or changed between two versions
//! of a published process, or between a version and the components as they are now.

use crate::db::ids::*;
use std::collections::BTreeMap;

use crate::db::{self};
use crate::domain::build::Body;
use crate::domain::merge::{self, Version};
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::build::dependencies;

/// What happened to one component between the older and the newer side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
    Unchanged,
}

impl Change {
    pub fn label(self) -> &'static str {
        match self {
            Self::Added => "Added",
            Self::Removed => "Removed",
            Self::Changed => "Changed",
            Self::Unchanged => "Unchanged",
        }
    }
}

/// One component of a comparison.
#[derive(Debug, Clone)]
pub struct CompareRow {
    pub name: String,
    pub component_type: String,
    pub older: Option<i32>,
    pub newer: Option<i32>,
    pub change: Change,
    /// For a changed component: the fields that differ ("Shapes", "URL", "Description").
    pub fields: Vec<String>,
}

/// What a publication is compared with.
#[derive(Debug, Clone)]
pub enum Against {
    Publication(PublicationId),
    CurrentRevisions,
}

/// A comparison, from the older side to the newer one.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub process_name: String,
    pub older_label: String,
    pub newer_label: String,
    pub rows: Vec<CompareRow>,
    /// Every publication of the process, for the "compare with" choice: (id, label).
    pub versions: Vec<(PublicationId, String)>,
}

/// (component id → (name, type, revision, body, description)) of one side.
type Side = BTreeMap<ComponentId, (String, String, i32, String, String)>;

/// The labels of the fields that differ between two versions of a component (bodies that
/// cannot be read count as one change of "Body").
fn changed_fields(older: (&str, &str), newer: (&str, &str)) -> Vec<String> {
    let version = |(body, description): (&str, &str)| {
        Body::from_json(body).ok().map(|body| Version {
            description: description.to_owned(),
            body,
        })
    };
    match (version(older), version(newer)) {
        (Some(older), Some(newer)) => merge::diff(&older, &newer)
            .into_iter()
            .map(|c| merge::field_label(&c.key))
            .collect(),
        _ => vec!["Body".to_owned()],
    }
}

fn diff(older: &Side, newer: &Side) -> Vec<CompareRow> {
    let mut rows: Vec<CompareRow> = newer
        .iter()
        .map(
            |(id, (name, kind, rev, body, description))| match older.get(id) {
                None => CompareRow {
                    name: name.clone(),
                    component_type: kind.clone(),
                    older: None,
                    newer: Some(*rev),
                    change: Change::Added,
                    fields: Vec::new(),
                },
                Some((_, _, old_rev, old_body, old_description)) => {
                    let fields = if old_body != body || old_description != description {
                        changed_fields((old_body, old_description), (body, description))
                    } else {
                        Vec::new()
                    };
                    CompareRow {
                        name: name.clone(),
                        component_type: kind.clone(),
                        older: Some(*old_rev),
                        newer: Some(*rev),
                        change: if old_rev != rev || !fields.is_empty() {
                            Change::Changed
                        } else {
                            Change::Unchanged
                        },
                        fields,
                    }
                }
            },
        )
        .collect();
    rows.extend(older.iter().filter(|(id, _)| !newer.contains_key(*id)).map(
        |(_, (name, kind, rev, _, _))| CompareRow {
            name: name.clone(),
            component_type: kind.clone(),
            older: Some(*rev),
            newer: None,
            change: Change::Removed,
            fields: Vec::new(),
        },
    ));
    rows.sort_by_key(|r| r.name.to_lowercase());
    rows
}

/// Compares a publication with another one of the same process, or with the live components.
pub fn compare(
    ctx: &Ctx,
    publication_id: &PublicationId,
    against: &Against,
) -> Result<Comparison, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let this =
            db::library::find_publication_for_account(conn, caller.account_id(), publication_id)?
                .ok_or(AppError::NotFound)?;
        let process = db::library::find_process_for_account(
            conn,
            caller.account_id(),
            &this.published_process_id,
        )?
        .ok_or(AppError::NotFound)?;
        let versions: Vec<(PublicationId, String)> =
            db::library::list_all_publications(conn, &process.id)?
                .into_iter()
                .map(|(p, package_version)| {
                    (
                        p.id,
                        format!("Version {} (package {package_version})", p.sequence),
                    )
                })
                .collect();
        let manifest_side =
            |conn: &mut db::DbConnection, package_id: &PackageId| -> Result<Side, AppError> {
                Ok(
                    db::deploy::list_manifest(conn, caller.account_id(), package_id)?
                        .into_iter()
                        .map(|m| {
                            (
                                m.component_id,
                                (m.name, m.component_type, m.revision, m.body, m.description),
                            )
                        })
                        .collect(),
                )
            };
        let this_side = manifest_side(conn, &this.package_id)?;
        let this_label = format!("version {}", this.sequence);
        let (older, newer, older_label, newer_label) = match against {
            Against::Publication(other_id) => {
                let other =
                    db::library::find_publication_for_account(conn, caller.account_id(), other_id)?
                        .filter(|o| o.published_process_id == process.id)
                        .ok_or(AppError::NotFound)?;
                let other_side = manifest_side(conn, &other.package_id)?;
                let other_label = format!("version {}", other.sequence);
                if other.sequence < this.sequence {
                    (other_side, this_side, other_label, this_label)
                } else {
                    (this_side, other_side, this_label, other_label)
                }
            }
            Against::CurrentRevisions => {
                let root = db::build::find_component_for_account(
                    conn,
                    caller.account_id(),
                    &process.component_id,
                )?;
                let current: Side = match root {
                    Some(root) => dependencies::closure(conn, caller.account_id(), &root)?
                        .into_iter()
                        .map(|c| {
                            (
                                c.id,
                                (c.name, c.component_type, c.revision, c.body, c.description),
                            )
                        })
                        .collect(),
                    None => Side::new(),
                };
                (
                    this_side,
                    current,
                    this_label,
                    "the latest component revisions".to_owned(),
                )
            }
        };
        Ok(Comparison {
            process_name: process.name,
            older_label,
            newer_label,
            rows: diff(&older, &newer),
            versions,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(items: &[(&str, i32, &str)]) -> Side {
        items
            .iter()
            .map(|(id, rev, body)| {
                (
                    ComponentId::from(*id),
                    (
                        id.to_uppercase(),
                        "process".into(),
                        *rev,
                        body.to_string(),
                        String::new(),
                    ),
                )
            })
            .collect()
    }

    #[test]
    fn differences_are_classified() {
        let older = side(&[("a", 1, "x"), ("b", 2, "y"), ("c", 1, "z")]);
        let newer = side(&[("a", 1, "x"), ("b", 3, "y2"), ("d", 1, "w")]);
        let rows = diff(&older, &newer);
        let got: Vec<(&str, Change)> = rows.iter().map(|r| (r.name.as_str(), r.change)).collect();
        assert_eq!(
            got,
            [
                ("A", Change::Unchanged),
                ("B", Change::Changed),
                ("C", Change::Removed),
                ("D", Change::Added)
            ]
        );
    }
}
