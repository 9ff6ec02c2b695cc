"""Issue 17 §3: schemathesis against a running okienko, as three callers.

Starts `okienko serve` on a free loopback port, on a fresh PostgreSQL database (or an SQLite
file when PostgreSQL is not reachable), with the development identity provider and the rate
limits raised for the run; logs a resident in through the dev IdP over HTTP (the same
redirects a browser follows), creates a clerk's API client with `okienko api-client create`,
seeds one filing (so the resident has a submission and the clerk a case) and one draft, then
runs schemathesis with every check, anonymous, as the resident and as the clerk. Exits 1 when
any run's JUnit report holds a failure (see `verdict`); the reports stay in the run's
directory, printed at the end.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET

import requests

INFO = {
    "data": {
        "request": "Proszę o rejestr umów za 2025 r.",
        "access_form": "electronic",
        "delivery": "email",
        "email": "a@example.org",
    }
}
WRAPPER = "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"
CLERK_SCOPES = ["submissions:read", "cases:read", "cases:write", "mailbox:send"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres(admin_url: str) -> bool:
    if shutil.which("psql") is None:
        return False
    ok = subprocess.run(["psql", admin_url, "-q", "-c", "SELECT 1"], capture_output=True)
    return ok.returncode == 0


def wait_ready(base: str, child: subprocess.Popen, log: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if child.poll() is not None:
            sys.exit(f"okienko serve exited with {child.returncode}; its log:\n{open(log).read()}")
        try:
            if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    sys.exit(f"okienko serve was not ready in 120 s; its log:\n{open(log).read()}")


def resident_cookie(base: str, persona: str) -> str:
    """Logs `persona` in through the dev IdP: /auth/login → authorize with a login_hint →
    /auth/callback, which sets the session cookie. Returns the Cookie header's value."""
    s = requests.Session()
    r = s.get(
        f"{base}/auth/login",
        params={"login_hint": persona, "return_to": "/"},
        timeout=30,
    )
    session = s.cookies.get("okienko_session")
    if r.status_code >= 400 or not session:
        sys.exit(f"logging {persona} in failed: {r.status_code} {r.url}\n{r.text[:500]}")
    me = s.get(f"{base}/api/me", timeout=30)
    if me.status_code != 200:
        sys.exit(f"/api/me after the login answered {me.status_code}: {me.text[:500]}")
    return "; ".join(f"{c.name}={c.value}" for c in s.cookies if c.name.startswith("okienko_"))


def seed(base: str, cookie: str, token: str) -> None:
    """One filing (the resident's submission and receipt, the clerk's case) and one draft."""
    h = {"Cookie": cookie}
    r = requests.post(
        f"{base}/api/services/informacja-publiczna/submissions",
        json=INFO,
        headers={**h, "Idempotency-Key": str(uuid.uuid4())},
        timeout=60,
    )
    if r.status_code != 201:
        sys.exit(f"seeding a filing answered {r.status_code}: {r.text[:500]}")
    r = requests.post(
        f"{base}/api/services/informacja-publiczna/drafts", json=INFO, headers=h, timeout=60
    )
    if r.status_code != 201:
        sys.exit(f"seeding a draft answered {r.status_code}: {r.text[:500]}")
    r = requests.get(f"{base}/api/cases", headers={"Authorization": f"Bearer {token}"}, timeout=60)
    if r.status_code != 200 or not r.json().get("items"):
        sys.exit(f"the clerk sees no case: {r.status_code} {r.text[:500]}")


def run(base: str, name: str, headers: list, args, out: str) -> tuple:
    cmd = [
        sys.executable, "-c", WRAPPER,
        "--no-color", "--config-file", args.config, "run", f"{base}/api/openapi.json",
        "--checks", "all",
        "--max-examples", str(args.max_examples),
        "--seed", str(args.seed),
        "--workers", str(args.workers),
        "--phases", args.phases,
        "--request-timeout", "30",
        "--suppress-health-check", "all",
        "--report", "junit",
        "--report-junit-path", os.path.join(out, f"{name}.xml"),
    ]
    for h in headers:
        cmd += ["-H", h]
    cmd += args.extra
    print(f"== schemathesis as {name}", flush=True)
    start = time.monotonic()
    subprocess.run(cmd, env=os.environ)
    return verdict(os.path.join(out, f"{name}.xml")), time.monotonic() - start


