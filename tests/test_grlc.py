"""The canned queries behind grlc: the same headers, the same answers, byte for byte.

``queries/`` is meant to work as it is behind grlc (https://grlc.io), which
reads each file's ``#+`` header as YAML and turns each query into an API call
with the BASIL parameters. Two parts:

- The headers, always: every header parses with PyYAML, as grlc reads it,
  to the same keys and values as collabkg's own (strict, YAML-free) parser.
- A real grlc, when ``COLLABKG_GRLC_SERVER`` names its ``grlc-server``
  (``.ci/run`` installs grlc from PyPI in an environment of its own):
  grlc serves the local ``queries/`` folder (its ``config.ini`` with
  ``local_sparql_dir``, its calls under ``/api-local/``) against a real
  Oxigraph server that holds the export in its default graph (no union
  default graph). Every canned query, with its defaults and with each
  parameter given, must answer through grlc (``Accept: text/csv``) with
  exactly the bytes of ``collabkg query NAME --format csv``, both on that
  server (``--store sparql:URL``) and on the embedded store.

``grlc-server`` runs grlc's application (``grlc.server:app``) under gunicorn
bound to ``0.0.0.0`` with 20 workers, with no option for either; the tests
run the same application under the gunicorn beside it, bound to 127.0.0.1
on a free port with two workers. It is started in a process group of its
own, in a temporary folder (its ``config.ini``, and ``XDG_RUNTIME_DIR`` for
gunicorn's control socket), and the whole group is stopped at the end.
"""

from __future__ import annotations

import json
import os
import signal
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from oxigraph_server import OxigraphServer, free_port
from test_portability import CASES, IDS

from collabkg import catalogue
from collabkg.catalogue import expand_iri
from collabkg.serve import ServerProcess

QUERY_FILES = sorted(catalogue.queries_dir().glob("*.rq")) + sorted(catalogue.checks_dir().glob("*.rq"))
START_TIMEOUT = 90.0
"""Seconds to wait for grlc-server's workers to answer."""


# --------------------------------------------------------------------------
# The headers, as grlc reads them
# --------------------------------------------------------------------------


def grlc_yaml(text: str) -> object:
    """The header as grlc 1.3 reads it (grlc.gquery.get_yaml_decorators): the ``#+`` lines as YAML."""
    return yaml.safe_load("\n".join(row.lstrip("#+") for row in text.split("\n") if row.startswith("#+")))


