"""The one HTTP layer of collabkg: remote options, endpoint layouts, requests, and errors.

Remote querying (:mod:`collabkg.stores.sparql`) and loading
(:mod:`collabkg.load`) talk to stores over HTTP through this module only:

- :class:`RemoteOptions`: what a verb knows about a remote store (user,
  password variable, timeout, retries, default graphs), as one value;
- :class:`Endpoints`: a store's query, update and Graph Store URLs, derived
  from the well-known layouts of Oxigraph, Fuseki, GraphDB and Virtuoso;
- :class:`Client`: requests with credentials (HTTP Basic, or Digest when the
  server asks for it), timeouts, and retries with exponential backoff on
  connection errors and 5xx answers (never on 4xx);
- :class:`RemoteError` and :class:`RemoteTimeout`: the one vocabulary of
  failures, each naming the URL and saying what to do.

The client is built on `requests <https://requests.readthedocs.io>`_, which
is imported when the first :class:`Client` is made: importing this module
(as the embedded query path does, for :class:`RemoteOptions`) costs nothing.
A password is held by the client's authentication only: it never appears in
a message, a log line or a ``repr``, and credentials written into a URL
(``http://user:password@host/``) are taken out of it before it is sent or
shown (see :func:`public_url`).

One module of more than the usual size because it is one thing: the HTTP
layer, from endpoint layouts to the one vocabulary of errors.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
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
        self.url = url
        self.status = status
        self.problem = problem


class RemoteTimeout(RemoteError):
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

    ``user`` and ``password`` are sent as HTTP Basic credentials with every
    request, and answered as HTTP Digest once the server asks for it; they
    go only to the server a request is for, never to one it redirects to.
    Credentials written in a URL are used when no ``user`` is given.
    ``timeout`` is the seconds to wait for each answer; connection errors
    and 5xx answers are tried ``retries`` times in all, waiting ``backoff``
    seconds before the first retry and twice as long before each next one;
    4xx answers and timeouts never are.

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
        self._credentials = _Credentials(user, password or "") if user is not None else None
        self._from_urls: dict[tuple[str, str], _Credentials] = {}

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
        return self.send(
            "POST", url, urlencode(fields).encode(), content_type=_FORM, accept=accept, what=what, **options
        )

    def update(self, url: str, text: str, *, what: str = "update", **options: Any) -> bytes:
        """POST the SPARQL Update ``text`` to the update endpoint ``url`` (form-encoded)."""
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
        timeout: float | None = None,
        option: str = "--endpoint",
        slow: str = "Raise --timeout",
    ) -> bytes:
        """Send one request; the response body, or a :class:`RemoteError`.

        ``what`` names the request in messages ("count query"); ``update``:
        the request writes (a 403 then means updates are refused); ``retry``:
        False for a request that must not be sent twice; ``timeout``: seconds
        instead of the client's; ``option``: the command-line option that
        gave ``url``, for messages; ``slow``: what to do if the answer takes
        longer than the timeout.
        """
        import requests

        address, in_url = split_credentials(url)
        credentials = self._credentials or (self._from_url(address, in_url) if in_url else None)
        headers: dict[str, str] = {}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        attempts = self.retries if retry else 1
        wait = timeout or self.timeout
        for attempt in range(1, attempts + 1):
            try:
                response = self._session.request(
                    method, address, data=body or b"", headers=headers, auth=credentials or _anonymous, timeout=wait
                )
            except requests.RequestException as error:
                kind, problem = _failure(error)
                if kind == "timeout":
                    raise RemoteTimeout(
                        f"{address} did not answer the {what} within {wait:g} s. {slow}",
                        url=address,
                        problem=f"no answer within {wait:g} s",
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
            status = response.status_code
            if 200 <= status < 300:
                return response.content
            text = _error_text(response)
            said = f"HTTP {status} {response.reason or ''}".rstrip() + (f": {text}" if text else "")
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

    def _from_url(self, address: str, credentials: tuple[str, str]) -> _Credentials:
        """The credentials written in a URL, kept per site so that Digest answers carry on."""
        site = _origin(address)
        kept = self._from_urls.get(site)
        if kept is None or not kept.same(*credentials):
            kept = self._from_urls[site] = _Credentials(*credentials)
        return kept

    def _wait(self, url: str, what: str, problem: str, attempt: int) -> None:
        delay = self.backoff * 2 ** (attempt - 1)
        log.warning("%s: %s failed (%s); retrying in %.1f s", url, what, problem, delay)
        time.sleep(delay)


_FORM = "application/x-www-form-urlencoded"


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


def _error_text(response: requests.Response) -> str:
    """The start of an error answer's body, on one line."""
    try:
        raw = response.content[:2000]
    except Exception:  # noqa: BLE001 - a body that cannot be read says nothing
        return ""
    return " ".join(raw.decode("utf-8", "replace").split())[:300]


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
    """A user and a password for requests: HTTP Basic at once, HTTP Digest once the server asks.

    The first request carries Basic credentials; a 401 answer with a
    Digest challenge is answered once with Digest (requests'
    :class:`~requests.auth.HTTPDigestAuth`), which then goes with every
    further request. The Digest answer goes only to the server the request
    was for, never to one it was redirected to.
    """

    __slots__ = ("_basic", "_digest", "user")

    def __init__(self, user: str, password: str) -> None:
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        self.user = user
        self._basic = HTTPBasicAuth(user.encode("utf-8"), password.encode("utf-8"))
        self._digest = HTTPDigestAuth(user, password)

    def __repr__(self) -> str:
        return f"<credentials of {self.user!r}>"

    def same(self, user: str, password: str) -> bool:
        return self._digest.username == user and self._digest.password == password

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request = self._digest(request)  # a Digest header once a challenge was answered
        if "Authorization" not in request.headers:
            request = self._basic(request)
        origin = _origin(request.url or "")
        answer = self._digest.handle_401
        request.hooks["response"] = [
            _same_origin(origin, hook) if hook == answer else hook for hook in request.hooks["response"]
        ]
        return request


def _anonymous(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """No credentials: and none from ``~/.netrc`` either, which requests would otherwise send."""
    return request


def _same_origin(origin: tuple[str, str], hook: Callable[..., Any]) -> Callable[..., Any]:
    def answer(response: requests.Response, **kwargs: Any) -> Any:
        return hook(response, **kwargs) if _origin(response.url or "") == origin else response

    return answer
