//! Benchmarks of keeping copies current, through the services over a fresh database
//! (`DATABASE_URL`, seeded with the scale world at N = 50: 2,000 managed accounts):
//! - update in place of a 50-component process with 10 conflicts, in 20 installations;
//! - Install for Accounts into 1,000 managed accounts, stopped half-way and taken over by a
//!   second worker as after a crash;
//! - an integration pack installed in 2,000 managed accounts (every tenth with an extension
//!   set), then a release updating every instance in place through the background worker, one
//!   transaction per instance, stopped half-way and taken over by a second worker.
//!
//! Prints Markdown rows. `cargo bench --bench keeping` (scripts/bench runs it per backend).

use std::sync::Arc;
use std::time::Instant;

use process_library::config::Settings;
use process_library::db::generations::Generations;
use process_library::db::ids::*;
use process_library::db::{self};
use process_library::demo;
use process_library::domain::build::{Body, Connector, Shape, ShapeKind};
use process_library::domain::merge::Choice;
use process_library::error::AppError;
use process_library::services::browse::{install, update};
use process_library::services::build::components;
use process_library::services::library::{install_for, publishing};
use process_library::services::{Caller, Ctx, Instance, deploy, groups, jobs};

const CONNECTIONS: usize = 49;
const CONFLICTS: usize = 10;

/// A count from the environment (the smoke run of scripts/test asks for fewer), or `default`.
fn count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn connection(i: usize, url: &str, username: &str) -> Body {
    Body::Connection {
        connector: Connector::Database,
        url: format!("{url}/{i}"),
        username: username.to_owned(),
        password: None,
    }
}

fn create(ctx: &Ctx, folder: &FolderId, name: &str, body: Body) -> Result<ComponentId, AppError> {
    let id = components::create(
        ctx,
        &components::NewComponent {
            name: name.to_owned(),
            component_type: body.component_type().code().to_owned(),
            folder_id: folder.clone(),
            description: String::new(),
            template_id: String::new(),
        },
    )?;
    set_body(ctx, &id, body)?;
    Ok(id)
}

fn set_body(ctx: &Ctx, id: &ComponentId, body: Body) -> Result<(), AppError> {
    let current = ctx
        .read(|conn| db::build::find_component_for_account(conn, ctx.caller().account_id(), id))?;
    let revision = current.map_or(1, |c| c.revision);
    components::update_body(ctx, id, revision, |b| {
        *b = body;
        Ok(())
    })?;
    Ok(())
}

fn publish(ctx: &Ctx, component: &ComponentId, version: &str) -> Result<ProcessId, AppError> {
    let package = deploy::create(
        ctx,
        &deploy::NewPackage {
            component_id: component.clone(),
            version: version.to_owned(),
            notes: String::new(),
            shareable: true,
        },
    )?;
    Ok(publishing::publish(
        ctx,
        &publishing::PublishInput {
            component_id: component.clone(),
            package_id: package,
            description: format!("Version {version}"),
            include_passwords: false,
            notes: String::new(),
        },
    )?
    .published_process_id)
}

/// A process calling `n` connections through connector shapes, with the connections.
fn process_of(
    ctx: &Ctx,
    folder: &FolderId,
    name: &str,
    n: usize,
) -> Result<(ComponentId, Vec<ComponentId>), AppError> {
    let conns: Vec<ComponentId> = (0..n)
        .map(|i| {
            create(
                ctx,
                folder,
                &format!("{name} DB {i:02}"),
                connection(i, "postgres://v1", "api"),
            )
        })
        .collect::<Result<_, _>>()?;
    let process = create(ctx, folder, name, shapes(&conns, "Load"))?;
    Ok((process, conns))
}

