"""Validates the e-filing documents `okienko forms efiling` wrote against the published
schemas, with xmlschema (an XSD 1.0 validator independent of okienko), and checks that
tampered copies are refused. Exit status 1 on any failure."""

import argparse
import pathlib
import re
import sys

import xmlschema


def tampered(xml: str):
    """Copies of a valid document that its schema must refuse, each with its name."""
    yield "another form code", re.sub(
        r"(<KodFormularza[^>]*>)[^<]*(</KodFormularza>)", r"\1XX-0\2", xml, count=1
    )
    yield "an unknown element", xml.replace("<Dane>", "<Dane>\n    <nieznane>1</nieznane>", 1)
    if "<year>" in xml:
        yield "a year that is not a number", re.sub(
            r"<year>[^<]*</year>", "<year>dwa tysiące</year>", xml, count=1
        )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", required=True, type=pathlib.Path)
    ap.add_argument("--schemas", required=True, type=pathlib.Path)
    args = ap.parse_args()
    schemas = {}
    failures = 0
    documents = 0
    refused = 0
    for line in (args.documents / "manifest.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, schema_name = line.split("\t")
        if schema_name not in schemas:
            schemas[schema_name] = xmlschema.XMLSchema10(str(args.schemas / schema_name))
        schema = schemas[schema_name]
        xml = (args.documents / name).read_text(encoding="utf-8")
        documents += 1
        errors = list(schema.iter_errors(xml))
        if errors:
            failures += 1
            print(f"FAIL {name} against {schema_name}:")
            for e in errors[:5]:
                print(f"  {e.path}: {e.reason}")
            continue
        for what, copy in tampered(xml):
            if schema.is_valid(copy):
                failures += 1
                print(f"FAIL {name}: {what} was accepted by {schema_name}")
            else:
                refused += 1
    if documents == 0:
        print("no documents: okienko forms efiling wrote none")
        return 1
    print(
        f"{documents} e-filing documents valid against {len(schemas)} published schemas; "
        f"{refused} tampered copies refused; {failures} failure(s)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
