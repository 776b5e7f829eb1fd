//! The Legacy deployment model (SPEC §6.3): the operator's choice of an account's model, and
//! *Publish Latest Revision*, which publishes a process or an API service straight from its
//! current revision and those of everything it uses, frozen as an implicit package, so that
//! installs, comparisons and integration packs work on it as on any publication.

use crate::db::build::Component;
use crate::db::deploy::{Package, PackagedComponent};
use crate::db::ids::*;
use crate::db::library::{Publication, PublishedProcess};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::accounts::DeploymentModel;
use crate::domain::audit::{Action, Source};
use crate::domain::build::ComponentType;
use crate::domain::validation::{FieldErrors, name_key};
use crate::error::AppError;
use crate::services::audit::{self, By, Entry};
use crate::services::build::dependencies;
use crate::services::deploy::{Frozen, freeze};
use crate::services::library::publishing::{
    self, NO_PUBLISHER, append, check_texts, latest_publication, live_component, publisher_ready,
};
use crate::services::{Caller, Ctx};

/// The refusal of a packaged action in a Legacy account.
pub(crate) fn refuse_in_legacy(caller: &Caller) -> Result<(), AppError> {
    if caller.deployment_model() == DeploymentModel::Legacy {
        return Err(AppError::Conflict(
            "This account uses the Legacy deployment model: publish with Publish Latest Revision."
                .to_owned(),
        ));
    }
    Ok(())
}

fn require_legacy(caller: &Caller) -> Result<(), AppError> {
    if caller.deployment_model() != DeploymentModel::Legacy {
        return Err(AppError::Conflict(
            "This account uses packaged components: package the process as shareable on the Deploy page, then publish the package."
                .to_owned(),
        ));
    }
    Ok(())
}

/// The account's process or API service, live; 404 for any other component (before any
/// other answer, so that another tenant's id tells nothing).
fn publishable(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ComponentId,
) -> Result<Component, AppError> {
    let component = live_component(conn, caller, id)?;
    match ComponentType::from_code(&component.component_type) {
        Some(ComponentType::Process | ComponentType::ApiService) => Ok(component),
        _ => Err(AppError::NotFound),
    }
}

/// Whether `manifest` freezes exactly what `published` froze: the same components at the same
/// revisions.
fn same_revisions(manifest: &[Component], published: &[PackagedComponent]) -> bool {
    let mut now: Vec<(&str, i32)> = manifest.iter().map(|c| (&*c.id, c.revision)).collect();
    let mut then: Vec<(&str, i32)> = published
        .iter()
        .map(|c| (&*c.component_id, c.revision))
        .collect();
    now.sort_unstable();
    then.sort_unstable();
    now == then
}

/// What *Publish Latest Revision* offers for a component.
#[derive(Debug, Clone)]
pub struct LegacyForm {
    pub component: Component,
    pub publisher_ready: bool,
    /// The latest publication, whose description and password choice the form starts from.
    pub latest: Option<Publication>,
    /// Whether the latest publication still matches the current revisions.
    pub unchanged: bool,
}

fn latest_and_unchanged(
    conn: &mut DbConnection,
    caller: &Caller,
    component: &Component,
) -> Result<(Option<Publication>, bool, Vec<Component>), AppError> {
    let manifest = dependencies::closure(conn, caller.account_id(), component)?;
    let latest = latest_publication(conn, caller, &component.id)?;
    let unchanged = match &latest {
        Some(p) => same_revisions(
            &manifest,
            &db::deploy::list_manifest(conn, caller.account_id(), &p.package_id)?,
        ),
        None => false,
    };
    Ok((latest, unchanged, manifest))
}

pub fn publish_form(ctx: &Ctx, component_id: &ComponentId) -> Result<LegacyForm, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let component = publishable(conn, caller, component_id)?;
        require_legacy(caller)?;
        let (latest, unchanged, _) = latest_and_unchanged(conn, caller, &component)?;
        Ok(LegacyForm {
            component,
            publisher_ready: publisher_ready(conn, caller.account_id())?,
            latest,
            unchanged,
        })
    })
}

/// The *Publish Latest Revision* form's values.
#[derive(Debug, Clone, Default)]
pub struct LegacyInput {
    pub component_id: ComponentId,
    pub description: String,
    pub include_passwords: bool,
    pub notes: String,
}

