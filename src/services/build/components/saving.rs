//! Writing components: inserting new ones at revision 1, and saving a new revision (header,
//! body, references, audit). Must not depend on the web layer or on how forms are parsed.

use crate::db::ids::*;

use super::references::check_references;
use super::secrets::apply_secrets;
use super::{SaveComponent, find};
use crate::db::build::{Component, ComponentChanges, Revision};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::Body;
use crate::domain::component_rules::{check_body, check_header};
use crate::domain::validation::{self as v, FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};

/// A component to insert at revision 1.
pub struct NewRow<'a> {
    pub id: &'a str,
    pub folder_id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub body: &'a Body,
    /// What the first revision says ("Created", "Copied from …", "Installed from …").
    pub summary: &'a str,
}

/// Inserts components at revision 1 with their first revision rows, then their references
/// (so that references between the new components find each other): three statements
/// whatever the number of components.
pub fn insert_rows(
    conn: &mut DbConnection,
    caller: &Caller,
    rows: &[NewRow<'_>],
) -> Result<(), AppError> {
    let now = db::now();
    let mut components = Vec::with_capacity(rows.len());
    let mut revisions = Vec::with_capacity(rows.len());
    let mut refs = Vec::new();
    for row in rows {
        let json = row.body.to_json();
        components.push(Component {
            id: ComponentId::from(row.id.to_owned()),
            account_id: caller.account_id().clone(),
            folder_id: FolderId::from(row.folder_id.to_owned()),
            component_type: row.body.component_type().code().to_owned(),
            name: row.name.to_owned(),
            name_key: name_key(row.name),
            description: row.description.to_owned(),
            revision: 1,
            body: json.clone(),
            created_at: now,
            updated_at: now,
            updated_by: Some(caller.email().to_owned()),
            deleted_at: None,
            shareable_package: false,
        });
        revisions.push(Revision {
            component_id: ComponentId::from(row.id.to_owned()),
            revision: 1,
            name: row.name.to_owned(),
            description: row.description.to_owned(),
            folder_id: FolderId::from(row.folder_id.to_owned()),
            body: json,
            summary: row.summary.to_owned(),
            saved_by: Some(caller.email().to_owned()),
            saved_at: now,
        });
        refs.extend(
            row.body
                .referenced_ids()
                .into_iter()
                .map(|to| (ComponentId::from(row.id), ComponentId::from(to))),
        );
    }
    db::build::insert_components(conn, &components)?;
    db::build::insert_revisions(conn, &revisions)?;
    db::build::insert_refs(conn, caller.account_id(), &refs)
}

/// Inserts one new component at revision 1.
pub fn insert_new(
    conn: &mut DbConnection,
    caller: &Caller,
    row: NewRow<'_>,
) -> Result<(), AppError> {
    insert_rows(conn, caller, &[row])
}

/// Saves the form as a new revision (Build Read and Write Access). A stale revision number
/// means someone else saved in between: nothing is written and the form says so.
pub fn save(ctx: &Ctx, id: &ComponentId, input: SaveComponent) -> Result<i32, AppError> {
    let caller = ctx.caller();
    let sealer = ctx.sealer();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let component = find(conn, caller, id)?;
        crate::services::pack_instances::ensure_not_in_pack(conn, &component.id)?;
        let old = Body::from_json(&component.body).map_err(AppError::Internal)?;
        let body = match input.draft {
            None => old.clone(),
            Some(draft) if draft.body.component_type() == old.component_type() => {
                apply_secrets(sealer, caller, &component, &old, draft)?
            }
            Some(_) => {
                return Err(AppError::BadRequest(
                    "The form does not match the component's type.".to_owned(),
                ));
            }
        };
        let header = Header {
            name: &v::clean_name(&input.name),
            folder_id: &input.folder_id,
            description: input.description.trim(),
        };
        commit(conn, caller, &component, input.revision, header, &body)
    })
}

/// The header of a component as a save sets it.
pub struct Header<'a> {
    pub name: &'a str,
    pub folder_id: &'a str,
    pub description: &'a str,
}

