"""guide.py: serve a folder of Markdown pages as an ordered guide website.

One module, read top to bottom in the order the data flows: configuration,
errors, loading pages, rendering Markdown, the guide, searching, responses,
HTTP, checking links, the static export, live reload, serving, the command
line, and the WSGI entry point.

    python guide.py                  serve pages/ at http://127.0.0.1:8080/
    python guide.py serve --reload   preview: rebuild and refresh tabs on save
    python guide.py check            every problem in every page and link
    python guide.py build site/      the whole site as static files
    waitress-serve guide:app         (or gunicorn guide:app, mod_wsgi, ...)

A page is a Markdown file that starts with `key: value` lines, then a blank line:

    title: Web Frameworks
    sort-order: 08

    A web application framework is ...

All the work happens once, at start-up: every page is parsed, rendered into
the layout and compressed, and each URL's answer is kept as bytes.  Serving
a request is a dictionary lookup plus headers.

Licence: MIT.
"""

import argparse
import array
import bisect
import collections
import dataclasses
import datetime
import difflib
import email.utils
import functools
import gzip
import hashlib
import html
import io
import json
import logging
import math
import mimetypes
import multiprocessing
import os
import re
import signal
import socket
import sys
import threading
import time
import tomllib
import traceback
import unicodedata
import urllib.parse
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

import bottle
import mistune
import waitress

try:  # Optional: highlighted code blocks.
    import pygments
    import pygments.formatters
    import pygments.lexers
    import pygments.util
except ImportError:
    pygments = None


###############################################################################
# Configuration ###############################################################
###############################################################################

HERE = Path(__file__).resolve().parent
VIEWS_DIR = HERE / "views"
STATIC_DIR = HERE / "static"
DEFAULT_PAGES_DIR = HERE / "pages"

PAGE_SUFFIXES = (".md", ".markdown")
GUIDE_CONFIG_NAME = "guide.toml"  # optional, inside the pages folder
GUIDE_CONFIG_KEYS = {"title", "description"}
DEFAULT_GUIDE_TITLE = "Guide"

# Front-matter keys that mean the same thing, mapped to the name we use.
KEY_ALIASES = {
    "sort-order": "sort-order", "sortorder": "sort-order", "order": "sort-order",
    "description": "description", "meta": "description",
}
# Slugs that would shadow the site's own URLs, now or in a later version.
RESERVED_SLUGS = frozenset({
    "404", "all", "blog", "favicon", "feed", "index", "robots", "search",
    "sitemap", "static",
})
NAV_LIMIT = 40          # pages listed in each page's guide navigation
PARALLEL_MIN_ITEMS = 48  # below this, a process pool costs more than it saves
SUGGESTIONS = 5          # pages suggested on a 404 page
ALL_IN_ONE_LIMIT = 300   # the most pages /all.html puts on one page

# Limits for a public site; README explains each.
WAITRESS_LIMITS = dict(
    connection_limit=500,
    channel_timeout=30,               # seconds an idle connection may stay open
    max_request_header_size=16_384,   # bytes; waitress's default is 256 kB
    max_request_body_size=65_536,     # bytes; we accept no bodies at all
    asyncore_use_poll=True,           # poll(), not select(): no 1024-socket ceiling
    clear_untrusted_proxy_headers=True,
    ident="",                         # no Server banner
)

SECURITY_HEADERS = [
    ("Content-Security-Policy",
     "default-src 'self'; img-src 'self' https: data:; object-src 'none'; "
     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]
HTML_TYPE = "text/html; charset=utf-8"
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/javascript",
                      "application/xml", "image/svg+xml")
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything the command line and the environment can set."""
    command: str = "serve"
    pages_dir: Path = DEFAULT_PAGES_DIR
    host: str = "127.0.0.1"
    port: int = 8080
    threads: int = 4
    drafts: bool = False
    max_age: int = 300
    quiet: bool = False
    format: str = "text"          # check's output: text or json
    out: Path | None = None       # build's output folder
    force: bool = False           # build into a folder guide.py did not make
    strict: bool = False          # build only when no link is broken
    reload: bool = False          # serve: rebuild when a file changes
    site_url: str = ""            # e.g. https://guide.example.org, for absolute links
    edit_url: str = ""            # e.g. https://github.com/me/guide/edit/main/pages/


def read_settings(argv: list[str] | None, environ: dict) -> Settings:
    """Return Settings from argv and the environment: command line beats
    environment beats default.  argv=None reads the environment only."""
    env = Settings(
        pages_dir=Path(environ.get("GUIDE_PAGES") or DEFAULT_PAGES_DIR),
        drafts=environ.get("GUIDE_DRAFTS", "").lower() in ("1", "true", "yes"),
        max_age=environment_seconds(environ, "GUIDE_MAX_AGE", Settings.max_age),
        site_url=environment_url(environ, "GUIDE_SITE_URL"),
        edit_url=environment_url(environ, "GUIDE_EDIT_URL"),
    )
    if argv is None:
        return env
    args = build_argument_parser(env).parse_args(with_default_command(argv))
    values = {field.name: getattr(args, field.name)
              for field in dataclasses.fields(Settings) if hasattr(args, field.name)}
    return dataclasses.replace(env, **values)


def environment_seconds(environ: dict, name: str, default: int) -> int:
    """Return a whole number of seconds from the environment variable name."""
    text = environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise GuideErrors([PageError(name, None, "must be a whole number of seconds, "
                                                 f"got {text!r}")])
    return int(text)


def environment_url(environ: dict, name: str) -> str:
    """Return an http(s) URL from the environment variable name, or ''."""
    text = environ.get(name, "").strip()
    try:
        return web_url(text)
    except ValueError:
        raise GuideErrors([PageError(name, None, f"must be an http:// or https:// URL, "
                                                 f"got {text!r}")]) from None


def web_url(text: str) -> str:
    """Return text if it is empty or an absolute http(s) URL, else raise
    ValueError (also for argparse, which reports the ValueError)."""
    if not text:
        return text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or not HOST.fullmatch(
            parts.netloc) or any(character in text for character in '"<> '):
        raise ValueError(text)
    return text


def build_argument_parser(defaults: Settings) -> argparse.ArgumentParser:
    """Return the parser for `python guide.py ...`."""
    parser = argparse.ArgumentParser(
        prog="guide.py",
        description="Serve a folder of Markdown pages as an ordered guide website.",
        epilog="Without a command, 'serve' is assumed: 'guide.py --port 8000' serves. "
               "Each command's options: 'guide.py serve --help' (and check, build). "
               "Environment: GUIDE_PAGES (pages folder), GUIDE_DRAFTS=1, GUIDE_MAX_AGE "
               "(seconds), GUIDE_SITE_URL, GUIDE_EDIT_URL; the command line wins over "
               "them. As a WSGI application: "
               "'waitress-serve guide:app' or 'gunicorn guide:app'.")
    commands = parser.add_subparsers(dest="command", metavar="{serve,check,build}")

    def add_common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--pages", dest="pages_dir", type=Path, default=defaults.pages_dir,
                         metavar="DIR", help="folder of *.md pages (default: %(default)s)")
        sub.add_argument("--drafts", action="store_true", default=defaults.drafts,
                         help="include pages marked 'draft: true'")
        sub.add_argument("--site-url", type=web_url, default=defaults.site_url,
                         metavar="URL", help="where the site is published, e.g. "
                         "https://guide.example.org: makes canonical links, the sitemap "
                         "and the feed absolute")
        sub.add_argument("--edit-url", type=web_url, default=defaults.edit_url,
                         metavar="URL", help="base URL for 'Edit this page' links; the "
                         "page's path inside the pages folder is appended")

    serve = commands.add_parser("serve", help="serve the guide with waitress (the default)",
                                description="Serve the guide with waitress.")
    add_common(serve)
    serve.add_argument("--host", default=defaults.host,
                       help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=port_number, default=defaults.port,
                       help="port to listen on; 0 picks a free one (default: %(default)s)")
    serve.add_argument("--threads", type=positive_int, default=defaults.threads,
                       help="worker threads (default: %(default)s)")
    serve.add_argument("--max-age", type=non_negative_int, default=defaults.max_age,
                       help="seconds browsers may cache a page (default: %(default)s)")
    serve.add_argument("--quiet", action="store_true", help="no access log on stderr")
    serve.add_argument("--reload", action="store_true",
                       help="preview while writing: rebuild when pages/, views/ or static/ "
                            "change, and refresh open pages")

    check = commands.add_parser("check", help="load every page, follow every link, "
                                              "list every problem",
                                description="Load every page; print each problem as "
                                            "file:line: message. Exit 1 if there are any.")
    add_common(check)
    check.add_argument("--format", choices=["text", "json"], default="text",
                       help="one line per problem (default), or JSON for tools")

    build = commands.add_parser("build", help="write the whole site as static files",
                                description="Write every page, the index, 404.html, "
                                            "static files and redirect pages into OUT, "
                                            "byte for byte what the server answers.")
    build.add_argument("out", type=Path, metavar="OUT", help="folder to write the site into")
    add_common(build)
    build.add_argument("--force", action="store_true",
                       help="write into OUT even if it holds files guide.py did not write")
    build.add_argument("--strict", action="store_true",
                       help="refuse to build when check finds a broken link")
    return parser


COMMANDS = ("serve", "check", "build")


def with_default_command(argv: list[str]) -> list[str]:
    """Return argv with 'serve' in front unless it already names a command."""
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        return argv
    return ["serve", *argv]


def positive_int(text: str) -> int:
    """Return text as an int of at least 1, for argparse."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def port_number(text: str) -> int:
    """Return text as a TCP port number (0 to 65535), for argparse."""
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 0 to 65535, got {text!r}")
    return value


def non_negative_int(text: str) -> int:
    """Return text as an int of at least 0, for argparse."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text!r}")
    return value


###############################################################################
# Errors ######################################################################
###############################################################################

class PageError(Exception):
    """A problem in the guide's content, reported as `path:line: message`
    (`path:line: warning: message` for a warning, which fails nothing)."""

    def __init__(self, path: str, line: int | None, message: str, warning: bool = False):
        super().__init__(path, line, message)
        self.path, self.line, self.message, self.warning = path, line, message, warning

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "message": self.message,
                "severity": "warning" if self.warning else "error"}

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.message)


class GuideErrors(Exception):
    """Every problem found while loading a guide, sorted by file and line."""

    def __init__(self, errors: Iterable[PageError]):
        self.errors = sorted(errors, key=PageError.sort_key)
        super().__init__("\n".join(map(str, self.errors)))


###############################################################################
# Loading pages ###############################################################
###############################################################################

@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Page:
    """One Markdown file, parsed and rendered."""
    path: str                   # as shown in messages, e.g. 'pages/flask.md'
    slug: str
    title: str
    category: str
    sort_order: float | None
    description: str            # from front matter; may be empty
    summary: str                # description, else the first paragraph's text
    draft: bool
    meta: dict                  # every front-matter key, lower-cased
    html: str
    toc: tuple                  # ((level, id, text), ...) for h2 and h3
    mtime: float
    body_line: int              # line in the file where the Markdown starts
    file: str                   # the source file, absolute
    source: str                 # the file's path inside the pages folder
    field_lines: dict           # front-matter key -> its line in the file
    redirect_from: tuple        # old slugs that now lead here
    next_slugs: tuple           # `next:` pages for the "What's next?" box
    date: datetime.datetime | None      # posts only: when published
    modified: datetime.datetime | None  # posts: when last changed, if said

    @property
    def is_post(self) -> bool:
        return self.category == "post"

    @property
    def updated(self) -> datetime.datetime:
        """Return when the page last changed: modified, date, or the file's time."""
        when = self.modified or self.date
        return when or datetime.datetime.fromtimestamp(self.mtime, datetime.timezone.utc)

    @property
    def url(self) -> str:
        return f"/{self.slug}.html"

    def __repr__(self) -> str:
        return f"<Page {self.slug!r} from {self.path}>"


