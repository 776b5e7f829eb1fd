//! The test worlds of several objects: a partner sharing its library with a group of customers,
//! and a partner at scale with the pages it serves most.

use process_library::db;
use process_library::db::ids::*;
use process_library::domain::build::{Body, ComponentType};
use process_library::services::groups;

use super::{PASSWORD, Response, TestApp, connection, connector_process};

/// A partner with the library on, two customers, a group "Gold" holding the first customer,
/// and the first customer's administrator signed in.
pub struct World {
    pub app: TestApp,
    pub partner: String,
    pub gold: String,
    pub all: String,
    pub acme: String,
    pub globex: String,
}

pub async fn library_world() -> World {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.enable_library(&partner);
    let acme = app.managed_account(&partner, "Acme Retail", "admin@acme.test");
    let globex = app.managed_account(&partner, "Globex", "admin@globex.test");
    let caller = app.admin(&partner);
    let gold = groups::create(&caller, "Gold").expect("group");
    groups::add_members(
        &caller,
        &GroupId::from(&gold),
        std::slice::from_ref(&AccountId::from(&acme)),
    )
    .expect("member");
    let all = db::read(&app.pool, |conn| {
        db::groups::find_all_accounts_group(conn, &AccountId::from(&partner))
    })
    .expect("q")
    .expect("all")
    .id;
    app.sign_in("admin@acme.test", PASSWORD).await;
    World {
        app,
        partner,
        gold: gold.into_string(),
        all: all.into_string(),
        acme,
        globex,
    }
}

/// A new process of the partner, published and shared with Gold: (component, published process).
pub fn shared_with_gold(w: &World, name: &str) -> (String, String) {
    let component = w
        .app
        .component(&w.partner, name, Body::empty(ComponentType::Process));
    let (published, _) = w.app.publish(&w.partner, &component, false);
    share(w, &w.gold, &published);
    (component, published)
}

pub fn share(w: &World, group: &str, process: &str) {
    groups::add_resources(
        &w.app.admin(&w.partner),
        &GroupId::from(group),
        &[ProcessId::from(process.to_owned())],
    )
    .expect("share");
}

pub async fn install(app: &mut TestApp, process: &str, name: &str) -> Response {
    let form = app.get(&format!("/build/library/{process}/install")).await;
    let token = form.attr("input[name=token]", "value").expect("token");
    let folder = form
        .attr("#f-folder option[selected]", "value")
        .expect("location");
    app.post(
        &format!("/build/library/{process}/install"),
        &[
            ("token", &token),
            ("folder", &folder),
            ("new_folder", ""),
            ("local_name", name),
        ],
    )
    .await
}

/// A partner with `n` published processes (each with a connection), `n` managed accounts,
/// `n` groups holding them all and sharing every process, and one installation per process
/// in the heavy customer's account; the partner's administrator is signed in.
pub async fn scale_world(n: usize) -> (TestApp, Vec<String>) {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.enable_library(&partner);
    let caller = app.admin(&partner);
    let accounts: Vec<String> = (0..n)
        .map(|i| {
            app.managed_account(
                &partner,
                &format!("Customer {i:03}"),
                &format!("admin{i}@customers.test"),
            )
        })
        .collect();
    let heavy = app.managed_account(&partner, "Heavy Customer", "heavy@customers.test");
    let mut published = Vec::new();
    let mut processes = Vec::new();
    for i in 0..n {
        let conn = app.component(&partner, &format!("Connection {i:03}"), connection());
        let process = app.component(
            &partner,
            &format!("Process {i:03}"),
            connector_process(&conn),
        );
        app.component(
            &partner,
            &format!("Profile {i:03}"),
            Body::empty(ComponentType::Profile),
        );
        published.push(app.publish(&partner, &process, false).0);
        processes.push(process);
    }
    let mut group_ids = Vec::new();
    for g in 0..n {
        let group = groups::create(&caller, &format!("Group {g:03}")).expect("group");
        let mut members = accounts.clone();
        members.push(heavy.clone());
        let members: Vec<AccountId> = members.iter().map(AccountId::from).collect();
        groups::add_members(&caller, &GroupId::from(&group), &members).expect("members");
        let shared: Vec<ProcessId> = published.iter().map(ProcessId::from).collect();
        groups::add_resources(&caller, &GroupId::from(&group), &shared).expect("resources");
        group_ids.push(group);
    }
    let heavy_caller = app.admin(&heavy);
    let root = app.root_folder(&heavy);
    for (i, pp) in published.iter().enumerate() {
        let input = process_library::services::browse::install::InstallInput {
            folder_id: FolderId::from(root.clone()),
            new_folder: String::new(),
            local_name: format!("Installed {i:03}"),
            idempotency_key: format!("key-{i}"),
            bindings: Default::default(),
            on_behalf_of: None,
        };
        process_library::services::browse::install::install(
            &heavy_caller,
            &ProcessId::from(pp),
            &input,
        )
        .expect("install");
    }
    app.sign_in("ada@partner.test", PASSWORD).await;
    (
        app,
        vec![
            processes[0].clone(),
            published[0].clone(),
            group_ids[0].clone().into_string(),
        ],
    )
}

