"""The one HTTP layer of collabkg: remote options, endpoint layouts, requests, and errors.

Remote querying (:mod:`collabkg.stores.sparql`) and loading
(:mod:`collabkg.load`) talk to stores over HTTP through this module only:

- :class:`RemoteOptions`: what a verb knows about a remote store (user,
  password variable, timeout, retries, default graphs), as one value;
- :class:`Endpoints`: a store's query, update and Graph Store URLs, derived
  from the well-known layouts of Oxigraph, Fuseki, GraphDB and Virtuoso;
- :class:`Client`: requests with credentials (given in answer to the
  server's challenge, by the scheme it names: HTTP Basic or Digest),
  timeouts, and retries with exponential backoff on connection errors and
  5xx answers (never on 4xx);
- :class:`RemoteError`, :class:`RemoteUnanswered` (sent, no answer: it may
  have been applied) and :class:`RemoteTimeout`: the one vocabulary of
  failures, each naming the URL and saying what to do.

The client is built on `requests <https://requests.readthedocs.io>`_, which
is imported when the first :class:`Client` is made: importing this module
(as the embedded query path does, for :class:`RemoteOptions`) costs nothing.
A password is held by the client's authentication only: it never appears in
a message, a log line or a ``repr``. Credentials written into a URL
(``http://user:password@host/``) are taken out of it before it is sent or
shown (see :func:`public_url`); a URL whose user and password would not
parse (a ``/``, ``?`` or ``#`` in the password) is refused before any
request. Every message of this layer is made by :class:`RemoteError` (or
logged by the client) through :func:`redact`, which takes out each password,
each ``Authorization`` value the client sent (as a server that echoes the
request's headers would repeat it) and each URL's user information.

One module of more than the usual size because it is one thing: the HTTP
layer, from endpoint layouts to the one vocabulary of errors.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from collabkg import CollabkgError, logs
from collabkg.stores import DEFAULT_RETRIES, DEFAULT_TIMEOUT, RemoteOptions, StoreError

if TYPE_CHECKING:
    import requests

log = logs.get(__name__)



BACKOFF = 0.5
"""Seconds before the first retry; each further retry waits twice as long."""


# ---------------------------------------------------------------------------
# Options and credentials


def password_from_env(user: str | None, password_env: str | None) -> str | None:
    """The password for ``user``, read from the environment variable ``password_env``.

    None when neither is given; both or neither must be. The password is
    never taken from the command line. Used by every verb that talks to a
    store over HTTP.

    >>> password_from_env(None, None) is None
    True
    >>> password_from_env("curator", None)
    Traceback (most recent call last):
    ...
    collabkg.stores.StoreError: HTTP authentication needs both --user NAME and --password-env VAR (...)
    """
    if user is None and password_env is None:
        return None
    if user is None or password_env is None:
        raise StoreError(
            "HTTP authentication needs both --user NAME and --password-env VAR "
            "(the environment variable that holds the password)"
        )
    password = os.environ.get(password_env)
    if password is None:
        raise StoreError(f"environment variable {password_env} is not set (it should hold the password for {user})")
    return password


def public_url(url: str) -> str:
    """``url`` without any ``user:password@`` part, for messages, logs and the wire.

    >>> public_url("http://reader:s3cret@localhost:7878/query")
    'http://localhost:7878/query'
    >>> public_url("https://example.org/sparql?x=1")
    'https://example.org/sparql?x=1'
    """
    return split_credentials(url)[0]


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without its ``user:password@`` part, and that user and password (percent-decoded), if any.

    >>> split_credentials("http://reader:s3cret%20pass@localhost:7878/query")
    ('http://localhost:7878/query', ('reader', 's3cret pass'))
    >>> split_credentials("http://localhost:7878/query")
    ('http://localhost:7878/query', None)
    """
    if "@" not in url:
        return url, None
    from urllib.parse import unquote, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.username is None and parts.password is None:
            if _USERINFO.search(url):
                raise RemoteError(
                    f"{redact(url)}: the part before '@' looks like a user and a password, but it does not "
                    "parse as one (a '/', '?' or '#' in the password?). Pass --user NAME --password-env "
                    "VARIABLE instead (the password is read from that variable), or percent-encode those "
                    "characters (and an '@' that is part of the path as %40)",
                    url=redact(url),
                )
            return url, None
        host = parts.hostname or ""
        if ":" in host:  # an IPv6 address
            host = f"[{host}]"
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:  # a port that is not a number: keep what is sure to hold no password
        netloc = url.split("//", 1)[-1].split("/", 1)[0]
        return url.replace(netloc, netloc.rpartition("@")[2], 1), None
    credentials = (unquote(parts.username or ""), unquote(parts.password or ""))
    return urlunsplit(parts._replace(netloc=host)), credentials


