//! Update in place: brings an installation to the latest publication of its process while
//! keeping what the account changed in its copies. Each component is compared on three sides
//! (the publication it was installed from, the latest one, the copy now) by
//! [`crate::domain::merge`]; conflicts are settled by the account's choices; the whole update
//! is one transaction, audited, and a second submission of the same form changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::browse::{Installation, InstalledComponent};
use crate::db::build::Component;
use crate::db::deploy::PackagedComponent;
use crate::db::ids::*;
use crate::db::library::{Publication, PublishedProcess};
use crate::db::{self, DbConnection};
use crate::domain::accounts::Privilege;
use crate::domain::audit::Action;
use crate::domain::build::{Body, ComponentType};
use crate::domain::component_rules::check_body;
use crate::domain::merge::{self, Choice, FieldMerge, State, Version};
use crate::domain::text::count;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::build::components::{self, NewRow, Rewrite};
use crate::services::secrets::Sealer;
use crate::services::{Caller, Ctx};

/// What an update does to one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Compared on three sides: the merge's state.
    Merged(State),
    /// New in the latest version: added to the folder.
    Added,
    /// No longer in the latest version: the copy is kept, flagged.
    RemovedUpstream,
    /// Deleted here: the update does not bring it back.
    DeletedHere,
    /// A connection of the account bound at install: always kept.
    Bound,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Self::Merged(state) => state.label(),
            Self::Added => "New in this version: added",
            Self::RemovedUpstream => "No longer in this version: kept",
            Self::DeletedHere => "Deleted here: not restored",
            Self::Bound => "Your connection: kept",
        }
    }

    pub fn is_conflict(self) -> bool {
        self == Self::Merged(State::Conflict)
    }
}

/// One field of a component as the update page shows it.
#[derive(Debug, Clone)]
pub struct FieldView {
    pub key: String,
    pub label: String,
    pub base: String,
    pub theirs: String,
    pub mine: String,
    pub state: State,
}

/// One component of the update.
#[derive(Debug, Clone)]
pub struct UpdateRow {
    pub source_id: ComponentId,
    pub copy_id: Option<ComponentId>,
    pub name: String,
    pub component_type: &'static str,
    pub outcome: Outcome,
    /// The fields that differ on some side (every field of a conflict row is listed).
    pub fields: Vec<FieldView>,
}

/// What the Update page shows.
#[derive(Debug, Clone)]
pub struct UpdatePlan {
    pub installation: Installation,
    pub process: PublishedProcess,
    pub target: Publication,
    pub rows: Vec<UpdateRow>,
    /// The copies' revisions as shown: the form sends it back, so that an update never settles
    /// conflicts nobody saw.
    pub fingerprint: String,
}

/// What an applied update did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub changed: usize,
    pub added: usize,
    pub conflicts: usize,
    /// The form was submitted again after the update was done: nothing was written.
    pub already_done: bool,
}

/// The conflict choices of the form, by (source component id, field key).
pub type Choices = BTreeMap<(String, String), Choice>;

/// One component on every side.
struct Sides {
    source_id: ComponentId,
    base: Option<PackagedComponent>,
    theirs: Option<PackagedComponent>,
    installed: Option<InstalledComponent>,
    mine: Option<Component>,
}

/// Everything an update reads, with the publication's bodies rewired to the copy's ids.
struct Reading {
    installation: Installation,
    process: PublishedProcess,
    target: Publication,
    /// source id → copy id, including new ids for components added upstream.
    ids: BTreeMap<String, String>,
    sides: Vec<Sides>,
}

fn version_of(m: &PackagedComponent, ids: &BTreeMap<String, String>) -> Result<Version, AppError> {
    let mut body = Body::from_json(&m.body).map_err(AppError::Internal)?;
    body.rewire(ids);
    Ok(Version {
        description: m.description.clone(),
        body,
    })
}

fn current_version(c: &Component) -> Result<Version, AppError> {
    Ok(Version {
        description: c.description.clone(),
        body: Body::from_json(&c.body).map_err(AppError::Internal)?,
    })
}