/// The hot pages of the partner's administrator and of the heavy customer.
pub fn hot_pages(ids: &[String]) -> (Vec<String>, Vec<String>) {
    let (process, published, group) = (&ids[0], &ids[1], &ids[2]);
    let partner_pages = vec![
        "/build".to_owned(),
        "/build?q=process".to_owned(),
        // A text held nowhere: looked for through the trigram index of names.
        "/build?q=held+nowhere".to_owned(),
        "/deploy".to_owned(),
        "/manage/process-library".to_owned(),
        // The partner's own processes as its customers see them.
        "/build/library".to_owned(),
        format!("/manage/process-library?selected={process}"),
        "/settings/groups".to_owned(),
        format!("/settings/groups/{group}"),
        format!("/settings/groups/{group}/resources"),
        format!("/settings/groups/{group}/accounts/add"),
        "/settings/audit".to_owned(),
        "/settings/users".to_owned(),
    ];
    let customer_pages = vec![
        "/build/library".to_owned(),
        "/build/library?sort=name&q=process".to_owned(),
        "/build/library?sort=date".to_owned(),
        "/build/library?category=CRM&tag=batch".to_owned(),
        format!("/build/library/{published}"),
        format!("/build/library/{published}/install"),
        "/build/components/new".to_owned(),
        "/build".to_owned(),
    ];
    (partner_pages, customer_pages)
}

/// One tenant's objects: a primary account with the library on and a managed account of it,
/// with a folder, a connection and a process using it, the process's package, published process
/// and publication shared with a group, a custom role, a group holding the managed account and a
/// user of the primary, and an installation of the process in the managed account. Every name
/// starts with `marker`; the administrators are `admin@{domain}` and `boss@customer.{domain}`.
pub struct Tenant {
    pub primary: String,
    pub root: String,
    pub folder: String,
    pub connection: String,
    pub process: String,
    pub package: String,
    pub published: String,
    pub publication: String,
    pub role: String,
    pub group: String,
    /// A user of the primary account, also a user of the group.
    pub member: String,
    pub member_email: String,
    pub customer: String,
    pub customer_root: String,
    pub customer_folder: String,
    /// A user of the managed account besides its administrator.
    pub clerk: String,
    pub installation: String,
    /// The installed copy of the process, in the managed account.
    pub installed: String,
    /// An invitation of the primary account to the clerk, who has not answered it.
    pub invitation: String,
    /// A job of the primary account: the process installed for its customer.
    pub job: String,
    /// An integration pack of the primary account holding the process, released once and
    /// shared with the group.
    pub pack: String,
    /// The customer's installed instance of the pack.
    pub instance: String,
    /// A personal access token of the primary account's administrator.
    pub token: String,
}

/// Turns integration packs on for a primary account and makes a pack named "MARKER Pack"
/// holding `published`, released once and shared with `group`; returns its id.
pub fn integration_pack(
    app: &TestApp,
    primary: &str,
    marker: &str,
    published: &str,
    group: &str,
) -> String {
    use process_library::services::packs;
    let account = db::read(&app.pool, |conn| {
        db::accounts::get_account(conn, &AccountId::from(primary))
    })
    .expect("account");
    process_library::services::accounts::setup::set_feature(
        &app.pool,
        &account.name,
        process_library::domain::accounts::Feature::IntegrationPacks,
        true,
    )
    .expect("integration packs");
    let caller = app.admin(primary);
    let pack = packs::create(
        &caller,
        &packs::PackInput {
            name: format!("{marker} Pack"),
            description: format!("{marker} pack"),
            attachment: "single".to_owned(),
        },
    )
    .expect("pack");
    packs::add_members(&caller, &pack, &[ProcessId::from(published.to_owned())]).expect("member");
    packs::release(&caller, &pack, &packs::ReleaseInput::default()).expect("release");
    packs::add_group_packs(
        &caller,
        &GroupId::from(group.to_owned()),
        std::slice::from_ref(&pack),
    )
    .expect("shared");
    pack.into_string()
}

