//! The benchmark world of `demo --scale N`: 2,000 managed accounts, 1,000 account groups,
//! N published processes of 5–50 components with 1–3 publications each, and "Heavy Customer"
//! in 50 groups. Deterministic (a fixed seed); loaded with multi-row inserts in batches.

use crate::db::ids::*;
use std::io::{IsTerminal, Write};
use std::time::Instant;

use chrono::NaiveDateTime;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::db::accounts::{NewAccount, NewUser};
use crate::db::build::{Component, Folder, Revision};
use crate::db::deploy::{Package, PackagedComponent};
use crate::db::groups::AccountGroup;
use crate::db::library::{Publication, PublishedProcess};
use crate::db::{self, DbConnection, DbPool};
use crate::domain::accounts::BuiltInRole;
use crate::domain::build::{
    Body, Connector, OperationAction, Property, PropertyKind, Shape, ShapeKind,
};
use crate::domain::validation::name_key;
use crate::error::AppError;
use crate::services::Instance;
use crate::services::secrets::Sealer;
use std::sync::Arc;

/// Tags of the benchmark world's processes, in turn.
const SCALE_TAGS: [&str; 5] = [
    "nightly, batch",
    "real-time",
    "batch",
    "",
    "nightly, salesforce",
];

pub const MANAGED_ACCOUNTS: usize = 2_000;
pub const GROUPS: usize = 1_000;
pub const HEAVY: &str = "Heavy Customer";
pub const HEAVY_EMAIL: &str = "heavy@demo.test";
const HEAVY_GROUPS: usize = 50;
const BATCH: usize = 200;

/// What the seed made.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub managed_accounts: usize,
    pub groups: usize,
    pub processes: usize,
    pub publications: usize,
    pub components: usize,
    pub seconds: f64,
    pub already: bool,
}

