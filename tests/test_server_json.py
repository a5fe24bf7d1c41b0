"""Validate the MCP registry manifest (``server.json``) offline.

The schema in ``tests/data/server.schema.json`` is the released MCP registry
``server.json`` schema 2025-12-11, copied byte-for-byte from
https://github.com/modelcontextprotocol/static (commit a9ba437d9fbbe92076a24b20d56449ac7c7786ac,
``schemas/2025-12-11/server.schema.json``; MIT License, (c) 2025 Model Context
Protocol). It is served at the URL in its ``$id``. Nothing here touches the
network: every ``$ref`` in the schema is internal, and the reference registry
below refuses to retrieve anything it does not already hold.

Note: the schema alone does not require ``isSecret`` and does not restrict
``registryType`` to an enum (it only lists examples), so those properties are
enforced by the project checks in ``manifest_problems`` on top of the schema.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_PATH = ROOT / "server.json"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "server.schema.json"

SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
SERVER_NAME = "io.github.gitcode-mcp/gitcode-mcp"
PACKAGE_ID = "gitcode-mcp"
TOKEN_VAR = "GITCODE_TOKEN"
ENV_VAR_NAMES = ["GITCODE_TOKEN", "GITCODE_API_URL", "GITCODE_TOOLSETS", "GITCODE_READ_ONLY"]


def _no_network(uri: str):
    raise NoSuchResource(ref=uri)


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    # Use the dialect the schema declares (draft-07 for 2025-12-11).
    cls = validator_for(schema)
    cls.check_schema(schema)
    resource = Resource.from_contents(schema)
    registry = Registry(retrieve=_no_network).with_resource(schema["$id"], resource)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture()
def manifest() -> dict:
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))


def _pypi_package(doc: dict) -> dict:
    pkgs = doc.get("packages") or []
    assert len(pkgs) == 1, f"expected exactly one package, got {len(pkgs)}"
    return pkgs[0]


def manifest_problems(validator, doc: dict) -> list[str]:
    """Schema errors plus this project's own requirements for the manifest."""
    problems = [
        f"schema: {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(doc)
    ]
    for pkg in doc.get("packages") or []:
        if pkg.get("registryType") != "pypi":
            problems.append(f"registryType must be 'pypi', got {pkg.get('registryType')!r}")
        if pkg.get("identifier") != PACKAGE_ID:
            problems.append(f"identifier must be {PACKAGE_ID!r}, got {pkg.get('identifier')!r}")
        env = {v.get("name"): v for v in pkg.get("environmentVariables") or []}
        token = env.get(TOKEN_VAR)
        if token is None or token.get("isSecret") is not True:
            problems.append(f"{TOKEN_VAR} must be declared with isSecret: true")
    return problems


def test_schema_is_the_bundled_release(schema):
    assert schema["$id"] == SCHEMA_URL


def test_manifest_declares_current_schema(manifest, schema):
    assert manifest["$schema"] == schema["$id"]


def test_manifest_validates_against_schema(manifest, validator):
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors)
    assert manifest_problems(validator, manifest) == []


def test_manifest_identity(manifest):
    assert manifest["name"] == SERVER_NAME
    assert manifest["repository"] == {
        "url": "https://github.com/gitcode-mcp/gitcode-mcp",
        "source": "github",
    }
    pkg = _pypi_package(manifest)
    assert pkg["registryType"] == "pypi"
    assert pkg["identifier"] == PACKAGE_ID
    assert pkg["transport"] == {"type": "stdio"}


def test_versions_match_package():
    import gitcode_mcp

    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    assert manifest["version"] == gitcode_mcp.__version__
    assert _pypi_package(manifest)["version"] == gitcode_mcp.__version__


def test_environment_variables(manifest):
    env = _pypi_package(manifest)["environmentVariables"]
    names = [v["name"] for v in env]
    assert sorted(names) == sorted(ENV_VAR_NAMES)
    assert len(names) == len(set(names))
    by_name = {v["name"]: v for v in env}
    assert by_name[TOKEN_VAR]["isSecret"] is True
    assert by_name[TOKEN_VAR].get("isRequired", False) is False
    for name in ENV_VAR_NAMES:
        if name != TOKEN_VAR:
            assert by_name[name].get("isSecret", False) is False, name
        assert by_name[name].get("description"), name
    assert by_name["GITCODE_API_URL"]["default"] == "https://api.gitcode.com/api/v5"


def _drop_token_secret(doc):
    for v in doc["packages"][0]["environmentVariables"]:
        if v["name"] == TOKEN_VAR:
            del v["isSecret"]


def _bad_registry_type(doc):
    doc["packages"][0]["registryType"] = "pip"


def _secret_not_boolean(doc):
    for v in doc["packages"][0]["environmentVariables"]:
        if v["name"] == TOKEN_VAR:
            v["isSecret"] = "yes"


def _bad_transport(doc):
    doc["packages"][0]["transport"] = {"type": "websocket"}


def _missing_identifier(doc):
    del doc["packages"][0]["identifier"]


def _long_description(doc):
    doc["description"] = "x" * 101


def _bad_name(doc):
    doc["name"] = "gitcode-mcp"


@pytest.mark.parametrize(
    "mutate, schema_rejects",
    [
        # Schema accepts these two (isSecret is optional, registryType is a free
        # string); the project checks must catch them.
        (_drop_token_secret, False),
        (_bad_registry_type, False),
        # The schema itself rejects these.
        (_secret_not_boolean, True),
        (_bad_transport, True),
        (_missing_identifier, True),
        (_long_description, True),
        (_bad_name, True),
    ],
    ids=lambda p: p.__name__.lstrip("_") if callable(p) else None,
)
def test_broken_manifest_is_rejected(manifest, validator, mutate, schema_rejects):
    broken = copy.deepcopy(manifest)
    mutate(broken)
    assert broken != manifest
    assert manifest_problems(validator, broken), "broken manifest was accepted"
    if schema_rejects:
        assert not validator.is_valid(broken)