/// Validates and writes a new revision of a component; returns the new revision number.
pub fn commit(
    conn: &mut DbConnection,
    caller: &Caller,
    component: &Component,
    expected_revision: i32,
    header: Header<'_>,
    body: &Body,
) -> Result<i32, AppError> {
    let mut errors = FieldErrors::new();
    if expected_revision != component.revision {
        errors.add(
            "revision",
            format!(
                "Someone saved this component in the meantime (revision {}). Reload the page to see their changes.",
                component.revision
            ),
        );
    }
    check_header(&mut errors, header.name, header.description);
    if db::build::find_folder_for_account(
        conn,
        caller.account_id(),
        &FolderId::from(header.folder_id),
    )?
    .is_none()
    {
        errors.add("folder", "Choose a folder.");
    }
    check_body(&mut errors, body);
    check_references(conn, caller, body, &mut errors)?;
    errors.into_result()?;
    let old = Body::from_json(&component.body).map_err(AppError::Internal)?;
    let mut changed = body.changed_fields(&old);
    if header.name != component.name {
        changed.insert(0, format!("name (was {})", component.name));
    }
    if header.description != component.description {
        changed.push("description".to_owned());
    }
    if component.folder_id != header.folder_id {
        changed.push("folder".to_owned());
    }
    let summary = if changed.is_empty() {
        "Saved without changes".to_owned()
    } else {
        format!("Changed {}", changed.join(", "))
    };
    let revision = component.revision + 1;
    let json = body.to_json();
    let now = db::now();
    db::build::update_component(
        conn,
        component,
        &ComponentChanges {
            folder_id: header.folder_id,
            name: header.name,
            name_key: &name_key(header.name),
            description: header.description,
            revision,
            body: &json,
            updated_at: now,
            updated_by: Some(caller.email()),
        },
    )?;
    db::build::insert_revision(
        conn,
        &Revision {
            component_id: component.id.clone(),
            revision,
            name: header.name.to_owned(),
            description: header.description.to_owned(),
            folder_id: FolderId::from(header.folder_id.to_owned()),
            body: json,
            summary: summary.clone(),
            saved_by: Some(caller.email().to_owned()),
            saved_at: now,
        },
    )?;
    db::build::replace_refs(
        conn,
        caller.account_id(),
        &component.id,
        &body
            .referenced_ids()
            .into_iter()
            .map(ComponentId::from)
            .collect::<Vec<_>>(),
    )?;
    audit::record(
        conn,
        &By::from(caller),
        Entry {
            account_id: Some(caller.account_id()),
            action: Action::ComponentSaved,
            target_type: "component",
            target_id: Some(&component.id),
            summary: format!("{} saved as revision {revision}: {summary}", header.name),
        },
    )?;
    Ok(revision)
}

/// Applies a change to a component's body and saves it as a new revision (the process
/// page's shape buttons).
pub fn update_body(
    ctx: &Ctx,
    id: &ComponentId,
    expected_revision: i32,
    change: impl FnOnce(&mut Body) -> Result<(), AppError>,
) -> Result<i32, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let component = find(conn, caller, id)?;
        crate::services::pack_instances::ensure_not_in_pack(conn, &component.id)?;
        let mut body = Body::from_json(&component.body).map_err(AppError::Internal)?;
        change(&mut body)?;
        let header = Header {
            name: &component.name,
            folder_id: &component.folder_id,
            description: &component.description,
        };
        commit(conn, caller, &component, expected_revision, header, &body)
    })
}

/// A new revision of a component written by an update in place: the same name and folder,
/// a merged description and body.
pub struct Rewrite<'a> {
    pub component: &'a Component,
    pub description: &'a str,
    pub body: &'a Body,
    pub summary: String,
}

/// Writes new revisions of several components (bodies already checked and merged): one update
/// per component, then one swap of all their references and one insert of all revision rows.
pub fn rewrite_rows(
    conn: &mut DbConnection,
    caller: &Caller,
    rows: &[Rewrite<'_>],
) -> Result<(), AppError> {
    let now = db::now();
    let mut revisions = Vec::with_capacity(rows.len());
    let mut from_ids = Vec::with_capacity(rows.len());
    let mut refs = Vec::new();
    for row in rows {
        let component = row.component;
        let revision = component.revision + 1;
        let json = row.body.to_json();
        db::build::update_component(
            conn,
            component,
            &ComponentChanges {
                folder_id: &component.folder_id,
                name: &component.name,
                name_key: &component.name_key,
                description: row.description,
                revision,
                body: &json,
                updated_at: now,
                updated_by: Some(caller.email()),
            },
        )?;
        from_ids.push(component.id.clone());
        refs.extend(
            row.body
                .referenced_ids()
                .into_iter()
                .map(|to| (component.id.clone(), ComponentId::from(to))),
        );
        revisions.push(Revision {
            component_id: component.id.clone(),
            revision,
            name: component.name.clone(),
            description: row.description.to_owned(),
            folder_id: component.folder_id.clone(),
            body: json,
            summary: row.summary.clone(),
            saved_by: Some(caller.email().to_owned()),
            saved_at: now,
        });
    }
    db::build::replace_refs_of_many(conn, caller.account_id(), &from_ids, &refs)?;
    db::build::insert_revisions(conn, &revisions)
}
