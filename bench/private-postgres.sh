# Sourced by the bench scripts that need PostgreSQL (bench/provider-compare.sh, bench/two-instances.sh), from the
# repository root, with bench_name (for messages) and pg_max_connections set. Uses the server WELINK_TEST_POSTGRES
# names, else starts a private cluster from Debian's packages (run-tests.sh installs them) with PostgreSQL's
# durable defaults (fsync and synchronous_commit on), its data under /var/tmp on the real disk, on a free loopback
# port, and stops and deletes it when the script exits; exports WELINK_TEST_POSTGRES for the bench.
if [ -z "${WELINK_TEST_POSTGRES:-}" ]; then
  pg_bin=""
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_bin=$(pg_config --bindir); fi
  [ -n "$pg_bin" ] || pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r | head -1)
  [ -x "$pg_bin/initdb" ] || { echo "$bench_name: no PostgreSQL server binaries (apt-get install postgresql, or set WELINK_TEST_POSTGRES)" >&2; exit 1; }
  pg_dir=$(mktemp -d /var/tmp/welink-bench-postgres.XXXXXX)
  # initdb refuses root: as root the cluster belongs to the postgres user the package made.
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pg_dir"; as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
  stop_postgres() {
    [ -f "$pg_dir/data/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$pg_dir"
  }
  trap stop_postgres EXIT
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; exit 1; }
  port=""
  for _ in 1 2 3 4 5; do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then continue; fi
    if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
         -o "-p $candidate -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=$pg_max_connections" start >/dev/null; then
      port=$candidate; break
    fi
  done
  [ -n "$port" ] || { echo "$bench_name: the private PostgreSQL cluster did not start" >&2; tail -20 "$pg_dir/server.log" >&2; exit 1; }
  export WELINK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), private cluster on 127.0.0.1:$port, data in $pg_dir (durable defaults)"
fi
