"""A real Virtuoso 7 for tests: Debian's ``virtuoso-opensource`` on free loopback ports.

The session-scoped pytest fixture ``virtuoso`` (registered in conftest.py)
starts ``virtuoso-t +foreground +configfile FILE`` in its own process group
(a :class:`collabkg.serve.ServerProcess`), on a fresh database in a temporary
folder, with a copy of the packaged ``virtuoso.ini`` whose HTTP port and SQL
(isql) port are free ports on 127.0.0.1. It waits until the HTTP server
answers (a few seconds), gives ``dba`` a password of its own and, when the
session ends, stops the whole process group and removes the folder.
Without ``virtuoso-t`` on PATH, the tests that use it are skipped::

    def test_something(virtuoso):
        virtuoso.grant_anonymous_updates()      # GRANT SPARQL_UPDATE TO "SPARQL"
        ... collabkg load --endpoint {virtuoso.sparql_url} ...
        virtuoso.isql("SPARQL CLEAR GRAPH <https://example.org/g>;")

The fixture object, a :class:`VirtuosoServer`, exposes (a stable API):

- ``base_url``: ``http://127.0.0.1:PORT``;
- ``sparql_url``: ``/sparql``, anonymous SPARQL query (and update, once
  :meth:`~VirtuosoServer.grant_anonymous_updates` ran);
- ``auth_url``: ``/sparql-auth``, SPARQL query and update behind HTTP Digest;
- ``crud_url``: ``/sparql-graph-crud``, the anonymous Graph Store (read only
  until the grant);
- ``crud_auth_url``: ``/sparql-graph-crud-auth``, the Graph Store behind HTTP
  Digest;
- ``user`` and ``password``: ``dba`` and its password, made for the server
  (not ``dba``, the default of a new database);
- ``http_port``, ``sql_port``, ``folder`` (database, ``virtuoso.ini``, the
  server's log ``virtuoso.log`` and its output ``stdout.log``);
- ``isql(sql) -> str``: runs ``isql-vt`` as ``dba`` on the SQL port and
  returns its output (a :class:`RuntimeError` on a failure);
- ``grant_anonymous_updates()`` / ``revoke_anonymous_updates()``: grant or
  revoke ``SPARQL_UPDATE`` for the ``SPARQL`` user (the anonymous endpoints);
- ``sparql_json(query) -> dict``: an anonymous SELECT/ASK on ``/sparql``,
  SPARQL JSON results; ``count(graph) -> int``: the triples of a graph;
- ``construct(graph) -> bytes``: the graph as N-Triples (a CONSTRUCT).

The database is shared by the session: each test should write to graphs
of its own (a fresh IRI) and leave the grant as it found it.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabkg.serve import ServerProcess, free_port

__all__ = ["PACKAGED_INI", "VirtuosoServer", "virtuoso"]

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
"""The configuration of Debian's package, copied and adjusted for each server."""
START_TIMEOUT = 60.0
"""Seconds to wait for a new server's HTTP port (a new database takes a few)."""
NEW_DATABASE_PASSWORD = "dba"
"""The password of ``dba`` in a new database, changed once the server answers."""


