"""A client for the national notice service's HTTP API: search a buyer's notices, fetch each.

The endpoint layout is Keino's own assumption (docs/notices.md) and must be confirmed against
the service's API documentation before production use:

    GET {url}?buyer=<business id>&since=<YYYY-MM-DD>&page=<n>
    → {"notices": [{"id": "...", "url": "<absolute or relative URL of the eForms XML>"}],
       "next_page": <n or null>}

Only the standard library is used. Error messages name the URL and the HTTP status, never the
API key, which travels in a header only.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date

DEFAULT_KEY_HEADER = "Ocp-Apim-Subscription-Key"
DEFAULT_TIMEOUT = 30.0
MAX_NOTICE_BYTES = 10 * 1024 * 1024
MAX_SEARCH_BYTES = 10 * 1024 * 1024
MAX_NOTICES = 10_000
# Every page may be empty, so pages are bounded on their own; a page number that does not grow
# is refused too, so a service that keeps answering the same page cannot loop us.
MAX_PAGES = MAX_NOTICES


class NoticeServiceError(Exception):
    """The service could not be used; the message names the URL, never the key."""


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class _KeyStaysHome(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but never carry the API key to another host."""

    def __init__(self, key_header: str):
        self.key_header = key_header.capitalize()  # how urllib.request stores header names

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(new.full_url) != _origin(req.full_url):
            new.remove_header(self.key_header)
        return new


class NoticeServiceClient:
    def __init__(
        self,
        url: str,
        key: str | None = None,
        key_header: str = DEFAULT_KEY_HEADER,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
            raise NoticeServiceError(f"The search URL must start with http:// or https://: {url}")
        self.url = url
        self.key = key or None
        self.key_header = key_header
        self.timeout = timeout
        # Only HTTP(S): a URL in an answer must not make us read file:// or ftp:// resources.
        self._opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.ProxyHandler(),
            urllib.request.HTTPHandler(),
            urllib.request.HTTPSHandler(),
            _KeyStaysHome(key_header),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
        ):
            self._opener.add_handler(handler)

    def search(
        self,
        buyer: str,
        since: date | None = None,
        *,
        on_page: Callable[[int, int], None] | None = None,
    ) -> Iterator[tuple[str, str]]:
        """(id, absolute URL) of each of the buyer's notices, page by page; each id once.

        on_page(page, notices on it) is called after each page is read."""
        seen: set[str] = set()
        page = 1
        for _ in range(MAX_PAGES):
            query = {"buyer": buyer}
            if since is not None:
                query["since"] = since.isoformat()
            query["page"] = str(page)
            separator = "&" if urllib.parse.urlsplit(self.url).query else "?"
            page_url = f"{self.url}{separator}{urllib.parse.urlencode(query)}"
            notices, next_page = self._search_page(page_url)
            if on_page is not None:
                on_page(page, len(notices))
            for notice_id, notice_url in notices:
                if notice_id in seen:
                    continue
                seen.add(notice_id)
                if len(seen) > MAX_NOTICES:
                    raise NoticeServiceError(
                        f"{self.url} lists more than {MAX_NOTICES} notices; fetch fewer at a "
                        "time with --since."
                    )
                yield notice_id, urllib.parse.urljoin(page_url, notice_url)
            if next_page is None:
                return
            if next_page <= page:
                raise NoticeServiceError(
                    f"{page_url} gives next_page {next_page}, which does not follow page {page}."
                )
            page = next_page
        raise NoticeServiceError(f"{self.url} has more than {MAX_PAGES} pages of notices.")

    def notice(self, url: str) -> bytes:
        """The notice document at url (at most MAX_NOTICE_BYTES)."""
        return self._get(url, MAX_NOTICE_BYTES, accept="application/xml")

    def _search_page(self, page_url: str) -> tuple[list[tuple[str, str]], int | None]:
        body = self._get(page_url, MAX_SEARCH_BYTES, accept="application/json")
        try:
            answer = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise NoticeServiceError(
                f"{page_url} did not answer with JSON ({error}); check KEINO_NOTICE_API_URL: "
                "it must be the notice service's search endpoint."
            ) from None
        expected = (
            'expected {"notices": [{"id": "...", "url": "..."}], "next_page": <number or null>}'
        )
        if not isinstance(answer, dict) or not isinstance(answer.get("notices"), list):
            raise NoticeServiceError(f"{page_url} answered JSON of another shape: {expected}.")
        next_page = answer.get("next_page")
        if next_page is not None and (type(next_page) is not int or next_page < 1):
            raise NoticeServiceError(
                f"{page_url} gives next_page {next_page!r}, not a page number: {expected}."
            )
        notices = []
        for position, entry in enumerate(answer["notices"], start=1):
            valid = (
                isinstance(entry, dict)
                and isinstance(entry.get("id"), str)
                and entry["id"].strip()
                and isinstance(entry.get("url"), str)
                and entry["url"].strip()
            )
            if not valid:
                raise NoticeServiceError(
                    f"{page_url}: notice {position} on the page lacks an id or url: {expected}."
                )
            notices.append((entry["id"].strip(), entry["url"].strip()))
        return notices, next_page

    def _get(self, url: str, limit: int, *, accept: str) -> bytes:
        if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
            raise NoticeServiceError(f"Refusing a URL that is not http(s): {url}")
        request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310
        if self.key and _origin(url) == _origin(self.url):
            request.add_header(self.key_header, self.key)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise NoticeServiceError(_too_large(url, limit))
                # Read one byte more than allowed: a larger answer is refused, not cut short.
                body = response.read(limit + 1)
        except urllib.error.HTTPError as error:
            error.close()
            hint = " (check KEINO_NOTICE_API_KEY)" if error.code in (401, 403) else ""
            raise NoticeServiceError(
                f"{url} answered HTTP {error.code} {error.reason}{hint}."
            ) from None
        except urllib.error.URLError as error:
            raise NoticeServiceError(f"Cannot reach {url}: {error.reason}.") from None
        except TimeoutError:
            raise NoticeServiceError(
                f"{url} did not answer within {self.timeout:g} seconds."
            ) from None
        except OSError as error:
            raise NoticeServiceError(f"Reading {url} failed: {error}.") from None
        if len(body) > limit:
            raise NoticeServiceError(_too_large(url, limit))
        return body


def _too_large(url: str, limit: int) -> str:
    return f"{url} answered with more than {limit / 2**20:g} MB; refused."
