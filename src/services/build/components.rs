//! Components: create (optionally from a template), read, save as a new revision, copy,
//! delete when nothing references them. Secret fields are sealed here and never leave sealed.

use crate::db::ids::*;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{FolderOption, folder_tree};
use crate::db::build::{Component, ComponentChanges, ComponentSummary, Revision};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::{Body, ComponentType, PropertyKind};
use crate::domain::component_rules::{check_body, check_header};
use crate::domain::validation::{FieldErrors, name_key};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};
use crate::services::cache::Tagged;
use crate::services::secrets::Sealer;

/// The New Component form.
#[derive(Debug, Clone, Default)]
pub struct NewComponent {
    pub name: String,
    pub component_type: String,
    pub folder_id: FolderId,
    pub description: String,
    pub template_id: String,
}

/// A secret slot of a body as a form sends it: keep the old value, clear it, or set a new one.
#[derive(Debug, Clone, Default)]
pub struct SecretInput {
    /// Which secret of the saved body this slot carries on (its position), if any.
    pub origin: Option<usize>,
    pub new_value: String,
    pub clear: bool,
}

/// A body as a form sends it: secret fields empty, their edits beside.
#[derive(Debug, Clone)]
pub struct BodyDraft {
    pub body: Body,
    /// One per secret slot: the connection's password, or each property in order.
    pub secrets: Vec<SecretInput>,
}

/// The component form: header fields and the body.
#[derive(Debug, Clone)]
pub struct SaveComponent {
    pub name: String,
    pub folder_id: FolderId,
    pub description: String,
    pub revision: i32,
    /// `None` keeps the body as it is (a process's shapes are changed by their own forms).
    pub draft: Option<BodyDraft>,
}

/// Everything the component page shows.
#[derive(Debug, Clone)]
pub struct ComponentDetails {
    pub component: Component,
    pub kind: ComponentType,
    pub body: Body,
    pub folder_path: String,
    pub folders: Vec<FolderOption>,
    pub revisions: Vec<Revision>,
    pub referrers: Vec<ComponentSummary>,
    /// Components of the account that this body may reference, by name.
    pub options: Vec<ComponentSummary>,
    /// Where the component came from, when it was installed from a library.
    pub lineage: Option<crate::services::browse::lineage::Lineage>,
}

fn find(conn: &mut DbConnection, caller: &Caller, id: &ComponentId) -> Result<Component, AppError> {
    db::build::find_component_for_account(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)
}

fn kind_of(component: &Component) -> Result<ComponentType, AppError> {
    ComponentType::from_code(&component.component_type).ok_or_else(|| {
        AppError::internal(format!(
            "unknown component type {}",
            component.component_type
        ))
    })
}

/// Reads a component with what its page needs (Build Read Access).
pub fn details(ctx: &Ctx, id: &ComponentId) -> Result<ComponentDetails, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        let component = find(conn, caller, id)?;
        let kind = kind_of(&component)?;
        let body = Body::from_json(&component.body).map_err(AppError::Internal)?;
        let folders = folder_tree(&db::build::list_folders(conn, caller.account_id())?);
        let folder_path = folders
            .iter()
            .find(|f| f.id == component.folder_id)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let revisions = db::build::list_revisions(conn, &component.id, 20)?;
        let referrers = db::build::list_referrers(conn, &component.id)?;
        let types = referencable(kind);
        let options = if types.is_empty() {
            Vec::new()
        } else {
            db::build::list_components_of_types(conn, caller.account_id(), &types)?
        };
        let lineage = crate::services::browse::lineage::of_component(conn, &component)?;
        Ok(ComponentDetails {
            lineage,
            component,
            kind,
            body,
            folder_path,
            folders,
            revisions,
            referrers,
            options,
        })
    })
}

/// The types a body of this type may reference.
fn referencable(kind: ComponentType) -> Vec<&'static str> {
    use ComponentType::*;
    let types: &[ComponentType] = match kind {
        Process => &[
            Connection,
            Operation,
            Map,
            Process,
            ProcessProperty,
            ProcessRoute,
        ],
        Operation => &[Connection, Profile],
        Map => &[Profile],
        ApiService | ProcessRoute => &[Process],
        Connection | Profile | ProcessProperty => &[],
    };
    types.iter().map(|t| t.code()).collect()
}

