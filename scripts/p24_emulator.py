#!/usr/bin/env python3
"""An emulator of Przelewy24's REST API v1 for okienko's tests and e2e journeys.

It answers what okienko calls, as the documented API does, and signs its notifications as
Przelewy24 does (SHA-384 of the JSON of the fields and the CRC key, slashes and non-ASCII
characters unescaped):

  POST /api/v1/transaction/register   Basic auth (posId : API key), `sign` checked -> token
  GET  /trnRequest/{token}            the payment page, with a button to pay
  POST /trnRequest/{token}/pay        pays: the notification to `urlStatus`, then 303 to `urlReturn`
                                      (409 when paid already or past its `timeLimit` minutes)
  PUT  /api/v1/transaction/verify     `sign` checked against the paid transaction

and, for tests, what the real one cannot be asked to do:

  POST /emulator/notify/{token}?amount=N&times=K   send the (signed) notification K times
  GET  /emulator/notification/{token}?amount=N     the signed notification's body, unsent
  POST /emulator/down  /emulator/up                answer 503 to everything, or not
  GET  /emulator/transactions                       what was registered and verified

Usage: p24_emulator.py --port 0 --merchant 123456 --crc CRC --api-key KEY
It prints `listening on http://127.0.0.1:PORT` once ready. Standard library only.
"""

import argparse
import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"down": False, "tx": {}, "order": 100000}
LOCK = threading.Lock()


def sign(fields, crc):
    body = dict(fields)
    body["crc"] = crc
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha384(text.encode("utf-8")).hexdigest()


def notification(tx, args, amount=None):
    amount = tx["amount"] if amount is None else amount
    fields = {
        "merchantId": args.merchant,
        "posId": args.merchant,
        "sessionId": tx["sessionId"],
        "amount": amount,
        "originAmount": amount,
        "currency": "PLN",
        "orderId": tx["orderId"],
        "methodId": 25,
        "statement": "p24-" + tx["token"][:8],
    }
    fields["sign"] = sign({k: v for k, v in fields.items()}, args.crc)
    return fields