fn shapes(conns: &[ComponentId], label: &str) -> Body {
    let mut shapes = vec![Shape {
        kind: ShapeKind::Start,
        component: None,
        operation: None,
        label: "Start".into(),
    }];
    shapes.extend(conns.iter().enumerate().map(|(i, c)| Shape {
        kind: ShapeKind::Connector,
        component: Some(c.to_string()),
        operation: None,
        label: format!("{label} {i}"),
    }));
    Body::Process { shapes }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), AppError> {
    let updates = count("BENCH_UPDATES", 20);
    let fan_out = count("BENCH_FAN_OUT", 1_000);
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| AppError::Internal("DATABASE_URL names the database".into()))?;
    let pool = db::connect_pool(&url, 4).map_err(AppError::Internal)?;
    let instance = Arc::new(Instance::new(pool, Settings::for_tests())?);
    demo::scale::seed(&instance, 50, "demo-password")?;
    // The demo world's own background work (its pack's release) is done first, so that the
    // workers below do only what they are measured for.
    jobs::work(&instance, "bench-setup", usize::MAX)?;
    // As the server does: SQLite's write-ahead log is checkpointed in the background every
    // second, so that no commit has to (nothing to do on PostgreSQL).
    db::connection::checkpoint(&instance.pool)?;
    let tender = instance.clone();
    std::thread::spawn(move || {
        while matches!(db::connection::checkpoint(&tender.pool), Ok(true)) {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    });
    let pool = &instance.pool;
    let primary = db::read(pool, |conn| {
        db::accounts::find_account_by_name(conn, &demo::PRIMARY.to_lowercase())
    })?
    .ok_or(AppError::NotFound)?;
    let partner = Ctx::new(
        instance.clone(),
        Caller::operator(&primary, "admin@demo.test"),
        Generations::none(),
    );
    let root = db::read(pool, |conn| db::build::find_root_folder(conn, &primary.id))?
        .ok_or(AppError::NotFound)?
        .id;
    let all = db::read(pool, |conn| {
        db::groups::find_all_accounts_group(conn, &primary.id)
    })?
    .ok_or(AppError::NotFound)?
    .id;
    let customers = db::read(pool, |conn| {
        db::accounts::list_managed_accounts(conn, primary.id.as_str())
    })?;
    let stamp = uuid::Uuid::new_v4().simple().to_string();

    // Update in place: 50 components, 10 conflicting, 20 more changed upstream only.
    let (process, conns) = process_of(
        &partner,
        &root,
        &format!("Update Bench {stamp}"),
        CONNECTIONS,
    )?;
    let published = publish(&partner, &process, "1")?;
    groups::add_resources(&partner, &all, std::slice::from_ref(&published))?;
    let mut installed = Vec::new();
    for account in customers.iter().take(updates) {
        let ctx = partner.acting_as(Caller::operator(account, "admin@demo.test"));
        let root = db::read(pool, |conn| db::build::find_root_folder(conn, &account.id))?
            .ok_or(AppError::NotFound)?
            .id;
        let installation = install::install(
            &ctx,
            &published,
            &install::InstallInput {
                folder_id: root,
                new_folder: format!("Update Bench {stamp}"),
                local_name: "Update Bench".into(),
                idempotency_key: uuid::Uuid::new_v4().to_string(),
                bindings: Default::default(),
                on_behalf_of: None,
            },
        )?;
        let copies = db::read(pool, |conn| {
            db::browse::list_installed_components(conn, &installation.id)
        })?;
        for (i, conn_id) in conns.iter().enumerate().take(CONFLICTS) {
            if let Some(copy) = copies.iter().find(|c| &c.source_component_id == conn_id) {
                set_body(
                    &ctx,
                    &copy.copy_component_id,
                    connection(i, "postgres://local", "api"),
                )?;
            }
        }
        installed.push((ctx, installation.id));
    }
    for (i, conn_id) in conns.iter().enumerate().take(CONFLICTS + 20) {
        let body = if i < CONFLICTS {
            connection(i, "postgres://v2", "api")
        } else {
            connection(i, "postgres://v1", "api-v2")
        };
        set_body(&partner, conn_id, body)?;
    }
    set_body(&partner, &process, shapes(&conns, "Load v2"))?;
    publish(&partner, &process, "2")?;
    let mut applies = Vec::new();
    let mut plans = Vec::new();
    for (ctx, id) in &installed {
        let started = Instant::now();
        let plan = update::plan(ctx, id)?;
        plans.push(started.elapsed().as_secs_f64() * 1000.0);
        let choices: update::Choices = plan
            .rows
            .iter()
            .filter(|r| r.outcome.is_conflict())
            .enumerate()
            .flat_map(|(n, r)| {
                r.fields.iter().map(move |f| {
                    let choice = if n % 2 == 0 {
                        Choice::TakeTheirs
                    } else {
                        Choice::KeepMine
                    };
                    ((r.source_id.to_string(), f.key.clone()), choice)
                })
            })
            .collect();
        let started = Instant::now();
        let applied = update::apply(
            ctx,
            id,
            plan.target.sequence,
            Some(&plan.fingerprint),
            &choices,
        )?;
        applies.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(
            applied.conflicts, CONFLICTS,
            "each update settles its conflicts"
        );
    }
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        eprintln!("update times in order (ms): {applies:.1?}");
    }
    applies.sort_by(f64::total_cmp);
    plans.sort_by(f64::total_cmp);
    println!("| work | runs | p50 | p90 | max |");
    println!("|---|---|---|---|---|");
    println!(
        "| Update page (three-way comparison), 50 components | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
        plans.len(),
        percentile(&plans, 0.5),
        percentile(&plans, 0.9),
        percentile(&plans, 1.0)
    );
    println!(
        "| Update in place, 50 components, {CONFLICTS} conflicts, 20 taken from upstream | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
        applies.len(),
        percentile(&applies, 0.5),
        percentile(&applies, 0.9),
        percentile(&applies, 1.0)
    );

    // Install for Accounts into 1,000 accounts, taken over half-way.
    let (fan, _) = process_of(&partner, &root, &format!("Fan-out Bench {stamp}"), 4)?;
    let fan_published = publish(&partner, &fan, "1")?;
    groups::add_resources(&partner, &all, std::slice::from_ref(&fan_published))?;
    let targets: Vec<String> = customers
        .iter()
        .skip(updates)
        .take(fan_out)
        .map(|a| a.id.to_string())
        .collect();
    let started = Instant::now();
    let job = install_for::start(
        &partner,
        &fan,
        &install_for::InstallForInput {
            accounts: targets.clone(),
            group: String::new(),
            folder_name: String::new(),
        },
    )?;
    let queued = started.elapsed().as_secs_f64();
    let first = jobs::work(&instance, "bench-worker-1", fan_out / 2)?;
    // The first worker stops for good: its claim is let go as a lease would lapse.
    db::write(pool, |conn| db::jobs::release(conn, &job))?;
    let second = jobs::work(&instance, "bench-worker-2", usize::MAX)?;
    let seconds = started.elapsed().as_secs_f64();
    let made = db::read(pool, |conn| {
        Ok(db::browse::list_all_process_installations(conn, &fan_published)?.len())
    })?;
    assert_eq!(first + second, fan_out);
    assert_eq!(made, fan_out, "one installation per account, none twice");
    println!(
        "| Install for Accounts, {fan_out} accounts, 5-component process (queued in {:.0} ms; {first} by a first worker, {second} by a second) | 1 | {:.1} s in all | {:.0} accounts/s | |",
        queued * 1000.0,
        seconds,
        fan_out as f64 / seconds
    );
    pack_release(&instance, &primary, &root, &all, &customers, &stamp)
}