fn read(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &InstallationId,
) -> Result<Reading, AppError> {
    let installation =
        db::browse::find_for_account(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)?;
    if db::pack_instances::instance_of_installation(conn, &installation.id)?.is_some() {
        return Err(AppError::Conflict(
            "This process is part of an integration pack: its releases update it.".to_owned(),
        ));
    }
    let process = super::library::find(conn, caller, &installation.published_process_id).map_err(
        |e| match e {
            AppError::NotFound => AppError::Conflict(
                "This process is no longer shared with this account, so it cannot be updated."
                    .to_owned(),
            ),
            other => other,
        },
    )?;
    let target = db::browse::latest_publication(conn, &process)?;
    read_at(conn, caller, installation, process, target)
}

/// The three sides of an update of `installation` to `target` (a publication of `process`).
fn read_at(
    conn: &mut DbConnection,
    caller: &Caller,
    installation: Installation,
    process: PublishedProcess,
    target: Publication,
) -> Result<Reading, AppError> {
    let base = db::library::find_publication_for_account(
        conn,
        &process.account_id,
        &installation.publication_id,
    )?
    .ok_or(AppError::NotFound)?;
    let base_manifest = db::deploy::list_manifest(conn, &process.account_id, &base.package_id)?;
    let target_manifest = db::deploy::list_manifest(conn, &process.account_id, &target.package_id)?;
    let installed = db::browse::list_installed_components(conn, &installation.id)?;
    let copy_ids: Vec<ComponentId> = installed
        .iter()
        .map(|i| i.copy_component_id.clone())
        .collect();
    let mut mine: BTreeMap<ComponentId, Component> =
        db::build::list_components_by_ids(conn, caller.account_id(), &copy_ids)?
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
    let mut ids: BTreeMap<String, String> = installed
        .iter()
        .map(|i| {
            (
                i.source_component_id.to_string(),
                i.copy_component_id.to_string(),
            )
        })
        .collect();
    for m in &target_manifest {
        ids.entry(m.component_id.to_string())
            .or_insert_with(|| ComponentId::generate().into_string());
    }
    let mut base_by: BTreeMap<ComponentId, PackagedComponent> = base_manifest
        .into_iter()
        .map(|m| (m.component_id.clone(), m))
        .collect();
    let mut installed_by: BTreeMap<ComponentId, InstalledComponent> = installed
        .into_iter()
        .map(|i| (i.source_component_id.clone(), i))
        .collect();
    let mut sides = Vec::new();
    let mut seen = BTreeSet::new();
    for theirs in target_manifest {
        let source_id = theirs.component_id.clone();
        seen.insert(source_id.clone());
        let installed = installed_by.remove(&source_id);
        let copy = installed
            .as_ref()
            .and_then(|i| mine.remove(&i.copy_component_id));
        sides.push(Sides {
            base: base_by.remove(&source_id),
            theirs: Some(theirs),
            installed,
            mine: copy,
            source_id,
        });
    }
    for (source_id, installed) in installed_by {
        let copy = mine.remove(&installed.copy_component_id);
        sides.push(Sides {
            base: base_by.remove(&source_id),
            theirs: None,
            installed: Some(installed),
            mine: copy,
            source_id,
        });
    }
    Ok(Reading {
        installation,
        process,
        target,
        ids,
        sides,
    })
}

/// How one component fares, with its three-way fields when it has them.
fn outcome(
    sides: &Sides,
    ids: &BTreeMap<String, String>,
) -> Result<(Outcome, Vec<FieldMerge>), AppError> {
    let (Some(theirs), Some(installed)) = (&sides.theirs, &sides.installed) else {
        return Ok(match (&sides.theirs, &sides.mine) {
            (Some(_), _) => (Outcome::Added, Vec::new()),
            (None, Some(_)) => (Outcome::RemovedUpstream, Vec::new()),
            (None, None) => (Outcome::DeletedHere, Vec::new()),
        });
    };
    if installed.bound {
        return Ok((Outcome::Bound, Vec::new()));
    }
    let Some(mine) = &sides.mine else {
        return Ok((Outcome::DeletedHere, Vec::new()));
    };
    let theirs = version_of(theirs, ids)?;
    // A component the base lacks (installed by an older release of the product) is compared
    // as if the base were the new version: whatever differs here is the account's own.
    let base = match &sides.base {
        Some(base) => version_of(base, ids)?,
        None => theirs.clone(),
    };
    let fields = merge::three_way(&base, &theirs, &current_version(mine)?);
    Ok((Outcome::Merged(merge::component_state(&fields)), fields))
}