def load_guide(pages_dir: Path, drafts: bool = False) -> "Guide":
    """Return the Guide built from every page under pages_dir.

    Raises GuideErrors listing every problem found, so that nothing is ever
    served half-loaded."""
    files, config, errors = find_page_files(pages_dir), {}, []
    if not pages_dir.is_dir():
        raise GuideErrors([PageError(display_path(pages_dir), None,
                                     "pages folder does not exist")])
    if not files:
        errors.append(PageError(display_path(pages_dir), None,
                                "no pages found (*.md or *.markdown files)"))
    config_path = pages_dir / GUIDE_CONFIG_NAME
    if config_path.is_file():
        try:
            config = read_guide_config(config_path)
        except PageError as error:
            errors.append(error)
    pages = []
    for page, page_errors in read_pages(files, pages_dir):
        errors.extend(page_errors)
        if page is not None and (drafts or not page.draft):
            pages.append(page)
    errors.extend(find_duplicate_slugs(pages))
    errors.extend(find_unknown_next_pages(pages))
    if errors:
        raise GuideErrors(errors)
    return Guide.from_pages(pages, title=config.get("title", DEFAULT_GUIDE_TITLE),
                            description=config.get("description", ""))


def find_page_files(pages_dir: Path) -> list[Path]:
    """Return every page file under pages_dir, skipping hidden files and folders."""
    if not pages_dir.is_dir():
        return []
    return sorted(
        path for path in pages_dir.rglob("*")
        if path.suffix.lower() in PAGE_SUFFIXES and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(pages_dir).parts))


def read_guide_config(path: Path) -> dict:
    """Return the settings in the pages folder's guide.toml."""
    shown = display_path(path)
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise PageError(shown, line, f"not a valid TOML file: {error}") from None
    for key, value in config.items():
        if key not in GUIDE_CONFIG_KEYS:
            raise PageError(shown, None, f"unknown setting {key!r}; "
                            f"known: {', '.join(sorted(GUIDE_CONFIG_KEYS))}")
        if not isinstance(value, str):
            raise PageError(shown, None, f"{key} must be a string, got {value!r}")
    return config


def read_pages(files: list[Path], pages_dir: Path) -> list[tuple["Page | None", list[PageError]]]:
    """Return read_page(pages_dir, file) for every file; Markdown is the
    cost of start-up, so a large guide is read by every core."""
    return list(map_in_processes(read_page, files, pages_dir))


def read_page(pages_dir: Path, path: Path) -> tuple[Page | None, list[PageError]]:
    """Return the Page in a file of pages_dir and the problems found in it
    (never raises for bad content: every problem is collected)."""
    shown = display_path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [PageError(shown, line, f"not valid UTF-8 (byte 0x{raw[error.start]:02x})")]
    text = text.removeprefix("\ufeff")
    errors: list[PageError] = []
    fields, body, body_line = split_front_matter(shown, text, errors)
    if fields is None:
        return None, errors
    meta = {key: value for key, (value, _line) in fields.items()}
    for key, (value, line) in list(fields.items()):
        canonical = KEY_ALIASES.get(key)
        if canonical and canonical != key:
            if canonical in fields:
                errors.append(PageError(shown, line, f"{key!r} repeats {canonical!r} "
                                                     f"from line {fields[canonical][1]}"))
            else:
                fields[canonical] = (value, line)
    meta.setdefault("description", fields.get("description", ("", 0))[0])

    title = fields.get("title", ("", 1))[0]
    body, heading_title = drop_leading_title(body, title)
    title = title or heading_title
    if not title:
        errors.append(PageError(shown, 1, "missing title: add 'title: ...' "
                                          "or start the page with '# Title'"))
    slug = check_slug(shown, fields, path, errors)
    sort_order = check_sort_order(shown, fields, errors)
    draft = check_flag(shown, fields, "draft", errors)
    redirect_from = check_slug_list(shown, fields, "redirect_from", errors)
    next_slugs = check_slug_list(shown, fields, "next", errors)
    category = fields.get("category", ("page", 0))[0] or "page"
    date = check_date(shown, fields, "date", errors, required=category == "post")
    modified = check_date(shown, fields, "modified", errors, required=False)
    if errors:
        return None, errors

    html_text, toc = render_markdown(body)
    description = fields.get("description", ("", 0))[0]
    return Page(
        path=shown, slug=slug, title=title, category=category,
        sort_order=sort_order, description=description,
        summary=description or first_paragraph_text(html_text),
        draft=draft, meta=meta, html=html_text, toc=toc,
        mtime=path.stat().st_mtime, body_line=body_line, file=str(path.resolve()),
        source=path.relative_to(pages_dir).as_posix(),
        field_lines={key: line for key, (_value, line) in fields.items()},
        redirect_from=redirect_from, next_slugs=next_slugs, date=date, modified=modified,
    ), []


FRONT_MATTER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*))?")
FENCE = "---"


def split_front_matter(shown: str, text: str, errors: list[PageError]
                       ) -> tuple[dict[str, tuple[str, int]] | None, str, int]:
    """Return ({key: (value, line)}, body, line where the body starts);
    the fields are None when the front matter cannot be found at all.

    Front matter is a block of `key: value` lines at the very top, ended by
    the first blank line (Pelican, MultiMarkdown), or the same lines between
    two `---` lines (Jekyll, Hugo, MkDocs).  Lines indented under a key
    continue its value.  A page whose first line is not `key: value` has no
    front matter."""
    lines = text.split("\n")
    if lines[0].rstrip() == FENCE:
        closing = next((index for index, line in enumerate(lines[1:], start=1)
                        if line.rstrip() == FENCE), None)
        if closing is None:
            errors.append(PageError(shown, 1, "front matter opened with '---' is never closed"))
            return None, text, 1
        block, first_number, body_start = lines[1:closing], 2, closing + 1
    elif FRONT_MATTER_LINE.fullmatch(lines[0].rstrip()):
        blank = next((index for index, line in enumerate(lines) if not line.strip()), len(lines))
        block, first_number, body_start = lines[:blank], 1, blank
    else:
        return {}, text, 1
    fields: dict[str, tuple[str, int]] = {}
    last_key = None
    for number, line in enumerate(block, start=first_number):
        line = line.rstrip()
        match = FRONT_MATTER_LINE.fullmatch(line)
        if not line:
            continue
        if match:
            key, value = match.group(1).lower(), (match.group(2) or "").strip()
            if key in fields:
                errors.append(PageError(shown, number, f"duplicate key {key!r} "
                                                       f"(first on line {fields[key][1]})"))
            else:
                fields[key] = (value, number)
                last_key = key
        elif line[0] in " \t" and last_key:
            value, first = fields[last_key]
            fields[last_key] = ((value + " " + line.strip()).strip(), first)
        else:
            errors.append(PageError(shown, number, "malformed front-matter line, "
                                                   f"expected 'key: value', got {line!r}"))
    return fields, "\n".join(lines[body_start:]), body_start + 1


LEADING_H1 = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*")


def drop_leading_title(body: str, title: str) -> tuple[str, str]:
    """Return (body, heading) with a leading `# Heading` removed when it
    repeats the title or stands in for a missing one."""
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return body, ""
    match = LEADING_H1.fullmatch(lines[first].strip())
    if not match:
        return body, ""
    heading = match.group(1).strip()
    if title and heading.casefold() != title.casefold():
        return body, ""
    # Keep the line count: blank the heading instead of deleting it, so
    # lines in the Markdown still match lines in the file.
    lines[first] = ""
    return "\n".join(lines), heading


SLUG = re.compile(r"[A-Za-z0-9_-]+")
ORDER_PREFIX = re.compile(r"^\d+[-_.]+(?=.)")


def check_slug(shown: str, fields: dict, path: Path, errors: list[PageError]) -> str:
    """Return the page's slug: front matter's, else made from the file name."""
    if "slug" in fields:
        slug, line = fields["slug"]
        if not SLUG.fullmatch(slug):
            errors.append(PageError(shown, line, "slug may contain only letters, digits, "
                                                 f"'-' and '_', got {slug!r}"))
            return slug
    else:
        slug, line = slugify(ORDER_PREFIX.sub("", path.stem)), 1
        if not slug:
            errors.append(PageError(shown, 1, f"cannot make a slug from the file name "
                                              f"{path.name!r}: add 'slug: ...'"))
            return slug
    if slug.lower() in RESERVED_SLUGS:
        errors.append(PageError(shown, line, f"slug {slug!r} is reserved for the site's "
                                             "own pages; choose another"))
    return slug


def check_slug_list(shown: str, fields: dict, key: str, errors: list[PageError]) -> tuple:
    """Return the slugs in a list field such as `redirect_from: old, /older.html`."""
    if key not in fields:
        return ()
    text, line = fields[key]
    names = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name = item.strip("/").removesuffix(".html")
        if not SLUG.fullmatch(name):
            errors.append(PageError(shown, line, f"{key} names slugs (letters, digits, "
                                                 f"'-' and '_'), got {item!r}"))
        elif key == "redirect_from" and name.lower() in RESERVED_SLUGS:
            errors.append(PageError(shown, line, f"redirect_from {name!r} is reserved for "
                                                 "the site's own pages"))
        else:
            names.append(name)
    return tuple(names)


def check_date(shown: str, fields: dict, key: str, errors: list[PageError],
               required: bool) -> datetime.datetime | None:
    """Return a date field (`2026-11-24` or `2026-11-24 09:30`) as an aware
    datetime (UTC unless it says otherwise)."""
    if key not in fields:
        if required:
            errors.append(PageError(shown, 1, f"a post needs a {key}: add '{key}: YYYY-MM-DD'"))
        return None
    text, line = fields[key]
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError:
        errors.append(PageError(shown, line, f"{key} must be a date such as 2026-11-24 "
                                             f"or 2026-11-24 09:30, got {text!r}"))
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


def slugify(text: str, keep_unicode: bool = False) -> str:
    """Return text lower-cased, with runs of other characters made one hyphen."""
    text = unicodedata.normalize("NFKC" if keep_unicode else "NFKD", text).lower()
    if not keep_unicode:
        text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^\w-]+" if keep_unicode else r"[^a-z0-9_-]+", "-", text).strip("-")