def _origin(url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme, parts.netloc.rpartition("@")[2].lower()


# ---------------------------------------------------------------------------
# Secrets out of every message


HIDDEN = "***"
"""What stands for a secret in messages."""


_USERINFO = re.compile(r"(?<=://)[^\s@/?#]*:[^\s@]*@")
"""``user:password@`` after a URL's scheme, also where the password holds ``/``,
``?`` or ``#`` and the URL does not parse as one with user information."""

_PARAMETER = r'[\w-]+=(?:"[^"]*"|[^\s,"]*)'
_AUTHORIZATION = re.compile(
    r"\b((?:Proxy-)?Authorization)(\s*[:=]\s*|\s+)(?:Basic|Digest|Bearer|Negotiate|NTLM)\s+"
    rf"(?:{_PARAMETER}|[A-Za-z0-9._~+/-]+=*)(?:\s*,\s*{_PARAMETER})*",
    re.IGNORECASE,
)
"""An ``Authorization`` header's value, as a server that echoes the request's headers repeats it."""

_BASIC = re.compile(r"\bBasic\s+([A-Za-z0-9+/]{4,}={0,2})")
"""A Basic credential on its own (base64 of ``user:password``)."""


def _basic(match: re.Match[str]) -> str:
    token = match.group(1)
    if len(token) % 4 or token.islower() or token.isalpha() and token[1:].islower():
        return match.group(0)  # a word ("Basic auth"), not base64
    return f"Basic {HIDDEN}"


def secrets_of(user: str, password: str) -> set[str]:
    """A password as it may show in a message: as it is, percent-encoded, and in a Basic header."""
    import base64
    from urllib.parse import quote

    found = {password, quote(password, safe=""), quote(password)}
    for encoding in ("utf-8", "latin-1"):
        try:
            found.add(base64.b64encode(f"{user}:{password}".encode(encoding)).decode("ascii"))
        except UnicodeEncodeError:
            continue
    return {secret for secret in found if secret}


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without any secret: passwords and ``Authorization`` values used, and URL user information.

    The one filter every message of the HTTP layer goes through: errors
    (``str()`` of a :class:`RemoteError`), log lines, and the server bodies
    quoted in them. ``secrets`` are taken out word for word: a client's
    password (see :func:`secrets_of`) and the ``Authorization`` values it
    sent, which only it knows; the patterns of URL user information and of
    ``Authorization`` headers are taken out of every text.

    >>> redact("http://alice:PW@localhost/sparql refused it")
    'http://***@localhost/sparql refused it'
    >>> redact("echo: Authorization: Basic YWxpY2U6UFc= Accept: */*")
    'echo: Authorization: *** Accept: */*'
    """
    if not text:
        return text
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, HIDDEN)
    text = _AUTHORIZATION.sub(lambda match: f"{match.group(1)}{match.group(2)}{HIDDEN}", text)
    text = _BASIC.sub(_basic, text)
    return _USERINFO.sub(f"{HIDDEN}@", text)


# ---------------------------------------------------------------------------
# Errors


class RemoteError(CollabkgError):
    """A remote store that cannot be used: a bad URL, or a request it failed or refused.

    ``str()`` names the URL (never a password) and says what to do. ``url``
    is the URL the request went to, ``status`` the HTTP status of the answer
    (None when there was none), and ``problem`` what went wrong in a few
    words ("connection refused", "HTTP 404 Not Found: ..."), for callers that
    word their own message.

    >>> error = RemoteError("http://localhost:7878/query answered HTTP 404 Not Found", status=404)
    >>> error.status, str(error)
    (404, 'http://localhost:7878/query answered HTTP 404 Not Found')
    """

    def __init__(self, message: str, *, url: str = "", status: int | None = None, problem: str = "") -> None:
        super().__init__(message)
        self.url = redact(url)
        self.status = status
        self.problem = redact(problem)

    def __str__(self) -> str:
        # The one place messages leave: whatever was added to them, no secret goes out.
        return redact(super().__str__())


class RemoteUnanswered(RemoteError):
    """A request that was sent but got no answer (the connection closed, or no answer in time).

    The server may have applied it, or may still be applying it: a request
    that is not idempotent is then never sent again by the client, and the
    caller finds out what the server holds.
    """


class RemoteTimeout(RemoteUnanswered):
    """A request that got no answer in time; it may still be running on the server. Never retried."""


# ---------------------------------------------------------------------------
# Endpoint layouts


class Endpoints(NamedTuple):
    """The URLs of one store: SPARQL query, SPARQL update and Graph Store Protocol.

    ``gsp`` holds the Graph Store URLs to try, in order; an empty tuple means
    ``INSERT DATA`` only. ``gsp_given`` is True when the Graph Store URL was
    given explicitly: then it must work.
    """

    query: str
    update: str
    gsp: tuple[str, ...] = ()
    gsp_given: bool = False

    @classmethod
    def derive(
        cls,
        endpoint: str,
        update: str | None = None,
        gsp: str | None = None,
        use_gsp: bool = True,
    ) -> Endpoints:
        """The endpoints of a store, from its query URL and any URL given explicitly.

        Missing URLs are guessed from well-known layouts: ``.../query`` (Oxigraph,
        Fuseki) has ``.../update`` and a Graph Store at ``.../store`` (Oxigraph)
        or ``.../data`` (Fuseki); ``.../repositories/ID`` (GraphDB, RDF4J) has
        ``.../statements`` and ``.../rdf-graphs/service``; any other URL takes
        updates itself (Virtuoso's ``/sparql``) and has no Graph Store unless
        given. A URL that is not http:// or https:// is a :class:`RemoteError`.

        >>> e = Endpoints.derive("http://localhost:7878/query")
        >>> e.update, e.gsp
        ('http://localhost:7878/update', ('http://localhost:7878/store', 'http://localhost:7878/data'))
        >>> Endpoints.derive("http://localhost:7200/repositories/kg").update
        'http://localhost:7200/repositories/kg/statements'
        >>> Endpoints.derive("http://localhost:8890/sparql")
        Endpoints(query='http://localhost:8890/sparql', update='http://localhost:8890/sparql', gsp=(), gsp_given=False)
        >>> Endpoints.derive("localhost:7878/query")
        Traceback (most recent call last):
        ...
        collabkg.stores.remote.RemoteError: --endpoint 'localhost:7878/query' is not an http:// or https:// URL
        """
        import re
        from urllib.parse import urlsplit, urlunsplit

        _check_url(endpoint, "--endpoint")
        for url, option in ((update, "--update-endpoint"), (gsp, "--gsp")):
            if url:
                _check_url(url, option)
        parts = urlsplit(endpoint)
        path = parts.path.rstrip("/")
        guessed_update = endpoint
        guessed_gsp: tuple[str, ...] = ()
        if path.endswith("/query"):
            base = urlunsplit(parts._replace(path=path[: -len("/query")], query=""))
            guessed_update = base + "/update"
            guessed_gsp = (base + "/store", base + "/data")
        elif re.search(r"/repositories/[^/]+$", path):
            base = urlunsplit(parts._replace(path=path, query=""))
            guessed_update = base + "/statements"
            guessed_gsp = (base + "/rdf-graphs/service",)
        if not use_gsp:
            candidates: tuple[str, ...] = ()
        elif gsp:
            candidates = (gsp,)
        else:
            candidates = guessed_gsp
        return cls(endpoint, update or guessed_update, candidates, bool(gsp) and use_gsp)

    def __repr__(self) -> str:
        gsp = tuple(public_url(url) for url in self.gsp)
        return (
            f"Endpoints(query={public_url(self.query)!r}, update={public_url(self.update)!r}, "
            f"gsp={gsp!r}, gsp_given={self.gsp_given!r})"
        )


def _check_url(url: str, option: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.netloc)
    except ValueError:
        ok = False
    if not ok:
        raise RemoteError(f"{option} {public_url(url)!r} is not an http:// or https:// URL", url=public_url(url))


# ---------------------------------------------------------------------------
# The client


_NOT_ALLOWED = r"read[- ]only|not allowed|permission|SR186|forbidden"
"""What a 5xx answer to an update says when it means "updates are not allowed" (Virtuoso's SR186)."""

JSON_RESULTS = "application/sparql-results+json"
"""The media type of SPARQL results in JSON, asked for SELECT and ASK."""


class Client:
    """HTTP requests to a remote store, with credentials, timeouts, retries and errors that say what to do.

    ``user`` and ``password`` are given only when the server asks for them:
    each request goes out without credentials until a URL answers 401 with
    a challenge, which is answered by the scheme it names (HTTP Digest, or
    Basic; a 401 that names none gets Basic), the request body sent again.
    Later requests to the same URL (its path, whatever the query string)
    carry that scheme's answer at once. Credentials go only to the server a
    request is for, never to one it redirects to. Credentials written in a
    URL are used when no ``user`` is given.
    ``timeout`` is the seconds to wait for each answer; connection errors
    and 5xx answers are tried ``retries`` times in all, waiting ``backoff``
    seconds before the first retry and twice as long before each next one;
    4xx answers and timeouts never are. A request that may have been applied
    is never sent again blindly: a connection closed without an answer is
    retried only for an idempotent request (GET, PUT, DELETE, a query, or
    one the caller marks so), never for a POST upload or a SPARQL Update,
    which fail at once with a :class:`RemoteUnanswered` (a timeout, a
    :class:`RemoteTimeout`, is never retried). A connection that could not
    be opened carried nothing, and is retried.

    >>> Client(user="curator", password="s3cret", timeout=5)
    Client(user='curator', timeout=5, retries=3)
    """

    def __init__(
        self,
        user: str | None = None,
        password: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = BACKOFF,
    ) -> None:
        import requests

        self.user = user
        self.timeout = timeout
        self.retries = max(1, retries)
        self.backoff = backoff
        self._session = requests.Session()
        self._session.headers["User-Agent"] = "collabkg"
        self._given = (user, password or "") if user is not None else None
        self._secrets: set[str] = secrets_of(*self._given) if self._given is not None else set()
        """Passwords and ``Authorization`` values of this client: out of its messages."""
        self._answers: dict[tuple[str, str, str], _Credentials] = {}
        """Per URL (scheme, host, path): the credentials, and the scheme the server asked for there."""
        self._servers: dict[tuple[str, str], str] = {}
        """Per site (scheme, host): the ``Server`` header of its last answer."""

    @classmethod
    def from_options(
        cls, options: RemoteOptions | None, *, timeout: float = DEFAULT_TIMEOUT, backoff: float = BACKOFF
    ) -> Client:
        """A client for the remote ``options``; ``timeout`` when they give none. Reads the password."""
        chosen = options or RemoteOptions()
        return cls(
            chosen.user,
            chosen.password(),
            timeout=chosen.timeout or timeout,
            retries=chosen.retries,
            backoff=backoff,
        )

    def __repr__(self) -> str:
        return f"Client(user={self.user!r}, timeout={self.timeout!r}, retries={self.retries!r})"

    def close(self) -> None:
        """Close the client's connections."""
        self._session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- SPARQL --------------------------------------------------------------

    def query(
        self,
        url: str,
        sparql: str,
        *,
        accept: str = JSON_RESULTS,
        default_graphs: Sequence[str] = (),
        what: str = "query",
        **options: Any,
    ) -> bytes:
        """POST the SPARQL query ``sparql`` to the query endpoint ``url`` (form-encoded); the answer's body.

        ``accept`` is the media type asked for; ``default_graphs`` go as
        ``default-graph-uri`` parameters. ``options`` as for :meth:`send`.
        """
        from urllib.parse import urlencode

        fields = [("query", sparql), *(("default-graph-uri", graph) for graph in default_graphs)]
        options.setdefault("idempotent", True)  # a query changes nothing: asking again is safe
        return self.send(
            "POST", url, urlencode(fields).encode(), content_type=_FORM, accept=accept, what=what, **options
        )

    def update(self, url: str, text: str, *, what: str = "update", **options: Any) -> bytes:
        """POST the SPARQL Update ``text`` to the update endpoint ``url`` (form-encoded).

        Not idempotent unless ``idempotent=True`` says so (``DROP SILENT``):
        an update whose answer is lost is not sent again.
        """
        from urllib.parse import urlencode

        options.setdefault("option", "--update-endpoint")
        return self.send(
            "POST", url, urlencode({"update": text}).encode(), content_type=_FORM, what=what, update=True, **options
        )

    # -- Any request ---------------------------------------------------------

    def send(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        *,
        content_type: str | None = None,
        accept: str | None = None,
        what: str = "request",
        update: bool = False,
        retry: bool = True,
        idempotent: bool | None = None,
        timeout: float | None = None,
        option: str = "--endpoint",
        slow: str = "Raise --timeout",
    ) -> bytes:
        """Send one request; the response body, or a :class:`RemoteError`.

        ``what`` names the request in messages ("count query"); ``update``:
        the request writes (a 403 then means updates are refused); ``retry``:
        False for a request that must not be sent twice; ``idempotent``:
        whether sending the request twice does no more than once (default:
        by the method, GET, HEAD, PUT, DELETE and OPTIONS are): a request
        that is not is never sent again once it may have reached the server
        (a :class:`RemoteUnanswered`); ``timeout``: seconds instead of the
        client's; ``option``: the command-line option that gave ``url``, for
        messages; ``slow``: what to do if the answer takes longer than the
        timeout.
        """
        import requests

        address, in_url = split_credentials(url)
        given = self._given or in_url
        if in_url is not None:
            self._secrets |= secrets_of(*in_url)
        credentials = self._credentials(address, given) if given is not None else None
        headers: dict[str, str] = {}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        attempts = self.retries if retry else 1
        if idempotent is None:
            idempotent = method.upper() in _IDEMPOTENT
        wait = timeout or self.timeout
        for attempt in range(1, attempts + 1):
            try:
                response = self._session.request(
                    method, address, data=body or b"", headers=headers, auth=credentials or _anonymous, timeout=wait
                )
            except requests.RequestException as error:
                kind, problem = _failure(error)
                problem = self._redact(problem)
                if kind == "timeout":
                    raise RemoteTimeout(
                        f"{address} did not answer the {what} within {wait:g} s. {slow}",
                        url=address,
                        problem=f"no answer within {wait:g} s",
                    ) from error
                if kind == "dropped" and not idempotent:
                    raise RemoteUnanswered(
                        f"{address} dropped the connection during the {what}: {problem} (not sent "
                        "again: the store may have applied it)",
                        url=address,
                        problem=problem,
                    ) from error
                if attempt < attempts:
                    self._wait(address, what, problem, attempt)
                    continue
                if kind == "unreachable":
                    message = (
                        f"cannot reach {address}: {problem} (tried {attempts} time(s)). "
                        "Is the server running, and is the URL right?"
                    )
                else:
                    message = (
                        f"{address} dropped the connection during the {what}: {problem} "
                        f"(tried {attempts} time(s)). Is the server running? See its log"
                    )
                raise RemoteError(message, url=address, problem=problem) from error
            for sent in (*response.history, response):
                if "Authorization" in sent.request.headers:
                    self._secrets.add(sent.request.headers["Authorization"])
            status = response.status_code
            self._servers[_origin(address)] = response.headers.get("Server", "")
            if 200 <= status < 300:
                return response.content
            text = _error_text(response, self._secrets)
            said = self._redact(f"HTTP {status} {response.reason or ''}".rstrip() + (f": {text}" if text else ""))
            if status >= 500 and not (update and _not_allowed(text)):
                if attempt < attempts:
                    self._wait(address, what, said, attempt)
                    continue
                raise RemoteError(
                    f"{address} failed the {what} {attempts} time(s), last with {said}. "
                    "The server is in trouble: see its log, then try again",
                    url=address,
                    status=status,
                    problem=said,
                )
            user = credentials.user if credentials is not None else None
            raise _refusal(address, status, said, what, update, option, user)
        raise AssertionError("unreachable")  # pragma: no cover

    def server(self, url: str) -> str:
        """The ``Server`` header of the last answer from ``url``'s site ("" if none), e.g. "Virtuoso/07.20"."""
        return self._servers.get(_origin(public_url(url)), "")

    def _credentials(self, address: str, given: tuple[str, str]) -> _Credentials:
        """The credentials for ``address``, kept per URL so that the scheme it asked for carries on."""
        from urllib.parse import urlsplit

        scheme, host = _origin(address)
        key = (scheme, host, urlsplit(address).path or "/")
        kept = self._answers.get(key)
        if kept is None or not kept.same(*given):
            kept = self._answers[key] = _Credentials(*given)
        return kept

    def _wait(self, url: str, what: str, problem: str, attempt: int) -> None:
        delay = self.backoff * 2 ** (attempt - 1)
        log.warning("%s", self._redact(f"{url}: {what} failed ({problem}); retrying in {delay:.1f} s"))
        time.sleep(delay)

    def _redact(self, text: str) -> str:
        return redact(text, self._secrets)


_FORM = "application/x-www-form-urlencoded"

_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
"""Methods whose requests may be sent again after a lost answer (RFC 9110, section 9.2.2)."""


def _refusal(url: str, code: int, said: str, what: str, update: bool, option: str, user: str | None) -> RemoteError:
    """The error for an answer that refuses the request: what it means and what to do."""
    if code == 401:
        if user is None:
            advice = "pass --user NAME --password-env VARIABLE (the password is read from that variable)"
        else:
            advice = f"check the user name {user!r} and the password"
        message = f"{url} refused the {what} ({said}): {advice}"
    elif code == 403 or (update and code >= 500):
        if update:
            message = (
                f"{url} does not allow updates ({said}). Use a store or an update endpoint "
                "that accepts writes (--update-endpoint), or credentials with update rights"
            )
        else:
            message = f"{url} refused the {what} ({said}): check the user's rights"
    elif code == 404:
        message = (
            f"{url} answered {said}: no SPARQL service there. Check the URL ({option}); "
            "see the README for the URLs of Oxigraph, Fuseki, GraphDB and Virtuoso"
        )
    elif code == 405 and update:
        message = f"{url} does not accept this update ({said}). Check the store's URL for it ({option})"
    else:
        message = f"{url} rejected the {what} ({said})"
    return RemoteError(message, url=url, status=code, problem=said)


def _not_allowed(text: str) -> bool:
    import re

    return re.search(_NOT_ALLOWED, text, re.IGNORECASE) is not None


def _error_text(response: requests.Response, secrets: Iterable[str]) -> str:
    """The start of an error answer's body, on one line."""
    try:
        raw = response.content[:2000]
    except Exception:  # noqa: BLE001 - a body that cannot be read says nothing
        return ""
    return " ".join(redact(raw.decode("utf-8", "replace"), secrets).split())[:300]


def _failure(error: Exception) -> tuple[str, str]:
    """What a request that got no HTTP answer ran into: ``timeout``, ``unreachable`` or ``dropped``, and why."""
    import requests
    from urllib3 import exceptions as urllib3

    if isinstance(error, requests.Timeout):
        return "timeout", ""
    cause: object = error.args[0] if error.args else error
    if isinstance(cause, urllib3.MaxRetryError):
        cause = cause.reason
    if isinstance(cause, urllib3.NameResolutionError):
        return "unreachable", "unknown host"
    if isinstance(cause, urllib3.NewConnectionError):  # before ConnectTimeoutError: it is one
        return "unreachable", _reason(cause.__cause__ or cause.__context__ or cause)
    if isinstance(cause, (urllib3.ReadTimeoutError, urllib3.ConnectTimeoutError, TimeoutError)):
        return "timeout", ""
    if isinstance(error, requests.exceptions.SSLError):
        return "unreachable", _reason(cause)
    if isinstance(error, (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        if isinstance(cause, urllib3.ProtocolError) and len(cause.args) > 1:
            cause = cause.args[1]
        return "dropped", _reason(cause)
    return "unreachable", _reason(error)


def _reason(reason: object) -> str:
    import http.client
    import socket

    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


class _Credentials:
    """A user and a password, given the way the server asks: HTTP Digest or Basic, after its challenge.

    A request first goes without credentials. A 401 answer whose
    ``WWW-Authenticate`` names Digest is answered once with Digest (requests'
    :class:`~requests.auth.HTTPDigestAuth`, which then answers every further
    request at once); one that names Basic, or no scheme at all, is answered
    once with Basic, which then goes with every further request. The body
    (bytes) is sent again with the answer. Answers go only to the server the
    request was for, never to one it was redirected to.
    """

    __slots__ = ("_basic", "_digest", "_scheme", "user")

    def __init__(self, user: str, password: str) -> None:
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        self.user = user
        self._basic = HTTPBasicAuth(user.encode("utf-8"), password.encode("utf-8"))
        self._digest = HTTPDigestAuth(user, password)
        self._scheme: str | None = None
        """"basic" once the server asked for Basic credentials; Digest keeps its own state."""

    def __repr__(self) -> str:
        return f"<credentials of {self.user!r}>"

    def same(self, user: str, password: str) -> bool:
        return self._digest.username == user and self._digest.password == password

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request = self._digest(request)  # its state; a Digest answer once a challenge was answered
        if self._scheme == "basic" and "Authorization" not in request.headers:
            request = self._basic(request)
        origin = _origin(request.url or "")
        digest = self._digest.handle_401
        request.hooks["response"] = [
            self._challenged(origin) if hook == digest else hook for hook in request.hooks["response"]
        ]
        return request

    def _challenged(self, origin: tuple[str, str]) -> Callable[..., Any]:
        def answer(response: requests.Response, **kwargs: Any) -> Any:
            if _origin(response.url or "") != origin:
                return response
            challenge = response.headers.get("WWW-Authenticate", "")
            if re.search(r"\bdigest\b", challenge, re.IGNORECASE) or response.status_code != 401:
                return self._digest.handle_401(response, **kwargs)
            sent = response.request.headers.get("Authorization")
            if sent is None and (not challenge or re.search(r"\bbasic\b", challenge, re.IGNORECASE)):
                self._scheme = "basic"
                return _again(response, self._basic, **kwargs)
            return response

        return answer


def _again(
    response: requests.Response, auth: Callable[[requests.PreparedRequest], requests.PreparedRequest], **kwargs: Any
) -> requests.Response:
    """Send the request of a 401 ``response`` once more, with ``auth``'s credentials (as requests' Digest does)."""
    from requests.cookies import extract_cookies_to_jar

    response.content  # noqa: B018 - read the answer, so that the connection can be used again
    response.close()
    again = response.request.copy()
    extract_cookies_to_jar(again._cookies, response.request, response.raw)  # type: ignore[attr-defined]
    again.prepare_cookies(again._cookies)  # type: ignore[attr-defined]
    again = auth(again)
    if response.connection is None:  # pragma: no cover - an adapter always sets it
        return response
    answered: requests.Response = response.connection.send(again, **kwargs)
    answered.history.append(response)
    answered.request = again
    return answered


def _anonymous(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """No credentials: and none from ``~/.netrc`` either, which requests would otherwise send."""
    return request