def send_notification(tx, args, amount=None):
    body = json.dumps(notification(tx, args, amount), ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(
        tx["urlStatus"], data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


class Handler(BaseHTTPRequestHandler):
    args = None

    def log_message(self, *a):
        pass

    def reply(self, status, body, ctype="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        if ctype.startswith("text/html"):
            data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, 65536))

    def authorised(self):
        want = base64.b64encode(f"{self.args.merchant}:{self.args.api_key}".encode()).decode()
        return self.headers.get("Authorization") == "Basic " + want

    def route(self, method):
        path, _, query = self.path.partition("?")
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        if path.startswith("/emulator/"):
            return self.control(method, path, params)
        if STATE["down"]:
            return self.reply(503, {"error": "Service unavailable", "code": 503})
        if method == "POST" and path == "/api/v1/transaction/register":
            return self.register()
        if method == "PUT" and path == "/api/v1/transaction/verify":
            return self.verify()
        if path.startswith("/trnRequest/"):
            token = path.split("/")[2]
            with LOCK:
                tx = STATE["tx"].get(token)
            if tx is None:
                return self.reply(404, "<p>Nieznana transakcja</p>", "text/html; charset=utf-8")
            if method == "GET":
                return self.page(tx)
            if method == "POST" and path.endswith("/pay"):
                # as the real one: a transaction is paid once, and not after its timeLimit
                with LOCK:
                    late = tx.get("timeLimit") and time.time() - tx["registered"] > 60 * tx["timeLimit"]
                    again, tx["paid"] = tx["paid"], tx["paid"] or not late
                if again or late:
                    why = "Transakcja została już opłacona" if again else "Czas na płatność minął"
                    return self.reply(409, f"<p>{why}</p>", "text/html; charset=utf-8")
                send_notification(tx, self.args)
                return self.reply(303, b"", "text/plain", [("Location", tx["urlReturn"])])
        return self.reply(404, {"error": "Not found", "code": 404})

    def register(self):
        if not self.authorised():
            return self.reply(401, {"error": "Incorrect authentication", "code": 401})
        try:
            t = json.loads(self.body())
            expected = sign(
                {"sessionId": t["sessionId"], "merchantId": t["merchantId"],
                 "amount": t["amount"], "currency": t["currency"]},
                self.args.crc,
            )
        except (ValueError, KeyError):
            return self.reply(400, {"error": "Invalid input data", "code": 400})
        if t["sign"] != expected or t["merchantId"] != self.args.merchant:
            return self.reply(400, {"error": "Incorrect sign", "code": 400})
        token = secrets.token_hex(16).upper()
        with LOCK:
            STATE["order"] += 1
            STATE["tx"][token] = dict(t, token=token, orderId=STATE["order"], paid=False, verified=0,
                                      registered=time.time())
        return self.reply(200, {"data": {"token": token}, "responseCode": 0})

    def verify(self):
        if not self.authorised():
            return self.reply(401, {"error": "Incorrect authentication", "code": 401})
        try:
            v = json.loads(self.body())
            expected = sign(
                {"sessionId": v["sessionId"], "orderId": v["orderId"],
                 "amount": v["amount"], "currency": v["currency"]},
                self.args.crc,
            )
        except (ValueError, KeyError):
            return self.reply(400, {"error": "Invalid input data", "code": 400})
        with LOCK:
            tx = next((t for t in STATE["tx"].values() if t["orderId"] == v["orderId"]), None)
            ok = (tx is not None and v["sign"] == expected and tx["sessionId"] == v["sessionId"]
                  and tx["amount"] == v["amount"])
            if ok:
                tx["verified"] += 1
        if not ok:
            return self.reply(400, {"error": "Invalid input data", "code": 400})
        return self.reply(200, {"data": {"status": "success"}, "responseCode": 0})

    def page(self, tx):
        amount = f"{tx['amount'] // 100},{tx['amount'] % 100:02d} zł"
        return self.reply(200, f"""<!doctype html><html lang="pl"><head><meta charset="utf-8">
<title>Przelewy24 (emulator)</title></head><body><main>
<h1>Przelewy24 (emulator)</h1><p>{html.escape(tx['description'])}</p>
<p>Kwota: <strong id="amount">{amount}</strong></p>
<form method="post" action="/trnRequest/{tx['token']}/pay"><button type="submit">Zapłać</button></form>
</main></body></html>""", "text/html; charset=utf-8")

    def control(self, method, path, params):
        if path == "/emulator/down":
            STATE["down"] = True
        elif path == "/emulator/up":
            STATE["down"] = False
        elif path == "/emulator/transactions":
            with LOCK:
                return self.reply(200, list(STATE["tx"].values()))
        elif path.startswith("/emulator/notification/"):
            with LOCK:
                tx = STATE["tx"].get(path.split("/")[3])
            if tx is None:
                return self.reply(404, {"error": "Not found"})
            amount = int(params["amount"]) if "amount" in params else None
            return self.reply(200, notification(tx, self.args, amount))
        elif path.startswith("/emulator/notify/"):
            with LOCK:
                tx = STATE["tx"].get(path.split("/")[3])
            if tx is None:
                return self.reply(404, {"error": "Not found"})
            amount = int(params["amount"]) if "amount" in params else None
            codes = [send_notification(tx, self.args, amount) for _ in range(int(params.get("times", 1)))]
            return self.reply(200, {"statuses": codes})
        return self.reply(200, {"ok": True})

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PUT(self):
        self.route("PUT")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--merchant", type=int, default=123456)
    p.add_argument("--crc", default="emulator-crc")
    p.add_argument("--api-key", default="emulator-key")
    args = p.parse_args()
    Handler.args = args
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