def verdict(report: str) -> bool:
    """Whether the run found no failure, from its JUnit report. A failure is a check that
    failed: a 5xx, an undocumented status or content type, a response off its schema, a
    request refused or accepted against the document. An error is schemathesis failing to
    generate a case (Python 3.11's `ast` breaking inside hypothesis on the deepest bodies,
    the budget edition's): reported, but it says nothing about okienko."""
    try:
        cases = list(ET.parse(report).iter("testcase"))
    except (OSError, ET.ParseError) as e:
        print(f"no readable report {report}: {e}")
        return False
    ok = True
    for case in cases:
        for child in case:
            if child.tag == "failure":
                ok = False
            elif child.tag == "error":
                print(f"   (schemathesis could not generate cases for {case.get('name')}: its own error, not a finding)")
    return ok


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--config", default=os.path.join(os.path.dirname(__file__), "schemathesis.toml"))
    p.add_argument("--max-examples", type=int, default=5)
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    p.add_argument("--as", dest="only", choices=["anonymous", "resident", "clerk"], action="append")
    p.add_argument("extra", nargs="*", help="more schemathesis options (after --)")
    args = p.parse_args()

    work = tempfile.mkdtemp(prefix="okienko-schemathesis-")
    pg_admin = os.environ.get("OKIENKO_SCHEMATHESIS_PG", "postgres://postgres@127.0.0.1:5432/test")
    db_name = None
    if postgres(pg_admin):
        db_name = f"okienko_st_{os.getpid()}_{int(time.time())}"
        subprocess.run(["psql", pg_admin, "-q", "-c", f"CREATE DATABASE {db_name}"], check=True)
        db_url = pg_admin.rsplit("/", 1)[0] + f"/{db_name}"
    else:
        db_url = f"sqlite://{work}/okienko.db?mode=rwc"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "OKIENKO_CONFIG": os.path.join(work, "none.toml"),
        "OKIENKO_LISTEN": f"127.0.0.1:{port}",
        "OKIENKO_DATA_DIR": os.path.join(work, "data"),
        "DATABASE_URL": db_url,
        # the run's own limits: schemathesis is one client address asking thousands of times
        "OKIENKO_LIMITS__VALIDATE_PER_MINUTE": "1000000",
        "OKIENKO_LIMITS__VALIDATE_BURST": "1000000",
        "OKIENKO_AUTH__LOGIN_PER_MINUTE": "1000000",
        "OKIENKO_AUTH__LOGIN_BURST": "1000000",
        "OKIENKO_AUTH__IDLE_TIMEOUT_MINS": "600",
        "OKIENKO_AUTH__IDLE_WARNING_MINS": "2",
        "RUST_LOG": os.environ.get("RUST_LOG", "warn"),
    }
    log = os.path.join(work, "serve.log")
    print(f"== okienko serve at {base} on {'PostgreSQL ' + db_name if db_name else 'SQLite'} (log {log})", flush=True)
    child = subprocess.Popen(
        [args.bin, "serve"], env=env, cwd=work, stdout=open(log, "w"), stderr=subprocess.STDOUT
    )
    failed = []
    try:
        wait_ready(base, child, log)
        made = subprocess.run(
            [args.bin, "api-client", "create", "--name", "schemathesis", "--scopes", *CLERK_SCOPES],
            env=env, cwd=work, capture_output=True, text=True,
        )
        if made.returncode != 0:
            sys.exit(f"okienko api-client create failed: {made.stderr}")
        token = made.stdout.strip().splitlines()[-1]
        cookie = resident_cookie(base, "jan")
        seed(base, cookie, token)
        callers = {
            "anonymous": [],
            "resident": [f"Cookie: {cookie}"],
            "clerk": [f"Authorization: Bearer {token}"],
        }
        timings = []
        for name, headers in callers.items():
            if args.only and name not in args.only:
                continue
            ok, secs = run(base, name, headers, args, work)
            timings.append(f"{name} {secs:.0f} s")
            if not ok:
                failed.append(name)
        if child.poll() is not None:
            failed.append(f"the server (exited {child.returncode})")
        print(f"== schemathesis: {', '.join(timings)}; reports in {work}", flush=True)
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
        if db_name:
            subprocess.run(
                ["psql", pg_admin, "-q", "-c", f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"],
                capture_output=True,
            )
    if failed:
        print(f"schemathesis found failures as: {', '.join(failed)}; serve's log: {log}")
        return 1
    print("schemathesis: no failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
