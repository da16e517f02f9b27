"""Find the pages and forms a signed-in person can reach, by following links like a browser."""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

SKIP_PREFIXES = ("/static/", "/uitloggen", "/account/verwijderen")
SKIP_SUFFIXES = (".ics",)


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type

    def __hash__(self):
        return hash((self.action, tuple(sorted(self.fields))))


class _PageParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = Form(action=a.get("action") or self.page_path)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if name and name != "csrf_token" and a.get("type") != "submit":
                self._form.fields[name] = a.get("type") or tag

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _local(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start: str = "/", limit: int = 80) -> tuple[list[str], list[Form]]:
    """Breadth-first over local links; returns the pages seen and the distinct post forms."""
    seen, forms, _pages = _walk(client, [start], limit)
    return seen, forms


def html_pages(client, starts: tuple[str, ...] = ("/",), limit: int = 400,
               per_shape: int = 8) -> dict[str, str]:
    """The pages of the crawl that answered 200 with HTML: path -> the HTML as served. At most
    ``per_shape`` pages of each shape (the path with its numbers as N, without the query:
    ``/berichten/N``), so the crawl reaches every kind of page instead of every post."""
    return _walk(client, list(starts), limit, per_shape)[2]


def _walk(client, starts: list[str], limit: int, per_shape: int | None = None):
    seen, queue, forms, pages, shapes = [], starts, {}, {}, Counter()
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        if per_shape is not None:
            shape = re.sub(r"\d+", "N", path.split("?")[0])
            if shapes[shape] >= per_shape:
                continue
            shapes[shape] += 1
        seen.append(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        pages[path] = response.get_data(as_text=True)
        parser = _PageParser(path.split("?")[0])
        parser.feed(pages[path])
        for form in parser.forms:
            if not form.action.startswith(SKIP_PREFIXES):
                forms[(form.action, tuple(sorted(form.fields)))] = form
        queue.extend(p for href in parser.links if (p := _local(href)) and p not in seen)
    return seen, list(forms.values()), pages