pub fn tenant(app: &TestApp, name: &str, domain: &str, marker: &str) -> Tenant {
    use process_library::domain::accounts::{BuiltInRole, Privilege, Privileges};
    use process_library::services::accounts::roles::{self, RoleInput};
    use process_library::services::browse::install;
    use process_library::services::build::folders;

    let primary = app.primary_account(name, &format!("admin@{domain}"));
    app.enable_library(&primary);
    let customer = app.managed_account(
        &primary,
        &format!("{marker} Customer"),
        &format!("boss@customer.{domain}"),
    );
    let caller = app.admin(&primary);
    let root = app.root_folder(&primary);
    let folder = folders::create(&caller, &FolderId::from(&root), &format!("{marker} Folder"))
        .expect("folder");
    let connection = app.component(&primary, &format!("{marker} Connection"), connection());
    let process = app.component(
        &primary,
        &format!("{marker} Sync"),
        connector_process(&connection),
    );
    let (published, publication) = app.publish(&primary, &process, false);
    let package = db::read(&app.pool, |conn| {
        Ok(db::library::find_publication_for_account(
            conn,
            &AccountId::from(&primary),
            &PublicationId::from(&publication),
        )?
        .map(|p| p.package_id))
    })
    .expect("package")
    .expect("publication");
    let role = roles::create(
        &caller,
        &RoleInput {
            name: format!("{marker} Auditor"),
            privileges: Privileges::of(&[Privilege::ViewAuditLogs]),
        },
    )
    .expect("role");
    let member_email = format!("member@{domain}");
    let member = app.user(&primary, &member_email, BuiltInRole::Support);
    let group = groups::create(&caller, &format!("{marker} Gold")).expect("group");
    let group_id = GroupId::from(&group);
    groups::add_members(
        &caller,
        &group_id,
        std::slice::from_ref(&AccountId::from(&customer)),
    )
    .expect("member");
    groups::add_resources(
        &caller,
        &group_id,
        std::slice::from_ref(&ProcessId::from(&published)),
    )
    .expect("resource");
    groups::add_user(&caller, &group_id, &member_email, &RoleId::from(&role)).expect("user");
    let customer_root = app.root_folder(&customer);
    let customer_folder = folders::create(
        &app.admin(&customer),
        &FolderId::from(&customer_root),
        &format!("{marker} Customer Folder"),
    )
    .expect("customer folder");
    let clerk = app.user(
        &customer,
        &format!("clerk@customer.{domain}"),
        BuiltInRole::Support,
    );
    let installation = install::install(
        &app.admin(&customer),
        &ProcessId::from(&published),
        &install::InstallInput {
            folder_id: FolderId::from(customer_root.clone()),
            new_folder: String::new(),
            local_name: format!("{marker} Copy"),
            idempotency_key: format!("{domain}-install"),
            bindings: Default::default(),
            on_behalf_of: None,
        },
    )
    .expect("install");
    let invited = process_library::services::accounts::users::add(
        &caller,
        &process_library::services::accounts::users::AddUserInput {
            email: format!("clerk@customer.{domain}"),
            role_id: RoleId::from(BuiltInRole::StandardUser.id()),
            ..Default::default()
        },
        4,
    )
    .expect("invited");
    assert_eq!(
        invited,
        process_library::services::accounts::users::Added::Invited
    );
    let invitation = db::read(&app.pool, |conn| {
        Ok(
            db::invitations::list_for_account(conn, &AccountId::from(&primary))?
                .into_iter()
                .map(|(i, _, _)| i.id.into_string())
                .next(),
        )
    })
    .expect("invitations")
    .expect("an invitation");
    let job = process_library::services::library::install_for::start(
        &caller,
        &ComponentId::from(&process),
        &process_library::services::library::install_for::InstallForInput {
            accounts: vec![customer.clone()],
            ..Default::default()
        },
    )
    .expect("a job")
    .into_string();
    let pack = integration_pack(app, &primary, marker, &published, &group);
    let instance = process_library::services::pack_instances::install(
        &app.admin(&customer),
        &PackId::from(pack.clone()),
        "",
    )
    .expect("the pack installed");
    let (token, _) = app.api_token(&format!("admin@{domain}"), "write");
    Tenant {
        job,
        pack,
        instance,
        token,
        primary,
        root,
        folder: folder.into_string(),
        connection,
        process,
        package: package.into_string(),
        published,
        publication,
        role,
        group: group.into_string(),
        member,
        member_email,
        customer,
        customer_root,
        customer_folder: customer_folder.into_string(),
        clerk,
        installation: installation.id.into_string(),
        installed: installation.root_component_id.into_string(),
        invitation,
    }
}
