"""fetch_notices against a stub notice service on 127.0.0.1 (no test touches the internet).

The stub serves Keino's assumed protocol (docs/notices.md): a search endpoint listing notices
10 to a page, alternately by relative and absolute URL, and one endpoint per notice document. It
answers 401 without the key and 400 for another buyer.
"""

import io
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from keino.notices import fetch
from keino.notices.models import Notice
from keino.notices.services import notices_import
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

KEY = "stub-key-5f2a9c"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
BUSINESS_ID = "0136169-2"


@dataclass
class StubService:
    notices: dict[str, bytes] = field(default_factory=dict)  # id → document, in listing order
    page_size: int = 10
    key: str | None = KEY  # None: the stub does not ask for a key
    fail_status: int | None = None  # answer every request with this status
    search_body: bytes | None = None  # answer searches with this instead
    urls: dict[str, str] = field(default_factory=dict)  # id → URL listed instead of the stub's
    requests: list[tuple[str, dict, str | None]] = field(default_factory=list)  # path, query, key
    base: str = ""  # http://127.0.0.1:<port>


class StubHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        stub: StubService = self.server.stub
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        key = self.headers.get(KEY_HEADER)
        stub.requests.append((parts.path, query, key))
        if stub.key is not None and key != stub.key:
            return self._answer(401, b"Access denied: missing or wrong subscription key.")
        if stub.fail_status:
            return self._answer(stub.fail_status, b"Something broke.")
        if parts.path == "/api/search":
            if query.get("buyer") != BUSINESS_ID:
                return self._answer(400, b"Unknown buyer.")
            if stub.search_body is not None:
                return self._answer(200, stub.search_body, "text/html")
            return self._answer(200, self._page(stub, int(query["page"])), "application/json")
        notice_id = parts.path.removeprefix("/api/notices/")
        if notice_id in stub.notices:
            return self._answer(200, stub.notices[notice_id], "application/xml")
        return self._answer(404, b"No such notice.")

    def _page(self, stub: StubService, page: int) -> bytes:
        ids = list(stub.notices)
        start = (page - 1) * stub.page_size
        listed = []
        for position, notice_id in enumerate(ids[start : start + stub.page_size], start=start):
            relative = f"notices/{notice_id}"  # resolved against /api/search
            absolute = f"{stub.base}/api/notices/{notice_id}"
            default = relative if position % 2 else absolute
            listed.append({"id": notice_id, "url": stub.urls.get(notice_id, default)})
        next_page = page + 1 if start + stub.page_size < len(ids) else None
        return json.dumps({"notices": listed, "next_page": next_page}).encode()

    def _answer(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # keep the test output quiet


@pytest.fixture
def serve():
    """Start stub services; each is stopped after the test."""
    servers = []

    def start(stub: StubService) -> StubService:
        server = ThreadingHTTPServer(("127.0.0.1", 0), StubHandler)
        server.stub = stub
        stub.base = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        servers.append((server, thread))
        return stub

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def service(serve, monkeypatch) -> StubService:
    """A stub service, with the command's environment pointing to it."""
    stub = serve(StubService())
    monkeypatch.setenv("KEINO_NOTICE_API_URL", f"{stub.base}/api/search")
    monkeypatch.setenv("KEINO_NOTICE_API_KEY", KEY)
    monkeypatch.delenv("KEINO_NOTICE_API_KEY_HEADER", raising=False)
    monkeypatch.delenv("KEINO_NOTICE_API_TIMEOUT", raising=False)
    monkeypatch.setenv(
        "no_proxy", "127.0.0.1,localhost"
    )  # a proxy set for the machine must not apply
    return stub


@pytest.fixture
def buyer(db):
    return make_organisation("alpha", name="Alphan kunta", business_id=BUSINESS_ID)


@pytest.fixture
def example_notices(shared_data) -> dict[str, bytes]:
    """25 of the SDK's valid example notices, by file stem."""
    folder = shared_data / "real" / "eforms" / "notices"
    files = sorted(p for p in folder.glob("*.xml") if not p.name.startswith("INVALID_"))[:25]
    assert len(files) == 25
    return {path.stem: path.read_bytes() for path in files}


def fetch_notices(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    # As `keino` runs for a user whose locale is English (see keino.cli).
    with translation.override("en"):
        call_command("fetch_notices", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def fetch_failure(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        fetch_notices(*args)
    return str(raised.value)


@pytest.mark.shared_data
def test_fetch_imports_what_a_direct_import_of_the_same_files_imports(
    service, buyer, example_notices
):
    service.notices = example_notices
    stdout, stderr = fetch_notices("--org", "alpha", "--since", "2024-01-31", "--json")
    fetched = json.loads(stdout)

    other = make_organisation("beta")
    direct = notices_import(
        organisation=other,
        sources=[(f"{notice_id}.xml", data) for notice_id, data in example_notices.items()],
    ).as_dict()
    assert fetched["notices_read"] == 25
    assert fetched["notices_imported"] > 0
    for key in ("notices_read", "notices_imported", "notices_rejected", "lots"):
        assert fetched[key] == direct[key], key
    assert fetched["problems"] == direct["problems"]
    assert Notice.objects.filter(organisation=buyer).count() == fetched["notices_imported"]
    assert stderr == ""  # no progress lines with --json

    searches = [query for path, query, _ in service.requests if path == "/api/search"]
    assert searches == [
        {"buyer": BUSINESS_ID, "since": "2024-01-31", "page": str(page)} for page in (1, 2, 3)
    ]
    fetched_paths = [path for path, _, _ in service.requests if path != "/api/search"]
    assert fetched_paths == [f"/api/notices/{notice_id}" for notice_id in example_notices]
    assert {key for _, _, key in service.requests} == {KEY}


@pytest.mark.shared_data
def test_fetching_again_imports_nothing_and_finds_every_notice_unchanged(
    service, buyer, example_notices
):
    service.notices = example_notices
    first = json.loads(fetch_notices("--org", "alpha", "--json")[0])
    stored = Notice.objects.filter(organisation=buyer).count()

    second = json.loads(fetch_notices("--org", "alpha", "--json")[0])
    assert second["notices_read"] == 25
    assert second["notices_imported"] == 0
    assert second["lots"] == 0
    assert second["notices_rejected"] == first["notices_rejected"]
    assert second["notices_unchanged"] == 25 - first["notices_rejected"]
    assert Notice.objects.filter(organisation=buyer).count() == stored
    # Without --since the parameter is left out.
    assert all("since" not in query for _, query, _ in service.requests)


@pytest.mark.shared_data
def test_progress_is_one_line_a_page_on_stderr_and_the_report_on_stdout(
    service, buyer, example_notices
):
    service.notices = example_notices
    stdout, stderr = fetch_notices("--org", "alpha")
    assert stderr.splitlines() == [
        "Page 1: 10 notices listed.",
        "Page 2: 10 notices listed.",
        "Page 3: 5 notices listed.",
    ]
    assert stdout.startswith("25 notices read: ")


def test_a_missing_or_wrong_key_is_a_command_error_that_does_not_show_the_key(
    service, buyer, monkeypatch
):
    monkeypatch.delenv("KEINO_NOTICE_API_KEY")
    message = fetch_failure("--org", "alpha")
    assert f"{service.base}/api/search?buyer={BUSINESS_ID}&page=1" in message
    assert "HTTP 401" in message
    assert "KEINO_NOTICE_API_KEY" in message
    assert service.requests[0][2] is None

    monkeypatch.setenv("KEINO_NOTICE_API_KEY", "wrong-secret-7781")
    message = fetch_failure("--org", "alpha")
    assert "HTTP 401" in message
    assert "wrong-secret-7781" not in message
    assert service.requests[1][2] == "wrong-secret-7781"


def test_the_key_travels_in_the_configured_header(service, buyer, monkeypatch):
    monkeypatch.setenv("KEINO_NOTICE_API_KEY_HEADER", "X-Api-Key")
    message = fetch_failure("--org", "alpha")
    assert "HTTP 401" in message  # the stub reads the key from Ocp-Apim-Subscription-Key only
    assert service.requests[0][2] is None


def test_a_server_error_is_a_command_error_naming_url_and_status(service, buyer):
    service.fail_status = 500
    message = fetch_failure("--org", "alpha")
    assert f"{service.base}/api/search?buyer={BUSINESS_ID}&page=1 answered HTTP 500" in message
    assert KEY not in message


def test_a_failing_notice_is_a_command_error_naming_its_url(service, buyer):
    service.notices = {"N-1": b"<Notice/>"}
    service.urls = {"N-1": "notices/gone"}
    message = fetch_failure("--org", "alpha")
    assert f"{service.base}/api/notices/gone answered HTTP 404" in message
    assert KEY not in message


def test_a_search_answer_that_is_not_json_is_a_clear_error(service, buyer):
    service.search_body = b"<html><body>Welcome to the notice service</body></html>"
    message = fetch_failure("--org", "alpha")
    assert "did not answer with JSON" in message
    assert "KEINO_NOTICE_API_URL" in message


def test_a_notice_larger_than_the_limit_is_refused_and_nothing_is_stored(
    service, buyer, monkeypatch
):
    monkeypatch.setattr(fetch, "MAX_NOTICE_BYTES", 100)
    service.notices = {"N-1": b"<Notice>" + b"x" * 100 + b"</Notice>"}
    message = fetch_failure("--org", "alpha")
    assert f"{service.base}/api/notices/N-1 answered with more than" in message
    assert not Notice.objects.exists()


def test_more_notices_than_a_run_allows_are_refused_before_any_is_fetched(
    service, buyer, monkeypatch
):
    monkeypatch.setattr(fetch, "MAX_NOTICES", 4)
    service.notices = {f"N-{number}": b"<Notice/>" for number in range(5)}
    message = fetch_failure("--org", "alpha")
    assert "more than 4 notices" in message
    assert all(path == "/api/search" for path, _, _ in service.requests)


def test_a_notice_url_that_is_not_http_is_refused(service, buyer):
    service.notices = {"N-1": b"<Notice/>"}
    service.urls = {"N-1": "file:///etc/passwd"}
    message = fetch_failure("--org", "alpha")
    assert "not http(s): file:///etc/passwd" in message


def test_the_key_is_not_sent_to_another_host(serve, service, buyer):
    elsewhere = serve(StubService(key=None, notices={"N-1": b"<not-a-notice/>"}))
    service.notices = {"N-1": b""}
    service.urls = {"N-1": f"{elsewhere.base}/api/notices/N-1".replace("127.0.0.1", "localhost")}
    report = json.loads(fetch_notices("--org", "alpha", "--json")[0])
    assert report["notices_read"] == 1
    assert report["notices_rejected"] == 1  # not an eForms notice, but fetched
    assert elsewhere.requests == [("/api/notices/N-1", {}, None)]


def test_an_unset_url_is_a_command_error(service, buyer, monkeypatch):
    monkeypatch.delenv("KEINO_NOTICE_API_URL")
    message = fetch_failure("--org", "alpha")
    assert "KEINO_NOTICE_API_URL is not set" in message
    assert service.requests == []


def test_an_organisation_without_business_id_is_a_command_error(service):
    make_organisation("gamma")
    message = fetch_failure("--org", "gamma")
    assert "'gamma' has no business id" in message
    assert service.requests == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--org", "nobody"), "No organisation 'nobody'"),
        (("--org", "alpha", "--since", "31.1.2024"), "'31.1.2024' is not a date YYYY-MM-DD"),
    ],
)
def test_bad_arguments_are_command_errors(service, buyer, args, expected):
    assert expected in fetch_failure(*args)
    assert service.requests == []


def test_a_timeout_that_is_not_seconds_is_a_command_error(service, buyer, monkeypatch):
    monkeypatch.setenv("KEINO_NOTICE_API_TIMEOUT", "half a minute")
    assert "KEINO_NOTICE_API_TIMEOUT is 'half a minute'" in fetch_failure("--org", "alpha")
