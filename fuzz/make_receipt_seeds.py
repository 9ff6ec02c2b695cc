#!/usr/bin/env python3
"""Writes the seed corpus of the receipt_verify target: receipts, an evidence, a consultation
report and budget documents, signed with the target's fixed Ed25519 key (32 bytes of 7; its
public half is the JWK Set in fuzz_targets/receipt_verify.rs). Needs PyPI's `cryptography`.
Run from fuzz/: python3 make_receipt_seeds.py"""
import base64, hashlib, json, os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY = Ed25519PrivateKey.from_private_bytes(bytes([7] * 32))
OUT = "corpus/receipt_verify"


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jws(typ, claims, kid="receipt-fuzz"):
    head = b64(json.dumps({"typ": typ, "alg": "EdDSA", "kid": kid}).encode())
    body = b64(json.dumps(claims, ensure_ascii=False).encode())
    sig = b64(KEY.sign(f"{head}.{body}".encode()))
    return f"{head}.{body}.{sig}"


def digest(doc):
    body = {k: v for k, v in doc.items() if k != "jws"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha3_256(text.encode()).hexdigest()


def put(name, text):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write(text)


ISS = "https://okienko.example"
receipt = {
    "iss": ISS, "sub": "r-1", "iat": 1795000000, "receipt_id": "r-1", "submission_id": "s-1",
    "authority": {"name": "Urząd Gminy Przykładowo", "ade": "AE:PL-12345-67890-ABCDE-12"},
    "applicant": {"name": "Jan Kowalski", "pesel": "44051401359", "level": "substantial"},
    "service": {"id": "in-1", "version": 1, "title": "IN-1", "definition_hash": "ab" * 32},
    "filed_at": "2026-11-21T10:00:00Z", "generated_at": "2026-11-21T10:00:01Z",
    "digest": {"alg": "SHA3-256", "submission": "cd" * 32},
    "attachments": [{"name": "akt.pdf", "size": 1234, "field": "deed", "sha3_256": "ef" * 32}],
    "registration": {"register_no": "1/2026", "case_sign": "FN.3120.1.2026", "due_on": "2026-12-21", "access_code": "K7M2-P9QX"},
}
r = jws("okienko-receipt+jwt", receipt)
put("receipt.jws", r + "\n")
put("receipt.json", json.dumps({"receipt": {"jws": r, "receipt_id": "r-1"}}, ensure_ascii=False))
put("receipt-anonymous.json", json.dumps({"jws": jws("okienko-receipt+jwt", {**receipt, "applicant": {"name": None, "pesel": None, "level": "none"}, "registration": None})}))
put("receipt-unknown-kid.jws", jws("okienko-receipt+jwt", receipt, kid="receipt-000000000000"))
put("receipt-tampered.jws", r[:-4] + "AAAA")
evidence = {"iss": ISS, "sub": "ev-1", "iat": 1795000000, "code": "E.1", "meaning": "dowód otrzymania",
            "message_id": "m-1", "mailbox": "AE:PL-12345-67890-ABCDE-12", "sender": "AE:PL-00000-00000-AAAAA-00",
            "at": "2026-11-21T10:00:00Z", "message_sha3_256": "01" * 32, "delivery": "opened"}
put("evidence.jws", jws("okienko-evidence+jwt", evidence))
report = {"consultation": "c-1", "subject": "Park", "published_at": "2026-11-21T10:00:00Z", "comments": [{"id": 1, "text": "Tak", "position": "przyjęta"}], "answers": 3}
report["jws"] = jws("okienko-consultation-report+jwt", {"iss": ISS, "sub": "c-1", "iat": 1795000000, "subject": "Park", "published_at": "2026-11-21T10:00:00Z", "comments": 1, "answers": 3, "report_sha3_256": digest(report)})
put("report.json", json.dumps(report, ensure_ascii=False))
ballot = {"id": "b-1", "edition_id": "e-1", "title": "Budżet obywatelski 2027", "at": "2026-11-21", "choices": ["p-1", "p-2"]}
ballot["jws"] = jws("okienko-budget-ballot+jwt", {"iss": ISS, "sub": "b-1", "iat": 1795000000, "edition": "e-1", "title": ballot["title"], "at": "2026-11-21", "document_sha3_256": digest(ballot)})
put("ballot.json", json.dumps(ballot, ensure_ascii=False))
protocol = {"id": "e-1", "edition_id": "e-1", "title": "Budżet obywatelski 2027", "at": "2026-12-01T12:00:00Z", "pools": [{"name": "ogólnomiejska", "winners": ["p-1"]}]}
protocol["jws"] = jws("okienko-budget-protocol+jwt", {"iss": ISS, "sub": "e-1", "iat": 1795000000, "edition": "e-1", "title": protocol["title"], "at": protocol["at"], "document_sha3_256": digest(protocol)})
put("protocol.json", json.dumps(protocol, ensure_ascii=False))