/// A digest of the copies' ids and revisions.
fn fingerprint(reading: &Reading) -> String {
    use sha2::{Digest, Sha256};
    let mut copies: Vec<(&str, i32)> = reading
        .sides
        .iter()
        .filter_map(|s| s.mine.as_ref().map(|c| (c.id.as_str(), c.revision)))
        .collect();
    copies.sort_unstable();
    let mut digest = Sha256::new();
    for (id, revision) in copies {
        digest.update(format!("{id}:{revision};"));
    }
    digest.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn type_label(code: &str) -> &'static str {
    ComponentType::from_code(code).map_or("Component", ComponentType::label)
}

/// The Update page of an installation of the caller's account (Build Read and Write Access).
pub fn plan(ctx: &Ctx, id: &InstallationId) -> Result<UpdatePlan, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildWrite)?;
    ctx.read(|conn| {
        let reading = read(conn, caller, id)?;
        let names: BTreeMap<String, String> = reading
            .sides
            .iter()
            .filter_map(|s| {
                let name = s
                    .mine
                    .as_ref()
                    .map(|c| c.name.clone())
                    .or_else(|| s.theirs.as_ref().map(|t| t.name.clone()))?;
                Some((reading.ids.get(s.source_id.as_str())?.clone(), name))
            })
            .collect();
        let name_of = |id: &str| names.get(id).cloned();
        let mut rows = Vec::with_capacity(reading.sides.len());
        for sides in &reading.sides {
            let (outcome, fields) = outcome(sides, &reading.ids)?;
            let shown = fields
                .into_iter()
                .map(|f| FieldView {
                    label: merge::field_label(&f.key),
                    base: merge::field_text(f.base.as_ref(), &name_of),
                    theirs: merge::field_text(f.theirs.as_ref(), &name_of),
                    mine: merge::field_text(f.mine.as_ref(), &name_of),
                    state: f.state,
                    key: f.key,
                })
                .filter(|f| f.state != State::Unchanged)
                .collect();
            let (name, code) = match (&sides.mine, &sides.theirs, &sides.base) {
                (Some(c), _, _) => (c.name.clone(), c.component_type.as_str()),
                (None, Some(t), _) | (None, None, Some(t)) => {
                    (t.name.clone(), t.component_type.as_str())
                }
                (None, None, None) => (String::new(), ""),
            };
            rows.push(UpdateRow {
                source_id: sides.source_id.clone(),
                copy_id: sides.mine.as_ref().map(|c| c.id.clone()),
                name,
                component_type: type_label(code),
                outcome,
                fields: shown,
            });
        }
        let root = reading.installation.root_component_id.clone();
        rows.sort_by_key(|r| (r.copy_id.as_ref() != Some(&root), r.name.to_lowercase()));
        Ok(UpdatePlan {
            fingerprint: fingerprint(&reading),
            installation: reading.installation,
            process: reading.process,
            target: reading.target,
            rows,
        })
    })
}

/// The secrets of the new version for the copy: re-sealed for it when the publication
/// includes passwords, blank otherwise.
fn their_secrets(
    sealer: &Sealer,
    caller: &Caller,
    reading: &Reading,
    theirs: &PackagedComponent,
    copy_id: &ComponentId,
    mut body: Body,
) -> Result<Body, AppError> {
    for (_, sealed) in body.secrets_mut() {
        *sealed = if reading.target.include_passwords {
            sealer.reseal(
                sealed,
                (&reading.process.account_id, &theirs.component_id),
                (caller.account_id(), copy_id),
            )?
        } else {
            String::new()
        };
    }
    if let Body::Connection { password, .. } = &mut body
        && password.as_deref() == Some("")
    {
        *password = None;
    }
    Ok(body)
}

