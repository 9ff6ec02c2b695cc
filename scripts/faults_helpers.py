"""Helpers of scripts/faults that are easier in Python than in bash.

  smtp  --port P --out FILE      an SMTP server (aiosmtpd, PyPI) that appends one JSON line
                                 per message received (to, subject) until SIGTERM
  mail-count --out FILE          prints `received=N distinct=M` over that file's lines
  two-files --body F --out G --big-kib N
                                 the filing body F with a second, N KiB PDF after its first
  slow  --port P ...             slow clients: each sends a filing's headers at once, then
                                 its body one byte a second; prints one JSON line with when
                                 each was answered and how
"""

import argparse
import asyncio
import json
import signal
import sys
import time


def smtp(args):
    from aiosmtpd.controller import Controller
    from email import message_from_bytes, policy

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            msg = message_from_bytes(envelope.content, policy=policy.default)
            line = json.dumps({"to": envelope.rcpt_tos, "subject": str(msg["subject"])})
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(line + "\n")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"smtp listening on 127.0.0.1:{args.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


def mail_count(args):
    try:
        with open(args.out, encoding="utf-8") as f:
            subjects = [json.loads(line)["subject"] for line in f if line.strip()]
    except FileNotFoundError:
        subjects = []
    print(f"received={len(subjects)} distinct={len(set(subjects))}")


async def one_slow(i, args, body, results):
    """Headers at once, then the body a byte a second until answered or done."""
    started = time.monotonic()
    out = {"client": i, "status": None, "held_s": None, "sent": 0}
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
        head = (
            f"POST /api/services/dn-1/submissions HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{args.port}\r\n"
            f"Content-Type: {args.content_type}\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"Cookie: {args.cookie}\r\n"
            f"Idempotency-Key: slow-{i}-{time.time_ns()}\r\n\r\n"
        )
        writer.write(head.encode())
        await writer.drain()
        answer = asyncio.ensure_future(reader.readline())
        for b in body:
            done, _ = await asyncio.wait({answer}, timeout=1.0 / args.bytes_per_sec)
            if done:
                break
            try:
                writer.write(bytes([b]))
                await writer.drain()
            except (ConnectionError, OSError):
                break
            out["sent"] += 1
            if time.monotonic() - started > args.give_up:
                break
        line = await asyncio.wait_for(answer, timeout=5)
        parts = line.split()
        out["status"] = int(parts[1]) if len(parts) > 1 else None
        writer.close()
    except (asyncio.TimeoutError, ConnectionError, OSError, ValueError) as e:
        out["error"] = repr(e)
    out["held_s"] = round(time.monotonic() - started, 1)
    results.append(out)


async def slow_headers(args, results):
    """A client that sends its request line and headers a byte a second."""
    started = time.monotonic()
    out = {"client": "headers", "closed_s": None}
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
        for b in head:
            writer.write(bytes([b]))
            await writer.drain()
            try:
                got = await asyncio.wait_for(reader.read(1), timeout=1.0)
                if got == b"" or got:
                    break
            except asyncio.TimeoutError:
                pass
            if time.monotonic() - started > args.give_up:
                break
    except (ConnectionError, OSError) as e:
        out["error"] = repr(e)
    out["closed_s"] = round(time.monotonic() - started, 1)
    results.append(out)


def slow(args):
    body = open(args.body, "rb").read()
    results = []

    async def main():
        tasks = [one_slow(i, args, body, results) for i in range(args.clients)]
        if args.headers:
            tasks.append(slow_headers(args, results))
        await asyncio.gather(*tasks)

    asyncio.run(main())
    bodies = [r for r in results if r["client"] != "headers"]
    answered = [r for r in bodies if r["status"] is not None]
    summary = {
        "clients": len(bodies),
        "answered": len(answered),
        "statuses": sorted({r["status"] for r in answered}),
        "held_max_s": max((r["held_s"] for r in bodies), default=0),
        "bytes_sent_max": max((r["sent"] for r in bodies), default=0),
        "headers_client": next((r for r in results if r["client"] == "headers"), None),
    }
    print(json.dumps(summary))


def two_files(args):
    body = open(args.body, "rb").read()
    boundary = body.split(b"\r\n", 1)[0][2:]
    closing = b"\r\n--" + boundary + b"--\r\n"
    assert body.endswith(closing)
    big = b"%PDF-1.4\n%" + b"x" * (args.big_kib * 1024) + b"\n%%EOF\n"
    part = (
        b"\r\n--" + boundary + b"\r\nContent-Disposition: form-data; name=\"attachments\"; "
        b"filename=\"duzy.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" + big
    )
    with open(args.out, "wb") as f:
        f.write(body[: -len(closing)] + part + closing)


def two_files(args):
    body = open(args.body, "rb").read()
    boundary = body.split(b"\r\n", 1)[0][2:]
    closing = b"\r\n--" + boundary + b"--\r\n"
    assert body.endswith(closing)
    big = b"%PDF-1.4\n%" + b"x" * (args.big_kib * 1024) + b"\n%%EOF\n"
    part = (
        b"\r\n--" + boundary + b"\r\nContent-Disposition: form-data; name=\"attachments\"; "
        b"filename=\"duzy.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" + big
    )
    with open(args.out, "wb") as f:
        f.write(body[: -len(closing)] + part + closing)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("smtp")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--out", required=True)
    c = sub.add_parser("mail-count")
    c.add_argument("--out", required=True)
    t = sub.add_parser("two-files")
    t.add_argument("--body", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--big-kib", type=int, required=True)
    w = sub.add_parser("slow")
    w.add_argument("--port", type=int, required=True)
    w.add_argument("--cookie", required=True)
    w.add_argument("--body", required=True)
    w.add_argument("--content-type", required=True)
    w.add_argument("--clients", type=int, default=8)
    w.add_argument("--bytes-per-sec", type=float, default=1.0)
    w.add_argument("--give-up", type=float, default=120.0)
    w.add_argument("--headers", action="store_true")
    a = p.parse_args()
    {"smtp": smtp, "mail-count": mail_count, "slow": slow, "two-files": two_files}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