class VirtuosoServer(ServerProcess):
    """A Virtuoso server on a fresh database in ``folder``, started when made; :meth:`stop` ends it."""

    user = "dba"

    def __init__(self, folder: Path | None = None) -> None:
        self.command = shutil.which("virtuoso-t")
        self.isql_command = shutil.which("isql-vt") or shutil.which("isql")
        if self.command is None or self.isql_command is None:
            raise FileNotFoundError("virtuoso-t and isql-vt (Debian's virtuoso-opensource) are not installed")
        self.temporary = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="collabkg-virtuoso-") if folder is None else folder)
        self.http_port = free_port()
        self.sql_port = free_port()
        while self.sql_port == self.http_port:
            self.sql_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.http_port}"
        self.ini = self.folder / "virtuoso.ini"
        self.ini.write_text(self._configuration(), encoding="utf-8")
        self.password = NEW_DATABASE_PASSWORD
        arguments = [self.command, "+foreground", "+configfile", str(self.ini)]
        super().__init__("virtuoso-t", arguments, self.folder / "stdout.log", cwd=self.folder)
        try:
            probe = self.sparql_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
            self.wait_until_answering(probe, START_TIMEOUT)
            password = "collabkg-" + secrets.token_hex(8)
            self.isql(f'SET PASSWORD "{self.password}" "{password}";')
            self.password = password
        except BaseException:
            self.stop()
            raise

    # -- the URLs ------------------------------------------------------------

    @property
    def sparql_url(self) -> str:
        return self.base_url + "/sparql"

    @property
    def auth_url(self) -> str:
        return self.base_url + "/sparql-auth"

    @property
    def crud_url(self) -> str:
        return self.base_url + "/sparql-graph-crud"

    @property
    def crud_auth_url(self) -> str:
        return self.base_url + "/sparql-graph-crud-auth"

    # -- SQL and SPARQL ------------------------------------------------------

    def isql(self, sql: str, timeout: float = 60) -> str:
        """Run ``sql`` (statements ending in ``;``) through ``isql-vt`` as dba; its output."""
        assert self.isql_command is not None
        done = subprocess.run(
            [self.isql_command, f"127.0.0.1:{self.sql_port}", self.user, self.password, "VERBOSE=OFF",
             "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF", "ERRORS=STDOUT"],
            input=sql.rstrip().rstrip(";") + ";\n",
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or re.search(r"\*\*\* Error|^Error ", output, re.MULTILINE):
            raise RuntimeError(f"isql failed ({done.returncode}) on {sql!r}: {output.strip()}")
        return output

    def grant_anonymous_updates(self) -> None:
        """Let the anonymous ``/sparql`` and ``/sparql-graph-crud`` endpoints write (the SPARQL user)."""
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')

    def revoke_anonymous_updates(self) -> None:
        """Take the grant of :meth:`grant_anonymous_updates` back (the package's default)."""
        self.isql('REVOKE SPARQL_UPDATE FROM "SPARQL";')

    def sparql_json(self, query: str) -> dict:
        """The SPARQL JSON results of an anonymous query on ``/sparql``."""
        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(
            self.sparql_url, data=body, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    def count(self, graph: str) -> int:
        """The triples in ``graph``."""
        result = self.sparql_json(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(result["results"]["bindings"][0]["n"]["value"])

    def construct(self, graph: str) -> bytes:
        """The triples of ``graph`` as N-Triples."""
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.sparql_url, data=body, headers={"Accept": "text/plain"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()

    # -- start and stop ------------------------------------------------------

    def _configuration(self) -> str:
        """The packaged virtuoso.ini, with the database in ``folder`` and the two ports."""
        db = self.folder / "db"
        db.mkdir(exist_ok=True)
        changes = {
            "Database": {
                "DatabaseFile": db / "virtuoso.db",
                "ErrorLogFile": self.folder / "virtuoso.log",
                "LockFile": db / "virtuoso.lck",
                "TransactionFile": db / "virtuoso.trx",
                "xa_persistent_file": db / "virtuoso.pxa",
            },
            "TempDatabase": {
                "DatabaseFile": db / "virtuoso-temp.db",
                "TransactionFile": db / "virtuoso-temp.trx",
            },
            "Parameters": {"ServerPort": f"127.0.0.1:{self.sql_port}", "CheckpointInterval": "0"},
            "HTTPServer": {"ServerPort": f"127.0.0.1:{self.http_port}"},
            "URIQA": {"DefaultHost": f"127.0.0.1:{self.http_port}"},
        }
        section = ""
        lines = []
        for line in PACKAGED_INI.read_text(encoding="utf-8", errors="replace").splitlines():
            heading = re.match(r"\s*\[(.+)\]\s*$", line)
            if heading:
                section = heading.group(1).strip()
            else:
                setting = re.match(r"\s*([A-Za-z_0-9]+)\s*=", line)
                if setting and setting.group(1) in changes.get(section, {}):
                    line = f"{setting.group(1)} = {changes[section][setting.group(1)]}"
            lines.append(line)
        return "\n".join(lines) + "\n"

    def stop(self, timeout: float = 30) -> None:
        """Stop the server's whole process group; remove a temporary folder."""
        super().stop(timeout)
        if self.temporary:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[VirtuosoServer]:
    """A Virtuoso 7 server for the session, on a fresh database; skipped without ``virtuoso-t``."""
    if shutil.which("virtuoso-t") is None:
        pytest.skip("virtuoso-t is not on PATH (Debian's virtuoso-opensource package)")
    with VirtuosoServer() as server:
        yield server