/// Applies the update to version `to` (the one the page showed) with the page's choices.
/// A newer publication since the page was shown is refused (409); the same form submitted
/// again after the update was done writes nothing.
pub fn apply(
    ctx: &Ctx,
    id: &InstallationId,
    to: i32,
    shown: Option<&str>,
    choices: &Choices,
) -> Result<Applied, AppError> {
    let caller = ctx.caller();
    let sealer = ctx.sealer();
    caller.require(Privilege::BuildWrite)?;
    ctx.write(|conn| {
        db::browse::find_for_account(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)?;
        db::browse::lock_installation(conn, id)?;
        let reading = read(conn, caller, id)?;
        if reading.installation.sequence == to {
            return Ok(Applied {
                already_done: true,
                ..Applied::default()
            });
        }
        if reading.target.sequence != to || reading.installation.sequence > to {
            return Err(AppError::Conflict(format!(
                "Version {} was published since this page was shown. Review the update again.",
                reading.target.sequence
            )));
        }
        if shown.is_some_and(|f| f != fingerprint(&reading)) {
            return Err(AppError::Conflict(
                "A copy was saved since this page was shown. Review the update again.".to_owned(),
            ));
        }
        write_update(conn, sealer, caller, &reading, choices)
    })
}

/// Updates an installation of the caller's account in place to `target`, keeping the
/// account's side of every conflict (what an integration pack's release does to each
/// member of an instance: the instance's extensions are its own changes). Call inside the
/// caller's write transaction.
pub(crate) fn update_to(
    conn: &mut DbConnection,
    sealer: &Sealer,
    caller: &Caller,
    id: &InstallationId,
    target: Publication,
) -> Result<Applied, AppError> {
    db::browse::lock_installation(conn, id)?;
    let installation =
        db::browse::find_for_account(conn, caller.account_id(), id)?.ok_or(AppError::NotFound)?;
    if installation.publication_id == target.id {
        return Ok(Applied {
            already_done: true,
            ..Applied::default()
        });
    }
    let process = db::library::find_process(conn, &installation.published_process_id)?
        .ok_or(AppError::NotFound)?;
    let reading = read_at(conn, caller, installation, process, target)?;
    write_update(conn, sealer, caller, &reading, &Choices::new())
}

/// The copies of the installation deleted here, by id, with their names: an update must not
/// make anything refer to them.
fn deleted_copies(reading: &Reading) -> BTreeMap<String, String> {
    reading
        .sides
        .iter()
        .filter(|s| s.mine.is_none() && s.installed.as_ref().is_some_and(|i| !i.bound))
        .filter_map(|s| {
            let name = s.theirs.as_ref().or(s.base.as_ref())?.name.clone();
            Some((reading.ids.get(s.source_id.as_str())?.clone(), name))
        })
        .collect()
}

/// Refuses a body that would refer to a copy deleted here.
fn check_not_deleted(
    errors: &mut FieldErrors,
    deleted: &BTreeMap<String, String>,
    name: &str,
    body: &Body,
) {
    for id in body.referenced_ids() {
        if let Some(gone) = deleted.get(&id) {
            errors.also(
                "update",
                format!(
                    "{name}: the result would use {gone}, which was deleted here. Choose Keep mine, or install the new version beside this one."
                ),
            );
        }
    }
}