/// Installs a pack in every customer (up to `BENCH_PACK_INSTANCES`), then releases it again
/// and lets the worker update every instance.
fn pack_release(
    instance: &Arc<Instance>,
    primary: &db::accounts::Account,
    root: &FolderId,
    all: &GroupId,
    customers: &[db::accounts::Account],
    stamp: &str,
) -> Result<(), AppError> {
    use process_library::domain::accounts::Feature;
    use process_library::services::{pack_instances, packs};
    let wanted = count("BENCH_PACK_INSTANCES", 2_000).min(customers.len());
    let pool = &instance.pool;
    process_library::services::accounts::setup::set_feature(
        pool,
        &primary.name,
        Feature::IntegrationPacks,
        true,
    )?;
    let primary = db::read(pool, |conn| db::accounts::get_account(conn, &primary.id))?;
    let partner = Ctx::new(
        instance.clone(),
        Caller::operator(&primary, "admin@demo.test"),
        Generations::none(),
    );
    let (process, conns) = process_of(&partner, root, &format!("Pack Bench {stamp}"), 4)?;
    let published = publish(&partner, &process, "1")?;
    let pack = packs::create(
        &partner,
        &packs::PackInput {
            name: format!("Pack Bench {stamp}"),
            description: String::new(),
            attachment: "single".into(),
        },
    )?;
    packs::add_members(&partner, &pack, std::slice::from_ref(&published))?;
    packs::release(&partner, &pack, &packs::ReleaseInput::default())?;
    packs::add_group_packs(&partner, all, std::slice::from_ref(&pack))?;
    jobs::work(instance, "pack-bench", usize::MAX)?;
    let started = Instant::now();
    let mut extended = Vec::new();
    for (n, account) in customers.iter().take(wanted).enumerate() {
        let ctx = partner.acting_as(Caller::operator(account, "admin@demo.test"));
        let id = pack_instances::install(&ctx, &pack, "")?;
        if n % 10 == 0 {
            let (_, extensions) = pack_instances::extensions(&ctx, &id)?;
            let mut input = pack_instances::ExtensionsInput::default();
            for e in extensions {
                if let pack_instances::Extension::Connection { component, .. } = e {
                    input
                        .url
                        .insert(component.id.to_string(), format!("postgres://tenant-{n}"));
                }
            }
            pack_instances::save_extensions(&ctx, &id, &input)?;
            extended.push(account.id.clone());
        }
    }
    let installs = started.elapsed().as_secs_f64();
    for (i, conn_id) in conns.iter().enumerate() {
        set_body(&partner, conn_id, connection(i, "postgres://v2", "api-v2"))?;
    }
    set_body(&partner, &process, shapes(&conns, "Load v2"))?;
    publish(&partner, &process, "2")?;
    let started = Instant::now();
    packs::release(&partner, &pack, &packs::ReleaseInput::default())?;
    let first = jobs::work(instance, "pack-worker-1", wanted / 2)?;
    // The first worker stops for good: its claim is let go as a lease would lapse.
    let job = db::read(pool, |conn| {
        db::jobs::find_latest_of_kind(
            conn,
            &primary.id,
            process_library::services::pack_releases::KIND,
        )
    })?
    .ok_or(AppError::NotFound)?;
    db::write(pool, |conn| db::jobs::release(conn, &job))?;
    let second = jobs::work(instance, "pack-worker-2", usize::MAX)?;
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(
        first + second,
        wanted + 1,
        "every instance once, after finding them"
    );
    let behind = db::read(pool, |conn| db::pack_instances::behind(conn, &pack, 2))?;
    assert!(behind.is_empty(), "every instance runs release 2");
    let kept = extension_count(pool)?;
    assert_eq!(
        kept,
        extended.len() * 4,
        "every extended instance keeps its four connection URLs through the release"
    );
    println!(
        "| Integration pack installed in {wanted} accounts, 5-component process, every tenth with an extension set | 1 | {:.1} s in all | {:.0} installs/s | |",
        installs,
        wanted as f64 / installs
    );
    println!(
        "| Pack release updating {wanted} instances in place, one transaction each ({first} by a first worker, {second} by a second) | 1 | {:.1} s in all | {:.0} instances/s | |",
        seconds,
        wanted as f64 / seconds
    );
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many copies hold a URL set as an extension.
fn extension_count(pool: &db::DbPool) -> Result<usize, AppError> {
    use diesel::RunQueryDsl;
    let n = db::read(pool, |conn| {
        Ok(diesel::sql_query(
            "SELECT COUNT(*) AS n FROM components WHERE body LIKE '%postgres://tenant-%' \
             AND deleted_at IS NULL",
        )
        .get_result::<Count>(conn)?
        .n)
    })?;
    Ok(usize::try_from(n).unwrap_or(0))
}
