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


def _local(href: str, skip_suffixes: tuple[str, ...] = SKIP_SUFFIXES) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES) or (skip_suffixes and parts.path.endswith(skip_suffixes)):
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


@dataclass
class Answer:
    path: str
    status: int
    content_type: str
    text: str  # the body of a text answer (HTML, an iCalendar or Atom feed, CSV), else ""


def every_answer(client, start: str = "/", limit: int = 3000, per_query: int = 12) -> list[Answer]:
    """Every address reachable by local links from ``start`` (the calendar files too), each
    asked once, with what it answered: for a test that reads everything a person can reach.
    Of the addresses that differ only in their query values (``/agenda/afdrukken?maand=...``
    goes on for ever) at most ``per_query`` are asked."""
    seen, queue, answers, shapes = set(), [start], [], Counter()
    while queue and len(answers) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if "?" in path:
            bare, query = path.split("?", 1)
            shape = (bare, tuple(sorted(part.split("=")[0] for part in query.split("&"))))
            if shapes[shape] >= per_query:
                continue
            shapes[shape] += 1
        response = client.get(path)
        textual = response.content_type.startswith(("text/", "application/atom", "application/xml"))
        answer = Answer(path, response.status_code, response.content_type,
                        response.get_data(as_text=True) if textual else "")
        answers.append(answer)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        parser = _PageParser(path.split("?")[0])
        parser.feed(answer.text)
        queue.extend(p for href in parser.links if (p := _local(href, ())) and p not in seen)
    left = {path for path in queue if path not in seen}
    assert not left, f"the crawl stopped at {limit} addresses; {len(left)} left"
    return answers
