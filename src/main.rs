//! The `process-library` command: parses the command line and calls into the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use process_library::app;
use process_library::config::{Cli, Command, Settings};
use process_library::db::{self, DbPool};
use process_library::domain::accounts::Feature;
use process_library::services::Instance;
use process_library::services::accounts::setup::{self, NewAccountInput};
use std::sync::Arc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.global.log);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("process-library: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

fn pool_size() -> u32 {
    std::thread::available_parallelism().map_or(4, |n| (n.get() as u32 * 2).max(4))
}

fn open(url: &str) -> Result<DbPool, String> {
    db::connect_pool(url, pool_size())
}

fn run(cli: Cli) -> Result<(), String> {
    let global = cli.global;
    match cli.command {
        Command::Serve { bind, demo } => {
            let started = std::time::Instant::now();
            let listener = std::net::TcpListener::bind(&bind)
                .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
            let address = listener
                .local_addr()
                .map_err(|e| format!("cannot listen on {bind}: {e}"))?
                .to_string();
            let settings = Settings::from_args(&global, &address)?;
            let pool = open(&global.database_url)?;
            if demo && setup::setup_open(&pool).map_err(|e| e.to_string())? {
                seed_demo(&pool, &settings, "demo-password")?;
            }
            let state = actix_web::web::Data::new(
                Instance::new(pool, settings).map_err(|e| e.to_string())?,
            );
            tracing::info!(bind = %address, ready_in_ms = started.elapsed().as_millis() as u64, "serving Process Library");
            actix_web::rt::System::new()
                .block_on(app::serve(state, listener))
                .map_err(|e| format!("cannot serve on {address}: {e}"))
        }
        Command::CreatePrimaryAccount {
            name,
            admin_email,
            admin_name,
            admin_password,
        } => {
            let pool = open(&global.database_url)?;
            let admin_password = match admin_password {
                Some(p) => p,
                None if std::io::stdin().is_terminal() => {
                    rpassword::prompt_password("Administrator password: ").map_err(|e| format!("cannot read the password: {e}"))?
                }
                None => return Err("no administrator password: pass --admin-password or set PROCESS_LIBRARY_ADMIN_PASSWORD".to_owned()),
            };
            setup::prepare_database(&pool).map_err(|e| e.to_string())?;
            let input = NewAccountInput {
                account_name: name.clone(),
                admin_email,
                admin_name,
                admin_password,
            };
            match setup::create_primary_account(&pool, &input, global.bcrypt_cost) {
                Ok(_) => {
                    println!("Created primary account {name}.");
                    Ok(())
                }
                Err(process_library::error::AppError::Validation(errors)) => Err(errors
                    .iter()
                    .map(|(_, m)| m.to_owned())
                    .collect::<Vec<_>>()
                    .join(" ")),
                Err(other) => Err(other.to_string()),
            }
        }
        Command::Backup { to } => {
            let pool = open(&global.database_url)?;
            db::backup::snapshot(&pool, &to).map_err(|e| e.to_string())?;
            println!("Snapshot written to {}.", to.display());
            Ok(())
        }
        Command::EnableFeature { account, feature } => {
            toggle(&global.database_url, &account, &feature, true)
        }
        Command::DisableFeature { account, feature } => {
            toggle(&global.database_url, &account, &feature, false)
        }
        Command::DeploymentModel { account, model } => {
            use process_library::domain::accounts::DeploymentModel;
            use process_library::services::library::legacy::{self, ModelOutcome};
            let model = DeploymentModel::from_code(&model).ok_or_else(|| {
                format!("unknown deployment model {model:?}: the models are legacy and packaged")
            })?;
            let pool = open(&global.database_url)?;
            let outcome = legacy::set_model(&pool, &account, model).map_err(|e| e.to_string())?;
            let note = if outcome == ModelOutcome::Unchanged {
                " (no change)"
            } else {
                ""
            };
            println!("{account} publishes with the {} model{note}.", model.code());
            Ok(())
        }
        Command::PlatformPublisher { account, clear } => {
            let pool = open(&global.database_url)?;
            platform_publisher(&pool, account.as_deref().filter(|_| !clear))
        }
        Command::Export { account, to } => {
            let pool = open(&global.database_url)?;
            let report = process_library::services::library_code::export(&pool, &account, &to)
                .map_err(|e| e.to_string())?;
            println!(
                "Exported {account} to {}: {} folders, {} components, {} packages, {} published processes ({} files written, {} removed).",
                to.display(),
                report.folders,
                report.components,
                report.packages,
                report.published,
                report.written,
                report.removed
            );
            Ok(())
        }
        Command::Import { account, from } => {
            let settings = Settings::from_args(&global, "localhost")?;
            let pool = open(&global.database_url)?;
            let instance = instance(&pool, &settings)?;
            let report =
                process_library::services::library_code::import(&instance, &account, &from)
                    .map_err(|e| e.to_string())?;
            if report.created() + report.updated == 0 {
                println!(
                    "Imported {} into {account}: no change ({} objects already as they are).",
                    from.display(),
                    report.unchanged
                );
            } else {
                println!(
                    "Imported {} into {account}: {} folders, {} components, {} packages and {} publications created; {} updated; {} unchanged.",
                    from.display(),
                    report.folders_created,
                    report.components_created,
                    report.packages_created,
                    report.publications_created,
                    report.updated,
                    report.unchanged
                );
            }
            Ok(())
        }
        Command::Demo { password, scale } => {
            let settings = Settings::from_args(&global, "localhost")?;
            let pool = open(&global.database_url)?;
            match scale {
                Some(n) => seed_scale(&pool, &settings, &password, n as usize),
                None => seed_demo(&pool, &settings, &password),
            }
        }
    }
}

fn platform_publisher(pool: &DbPool, account: Option<&str>) -> Result<(), String> {
    use process_library::services::platform::{self, Outcome};
    let outcome = match account {
        Some(name) => platform::set(pool, name),
        None => platform::clear(pool),
    }
    .map_err(|e| e.to_string())?;
    match outcome {
        Outcome::Set { replaced: None } => {
            println!("{} is the platform publisher.", account.unwrap_or_default());
        }
        Outcome::Set {
            replaced: Some(old),
        } => println!(
            "{} is the platform publisher, in place of {old}.",
            account.unwrap_or_default()
        ),
        Outcome::Unchanged => println!(
            "{} already is the platform publisher (no change).",
            account.unwrap_or_default()
        ),
        Outcome::Cleared(Some(old)) => println!("{old} is no longer the platform publisher."),
        Outcome::Cleared(None) => println!("No account is the platform publisher (no change)."),
    }
    Ok(())
}

fn toggle(url: &str, account: &str, feature: &str, on: bool) -> Result<(), String> {
    let feature = Feature::from_code(feature).ok_or_else(|| {
        format!(
            "unknown feature {feature:?}: the features are process-library and integration-packs"
        )
    })?;
    let pool = open(url)?;
    let changed = setup::set_feature(&pool, account, feature, on).map_err(|e| e.to_string())?;
    let state = if on { "enabled" } else { "disabled" };
    let note = if changed { "" } else { " (no change)" };
    println!("Feature {} {state} for {account}{note}.", feature.code());
    Ok(())
}

/// The services' instance over a pool, for the commands that call services.
fn instance(pool: &DbPool, settings: &Settings) -> Result<Arc<Instance>, String> {
    Instance::new(pool.clone(), settings.clone())
        .map(Arc::new)
        .map_err(|e| e.to_string())
}

fn seed_scale(pool: &DbPool, settings: &Settings, password: &str, n: usize) -> Result<(), String> {
    let instance = instance(pool, settings)?;
    let report =
        process_library::demo::scale::seed(&instance, n, password).map_err(|e| e.to_string())?;
    if report.already {
        println!("The benchmark world is already seeded (Heavy Customer exists).");
    } else {
        println!(
            "Seeded {} managed accounts, {} account groups, {} published processes ({} publications, {} components) in {:.1} s.",
            report.managed_accounts,
            report.groups,
            report.processes,
            report.publications,
            report.components,
            report.seconds
        );
        println!(
            "Sign in as admin@demo.test (the partner) or heavy@demo.test (Heavy Customer, in 50 groups) with password {password:?}."
        );
    }
    Ok(())
}

fn seed_demo(pool: &DbPool, settings: &Settings, password: &str) -> Result<(), String> {
    let instance = instance(pool, settings)?;
    let people = process_library::demo::seed(&instance, password).map_err(|e| e.to_string())?;
    println!("Demo world ready. Sign in with password {password:?} as:");
    for p in people {
        println!("  {:<24} {:<18} in {}", p.email, p.role, p.account);
    }
    Ok(())
}
