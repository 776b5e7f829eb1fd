# Shared helpers of the project's scripts: install what is missing, start PostgreSQL.

say() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# Installs Debian packages that are not installed yet.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# What building the binary needs beyond Rust: OpenSSL headers for the bundled libpq.
ensure_build_deps() {
  command -v cargo >/dev/null || { echo "cargo is required: install Rust from https://rustup.rs" >&2; exit 1; }
  ensure_apt libssl-dev pkg-config
}

# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (installing and starting one when
# none does) and prints its admin URL.
ensure_postgres() {
  local url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  if ! command -v pg_isready >/dev/null; then
    ensure_apt postgresql postgresql-client
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      ensure_apt postgresql
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    say "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if ! psql "$url" -qtAc 'SELECT 1' >/dev/null 2>&1; then
    # A fresh cluster: let local connections in without a password, for tests only.
    local hba
    hba=$(as_postgres psql -qtAc 'SHOW hba_file' 2>/dev/null || true)
    if [ -n "$hba" ]; then
      say "allowing trusted loopback connections for tests"
      as_root sed -i 's/^\(host\s\+all\s\+all\s\+127\.0\.0\.1\/32\s\+\)\S\+/\1trust/' "$hba"
      as_postgres psql -qtAc 'SELECT pg_reload_conf()' >/dev/null
      sleep 1
    fi
  fi
  psql "$url" -qtAc 'SELECT 1' >/dev/null || { echo "PostgreSQL does not answer at $url" >&2; exit 1; }
  printf '%s\n' "$url"
}