/// Checks that every reference names a live component of the account of the right type.
fn check_references(
    conn: &mut DbConnection,
    caller: &Caller,
    body: &Body,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    let refs = body.references();
    let ids: Vec<ComponentId> = body
        .referenced_ids()
        .into_iter()
        .map(ComponentId::from)
        .collect();
    let found: BTreeMap<ComponentId, String> =
        db::build::list_components_by_ids(conn, caller.account_id(), &ids)?
            .into_iter()
            .map(|c| (c.id, c.component_type))
            .collect();
    for r in refs {
        let field = field_of(body.component_type(), &r.place);
        match found.get(r.id.as_str()) {
            None => errors.add(
                field,
                format!(
                    "The component chosen for {} does not exist in this account.",
                    r.place
                ),
            ),
            Some(t) if t != r.expected.code() => errors.add(
                field,
                format!(
                    "{} must name a {}.",
                    capitalize(&r.place),
                    r.expected.label()
                ),
            ),
            Some(_) => {}
        }
    }
    Ok(())
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The form field an error about a reference belongs to.
fn field_of(kind: ComponentType, place: &str) -> &'static str {
    match (kind, place) {
        (ComponentType::Operation, "Connection") => "connection",
        (ComponentType::Operation, "Request Profile") => "request_profile",
        (ComponentType::Operation, "Response Profile") => "response_profile",
        (ComponentType::Map, "Source Profile") => "source_profile",
        (ComponentType::Map, "Destination Profile") => "destination_profile",
        (ComponentType::ApiService, _) => "endpoints",
        (ComponentType::ProcessRoute, _) => "routes",
        _ => "component",
    }
}

/// Creates a component in a folder; a process may start from a template (a copy of another
/// process's shapes, pointing at the same components).
pub fn create(ctx: &Ctx, input: &NewComponent) -> Result<ComponentId, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let mut errors = FieldErrors::new();
        check_header(&mut errors, &input.name, &input.description);
        let kind = ComponentType::from_code(&input.component_type);
        if kind.is_none() {
            errors.add("type", "Choose a type.");
        }
        if db::build::find_folder_for_account(conn, caller.account_id(), &input.folder_id)?
            .is_none()
        {
            errors.add("folder", "Choose a folder.");
        }
        let mut body = kind.map(Body::empty);
        if !input.template_id.is_empty() {
            match (
                kind,
                db::build::find_component_for_account(
                    conn,
                    caller.account_id(),
                    &ComponentId::from(&input.template_id),
                )?,
            ) {
                (Some(ComponentType::Process), Some(t))
                    if t.component_type == ComponentType::Process.code() =>
                {
                    body = Some(Body::from_json(&t.body).map_err(AppError::Internal)?);
                }
                (Some(ComponentType::Process), _) => {
                    errors.add("template", "Choose a process of this account.")
                }
                _ => errors.add("template", "Only a process can start from a template."),
            }
        }
        errors.into_result()?;
        let body = body.ok_or_else(|| AppError::invalid("type", "Choose a type."))?;
        let id = ComponentId::generate();
        insert_new(
            conn,
            caller,
            NewRow {
                id: &id,
                folder_id: &input.folder_id,
                name: input.name.trim(),
                description: input.description.trim(),
                body: &body,
                summary: "Created",
            },
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::ComponentCreated,
                target_type: "component",
                target_id: Some(&id),
                summary: format!(
                    "{} {} created",
                    body.component_type().label(),
                    input.name.trim()
                ),
            },
        )?;
        Ok(id)
    })
}

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

