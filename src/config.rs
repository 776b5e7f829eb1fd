//! Typed configuration from command-line flags and the environment; no globals.

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::db::Backend;
use crate::services::accounts::sessions::SessionPolicy;
use crate::services::clock::Clock;
use crate::services::secrets::SecretKey;
use crate::services::throttle::ThrottleLimits;

#[derive(Debug, Parser)]
#[command(
    name = "process-library",
    version,
    about = "Build, package, publish and share integration processes"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Database: sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://process-library.db",
        global = true
    )]
    pub database_url: String,
    /// Log filter, e.g. `info` or `process_library=debug`.
    #[arg(long = "log", env = "RUST_LOG", default_value = "info", global = true)]
    pub log: String,
    /// Base of share links, e.g. https://library.example.com (default: from the bind address).
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// bcrypt cost for new password hashes (12 in production; tests lower it).
    #[arg(long, env = "PROCESS_LIBRARY_BCRYPT_COST", default_value_t = 12, value_parser = clap::value_parser!(u32).range(4..=31), global = true, hide = true)]
    pub bcrypt_cost: u32,
    /// Mark the session cookie `Secure` (set when served over TLS).
    #[arg(long, env = "SECURE_COOKIES", default_value_t = false, global = true)]
    pub secure_cookies: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(
        long,
        env = "SESSION_IDLE_MINUTES",
        default_value_t = 60,
        global = true
    )]
    pub session_idle_minutes: u64,
    /// Hours after sign-in after which a session ends whatever its activity.
    #[arg(long, env = "SESSION_MAX_HOURS", default_value_t = 12, global = true)]
    pub session_max_hours: u64,
    /// Key of secret fields at rest, base64 of 32 bytes (all instances of one database share it).
    #[arg(long, env = "SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,
    /// Key material (at least 32 characters) of the session cookie's and the sign-in form's
    /// signatures; derived from the secret-field key when unset. Every instance of one
    /// database needs the same.
    #[arg(long, env = "SESSION_KEY", hide_env_values = true, global = true)]
    pub session_key: Option<String>,
    /// File holding the secret-field key, created with mode 0600 when missing (default: beside
    /// the SQLite file, or `process-library.secret-key` in the working directory).
    #[arg(long, env = "SECRET_KEY_FILE", global = true)]
    pub secret_key_file: Option<std::path::PathBuf>,
    /// Failed sign-ins allowed per e-mail before throttling (one more per minute afterwards).
    #[arg(
        long,
        env = "SIGNIN_FAILURES_PER_EMAIL",
        default_value_t = 5,
        global = true,
        hide = true
    )]
    pub signin_failures_per_email: u32,
    /// Failed sign-ins allowed per client address before throttling.
    #[arg(
        long,
        env = "SIGNIN_FAILURES_PER_ADDRESS",
        default_value_t = 30,
        global = true,
        hide = true
    )]
    pub signin_failures_per_address: u32,
    /// Requests a personal access token may make a second on the JSON API (twice that in a
    /// burst); more answer 429.
    #[arg(
        long,
        env = "API_REQUESTS_PER_SECOND",
        default_value_t = 50,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub api_requests_per_second: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run migrations, then serve the console.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Seed the demo world first when the database is empty.
        #[arg(long, env = "PROCESS_LIBRARY_DEMO", default_value_t = false)]
        demo: bool,
    },
    /// Create a primary account and its administrator.
    CreatePrimaryAccount {
        #[arg(long, env = "PROCESS_LIBRARY_ACCOUNT_NAME")]
        name: String,
        #[arg(long, env = "PROCESS_LIBRARY_ADMIN_EMAIL")]
        admin_email: String,
        #[arg(long, env = "PROCESS_LIBRARY_ADMIN_NAME")]
        admin_name: String,
        /// Password (prompted for when absent).
        #[arg(long, env = "PROCESS_LIBRARY_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: Option<String>,
    },
    /// Turn an optional feature on for an account.
    EnableFeature {
        #[arg(long, env = "PROCESS_LIBRARY_ACCOUNT")]
        account: String,
        /// The feature: process-library or integration-packs (which needs process-library).
        feature: String,
    },
    /// Turn an optional feature off for an account.
    DisableFeature {
        #[arg(long, env = "PROCESS_LIBRARY_ACCOUNT")]
        account: String,
        /// The feature: process-library.
        feature: String,
    },
    /// Set how a primary account publishes: `packaged` (from shareable packages) or `legacy`
    /// (straight from its components' latest revisions, with *Publish Latest Revision*).
    DeploymentModel {
        #[arg(long, env = "PROCESS_LIBRARY_ACCOUNT")]
        account: String,
        /// The model: legacy or packaged.
        model: String,
    },
    /// Make a primary account the platform publisher (its *All Platform Accounts* group shares
    /// with every account of every partner), or, with --clear, make none the platform publisher.
    PlatformPublisher {
        #[arg(
            long,
            env = "PROCESS_LIBRARY_ACCOUNT",
            required_unless_present = "clear",
            conflicts_with = "clear"
        )]
        account: Option<String>,
        /// No account is the platform publisher any more.
        #[arg(long)]
        clear: bool,
    },
    /// Write a consistent snapshot of the SQLite database to a new file.
    Backup {
        /// The file to create.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Write an account's library (folders, components without secrets, packages,
    /// publications) as files, one per object, stable and diffable.
    Export {
        /// The account's name.
        #[arg(long)]
        account: String,
        /// The folder to write (created when missing; files of objects gone are removed).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Apply a tree written by export to an account of this database: new objects get new
    /// ids, references are rewired, and importing the same tree again changes nothing.
    Import {
        /// The account's name.
        #[arg(long)]
        account: String,
        /// The folder export wrote.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Seed the demo world (idempotent) and print its sign-ins.
    Demo {
        /// Password of every demo user.
        #[arg(
            long,
            env = "DEMO_PASSWORD",
            default_value = "demo-password",
            hide_env_values = true
        )]
        password: String,
        /// Seed the benchmark world with this many published processes (on top of the demo).
        #[arg(long, env = "DEMO_SCALE", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        scale: Option<u32>,
    },
}

