# Shared by scripts/faults and scripts/backup-restore (sourced, not run): the binary, the
# databases, nodes started and stopped by their pid, the load of `okienko bench load`, its
# checks and `okienko verify`. Needs psql, curl, jq and python3.

# the binary: --release or --debug (default) of $CARGO_TARGET_DIR, or OKIENKO_BIN
profile=debug
target="${CARGO_TARGET_DIR:-$HOME/.cache/okienko-target}"
bin() { echo "${OKIENKO_BIN:-$target/$profile/okienko}"; }

# the PostgreSQL server the scenarios make their databases on (an admin URL ending in a
# database name); the PostgreSQL restart scenario runs its own server instead
pg_admin="${FAULTS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
work_root="$HOME/.cache/okienko-faults-work"
work="$work_root/run-$$"
# one key-encryption key for every node of a run (as a town hall gives every node the same)
kek="$(openssl rand -base64 32)"
metrics_token="$(openssl rand -hex 16)"

export PGOPTIONS="-c client_min_messages=warning"
declare -a started_pids=()
declare -a made_dbs=()

say() { printf '%s\n' "$*"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# db_url ADMIN_URL NAME: the URL of database NAME on ADMIN_URL's server (TLS off on loopback)
db_url() { echo "${1%/*}/$2?sslmode=disable"; }

# fresh_db ADMIN_URL NAME: NAME dropped if there, created empty; dropped again on exit
fresh_db() {
  psql -q "$1" -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" -c "CREATE DATABASE $2" >/dev/null
  made_dbs+=("$1 $2")
}

# write_config FILE PORT DATABASE_URL DATA_DIR [EXTRA TOML]: a production node's settings
write_config() {
  cat >"$1" <<EOF
mode = "production"
listen = "127.0.0.1:$2"
base_url = "https://127.0.0.1:$2"
data_dir = "$4"
database_url = "$3"

[metrics]
token = "$metrics_token"

[keys]
kek = "$kek"

[auth]
dev_idp = false

[auth.providers.national]
kind = "residents"
issuer = "http://127.0.0.1:9/not-called"
client_id = "okienko-faults"
${5:-}
EOF
}

# ok CONFIG ARGS...: the binary with CONFIG; its DATABASE_URL is the file's, not the caller's
ok() {
  local config="$1"; shift
  env -u DATABASE_URL "$(bin)" --config "$config" "$@"
}

# start NAME CONFIG WHAT: `okienko WHAT` in the background, its log in $work/NAME.log;
# sets $started (its pid)
start() {
  env -u DATABASE_URL OKIENKO_LOG_FORMAT=json "$(bin)" --config "$2" "$3" >>"$work/$1.log" 2>&1 &
  started=$!
  started_pids+=("$started")
  # killed on purpose by some scenarios: no job report
  disown "$started"
}

# stop PID: SIGTERM, then SIGKILL after 10 s
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# wait_ready PORT [SECONDS]: /readyz answers 200
wait_ready() {
  local until=$((SECONDS + ${2:-60}))
  while [ $SECONDS -lt $until ]; do
    if curl -fsS -o /dev/null "http://127.0.0.1:$1/readyz" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  say "node on port $1 not ready within ${2:-60} s"; return 1
}

# prepare DIR CONFIG RESIDENTS: migrate, residents with sessions in DIR/sessions.txt
prepare() {
  ok "$2" migrate >/dev/null
  ok "$2" bench residents --count "$3" --sessions "$1/sessions.txt" >/dev/null
}

# cookie DIR: the first resident's session cookie, under both names (https: __Host-)
cookie() {
  local t; t="$(head -n1 "$1/sessions.txt")"
  echo "okienko_session=$t; __Host-okienko_session=$t"
}

# load CONFIG DIR URLS SHAPE VALUE SECONDS [ARGS]: one step of `bench load`; its JSON
# report to stdout, every acknowledged filing appended to DIR/acks.tsv
load() {
  local config="$1" dir="$2" urls="$3" shape="$4" value="$5" seconds="$6"; shift 6
  ok "$config" bench load --url "$urls" "--$shape" "$value" --seconds "$seconds" \
    --sessions "$dir/sessions.txt" --acks "$dir/acks.tsv" "$@" | tail -n1
}

# field JSON NAME: a number of a load report
field() { jq -r ".$2" <<<"$1"; }

# check CONFIG DIR: every acknowledged filing stored whole (bench check); sets $acked,
# $stored and $unacked_stored; status 1 on any failure
check() {
  local out status=0
  out="$(ok "$1" bench check --acks "$2/acks.tsv")" || status=$?
  printf '%s\n' "$out" | grep -E '^(checks|numbering|CHECK FAILED|[0-9]+ filings)' | sed 's/^/    /' || true
  acked="$(sed -n 's/^acknowledged=\([0-9]*\).*/\1/p' <<<"$out")"
  stored="$(sed -n 's/.* stored=\([0-9]*\).*/\1/p' <<<"$out")"
  unacked_stored="$(sed -n 's/.*unacknowledged_stored=\([0-9]*\).*/\1/p' <<<"$out")"
  return $status
}

# verify CONFIG: `okienko verify`; sets $verified (its summary line); status 1 on any
# discrepancy
verify() {
  local out status=0
  out="$(ok "$1" verify 2>&1)" || status=$?
  printf '%s\n' "$out" | grep -E '^DISCREPANCY' | head -n 5 | sed 's/^/    /' || true
  verified="$(grep -E '^checked' <<<"$out" | tail -n1)"
  say "    verify: ${verified:-$(tail -n1 <<<"$out")}"
  return $status
}

cleanup_common() {
  local pid
  for pid in "${started_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${FAULTS_KEEP:-0}" != 1 ]; then
    local d
    for d in "${made_dbs[@]}"; do
      # shellcheck disable=SC2086
      set -- $d
      psql -q "$1" -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
  else
    say "kept: $work and the databases ${made_dbs[*]}"
  fi
}