/// The saved secret values of a body, in slot order.
fn saved_secrets(body: &Body) -> Vec<String> {
    match body {
        Body::Connection { password, .. } => vec![password.clone().unwrap_or_default()],
        Body::ProcessProperty { properties } => properties
            .iter()
            .map(|p| {
                if p.kind == PropertyKind::Password {
                    p.value.clone()
                } else {
                    String::new()
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Fills the secret slots of a draft: kept values stay sealed as they were, new ones are
/// sealed for this account and component, cleared ones become empty.
fn apply_secrets(
    sealer: &Sealer,
    caller: &Caller,
    component: &Component,
    old: &Body,
    draft: BodyDraft,
) -> Result<Body, AppError> {
    let saved = saved_secrets(old);
    let value = |slot: Option<&SecretInput>| -> Result<String, AppError> {
        let Some(input) = slot else {
            return Ok(String::new());
        };
        if input.clear {
            return Ok(String::new());
        }
        if !input.new_value.is_empty() {
            return sealer.seal(&input.new_value, caller.account_id(), &component.id);
        }
        Ok(input
            .origin
            .and_then(|i| saved.get(i).cloned())
            .unwrap_or_default())
    };
    let mut body = draft.body;
    match &mut body {
        Body::Connection { password, .. } => {
            let sealed = value(draft.secrets.first())?;
            *password = (!sealed.is_empty()).then_some(sealed);
        }
        Body::ProcessProperty { properties } => {
            for (i, property) in properties.iter_mut().enumerate() {
                if property.kind == PropertyKind::Password {
                    property.value = value(draft.secrets.get(i))?;
                }
            }
        }
        _ => {}
    }
    Ok(body)
}

/// Saves the form as a new revision (Build Read and Write Access). A stale revision number
/// means someone else saved in between: nothing is written and the form says so.
pub fn save(ctx: &Ctx, id: &ComponentId, input: SaveComponent) -> Result<i32, AppError> {
    let caller = ctx.caller();
    let sealer = ctx.sealer();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let component = find(conn, caller, id)?;
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
            name: input.name.trim(),
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

/// Copies a component into the same folder as "Copy of NAME" (secrets re-sealed for the copy).
pub fn copy(ctx: &Ctx, id: &ComponentId) -> Result<ComponentId, AppError> {
    let caller = ctx.caller();
    let sealer = ctx.sealer();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let source = find(conn, caller, id)?;
        let mut body = Body::from_json(&source.body).map_err(AppError::Internal)?;
        let copy_id = ComponentId::generate();
        for (_, sealed) in body.secrets_mut() {
            *sealed = sealer.reseal(
                sealed,
                (caller.account_id(), &source.id),
                (caller.account_id(), &copy_id),
            )?;
        }
        let name: String = format!("Copy of {}", source.name)
            .chars()
            .take(100)
            .collect();
        insert_new(
            conn,
            caller,
            NewRow {
                id: &copy_id,
                folder_id: &source.folder_id,
                name: &name,
                description: &source.description,
                body: &body,
                summary: &format!("Copied from {}", source.name),
            },
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::ComponentCopied,
                target_type: "component",
                target_id: Some(&copy_id),
                summary: format!("{} copied as {name}", source.name),
            },
        )?;
        Ok(copy_id)
    })
}

/// Deletes a component that no live component references (the refusal names them).
pub fn delete(ctx: &Ctx, id: &ComponentId) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        let component = find(conn, caller, id)?;
        let referrers: Vec<String> = db::build::list_referrers(conn, &component.id)?
            .into_iter()
            .filter(|r| r.id != component.id)
            .map(|r| r.name)
            .collect();
        if !referrers.is_empty() {
            return Err(AppError::Conflict(format!(
                "{} cannot be deleted: it is used by {}.",
                component.name,
                referrers.join(", ")
            )));
        }
        db::build::mark_component_deleted(conn, &component, db::now())?;
        db::build::replace_refs(conn, caller.account_id(), &component.id, &[])?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::ComponentDeleted,
                target_type: "component",
                target_id: Some(&component.id),
                summary: format!("{} deleted", component.name),
            },
        )?;
        Ok(component.name)
    })
}

/// The Build page's list: one page of components as of `generation`, from memory when that
/// recent (Build Read Access).
pub fn list(
    ctx: &Ctx,
    filter: &db::build::ComponentFilter,
    limit: i64,
) -> Result<Arc<Tagged<Vec<ComponentSummary>>>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    let key = (caller.account_id().clone(), filter.clone(), limit);
    ctx.cached(
        |c| &c.component_pages,
        &key,
        || ctx.read(|conn| db::build::list_components(conn, caller.account_id(), filter, limit)),
    )
}

/// The processes of the account, for *Start from template*.
pub fn list_processes(ctx: &Ctx) -> Result<Vec<ComponentSummary>, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    ctx.read(|conn| {
        db::build::list_components_of_types(
            conn,
            caller.account_id(),
            &[ComponentType::Process.code()],
        )
    })
}
