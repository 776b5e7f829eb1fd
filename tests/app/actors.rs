//! Every page with an id, read from the web layer's route registrations, called by five actors:
//! a visitor (sent to sign in), the owner (the page), a user of the owner's account without the
//! privilege (403), a user of another managed account and an administrator of another primary
//! account (404 or 403). Only the owner's page ever shows the owner's marker. A route whose
//! parameters this test cannot fill fails it, so a new route is covered or noticed.

use actix_web::http::StatusCode;
use process_library::db::ids::*;
use process_library::domain::accounts::{BuiltInRole, DeploymentModel};
use process_library::domain::build::{Body, ComponentType};
use process_library::services::browse::install;
use process_library::services::groups;
use process_library::services::library::legacy;

use crate::support::{PASSWORD, TestApp, route_patterns};

const MARKER: &str = "Zanzibar";

/// GET routes with parameters, as registered (`{id}` and the like left in).
fn patterns() -> Vec<String> {
    route_patterns("web::get()")
        .into_iter()
        .filter(|route| route.contains('{'))
        .collect()
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Owner {
    Partner,
    Customer,
}

struct World {
    app: TestApp,
    component: String,
    folder: String,
    package: String,
    published: String,
    publication: String,
    group: String,
    role: String,
    installation: String,
    /// The root component the installation made in the customer's account.
    installed_copy: String,
    /// Install for Accounts of the partner's process into the customer.
    job: String,
    /// An integration pack of the partner.
    pack: String,
    /// The customer's installed instance of it.
    instance: String,
    /// The customer, a member of the group.
    customer: String,
    /// A user of the partner holding a role through the group.
    group_user: String,
    /// A user of the partner besides its administrator.
    partner_user: String,
    /// A personal access token of the partner's administrator.
    token: String,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let partner = app.primary_account(&format!("{MARKER} Partner"), "ada@partner.test");
    app.enable_library(&partner);
    let customer = app.managed_account(
        &partner,
        &format!("{MARKER} Customer"),
        "boss@customer.test",
    );
    app.managed_account(&partner, "Other Customer", "boss@other.test");
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    app.enable_library(&rival);
    let partner_user = app.auditor(&partner, "auditor@partner.test");
    app.auditor(&customer, "auditor@customer.test");
    let group_user = app.user(&partner, "consultant@partner.test", BuiltInRole::Support);
    let component = app.component(
        &partner,
        &format!("{MARKER} Sync"),
        Body::empty(ComponentType::Process),
    );
    let folder = process_library::services::build::folders::create(
        &app.admin(&partner),
        &FolderId::from(&app.root_folder(&partner)),
        &format!("{MARKER} Folder"),
    )
    .expect("folder");
    // The older of two publications: it can be opened, compared and republished.
    let (published, publication) = app.publish(&partner, &component, false);
    app.publish(&partner, &component, false);
    let package = process_library::db::read(&app.pool, |conn| {
        Ok(process_library::db::library::find_publication_for_account(
            conn,
            &AccountId::from(&partner),
            &PublicationId::from(&publication),
        )?
        .map(|p| p.package_id))
    })
    .expect("package")
    .expect("publication");
    let caller = app.admin(&partner);
    let group = groups::create(&caller, &format!("{MARKER} Gold")).expect("group");
    groups::add_members(
        &caller,
        &GroupId::from(&group),
        std::slice::from_ref(&AccountId::from(&customer)),
    )
    .expect("member");
    groups::add_resources(
        &caller,
        &GroupId::from(&group),
        std::slice::from_ref(&ProcessId::from(&published)),
    )
    .expect("resource");
    groups::add_user(
        &caller,
        &GroupId::from(&group),
        "consultant@partner.test",
        &RoleId::from(BuiltInRole::Support.id()),
    )
    .expect("group user");
    let installation = install::install(
        &app.admin(&customer),
        &ProcessId::from(&published),
        &install::InstallInput {
            folder_id: FolderId::from(app.root_folder(&customer)),
            new_folder: String::new(),
            local_name: format!("{MARKER} Copy"),
            idempotency_key: "matrix".to_owned(),
            bindings: Default::default(),
            on_behalf_of: None,
        },
    )
    .expect("install");
    let installed_copy = installation.root_component_id.into_string();
    let job = process_library::services::library::install_for::start(
        &app.admin(&partner),
        &ComponentId::from(&component),
        &process_library::services::library::install_for::InstallForInput {
            accounts: vec![customer.clone()],
            ..Default::default()
        },
    )
    .expect("a job")
    .into_string();
    let pack = crate::support::integration_pack(&app, &partner, MARKER, &published, &group);
    let instance = process_library::services::pack_instances::install(
        &app.admin(&customer),
        &PackId::from(pack.clone()),
        "",
    )
    .expect("the pack installed");
    let installation = installation.id;
    let role = process_library::db::read(&app.pool, |conn| {
        Ok(
            process_library::db::accounts::list_roles(conn, &AccountId::from(&partner))?
                .into_iter()
                .find(|r| r.account_id.is_some())
                .map(|r| r.id),
        )
    })
    .expect("roles")
    .expect("the partner's custom role");
    let token = app.api_token("ada@partner.test", "read").0;
    World {
        app,
        component,
        folder: folder.into_string(),
        package: package.into_string(),
        published,
        publication,
        group: group.into_string(),
        role: role.into_string(),
        installation: installation.into_string(),
        installed_copy,
        job,
        pack,
        instance,
        customer,
        group_user,
        partner_user,
        token,
    }
}

/// The route with its parameters filled, and whose objects they are.
fn fill(pattern: &str, w: &World) -> Result<(String, Owner), String> {
    let owner = if pattern.starts_with("/build/library/")
        || pattern.starts_with("/build/installations/")
        || pattern.ends_with("/source")
        || pattern.starts_with("/manage/integration-packs/instances/")
        || (pattern.starts_with("/manage/integration-packs/") && pattern.ends_with("/install"))
    {
        Owner::Customer
    } else {
        Owner::Partner
    };
    let mut path = Vec::new();
    for part in pattern.split('/') {
        let value = match (part, pattern) {
            (p, _) if !p.starts_with('{') => p.to_owned(),
            ("{id}", r) if r.starts_with("/build/components/") && r.ends_with("/source") => {
                w.installed_copy.clone()
            }
            ("{id}", r) if r.starts_with("/build/components/") => w.component.clone(),
            ("{id}", r) if r.starts_with("/build/installations/") => w.installation.clone(),
            ("{id}", r) if r.starts_with("/manage/jobs/") => w.job.clone(),
            ("{id}", r) if r.starts_with("/manage/integration-packs/instances/") => {
                w.instance.clone()
            }
            ("{id}", r) if r.starts_with("/manage/integration-packs/") => w.pack.clone(),
            ("{process}", r) if r.starts_with("/manage/integration-packs/") => w.published.clone(),
            ("{id}", r) if r.starts_with("/build/folders/") => w.folder.clone(),
            ("{id}", r) if r.starts_with("/build/library/installations/") => w.installation.clone(),
            ("{id}", r) if r.starts_with("/build/library/") => w.published.clone(),
            ("{id}", r) if r.starts_with("/deploy/packages/") => w.package.clone(),
            ("{component}", r) if r.starts_with("/manage/process-library/") => w.component.clone(),
            ("{id}", r) if r.starts_with("/manage/process-library/publications/") => {
                w.publication.clone()
            }
            ("{id}", r) if r.starts_with("/settings/groups/") => w.group.clone(),
            ("{process}", r) if r.starts_with("/settings/groups/") => w.published.clone(),
            ("{account}", r) if r.starts_with("/settings/groups/") => w.customer.clone(),
            ("{user}", r) if r.starts_with("/settings/groups/") => w.group_user.clone(),
            ("{id}", r) if r.starts_with("/settings/users/") => w.partner_user.clone(),
            ("{id}", r) if r.starts_with("/settings/roles/") => w.role.clone(),
            ("{id}", r) if r.starts_with("/settings/api-tokens/") => w.token.clone(),
            _ => return Err(format!("no object for {part} in {pattern}")),
        };
        path.push(value);
    }
    Ok((path.join("/"), owner))
}

/// The partner publishes under the model a page belongs to: Legacy for *Publish Latest
/// Revision*, packaged components for everything else.
fn model_for(app: &TestApp, page: &str) {
    let model = if page.ends_with("/publish-latest") {
        DeploymentModel::Legacy
    } else {
        DeploymentModel::Packaged
    };
    legacy::set_model(&app.pool, &format!("{MARKER} Partner"), model).expect("model");
}

async fn as_user(app: &mut TestApp, email: Option<&str>) {
    app.set_cookie(None);
    if let Some(email) = email {
        app.sign_in(email, PASSWORD).await;
    }
}

#[actix_web::test]
async fn every_page_with_an_id_answers_each_actor_as_it_should() {
    let mut w = world().await;
    let patterns = patterns();
    assert!(patterns.len() >= 15, "found {patterns:?}");
    let mut pages = Vec::new();
    for pattern in &patterns {
        pages.push(fill(pattern, &w).unwrap_or_else(|e| panic!("{e}")));
    }
    let mut failures = Vec::new();
    as_user(&mut w.app, None).await;
    for (page, _) in &pages {
        let r = w.app.get(page).await;
        if r.status != StatusCode::SEE_OTHER || !r.location().starts_with("/login?next=%2F") {
            failures.push(format!("{page}: a visitor got {}", r.status));
        }
    }
    for (owner, owner_email, unprivileged, stranger) in [
        (
            Owner::Partner,
            "ada@partner.test",
            "auditor@partner.test",
            "boss@customer.test",
        ),
        (
            Owner::Customer,
            "boss@customer.test",
            "auditor@customer.test",
            "boss@other.test",
        ),
    ] {
        let mine: Vec<&String> = pages
            .iter()
            .filter(|(_, o)| *o == owner)
            .map(|(p, _)| p)
            .collect();
        as_user(&mut w.app, Some(owner_email)).await;
        for page in &mine {
            model_for(&w.app, page);
            let r = w.app.get(page).await;
            if r.status != StatusCode::OK {
                failures.push(format!("{page}: the owner got {}", r.status));
            }
        }
        as_user(&mut w.app, Some(unprivileged)).await;
        for page in &mine {
            model_for(&w.app, page);
            let r = w.app.get(page).await;
            // The page's own content (the layout names the user's own account). A user's own
            // objects (their API tokens) are nobody else's, privileged or not: 404.
            let refusal = if page.starts_with("/settings/api-tokens/") {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            if r.status != refusal || r.text("main").contains(MARKER) {
                failures.push(format!(
                    "{page}: a user of the account without the privilege got {}",
                    r.status
                ));
            }
        }
        for other in [stranger, "boss@rival.test"] {
            as_user(&mut w.app, Some(other)).await;
            for page in &mine {
                model_for(&w.app, page);
                let r = w.app.get(page).await;
                let refused = matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN);
                if !refused || r.text("main").contains(MARKER) || r.count("h1") != 1 {
                    failures.push(format!("{page}: {other} got {}", r.status));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} answers were wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