fn write_update(
    conn: &mut DbConnection,
    sealer: &Sealer,
    caller: &Caller,
    reading: &Reading,
    choices: &Choices,
) -> Result<Applied, AppError> {
    let summary = format!(
        "Updated to {} version {}",
        reading.process.name, reading.target.sequence
    );
    let mut applied = Applied::default();
    let mut rewrites: Vec<(&Component, Version, String)> = Vec::new();
    let mut added: Vec<(ComponentId, &PackagedComponent, Body)> = Vec::new();
    let mut rows: Vec<InstalledComponent> = Vec::new();
    let mut errors = FieldErrors::new();
    let deleted = deleted_copies(reading);
    for sides in &reading.sides {
        let (outcome, fields) = outcome(sides, &reading.ids)?;
        let copy_id = ComponentId::from(
            reading
                .ids
                .get(sides.source_id.as_str())
                .cloned()
                .unwrap_or_default(),
        );
        let mut copy_revision = sides.installed.as_ref().map_or(1, |i| i.copy_revision);
        match (outcome, &sides.theirs, &sides.mine) {
            (Outcome::Merged(_), Some(theirs), Some(mine)) => {
                applied.conflicts += usize::from(outcome.is_conflict());
                let base_version = match &sides.base {
                    Some(base) => version_of(base, &reading.ids)?,
                    None => version_of(theirs, &reading.ids)?,
                };
                let their_version = version_of(theirs, &reading.ids)?;
                let upstream = their_version.clone();
                let mine_version = current_version(mine)?;
                let source = sides.source_id.to_string();
                let mut merged =
                    merge::merge(&base_version, &their_version, &mine_version, |key| {
                        choices
                            .get(&(source.clone(), key.to_owned()))
                            .copied()
                            .unwrap_or(Choice::KeepMine)
                    })
                    .map_err(AppError::Conflict)?;
                let theirs_sealed = their_secrets(
                    sealer,
                    caller,
                    reading,
                    theirs,
                    &mine.id,
                    their_version.body,
                )?;
                merge::fill_secrets(&mut merged.body, &[&mine_version.body, &theirs_sealed]);
                check_not_deleted(&mut errors, &deleted, &mine.name, &merged.body);
                let mut body_errors = FieldErrors::new();
                check_body(&mut body_errors, &merged.body);
                if let Some((_, message)) = body_errors.iter().next() {
                    errors.also(
                        "update",
                        format!("{}: {message} Choose the other side.", mine.name),
                    );
                }
                let now_like_theirs = merge::diff(&merged, &upstream).is_empty();
                if merged != mine_version {
                    let changed: Vec<String> = fields
                        .iter()
                        .filter(|f| f.state != State::Unchanged)
                        .map(|f| merge::field_label(&f.key))
                        .collect();
                    if now_like_theirs {
                        copy_revision = mine.revision + 1;
                    }
                    rewrites.push((mine, merged, format!("{summary}: {}", changed.join(", "))));
                } else if now_like_theirs {
                    copy_revision = mine.revision;
                }
            }
            (Outcome::Added, Some(theirs), _) => {
                let body = their_secrets(
                    sealer,
                    caller,
                    reading,
                    theirs,
                    &copy_id,
                    version_of(theirs, &reading.ids)?.body,
                )?;
                check_not_deleted(&mut errors, &deleted, &theirs.name, &body);
                added.push((copy_id.clone(), theirs, body));
            }
            _ => {}
        }
        let source_revision = match (&sides.theirs, &sides.installed) {
            (Some(theirs), _) => theirs.revision,
            (None, Some(installed)) => installed.source_revision,
            (None, None) => continue,
        };
        rows.push(InstalledComponent {
            installation_id: reading.installation.id.clone(),
            source_component_id: sides.source_id.clone(),
            copy_component_id: copy_id,
            source_revision,
            copy_revision,
            bound: sides.installed.as_ref().is_some_and(|i| i.bound),
        });
    }
    errors.into_result()?;
    applied.changed = rewrites.len();
    applied.added = added.len();
    // New components first: the merged ones may reference them.
    if !added.is_empty() {
        let folder_id = reading.installation.folder_id.clone();
        db::browse::lock_folder(conn, &folder_id)?;
        let wanted: Vec<&str> = added.iter().map(|(_, t, _)| t.name.as_str()).collect();
        let names = super::install::copy_names(conn, &folder_id, &wanted)?;
        let new_rows: Vec<NewRow<'_>> = added
            .iter()
            .zip(&names)
            .map(|((id, theirs, body), name)| NewRow {
                id,
                folder_id: &folder_id,
                name,
                description: &theirs.description,
                body,
                summary: &summary,
            })
            .collect();
        components::insert_rows(conn, caller, &new_rows)?;
    }
    let rewrite_rows: Vec<Rewrite<'_>> = rewrites
        .iter()
        .map(|(component, version, summary)| Rewrite {
            component,
            description: &version.description,
            body: &version.body,
            summary: summary.clone(),
        })
        .collect();
    components::rewrite_rows(conn, caller, &rewrite_rows)?;
    let mut moved = reading.installation.clone();
    moved.publication_id = reading.target.id.clone();
    moved.sequence = reading.target.sequence;
    moved.include_passwords = reading.target.include_passwords;
    db::browse::move_installation(conn, &moved, &rows)?;
    audit::record(
        conn,
        &By::from(caller),
        Entry {
            account_id: Some(caller.account_id()),
            action: Action::InstallationUpdated,
            target_type: "installation",
            target_id: Some(&moved.id),
            summary: format!(
                "{} updated in place from version {} to version {} ({}, {} changed, {} added, {})",
                moved.local_name,
                reading.installation.sequence,
                moved.sequence,
                reading.process.name,
                applied.changed,
                applied.added,
                count(applied.conflicts, "conflict", "conflicts")
            ),
        },
    )?;
    Ok(applied)
}