/// A free label for the implicit package of `root` at its current revision.
fn revision_label(conn: &mut DbConnection, root: &Component) -> Result<String, AppError> {
    let base = format!("Revision {}", root.revision);
    let mut label = base.clone();
    let mut n = 1;
    while db::deploy::version_taken(conn, &root.id, &name_key(&label))? {
        n += 1;
        label = format!("{base}.{n}");
    }
    Ok(label)
}

/// Publishes the component's latest revision, with those of everything it uses, as version
/// n+1 of its published process. Refused (409, beside the form) when nothing has changed since
/// its latest publication.
pub fn publish_latest(ctx: &Ctx, input: &LegacyInput) -> Result<Publication, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.write(|conn| {
        let component = publishable(conn, caller, &input.component_id)?;
        require_legacy(caller)?;
        let mut errors = FieldErrors::new();
        if !publisher_ready(conn, caller.account_id())? {
            errors.add("description", NO_PUBLISHER);
        }
        check_texts(&mut errors, &input.description, &input.notes);
        errors.into_result()?;
        let (latest, unchanged, manifest) = latest_and_unchanged(conn, caller, &component)?;
        if let Some(route) = manifest
            .iter()
            .find(|c| c.component_type == ComponentType::ProcessRoute.code())
        {
            return Err(AppError::invalid(
                "description",
                format!(
                    "{} uses the Process Route {}: a process that contains a Process Route cannot be published.",
                    component.name, route.name
                ),
            ));
        }
        if let (Some(latest), true) = (&latest, unchanged) {
            return Err(AppError::Refused(FieldErrors::single(
                "revision",
                format!(
                    "{}: version {} already publishes revision {} and nothing it uses has changed since. Change it before publishing again.",
                    component.name, latest.sequence, component.revision
                ),
            )));
        }
        let version = revision_label(conn, &component)?;
        let package = freeze(
            conn,
            caller,
            &component,
            &manifest,
            Frozen {
                version: &version,
                notes: "",
                shareable: true,
                implicit: true,
            },
        )?;
        let (process, publication) = append(
            conn,
            caller,
            &package,
            input.description.trim(),
            input.include_passwords,
            input.notes.trim(),
            None,
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::Published,
                target_type: "publication",
                target_id: Some(&publication.id),
                summary: format!(
                    "{} version {} published from its latest revision ({})",
                    process.name, publication.sequence, version
                ),
            },
        )?;
        Ok(publication)
    })
}

/// *View Component Publications*: a publication, its process and package, and the components
/// it froze with their revisions (the root first).
pub fn components_of(
    ctx: &Ctx,
    publication_id: &PublicationId,
) -> Result<
    (
        Publication,
        PublishedProcess,
        Package,
        Vec<PackagedComponent>,
    ),
    AppError,
> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let (publication, process, package) = publishing::details_in(conn, caller, publication_id)?;
        let manifest = db::deploy::list_manifest(conn, caller.account_id(), &package.id)?;
        Ok((publication, process, package, manifest))
    })
}

/// What `deployment-model` did.
#[derive(Debug, PartialEq, Eq)]
pub enum ModelOutcome {
    Changed,
    Unchanged,
}

/// Sets the deployment model of the primary account named `account_name` (the operator's
/// command). Publications made under either model stay as they are. Audited in the account.
pub fn set_model(
    pool: &DbPool,
    account_name: &str,
    model: DeploymentModel,
) -> Result<ModelOutcome, AppError> {
    db::write(pool, |conn| {
        let account = db::accounts::find_account_by_name(conn, &name_key(account_name))?
            .ok_or_else(|| AppError::BadRequest(format!("no account is named {account_name:?}")))?;
        if account.parent_id.is_some() {
            return Err(AppError::BadRequest(format!(
                "{} is a managed account: only a primary account publishes, so only it has a deployment model",
                account.name
            )));
        }
        if account.deployment_model == model.code() {
            return Ok(ModelOutcome::Unchanged);
        }
        db::accounts::set_deployment_model(conn, &account.id, model.code())?;
        audit::record(
            conn,
            &By {
                user_id: None,
                email: None,
                source: Source::Cli,
                client_addr: None,
            },
            Entry {
                account_id: Some(&account.id),
                action: Action::DeploymentModelSet,
                target_type: "account",
                target_id: Some(&account.id),
                summary: format!("Deployment model set to {}", model.label()),
            },
        )?;
        Ok(ModelOutcome::Changed)
    })
}
