//! Manage > Integration Packs: a partner's packs (create, contents, releases) and the packs a
//! managed account finds available; a group's *Add Integration Packs*.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::browse::Installation;
use crate::db::ids::{GroupId, JobId, PackId, ProcessId};
use crate::db::library::PublishedProcess;
use crate::db::packs::{IntegrationPack, PackRelease};
use crate::domain::accounts::Privilege;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::LibraryAccess;
use crate::services::pack_instances::{self, Extension, ExtensionsInput, Installed};
use crate::services::packs::{self, ATTACHMENTS, PackInput, PackPage, ReleaseInput};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

pub const HERE: &str = "/manage/integration-packs";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(HERE, web::get().to(list))
        .route("/manage/integration-packs/new", web::get().to(new_form))
        .route("/manage/integration-packs/new", web::post().to(create))
        .route("/manage/integration-packs/{id}", web::get().to(pack))
        .route(
            "/manage/integration-packs/{id}/members/add",
            web::get().to(members_form),
        )
        .route(
            "/manage/integration-packs/{id}/members/add",
            web::post().to(add_members),
        )
        .route(
            "/manage/integration-packs/{id}/members/{process}/remove",
            web::get().to(remove_member_form),
        )
        .route(
            "/manage/integration-packs/{id}/members/{process}/remove",
            web::post().to(remove_member),
        )
        .route(
            "/manage/integration-packs/{id}/delete",
            web::get().to(delete_form),
        )
        .route(
            "/manage/integration-packs/{id}/delete",
            web::post().to(delete),
        )
        .route(
            "/manage/integration-packs/{id}/release",
            web::get().to(release_form),
        )
        .route(
            "/manage/integration-packs/{id}/release",
            web::post().to(release),
        )
        .route(
            "/manage/integration-packs/{id}/install",
            web::get().to(install_form),
        )
        .route(
            "/manage/integration-packs/{id}/install",
            web::post().to(install),
        )
        .route(
            "/manage/integration-packs/instances/{id}",
            web::get().to(instance),
        )
        .route(
            "/manage/integration-packs/instances/{id}/extensions",
            web::get().to(extensions_form),
        )
        .route(
            "/manage/integration-packs/instances/{id}/extensions",
            web::post().to(save_extensions),
        )
        .route(
            "/manage/integration-packs/instances/{id}/uninstall",
            web::get().to(uninstall_form),
        )
        .route(
            "/manage/integration-packs/instances/{id}/uninstall",
            web::post().to(uninstall),
        )
        .route(
            "/settings/groups/{id}/packs/add",
            web::get().to(group_packs_form),
        )
        .route(
            "/settings/groups/{id}/packs/add",
            web::post().to(add_group_packs),
        );
}

#[derive(Template)]
#[template(path = "packs/list.html")]
struct ListPage {
    ctx: PageContext,
    /// The partner's packs with their latest release in effect.
    packs: Vec<(IntegrationPack, Option<i32>)>,
}

#[derive(Template)]
#[template(path = "packs/available.html")]
struct AvailablePage {
    ctx: PageContext,
    available: Vec<(IntegrationPack, i32)>,
    installed: Vec<Installed>,
    can_install: bool,
}

/// The partner's packs, or a managed account's available ones.
pub async fn list(req: Request) -> Result<HttpResponse, AppError> {
    if req.caller().packs_access() == LibraryAccess::ManagedAccount {
        let available = req.read(packs::available).await?;
        let installed = req.read(pack_instances::installed).await?;
        let ctx = req.page(Section::Manage, HERE, "Integration Packs").await?;
        return page::ok(&AvailablePage {
            ctx,
            available,
            installed,
            can_install: req.may(Privilege::BuildWrite),
        });
    }
    let packs = req.read(packs::list).await?;
    let ctx = req.page(Section::Manage, HERE, "Integration Packs").await?;
    page::ok(&ListPage { ctx, packs })
}

#[derive(Template)]
#[template(path = "packs/new.html")]
struct NewPage {
    ctx: PageContext,
    name: Field,
    description: Field,
    attachment: Select,
}