def check_sort_order(shown: str, fields: dict, errors: list[PageError]) -> float | None:
    """Return the page's sort-order as a number, or None if it has none."""
    if "sort-order" not in fields:
        return None
    text, line = fields["sort-order"]
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        errors.append(PageError(shown, line, f"sort-order must be a number, got {text!r}"))
        return None
    return value


def check_flag(shown: str, fields: dict, key: str, errors: list[PageError]) -> bool:
    """Return a yes/no front-matter field as a bool (absent means no)."""
    text, line = fields.get(key, ("false", 0))
    value = text.lower()
    if value in ("true", "yes", "1"):
        return True
    if value in ("false", "no", "0", ""):
        return False
    errors.append(PageError(shown, line, f"{key} must be true or false, got {text!r}"))
    return False


def find_duplicate_slugs(pages: list[Page]) -> list[PageError]:
    """Return an error for every page whose slug an earlier page already has,
    and for every redirect_from name that a page or another redirect has."""
    errors, first = [], {}
    for page in pages:
        key = page.slug.lower()  # static hosts may not tell Flask.html from flask.html
        if key in first:
            errors.append(PageError(page.path, page.field_lines.get("slug", 1),
                                    f"slug {page.slug!r} is already used by {first[key].path}"))
        else:
            first[key] = page
    claimed = {}
    for page in pages:
        line = page.field_lines.get("redirect_from", 1)
        for name in page.redirect_from:
            key = name.lower()
            if key in first:
                errors.append(PageError(page.path, line, f"redirect_from {name!r} collides "
                                                         f"with the page in {first[key].path}"))
            elif key in claimed and claimed[key] is not page:
                errors.append(PageError(page.path, line, f"redirect_from {name!r} is also "
                                                         f"claimed by {claimed[key].path}"))
            else:
                claimed[key] = page
    return errors


def find_unknown_next_pages(pages: list[Page]) -> list[PageError]:
    """Return an error for each `next:` slug that names no page."""
    slugs = {page.slug for page in pages}
    return [PageError(page.path, page.field_lines.get("next", 1),
                      f"next names {slug!r}, but there is no page with that slug")
            for page in pages for slug in page.next_slugs if slug not in slugs]


