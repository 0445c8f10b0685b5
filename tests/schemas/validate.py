#!/usr/bin/env python3
"""validate.py: checks JSON documents against tokensim's JSON Schemas.

Usage: validate.py SCHEMA_DIR SCHEMA_NAME FILE...   (FILE may be - for stdin)
       validate.py SCHEMA_DIR --check                 (every schema is itself valid)

Every *.schema.json of SCHEMA_DIR is loaded under its $id, so the relative
$refs between them resolve without the network. Prints one line per
problem ("FILE: PATH: MESSAGE") and exits 1 when any document fails, 2 on
bad usage or a file that is not JSON. Works with python3-jsonschema 4.10
(Debian bookworm: RefResolver) and with later releases (referencing)."""
import json
import os
import sys

import jsonschema
from jsonschema import Draft202012Validator


def load_schemas(folder):
    schemas = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".schema.json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                schemas[name] = json.load(f)
    return schemas


def make_validator(schemas, name):
    schema = schemas[name]
    try:
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values())
        return Draft202012Validator(schema, registry=registry)
    except ImportError:
        store = {s["$id"]: s for s in schemas.values()}
        resolver = jsonschema.RefResolver(schema["$id"], schema, store=store)
        return Draft202012Validator(schema, resolver=resolver)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schemas = load_schemas(argv[1])
    if argv[2] == "--check":
        bad = 0
        for name, s in schemas.items():
            try:
                Draft202012Validator.check_schema(s)
            except jsonschema.SchemaError as e:
                print(f"{name}: not a valid schema: {e.message}")
                bad += 1
            if not s.get("$id", "").endswith("/" + name):
                print(f"{name}: $id does not end in its file name")
                bad += 1
        return 1 if bad else 0
    if argv[2] not in schemas:
        print(f"validate.py: no schema {argv[2]} in {argv[1]}", file=sys.stderr)
        return 2
    v = make_validator(schemas, argv[2])
    failed = 0
    for path in argv[3:]:
        try:
            doc = json.load(sys.stdin if path == "-" else open(path, encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}", file=sys.stderr)
            return 2
        errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:10]:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{path}: {where}: {e.message[:300]}")
        failed += bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
