# What the benchmark scripts share; each sources it.

# Installs the Debian packages named that are missing (with sudo unless root).
install_packages() {
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package"
  done
}

# Starts a throwaway PostgreSQL cluster in DIR (under /tmp: the postgres user cannot enter
# root's home), listening on a Unix socket there only, and stops it when the script exits.
# Sets PG_URL to its postgres database and PG_AS to the prefix that runs a command as its owner.
start_postgres() {
  local dir=$1 bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_AS=""; if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; PG_AS="runuser -u postgres --"; fi
  PG_BIN=$bin
  $PG_AS "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  $PG_AS "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-k $dir -c listen_addresses=''" -w start >/dev/null
  PG_DIR=$dir
  trap stop_postgres EXIT
  PG_URL="postgres://postgres@localhost/postgres?host=$dir"
}

stop_postgres() {
  $PG_AS "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null
}