@pytest.mark.parametrize("path", QUERY_FILES, ids=[f"{p.parent.name}/{p.name}" for p in QUERY_FILES])
def test_every_header_is_the_yaml_grlc_reads_with_the_same_values(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    read = grlc_yaml(text)  # a YAML error fails here: grlc would show the query without its metadata
    assert isinstance(read, dict), f"{path.name}: the header is not a YAML mapping"
    header, _ = catalogue.parse_header(text, path)
    assert set(read) == set(header), f"{path.name}: YAML reads the keys {sorted(read)}"
    query = catalogue.read_query(path)
    assert read["summary"] == query.summary
    assert read.get("description", "") == query.description
    assert read.get("tags", []) == list(query.tags)
    defaults = {name: value for item in read.get("defaults", []) for name, value in item.items()}
    assert {name: str(value) for name, value in defaults.items()} == {
        p.name: p.default for p in query.parameters if p.default is not None
    }
    for key in header.keys() - {"summary", "description", "tags", "defaults"}:
        assert str(read[key]) == header[key], key


TRICKY_VALUES = [
    "plain text, with commas; and (brackets) - dashes 'quotes' \"double\" ?_vars a#1",
    "'single: quoted, it''s'",
    '"double: quoted \\"q\\" \\\\ back\\tslash \\u00e9 \\x41 \\/"',
    "'true'",
    '"2021-01-31"',
    "dim:formal",
    "https://w3id.org/collabkg/id/dimension/horizontal",
    "-dash",
    "a:b",
]


@pytest.mark.parametrize("value", TRICKY_VALUES)
def test_a_value_reads_as_yaml_reads_it(value: str, tmp_path: Path) -> None:
    text = f"#+ summary: {value}\n#+ tags:\n#+   - {value}\nSELECT * {{}}\n"
    path = tmp_path / "tricky.rq"
    path.write_text(text, encoding="utf-8")
    query = catalogue.read_query(path)
    assert grlc_yaml(text) == {"summary": query.summary, "tags": list(query.tags)}


def test_a_header_yaml_would_misread_is_refused_by_collabkg_too(tmp_path: Path) -> None:
    """The 7 headers grlc showed without summary or tags: an unquoted ': ' in a value."""
    path = tmp_path / "colon.rq"
    path.write_text("#+ summary: How the research was done: its methods\nSELECT * {}\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        grlc_yaml(path.read_text(encoding="utf-8"))
    with pytest.raises(catalogue.HeaderError) as refused:
        catalogue.read_query(path)
    assert str(refused.value) == (
        f"{path}:1: the value 'How the research was done: its methods' has a ': ', which YAML reads as a "
        "key: quote it (grlc reads the header as YAML)"
    )


# --------------------------------------------------------------------------
# A real grlc server, against a real Oxigraph server
# --------------------------------------------------------------------------


class GrlcServer(ServerProcess):
    """``grlc-server`` (gunicorn's master and workers) serving ``folder`` against ``endpoint``, in its own process group.

    Stopped by gunicorn's quick shutdown (SIGINT); the master reaps its
    workers and is waited for, so that no worker is left for init to reap.
    """

    STOP_SIGNAL = signal.SIGINT

    def __init__(self, command: str, folder: Path, endpoint: str, workdir: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        (workdir / "config.ini").write_text(
            "[defaults]\n"
            f"sparql_endpoint = {endpoint}\n"
            "user = none\n"
            "password = none\n"
            f"server_name = 127.0.0.1:{self.port}\n"
            "debug = False\n"
            "\n[local]\n"
            f"local_sparql_dir = {folder}\n",
            encoding="utf-8",
        )
        gunicorn = Path(command).with_name("gunicorn")  # grlc-server's own, in grlc's environment
        super().__init__(
            "grlc-server",
            [str(gunicorn), "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "90", "grlc.server:app"],
            workdir / "grlc.log",
            cwd=workdir,  # grlc reads config.ini from the working folder
            env={**os.environ, "XDG_RUNTIME_DIR": str(workdir)},
        )
        try:
            self.wait_until_answering(self.base_url + "/", timeout=START_TIMEOUT)
        except BaseException:
            self.stop()
            raise

    def get(self, path: str, params: dict[str, str] | None = None, accept: str = "text/csv") -> tuple[int, str, bytes]:
        """Status, content type and body of a GET on the server."""
        url = self.base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        request = urllib.request.Request(url, headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server without the union default graph, the export in its default graph: its query URL."""
    from collabkg.export import export

    export_file = tmp_path_factory.mktemp("export") / "kg.nt"
    export(export_file)
    with OxigraphServer(union_default_graph=False) as server:
        server.load(export_file)
        yield server.query_url


@pytest.fixture(scope="module")
def grlc(endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GrlcServer]:
    command = os.environ.get("COLLABKG_GRLC_SERVER")
    if not command:
        pytest.skip("COLLABKG_GRLC_SERVER is not set (the path of grlc-server; .ci/run installs grlc)")
    if not Path(command).is_file():
        pytest.skip(f"COLLABKG_GRLC_SERVER names no file: {command}")
    server = GrlcServer(command, catalogue.queries_dir(), endpoint, tmp_path_factory.mktemp("grlc"))
    try:
        yield server
    finally:
        server.stop()


def test_grlc_lists_every_canned_query_with_its_header_and_optional_parameters(
    grlc: GrlcServer, endpoint: str
) -> None:
    status, _, body = grlc.get("/api-local/swagger", accept="application/json")
    assert status == 200, body[:500]
    spec = json.loads(body)
    queries = catalogue.catalogue()
    assert sorted(path.lstrip("/") for path in spec["paths"]) == sorted(queries)
    for name, query in queries.items():
        call = spec["paths"]["/" + name]["get"]
        assert call["summary"] == query.summary, name
        # grlc shows the file after the description
        text = (catalogue.queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
        assert call["description"] == f"{query.description}\n\n```\n{text}\n```", name
        assert call["tags"] == list(query.tags), name
        # grlc adds a parameter of its own, "endpoint", to every call: the endpoint it was given.
        (own,) = [p for p in call["parameters"] if p["name"] == "endpoint"]
        assert own["default"] == endpoint, name
        params = {p["name"]: p for p in call["parameters"] if p["name"] != "endpoint"}
        assert sorted(params) == sorted(query.parameter_names), name
        for parameter in query.parameters:
            assert params[parameter.name]["required"] is False, f"{name}: grlc would answer 500 without it"
            assert params[parameter.name].get("default") == parameter.default, name


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_grlc_answers_exactly_as_collabkg_query(name, params, grlc: GrlcServer, endpoint: str, cli) -> None:
    # grlc takes whole IRIs (it knows no prefixes); collabkg takes the same.
    iris = {key: expand_iri(key, value) for key, value in params.items()}
    status, content_type, served = grlc.get(f"/api-local/{name}", iris)
    assert status == 200, f"{name} {params}: grlc answered {status}: {served[:800]!r}\n{grlc.log_tail(800)}"
    assert content_type.startswith("text/csv"), content_type
    arguments = [arg for key, value in iris.items() for arg in ("--param", f"{key}={value}")]
    remote = cli("query", name, *arguments, "--store", f"sparql:{endpoint}", "--format", "csv")
    assert (remote.exit_code, remote.stderr) == (0, ""), remote.output
    assert served == remote.stdout_bytes, f"{name} {params}: grlc and collabkg on the same server differ"
    embedded = cli("query", name, *arguments, "--format", "csv")
    assert (embedded.exit_code, embedded.stderr) == (0, ""), embedded.output
    assert served == embedded.stdout_bytes, f"{name} {params}: grlc and the embedded store differ"
    assert served.count(b"\r\n") > 1, f"{name} {params}: the answer should not be empty"