/// The settings the running application needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bcrypt_cost: u32,
    pub secure_cookies: bool,
    pub session: SessionPolicy,
    pub throttle: ThrottleLimits,
    /// Requests a personal access token may make a second on the JSON API.
    pub api_requests_per_second: u32,
    pub public_url: String,
    pub secret_key: SecretKey,
    /// `SESSION_KEY`, when given.
    pub session_key: Option<SessionKeyText>,
}

/// The text of `SESSION_KEY` (its `Debug` never shows it).
#[derive(Clone)]
pub struct SessionKeyText(pub String);

impl std::fmt::Debug for SessionKeyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKeyText(…)")
    }
}

impl Settings {
    /// The key that signs the session cookie.
    pub fn cookie_key(&self) -> actix_web::cookie::Key {
        self.derived_key("process-library cookie signatures")
    }

    /// The key that signs the anonymous forms' CSRF cookie (another than the session's, so
    /// that neither cookie's value passes for the other).
    pub fn csrf_key(&self) -> actix_web::cookie::Key {
        self.derived_key("process-library anonymous csrf")
    }

    fn derived_key(&self, label: &str) -> actix_web::cookie::Key {
        let bytes = match &self.session_key {
            Some(text) => crate::services::secrets::derive(label, text.0.as_bytes()),
            None => self.secret_key.derive(label),
        };
        actix_web::cookie::Key::from(&bytes)
    }

    pub fn from_args(args: &GlobalArgs, bind: &str) -> Result<Self, String> {
        Ok(Self {
            bcrypt_cost: args.bcrypt_cost,
            secure_cookies: args.secure_cookies,
            session: SessionPolicy {
                idle: Duration::from_secs(args.session_idle_minutes.max(1) * 60),
                absolute: Duration::from_secs(args.session_max_hours.max(1) * 3600),
                clock: Clock::default(),
            },
            throttle: ThrottleLimits {
                per_email: args.signin_failures_per_email,
                per_address: args.signin_failures_per_address,
                refill_every: Duration::from_secs(60),
            },
            api_requests_per_second: args.api_requests_per_second,
            public_url: args
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{bind}"))
                .trim_end_matches('/')
                .to_owned(),
            secret_key: secret_key(args)?,
            session_key: match &args.session_key {
                Some(text) if text.chars().count() < 32 => {
                    return Err("SESSION_KEY must be at least 32 characters long".to_owned());
                }
                Some(text) => Some(SessionKeyText(text.clone())),
                None => None,
            },
        })
    }

    /// Settings for tests: a low bcrypt cost, everything else as in production.
    pub fn for_tests() -> Self {
        Self {
            bcrypt_cost: 4,
            secure_cookies: false,
            session: SessionPolicy {
                idle: Duration::from_secs(3600),
                absolute: Duration::from_secs(12 * 3600),
                clock: Clock::default(),
            },
            throttle: ThrottleLimits {
                per_email: 5,
                per_address: 30,
                refill_every: Duration::from_secs(60),
            },
            api_requests_per_second: 50,
            public_url: "http://localhost".to_owned(),
            secret_key: SecretKey::generate(),
            session_key: None,
        }
    }
}

/// The secret-field key: from `SECRET_KEY`, or read from (and on first use written to) a file
/// readable by its owner only.
fn secret_key(args: &GlobalArgs) -> Result<SecretKey, String> {
    if let Some(text) = &args.secret_key {
        return SecretKey::from_base64(text).map_err(|e| format!("SECRET_KEY: {e}"));
    }
    let path = match &args.secret_key_file {
        Some(path) => path.clone(),
        None => match Backend::from_url(&args.database_url)? {
            Backend::Sqlite { path } => std::path::PathBuf::from(format!("{path}.secret-key")),
            Backend::Postgres { .. } => std::path::PathBuf::from("process-library.secret-key"),
        },
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => SecretKey::from_base64(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate();
            write_private(&path, &key.to_base64()).map_err(|e| {
                format!("cannot create the secret key file {}: {e}", path.display())
            })?;
            Ok(key)
        }
        Err(e) => Err(format!(
            "cannot read the secret key file {}: {e}",
            path.display()
        )),
    }
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")
}