fn progress(label: &str, done: usize, total: usize) {
    if std::io::stderr().is_terminal() {
        let width = 30;
        let filled = (done * width)
            .checked_div(total)
            .unwrap_or(width)
            .min(width);
        eprint!(
            "\r{label:<12} [{}{}] {done}/{total}",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
        if done >= total {
            eprintln!();
        }
        let _ = std::io::stderr().flush();
    }
}

/// Seeds the world on top of the demo (idempotent: nothing happens when Heavy Customer exists).
pub fn seed(instance: &Arc<Instance>, n: usize, password: &str) -> Result<Report, AppError> {
    let started = Instant::now();
    let (pool, sealer) = (&instance.pool, &instance.sealer);
    let bcrypt_cost = instance.settings.bcrypt_cost;
    super::seed(instance, password)?;
    let primary = db::read(pool, |conn| {
        db::accounts::find_account_by_name(conn, &name_key(super::PRIMARY))
    })?
    .ok_or(AppError::NotFound)?;
    if db::read(pool, |conn| {
        db::accounts::find_account_by_name(conn, &name_key(HEAVY))
    })?
    .is_some()
    {
        return Ok(Report {
            already: true,
            ..Report::default()
        });
    }
    let mut rng = StdRng::seed_from_u64(42);
    let now = db::now();
    let hash = crate::services::passwords::hash(password, bcrypt_cost)?;
    let accounts = seed_accounts(pool, &primary.id, &hash, now)?;
    let mut report = Report {
        managed_accounts: accounts.len(),
        ..Report::default()
    };
    let published = seed_processes(pool, sealer, &primary.id, n, &mut rng, now, &mut report)?;
    report.groups = seed_groups(pool, &primary.id, &accounts, &published, &mut rng, now)?;
    report.processes = published.len();
    db::read(pool, db::bulk::analyze)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Managed accounts "Customer 0001"… and Heavy Customer (last), each with its root folder;
/// heavy@demo.test administers Heavy Customer.
fn seed_accounts(
    pool: &DbPool,
    primary: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<Vec<String>, AppError> {
    let names: Vec<String> = (1..=MANAGED_ACCOUNTS)
        .map(|i| format!("Customer {i:04}"))
        .chain([HEAVY.to_owned()])
        .collect();
    let ids: Vec<String> = names.iter().map(|_| db::new_id()).collect();
    let keys: Vec<String> = names.iter().map(|n| name_key(n)).collect();
    db::write(pool, |conn| {
        let rows: Vec<NewAccount<'_>> = names
            .iter()
            .zip(&ids)
            .zip(&keys)
            .map(|((name, id), key)| NewAccount {
                id,
                name,
                name_key: key,
                kind: "managed",
                parent_id: Some(primary),
                status: "active",
                features: "",
                created_at: now,
            })
            .collect();
        db::bulk::accounts(conn, &rows)?;
        let folders: Vec<Folder> = names
            .iter()
            .zip(&ids)
            .map(|(name, id)| Folder {
                id: FolderId::generate(),
                account_id: AccountId::from(id.clone()),
                parent_id: None,
                name: name.clone(),
                name_key: name_key(name),
                created_at: now,
            })
            .collect();
        db::bulk::folders(conn, &folders)?;
        let user_id = db::new_id();
        db::bulk::users(
            conn,
            &[NewUser {
                id: &user_id,
                email: HEAVY_EMAIL,
                email_key: HEAVY_EMAIL,
                name: "Hana Heavy",
                password_hash: hash,
                security_stamp: &db::new_id(),
                created_at: now,
            }],
        )?;
        let heavy = ids.last().cloned().unwrap_or_default();
        db::bulk::user_roles(
            conn,
            &[(
                user_id,
                heavy,
                BuiltInRole::Administrator.id().to_owned(),
                now,
            )],
        )
    })?;
    progress("accounts", ids.len(), ids.len());
    Ok(ids)
}

/// The components of one process: root first.
struct Generated {
    components: Vec<Component>,
    refs: Vec<(ComponentId, ComponentId)>,
}

fn component(
    account: &str,
    folder: &str,
    name: String,
    body: &Body,
    now: NaiveDateTime,
) -> Component {
    Component {
        id: ComponentId::generate(),
        account_id: AccountId::from(account.to_owned()),
        folder_id: FolderId::from(folder.to_owned()),
        component_type: body.component_type().code().to_owned(),
        name_key: name_key(&name),
        name,
        description: String::new(),
        revision: 1,
        body: body.to_json(),
        created_at: now,
        updated_at: now,
        updated_by: Some("seed".to_owned()),
        deleted_at: None,
        shareable_package: false,
    }
}

fn generate(
    sealer: &Sealer,
    account: &str,
    folder: &str,
    i: usize,
    size: usize,
    rng: &mut StdRng,
    now: NaiveDateTime,
) -> Result<Generated, AppError> {
    let connections = 1 + size / 12;
    let maps = usize::from(size > 6) + size / 20;
    let subs = size - 2 - 2 * connections - maps;
    let mut parts: Vec<Component> = Vec::with_capacity(size);
    let mut shapes = vec![Shape {
        kind: ShapeKind::Start,
        component: None,
        operation: None,
        label: "Start".into(),
    }];
    let mut refs = Vec::new();
    for c in 0..connections {
        let mut conn = component(
            account,
            folder,
            format!("P{i:06} Connection {c}"),
            &Body::empty(crate::domain::build::ComponentType::Connection),
            now,
        );
        let password = if rng.random_ratio(1, 10) {
            Some(sealer.seal("scale-secret", &AccountId::from(account), &conn.id)?)
        } else {
            None
        };
        conn.body = Body::Connection {
            connector: Connector::ALL[c % Connector::ALL.len()],
            url: format!("https://api{c}.example.test"),
            username: "svc".into(),
            password,
        }
        .to_json();
        let op_body = Body::Operation {
            connector: Connector::ALL[c % Connector::ALL.len()],
            action: OperationAction::Query,
            connection: Some(conn.id.clone().into_string()),
            request_profile: None,
            response_profile: None,
        };
        let op = component(
            account,
            folder,
            format!("P{i:06} Operation {c}"),
            &op_body,
            now,
        );
        refs.push((op.id.clone(), conn.id.clone()));
        shapes.push(Shape {
            kind: ShapeKind::Connector,
            component: Some(conn.id.clone().into_string()),
            operation: Some(op.id.clone().into_string()),
            label: format!("Call {c}"),
        });
        parts.push(conn);
        parts.push(op);
    }
    for m in 0..maps {
        let map = component(
            account,
            folder,
            format!("P{i:06} Map {m}"),
            &Body::Map {
                source_profile: None,
                destination_profile: None,
                mappings: vec![],
            },
            now,
        );
        shapes.push(Shape {
            kind: ShapeKind::Map,
            component: Some(map.id.clone().into_string()),
            operation: None,
            label: format!("Map {m}"),
        });
        parts.push(map);
    }
    let props = component(
        account,
        folder,
        format!("P{i:06} Settings"),
        &Body::ProcessProperty {
            properties: vec![Property {
                name: "batch".into(),
                kind: PropertyKind::Text,
                value: "100".into(),
            }],
        },
        now,
    );
    shapes.push(Shape {
        kind: ShapeKind::SetProperties,
        component: Some(props.id.clone().into_string()),
        operation: None,
        label: "Settings".into(),
    });
    parts.push(props);
    for s in 0..subs {
        let sub = component(
            account,
            folder,
            format!("P{i:06} Step {s}"),
            &Body::Process { shapes: vec![] },
            now,
        );
        shapes.push(Shape {
            kind: ShapeKind::ProcessCall,
            component: Some(sub.id.clone().into_string()),
            operation: None,
            label: format!("Step {s}"),
        });
        parts.push(sub);
    }
    shapes.push(Shape {
        kind: ShapeKind::Stop,
        component: None,
        operation: None,
        label: "Stop".into(),
    });
    let root_body = Body::Process { shapes };
    let mut root = component(account, folder, format!("Process {i:06}"), &root_body, now);
    root.shareable_package = true;
    root.description = format!("Benchmark process {i} with {size} components.");
    for id in root_body.referenced_ids() {
        refs.push((root.id.clone(), ComponentId::from(id)));
    }
    let mut components = Vec::with_capacity(size);
    components.push(root);
    components.extend(parts);
    Ok(Generated { components, refs })
}

fn seed_processes(
    pool: &DbPool,
    sealer: &Sealer,
    primary: &str,
    n: usize,
    rng: &mut StdRng,
    now: NaiveDateTime,
    report: &mut Report,
) -> Result<Vec<ProcessId>, AppError> {
    let root = db::read(pool, |conn| {
        db::build::find_root_folder(conn, &AccountId::from(primary))
    })?
    .ok_or(AppError::NotFound)?;
    let mut published = Vec::with_capacity(n);
    let mut start = 0;
    while start < n {
        let end = (start + BATCH).min(n);
        let folder = Folder {
            id: FolderId::generate(),
            account_id: AccountId::from(primary.to_owned()),
            parent_id: Some(root.id.clone()),
            name: format!("Scale {:03}", start / BATCH + 1),
            name_key: format!("scale {:03}", start / BATCH + 1),
            created_at: now,
        };
        let mut batch = Batch::default();
        for i in start..end {
            let size = rng.random_range(5..=50);
            let generated = generate(sealer, primary, &folder.id, i, size, rng, now)?;
            batch.add(
                primary,
                generated,
                rng.random_range(1..=3),
                rng.random_range(0..100),
                now,
            );
        }
        report.components += batch.components.len();
        report.publications += batch.publications.len();
        published.extend(batch.processes.iter().map(|p| p.id.clone()));
        db::write(pool, |conn| {
            db::bulk::folders(conn, std::slice::from_ref(&folder))?;
            batch.write(conn)
        })?;
        progress("processes", end, n);
        start = end;
    }
    Ok(published)
}

/// The rows of a batch of processes.
#[derive(Default)]
struct Batch {
    components: Vec<Component>,
    revisions: Vec<Revision>,
    refs: Vec<(ComponentId, ComponentId)>,
    packages: Vec<Package>,
    manifests: Vec<PackagedComponent>,
    processes: Vec<PublishedProcess>,
    publications: Vec<Publication>,
}

impl Batch {
    fn add(
        &mut self,
        account: &str,
        generated: Generated,
        versions: i32,
        installs: i64,
        now: NaiveDateTime,
    ) {
        let root = generated.components[0].clone();
        let process_id = db::new_id();
        let mut last = None;
        for v in 1..=versions {
            let package_id = db::new_id();
            self.packages.push(Package {
                id: PackageId::from(package_id.clone()),
                account_id: AccountId::from(account.to_owned()),
                component_id: root.id.clone(),
                component_type: root.component_type.clone(),
                component_name: root.name.clone(),
                version: format!("{v}.0"),
                version_key: format!("{v}.0"),
                notes: String::new(),
                shareable: true,
                component_count: i32::try_from(generated.components.len()).unwrap_or(i32::MAX),
                created_by: Some("seed".into()),
                created_at: now,
                deleted_at: None,
                deleted_by: None,
                implicit: false,
            });
            self.manifests
                .extend(generated.components.iter().map(|c| PackagedComponent {
                    package_id: PackageId::from(package_id.clone()),
                    component_id: c.id.clone(),
                    component_type: c.component_type.clone(),
                    name: c.name.clone(),
                    description: c.description.clone(),
                    revision: 1,
                    body: c.body.clone(),
                    is_root: c.id == root.id,
                }));
            let publication = Publication {
                id: PublicationId::generate(),
                published_process_id: ProcessId::from(process_id.clone()),
                account_id: AccountId::from(account.to_owned()),
                sequence: v,
                package_id: PackageId::from(package_id),
                description: root.description.clone(),
                include_passwords: v % 2 == 0,
                notes: format!("Seeded version {v}"),
                published_by: Some("seed".into()),
                published_at: now + chrono::Duration::seconds(i64::from(v)),
                republished_from: None,
            };
            last = Some(publication.clone());
            self.publications.push(publication);
        }
        if let Some(latest) = last {
            self.processes.push(PublishedProcess {
                id: ProcessId::from(process_id),
                account_id: AccountId::from(account.to_owned()),
                component_id: root.id.clone(),
                component_type: root.component_type.clone(),
                name: root.name.clone(),
                name_key: root.name_key.clone(),
                description: root.description.clone(),
                latest_sequence: latest.sequence,
                latest_publication_id: latest.id.clone(),
                latest_published_at: latest.published_at,
                install_count: installs,
                created_at: now,
                deprecated_at: None,
                deprecation_reason: String::new(),
                successor_id: None,
                component_count: i32::try_from(generated.components.len()).unwrap_or(i32::MAX),
                category: crate::domain::tags::CATEGORIES
                    [self.processes.len() % crate::domain::tags::CATEGORIES.len()]
                .to_owned(),
                tags: SCALE_TAGS[self.processes.len() % SCALE_TAGS.len()].to_owned(),
                connectors: crate::domain::build::connector_codes(
                    generated
                        .components
                        .iter()
                        .filter(|c| c.component_type == "connection")
                        .map(|c| c.body.as_str()),
                ),
            });
        }
        self.revisions
            .extend(generated.components.iter().map(|c| Revision {
                component_id: c.id.clone(),
                revision: 1,
                name: c.name.clone(),
                description: c.description.clone(),
                folder_id: c.folder_id.clone(),
                body: c.body.clone(),
                summary: "Seeded".into(),
                saved_by: Some("seed".into()),
                saved_at: now,
            }));
        self.refs.extend(generated.refs);
        self.components.extend(generated.components);
    }

    fn write(&self, conn: &mut DbConnection) -> Result<(), AppError> {
        let account = self
            .components
            .first()
            .map(|c| c.account_id.clone())
            .unwrap_or_default();
        db::bulk::components(conn, &self.components)?;
        db::bulk::revisions(conn, &self.revisions)?;
        db::build::insert_refs(conn, &account, &self.refs)?;
        db::bulk::packages(conn, &self.packages)?;
        db::bulk::package_components(conn, &self.manifests)?;
        // A published process names its latest publication, which names the process: insert
        // the processes first, then the publications (no foreign key from process to it).
        db::bulk::published_processes(conn, &self.processes)?;
        db::bulk::publications(conn, &self.publications)
    }
}

/// 1,000 groups, each sharing 100–500 processes; every customer in 1–10 groups; Heavy
/// Customer in the first 50.
fn seed_groups(
    pool: &DbPool,
    primary: &str,
    accounts: &[String],
    published: &[ProcessId],
    rng: &mut StdRng,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let groups: Vec<AccountGroup> = (1..=GROUPS)
        .map(|g| AccountGroup {
            id: GroupId::generate(),
            account_id: AccountId::from(primary.to_owned()),
            name: format!("Scale Group {g:04}"),
            name_key: format!("scale group {g:04}"),
            all_accounts: false,
            created_at: now,
            all_platform: false,
        })
        .collect();
    let mut members = Vec::new();
    let (customers, heavy) = accounts.split_at(accounts.len().saturating_sub(1));
    for account in customers {
        let count = rng.random_range(1..=10);
        for group in groups.choose_multiple(rng, count) {
            members.push((group.id.clone(), account.clone(), now));
        }
    }
    for group in groups.iter().take(HEAVY_GROUPS) {
        for account in heavy {
            members.push((group.id.clone(), account.clone(), now));
        }
    }
    db::write(pool, |conn| {
        db::bulk::groups(conn, &groups)?;
        db::bulk::group_members(conn, &members)
    })?;
    for (i, chunk) in groups.chunks(50).enumerate() {
        let mut resources = Vec::new();
        for group in chunk {
            let count = rng.random_range(100..=500).min(published.len());
            for process in published.choose_multiple(rng, count) {
                resources.push((group.id.clone(), process.clone(), now));
            }
        }
        db::write(pool, |conn| db::bulk::group_resources(conn, &resources))?;
        progress("groups", (i + 1) * 50, groups.len());
    }
    Ok(groups.len())
}