async fn new_page(req: &Request, form: &Pairs, errors: &FieldErrors) -> Result<NewPage, AppError> {
    req.caller().require_packs()?;
    Ok(NewPage {
        ctx: req
            .page(Section::Manage, HERE, "New Integration Pack")
            .await?,
        name: Field::text("name", "Name")
            .required()
            .with(form.get("name"), errors),
        description: Field::text("description", "Description")
            .maxlength(500)
            .with(form.get("description"), errors),
        attachment: Select::new(
            "attachment",
            "Installation Type",
            ATTACHMENTS
                .iter()
                .map(|(code, label)| Choice::new(*code, *label, form.get("attachment") == *code))
                .collect(),
        )
        .required()
        .help("Single attachment: one instance per account. Multiple attachment: named instances. Fixed once created.")
        .error(errors, "attachment"),
    })
}

pub async fn new_form(req: Request) -> Result<HttpResponse, AppError> {
    page::ok(&new_page(&req, &Pairs::default(), &FieldErrors::new()).await?)
}

pub async fn create(
    req: Request,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = Pairs(pairs);
    let input = PackInput {
        name: form.get("name").to_owned(),
        description: form.get("description").to_owned(),
        attachment: form.get("attachment").to_owned(),
    };
    req.submit(
        move |ctx| {
            let id = packs::create(ctx, &input)?;
            Ok(Redirect::to(format!("{HERE}/{id}"))
                .with(format!("Integration pack {} created.", input.name.trim())))
        },
        async |errors| new_page(&req, &form, &errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "packs/pack.html")]
struct PackView {
    ctx: PageContext,
    page: PackPage,
}

impl PackView {
    fn status(&self, release: &PackRelease) -> &'static str {
        if release.released(self.page.now) {
            "Released"
        } else {
            "Scheduled"
        }
    }
}

pub async fn pack(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = PackId::from(path.into_inner());
    let page = req.run(move |ctx| packs::page(ctx, &id)).await?;
    let ctx = req.page(Section::Manage, HERE, &page.pack.name).await?;
    page::ok(&PackView { ctx, page })
}

#[derive(Template)]
#[template(path = "packs/members_chooser.html")]
struct MembersPage {
    ctx: PageContext,
    pack: IntegrationPack,
    candidates: Vec<PublishedProcess>,
    error: Option<String>,
}

async fn members_page(
    req: &Request,
    id: String,
    error: Option<String>,
) -> Result<MembersPage, AppError> {
    let (pack, candidates) = req
        .run(move |ctx| packs::member_candidates(ctx, &PackId::from(id)))
        .await?;
    Ok(MembersPage {
        ctx: req
            .page(Section::Manage, HERE, "Add Published Processes")
            .await?,
        pack,
        candidates,
        error,
    })
}

pub async fn members_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page::ok(&members_page(&req, path.into_inner(), None).await?)
}