def display_path(path: Path) -> str:
    """Return path relative to the working directory when it lies below it."""
    try:
        relative = Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive, on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def map_in_processes(function: Callable, items: list, *shared) -> Iterator:
    """Yield function(*shared, item) for each item in order, computed by a
    pool of forked processes when there are enough items to repay it.

    Forking (rather than spawning) means that workers start in milliseconds,
    never re-import this module, and inherit `shared` (the guide, the
    templates) without it being pickled: only items and results cross."""
    processes = min(os.cpu_count() or 1, 8)
    if (len(items) < PARALLEL_MIN_ITEMS or processes < 2
            or "fork" not in multiprocessing.get_all_start_methods()
            # A fork copies only the calling thread; a lock another thread
            # held at that moment stays locked in the child for ever.
            or threading.active_count() > 1):
        yield from (function(*shared, item) for item in items)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=set_worker_task,
                             initargs=(function, shared)) as pool:
        yield from pool.map(run_worker_task, items,
                            chunksize=max(1, len(items) // (processes * 8)))


worker_task = None  # set in each pool worker only: (function, shared arguments)


def set_worker_task(function: Callable, shared: tuple) -> None:
    global worker_task
    worker_task = (function, shared)


def run_worker_task(item):
    function, shared = worker_task
    return function(*shared, item)


###############################################################################
# Rendering Markdown ##########################################################
###############################################################################

class GuideRenderer(mistune.HTMLRenderer):
    """mistune's HTML renderer, with self-linked headings and highlighted code."""

    def heading(self, text: str, level: int, **attrs) -> str:
        anchor = attrs["id"]
        return (f'<h{level} id="{anchor}">{text} <a class="self-link" href="#{anchor}" '
                f'aria-label="Link to this section">#</a></h{level}>\n')

    def block_code(self, code: str, info: str | None = None) -> str:
        words = (info or "").split()
        language = words[0] if words else ""
        # tabindex: a block that scrolls sideways must be reachable by keyboard.
        if not language:
            return f'<pre tabindex="0"><code>{html.escape(code, quote=False)}</code></pre>\n'
        language_class = html.escape(f"language-{language}")
        highlighted = highlight(code, language)
        if highlighted is None:
            return (f'<pre tabindex="0"><code class="{language_class}">'
                    f'{html.escape(code, quote=False)}</code></pre>\n')
        return (f'<pre class="highlight" tabindex="0"><code class="{language_class}">'
                f'{highlighted}</code></pre>\n')

    def task_list_item(self, text: str, checked: bool = False) -> str:
        """Return a task list item whose checkbox says what it means (a
        method here wins over the one the task_lists plugin registers)."""
        state = "done" if checked else "not done"
        checkbox = (f'<input class="task-list-item-checkbox" type="checkbox" disabled'
                    f'{" checked" if checked else ""} aria-label="{state}">')
        if text.startswith("<p>"):
            text = text.replace("<p>", "<p>" + checkbox, 1)
        else:
            text = checkbox + text
        return f'<li class="task-list-item">{text}</li>\n'


@functools.lru_cache(maxsize=None)
def pygments_formatter():
    return pygments.formatters.HtmlFormatter(nowrap=True)


def highlight(code: str, language: str) -> str | None:
    """Return code highlighted as HTML spans, or None without Pygments or a lexer."""
    if pygments is None:
        return None
    try:
        lexer = pygments.lexers.get_lexer_by_name(language)
    except pygments.util.ClassNotFound:
        return None
    return pygments.highlight(code, lexer, pygments_formatter())


def add_heading_ids(md: mistune.Markdown, state: mistune.BlockState) -> None:
    """Give every heading a unique id from its text, and keep the h2/h3
    entries in state.env['toc'] (a before-render hook: state is per parse)."""
    used = set(RAW_HTML_ID.findall(state.src))
    toc = []
    for token in walk_tokens(state.tokens):
        if token["type"] != "heading":
            continue
        text = plain_text(md, token["text"], state)
        anchor = base = slugify(text, keep_unicode=True) or "section"
        counter = 1
        while anchor in used:
            counter += 1
            anchor = f"{base}-{counter}"
        used.add(anchor)
        token["attrs"]["id"] = anchor
        if token["attrs"]["level"] in (2, 3):
            toc.append((token["attrs"]["level"], anchor, text))
    state.env["toc"] = tuple(toc)


RAW_HTML_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
TAGS = re.compile(r"<[^>]*>")
SELF_LINK = re.compile(r'<a class="self-link" [^>]*>#</a>')  # as GuideRenderer.heading writes it


def walk_tokens(tokens: list[dict]) -> Iterator[dict]:
    """Yield every block token, depth first, in document order."""
    for token in tokens:
        yield token
        yield from walk_tokens(token.get("children") or ())


def plain_text(md: mistune.Markdown, inline_markdown: str, state) -> str:
    """Return the text a reader sees in a line of inline Markdown."""
    rendered = md.renderer(md.inline(inline_markdown, dict(state.env)), mistune.BlockState())
    return html.unescape(TAGS.sub("", rendered)).strip()


def create_markdown() -> mistune.Markdown:
    """Return the one Markdown parser the guide uses."""
    md = mistune.create_markdown(
        # Raw HTML and every link scheme pass through: pages are the author's
        # own, `check` reports unknown schemes, and the Content-Security-Policy
        # refuses inline script (javascript: links included) in the browser.
        escape=False,
        renderer=GuideRenderer(escape=False, allow_harmful_protocols=True),
        plugins=["table", "footnotes", "strikethrough", "task_lists", "url", "def_list"])
    md.before_render_hooks.append(add_heading_ids)
    return md


MARKDOWN = create_markdown()


def render_markdown(text: str) -> tuple[str, tuple]:
    """Return (html, toc) for a page's Markdown."""
    rendered, state = MARKDOWN.parse(text)
    return rendered, state.env["toc"]


FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def first_paragraph_text(page_html: str, limit: int = 200) -> str:
    """Return the first paragraph's text, shortened at a word to about limit."""
    match = FIRST_PARAGRAPH.search(page_html)
    if not match:
        return ""
    text = " ".join(html.unescape(TAGS.sub("", match.group(1))).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


###############################################################################
# The guide ###################################################################
###############################################################################

@dataclasses.dataclass(frozen=True, eq=False)
class Guide:
    """The ordered pages of a guide; immutable once built."""
    title: str
    description: str
    pages: tuple[Page, ...]       # the ordered guide (posts are not in it)
    posts: tuple[Page, ...]       # category: post, newest first
    by_slug: dict[str, Page]      # pages and posts
    positions: dict[str, int]     # slug -> index in pages
    redirects: dict[str, Page]    # old slug (redirect_from) -> page
    name_pieces: dict[str, list[Page]]  # three letters -> pages whose name has them

    @classmethod
    def from_pages(cls, pages: list[Page], title: str, description: str = "") -> "Guide":
        """Return a Guide with pages in order: by sort-order compared as a
        number, then pages without one by title; ties by title, then path."""
        ordered = sorted((page for page in pages if not page.is_post), key=lambda page: (
            page.sort_order is None, page.sort_order or 0, page.title.casefold(), page.path))
        posts = sorted((page for page in pages if page.is_post),
                       key=lambda post: (post.date, post.title), reverse=True)
        return cls(title=title, description=description, pages=tuple(ordered),
                   posts=tuple(posts), by_slug={page.slug: page for page in [*ordered, *posts]},
                   positions={page.slug: index for index, page in enumerate(ordered)},
                   redirects={name: page for page in pages for name in page.redirect_from},
                   name_pieces=index_name_pieces(ordered))

    @property
    def one_page(self) -> bool:
        """Return whether the guide is offered on one page (/all.html): a book
        of thousands of pages is no use as one, and would cost memory."""
        return len(self.pages) <= ALL_IN_ONE_LIMIT

    @property
    def all_pages(self) -> tuple[Page, ...]:
        """Return the guide's pages in order, then the posts."""
        return self.pages + self.posts

    def neighbours(self, page: Page) -> tuple[Page | None, Page | None]:
        """Return (previous page, next page) around page in guide order
        (posts have none: they are not part of the guide's order)."""
        if page.slug not in self.positions:
            return None, None
        index = self.positions[page.slug]
        previous = self.pages[index - 1] if index > 0 else None
        following = self.pages[index + 1] if index + 1 < len(self.pages) else None
        return previous, following

    def nav_window(self, page: Page | None) -> tuple[tuple[Page, ...], bool, bool]:
        """Return (pages, more before, more after): the whole guide when it is
        short, else NAV_LIMIT pages around page, so that a page's size does
        not grow with the size of the guide."""
        if len(self.pages) <= NAV_LIMIT:
            return self.pages, False, False
        index = self.positions.get(page.slug, 0) if page is not None else 0
        start = max(0, min(index - NAV_LIMIT // 2, len(self.pages) - NAV_LIMIT))
        end = start + NAV_LIMIT
        return self.pages[start:end], start > 0, end < len(self.pages)

    def closest(self, text: str, count: int = SUGGESTIONS) -> list[Page]:
        """Return the pages whose slugs or titles come closest to text.

        Only the pages sharing the most three-letter pieces with text are
        compared in full, so that a 404 costs little in a large guide."""
        text = text.lower()[:100]
        shared = collections.Counter(page for piece in name_pieces(text)
                                     for page in self.name_pieces.get(piece, ()))
        scored = []
        for page, _count in shared.most_common(NAME_CANDIDATES):
            similarity = max(difflib.SequenceMatcher(None, text, name).ratio()
                             for name in (page.slug.lower(), page.title.lower()))
            if similarity >= 0.5:
                scored.append((-similarity, self.positions[page.slug], page))
        return [page for _similarity, _position, page in sorted(scored)[:count]]


NAME_CANDIDATES = 50


def name_pieces(text: str) -> set[str]:
    """Return the three-letter pieces of text (padded, so short names have some)."""
    padded = f" {text} "
    return {padded[index:index + 3] for index in range(len(padded) - 2)}


def index_name_pieces(pages: list[Page]) -> dict[str, list[Page]]:
    """Return {three letters: pages whose slug or title contains them}."""
    index: dict[str, list[Page]] = {}
    for page in pages:
        for piece in name_pieces(page.slug.lower()) | name_pieces(page.title.lower()):
            index.setdefault(piece, []).append(page)
    return index


###############################################################################
# Searching ###################################################################
###############################################################################

# Ranking: BM25 over each page's words, where a word in the title counts as
# six in the body and one in a heading as three; then a bonus per query word
# found in the title (or a heading) that no amount of body text can reach,
# so that a title or heading match always beats a body match.
FIELD_WEIGHTS = {"title": 6, "headings": 3, "body": 1}
IN_TITLE, IN_HEADING = 1, 2
BM25_K1, BM25_B = 1.2, 0.75
FIELD_BONUS = {IN_TITLE: 2 * (BM25_K1 + 1), IN_HEADING: BM25_K1 + 1}
PREFIX_ONLY = 0.8        # a page that matches only a longer word counts a little less
QUERY_LIMIT = 200        # characters of a query that are read
QUERY_TERMS = 12         # terms of a query that are used
PREFIX_EXPANSIONS = 40   # words the last, unfinished word of a query may stand for
SEARCH_RESULTS = 20

WORD = re.compile(r"\w+")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
CJK_OR_OTHER = re.compile(CJK.pattern + r"|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                          r"\uac00-\ud7af\uf900-\ufaff]+")
COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Return text lower-cased and without accents ('Café' -> 'cafe')."""
    if not text.isascii():
        text = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text.lower()


def search_terms(text: str) -> list[str]:
    """Return the terms of text: folded words, and for Chinese, Japanese and
    Korean (written without spaces) every pair of adjacent characters."""
    folded = fold(text)
    if not CJK.search(folded):  # most text: just the words
        return WORD.findall(folded)
    terms = []
    for word in WORD.findall(folded):
        if not CJK.search(word):
            terms.append(word)
            continue
        for part in CJK_OR_OTHER.findall(word):
            if CJK.fullmatch(part) and len(part) > 1:
                terms.extend(part[index:index + 2] for index in range(len(part) - 1))
            else:
                terms.append(part)
    return terms


def page_term_counts(page: Page) -> dict[str, tuple[int, int]]:
    """Return {term: (weighted count, IN_TITLE | IN_HEADING flags)} for a page."""
    title = collections.Counter(search_terms(page.title))
    headings = collections.Counter(search_terms(" ".join(text for _l, _id, text in page.toc)))
    counts = {term: (count * FIELD_WEIGHTS["body"], 0) for term, count in
              collections.Counter(search_terms(page_text(page))).items()}
    for field, flag, found in [("headings", IN_HEADING, headings), ("title", IN_TITLE, title)]:
        for term, count in found.items():
            weighted, flags = counts.get(term, (0, 0))
            counts[term] = (weighted + count * FIELD_WEIGHTS[field], flags | flag)
    return counts


def page_text(page: Page) -> str:
    """Return the text a reader sees in a page's body (without the headings' # links)."""
    text = BLOCK_BREAK.sub(" ", SELF_LINK.sub("", page.html))
    return html.unescape(TAGS.sub("", text))


# Where words must not run together once the tags are gone.
BLOCK_BREAK = re.compile(r"</(?:p|li|h[1-6]|td|th|dt|dd|pre|blockquote|div|tr|table|section)>"
                         r"|<br\s*/?>|<(?:p|li|td|th|dt|dd|h[1-6])\b[^>]*>", re.I)


@dataclasses.dataclass(frozen=True)
class SearchResult:
    page: Page
    score: float
    snippet: str      # HTML: escaped text with the matched words in <mark>


class SearchIndex:
    """An inverted index of the guide, built once at start-up: for every
    term, the pages it occurs in, its weighted count and where it occurs
    (kept in compact arrays: a 10 000-page guide has millions of entries)."""

    def __init__(self, pages: tuple[Page, ...]):
        """Start an empty index of pages; add() each page's terms in order,
        then finish()."""
        self.pages = pages
        self.lengths = array.array("f")
        self.postings: dict[str, tuple[array.array, array.array, array.array]] = {}
        self.vocabulary: list[str] = []
        self.average_length = 1.0

    def add(self, counts: dict[str, tuple[int, int]]) -> None:
        """Add the next page's page_term_counts()."""
        number = len(self.lengths)
        self.lengths.append(sum(count for count, _flags in counts.values()))
        for term, (count, flags) in counts.items():
            if term not in self.postings:
                self.postings[term] = (array.array("I"), array.array("I"), array.array("B"))
            numbers, term_counts, term_flags = self.postings[term]
            numbers.append(number)
            term_counts.append(count)
            term_flags.append(flags)

    def finish(self) -> "SearchIndex":
        """Return the index, ready to search."""
        self.vocabulary = sorted(self.postings)
        if self.lengths:
            self.average_length = sum(self.lengths) / len(self.lengths)
        return self

    def search(self, query: str, limit: int = SEARCH_RESULTS
               ) -> tuple[list[SearchResult], list[str]]:
        """Return (results best first, the terms searched for).  Every term
        must match; the last one may also be the start of a longer word."""
        terms = list(dict.fromkeys(search_terms(query[:QUERY_LIMIT])))[:QUERY_TERMS]
        if not terms:
            return [], []
        scores: dict[int, float] | None = None
        for position, term in enumerate(terms):
            prefix = position == len(terms) - 1 and not CJK.search(term)
            words = [term, *self.words_starting_with(term)] if prefix else [term]
            term_scores = self.scores(term, words)
            scores = term_scores if scores is None else {
                number: score + term_scores[number]
                for number, score in scores.items() if number in term_scores}
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [SearchResult(self.pages[number], score, snippet(self.pages[number], terms))
                for number, score in best], terms

    def words_starting_with(self, prefix: str) -> list[str]:
        """Return up to PREFIX_EXPANSIONS longer words of the guide that start with prefix."""
        start = bisect.bisect_right(self.vocabulary, prefix)
        words = []
        for word in self.vocabulary[start:start + PREFIX_EXPANSIONS]:
            if not word.startswith(prefix):
                break
            words.append(word)
        return words

    def scores(self, term: str, words: list[str]) -> dict[int, float]:
        """Return {page number: score} for one query term matched by any of
        words (the term itself, or longer words it begins): BM25 over the
        pages' weighted counts, plus the title and heading bonuses."""
        found: dict[int, list[int]] = {}   # page -> [count, flags, exact]
        for word in words:
            numbers, counts, flags = self.postings.get(word, ((), (), ()))
            for number, count, where in zip(numbers, counts, flags):
                entry = found.setdefault(number, [0, 0, 0])
                entry[0] += count
                entry[1] |= where
                entry[2] |= word == term
        pages = len(self.pages)
        idf = math.log(1 + (pages - len(found) + 0.5) / (len(found) + 0.5))
        scores = {}
        for number, (count, where, exact) in found.items():
            norm = 1 - BM25_B + BM25_B * self.lengths[number] / self.average_length
            score = count * (BM25_K1 + 1) / (count + BM25_K1 * norm)
            score += max((bonus for flag, bonus in FIELD_BONUS.items() if where & flag),
                         default=0.0)
            scores[number] = idf * score * (1.0 if exact else PREFIX_ONLY)
        return scores


def snippet(page: Page, terms: list[str], width: int = 220) -> str:
    """Return HTML: about width characters of the page's text around the
    first match, escaped, with every matched word in <mark>."""
    text = " ".join(page_text(page).split())
    words = list(WORD.finditer(text))
    folded = [fold(match.group()) for match in words]
    last = terms[-1] if terms else ""

    def matches(word: str) -> bool:
        return (word in terms or (last and word.startswith(last))
                or any(term in word for term in terms if CJK.search(term)))
    first = next((match.start() for match, word in zip(words, folded) if matches(word)), 0)
    start = max(0, first - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    pieces, position = [], start
    for match, word in zip(words, folded):
        if match.start() < start or match.end() > end or not matches(word):
            continue
        pieces += [html.escape(text[position:match.start()]),
                   f"<mark>{html.escape(match.group())}</mark>"]
        position = match.end()
    pieces.append(html.escape(text[position:end]))
    return ("… " if start else "") + "".join(pieces) + (" …" if end < len(text) else "")


###############################################################################
# Responses ###################################################################
###############################################################################

@dataclasses.dataclass(frozen=True, slots=True)
class Variant:
    """One encoding of a response: its body and complete header lists."""
    body: bytes
    etag: str
    headers: list          # for 200 (or the resource's own status)
    not_modified_headers: list  # for 304


@dataclasses.dataclass(frozen=True, slots=True)
class Resource:
    """A complete answer kept in memory: identity and (optionally) gzip."""
    status: str
    identity: Variant
    gzipped: Variant | None
    last_modified: float | None

    def select(self, accept_encoding: str) -> Variant:
        """Return the variant to send for an Accept-Encoding header."""
        if self.gzipped is not None and accepts_gzip(accept_encoding):
            return self.gzipped
        return self.identity


def make_resource(body: bytes, content_type: str, cache_control: str,
                  last_modified: float | None = None, status: str = "200 OK",
                  extra_headers: Iterable[tuple[str, str]] = ()) -> Resource:
    """Return a Resource for body with its ETag, Last-Modified, security
    headers and, when it makes the body smaller, a gzip copy made now."""
    common = [("Cache-Control", cache_control), *SECURITY_HEADERS, *extra_headers]
    if last_modified is not None:
        common.append(("Last-Modified", email.utils.formatdate(last_modified, usegmt=True)))
    compressible = content_type.startswith(COMPRESSIBLE_TYPES)
    gzip_body = gzip.compress(body, compresslevel=6, mtime=0) if compressible else None
    if gzip_body is not None and len(gzip_body) > len(body) * 0.9:
        gzip_body = None  # not worth it; still vary, so caches store the right one
    if compressible:
        common.append(("Vary", "Accept-Encoding"))

    def variant(data: bytes, encoding: str | None) -> Variant:
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        headers = [("ETag", etag), *common]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        return Variant(data, etag, [("Content-Type", content_type),
                                    ("Content-Length", str(len(data))), *headers], headers)

    return Resource(status=status, identity=variant(body, None),
                    gzipped=variant(gzip_body, "gzip") if gzip_body else None,
                    last_modified=last_modified)


class Views:
    """The SimpleTemplate views, loaded once from views/ (or another folder)."""

    def __init__(self, views_dir: Path = VIEWS_DIR):
        self.views_dir = views_dir
        self.templates: dict[str, bottle.SimpleTemplate] = {}

    def render(self, name: str, **values) -> str:
        """Return the view filled with values.

        Views are the site owner's to edit, so a mistake in one is reported
        like a mistake in a page (`views/page.tpl:12: NameError: ...`)."""
        try:
            if name not in self.templates:
                self.templates[name] = bottle.SimpleTemplate(
                    name=name, lookup=[str(self.views_dir)])
            return self.templates[name].render(**values)
        except GuideErrors:
            raise
        except Exception as error:  # any mistake in a view's Python
            raise GuideErrors([self.describe(name, error)]) from None

    def describe(self, name: str, error: Exception) -> PageError:
        """Return a view's error as a PageError naming the view and line."""
        frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                  if frame.filename.endswith(".tpl")]
        if isinstance(error, SyntaxError) and str(error.filename).endswith(".tpl"):
            where, line = error.filename, error.lineno
        elif frames:
            where, line = frames[-1].filename, frames[-1].lineno
        else:
            where, line = str(self.views_dir / f"{name}.tpl"), None
        return PageError(display_path(Path(where)), line, f"{type(error).__name__}: {error}")

    def newest_mtime(self) -> float:
        return max(path.stat().st_mtime for path in self.views_dir.glob("*.tpl"))


def build_resources(guide: Guide, settings: Settings, views: Views,
                    static_dir: Path = STATIC_DIR, preview: "Preview | None" = None
                    ) -> tuple[dict[str, Resource], "SiteRenderer"]:
    """Return {url path: Resource} for every URL the site answers from
    memory, and the renderer that fills templates for the rest."""
    static = build_static_resources(static_dir, settings.max_age)
    renderer = SiteRenderer(guide, views, static.hashed_urls, settings, preview)
    page_cache = f"public, max-age={settings.max_age}"
    # Every page carries the guide's navigation, so any page file or view
    # can change any page: the newest of them is each page's Last-Modified.
    changed = max([views.newest_mtime(), *(page.mtime for page in guide.all_pages)])
    resources = dict(static.resources)
    # Each page's terms go into the index as its answer arrives, so that the
    # terms of all pages are never held at once.
    index = SearchIndex(guide.all_pages)
    built = map_in_processes(build_page, list(guide.all_pages), renderer, page_cache, changed)
    for page, (resource, counts) in zip(guide.all_pages, built):
        resources[page.url] = resource
        index.add(counts)
    renderer.search_index = index.finish()
    site_documents = {
        "/": (renderer.index(), HTML_TYPE),
        "/feed.atom": (renderer.feed(), "application/atom+xml; charset=utf-8"),
        "/sitemap.xml": (renderer.sitemap(), "application/xml; charset=utf-8"),
        "/robots.txt": (renderer.robots(), "text/plain; charset=utf-8"),
    }
    if guide.one_page:
        site_documents["/all.html"] = (renderer.all_in_one(), HTML_TYPE)
    if guide.posts:
        site_documents["/blog/"] = (renderer.blog(), HTML_TYPE)
    for url, (text, content_type) in site_documents.items():
        resources[url] = make_resource(text.encode(), content_type, page_cache, changed)
    # What a static host serves for unknown URLs (see `build`); the server
    # itself answers unknown URLs with suggestions (make_bottle_app).
    resources["/404.html"] = make_resource(
        renderer.error(404, "Page not found", "There is no page at this address.").encode(),
        HTML_TYPE, page_cache, changed, status="404 Not Found")
    return resources, renderer


def build_page(renderer: "SiteRenderer", cache_control: str, changed: float,
               page: Page) -> tuple[Resource, dict[str, int]]:
    """Return the Resource answering a page's URL and the page's search terms
    (both made here so that a process pool can share the work)."""
    resource = make_resource(renderer.page(page).encode(), HTML_TYPE, cache_control, changed)
    return resource, page_term_counts(page)


class SiteRenderer:
    """Fills the views with the guide; the only place templates are rendered."""

    def __init__(self, guide: Guide, views: Views, static_urls: dict[str, str],
                 settings: Settings = Settings(), preview: "Preview | None" = None):
        self.guide, self.views, self.static_urls = guide, views, static_urls
        self.site_url = settings.site_url.rstrip("/")
        self.edit_url = settings.edit_url
        self.preview = preview
        self.search_index = SearchIndex(())  # build_resources fills in the guide's

    def static_url(self, name: str) -> str:
        """Return the content-hashed URL of a file in static/."""
        return self.static_urls[name]

    def absolute(self, url: str) -> str:
        """Return url on the published site (site-absolute without --site-url)."""
        return self.site_url + url

    def layout_values(self, page: Page | None, title: str, description: str,
                      url: str | None) -> dict:
        nav_pages, more_before, more_after = self.guide.nav_window(page)
        return dict(guide=self.guide, title=title, description=description,
                    current=page, nav_pages=nav_pages, more_before=more_before,
                    more_after=more_after, static_url=self.static_url,
                    canonical=self.absolute(url) if self.site_url and url else None,
                    prev_page=None, next_page=None, preview=self.preview)

    def index(self) -> str:
        guide = self.guide
        return self.views.render("index", pages=guide.pages, posts=guide.posts[:5],
                                 **self.layout_values(None, guide.title, guide.description, "/"))

    def page(self, page: Page) -> str:
        previous, following = self.guide.neighbours(page)
        values = self.layout_values(page, page.title, page.summary, page.url)
        values.update(prev_page=previous, next_page=following)
        return self.views.render(
            "page", page=page, next_pages=[self.guide.by_slug[slug] for slug in page.next_slugs
                                           if slug in self.guide.by_slug],
            edit_link=self.edit_url + urllib.parse.quote(page.source) if self.edit_url else None,
            **values)

    def blog(self) -> str:
        return self.views.render("blog", posts=self.guide.posts, **self.layout_values(
            None, "Blog", f"News and articles from {self.guide.title}.", "/blog/"))

    def all_in_one(self) -> str:
        """Return the whole guide on one page, each page's ids made unique by
        prefixing its slug, and its links to other pages turned into links
        within this one."""
        slugs = {page.slug for page in self.guide.pages}
        sections = [(page, prefix_ids(page, slugs)) for page in self.guide.pages]
        return self.views.render("all", sections=sections, **self.layout_values(
            None, f"{self.guide.title}: all pages", self.guide.description, "/all.html"))

    def search(self, query: str) -> str:
        """Return the search page: the form, and results when query has words."""
        query = query[:QUERY_LIMIT]
        results, terms = self.search_index.search(query)
        title = f"Search: {query}" if query.strip() else "Search"
        return self.views.render("search", query=query, terms=terms, results=results,
                                 **self.layout_values(None, title, "", None))

    def search_data(self) -> str:
        """Return the index the exported site searches in the browser
        (static/search.js ranks it the way SearchIndex does)."""
        return json.dumps({
            "weights": FIELD_WEIGHTS, "k1": BM25_K1, "b": BM25_B,
            "bonus": {"title": FIELD_BONUS[IN_TITLE], "heading": FIELD_BONUS[IN_HEADING]},
            "prefixOnly": PREFIX_ONLY, "queryLimit": QUERY_LIMIT, "queryTerms": QUERY_TERMS,
            "prefixExpansions": PREFIX_EXPANSIONS, "results": SEARCH_RESULTS,
            "pages": [{"url": page.url, "title": page.title, "description": page.description,
                       "headings": " ".join(text for _level, _id, text in page.toc),
                       "text": " ".join(page_text(page).split())}
                      for page in self.guide.all_pages]},
            ensure_ascii=False, separators=(",", ":"))

    def error(self, status: int, heading: str, message: str,
              suggestions: list[Page] = ()) -> str:
        return self.views.render("error", status=status, heading=heading, message=message,
                                 suggestions=suggestions,
                                 **self.layout_values(None, heading, "", None))

    def feed(self) -> str:
        """Return an Atom feed (RFC 4287) of the posts, or, with no posts,
        of the guide's pages by their last change."""
        entries = list(self.guide.posts) or sorted(
            self.guide.pages, key=lambda page: page.updated, reverse=True)
        entries = entries[:FEED_ENTRIES]
        updated = max((page.updated for page in entries),
                      default=datetime.datetime.now(datetime.timezone.utc))
        return self.views.render("feed", guide=self.guide, entries=entries, updated=updated,
                                 absolute=self.absolute, atom_id=self.atom_id)

    def atom_id(self, url: str) -> str:
        """Return a permanent Atom id for a URL: the URL itself on a known
        site, else a name-based UUID (an id must be an absolute IRI)."""
        if self.site_url:
            return self.absolute(url)
        return uuid.uuid5(uuid.NAMESPACE_URL, f"guide:{self.guide.title}{url}").urn

    def sitemap(self) -> str:
        urls = ["/", *(page.url for page in self.guide.all_pages)]
        if self.guide.posts:
            urls.append("/blog/")
        return self.views.render("sitemap", urls=urls, absolute=self.absolute,
                                 updated={page.url: page.updated for page in self.guide.all_pages})

    def robots(self) -> str:
        """Return robots.txt: everything may be crawled; here is the sitemap
        (robots.txt needs an absolute sitemap URL, so only with --site-url)."""
        lines = ["User-agent: *", "Allow: /"]
        if self.site_url:
            lines.append(f"Sitemap: {self.absolute('/sitemap.xml')}")
        return "\n".join(lines) + "\n"


FEED_ENTRIES = 20
PAGE_LINK = re.compile(r"""(\b(?:href)\s*=\s*["'])/([A-Za-z0-9_-]+)\.html(?:#([^"']*))?(["'])""")
ID_OR_ANCHOR = re.compile(r"""(\b(?:id\s*=\s*["']|href\s*=\s*["']#))([^"']+)""")
HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")


def prefix_ids(page: Page, slugs: set[str]) -> str:
    """Return page.html ready to sit in all.html: ids and #anchors prefixed
    with the slug, links to other pages of the guide made in-page, and
    headings one level lower (the page's title is the section's heading)."""
    text = ID_OR_ANCHOR.sub(lambda match: f"{match.group(1)}{page.slug}--{match.group(2)}",
                            page.html)

    def in_page(match: re.Match) -> str:
        opening, slug, anchor, closing = match.groups()
        if slug not in slugs:
            return match.group(0)
        return f"{opening}#{slug}--{anchor}{closing}" if anchor else f"{opening}#{slug}{closing}"
    text = PAGE_LINK.sub(in_page, text)
    return HEADING_TAG.sub(lambda match: f"<{match.group(1)}h{min(int(match.group(2)) + 1, 6)}",
                           text)


@dataclasses.dataclass(frozen=True)
class StaticFiles:
    resources: dict[str, Resource]
    hashed_urls: dict[str, str]   # 'guide.css' -> '/static/guide.3f9a1c2b.css'


def build_static_resources(static_dir: Path, max_age: int) -> StaticFiles:
    """Return a Resource for every file in static_dir, under its plain URL
    and under a content-hashed URL that may be cached forever.

    The files are read once; a request can only ever name a file that was
    found here, so no request path can reach outside static_dir.  Symbolic
    links that lead outside it are skipped."""
    resources, hashed_urls = {}, {}
    root = static_dir.resolve()
    for path in sorted(static_dir.rglob("*")) if static_dir.is_dir() else []:
        if not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        name = path.relative_to(static_dir).as_posix()
        if any(part.startswith(".") for part in name.split("/")):
            continue
        body = path.read_bytes()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "xml")):
            content_type += "; charset=utf-8"
        digest = hashlib.sha256(body).hexdigest()[:10]
        suffix = PurePosixPath(name).suffix
        hashed = f"/static/{name.removesuffix(suffix)}.{digest}{suffix}"
        mtime = path.stat().st_mtime
        resources[wsgi_path(f"/static/{name}")] = make_resource(
            body, content_type, f"public, max-age={max_age}", mtime)
        resources[wsgi_path(hashed)] = make_resource(body, content_type, IMMUTABLE, mtime)
        hashed_urls[name] = urllib.parse.quote(hashed)
    return StaticFiles(resources, hashed_urls)


def wsgi_path(path: str) -> str:
    """Return path as PATH_INFO carries it: UTF-8 bytes read as Latin-1 (PEP 3333)."""
    return path.encode("utf-8").decode("latin-1")


###############################################################################
# HTTP ########################################################################
###############################################################################

def make_app(guide: Guide, settings: Settings = Settings(), views: Views | None = None,
             static_dir: Path = STATIC_DIR, preview: "Preview | None" = None) -> "GuideApp":
    """Return the WSGI application serving guide (with the live-reload
    script and problem banner when preview is given)."""
    views = views or Views()
    resources, renderer = build_resources(guide, settings, views, static_dir, preview)
    error_pages = build_error_pages(renderer)
    return GuideApp(resources, error_pages,
                    make_bottle_app(guide, renderer, error_pages, settings.max_age))


def build_error_pages(renderer: "SiteRenderer") -> dict[int, Resource]:
    """Return the error answers that do not depend on the request."""
    return {
        status: make_resource(renderer.error(status, heading, message).encode(), HTML_TYPE,
                              "no-store", status=f"{status} {reason}",
                              extra_headers=[("Allow", "GET, HEAD")] if status == 405 else [])
        for status, reason, heading, message in [
            (400, "Bad Request", "Bad request", "The request was not understood."),
            (405, "Method Not Allowed", "Method not allowed",
             "This site only answers GET and HEAD requests."),
            (500, "Internal Server Error", "Something went wrong",
             "The server met an unexpected problem; it has been logged."),
        ]}


class GuideApp:
    """The WSGI application: answers from memory first, then Bottle.

    Almost every request names a URL whose complete answer was built at
    start-up; for those, a dictionary lookup and a few header checks are the
    whole cost (Bottle's request and response objects would cost more than
    everything else together).  Searches, redirects, 404 pages and any error
    go to the Bottle application."""

    def __init__(self, resources: dict[str, Resource], error_pages: dict[int, Resource],
                 fallback: bottle.Bottle):
        self.resources = resources
        self.fallback = fallback
        self.method_not_allowed = error_pages[405]
        self.bad_request = error_pages[400]

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        if method != "GET" and method != "HEAD":
            return self.respond(self.method_not_allowed, environ, start_response)
        if not valid_host(environ.get("HTTP_HOST"), environ.get("SERVER_PROTOCOL")):
            return self.respond(self.bad_request, environ, start_response)
        resource = self.resources.get(environ.get("PATH_INFO", ""))
        if resource is None:
            return self.fallback(environ, with_security_headers(start_response))
        return self.respond(resource, environ, start_response)

    @staticmethod
    def respond(resource: Resource, environ: dict, start_response: Callable) -> list[bytes]:
        """Answer with resource: 304 when the client's copy is current
        (RFC 9110 section 13), the body unless the method is HEAD."""
        variant = resource.select(environ.get("HTTP_ACCEPT_ENCODING", ""))
        if resource.status == "200 OK" and not_modified(environ, variant.etag,
                                                        resource.last_modified):
            start_response("304 Not Modified", variant.not_modified_headers)
            return []
        start_response(resource.status, variant.headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [variant.body]


# RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request
# without Host, with more than one (waitress joins repeats with ", "), or
# with an invalid one.  uri-host is a reg-name or an IP literal (RFC 3986).
HOST = re.compile(r"(?:[A-Za-z0-9._~%!$&'()*+,;=-]*|\[[0-9A-Fa-f:.]+\])(?::[0-9]*)?")


@functools.lru_cache(maxsize=256)
def valid_host(host: str | None, protocol: str | None) -> bool:
    """Return whether a request's Host header is acceptable."""
    if host is None:
        return protocol != "HTTP/1.1"
    return HOST.fullmatch(host) is not None


@functools.lru_cache(maxsize=256)
def accepts_gzip(accept_encoding: str) -> bool:
    """Return whether an Accept-Encoding header admits gzip (RFC 9110
    section 12.5.3): named with q > 0, or '*' with q > 0 and not named."""
    named = star = None
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        coding = coding.strip()
        if coding in ("gzip", "x-gzip"):
            named = max(named or 0.0, quality(params))
        elif coding == "*":
            star = quality(params)
    if named is not None:
        return named > 0
    return bool(star)


def quality(params: str) -> float:
    """Return the q value in `;q=0.5`-style parameters (1 when absent or bad)."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 1.0
    return 1.0


def not_modified(environ: dict, etag: str, last_modified: float | None) -> bool:
    """Return whether a GET or HEAD may be answered 304 (RFC 9110 13.2.2):
    If-None-Match decides when present (weak comparison, lists, '*'),
    else If-Modified-Since compared with Last-Modified."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        opaque = etag.removeprefix("W/")
        return any(candidate.strip().removeprefix("W/") == opaque
                   for candidate in if_none_match.split(","))
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False  # an invalid date is ignored
    return int(last_modified) <= since


def with_security_headers(start_response: Callable) -> Callable:
    """Return start_response that adds the security headers Bottle does not."""
    def start(status, headers, exc_info=None):
        names = {name.lower() for name, _ in headers}
        headers = [*headers, *(header for header in SECURITY_HEADERS
                               if header[0].lower() not in names)]
        return start_response(status, headers, exc_info)
    return start


def make_bottle_app(guide: Guide, renderer: SiteRenderer, error_pages: dict[int, Resource],
                    max_age: int = Settings.max_age) -> bottle.Bottle:
    """Return the Bottle application for what is not answered from memory:
    searches, redirects to pages, 404 pages with suggestions, and errors."""
    app = bottle.Bottle(catchall=True)
    cache_control = f"public, max-age={max_age}"
    # The search page without a query is the one `build` exports, byte for byte.
    empty_search = renderer.search("").encode()

    @app.get("/search")
    @app.get("/search.html")
    def search_page():
        """Answer a search from the server: the page works without JavaScript."""
        query = bottle.request.query.getunicode("q", default="") or ""
        bottle.response.set_header("Cache-Control", cache_control)
        if not query.strip():
            return empty_search
        return renderer.search(query)

    @functools.cache
    def search_data() -> bytes:
        return renderer.search_data().encode()

    @app.get("/search-index.json")
    def search_index_file():
        """The index that the exported site searches in the browser.  It is
        made on the first request and then kept: only static copies of the
        site fetch it (`build` asks for it), and for a large guide it is
        large, so start-up does not pay for it."""
        bottle.response.content_type = "application/json"
        bottle.response.set_header("Cache-Control", cache_control)
        return search_data()

    @app.get("/search.json")
    def search_json():
        query = (bottle.request.query.getunicode("q", default="") or "")[:QUERY_LIMIT]
        results, terms = renderer.search_index.search(query)
        bottle.response.content_type = "application/json"
        bottle.response.set_header("Cache-Control", cache_control)
        return json.dumps({"query": query, "terms": terms, "results": [
            {"url": result.page.url, "title": result.page.title,
             "description": result.page.description, "snippet": result.snippet,
             "score": round(result.score, 4)} for result in results]})

    @app.get("/<name>")
    @app.get("/<name>/")
    def redirect_to_page(name):
        """Redirect /slug and /slug/ to /slug.html, and a page's old names
        (redirect_from) with or without .html to its URL."""
        slug = name.removesuffix(".html")
        page = guide.redirects.get(slug)
        if page is None and slug == name:
            page = guide.by_slug.get(slug)
        if name == "blog" and guide.posts:
            raise bottle.HTTPResponse(status=301, Location="/blog/")
        if page is None:
            raise bottle.HTTPError(404)
        # The Location comes from our own page's URL, never from the request
        # path (CPython's http.server built it from the path and sent
        # '//evil.example' off-site: CVE-2021-28861).
        raise bottle.HTTPResponse(status=301, Location=page.url,
                                  Cache_Control="public, max-age=86400")

    @app.error(404)
    def not_found(error):
        path = bottle.request.path
        name = path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        bottle.response.set_header("Cache-Control", "no-store")
        return renderer.error(404, "Page not found",
                              f"There is no page at {path}.", guide.closest(name))

    @app.error(500)
    def server_error(error):
        # Bottle has already written the traceback to wsgi.errors (stderr).
        bottle.response.set_header("Cache-Control", "no-store")
        return error_pages[500].identity.body

    return app


def request_from(app: Callable, path: str) -> tuple[str, bytes]:
    """Return (status, body) of app's answer to GET path, called the way a
    server calls it (path in PATH_INFO form: see wsgi_path)."""
    environ = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path,
               "QUERY_STRING": "", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}
    status = []
    body = b"".join(app(environ, lambda code, headers, exc_info=None: status.append(code)))
    return status[0], body


###############################################################################
# Checking links ##############################################################
###############################################################################

@dataclasses.dataclass
class LinkReport:
    """What `check` found beyond the loading rules."""
    pages: int
    links: int
    problems: list[PageError]

    @property
    def broken(self) -> int:
        return sum(not problem.warning for problem in self.problems)

    @property
    def warnings(self) -> int:
        return sum(problem.warning for problem in self.problems)

    def summary(self) -> str:
        return (f"{plural(self.pages, 'page')}, {plural(self.links, 'link')}, "
                f"{self.broken} broken, {plural(self.warnings, 'warning')}")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def check_links(guide: Guide, app: "GuideApp") -> LinkReport:
    """Return every broken link, missing anchor and warning in the guide.

    A link is good when the site answers it (pages, static files, the index,
    the search page, a redirect...) and, for `#anchor`, when the target page
    has an element with that id.  Links to other sites
    are only checked for being well-formed: nothing is fetched."""
    problems, linked_slugs, count = [], set(), 0
    ids_cache: dict[str, set[str]] = {}
    for page in guide.all_pages:
        lines = Path(page.file).read_text(encoding="utf-8").split("\n")
        authored = SELF_LINK.sub("", page.html)  # the headings' own # links are ours
        targets = [html.unescape(target) for target in LINK_TARGET.findall(authored)]
        count += len(targets)
        for target, line in zip(targets, source_lines(lines, page.body_line, targets)):
            problem, slug = check_link(guide, app, page, target, ids_cache)
            if problem:
                problems.append(PageError(page.path, line, f"broken link {target}: {problem}"))
            if slug and slug != page.slug:
                linked_slugs.add(slug)
        for image, line in zip(*images_without_alt(page, lines)):
            problems.append(PageError(page.path, line, f"image {image} has no alt text",
                                      warning=True))
    problems += find_unreachable_pages(guide, linked_slugs)
    problems += find_duplicate_sort_orders(guide)
    return LinkReport(len(guide.all_pages), count, sorted(problems, key=PageError.sort_key))


LINK_TARGET = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""")
ELEMENT_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
IMAGE = re.compile(r"<img\b[^>]*>", re.I)
ALT = re.compile(r"""\balt\s*=\s*["']\s*[^"'\s]""")
SCHEMES = {"http", "https", "mailto", "tel", "ftp", "ftps", "irc", "ircs", "data"}


def check_link(guide: Guide, app: "GuideApp", page: Page, target: str,
               ids_cache: dict) -> tuple[str | None, str | None]:
    """Return (what is wrong or None, slug of the page linked to or None)."""
    try:
        parts = urllib.parse.urlsplit(target)
        parts.port  # raises ValueError for a port that is not a number
    except ValueError as error:
        return f"malformed URL ({error})", None
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in SCHEMES:
            return f"unknown scheme {parts.scheme!r}", None
        if parts.scheme.lower() in ("http", "https") and not valid_host(parts.netloc, None):
            return f"malformed host {parts.netloc!r}", None
        if parts.scheme.lower() in ("http", "https") and not parts.netloc:
            return "no host after the scheme", None
        return None, None
    path = urllib.parse.urljoin(page.url, parts.path) if parts.path else page.url
    path = wsgi_path(urllib.parse.unquote(path))
    target_page = page_at(guide, path)
    if (path not in app.resources and target_page is None
            and not request_from(app, path)[0].startswith(("200", "301"))):
        if path.startswith("/static/"):
            return f"no file {path.removeprefix('/')!r}", None
        name = path.strip("/").rsplit("/", 1)[-1].removesuffix(".html")
        return f"no page {name!r}", None
    fragment = urllib.parse.unquote(parts.fragment)
    url = target_page.url if target_page else path
    if fragment and url in app.resources and url.endswith((".html", "/")):
        if url not in ids_cache:
            body = app.resources[url].identity.body.decode("utf-8", "replace")
            ids_cache[url] = set(ELEMENT_ID.findall(body))
        if fragment not in ids_cache[url]:
            where = f"page {target_page.slug!r}" if target_page else f"{url!r}"
            return f"{where} has no heading {fragment!r}", None
    return None, target_page.slug if target_page else None


def page_at(guide: Guide, path: str) -> Page | None:
    """Return the page a site path leads to, directly or by a redirect."""
    name = path.strip("/")
    if "/" in name:
        return None
    if name.endswith(".html"):
        slug = name.removesuffix(".html")
        return guide.by_slug.get(slug) or guide.redirects.get(slug)
    return guide.by_slug.get(name) or guide.redirects.get(name)


def source_lines(lines: list[str], body_line: int, targets: list[str]) -> list[int]:
    """Return, for each link target in order, the line of the file where it
    is written (each repeat of a target is looked for after the last one)."""
    found, resume = [], {}
    for target in targets:
        start = resume.get(target, body_line - 1)
        line = next((index for index in range(start, len(lines)) if target in lines[index]),
                    None)
        if line is None:  # written differently in the Markdown (escaped, say)
            line = next((index for index in range(body_line - 1, len(lines))
                         if target in lines[index]), body_line - 1)
        resume[target] = line + 1
        found.append(line + 1)
    return found


def images_without_alt(page: Page, lines: list[str]) -> tuple[list[str], list[int]]:
    """Return the sources of the page's images that have no alt text, and their lines."""
    sources = [html.unescape(match.group(1) if match else "")
               for tag in IMAGE.findall(page.html) if not ALT.search(tag)
               for match in [re.search(r"""\bsrc\s*=\s*["']([^"']*)["']""", tag)]]
    return sources, source_lines(lines, page.body_line, sources)


def find_unreachable_pages(guide: Guide, linked_slugs: set[str]) -> list[PageError]:
    """Return a warning for each page outside the ordered guide that no page links to."""
    return [PageError(page.path, 1, f"page {page.slug!r} has no sort-order and no page "
                                    "links to it", warning=True)
            for page in guide.pages
            if page.sort_order is None and page.slug not in linked_slugs]


def find_duplicate_sort_orders(guide: Guide) -> list[PageError]:
    """Return a warning for each page whose sort-order an earlier page has."""
    warnings, first = [], {}
    for page in guide.pages:
        if page.sort_order is None:
            continue
        if page.sort_order in first:
            other = first[page.sort_order]
            line = page.field_lines.get("sort-order", 1)
            warnings.append(PageError(page.path, line, f"sort-order {page.sort_order:g} is "
                                                       f"also used by {other.path}", warning=True))
        else:
            first[page.sort_order] = page
    return warnings


###############################################################################
# Static export ###############################################################
###############################################################################

BUILD_MARKER = ".guide-build"  # lists the files a build wrote, one per line


def export_files(guide: Guide, app: "GuideApp", views: "Views") -> dict[str, bytes]:
    """Return {relative file path: bytes} for the whole site as static files.

    Each file is the body the server answers for the same URL ('/' is
    index.html), so the export and the server cannot drift apart.  Old
    names from redirect_from become small pages that send the reader on
    (a static host cannot answer 301)."""
    files = {}
    for url, resource in app.resources.items():
        if resource.status == "200 OK" or url == "/404.html":
            name = url.encode("latin-1").decode("utf-8")[1:]
            files[name + "index.html" if url.endswith("/") else name] = resource.identity.body
    files["search.html"] = ask(app, "/search.html")
    files["search-index.json"] = ask(app, "/search-index.json")
    for name, page in guide.redirects.items():
        files[f"{name}.html"] = views.render("redirect", page=page, guide=guide).encode()
    return files


def ask(app: Callable, path: str) -> bytes:
    """Return the body app answers to GET path, which must be found."""
    status, body = request_from(app, path)
    if not status.startswith("200"):
        raise RuntimeError(f"the app answered {status!r} for {path}")
    return body


def build(settings: Settings) -> int:
    """Write the site into settings.out; return the exit status."""
    guide = load_guide(settings.pages_dir, settings.drafts)
    views = Views()
    app = make_app(guide, settings, views)
    if settings.strict:
        report = check_links(guide, app)
        if report.broken:
            for problem in report.problems:
                print(problem, file=sys.stderr)
            print(f"{report.summary()}; nothing written (--strict)", file=sys.stderr)
            return 1
    files = export_files(guide, app, views)
    refusal = refuse_output_folder(settings.out, settings.pages_dir, settings.force)
    if refusal:
        print(f"{settings.out}: {refusal}", file=sys.stderr)
        return 2
    written, unchanged, removed = write_files(settings.out, files)
    size = sum(len(files[name]) for name in written)
    print(f"wrote {plural(len(written), 'file')}, {size / 1024:.0f} kB into {settings.out}"
          + (f"; {unchanged} unchanged" if unchanged else "")
          + (f"; removed {plural(removed, 'stale file')}" if removed else ""))
    return 0


def refuse_output_folder(out: Path, pages_dir: Path, force: bool) -> str | None:
    """Return why out may not receive a build, or None if it may."""
    target = out.resolve()
    for source in (pages_dir.resolve(), VIEWS_DIR, STATIC_DIR):
        if target == source or target.is_relative_to(source) or source.is_relative_to(target):
            return f"refusing to build over or around {display_path(source)}; choose another folder"
    if target.is_file():
        return "is a file, not a folder"
    if (target.is_dir() and any(target.iterdir()) and not (target / BUILD_MARKER).is_file()
            and not force):
        return "is not empty and was not made by guide.py build; use --force to write into it"
    return None


def write_files(out: Path, files: dict[str, bytes]) -> tuple[list[str], int, int]:
    """Write files into out; return (names written, count unchanged, count removed).

    A file whose bytes did not change is left alone (its time stays, so
    rsync and caches see no change); files a previous build wrote that are
    no longer part of the site are removed; nothing else is touched."""
    marker = out / BUILD_MARKER
    previous = marker.read_text(encoding="utf-8").splitlines() if marker.is_file() else []
    written, unchanged = [], 0
    for index, (name, body) in enumerate(sorted(files.items()), start=1):
        path = out / name
        if len(files) > 1000 and index % 500 == 0:
            print(f"\rwriting {index}/{len(files)}", end="", file=sys.stderr, flush=True)
        if path.is_file() and path.read_bytes() == body:
            unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".guide-tmp")
        temporary.write_bytes(body)
        temporary.replace(path)  # readers never see half a file
        written.append(name)
    if len(files) > 1000:
        print(file=sys.stderr)
    removed = 0
    for name in set(previous) - set(files):
        path = out / name
        if path.is_file() and path.resolve().is_relative_to(out.resolve()):
            path.unlink()
            removed += 1
    marker.write_text("".join(f"{name}\n" for name in sorted(files)), encoding="utf-8")
    return written, unchanged, removed


###############################################################################
# Live reload #################################################################
###############################################################################

@dataclasses.dataclass(frozen=True)
class Preview:
    """What pages show in reload mode: the build they belong to, for the
    reload script, and the guide's current problems, for the banner."""
    build: int
    problems: tuple[str, ...]


RELOAD_SCRIPT = b"""// guide.py --reload: reload this page when the site is rebuilt.
(function () {
  var build = document.currentScript.getAttribute("data-build");
  function poll() {
    fetch("/_reload", {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (current) {
        if (current !== build) { location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 1000); });  // restarting: try again
  }
  setTimeout(poll, 1000);
})();
"""


class LiveGuide:
    """The WSGI application of `serve --reload`: a watcher thread rebuilds
    the site when a file in pages/, views/ or static/ changes.

    Only changed page files are read again.  A page saved with a mistake
    keeps its last good version on the site; the mistake is printed on
    stderr and shown in a banner on every page until it is mended.  Each
    rebuild makes a new GuideApp and swaps one reference, so a request sees
    either the old site or the new one, never half of each."""

    def __init__(self, settings: Settings, views_dir: Path = VIEWS_DIR,
                 static_dir: Path = STATIC_DIR, interval: float = 0.5, log=None):
        self.settings, self.views_dir, self.static_dir = settings, views_dir, static_dir
        self.interval, self.log = interval, log or sys.stderr
        self.read_cache: dict[Path, tuple] = {}   # file -> (stamp, read_page(file))
        self.last_good: dict[Path, Page] = {}
        self.build = 0
        self.app: GuideApp | None = None
        self.stamps = self.scan()
        self.stopping = threading.Event()
        problems = self.rebuild()
        if self.app is None:  # not even a first version to show
            raise GuideErrors(problems)

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        path = environ.get("PATH_INFO") if environ["REQUEST_METHOD"] in ("GET", "HEAD") else None
        if path == "/_reload":
            return self.answer(start_response, str(self.build).encode(), "text/plain")
        if path == "/_reload.js":
            return self.answer(start_response, RELOAD_SCRIPT, "text/javascript")
        return self.app(environ, start_response)

    @staticmethod
    def answer(start_response: Callable, body: bytes, content_type: str) -> list[bytes]:
        start_response("200 OK", [("Content-Type", content_type + "; charset=utf-8"),
                                  ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store"), *SECURITY_HEADERS])
        return [body]

    def watch(self) -> None:
        """Rebuild whenever a watched file changes, until stop() is called."""
        while not self.stopping.wait(self.interval):
            stamps = self.scan()
            if stamps != self.stamps:
                self.stamps = stamps
                try:
                    self.rebuild()
                except Exception:  # a bug, not a mistake in a page: say so, keep watching
                    traceback.print_exc(file=self.log)

    def stop(self) -> None:
        self.stopping.set()

    def scan(self) -> dict[str, tuple[int, int]]:
        """Return {path: (modification time, size)} for every watched file."""
        stamps = {}
        for folder in (self.settings.pages_dir, self.views_dir, self.static_dir):
            for root, _folders, names in os.walk(folder):
                for name in names:
                    path = os.path.join(root, name)
                    try:
                        status = os.stat(path)
                    except FileNotFoundError:  # removed while we looked
                        continue
                    stamps[path] = (status.st_mtime_ns, status.st_size)
        return stamps

    def rebuild(self) -> list[PageError]:
        """Build the site again from what is on disk now, swap it in, and
        return the problems found."""
        started = time.perf_counter()
        pages, problems = self.read_current_pages()
        guide = Guide.from_pages(pages, **self.guide_config(problems))
        problems = sorted(problems, key=PageError.sort_key)
        preview = Preview(self.build + 1, tuple(map(str, problems)))
        try:
            app = make_app(guide, self.settings, Views(self.views_dir), self.static_dir, preview)
        except GuideErrors as view_problems:  # a broken view: keep the last good site
            problems += view_problems.errors
        else:
            self.app, self.build = app, preview.build
        for problem in problems:
            print(problem, file=self.log)
        print(f"{'built' if self.build == 1 else 'rebuilt'} {plural(len(pages), 'page')} "
              f"in {time.perf_counter() - started:.2f} s"
              + (f", {plural(len(problems), 'problem')}" if problems else ""),
              file=self.log, flush=True)
        return problems

    def read_current_pages(self) -> tuple[list[Page], list[PageError]]:
        """Return the pages to serve and the problems found, re-reading only
        the files that changed and keeping the last good version of a page
        that now has a mistake."""
        files = find_page_files(self.settings.pages_dir)
        stamps = {path: file_stamp(path) for path in files}  # before reading: a save
        stale = [path for path in files                       # during it is seen next time
                 if self.read_cache.get(path, (None,))[0] != stamps[path]]
        for path, result in zip(stale, read_pages(stale, self.settings.pages_dir)):
            self.read_cache[path] = (stamps[path], result)
        for gone in set(self.read_cache) - set(files):
            del self.read_cache[gone]
            self.last_good.pop(gone, None)
        pages, problems = [], []
        for path in files:
            page, errors = self.read_cache[path][1]
            problems += errors
            if page is not None:
                self.last_good[path] = page
            page = self.last_good.get(path)
            if page is not None and (self.settings.drafts or not page.draft):
                pages.append(page)
        duplicates = find_duplicate_slugs(pages)
        clashing = {problem.path for problem in duplicates}
        pages = [page for page in pages if page.path not in clashing]
        return pages, problems + duplicates + find_unknown_next_pages(pages)

    def guide_config(self, problems: list[PageError]) -> dict:
        path = self.settings.pages_dir / GUIDE_CONFIG_NAME
        try:
            config = read_guide_config(path) if path.is_file() else {}
        except PageError as error:
            problems.append(error)
            config = {}
        return {"title": config.get("title", DEFAULT_GUIDE_TITLE),
                "description": config.get("description", "")}


def file_stamp(path: Path) -> tuple[int, int] | None:
    """Return (modification time, size) of a file, or None if it is gone."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_mtime_ns, status.st_size


###############################################################################
# Serving #####################################################################
###############################################################################

class AccessLog:
    """WSGI middleware writing one combined-log-format line per request
    (but for unlogged_paths, such as reload mode's once-a-second poll)."""

    def __init__(self, app: Callable, stream=None, unlogged_paths: Iterable[str] = ()):
        self.app, self.stream = app, stream or sys.stderr
        self.unlogged_paths = frozenset(unlogged_paths)

    def __call__(self, environ: dict, start_response: Callable):
        if environ.get("PATH_INFO") in self.unlogged_paths:
            return self.app(environ, start_response)
        seen = {}

        def start(status, headers, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            seen["length"] = next((value for name, value in headers
                                   if name.lower() == "content-length"), "-")
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        if environ["REQUEST_METHOD"] == "HEAD":
            seen["length"] = "0"
        self.stream.write(access_log_line(environ, seen.get("status", "-"),
                                          seen.get("length", "-")))
        return body


def access_log_line(environ: dict, status: str, length: str) -> str:
    """Return a combined-log-format line; request values are escaped so
    that nothing a client sends can forge a line."""
    request_line = "{} {} {}".format(
        environ.get("REQUEST_METHOD", "-"), environ.get("REQUEST_URI")
        or environ.get("PATH_INFO", ""), environ.get("SERVER_PROTOCOL", "-"))
    return '{} - - [{}] "{}" {} {} "{}" "{}"\n'.format(
        environ.get("REMOTE_ADDR", "-"), log_time(int(time.time())),
        log_escape(request_line), status, length,
        log_escape(environ.get("HTTP_REFERER", "-")),
        log_escape(environ.get("HTTP_USER_AGENT", "-")))


@functools.lru_cache(maxsize=4)
def log_time(seconds: int) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(seconds))


def log_escape(text: str) -> str:
    """Return text with quotes, backslashes and non-printable characters escaped."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return text  # the usual case, checked at C speed
    return "".join(
        character if character.isprintable() and character not in '"\\'
        else f"\\x{ord(character):02x}" if ord(character) < 256 else f"\\u{ord(character):04x}"
        for character in text)


def serve(settings: Settings) -> int:
    """Serve the guide under waitress until Ctrl-C or SIGTERM."""
    if settings.reload:
        app = LiveGuide(settings)
        threading.Thread(target=app.watch, name="guide-watcher", daemon=True).start()
        what = f"{display_path(settings.pages_dir)} with live reload"
    else:
        guide = load_guide(settings.pages_dir, settings.drafts)
        app = make_app(guide, settings)
        what = f"{plural(len(guide.pages), 'page')} of {guide.title!r}"
    # Bind first, so that a port in use or an unknown address is reported
    # before waitress starts any thread.
    host = f"[{settings.host}]" if ":" in settings.host else settings.host  # IPv6
    listener = socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET)
    if os.name == "posix":  # restart at once after a stop (on Windows it means more)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((settings.host, settings.port))
        listener.listen(1024)
    except OSError as error:
        listener.close()
        print(f"cannot listen on {host}:{settings.port}: {error.strerror or error}",
              file=sys.stderr)
        return 2
    server = waitress.create_server(
        app if settings.quiet else AccessLog(app, unlogged_paths=["/_reload"]),
        sockets=[listener], threads=settings.threads, **WAITRESS_LIMITS)
    # Under load every request waits a moment for a thread, and waitress
    # would log "Task queue depth is N" for each; answers from memory drain
    # the queue in microseconds, so that warning is noise here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    signal.signal(signal.SIGTERM, stop_on_signal)
    print(f"Serving {what} on "
          f"http://{host}:{listener.getsockname()[1]}/  (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    server.run()  # returns when SIGTERM or Ctrl-C interrupts it
    server.close()
    print("Stopped.", file=sys.stderr)
    return 0


def stop_on_signal(signum, frame):
    """Turn SIGTERM into the KeyboardInterrupt waitress stops cleanly on."""
    raise KeyboardInterrupt


###############################################################################
# Command line ################################################################
###############################################################################

def main(argv: list[str] | None = None) -> int:
    """Run `python guide.py [serve|check|build] ...`; return the exit status."""
    try:
        settings = read_settings(sys.argv[1:] if argv is None else argv, os.environ)
        if settings.command == "check":
            return check(settings)
        if settings.command == "build":
            return build(settings)
        return serve(settings)
    except GuideErrors as problems:
        print(problems, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def check(settings: Settings) -> int:
    """Load every page, follow every link, print every problem; return 1
    if any is an error (warnings alone return 0)."""
    try:
        guide = load_guide(settings.pages_dir, settings.drafts)
        report = check_links(guide, make_app(guide, settings))
    except GuideErrors as problems:
        report = LinkReport(0, 0, problems.errors)
        summary = f"{plural(len(problems.errors), 'problem')} found; links are checked " \
                  "once the pages load"
    else:
        summary = report.summary()
    if settings.format == "json":
        print(json.dumps({"pages": report.pages, "links": report.links,
                          "broken": report.broken, "warnings": report.warnings,
                          "problems": [problem.as_dict() for problem in report.problems]},
                         indent=2))
    else:
        for problem in report.problems:
            print(problem)
        print(summary)
    return 1 if report.broken else 0


###############################################################################
# The WSGI entry point ########################################################
###############################################################################

def load_app_from_environment() -> GuideApp:
    """Return the app for a WSGI host, configured by GUIDE_* variables.

    A guide with problems stops the host at start-up, with the same
    file:line list as `check`, rather than serving a half-loaded site."""
    try:
        settings = read_settings(None, os.environ)
        return make_app(load_guide(settings.pages_dir, settings.drafts), settings)
    except GuideErrors as problems:
        print(problems, file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    sys.exit(main())

# `waitress-serve guide:app`, `gunicorn guide:app`, mod_wsgi's `application`.
app = application = load_app_from_environment()