pub async fn add_members(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let chosen: Vec<ProcessId> = Pairs(pairs)
        .all("process")
        .into_iter()
        .take(1000)
        .map(ProcessId::from)
        .collect();
    let target = id.clone();
    req.submit(
        move |ctx| {
            let n = packs::add_members(ctx, &PackId::from(target.clone()), &chosen)?;
            Ok(Redirect::to(format!("{HERE}/{target}")).with(format!(
                "{} added to the pack.",
                page::count(n, "published process", "published processes")
            )))
        },
        async |errors| {
            let error = errors.get("processes").map(str::to_owned);
            members_page(&req, id, error).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "packs/release.html")]
struct ReleasePage {
    ctx: PageContext,
    page: PackPage,
    notes: Field,
    date: Field,
}

async fn release_page(
    req: &Request,
    id: String,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<ReleasePage, AppError> {
    let page = req
        .run(move |ctx| packs::page(ctx, &PackId::from(id)))
        .await?;
    let title = format!("Release {}", page.pack.name);
    Ok(ReleasePage {
        ctx: req.page(Section::Manage, HERE, &title).await?,
        page,
        notes: Field::text("notes", "Release Notes")
            .maxlength(4000)
            .with(form.get("notes"), errors),
        date: Field::text("date", "Release Date")
            .kind("date")
            .help("UTC. Empty or past: released now. A later date: released at the start of that day.")
            .with(form.get("date"), errors),
    })
}

pub async fn release_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page::ok(
        &release_page(
            &req,
            path.into_inner(),
            &Pairs::default(),
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn release(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let input = ReleaseInput {
        notes: form.get("notes").to_owned(),
        date: form.get("date").to_owned(),
    };
    let target = id.clone();
    req.submit(
        move |ctx| {
            let release = packs::release(ctx, &PackId::from(target.clone()), &input)?;
            let when = if release.released_at.is_some() {
                "released".to_owned()
            } else {
                format!(
                    "scheduled for {}",
                    release.release_at.format("%Y-%m-%d %H:%M UTC")
                )
            };
            Ok(Redirect::to(format!("{HERE}/{target}"))
                .with(format!("Release {} {when}.", release.sequence)))
        },
        async |errors| release_page(&req, id, &form, &errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "packs/group_chooser.html")]
struct GroupPacksPage {
    ctx: PageContext,
    id: String,
    group_name: String,
    candidates: Vec<IntegrationPack>,
    error: Option<String>,
}

async fn group_packs_page(
    req: &Request,
    id: String,
    error: Option<String>,
) -> Result<GroupPacksPage, AppError> {
    let target = id.clone();
    let (group, candidates) = req
        .run(move |ctx| packs::group_pack_candidates(ctx, &GroupId::from(target)))
        .await?;
    Ok(GroupPacksPage {
        ctx: req
            .page(
                Section::Settings,
                "/settings/groups",
                "Add Integration Packs",
            )
            .await?,
        id,
        group_name: group.name,
        candidates,
        error,
    })
}

pub async fn group_packs_form(
    req: Request,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    page::ok(&group_packs_page(&req, path.into_inner(), None).await?)
}

pub async fn add_group_packs(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let chosen: Vec<PackId> = Pairs(pairs)
        .all("pack")
        .into_iter()
        .take(1000)
        .map(PackId::from)
        .collect();
    let target = id.clone();
    req.submit(
        move |ctx| {
            let n = packs::add_group_packs(ctx, &GroupId::from(target.clone()), &chosen)?;
            Ok(
                Redirect::to(format!("/settings/groups/{target}/resources")).with(format!(
                    "{} added to the group.",
                    page::count(n, "integration pack", "integration packs")
                )),
            )
        },
        async |errors| {
            let error = errors.get("packs").map(str::to_owned);
            group_packs_page(&req, id, error).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "packs/install.html")]
struct InstallPage {
    ctx: PageContext,
    pack: IntegrationPack,
    release: PackRelease,
    instance_name: Option<Field>,
}

async fn install_page(
    req: &Request,
    id: String,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<InstallPage, AppError> {
    let (pack, release) = req
        .run(move |ctx| pack_instances::form(ctx, &PackId::from(id)))
        .await?;
    let title = format!("Install {}", pack.name);
    Ok(InstallPage {
        ctx: req.page(Section::Manage, HERE, &title).await?,
        instance_name: pack.multiple().then(|| {
            Field::text("instance_name", "Instance Name")
                .required()
                .help("Names this installation of the pack and its folder.")
                .with(form.get("instance_name"), errors)
        }),
        pack,
        release,
    })
}

pub async fn install_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page::ok(
        &install_page(
            &req,
            path.into_inner(),
            &Pairs::default(),
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn install(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let (target, name) = (id.clone(), form.get("instance_name").to_owned());
    req.submit(
        move |ctx| {
            let instance = pack_instances::install(ctx, &PackId::from(target), &name)?;
            Ok(Redirect::to(format!("{HERE}/instances/{instance}"))
                .with("Integration pack installed.".to_owned()))
        },
        async |errors| install_page(&req, id, &form, &errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "packs/instance.html")]
struct InstancePage {
    ctx: PageContext,
    installed: Installed,
    members: Vec<Installation>,
}

pub async fn instance(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (installed, members) = req
        .run(move |ctx| pack_instances::instance(ctx, &id))
        .await?;
    let ctx = req
        .page(Section::Manage, HERE, &installed.0.instance_name)
        .await?;
    page::ok(&InstancePage {
        ctx,
        installed,
        members,
    })
}

#[derive(Template)]
#[template(path = "packs/extensions.html")]
struct ExtensionsPage {
    ctx: PageContext,
    installed: Installed,
    extensions: Vec<Extension>,
    form: Pairs,
    errors: FieldErrors,
    can_write: bool,
}

impl ExtensionsPage {
    /// The value to show in the field `KIND:COMPONENT[:INDEX]`: what was sent (when the form
    /// comes back), else `saved`.
    fn field_value(
        &self,
        kind: &str,
        component: &str,
        index: Option<usize>,
        saved: &str,
    ) -> String {
        if self.form.0.is_empty() {
            return saved.to_owned();
        }
        let name = match index {
            Some(i) => format!("{kind}:{component}:{i}"),
            None => format!("{kind}:{component}"),
        };
        self.form.get(&name).to_owned()
    }
}

async fn extensions_page(
    req: &Request,
    id: String,
    form: Pairs,
    errors: FieldErrors,
) -> Result<ExtensionsPage, AppError> {
    let (installed, extensions) = req
        .run(move |ctx| pack_instances::extensions(ctx, &id))
        .await?;
    let title = format!("Extensions of {}", installed.0.instance_name);
    Ok(ExtensionsPage {
        ctx: req.page(Section::Manage, HERE, &title).await?,
        installed,
        extensions,
        form,
        errors,
        can_write: req.may(Privilege::BuildWrite),
    })
}

pub async fn extensions_form(
    req: Request,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    page::ok(
        &extensions_page(
            &req,
            path.into_inner(),
            Pairs::default(),
            FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn save_extensions(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let mut input = ExtensionsInput::default();
    for (name, value) in &form.0 {
        let mut parts = name.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("url"), Some(c), None) => {
                input.url.insert(c.to_owned(), value.clone());
            }
            (Some("username"), Some(c), None) => {
                input.username.insert(c.to_owned(), value.clone());
            }
            (Some("password"), Some(c), None) => {
                input.password.insert(c.to_owned(), value.clone());
            }
            (Some("property"), Some(c), Some(i)) => {
                if let Ok(i) = i.parse::<usize>() {
                    input.properties.insert((c.to_owned(), i), value.clone());
                }
            }
            _ => {}
        }
    }
    let target = id.clone();
    req.submit(
        move |ctx| {
            let n = pack_instances::save_extensions(ctx, &target, &input)?;
            Ok(
                Redirect::to(format!("{HERE}/instances/{target}")).with(format!(
                    "Extensions saved ({} changed).",
                    page::count(n, "component", "components")
                )),
            )
        },
        async |errors| {
            // Secrets typed in are never sent back.
            let shown = Pairs(
                form.0
                    .iter()
                    .filter(|(k, _)| !k.starts_with("password:"))
                    .cloned()
                    .collect(),
            );
            extensions_page(&req, id, shown, errors).await
        },
    )
    .await
}

pub async fn uninstall_form(
    req: Request,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let target = id.clone();
    let ((instance, pack, _), _) = req
        .run(move |ctx| pack_instances::instance(ctx, &target))
        .await?;
    crate::web::confirm::page(
        &req,
        crate::web::confirm::Confirm {
            section: Section::Manage,
            current: HERE,
            title: format!("Remove {}", instance.instance_name),
            what: format!(
                "Uninstalling removes the components of this instance of {} and their extensions, passwords included. Refused while components of this account use them.",
                pack.name
            ),
            action: format!("{HERE}/instances/{id}/uninstall"),
            button: "Uninstall",
            cancel: format!("{HERE}/instances/{id}"),
        },
    )
    .await
}

pub async fn uninstall(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    req.act(move |ctx| {
        let name = pack_instances::uninstall(ctx, &id)?;
        Ok(Redirect::to(HERE).with(format!("{name} uninstalled.")))
    })
    .await
}

pub async fn remove_member_form(
    req: Request,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, process) = path.into_inner();
    let (pid, proc_id) = (PackId::from(id.clone()), ProcessId::from(process.clone()));
    let (pack, member) = req
        .run(move |ctx| packs::member(ctx, &pid, &proc_id))
        .await?;
    crate::web::confirm::page(
        &req,
        crate::web::confirm::Confirm {
            section: Section::Manage,
            current: HERE,
            title: format!("Remove {} from {}", member.name, pack.name),
            what: format!(
                "Later releases of {} will not hold {}. Released versions keep it, and so do the instances installed from them.",
                pack.name, member.name
            ),
            action: format!("{HERE}/{id}/members/{process}/remove"),
            button: "Remove",
            cancel: format!("{HERE}/{id}"),
        },
    )
    .await
}

pub async fn remove_member(
    req: Request,
    path: web::Path<(String, String)>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, process) = path.into_inner();
    req.act(move |ctx| {
        let name = packs::remove_member(ctx, &PackId::from(id.clone()), &ProcessId::from(process))?;
        Ok(Redirect::to(format!("{HERE}/{id}")).with(format!("{name} removed from the pack.")))
    })
    .await
}

pub async fn delete_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let target = PackId::from(id.clone());
    let (pack, installed) = req
        .run(move |ctx| packs::for_deletion(ctx, &target))
        .await?;
    let instances = if installed == 0 {
        "No account has installed it.".to_owned()
    } else {
        format!(
            "{} installed keep their components, at the release they run, until their accounts uninstall them; no release reaches them any more.",
            page::count(
                usize::try_from(installed).unwrap_or_default(),
                "instance",
                "instances"
            )
        )
    };
    crate::web::confirm::page(
        &req,
        crate::web::confirm::Confirm {
            section: Section::Manage,
            current: HERE,
            title: format!("Delete {}", pack.name),
            what: format!(
                "Deleting {} takes it out of your integration packs and of every account group, so that no account can install it any more. {instances}",
                pack.name
            ),
            action: format!("{HERE}/{id}/delete"),
            button: "Delete Integration Pack",
            cancel: format!("{HERE}/{id}"),
        },
    )
    .await
}

pub async fn delete(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = PackId::from(path.into_inner());
    req.act(move |ctx| {
        let name = packs::delete(ctx, &id)?;
        Ok(Redirect::to(HERE).with(format!("{name} deleted.")))
    })
    .await
}

struct JobRow {
    instance: String,
    result: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "packs/job.html")]
struct ReleaseJobPage {
    ctx: PageContext,
    id: String,
    pack_id: String,
    pack_live: bool,
    done: i32,
    total: i32,
    finished: bool,
    waiting: bool,
    summary: String,
    rows: Vec<JobRow>,
}

/// The progress of a release reaching the installed instances (Integration Pack privilege).
pub async fn release_job(req: Request, id: String) -> Result<HttpResponse, AppError> {
    use crate::services::pack_releases::{FAILED, ReleaseJobView, SKIPPED, UPDATED};
    let target = JobId::from(&id);
    let ReleaseJobView {
        job,
        title,
        pack_id,
        items,
        counts,
        waiting,
        pack_live,
    } = req
        .run(move |ctx| crate::services::pack_releases::view(ctx, &target))
        .await?;
    let count = |state: &str| {
        counts
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0, |(_, n)| *n)
    };
    // The first item finds the instances; the others are one per instance.
    let summary = format!(
        "{} updated, {} left as they were, {} not updated.",
        count(UPDATED).saturating_sub(1).max(0),
        count(SKIPPED),
        count(FAILED)
    );
    let rows = items
        .into_iter()
        .skip(1)
        .map(|i| JobRow {
            instance: i.label,
            result: match i.state.as_str() {
                UPDATED => "Updated",
                SKIPPED => "Left as it was",
                FAILED => "Not updated",
                _ => "Waiting",
            },
            message: i.message,
        })
        .collect();
    let ctx = req.page(Section::Manage, HERE, &title).await?;
    page::ok(&ReleaseJobPage {
        ctx,
        waiting,
        id,
        pack_id,
        pack_live,
        done: job.done,
        total: job.total,
        finished: job.finished_at.is_some(),
        summary,
        rows,
    })
}
