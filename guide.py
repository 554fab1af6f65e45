"""guide.py: serve a folder of Markdown pages as an ordered guide website.

One module, read top to bottom in the order the data flows: configuration,
errors, loading pages, using every core, rendering Markdown (with the
callouts, tabs and template tags of other tools), the render cache, the
guide, searching, responses, HTTP, checking links, the static export, live
reload, serving, the command line, and the WSGI entry point.

    python guide.py                  serve pages/ at http://127.0.0.1:8080/
    python guide.py serve --reload   preview: rebuild and refresh tabs on save
    python guide.py check            every problem in every page and link
    python guide.py build site/      the whole site as static files
    waitress-serve guide:app         (or gunicorn guide:app; mod_wsgi: see README)

A page is a Markdown file that starts with `key: value` lines, then a blank line:

    title: Web Frameworks
    sort-order: 08

    A web application framework is ...

(or with YAML between `---` lines, or TOML between `+++` lines, as pages
written for Jekyll, Hugo, MkDocs or Docusaurus do).

All the work happens once, at start-up: every page is parsed, rendered into
the layout and compressed, and each URL's answer is kept as bytes; what was
rendered before, with the same Markdown, comes from the render cache.
Serving a request is a dictionary lookup plus headers.

Licence: MIT.
"""

import argparse
import array
import bisect
import collections
import contextlib
import dataclasses
import datetime
import difflib
import email.utils
import fnmatch
import functools
import gc
import gzip
import hashlib
import html
import html.parser
import io
import itertools
import json
import logging
import math
import mimetypes
import multiprocessing
import os
import pickle
import posixpath
import re
import signal
import socket
import sqlite3
import string
import subprocess
import sys
import threading
import time
import tomllib
import traceback
import unicodedata
import urllib.parse
import uuid
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

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
try:  # Optional: $formulas$ as MathML; without it they show as code.
    import latex2mathml
    import latex2mathml.converter
except ImportError:
    latex2mathml = None


###############################################################################
# Configuration ###############################################################
###############################################################################

HERE = Path(__file__).resolve().parent
VIEWS_DIR = HERE / "views"
STATIC_DIR = HERE / "static"
DEFAULT_PAGES_DIR = HERE / "pages"

PAGE_SUFFIXES = (".md", ".markdown")
GUIDE_CONFIG_NAME = "guide.toml"  # optional: in the guide folder (or the pages folder)
DEFAULT_GUIDE_TITLE = "Guide"

# Front-matter keys that mean the same thing, mapped to the name we use.
# The keys pages use, and the names our other spellings and other tools
# (Jekyll, Hugo, MkDocs, Docusaurus, Just the Docs) give them.
PAGE_KEYS = frozenset({"title", "slug", "sort-order", "description", "category", "draft",
                       "published", "date", "modified", "redirect_from", "next",
                       "nav_title", "nav", "toc"})
KEY_ALIASES = {
    "sortorder": "sort-order", "order": "sort-order", "weight": "sort-order",
    "nav_order": "sort-order", "sidebar_position": "sort-order",
    "meta": "description", "summary": "description", "excerpt": "description",
    "lastmod": "modified", "last_modified_at": "modified",
    "aliases": "redirect_from", "permalink": "slug", "url": "slug",
    "sidebartitle": "nav_title", "linktitle": "nav_title", "sidebar_label": "nav_title",
    "short_title": "nav_title",
}
# Other tools' keys that mean ours only when their value is one of ours
# (Docusaurus' `position: 3`, but CSS-minded `position: sticky`; Hugo's
# `updated: 2024-01-02`, but `updated: yes`): else they are other keys.
LENIENT_ALIASES = {"position": "sort-order", "updated": "modified"}
NUMBER = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*")
# Other tools' ways of keeping a page out of the navigation, while it is
# still served: Just the Docs' nav_exclude, Docsy's toc_hide, `hidden`.
NOT_IN_NAV_KEYS = ("nav_exclude", "toc_hide", "hidden")
LIST_KEYS = frozenset({"redirect_from", "next"})  # the others take one value
EMPTY_VALUES = ("", "~", "null")  # YAML's ways of saying nothing
# The files that hold the guide's own text, shown at / above the contents.
HOME_FILES = frozenset({"index.md", "_index.md", "index.markdown", "_index.markdown"})
# Files beside the pages that are served at their path and written by build:
# images, documents, media and archives (never a page's data or templates).
ASSET_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico", ".bmp",
    ".pdf", ".txt", ".csv", ".epub", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z",
    ".mp3", ".mp4", ".m4a", ".ogg", ".oga", ".ogv", ".wav", ".webm", ".mov",
    ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx"})
FILE_SUFFIXES = frozenset({*PAGE_SUFFIXES, *ASSET_SUFFIXES})  # what links beside a page name
# Folders where other tools keep what is not a page (Jekyll's templates and
# data, say); other folders whose names start with '_' hold pages (Jekyll's
# _posts, its collections).
NOT_PAGE_FOLDERS = frozenset({"_includes", "_layouts", "_data", "_sass", "_site", "_plugins",
                              "_partials", "_drafts", "node_modules", "vendor"})
# Slugs that would shadow the site's own URLs, now or in a later version.
RESERVED_SLUGS = frozenset({
    "404", "all", "blog", "favicon", "feed", "index", "llms", "llms-full", "robots",
    "search", "sitemap", "static", "tags",
})
RESERVED_FOLDERS = frozenset({"all", "static", "tags"})  # as the first folder of an address
NAV_LIMIT = 120         # entries a list of the navigation shows around the page, at most
PARALLEL_MIN_ITEMS = 48  # below this, a process pool costs more than it saves
POOL_CHUNK = 32          # items sent to a worker of the pool at a time, at most
SUGGESTIONS = 5          # pages suggested on a 404 page
ALL_IN_ONE_LIMIT = 300   # the most pages /all.html puts on one page
MOUNTS_LIMIT = 4         # base paths a WSGI host may mount one app at (see GuideApp)

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
TEXT_TYPE = "text/plain; charset=utf-8"
MARKDOWN_TYPE = "text/markdown; charset=utf-8"
JS_TYPE = "text/javascript; charset=utf-8"
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/javascript",
                      "application/xml", "image/svg+xml")

# How long browsers and proxies may keep each kind of answer (Cache-Control).
# Pages, the index, feeds, search and plain static URLs use page_cache(max_age).
IMMUTABLE = "public, max-age=31536000, immutable"  # content-hashed static URLs
REDIRECT_CACHE = "public, max-age=86400"            # a 301 to a page's URL
NO_STORE = "no-store"                               # errors and reload's poll


def page_cache(max_age: int) -> str:
    """Return the Cache-Control of a page: any cache may keep it max_age seconds."""
    return f"public, max-age={max_age}"


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything the command line and the environment can set, with the
    guide folder's guide.toml filling in what they leave unset."""
    command: str = "serve"
    pages_dir: Path = DEFAULT_PAGES_DIR
    guide_dir: Path | None = None  # a guide of one's own: pages, guide.toml, views, static
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
    keep_going: bool = False      # build the pages that load when others do not
    reload: bool = False          # serve: rebuild when a file changes
    site_url: str = ""            # e.g. https://guide.example.org, for absolute links
    edit_url: str = ""            # e.g. https://github.com/me/guide/edit/main/pages/
    base_path: str = ""           # e.g. /docs when the site is mounted there; '' at the root
    relative: bool = False        # build: links relative to each file, for file:// and sub-folders
    cache_dir: Path | None = None  # rendered pages kept between runs; None: no cache

    @property
    def config_file(self) -> Path:
        """Return where guide.toml is: in the guide folder, else in the
        pages folder (where a guide without a folder of its own keeps it)."""
        if self.guide_dir is not None and (self.guide_dir / GUIDE_CONFIG_NAME).is_file():
            return self.guide_dir / GUIDE_CONFIG_NAME
        return self.pages_dir / GUIDE_CONFIG_NAME

    @property
    def views_dirs(self) -> tuple[Path, ...]:
        """Return the folders views are looked up in: the guide's own first."""
        return self.overriding("views") + (VIEWS_DIR,)

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        """Return the folders static files come from: the guide's own win."""
        return self.overriding("static") + (STATIC_DIR,)

    def overriding(self, name: str) -> tuple[Path, ...]:
        folder = self.guide_dir / name if self.guide_dir is not None else None
        if folder is None or not folder.is_dir() or folder.resolve() == (HERE / name).resolve():
            return ()
        return (folder,)


def read_settings(argv: list[str] | None, environ: dict,
                  working_dir: Path | None = None) -> Settings:
    """Return Settings from argv and the environment: command line beats
    environment beats the guide's guide.toml beats default.  argv=None reads
    the environment only.

    The guide is the folder --guide (or GUIDE_DIR) names; else, unless a
    pages folder is named, the working directory when it holds a
    guide.toml; else the guide beside guide.py."""
    env = Settings(
        pages_dir=Path(environ.get("GUIDE_PAGES") or DEFAULT_PAGES_DIR),
        guide_dir=Path(environ["GUIDE_DIR"]) if environ.get("GUIDE_DIR") else None,
        drafts=environ.get("GUIDE_DRAFTS", "").lower() in ("1", "true", "yes"),
        max_age=environment_seconds(environ, "GUIDE_MAX_AGE", Settings.max_age),
        site_url=environment_url(environ, "GUIDE_SITE_URL"),
        edit_url=environment_url(environ, "GUIDE_EDIT_URL"),
        base_path=environment_base_path(environ, "GUIDE_BASE_URL"),
        cache_dir=default_cache_dir(environ),
    )
    pages_named = bool(environ.get("GUIDE_PAGES"))
    if argv is not None:
        args = build_argument_parser(env).parse_args(with_default_command(argv))
        values = {field.name: getattr(args, field.name)
                  for field in dataclasses.fields(Settings) if hasattr(args, field.name)}
        if getattr(args, "no_cache", False):
            values["cache_dir"] = None
        pages_named = pages_named or values.get("pages_dir") != env.pages_dir
        env = dataclasses.replace(env, **values)
    working_dir = working_dir or Path.cwd()
    if env.guide_dir is None and not pages_named and (working_dir / GUIDE_CONFIG_NAME).is_file():
        env = dataclasses.replace(env, guide_dir=working_dir)
    return with_guide_config(env, pages_named)


def with_guide_config(settings: Settings, pages_named: bool) -> Settings:
    """Return settings with what guide.toml sets and they leave unset: the
    guide's own pages folder, its site URL, edit URL and base path.  (A
    mistake in guide.toml is reported with the pages' problems, when the
    guide is read: see look_at_folder.)"""
    guide_dir = settings.guide_dir
    if guide_dir is not None and not pages_named:
        config = read_guide_config(guide_dir / GUIDE_CONFIG_NAME)[0]
        settings = dataclasses.replace(settings, pages_dir=guide_dir / (config.pages or "pages"))
    config = read_guide_config(settings.config_file)[0]
    site_url = settings.site_url or config.site_url
    base_path = settings.base_path or config.base_path or \
        base_path_of(urllib.parse.urlsplit(site_url).path)
    return dataclasses.replace(settings, site_url=site_url, base_path=base_path,
                               edit_url=settings.edit_url or config.edit_url)


def default_cache_dir(environ: dict) -> Path | None:
    """Return the render cache's folder: GUIDE_CACHE ('off' for none), else
    guide.py in the user's cache folder (XDG_CACHE_HOME, else ~/.cache)."""
    chosen = environ.get("GUIDE_CACHE", "").strip()
    if chosen.lower() in ("off", "none", "0", "false", "no"):
        return None
    if chosen:
        return Path(chosen)
    base = environ.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / "guide.py"
    home = environ.get("HOME", "").strip()
    return Path(home) / ".cache" / "guide.py" if home else None


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


def environment_base_path(environ: dict, name: str) -> str:
    """Return a base path from the environment variable name, or ''."""
    try:
        return base_path_of(environ.get(name, "").strip())
    except ValueError as error:
        raise GuideErrors([PageError(name, None, str(error))]) from None


# A base path: segments of letters, digits and URL punctuation that needs
# no escaping in HTML (no quotes, '<', '&'), none of them '.' or '..'.
BASE_PATH_SEGMENT = re.compile(r"[A-Za-z0-9_~!$()*+,;=:@%-][A-Za-z0-9._~!$()*+,;=:@%-]*")


def base_path_of(text: str) -> str:
    """Return the base path text names in its one form, '/docs' ('' for the
    root), from '/docs/', '/docs' or 'https://host/docs/'-style paths;
    raise ValueError (also for argparse) for text that is not one."""
    if text in ("", "/"):
        return ""
    segments = text[1:].removesuffix("/").split("/")
    if not text.startswith("/") or not all(BASE_PATH_SEGMENT.fullmatch(segment)
                                           for segment in segments):
        raise ValueError(f"must be a path such as /docs/, got {text!r}")
    return "/" + "/".join(segments)


def base_path_argument(text: str) -> str:
    """Return base_path_of(text), for argparse."""
    try:
        return base_path_of(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


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
               "Environment: GUIDE_DIR (the guide's folder), GUIDE_PAGES (pages folder), "
               "GUIDE_DRAFTS=1, GUIDE_MAX_AGE (seconds), GUIDE_SITE_URL, GUIDE_EDIT_URL, "
               "GUIDE_BASE_URL, GUIDE_CACHE (folder, or 'off'); the command line wins over "
               "them, and they over guide.toml. As a WSGI application: "
               "'waitress-serve guide:app' or 'gunicorn guide:app'.")
    commands = parser.add_subparsers(dest="command", metavar="{serve,check,build,init}")

    def add_common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--guide", dest="guide_dir", type=Path, default=defaults.guide_dir,
                         metavar="DIR", help="a guide's folder: its pages/, guide.toml, and "
                         "views/ and static/ that override ours file by file (default: the "
                         "working directory when it has a guide.toml, else the guide beside "
                         "guide.py)")
        sub.add_argument("--pages", dest="pages_dir", type=Path, default=defaults.pages_dir,
                         metavar="DIR", help="folder of *.md pages (default: the guide's "
                         "pages/, or %(default)s)")
        sub.add_argument("--drafts", action="store_true", default=defaults.drafts,
                         help="include pages marked 'draft: true'")
        sub.add_argument("--site-url", type=web_url, default=defaults.site_url,
                         metavar="URL", help="where the site is published, e.g. "
                         "https://guide.example.org: makes canonical links, the sitemap "
                         "and the feed absolute")
        sub.add_argument("--edit-url", type=web_url, default=defaults.edit_url,
                         metavar="URL", help="base URL for 'Edit this page' links; the "
                         "page's path inside the pages folder is appended")
        sub.add_argument("--base-url", dest="base_path", type=base_path_argument,
                         default=defaults.base_path, metavar="PATH",
                         help="the path the site is published under, e.g. /docs/: every "
                         "link carries it (default: the path of --site-url, else /)")
        sub.add_argument("--cache", dest="cache_dir", type=Path, default=defaults.cache_dir,
                         metavar="DIR", help="keep rendered pages here between runs, so "
                         "that an unchanged page is never rendered twice "
                         "(default: %(default)s)")
        sub.add_argument("--no-cache", action="store_true",
                         help="render every page, and keep nothing")

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
    init = commands.add_parser("init", help="start a guide of your own in a new folder",
                               description="Write a small working guide into DIR (a new or "
                                           "empty folder): pages that explain the format, a "
                                           "guide.toml, and views/ and static/ to override "
                                           "ours. Nothing is ever overwritten.")
    init.add_argument("out", type=Path, metavar="DIR", help="the folder to create")
    build.add_argument("--relative", action="store_true",
                       help="write links relative to each file, so that the site works "
                            "opened from the file system or copied into any folder")
    build.add_argument("--keep-going", action="store_true",
                       help="when pages have problems, write the others, list what was left "
                            "out, and exit 1")
    return parser


COMMANDS = ("serve", "check", "build", "init")


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


# The words the theme shows readers, in the languages guide.py knows; a
# guide sets its language in guide.toml (`language = "de"`) and may reword
# any of them there (`[words]`, `next = "Weiter"`).  {placeholders} are
# filled in by the views.  Months are for dates: format_date below.
WORDS = {
    "en": {
        "contents": "Contents", "skip_to_content": "Skip to content", "search": "Search",
        "search_the_guide": "Search the guide", "site_search": "Site search",
        "search_again": "Search again", "guide": "Guide", "breadcrumbs": "Breadcrumbs",
        "on_this_page": "On this page", "whats_next": "What's next?",
        "previous": "Previous", "next": "Next", "previous_and_next": "Previous and next pages",
        "last_updated": "Last updated", "published": "Published", "updated": "updated",
        "edit_this_page": "Edit this page", "tags": "Tags", "all_tags": "All tags",
        "tagged": "Tagged “{tag}”", "blog": "Blog", "from_the_blog": "From the blog",
        "all_posts": "All posts", "pages": "Pages",
        "whole_guide": "the whole guide on one page",
        "whole_guide_in_parts": "the whole guide, part by part",
        "too_long": "This guide is too long to read on one page: here it is part by part.",
        "atom_feed": "Atom feed", "theme": "Colour theme: automatic, light or dark",
        "theme_label": "Theme:", "theme_auto": "Auto", "theme_light": "Light",
        "theme_dark": "Dark", "moved": "This page has moved to",
        "go_to_contents": "Go to the table of contents", "page_not_found": "Page not found",
        "no_page_here": "There is no page at this address.",
        "no_page_at": "There is no page at {path}.",
        "perhaps": "Perhaps you were looking for:",
        "search_hint": "Search the titles, headings and text of every page. Put a phrase in "
                       "\"quotes\"; -word leaves out the pages that have it.",
        "search_words": "Type one or more words to search for.",
        "searching": "Searching…", "search_unavailable": "Search is not available here.",
        "no_match": "No pages match “{query}”.", "one_match": "1 page matches “{query}”.",
        "matches": "{count} pages match “{query}”.", "showing": "Showing {first} to {last}.",
        "more_results": "More results", "previous_n": "Previous {n}", "next_n": "Next {n}",
        "date": "{day} {month} {year}",
        "months": "January February March April May June July August September October "
                  "November December",
        "link_to_section": "Link to this section", "table": "Table {number}",
        "task_done": "done", "task_not_done": "not done",
        "note": "Note", "tip": "Tip", "info": "Info", "important": "Important",
        "warning": "Warning", "caution": "Caution", "danger": "Danger",
        "one_page": "1 page", "n_pages": "{count} pages",
        "bad_request": "Bad request", "bad_request_text": "The request was not understood.",
        "method_not_allowed": "Method not allowed",
        "method_not_allowed_text": "This site only answers GET and HEAD requests.",
        "server_error": "Something went wrong",
        "server_error_text": "The server met an unexpected problem; it has been logged.",
    },
    "de": {
        "contents": "Inhalt", "skip_to_content": "Zum Inhalt springen", "search": "Suchen",
        "search_the_guide": "Im Leitfaden suchen", "site_search": "Suche auf der Website",
        "search_again": "Erneut suchen", "guide": "Leitfaden", "breadcrumbs": "Brotkrümelpfad",
        "on_this_page": "Auf dieser Seite", "whats_next": "Wie geht es weiter?",
        "previous": "Zurück", "next": "Weiter",
        "previous_and_next": "Vorige und nächste Seite",
        "last_updated": "Zuletzt aktualisiert", "published": "Veröffentlicht",
        "updated": "aktualisiert", "edit_this_page": "Diese Seite bearbeiten",
        "tags": "Schlagwörter", "all_tags": "Alle Schlagwörter",
        "tagged": "Schlagwort „{tag}“", "blog": "Blog", "from_the_blog": "Aus dem Blog",
        "all_posts": "Alle Beiträge", "pages": "Seiten",
        "whole_guide": "der ganze Leitfaden auf einer Seite",
        "whole_guide_in_parts": "der ganze Leitfaden, Teil für Teil",
        "too_long": "Dieser Leitfaden ist zu lang für eine Seite: hier ist er Teil für Teil.",
        "atom_feed": "Atom-Feed", "theme": "Farbschema: automatisch, hell oder dunkel",
        "theme_label": "Farbschema:", "theme_auto": "Auto", "theme_light": "Hell",
        "theme_dark": "Dunkel", "moved": "Diese Seite ist umgezogen nach",
        "go_to_contents": "Zum Inhaltsverzeichnis", "page_not_found": "Seite nicht gefunden",
        "no_page_here": "Unter dieser Adresse gibt es keine Seite.",
        "no_page_at": "Unter {path} gibt es keine Seite.",
        "perhaps": "Vielleicht suchten Sie:",
        "search_hint": "Durchsucht Titel, Überschriften und Text jeder Seite. Eine Wortfolge "
                       "steht in \"Anführungszeichen\"; -wort lässt Seiten mit diesem Wort aus.",
        "search_words": "Geben Sie ein oder mehrere Suchwörter ein.",
        "searching": "Suche läuft…", "search_unavailable": "Die Suche ist hier nicht verfügbar.",
        "no_match": "Keine Seite passt zu „{query}“.",
        "one_match": "1 Seite passt zu „{query}“.",
        "matches": "{count} Seiten passen zu „{query}“.",
        "showing": "Angezeigt: {first} bis {last}.", "more_results": "Weitere Ergebnisse",
        "previous_n": "Vorige {n}", "next_n": "Nächste {n}",
        "date": "{day}. {month} {year}",
        "months": "Januar Februar März April Mai Juni Juli August September Oktober "
                  "November Dezember",
        "link_to_section": "Link zu diesem Abschnitt", "table": "Tabelle {number}",
        "task_done": "erledigt", "task_not_done": "nicht erledigt",
        "note": "Hinweis", "tip": "Tipp", "info": "Info", "important": "Wichtig",
        "warning": "Warnung", "caution": "Vorsicht", "danger": "Gefahr",
        "one_page": "1 Seite", "n_pages": "{count} Seiten",
        "bad_request": "Ungültige Anfrage",
        "bad_request_text": "Die Anfrage wurde nicht verstanden.",
        "method_not_allowed": "Methode nicht erlaubt",
        "method_not_allowed_text": "Diese Website beantwortet nur GET- und HEAD-Anfragen.",
        "server_error": "Etwas ist schiefgelaufen",
        "server_error_text": "Auf dem Server ist ein unerwarteter Fehler aufgetreten; "
                             "er wurde protokolliert.",
    },
    "fr": {
        "contents": "Sommaire", "skip_to_content": "Aller au contenu", "search": "Rechercher",
        "search_the_guide": "Rechercher dans le guide", "site_search": "Recherche sur le site",
        "search_again": "Nouvelle recherche", "guide": "Guide",
        "breadcrumbs": "Fil d’Ariane", "on_this_page": "Sur cette page",
        "whats_next": "Et ensuite ?", "previous": "Précédent", "next": "Suivant",
        "previous_and_next": "Pages précédente et suivante",
        "last_updated": "Dernière mise à jour", "published": "Publié le",
        "updated": "mis à jour le", "edit_this_page": "Modifier cette page",
        "tags": "Étiquettes", "all_tags": "Toutes les étiquettes",
        "tagged": "Étiquette « {tag} »", "blog": "Blog", "from_the_blog": "Sur le blog",
        "all_posts": "Tous les billets", "pages": "Pages",
        "whole_guide": "tout le guide sur une page",
        "whole_guide_in_parts": "tout le guide, partie par partie",
        "too_long": "Ce guide est trop long pour une seule page : le voici partie par partie.",
        "atom_feed": "Flux Atom", "theme": "Thème de couleurs : automatique, clair ou sombre",
        "theme_label": "Thème :", "theme_auto": "Auto", "theme_light": "Clair",
        "theme_dark": "Sombre", "moved": "Cette page a été déplacée vers",
        "go_to_contents": "Aller au sommaire", "page_not_found": "Page introuvable",
        "no_page_here": "Il n’y a pas de page à cette adresse.",
        "no_page_at": "Il n’y a pas de page à l’adresse {path}.",
        "perhaps": "Vous cherchiez peut-être :",
        "search_hint": "Cherche dans les titres, les intertitres et le texte de chaque page. "
                       "Mettez une expression entre \"guillemets\" ; -mot écarte les pages "
                       "qui le contiennent.",
        "search_words": "Saisissez un ou plusieurs mots à chercher.",
        "searching": "Recherche…", "search_unavailable": "La recherche n’est pas disponible ici.",
        "no_match": "Aucune page ne correspond à « {query} ».",
        "one_match": "1 page correspond à « {query} ».",
        "matches": "{count} pages correspondent à « {query} ».",
        "showing": "Résultats {first} à {last}.", "more_results": "Autres résultats",
        "previous_n": "{n} précédents", "next_n": "{n} suivants",
        "date": "{day} {month} {year}",
        "months": "janvier février mars avril mai juin juillet août septembre octobre "
                  "novembre décembre",
        "link_to_section": "Lien vers cette section", "table": "Tableau {number}",
        "task_done": "fait", "task_not_done": "à faire",
        "note": "Remarque", "tip": "Astuce", "info": "Info", "important": "Important",
        "warning": "Avertissement", "caution": "Attention", "danger": "Danger",
        "one_page": "1 page", "n_pages": "{count} pages",
        "bad_request": "Requête incorrecte",
        "bad_request_text": "La requête n’a pas été comprise.",
        "method_not_allowed": "Méthode non autorisée",
        "method_not_allowed_text": "Ce site ne répond qu’aux requêtes GET et HEAD.",
        "server_error": "Un problème est survenu",
        "server_error_text": "Le serveur a rencontré un problème inattendu ; "
                             "il a été consigné dans le journal.",
    },
    "es": {
        "contents": "Contenido", "skip_to_content": "Saltar al contenido", "search": "Buscar",
        "search_the_guide": "Buscar en la guía", "site_search": "Búsqueda en el sitio",
        "search_again": "Buscar de nuevo", "guide": "Guía", "breadcrumbs": "Ruta de navegación",
        "on_this_page": "En esta página", "whats_next": "¿Y ahora qué?",
        "previous": "Anterior", "next": "Siguiente",
        "previous_and_next": "Páginas anterior y siguiente",
        "last_updated": "Última actualización", "published": "Publicado el",
        "updated": "actualizado el", "edit_this_page": "Editar esta página",
        "tags": "Etiquetas", "all_tags": "Todas las etiquetas",
        "tagged": "Etiqueta «{tag}»", "blog": "Blog", "from_the_blog": "Del blog",
        "all_posts": "Todas las entradas", "pages": "Páginas",
        "whole_guide": "toda la guía en una página",
        "whole_guide_in_parts": "toda la guía, parte por parte",
        "too_long": "Esta guía es demasiado larga para una sola página: aquí está por partes.",
        "atom_feed": "Canal Atom", "theme": "Tema de color: automático, claro u oscuro",
        "theme_label": "Tema:", "theme_auto": "Auto", "theme_light": "Claro",
        "theme_dark": "Oscuro", "moved": "Esta página se ha trasladado a",
        "go_to_contents": "Ir al índice", "page_not_found": "Página no encontrada",
        "no_page_here": "No hay ninguna página en esta dirección.",
        "no_page_at": "No hay ninguna página en {path}.",
        "perhaps": "Quizá buscaba:",
        "search_hint": "Busca en los títulos, encabezados y texto de cada página. Ponga una "
                       "frase entre \"comillas\"; -palabra deja fuera las páginas que la "
                       "contienen.",
        "search_words": "Escriba una o más palabras para buscar.",
        "searching": "Buscando…", "search_unavailable": "La búsqueda no está disponible aquí.",
        "no_match": "Ninguna página coincide con «{query}».",
        "one_match": "1 página coincide con «{query}».",
        "matches": "{count} páginas coinciden con «{query}».",
        "showing": "Resultados {first} a {last}.", "more_results": "Más resultados",
        "previous_n": "{n} anteriores", "next_n": "{n} siguientes",
        "date": "{day} de {month} de {year}",
        "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
                  "noviembre diciembre",
        "link_to_section": "Enlace a esta sección", "table": "Tabla {number}",
        "task_done": "hecho", "task_not_done": "sin hacer",
        "note": "Nota", "tip": "Consejo", "info": "Información", "important": "Importante",
        "warning": "Advertencia", "caution": "Precaución", "danger": "Peligro",
        "one_page": "1 página", "n_pages": "{count} páginas",
        "bad_request": "Solicitud incorrecta",
        "bad_request_text": "No se ha entendido la solicitud.",
        "method_not_allowed": "Método no permitido",
        "method_not_allowed_text": "Este sitio solo responde a solicitudes GET y HEAD.",
        "server_error": "Algo ha salido mal",
        "server_error_text": "El servidor ha tenido un problema inesperado; "
                             "ha quedado registrado.",
    },
    "zh": {
        "contents": "目录", "skip_to_content": "跳到正文", "search": "搜索",
        "search_the_guide": "搜索本指南", "site_search": "站内搜索", "search_again": "重新搜索",
        "guide": "指南", "breadcrumbs": "导航路径", "on_this_page": "本页内容",
        "whats_next": "接下来读什么？", "previous": "上一页", "next": "下一页",
        "previous_and_next": "上一页和下一页", "last_updated": "最后更新",
        "published": "发布于", "updated": "更新于", "edit_this_page": "编辑此页",
        "tags": "标签", "all_tags": "全部标签", "tagged": "标签“{tag}”", "blog": "博客",
        "from_the_blog": "博客文章", "all_posts": "全部文章", "pages": "页面",
        "whole_guide": "在一页中阅读整本指南", "whole_guide_in_parts": "分部分阅读整本指南",
        "too_long": "本指南太长，无法放在一页中：这里按部分列出。", "atom_feed": "Atom 订阅",
        "theme": "配色：自动、浅色或深色", "theme_label": "配色：", "theme_auto": "自动",
        "theme_light": "浅色", "theme_dark": "深色", "moved": "此页已移至",
        "go_to_contents": "前往目录", "page_not_found": "找不到页面",
        "no_page_here": "此地址没有页面。", "no_page_at": "{path} 没有页面。",
        "perhaps": "您要找的也许是：",
        "search_hint": "搜索每一页的标题、小标题和正文。用\"引号\"搜索短语；-词 排除含有该词的页面。",
        "search_words": "请输入一个或多个要搜索的词。",
        "searching": "正在搜索…", "search_unavailable": "此处无法使用搜索。",
        "no_match": "没有与“{query}”匹配的页面。", "one_match": "有 1 个页面与“{query}”匹配。",
        "matches": "有 {count} 个页面与“{query}”匹配。", "showing": "显示第 {first} 至 {last} 个。",
        "more_results": "更多结果", "previous_n": "上 {n} 个", "next_n": "下 {n} 个",
        "date": "{year}年{month_number}月{day}日", "months": "",
        "link_to_section": "链接到本节", "table": "表 {number}",
        "task_done": "已完成", "task_not_done": "未完成",
        "note": "备注", "tip": "提示", "info": "信息", "important": "重要",
        "warning": "警告", "caution": "注意", "danger": "危险",
        "one_page": "1 个页面", "n_pages": "{count} 个页面",
        "bad_request": "请求有误", "bad_request_text": "无法理解此请求。",
        "method_not_allowed": "不允许的请求方法",
        "method_not_allowed_text": "本站只响应 GET 和 HEAD 请求。",
        "server_error": "出了点问题",
        "server_error_text": "服务器遇到了意外问题，已记录在日志中。",
    },
    "ja": {
        "contents": "目次", "skip_to_content": "本文へ移動", "search": "検索",
        "search_the_guide": "このガイドを検索", "site_search": "サイト内検索",
        "search_again": "もう一度検索", "guide": "ガイド", "breadcrumbs": "パンくずリスト",
        "on_this_page": "このページの内容", "whats_next": "次に読む",
        "previous": "前へ", "next": "次へ", "previous_and_next": "前後のページ",
        "last_updated": "最終更新", "published": "公開", "updated": "更新",
        "edit_this_page": "このページを編集", "tags": "タグ", "all_tags": "すべてのタグ",
        "tagged": "タグ「{tag}」", "blog": "ブログ", "from_the_blog": "ブログから",
        "all_posts": "すべての記事", "pages": "ページ",
        "whole_guide": "ガイド全体を1ページで", "whole_guide_in_parts": "ガイド全体を部分ごとに",
        "too_long": "このガイドは1ページで読むには長すぎるため、部分ごとに分けています。",
        "atom_feed": "Atom フィード", "theme": "配色：自動、ライト、ダーク",
        "theme_label": "配色：", "theme_auto": "自動", "theme_light": "ライト",
        "theme_dark": "ダーク", "moved": "このページの移動先：",
        "go_to_contents": "目次へ", "page_not_found": "ページが見つかりません",
        "no_page_here": "このアドレスにはページがありません。",
        "no_page_at": "{path} にはページがありません。",
        "perhaps": "お探しのページはこちらでしょうか：",
        "search_hint": "すべてのページのタイトル、見出し、本文を検索します。フレーズは\"引用符\"で囲み、"
                       "-語 でその語を含むページを除外します。",
        "search_words": "検索する語を1つ以上入力してください。",
        "searching": "検索しています…", "search_unavailable": "ここでは検索を使えません。",
        "no_match": "「{query}」に一致するページはありません。",
        "one_match": "「{query}」に一致するページが1件あります。",
        "matches": "「{query}」に一致するページが{count}件あります。",
        "showing": "{first}〜{last}件目を表示しています。", "more_results": "その他の結果",
        "previous_n": "前の{n}件", "next_n": "次の{n}件",
        "date": "{year}年{month_number}月{day}日", "months": "",
        "link_to_section": "このセクションへのリンク", "table": "表{number}",
        "task_done": "完了", "task_not_done": "未完了",
        "note": "注記", "tip": "ヒント", "info": "情報", "important": "重要",
        "warning": "警告", "caution": "注意", "danger": "危険",
        "one_page": "1ページ", "n_pages": "{count}ページ",
        "bad_request": "不正なリクエスト", "bad_request_text": "リクエストを理解できませんでした。",
        "method_not_allowed": "許可されていないメソッド",
        "method_not_allowed_text": "このサイトは GET と HEAD のリクエストにのみ応答します。",
        "server_error": "問題が発生しました",
        "server_error_text": "サーバーで予期しない問題が発生しました。この問題は記録されています。",
    },
    "ar": {
        "contents": "المحتويات", "skip_to_content": "تخطي إلى المحتوى", "search": "بحث",
        "search_the_guide": "البحث في الدليل", "site_search": "البحث في الموقع",
        "search_again": "إعادة البحث", "guide": "الدليل", "breadcrumbs": "مسار التنقل",
        "on_this_page": "في هذه الصفحة", "whats_next": "ماذا بعد؟",
        "previous": "السابق", "next": "التالي",
        "previous_and_next": "الصفحة السابقة والصفحة التالية",
        "last_updated": "آخر تحديث:", "published": "تاريخ النشر:",
        "updated": "تاريخ التحديث:", "edit_this_page": "تعديل هذه الصفحة",
        "tags": "الوسوم", "all_tags": "كل الوسوم",
        "tagged": "الوسم «{tag}»", "blog": "المدونة", "from_the_blog": "من المدونة",
        "all_posts": "كل المقالات", "pages": "الصفحات",
        "whole_guide": "الدليل كاملًا في صفحة واحدة",
        "whole_guide_in_parts": "الدليل كاملًا، جزءًا جزءًا",
        "too_long": "هذا الدليل أطول من أن يُقرأ في صفحة واحدة، فإليك أجزاءه واحدًا تلو الآخر.",
        "atom_feed": "موجز Atom", "theme": "نمط الألوان: تلقائي أو فاتح أو داكن",
        "theme_label": "النمط:", "theme_auto": "تلقائي", "theme_light": "فاتح",
        "theme_dark": "داكن", "moved": "نُقلت هذه الصفحة إلى",
        "go_to_contents": "الانتقال إلى فهرس المحتويات", "page_not_found": "الصفحة غير موجودة",
        "no_page_here": "لا توجد صفحة على هذا العنوان.",
        "no_page_at": "لا توجد صفحة على العنوان {path}.",
        "perhaps": "ربما كنت تبحث عن:",
        "search_hint": "يبحث في عناوين كل الصفحات وعناوينها الفرعية ونصوصها. ضع العبارة بين "
                       "\"علامتي تنصيص\"، واكتب -كلمة لاستبعاد الصفحات التي تحتويها.",
        "search_words": "اكتب كلمة أو أكثر للبحث عنها.",
        "searching": "جارٍ البحث…", "search_unavailable": "البحث غير متاح هنا.",
        "no_match": "لا توجد صفحات تطابق «{query}».",
        "one_match": "صفحة واحدة تطابق «{query}».",
        "matches": "عدد الصفحات التي تطابق «{query}»: {count}.",
        "showing": "النتائج من {first} إلى {last}.", "more_results": "مزيد من النتائج",
        "previous_n": "النتائج السابقة ({n})", "next_n": "النتائج التالية ({n})",
        "date": "{day} {month} {year}",
        "months": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر "
                  "نوفمبر ديسمبر",
        "link_to_section": "رابط إلى هذا القسم", "table": "الجدول {number}",
        "task_done": "مكتملة", "task_not_done": "غير مكتملة",
        "note": "ملاحظة", "tip": "نصيحة", "info": "معلومة", "important": "مهم",
        "warning": "تحذير", "caution": "تنبيه", "danger": "خطر",
        "one_page": "صفحة واحدة", "n_pages": "عدد الصفحات: {count}",
        "bad_request": "طلب غير صالح", "bad_request_text": "تعذّر فهم الطلب.",
        "method_not_allowed": "طريقة الطلب غير مسموح بها",
        "method_not_allowed_text": "لا يستجيب هذا الموقع إلا لطلبات GET و HEAD.",
        "server_error": "حدث خطأ ما",
        "server_error_text": "واجه الخادم مشكلة غير متوقعة، وقد سُجّلت.",
    },
    "he": {
        "contents": "תוכן העניינים", "skip_to_content": "דילוג לתוכן", "search": "חיפוש",
        "search_the_guide": "חיפוש במדריך", "site_search": "חיפוש באתר",
        "search_again": "חיפוש חדש", "guide": "מדריך", "breadcrumbs": "נתיב ניווט",
        "on_this_page": "בדף זה", "whats_next": "מה הלאה?",
        "previous": "הקודם", "next": "הבא", "previous_and_next": "הדף הקודם והדף הבא",
        "last_updated": "עדכון אחרון:", "published": "פורסם בתאריך",
        "updated": "עודכן בתאריך", "edit_this_page": "עריכת הדף",
        "tags": "תגיות", "all_tags": "כל התגיות",
        "tagged": "התגית \"{tag}\"", "blog": "בלוג", "from_the_blog": "מהבלוג",
        "all_posts": "כל הפוסטים", "pages": "דפים",
        "whole_guide": "המדריך כולו בדף אחד",
        "whole_guide_in_parts": "המדריך כולו, חלק אחר חלק",
        "too_long": "המדריך ארוך מכדי לקרוא אותו בדף אחד, ולכן הוא מוצג כאן חלק אחר חלק.",
        "atom_feed": "פיד Atom", "theme": "ערכת צבעים: אוטומטית, בהירה או כהה",
        "theme_label": "ערכת צבעים:", "theme_auto": "אוטומטי", "theme_light": "בהיר",
        "theme_dark": "כהה", "moved": "הדף הזה הועבר אל",
        "go_to_contents": "מעבר לתוכן העניינים", "page_not_found": "הדף לא נמצא",
        "no_page_here": "אין דף בכתובת הזו.",
        "no_page_at": "אין דף בכתובת {path}.",
        "perhaps": "אולי חיפשתם את:",
        "search_hint": "מחפש בכותרות, בכותרות המשנה ובטקסט של כל דף. שימו ביטוי בין "
                       "\"מירכאות\"; -מילה משמיטה את הדפים שבהם היא מופיעה.",
        "search_words": "הקלידו מילה אחת או יותר לחיפוש.",
        "searching": "מחפש…", "search_unavailable": "החיפוש אינו זמין כאן.",
        "no_match": "לא נמצאו דפים התואמים את \"{query}\".",
        "one_match": "נמצא דף אחד התואם את \"{query}\".",
        "matches": "נמצאו {count} דפים התואמים את \"{query}\".",
        "showing": "מוצגות התוצאות {first} עד {last}.", "more_results": "תוצאות נוספות",
        "previous_n": "{n} התוצאות הקודמות", "next_n": "{n} התוצאות הבאות",
        "date": "{day} ב{month} {year}",
        "months": "ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר "
                  "נובמבר דצמבר",
        "link_to_section": "קישור לסעיף זה", "table": "טבלה {number}",
        "task_done": "בוצע", "task_not_done": "לא בוצע",
        "note": "הערה", "tip": "טיפ", "info": "מידע", "important": "חשוב",
        "warning": "אזהרה", "caution": "זהירות", "danger": "סכנה",
        "one_page": "דף אחד", "n_pages": "{count} דפים",
        "bad_request": "בקשה שגויה", "bad_request_text": "לא ניתן היה להבין את הבקשה.",
        "method_not_allowed": "שיטת הבקשה אינה מותרת",
        "method_not_allowed_text": "אתר זה עונה רק לבקשות GET ו-HEAD.",
        "server_error": "משהו השתבש",
        "server_error_text": "השרת נתקל בבעיה בלתי צפויה, והיא נרשמה ביומן.",
    },
    "fa": {
        "contents": "فهرست مطالب", "skip_to_content": "رفتن به محتوا", "search": "جست‌وجو",
        "search_the_guide": "جست‌وجو در راهنما", "site_search": "جست‌وجو در سایت",
        "search_again": "جست‌وجوی دوباره", "guide": "راهنما", "breadcrumbs": "مسیر ناوبری",
        "on_this_page": "در این صفحه", "whats_next": "در ادامه بخوانید",
        "previous": "قبلی", "next": "بعدی", "previous_and_next": "صفحه‌های قبلی و بعدی",
        "last_updated": "آخرین به‌روزرسانی:", "published": "تاریخ انتشار:",
        "updated": "به‌روزرسانی:", "edit_this_page": "ویرایش این صفحه",
        "tags": "برچسب‌ها", "all_tags": "همهٔ برچسب‌ها",
        "tagged": "برچسب «{tag}»", "blog": "وبلاگ", "from_the_blog": "از وبلاگ",
        "all_posts": "همهٔ نوشته‌ها", "pages": "صفحه‌ها",
        "whole_guide": "کل راهنما در یک صفحه",
        "whole_guide_in_parts": "کل راهنما، بخش به بخش",
        "too_long": "این راهنما برای خواندن در یک صفحه بیش از حد طولانی است؛ "
                    "اینجا بخش به بخش آمده است.",
        "atom_feed": "خوراک Atom", "theme": "طرح رنگ: خودکار، روشن یا تیره",
        "theme_label": "طرح رنگ:", "theme_auto": "خودکار", "theme_light": "روشن",
        "theme_dark": "تیره", "moved": "این صفحه منتقل شده است به",
        "go_to_contents": "رفتن به فهرست مطالب", "page_not_found": "صفحه پیدا نشد",
        "no_page_here": "در این نشانی صفحه‌ای وجود ندارد.",
        "no_page_at": "در نشانی {path} صفحه‌ای وجود ندارد.",
        "perhaps": "شاید به دنبال این صفحه‌ها بودید:",
        "search_hint": "در عنوان‌ها، سرفصل‌ها و متن همهٔ صفحه‌ها جست‌وجو می‌کند. عبارت را "
                       "میان \"گیومه\" بگذارید؛ -واژه صفحه‌هایی را که آن را دارند کنار "
                       "می‌گذارد.",
        "search_words": "یک یا چند واژه برای جست‌وجو بنویسید.",
        "searching": "در حال جست‌وجو…", "search_unavailable": "جست‌وجو در اینجا در دسترس نیست.",
        "no_match": "هیچ صفحه‌ای با «{query}» مطابقت ندارد.",
        "one_match": "یک صفحه با «{query}» مطابقت دارد.",
        "matches": "{count} صفحه با «{query}» مطابقت دارد.",
        "showing": "نمایش نتایج {first} تا {last}.", "more_results": "نتایج بیشتر",
        "previous_n": "{n} نتیجهٔ قبلی", "next_n": "{n} نتیجهٔ بعدی",
        "date": "{day} {month} {year}",
        "months": "ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر "
                  "نوامبر دسامبر",
        "link_to_section": "پیوند به این بخش", "table": "جدول {number}",
        "task_done": "انجام‌شده", "task_not_done": "انجام‌نشده",
        "note": "یادداشت", "tip": "نکته", "info": "اطلاعات", "important": "مهم",
        "warning": "هشدار", "caution": "احتیاط", "danger": "خطر",
        "one_page": "یک صفحه", "n_pages": "{count} صفحه",
        "bad_request": "درخواست نامعتبر", "bad_request_text": "درخواست قابل درک نبود.",
        "method_not_allowed": "روش درخواست مجاز نیست",
        "method_not_allowed_text": "این سایت فقط به درخواست‌های GET و HEAD پاسخ می‌دهد.",
        "server_error": "مشکلی پیش آمد",
        "server_error_text": "سرور با مشکلی غیرمنتظره روبه‌رو شد؛ این مشکل ثبت شده است.",
    },
}
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"})


def words_for(language: str, reworded: dict[str, str] | None = None) -> dict[str, str]:
    """Return the theme's words in language (a BCP 47 tag: 'pt-BR' uses
    'pt' when there is no set for it, and English where guide.py has no
    set), with the guide's own rewordings (guide.toml's [words]) on top."""
    primary = language.split("-")[0].lower()
    return {**WORDS["en"], **WORDS.get(language, WORDS.get(primary, {})), **(reworded or {})}


# The words rendering writes into a page (aria-labels, callouts' titles):
# part of what a page's rendering depends on (see Wording).
RENDERED_WORDS = ("link_to_section", "table", "task_done", "task_not_done", "note", "tip",
                  "info", "important", "warning", "caution", "danger")
CALLOUT_TITLES = frozenset(RENDERED_WORDS[4:])  # a callout of these kinds is titled in words


def stemming_for(language: str) -> str:
    """Return how search stems the words of a guide in language: "en"
    (see stem) for English, the default; "" (words as they are) for any
    other, whose word forms an English stemmer would only confuse."""
    return "en" if language.split("-")[0].lower() in ("", "en") else ""


@dataclasses.dataclass(frozen=True)
class Wording:
    """What rendering a page takes from the guide's language: the words it
    writes into the page (RENDERED_WORDS, reworded by guide.toml too) and
    how its search terms are stemmed (see stemming_for)."""
    words: tuple[tuple[str, str], ...] = tuple((key, WORDS["en"][key]) for key in RENDERED_WORDS)
    stemming: str = "en"

    @classmethod
    def of(cls, language: str, reworded: dict[str, str] | None = None) -> "Wording":
        words = words_for(language or "en", reworded)
        return cls(tuple((key, words[key]) for key in RENDERED_WORDS), stemming_for(language))


def format_date(when: datetime.date, words: dict[str, str]) -> str:
    """Return a date as readers of the words' language write it: '3 February
    2026', '3. Februar 2026', '2026年2月3日'."""
    months = words["months"].split() or WORDS["en"]["months"].split()
    return words["date"].format(day=when.day, month=months[when.month - 1],
                                month_number=when.month, year=when.year)


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


def errors_in(problems: Iterable[PageError]) -> list[PageError]:
    """Return the problems that are errors, not warnings."""
    return [problem for problem in problems if not problem.warning]


class GuideErrors(Exception):
    """Every problem found while loading a guide, sorted by file and line."""

    def __init__(self, errors: Iterable[PageError]):
        self.errors = sorted(errors, key=PageError.sort_key)
        super().__init__("\n".join(map(str, self.errors)))


###############################################################################
# Loading pages ###############################################################
###############################################################################

@dataclasses.dataclass(frozen=True, slots=True)
class Rendered:
    """What a page's Markdown becomes: its HTML, and everything later steps
    read from it, derived once from mistune's tokens (and what the render
    cache keeps, so that an unchanged page is never rendered again)."""
    html: str
    toc: tuple                  # ((level, id, text), ...) for h2 and h3
    ids: frozenset              # every id an element of the HTML has
    text: str                   # what a reader sees, one line per block
    summary: str                # the first paragraph's text, shortened
    links: tuple                # ((target as written, line in the file), ...)
    images_without_alt: tuple   # ((source, line in the file), ...)
    templates: tuple            # (how many template tags, the first one's line), or ()
    bad_formulas: tuple         # ((formula, line), ...) shown as code, not MathML
    file_links: tuple           # ((attribute, its value in html, target), ...) of links
                                # to files beside the page (flask.md, img/a.png), which
                                # the guide makes their pages' or files' URLs
    sections: tuple = ()        # ((where its heading starts in text, its id), ...)


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Page:
    """One Markdown file: what its front matter says and what it renders to."""
    path: str                   # as shown in messages, e.g. 'pages/flask.md'
    url: str                    # where it is served: /flask.html, /docs/install/, /
    slug: str                   # its name, the key it is found by (see slug_of)
    flat_slug: str              # its name at the top of the site, which leads to
                                # it if no other page has it (see page_address)
    title: str
    category: str
    sort_order: float | None
    description: str            # from front matter; may be empty
    draft: bool
    meta: dict                  # every front-matter key, lower-cased
    mtime: float
    body_line: int              # line in the file where the Markdown starts
    file: str                   # the source file, absolute
    source: str                 # the file's path inside the pages folder
    field_lines: dict           # front-matter key -> its line in the file
    redirect_from: tuple        # old slugs that now lead here
    next_slugs: tuple           # `next:` pages for the "What's next?" box
    date: datetime.datetime | None      # posts only: when published
    modified: datetime.datetime | None  # posts: when last changed, if said
    home: bool                  # the guide's own text, shown at / above its contents
    folder_page: bool           # its folder's own page, which opens the chapter
    nav_title: str              # its name in the navigation: nav_title, else the title
    in_nav: bool                # in the navigation (else served, searched, not listed)
    show_toc: bool              # shows its "On this page" box (toc: false hides it)
    rendered: Rendered
    tags: tuple[str, ...] = ()  # see tags_of
    committed: datetime.datetime | None = None  # its file's last commit, in git

    @property
    def html(self) -> str:
        return self.rendered.html

    @property
    def toc(self) -> tuple:
        return self.rendered.toc

    @property
    def text(self) -> str:
        return self.rendered.text

    @property
    def summary(self) -> str:
        """Return the description, else the first paragraph's text."""
        return self.description or self.rendered.summary

    @property
    def is_post(self) -> bool:
        return self.category == "post"

    @property
    def updated(self) -> datetime.datetime | None:
        """Return when the page last changed, as far as it is known: its
        front matter's modified, else its file's last commit in git, else
        (a post) its date.  Never the file's time: a fresh clone would make
        every page look new."""
        return self.modified or self.committed or self.date

    @property
    def changed(self) -> datetime.datetime:
        """Return updated, or the file's time when nothing better is known
        (for what must have a date, such as the feed's entries)."""
        return self.updated or datetime.datetime.fromtimestamp(self.mtime, datetime.timezone.utc)

    def __repr__(self) -> str:
        return f"<Page {self.slug!r} from {self.path}>"


def load_guide(pages_dir: Path, drafts: bool = False, cache: "RenderCache | None" = None,
               config_file: Path | None = None) -> "Guide":
    """Return the Guide built from every page under pages_dir.

    Raises GuideErrors listing every problem found when one is an error
    (warnings alone do not stop anything; `check` shows them)."""
    guide, problems = read_guide(pages_dir, drafts, cache, config_file)
    if errors_in(problems):
        raise GuideErrors(problems)
    return guide


def read_guide(pages_dir: Path, drafts: bool = False, cache: "RenderCache | None" = None,
               config_file: Path | None = None, searched: bool = True
               ) -> tuple["Guide", list[PageError]]:
    """Return the guide made of what loads under pages_dir, and every problem
    found: files, then pages, then the guide.  Start-up, `check` and `build`
    read a guide this way; reload re-reads only what changed and then
    assembles the guide the same way.  Its settings are in config_file
    (default: guide.toml in pages_dir); searched says whether it will be
    searched (`check` does not search: see read_pages)."""
    folder = look_at_folder(pages_dir, list_folder(pages_dir), config_file)
    results = read_pages(folder.pages, pages_dir, cache or RenderCache(None),
                         folder.config.wording(), searched)
    return assemble_guide(pages_dir, results, drafts, folder, git_dates(pages_dir))


def list_folder(pages_dir: Path) -> list[str]:
    """Return the path inside pages_dir of every file in it (hidden folders,
    such as .git, are not looked into; nor are linked folders, which are
    listed with a '/' at the end, so that look_at_folder can say so)."""
    relatives = []
    for root, folders, names in os.walk(pages_dir):
        folders[:] = [name for name in folders if not name.startswith(".")]
        prefix = os.path.relpath(root, pages_dir).replace(os.sep, "/")
        linked = [f"{name}/" for name in folders if os.path.islink(os.path.join(root, name))]
        relatives += [name if prefix == "." else f"{prefix}/{name}" for name in names + linked]
    return relatives


@dataclasses.dataclass(frozen=True)
class PagesFolder:
    """What a pages folder holds, looked at once: its settings (guide.toml),
    its page files in path order, the files served beside the pages, and
    the problems found in that look."""
    config: "GuideConfig"
    pages: list[Path]
    assets: dict[str, Path]
    problems: list[PageError]
    kinds: dict[str, tuple] = dataclasses.field(default_factory=dict)  # see look_at


def look_at_folder(pages_dir: Path, relatives: Iterable[str],
                   config_file: Path | None = None, before: PagesFolder | None = None
                   ) -> PagesFolder:
    """Return what the files of pages_dir named by relatives are: pages
    (see is_page_path) and assets (see is_asset_path; one that is a link
    leading outside pages_dir is refused, with a warning: nothing outside
    the folder is ever served), and warnings for .mdx files and for names
    that are not UTF-8, which are left out.  The guide's settings are in
    config_file (default: guide.toml in pages_dir).  A file the look
    before saw, with the same settings, is not looked at again (reload:
    at 10 000 pages, a new page cost a tenth of a second of looking)."""
    config, problems = read_guide_config(config_file or pages_dir / GUIDE_CONFIG_NAME)
    relatives = sorted(relatives, key=lambda relative: relative.split("/"))  # as Paths sort
    known = before.kinds if before is not None and before.config == config else {}
    root = pages_dir.resolve()
    kinds = {relative: known.get(relative) or look_at(pages_dir, root, relative, config.exclude)
             for relative in relatives}
    pages, assets, mdx, not_utf8 = [], {}, 0, []
    for relative, (kind, found) in kinds.items():
        if kind == "page":
            pages.append(found)
        elif kind == "asset":
            assets[relative] = found
        elif kind == "problem":
            problems.append(found)
        elif kind == "mdx":
            mdx += 1
        elif kind == "not utf-8":
            not_utf8.append(found)
    shown = display_path(pages_dir)
    if mdx:
        problems.append(PageError(shown, None, f"{plural(mdx, '.mdx file')} left out: MDX "
                                               "mixes JavaScript into Markdown, and guide.py "
                                               "reads Markdown", warning=True))
    if not_utf8:
        problems.append(PageError(shown, None, "left out, as their names are not UTF-8: "
                                               f"{', '.join(sorted(not_utf8))}", warning=True))
    return PagesFolder(config, pages, assets, problems, kinds)


def look_at(pages_dir: Path, root: Path, relative: str, exclude: Iterable[str]
            ) -> tuple[str, object]:
    """Return what a file of the pages folder (whose real path is root) is,
    as (kind, what it gives):
    ('page', its path), ('asset', its path), ('problem', a PageError),
    ('mdx', None), ('not utf-8', its name written in ASCII) or ('', None)
    for a file left alone (see look_at_folder)."""
    is_page = is_page_path(relative, exclude)
    if not utf8_name(relative):
        return "not utf-8", ascii(relative)
    if relative.endswith("/"):
        if is_left_out(relative.rstrip("/") + "/x.md", exclude):
            return "", None
        return "problem", PageError(display_path(pages_dir / relative), None,
                                    "not read: a linked folder", warning=True)
    if is_page and os.path.islink(os.path.join(pages_dir, relative)) and not (
            pages_dir / relative).resolve().is_relative_to(root):
        return "problem", PageError(display_path(pages_dir / relative), None,
                                    "not read: it leads outside the pages folder", warning=True)
    if is_page:  # one that cannot be read says so
        return "page", pages_dir / relative
    if is_asset_path(relative, exclude) and (pages_dir / relative).is_file():
        path = pages_dir / relative
        if path.resolve().is_relative_to(root):
            return "asset", path
        return "problem", PageError(display_path(path), None, "not served: it leads "
                                    "outside the pages folder", warning=True)
    if relative.lower().endswith(".mdx") and not is_left_out(relative, ()):
        return "mdx", None
    return "", None


def utf8_name(name: str) -> bool:
    """Return whether a file name is UTF-8 (Python keeps other bytes as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# What reading one file gives: (file, its Page or None, its problems).
ReadResult = tuple[Path, "Page | None", list[PageError]]


def assemble_guide(pages_dir: Path, results: list[ReadResult], drafts: bool,
                   folder: PagesFolder, dates: dict[str, datetime.datetime] | None = None,
                   kept: "Assembly | None" = None) -> tuple["Guide", list[PageError]]:
    """Return the guide made of the pages that loaded, with the files
    beside them and their files' last commits (dates: see git_dates), and
    every problem (the folder's own among them).

    The one policy, wherever the pages come from: drafts are left out
    unless asked for; a page whose slug a page earlier in path order
    already has is left out (the problem names both files).

    Reload passes kept, the same Assembly at every save: what the last
    assembly made, which this one uses (see reassemble) and then replaces."""
    dates = dates or {}
    if kept is not None and kept.guide is not None:
        reassembled = reassemble(kept, results, folder, dates)
        if reassembled is not None:
            return reassembled
    config, assets, problems = folder.config, folder.assets, list(folder.problems)
    if not pages_dir.is_dir():
        problems.append(PageError(display_path(pages_dir), None, "pages folder does not exist"))
    elif not results:
        problems.append(PageError(display_path(pages_dir), None,
                                  "no pages found (*.md or *.markdown files)"))
    pages, broken = [], {}
    for path, page, errors in results:
        if page is not None and (drafts or not page.draft):
            pages.append(page)
        elif page is None:  # its address says what is wrong
            url = intended_url(pages_dir, path)
            if "//" not in url and url != "/":
                broken[url] = (errors[0].path, tuple(map(str, errors)))
    pages, clashes = drop_duplicate_slugs(pages)
    problems += clashes + find_redirect_collisions(pages)
    by_source = {page.source: page for page in pages}
    before = kept.placed if kept is not None else {}
    placed = {page.source: place_page(page, before.get(page.source), by_source, assets,
                                      dates.get(page.source)) for page in pages}
    logo, logo_problems = image_url("logo", config.logo, assets, pages_dir)
    image, image_problems = image_url("image", config.image, assets, pages_dir)
    guide = Guide.from_pages([placed[page.source].page for page in pages], title=config.title,
                             description=config.description, language=config.language,
                             broken=broken, assets=assets, logo=logo, image=image,
                             words=dict(config.words))
    problems += logo_problems + image_problems
    problems += find_unknown_next_pages(guide)
    if kept is not None:
        kept.folder, kept.results, kept.placed, kept.guide, kept.problems = \
            folder, results, placed, guide, problems
    return guide, sorted(problems + read_errors(results), key=PageError.sort_key)


def read_errors(results: list[ReadResult]) -> list[PageError]:
    """Return the problems found in reading the pages' files."""
    return [error for _path, _page, errors in results for error in errors]


@dataclasses.dataclass
class Assembly:
    """What the last assembly of a guide made (see assemble_guide), kept
    by reload so that a save assembles again only what it changed."""
    folder: PagesFolder | None = None
    results: list[ReadResult] = dataclasses.field(default_factory=list)  # what it was made of
    placed: dict[str, "Placed"] = dataclasses.field(default_factory=dict)  # source -> its page
    guide: "Guide | None" = None
    problems: list[PageError] = dataclasses.field(default_factory=list)  # but read_errors


def reassemble(kept: Assembly, results: list[ReadResult], folder: PagesFolder,
               dates: dict[str, datetime.datetime]) -> tuple["Guide", list[PageError]] | None:
    """Return the guide and the problems of results when they differ from
    what kept was made of only by pages read again that show the others
    the same of themselves as before (see page_shape): the usual save,
    which changes a page's text, or its mistakes.  Then every page keeps
    its place, and the guide's own problems (a slug two pages claim, a
    `next:` that names no page) are those it had, unless one is in a page
    read again.  Else None: the guide is assembled again."""
    if kept.folder is not folder or len(kept.results) != len(results):
        return None
    guide, placed, swapped = kept.guide, dict(kept.placed), {}
    for (path, before, _errors), (now_path, page, _now_errors) in [
            pair for pair in zip(kept.results, results) if pair[0] is not pair[1]]:
        if path != now_path or before is None or page is None:
            return None
        earlier = placed.get(page.source)
        if earlier is None or guide.by_source.get(page.source) is not earlier.page or any(
                problem.path == page.path for problem in kept.problems):
            return None  # left out of the guide (a draft, a slug taken), or in a problem
        now = place_page(page, earlier, guide.by_source, folder.assets, dates.get(page.source))
        if page_shape(now.page) != page_shape(earlier.page):
            return None
        placed[page.source] = now
        if now.page is not earlier.page:
            swapped[earlier.page] = now.page
    kept.results, kept.placed = results, placed
    if swapped:
        kept.guide = guide.swapping(swapped)
    return kept.guide, sorted(kept.problems + read_errors(results), key=PageError.sort_key)


# The keys pages name their image for sharing by: ours, Jekyll SEO's and
# Hugo's (`images:` a list, `cover:` a map in some themes).
IMAGE_KEYS = ("image", "cover", "og_image", "featured_image", "images")


def shared_image(page: Page | None, guide: "Guide") -> tuple[str, str, str | None]:
    """Return (URL of the image shown when page is shared, as written, the
    problem with it): the page's own image (in the pages folder, from the
    page's folder or from the top with '/', or an https:// address), else
    guide.toml's (see image_url).  ('', '', None) when there is none."""
    for key in IMAGE_KEYS if page is not None else ():
        value = page.meta.get(key)
        value = value[0] if isinstance(value, list) and value else value
        value = value.get("image") or value.get("src") if isinstance(value, dict) else value
        if isinstance(value, str) and value.strip():
            written = value.strip()
            if written.startswith("https://"):
                return written, written, None
            path = file_link(written, page.source)
            if path in guide.assets:
                return urllib.parse.quote("/" + path), written, None
            return "", written, f"no file {path or written!r}"
    return guide.image, guide.image, None


def git_dates(pages_dir: Path) -> dict[str, datetime.datetime]:
    """Return {path inside pages_dir: when the last commit that changed it
    was made} when pages_dir is in a git repository, from one `git log`
    for the whole guide (newest first: a file's first mention is its last
    change); {} when it is not, or git is not there."""
    try:
        log = subprocess.run(
            ["git", "-C", str(pages_dir), "-c", "core.quotepath=off", "log", "--relative",
             "--no-renames", "--name-only", "--format=%x00%cI", "--", "."],
            capture_output=True, timeout=60, check=True).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return {}
    dates = {}
    for commit in log.split("\0")[1:]:
        when, *names = commit.strip("\n").split("\n")
        try:
            date = datetime.datetime.fromisoformat(when)
        except ValueError:
            continue
        for name in names:
            if name:
                dates.setdefault(name, date)
    return dates


def image_url(key: str, value: str, assets: dict[str, Path], pages_dir: Path
              ) -> tuple[str, list[PageError]]:
    """Return the URL of the image guide.toml's key names (an image in the
    pages folder, or at an https:// address) and what is wrong with it."""
    if not value or value.startswith("https://"):
        return value, []
    path = posixpath.normpath(value.lstrip("/"))
    if path in assets:
        return urllib.parse.quote("/" + path), []
    return "", [PageError(display_path(pages_dir / GUIDE_CONFIG_NAME), None,
                          f"{key} {value!r} is neither an image in the pages folder "
                          "nor an https:// address")]


class Placed(NamedTuple):
    """A page as read, and as it goes into the guide (see place_page)."""
    read: Page
    paths: tuple            # the file each of its links to files names (see file_link)
    made_with: tuple        # (its file's last commit, the URL each of those links leads to)
    page: Page


def place_page(page: Page, before: Placed | None, by_source: dict[str, Page],
               assets: dict[str, Path], committed: datetime.datetime | None) -> Placed:
    """Return page placed among the others: with its file's last commit,
    and its links to files beside it leading to where the site serves them:
    a Markdown file's to its page (`flask.md`, `../deployment/nginx.md#tls`),
    an image's or a download's to its path (`img/a.png` from
    `chapter/flask.md`, served at `/flask.html`, is `/chapter/img/a.png`).
    Guides written for GitHub, MkDocs or Docusaurus link this way; the
    cached rendering keeps the links as written, since what they lead to
    may move.  What before placed the same way (reload: see
    assemble_guide) is kept: at each save of a large guide in git, placing
    every page again was most of the work."""
    same = before is not None and before.read is page
    paths = before.paths if same else tuple(
        file_link(target, page.source) for _attribute, _written, target in page.rendered.file_links)
    urls = []
    for path, (_attribute, _written, target) in zip(paths, page.rendered.file_links):
        fragment = target.partition("#")[2]
        fragment = "#" + fragment if fragment else ""
        urls.append(by_source[path].url + fragment if path in by_source else
                    urllib.parse.quote("/" + path) + fragment if path in assets else
                    None)  # check says it is broken
    made_with = (committed, tuple(urls))
    if same and before.made_with == made_with:
        return before
    page_html = page.html
    for (attribute, written, _target), url in zip(page.rendered.file_links, urls):
        if url is not None:
            page_html = page_html.replace(f'{attribute}="{written}"',
                                          f'{attribute}="{html.escape(url)}"')
    rendered = page.rendered if page_html == page.html else \
        dataclasses.replace(page.rendered, html=page_html)
    placed = page if rendered is page.rendered and committed is None else \
        dataclasses.replace(page, rendered=rendered, committed=committed)
    return Placed(page, paths, made_with, placed)


def file_link(target: str, from_source: str = "") -> str | None:
    """Return the path inside the pages folder of the file a link names
    (a page's Markdown file or an asset), seen from the page at
    from_source ('../b/c.md#x' from 'a/p.md' is 'b/c.md'; '/b/c.md' starts
    at the pages folder), or None when target names no such file."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if posixpath.splitext(path)[1].lower() not in FILE_SUFFIXES:  # most links: at once
        return None
    try:
        parts = urllib.parse.urlsplit(target)
    except ValueError:  # malformed: check says so
        return None
    if parts.scheme or parts.netloc:
        return None
    path = urllib.parse.unquote(parts.path)
    folder = "" if path.startswith("/") else posixpath.dirname(from_source)
    return posixpath.normpath(posixpath.join(folder, path.lstrip("/"))).lstrip("/")


def is_page_path(relative: str, exclude: Iterable[str] = ()) -> bool:
    """Return whether a path inside the pages folder ('a/b.md') names a
    page: a Markdown file that is_left_out does not leave out."""
    return relative.lower().endswith(PAGE_SUFFIXES) and not is_left_out(relative, exclude)


def is_asset_path(relative: str, exclude: Iterable[str] = ()) -> bool:
    """Return whether a path inside the pages folder names a file to serve
    beside the pages: one of ASSET_SUFFIXES that is_left_out does not
    leave out."""
    return (PurePosixPath(relative).suffix.lower() in ASSET_SUFFIXES
            and not is_left_out(relative, exclude))


def is_left_out(relative: str, exclude: Iterable[str]) -> bool:
    """Return whether a file of the pages folder is left out as other tools
    leave it out: its name starts with '.' or '_' (Hugo's _index.md
    aside), a folder it is in starts with '.' or is one of
    NOT_PAGE_FOLDERS, or an `exclude` pattern of guide.toml matches it
    ('drafts/*', 'README.md'; a pattern that matches a folder leaves out
    all that is in it)."""
    if not utf8_name(relative):  # the server could not name it in a URL: see look_at_folder
        return True
    *folders, name = relative.split("/")
    if name.startswith(".") or (name.startswith("_") and
                                name.lower() not in ("_index.md", "_index.markdown")):
        return True
    if any(folder.startswith(".") or folder in NOT_PAGE_FOLDERS for folder in folders):
        return True
    if not exclude:
        return False
    ancestors = ["/".join(folders[:depth]) for depth in range(1, len(folders) + 1)]
    return any(fnmatch.fnmatchcase(path, pattern.strip("/"))
               for pattern in exclude for path in [relative, *ancestors])


@dataclasses.dataclass(frozen=True)
class GuideConfig:
    """A guide's settings, from its guide.toml; all are optional."""
    title: str = ""
    description: str = ""
    language: str = ""          # the pages' language, a BCP 47 tag: en, de, pt-BR, zh-Hans
    logo: str = ""              # an image in the pages folder, or an https:// address
    image: str = ""             # shown when a page is shared, unless it has its own
    exclude: tuple[str, ...] = ()  # paths and patterns in the pages folder that are not pages
    site_url: str = ""
    edit_url: str = ""
    base_path: str = ""
    pages: str = ""             # the pages folder, inside the guide folder (default: pages)
    words: tuple = ()           # ((word's key, the guide's own wording), ...): see WORDS

    def wording(self) -> Wording:
        return Wording.of(self.language, dict(self.words))


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def config_text(value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, got {value!r}")
    return value


def config_language(value) -> str:
    if not LANGUAGE_TAG.fullmatch(config_text(value)):
        raise ValueError(f"must be a language tag such as en, de or pt-BR, got {value!r}")
    return value


def config_list(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"must be a list of strings, got {value!r}")
    return tuple(value)


def config_url(value) -> str:
    try:
        return web_url(config_text(value).strip())
    except ValueError:
        raise ValueError(f"must be an http:// or https:// URL, got {value!r}") from None


def config_words(value) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise ValueError(f"must be a table of words, such as next = \"Weiter\", got {value!r}")
    unknown = sorted(set(value) - WORDS["en"].keys())
    if unknown:
        close = difflib.get_close_matches(unknown[0], WORDS["en"], n=1)
        raise ValueError(f"has an unknown word {unknown[0]!r}" + (
            f"; did you mean {close[0]!r}?" if close else
            f"; known: {', '.join(WORDS['en'])}"))
    for key, text in value.items():  # the same {placeholders} as ours, and twelve months
        names = {name for _text, name, _spec, _conversion in string.Formatter().parse(
            WORDS["en"][key]) if name}
        try:
            text.format(**dict.fromkeys(names, ""), month="", month_number="", day="", year="")
        except (KeyError, ValueError, IndexError):
            raise ValueError(f"word {key!r} may hold only the placeholders "
                             f"{', '.join('{%s}' % name for name in sorted(names)) or 'none'}"
                             f", got {text!r}") from None
        if key == "months" and len(text.split()) not in (0, 12):
            raise ValueError(f"word 'months' must name twelve months, got {text!r}")
    return tuple(value.items())


def config_folder(value) -> str:
    if not config_text(value).strip() or PurePosixPath(value).is_absolute():
        raise ValueError(f"must be a folder inside the guide's folder, got {value!r}")
    return value


CONFIG_READERS = {"title": config_text, "description": config_text,
                  "language": config_language, "logo": config_text, "image": config_text,
                  "exclude": config_list,
                  "site_url": config_url, "edit_url": config_url,
                  "base_path": lambda value: base_path_of(config_text(value)),
                  "pages": config_folder, "words": config_words}


def read_guide_config(path: Path) -> tuple[GuideConfig, list[PageError]]:
    """Return the settings in guide.toml at path (the defaults when there is
    none) and every problem found in it, each at its line.  A setting with
    a problem keeps its default; `site-url` is another spelling of site_url."""
    if not path.is_file():
        return GuideConfig(), []
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
        config = tomllib.loads(text)
    except OSError as error:
        return GuideConfig(), [PageError(shown, None, f"cannot read the file: {error.strerror}")]
    except UnicodeDecodeError:
        return GuideConfig(), [PageError(shown, None, "not UTF-8 text")]
    except tomllib.TOMLDecodeError as error:
        line, message = toml_error(error, len(text.splitlines()))
        return GuideConfig(), [PageError(shown, line, f"not valid TOML: {message}")]
    values, problems = {}, []
    for key, value in config.items():
        name = key.replace("-", "_")
        line = setting_line(text, key)
        if name not in CONFIG_READERS:
            close = difflib.get_close_matches(name.lower(), CONFIG_READERS, n=1, cutoff=0.6)
            problems.append(PageError(shown, line, f"unknown setting {key!r}" + (
                f"; did you mean {close[0]!r}?" if close else
                f"; known: {', '.join(CONFIG_READERS)}")))
            continue
        try:
            values[name] = CONFIG_READERS[name](value)
        except ValueError as error:
            named = re.search(r"word '(\w+)'", str(error))  # a word of [words]: at its own line
            line = setting_line(text, named[1]) or line if named else line
            problems.append(PageError(shown, line, f"{key} {error}"))
    return GuideConfig(**values), problems


def setting_line(text: str, key: str) -> int | None:
    """Return the line of guide.toml text that sets key (or opens its table)."""
    quoted = re.escape(key)
    written = re.compile(rf"""\s*\[*\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*[=\].]""")
    return next((number for number, line in enumerate(text.splitlines(), 1)
                 if written.match(line)), None)


def tags_of(meta: dict) -> tuple[str, ...]:
    """Return a page's tags: `tags: [wsgi, deployment]`, a `- tag` list,
    or text (`wsgi, deployment`; Jekyll's `wsgi deployment`)."""
    value = meta.get("tags") or ()
    if isinstance(value, str):
        value = value.split(",") if "," in value else value.split()
    return tuple(dict.fromkeys(" ".join(tag.split()) for tag in value
                               if isinstance(tag, str) and tag.strip()))


def read_pages(files: list[Path], pages_dir: Path, cache: "RenderCache",
               wording: Wording = Wording(), searched: bool = True) -> list[ReadResult]:
    """Return (file, Page or None, problems) for every file of pages_dir,
    rendered in wording.

    Front matter is read here; each body is rendered unless the cache holds
    its rendering already.  Rendering is the cost of a cold start, so what
    must be rendered is rendered by every core, then kept in the cache with,
    when the guide is to be searched, its pages' search terms."""
    sources = [read_page_source(pages_dir, path) for path in files]
    keys = [render_key(source.body, source.values["body_line"], wording) if source else None
            for source, _errors in sources]
    rendered = cache.get_many("rendered", [key for key in keys if key], decode_rendered)
    missing = {key: (source.body, source.values["body_line"], source.values["title"],
                     source.values["tags"])
               for key, (source, _errors) in zip(keys, sources)
               if key and key not in rendered}
    fresh, entries, terms = {}, {}, {}
    for key, (made, entry, counted) in zip(missing, map_in_processes(
            render_body, list(missing.values()), wording, cache.path is not None, searched)):
        if entry is not None:
            made, entries[key] = decode_rendered(entry), entry
        if counted is not None:
            terms[counted[0]] = counted[1]
        fresh[key] = made
    cache.put_many("rendered", entries)
    cache.put_many("terms", terms)
    rendered.update(fresh)
    return [(path, Page(**source.values, rendered=rendered[key]) if source else None, errors)
            for path, key, (source, errors) in zip(files, keys, sources)]


def render_body(wording: Wording, kept: bool, searched: bool,
                item: tuple[str, int, str, tuple[str, ...]]
                ) -> tuple[Rendered | None, bytes | None, tuple[str, bytes] | None]:
    """Return (render_markdown(body, first line, wording), None, None) for
    (body, first line, title, tags); or, when it is kept in a cache, (None,
    the rendering encoded for the cache, and if the guide is searched, (its
    search terms' key, the terms encoded)): encoded and counted here, by
    the core that has the page at hand, rather than one by one by the
    process that waits for every core."""
    body, first_line, title, tags = item
    rendered = render_markdown(body, first_line, wording)
    if not kept:
        return rendered, None, None
    headings = heading_text(rendered.toc, tags)
    return None, encode_rendered(rendered), (
        terms_key(title, headings, rendered.text, wording.stemming),
        encode_terms(term_counts(title, headings, rendered.text, wording.stemming))
    ) if searched else None


@dataclasses.dataclass(frozen=True, slots=True)
class PageSource:
    """A page file read and its front matter checked: all but the rendering."""
    values: dict    # the Page's fields, but `rendered`
    body: str       # the Markdown, with a leading title heading blanked out


def read_page_source(pages_dir: Path, path: Path) -> tuple[PageSource | None, list[PageError]]:
    """Return what a file of pages_dir says and the problems found in it
    (never raises for bad content: every problem is collected)."""
    source = path.relative_to(pages_dir).as_posix()
    shown_dir, resolved_dir = folder_names(pages_dir, os.getcwd())
    shown = source if shown_dir == "." else f"{shown_dir}/{source}"
    try:
        raw = path.read_bytes()
        mtime = path.stat().st_mtime
    except OSError as error:  # unreadable, or gone since the folder was listed
        return None, [PageError(shown, None, f"cannot read the file: {error.strerror}")]
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
    unreadable = {key for key, (value, _line) in fields.items() if value is None}
    fields = {key: field for key, field in fields.items() if key not in unreadable}
    meta = {key: value for key, (value, _line) in fields.items()}
    fields, warnings = canonical_fields(shown, fields, errors)
    meta.setdefault("description", fields.get("description", ("", 0))[0])
    read_addresses_of_other_tools(path, fields)

    title = fields.get("title", ("", 1))[0]
    body, heading_title = drop_leading_title(body, title)
    title = title or heading_title
    if not title and "title" not in unreadable:
        errors.append(PageError(shown, 1, "missing title: add 'title: ...' "
                                          "or start the page with '# Title'"))
    folder_page = is_folder_page(path, source)
    url, flat_slug = page_address(shown, path, source, folder_page, fields, errors, warnings)
    sort_order = check_sort_order(shown, fields, errors)
    if sort_order is None and not folder_page:
        sort_order = order_in_name(path.name)
    in_nav = check_flag(shown, fields, "nav", errors, default=True) and not any(
        str(fields.get(key, ("",))[0]).lower() in ("true", "yes") for key in NOT_IN_NAV_KEYS)
    draft = check_flag(shown, fields, "draft", errors)
    if "published" in fields and "draft" not in fields:  # Jekyll: published: false
        draft = not check_flag(shown, fields, "published", errors)
    if str(fields.get("status", ("",))[0]).lower() in ("draft", "hidden"):  # Pelican
        draft = True
    redirect_from = check_slug_list(shown, fields, "redirect_from", errors)
    next_slugs = check_slug_list(shown, fields, "next", errors)
    category = fields.get("category", ("page", 0))[0] or "page"
    date = check_date(shown, fields, "date", errors, required=category == "post")
    modified = check_date(shown, fields, "modified", errors, required=False)
    if errors:
        return None, errors + warnings
    return PageSource(values=dict(
        path=shown, url=url, slug=slug_of(url), flat_slug=flat_slug, title=title, category=category,
        sort_order=sort_order, description=fields.get("description", ("", 0))[0],
        draft=draft, meta=meta, tags=tags_of(meta), mtime=mtime, body_line=body_line,
        file=os.path.join(resolved_dir, source), source=source,
        field_lines={key: line for key, (_value, line) in fields.items()},
        redirect_from=redirect_from, next_slugs=next_slugs, date=date, modified=modified,
        home=url == "/", folder_page=folder_page and url != "/",
        nav_title=str(fields.get("nav_title", ("",))[0]) or title, in_nav=in_nav,
        show_toc=check_flag(shown, fields, "toc", errors, default=True),
    ), body=body), warnings


def intended_url(pages_dir: Path, path: Path) -> str:
    """Return the URL a page that did not load was meant to have: what its
    front matter says (slug, permalink...) as far as it can be read, else
    its path's."""
    source = path.relative_to(pages_dir).as_posix()
    folder_page = is_folder_page(path, source)
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return path_url(source, folder_page)
    fields, _body, _line = split_front_matter(source, text, [])
    if not fields:
        return path_url(source, folder_page)
    fields, _warnings = canonical_fields(source, {key: field for key, field in fields.items()
                                                  if field[0] is not None}, [])
    read_addresses_of_other_tools(path, fields)
    return page_address(source, path, source, folder_page, fields, [], [])[0]


def read_addresses_of_other_tools(path: Path, fields: dict) -> None:
    """Fill in fields what other tools say by a file's name and place:
    Jekyll's _posts/2017-01-02-a-title.md is a post of that day, with that
    title and slug."""
    post = JEKYLL_POST.fullmatch(path.stem) if "_posts" in path.parts else None
    if post:
        fields.setdefault("category", ("post", 1))
        fields.setdefault("date", (post.group(1), 1))
        fields.setdefault("title", (post.group(2).replace("-", " ").title(), 1))
        if slugify(post.group(2)):
            fields.setdefault("slug", (slugify(post.group(2)), 1))


def page_address(shown: str, path: Path, source: str, folder_page: bool, fields: dict,
                 errors: list[PageError], warnings: list[PageError]) -> tuple[str, str]:
    """Return the page's URL and the name it had at the top of the site
    before folders were part of addresses ('' when it is the same).

    A page says where it is served with `slug: flask` (at /flask.html, in
    whatever folder it is), or with an address in folders (`slug:
    /docs/x`, `permalink: /docs/x/`, Hugo's `url:`).  Else its path gives
    it: docs/install/linux.md is /docs/install/linux.html, and a folder's
    own page (see is_folder_page) is the folder's address, /docs/install/;
    the top folder's is the home page, /."""
    written, line = fields.get("slug", ("", 1))
    written = written.strip() if isinstance(written, str) else ""
    if ":" in written:  # Jekyll's permalink patterns, /:categories/:title/
        warnings.append(PageError(shown, line, f"address pattern {written!r} is not read; "
                                               "the page is served at its file's path",
                                  warning=True))
        written = ""
    if written == "/":
        return "/", ""
    if written and "/" not in written.strip("/"):
        slug = written.strip("/").removesuffix(".html")
        if not is_slug(slug):
            errors.append(PageError(shown, line, "slug may contain only letters, digits, "
                                                 f"'-' and '_', got {written!r}"))
        elif slug.lower() in RESERVED_SLUGS:
            errors.append(PageError(shown, line, f"slug {slug!r} is reserved for the site's "
                                                 "own pages; choose another"))
        return f"/{slug}.html", ""
    if written:
        names = written.strip("/").removesuffix(".html").split("/")
        bad = next((name for name in names if not is_slug(name)), None)
        if bad is not None:
            errors.append(PageError(shown, line, f"address {written!r} may contain only "
                                                 "folders and names of letters, digits, '-' "
                                                 "and '_'"))
        elif names[0].lower() in RESERVED_FOLDERS:
            errors.append(PageError(shown, line, f"address {written!r} is in /{names[0]}/, "
                                                 "which is the site's own; choose another"))
        return "/" + "/".join(names) + ("/" if written.endswith("/") else ".html"), ""
    if folder_page and "/" not in source:
        return "/", ""
    url = path_url(source, folder_page)
    names = url.strip("/").removesuffix(".html").split("/")
    if not all(names):
        empty = next(folder for folder, name in zip(source.split("/"), names) if not name)
        errors.append(PageError(shown, 1, f"cannot make an address from the name {empty!r}: "
                                          "add 'slug: ...'"))
    elif "/" not in source and names[0].lower() in RESERVED_SLUGS:
        errors.append(PageError(shown, 1, f"slug {names[0]!r} is reserved for the site's "
                                          "own pages; add 'slug: ...' with another"))
    elif "/" in source and names[0].lower() in RESERVED_FOLDERS:
        errors.append(PageError(shown, 1, f"folder {source.split('/')[0]!r} makes addresses "
                                          f"in /{names[0]}/, which is the site's own; "
                                          "rename it or add 'slug: ...'"))
    flat = file_slug(path.parent if folder_page else path) if "/" in source else ""
    return url, flat


def is_folder_page(path: Path, source: str) -> bool:
    """Return whether a page file is its folder's own page: index.md or
    _index.md (Hugo's), else README.md (as GitHub shows a folder)."""
    stem = path.stem.lower()
    if path.suffix.lower() not in PAGE_SUFFIXES:
        return False
    if stem in ("index", "_index"):
        return True
    return stem == "readme" and not any(
        (path.parent / f"{name}{suffix}").is_file()
        for name in ("index", "_index") for suffix in PAGE_SUFFIXES)


def path_url(source: str, folder_page: bool) -> str:
    """Return the URL a page's path inside the pages folder gives it:
    '04-web-development/03-flask.md' is /web-development/flask.html, a
    folder's own page the folder's address (numbers that order files and
    folders, and the '_' of Jekyll's collections, are not part of it)."""
    *folders, name = source.split("/")
    names = [file_slug(PurePosixPath(folder.lstrip("_") + ".md")) for folder in folders]
    if folder_page:
        return "/" + "".join(f"{name}/" for name in names)
    return "/" + "".join(f"{name}/" for name in names) + file_slug(PurePosixPath(name)) + ".html"


def slug_of(url: str) -> str:
    """Return the name of the page at url, the key pages are found by:
    '/flask.html' is 'flask', '/docs/install/' 'docs/install', '/' 'index'."""
    return url.strip("/").removesuffix(".html") or "index"


def canonical_fields(shown: str, fields: dict[str, tuple], errors: list[PageError]
                     ) -> tuple[dict[str, tuple], list[PageError]]:
    """Return fields with other names of our keys (KEY_ALIASES) read as
    ours, and warnings: for a name beside the key it stands for (the key
    wins, or the first of the names) and for an unknown key one typo away
    from a known one.  A list or map given to a key that takes one value
    is an error.  Other keys are kept for the views, without a word."""
    result, warnings, written_as = {}, [], {}
    for key, (value, line) in fields.items():
        if key in PAGE_KEYS and key not in LIST_KEYS and value in EMPTY_VALUES:
            continue  # `date:` with nothing, as in Jekyll and Hugo, is no date
        result.setdefault(key, (value, line))
        written_as.setdefault(key, key)
    for key, (value, line) in fields.items():
        canonical = KEY_ALIASES.get(key) or LENIENT_ALIASES.get(key)
        if canonical is None or value in EMPTY_VALUES:
            continue
        if key in LENIENT_ALIASES and not (isinstance(value, str) and (
                NUMBER.fullmatch(value) if canonical == "sort-order"
                else read_date(value) is not None)):
            continue
        if canonical not in LIST_KEYS and not isinstance(value, str):
            warnings.append(PageError(shown, line, f"{key!r} is not read as {canonical!r}: "
                                                   "it holds more than one value",
                                      warning=True))
        elif canonical in result:
            warnings.append(PageError(shown, line, f"{key!r} repeats {written_as[canonical]!r} "
                                                   f"from line {result[canonical][1]}, which "
                                                   "is used", warning=True))
        else:
            result[canonical], written_as[canonical] = (value, line), key
    for key, (value, line) in fields.items():
        if key not in PAGE_KEYS and key not in KEY_ALIASES and len(key) >= 5:
            near = next((known for known in sorted(PAGE_KEYS | KEY_ALIASES.keys())
                         if one_edit_apart(key, known) and key != known + "s"), None)
            if near:
                warnings.append(PageError(shown, line, f"unknown key {key!r}; did you mean "
                                                       f"{near!r}?", warning=True))
    for key, (value, line) in list(result.items()):
        if key in PAGE_KEYS and key not in LIST_KEYS and not isinstance(value, str):
            kind = "a list" if isinstance(value, list) else "a map"
            errors.append(PageError(shown, line, f"{key} takes one value, got {kind}"))
            first = value[0] if isinstance(value, list) and value else ""
            result[key] = (first if isinstance(first, str) else "", line)  # read no further
    return result, warnings


def one_edit_apart(first: str, second: str) -> bool:
    """Return whether one letter added, removed, changed or two swapped
    turns first into second ('descripton', 'sort_order', 'tilte'; in a
    search, 'gunicron')."""
    if first == second or abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        differ = [index for index, (a, b) in enumerate(zip(first, second)) if a != b]
        return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1
                                    and first[differ[0]] == second[differ[1]]
                                    and first[differ[1]] == second[differ[0]])
    shorter, longer = sorted((first, second), key=len)
    return any(longer[:index] + longer[index + 1:] == shorter for index in range(len(longer)))


@functools.lru_cache(maxsize=16)
def folder_names(folder: Path, working_directory: str) -> tuple[str, str]:
    """Return (folder as messages show it, its absolute path): worked out
    once per folder, not once per page."""
    return display_path(folder), str(folder.resolve())


HEADER_KEYS = frozenset({"title", "slug", "sort-order", "sortorder", "category", "draft",
                         "date", "description"})  # keys that start a header, surely
PLAIN_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*))?")
# A YAML key: plain, with spaces or colons inside (`Sort Order`, `og:image`),
# or quoted; then ':' and the value, if any.
YAML_KEY = re.compile(r"""("[^"\n]+"|'[^'\n]+'|[A-Za-z_][\w.-]*(?:[ :][\w.-]+)*)"""
                      r"[ \t]*:(?:[ \t]+(.*))?")
YAML_END = "..."  # a YAML block may also end with '...' (Jekyll, Pandoc)
YAML_FENCE, TOML_FENCE = "---", "+++"


def split_front_matter(shown: str, text: str, errors: list[PageError]
                       ) -> tuple[dict[str, tuple] | None, str, int]:
    """Return ({key: (value, line)}, body, line where the body starts);
    the fields are None when the front matter cannot be read at all.

    Front matter is one of: YAML between two `---` lines (Jekyll, Hugo,
    MkDocs, Docusaurus), read by read_yaml_block; TOML between two `+++`
    lines (Hugo), read by tomllib; or `key: value` lines at the very top,
    ended by the first blank line (Pelican, MultiMarkdown), whose values
    are taken as written and where an indented line continues the value
    above it.  A value is a string, a list of strings or, for a nested
    map, a dict.  A page whose first lines are not front matter has none:
    `Note: this matters` starts a page, not a header."""
    lines = text.split("\n")
    fence = lines[0].rstrip()
    first = next((line.strip() for line in lines[1:]
                  if line.strip() and not line.startswith("#")), "")
    if fence == YAML_FENCE and not (YAML_KEY.fullmatch(first) or first in (YAML_FENCE,
                                                                            YAML_END)):
        return {}, text, 1  # a rule at the top of a page, not front matter
    if fence in (YAML_FENCE, TOML_FENCE):
        ends = (fence, YAML_END) if fence == YAML_FENCE else (fence,)
        closing = next((index for index, line in enumerate(lines[1:], start=1)
                        if line.rstrip() in ends), None)
        if closing is None:
            errors.append(PageError(shown, 1, f"front matter opened with {fence!r} is never "
                                              "closed"))
            return None, text, 1
        read = read_yaml_block if fence == YAML_FENCE else read_toml_block
        fields = read(shown, lines[1:closing], 2, errors)
        return fields, "\n".join(lines[closing + 1:]), closing + 2
    blank = next((index for index, line in enumerate(lines) if not line.strip()), len(lines))
    fields = read_plain_header(shown, lines[:blank], errors)
    if fields is None:
        return {}, text, 1
    return fields, "\n".join(lines[blank:]), blank + 1


SETEXT_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")


def read_plain_header(shown: str, lines: list[str], errors: list[PageError]
                      ) -> dict[str, tuple] | None:
    """Return the fields of a Pelican-style header, or None when the lines
    are not one.  They are one when the first line is `key: value` with
    one of HEADER_KEYS (then a line that is not `key: value` is an error),
    or when every line is `key: value` and one of them is the title:
    `Note: this matters` or `Updated: in March` starts a page."""
    first = PLAIN_HEADER_LINE.fullmatch(lines[0].rstrip()) if lines else None
    if first is None or (len(lines) > 1 and SETEXT_UNDERLINE.fullmatch(lines[1])):
        return None  # `Title: a heading` underlined with === or --- is a heading
    surely = first.group(1).lower() in HEADER_KEYS
    fields: dict[str, tuple] = {}
    problems = []
    last_key = None
    for number, line in enumerate(lines, start=1):
        line = line.rstrip()
        match = PLAIN_HEADER_LINE.fullmatch(line)
        if match and match.group(1).lower() in fields:
            key = match.group(1).lower()
            problems.append(PageError(shown, number, f"duplicate key {key!r} "
                                                     f"(first on line {fields[key][1]})"))
        elif match:
            last_key = match.group(1).lower()
            fields[last_key] = ((match.group(2) or "").strip(), number)
        elif line[:1] in (" ", "\t") and last_key:
            value, first_line = fields[last_key]
            fields[last_key] = ((value + " " + line.strip()).strip(), first_line)
        elif surely:
            problems.append(PageError(shown, number, "malformed front-matter line, expected "
                                                     f"'key: value', got {line!r}"))
        else:
            return None
    if not surely and "title" not in fields:
        return None
    errors.extend(problems)
    return fields


def read_yaml_block(shown: str, lines: list[str], first_number: int,
                    errors: list[PageError], depth: int = 0) -> dict[str, tuple]:
    """Return {key: (value, line)} for the YAML of a front-matter block, as
    far as pages use YAML: plain, 'single' and "double" quoted values,
    `[a, b]` lists (over several lines too), `- item` lists, `|` and `>`
    block values, nested maps and lists of them, `# comments` and blank
    lines.  Anchors, tags and the like are taken as plain text.  At the
    top, a line that is none of these is an error naming its line; what
    is nested is read leniently (only the keys pages use matter)."""
    fields: dict[str, tuple] = {}
    index = 0
    while index < len(lines):
        line, number = lines[index].rstrip(), first_number + index
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = YAML_KEY.fullmatch(line)
        if match is None:
            errors.append(PageError(shown, number, "malformed front-matter line, expected "
                                                   f"'key: value', got {line!r}"))
            continue
        start = index  # the lines that belong to this key: indented, blank, or '- item'
        while index < len(lines) and (not lines[index].strip()
                                      or lines[index][0] in " \t#-"):
            index += 1
        key = match.group(1).strip("'\"").lower()
        try:
            value = yaml_value((match.group(2) or "").strip(), lines[start:index], depth)
        except ValueError as error:
            errors.append(PageError(shown, number, f"{key}: {error}"))
            value = None  # said once; read_page_source reads it no further
        if key in fields:
            errors.append(PageError(shown, number, f"duplicate key {key!r} "
                                                   f"(first on line {fields[key][1]})"))
        else:
            fields[key] = (value, number)
    return fields


def yaml_value(written: str, nested: list[str], depth: int = 0) -> str | list | dict:
    """Return the value of a YAML key written as `key: written`, followed
    by the nested lines that belong to it."""
    if depth > YAML_DEPTH:
        raise ValueError(f"nested more than {YAML_DEPTH} deep")
    content = [line for line in nested if line.strip() and not line.lstrip().startswith("#")]
    if written[:1] in ("|", ">"):
        return block_text(written, nested)
    if written.startswith("["):
        return flow_list(" ".join([written, *(line.strip() for line in content)]))
    if written[:1] in ("'", '"'):
        return quoted_text(" ".join([written, *(line.strip() for line in content)]))
    if written:  # plain text, folded over its indented lines
        return " ".join(without_comment(line.strip()) for line in [written, *content]).strip()
    if not content:
        return ""
    if content[0].lstrip()[:1] in ("[", "'", '"'):  # a list or quoted text, on its own line
        return yaml_value(content[0].strip(), content[1:], depth)
    indent = min(len(line) - len(line.lstrip()) for line in content)
    if content[0].lstrip().startswith("-"):
        return yaml_list([line[indent:] for line in content], depth)
    if not YAML_KEY.fullmatch(content[0][indent:].rstrip()):  # text on the lines below
        return " ".join(without_comment(line.strip()) for line in content)
    inner = read_yaml_block("", [line[indent:] for line in nested], 1, [], depth + 1)
    return {key: value for key, (value, _line) in inner.items()}


YAML_DEPTH = 20  # nested maps and lists deeper than this are refused


def yaml_list(lines: list[str], depth: int) -> list:
    """Return the items of a `- item` YAML list: text, or a map for an
    item written `- name: x` with more `key: value` lines under it."""
    items: list[list[str]] = []
    for line in lines:
        if line.startswith("-"):
            items.append([line[1:].lstrip(" ")])
        elif items:
            items[-1].append(line)
    values = []
    for first, *rest in items:
        if YAML_KEY.fullmatch(first.rstrip()):
            inner = read_yaml_block("", [first, *(line.strip() for line in rest)], 1, [],
                                    depth + 1)
            values.append({key: value for key, (value, _line) in inner.items()})
        else:
            values.append(yaml_value(first.strip(), rest, depth + 1))
    return values


def yaml_scalar(written: str) -> str:
    """Return a one-line YAML value: unquoted, or without its comment."""
    if written[:1] in ("'", '"'):
        return quoted_text(written)
    return without_comment(written)


def without_comment(text: str) -> str:
    """Return plain YAML text without a trailing ` # comment`."""
    position = text.find(" #")
    return (text[:position] if position >= 0 else text).strip()


YAML_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "n": "\n", "t": "\t", "r": "\r", "0": "\0",
                " ": " ", "e": "\x1b", "a": "\a", "b": "\b"}


def quoted_text(written: str) -> str:
    """Return the text of a 'single' or "double" quoted YAML value (raise
    ValueError for one that is never closed or is followed by more)."""
    quote, characters, position = written[0], [], 1
    while position < len(written):
        character = written[position]
        if quote == "'" and character == "'":
            if written[position + 1:position + 2] == "'":  # '' stands for '
                characters.append("'")
                position += 2
                continue
            break
        if quote == '"' and character == '"':
            break
        if quote == '"' and character == "\\":
            escape = written[position + 1:position + 2]
            if escape in ("u", "U", "x"):
                width = {"u": 4, "U": 8, "x": 2}[escape]
                digits = written[position + 2:position + 2 + width]
                try:
                    characters.append(chr(int(digits, 16)))
                except ValueError:
                    raise ValueError(f"unknown escape \\{escape}{digits} in {written!r}") from None
                position += 2 + width
                continue
            if escape not in YAML_ESCAPES:
                raise ValueError(f"unknown escape \\{escape} in {written!r}")
            characters.append(YAML_ESCAPES[escape])
            position += 2
            continue
        characters.append(character)
        position += 1
    else:
        raise ValueError(f"the quote opened in {written!r} is never closed")
    rest = written[position + 1:].strip()
    if rest and not rest.startswith("#"):
        raise ValueError(f"text after the closing quote in {written!r}")
    text = "".join(characters)
    try:  # JSON-style "\ud83d\ude00" is one character; a lone half is none
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise ValueError(f"half of a character (a lone surrogate) in {written!r}") from None


def flow_list(written: str) -> list[str]:
    """Return the items of a `[a, "b", c]` YAML list (raise ValueError for
    one that is never closed)."""
    items, current, quote = [], [], None
    for position, character in enumerate(written[1:], start=1):
        if quote:
            current.append(character)
            if character == quote:
                quote = None
        elif character in "'\"":
            quote = character
            current.append(character)
        elif character == ",":
            items.append("".join(current))
            current = []
        elif character == "]":
            items.append("".join(current))
            rest = written[position + 1:].strip()
            if rest and not rest.startswith("#"):
                raise ValueError(f"text after the closing ']' in {written!r}")
            return [yaml_scalar(item.strip()) for item in items if item.strip()]
        else:
            current.append(character)
    raise ValueError(f"the list opened with '[' in {written!r} is never closed")


def block_text(indicator: str, nested: list[str]) -> str:
    """Return a `|` (lines kept) or `>` (lines folded) YAML block value."""
    content = [line.rstrip() for line in nested]
    indent = min((len(line) - len(line.lstrip()) for line in content if line.strip()),
                 default=0)
    lines = [line[indent:] for line in content]
    if indicator.startswith("|"):
        return "\n".join(lines).strip("\n")
    paragraphs = "\n".join(lines).strip("\n").split("\n\n")
    return "\n".join(" ".join(paragraph.split("\n")) for paragraph in paragraphs)


def read_toml_block(shown: str, lines: list[str], first_number: int,
                    errors: list[PageError]) -> dict[str, tuple] | None:
    """Return {key: (value, line)} for the TOML of a `+++` block (Hugo),
    read by tomllib: numbers, booleans and dates become text as they
    would be written in YAML, arrays lists, tables dicts.  None when the
    TOML cannot be read."""
    try:
        data = tomllib.loads("\n".join(line.rstrip("\r") for line in lines))
    except tomllib.TOMLDecodeError as error:
        line, message = toml_error(error, len(lines))
        errors.append(PageError(shown, first_number + line - 1, f"not valid TOML: {message}"))
        return None
    text = "\n".join(lines)
    return {key.lower(): (toml_text(value), first_number + (setting_line(text, key) or 1) - 1)
            for key, value in data.items()}


def toml_error(error: tomllib.TOMLDecodeError, lines: int) -> tuple[int, str]:
    """Return (line, message) of tomllib's error in a text of so many lines:
    its message ends with '(at line 3, column 7)', or '(at end of document)'
    for a value left open or missing (the last line, then)."""
    found = re.search(r" \(at (?:line (\d+), column (\d+)|end of document)\)$", str(error))
    if found is None:
        return 1, str(error)
    message = str(error)[:found.start()]
    if found[1] is None:
        return max(lines, 1), f"{message} (at the end)"
    return int(found[1]), f"{message} (column {found[2]})"


def toml_text(value) -> str | list | dict:
    """Return a TOML value as front matter's other forms give it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, list):
        return [toml_text(item) for item in value]
    if isinstance(value, dict):
        return {key: toml_text(item) for key, item in value.items()}
    return str(value)


LEADING_H1 = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*")


def drop_leading_title(body: str, title: str) -> tuple[str, str]:
    """Return (body, heading) with a leading `# Heading` (or a heading
    underlined with ===) removed when it repeats the title or stands in
    for a missing one."""
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return body, ""
    match = LEADING_H1.fullmatch(lines[first].strip())
    setext = not match and first + 1 < len(lines) and lines[first].strip() and re.fullmatch(
        r" {0,3}=+[ \t]*", lines[first + 1])  # Title, then a line of ===
    if not match and not setext:
        return body, ""
    heading = match.group(1).strip() if match else lines[first].strip()
    if title and heading.casefold() != title.casefold():
        return body, ""
    # Keep the line count: blank the heading instead of deleting it, so
    # lines in the Markdown still match lines in the file.
    lines[first] = ""
    if setext:
        lines[first + 1] = ""
    return "\n".join(lines), heading


JEKYLL_POST = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")
ORDER_PREFIX = re.compile(r"^\d+[-_.]+(?=.)")


def file_slug(path: Path) -> str:
    """Return the slug a file's name gives its page ('08-web-frameworks.md'
    gives 'web-frameworks', 'Über uns.md' 'uber-uns'; a name in a script
    without a Latin form keeps its letters: '安装.md' gives '安装')."""
    name = ORDER_PREFIX.sub("", path.stem)
    latin = unicodedata.normalize("NFKD", name)
    if any(not character.isascii() and character.isalpha() for character in latin):
        return slugify(name, keep_unicode=True)  # '安装 Docker' is not 'docker'
    return slugify(name)


def check_slug_list(shown: str, fields: dict, key: str, errors: list[PageError]) -> tuple:
    """Return the names of pages in a list field such as `redirect_from:
    old, /older.html` or `[old, /docs/older/]` (as slug_of names them:
    'old', 'docs/older')."""
    if key not in fields:
        return ()
    value, line = fields[key]
    items = value if isinstance(value, list) else value.split(",")
    names = []
    for item in filter(None, (part.strip() for part in items)):
        name = slug_of(item.removesuffix("index.html"))
        parts = name.split("/")
        if not all(map(is_slug, parts)):
            errors.append(PageError(shown, line, f"{key} names pages (slugs of letters, "
                                                 f"digits, '-' and '_', or addresses), got "
                                                 f"{item!r}"))
        elif key == "redirect_from" and (name.lower() in RESERVED_SLUGS or (
                len(parts) > 1 and parts[0].lower() in RESERVED_FOLDERS)):
            errors.append(PageError(shown, line, f"redirect_from {item!r} is reserved for "
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
    when = read_date(text)
    if when is None:
        errors.append(PageError(shown, line, f"{key} must be a date such as 2026-11-24 "
                                             f"or 2026-11-24 09:30, got {text!r}"))
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


def order_in_name(name: str) -> float | None:
    """Return the number that orders a file or folder by its name
    ('04-web-development' is 4), or None when its name has none."""
    match = ORDER_PREFIX.match(name)
    return float(match.group(0).rstrip("-_.")) if match else None


def read_date(text: str) -> datetime.datetime | None:
    """Return the date and time in text, ISO 8601 or as Jekyll writes it
    (`2017-01-02 10:00:00 +0100`), or None."""
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    for form in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, form)
        except ValueError:
            continue
    return None


def slugify(text: str, keep_unicode: bool = False) -> str:
    """Return text lower-cased, with runs of other characters made one hyphen."""
    text = unicodedata.normalize("NFKC" if keep_unicode else "NFKD", text).lower()
    if not keep_unicode:
        text = text.encode("ascii", "ignore").decode("ascii")
    if keep_unicode:  # letters and digits of any script, with their marks (Devanagari's)
        text = "".join(character if is_slug(character) else " " for character in text)
        return re.sub(r"[\s-]+", "-", text).strip("-")
    return re.sub(r"[^a-z0-9_-]+", "-", text).strip("-")


def is_slug(text: str) -> bool:
    """Return whether text may be a slug: letters (of any script, with their
    marks), digits, '-' and '_'."""
    return bool(text) and all(character in "-_" or unicodedata.category(character)[0] in "LMN"
                              for character in text)


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


def check_flag(shown: str, fields: dict, key: str, errors: list[PageError],
               default: bool = False) -> bool:
    """Return a yes/no front-matter field as a bool (absent means default)."""
    text, line = fields.get(key, (str(default), 0))
    value = text.lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0", ""):
        return False
    errors.append(PageError(shown, line, f"{key} must be true or false, got {text!r}"))
    return False


def drop_duplicate_slugs(pages: list[Page]) -> tuple[list[Page], list[PageError]]:
    """Return the pages without those whose slug an earlier page already has,
    and an error naming both files for each page left out."""
    kept, errors, first = [], [], {}
    # index.md is the home page before any page that says `slug: /`.
    for page in sorted(pages, key=lambda page: not (page.home and page.source.lower()
                                                   in HOME_FILES)):
        key = page.slug.lower()  # static hosts may not tell Flask.html from flask.html
        if key in first and page.home:
            errors.append(PageError(page.path, page.field_lines.get("slug", 1),
                                    f"a second home page: {first[key].path} is the home page"))
        elif key in first and page.is_post and page.date and JEKYLL_POST.fullmatch(
                PurePosixPath(page.source).stem) and f"{key}-{page.date:%Y-%m-%d}" not in first:
            # Two posts of one name on different days (Jekyll's weekly-update):
            # the later in path order is told apart by its date.
            dated = f"{page.slug}-{page.date:%Y-%m-%d}"
            page = dataclasses.replace(page, slug=dated, url=page.url.replace(
                f"{page.slug}.html", f"{dated}.html"))
            first[dated.lower()] = page
            kept.append(page)
        elif key in first:
            errors.append(PageError(page.path, page.field_lines.get("slug", 1),
                                    f"slug {page.slug!r} is already used by {first[key].path}"))
        else:
            first[key] = page
            kept.append(page)
    return kept, errors


def find_redirect_collisions(pages: list[Page]) -> list[PageError]:
    """Return an error for every redirect_from name that a page or another
    page's redirect already has."""
    errors, slugs, claimed = [], {page.slug.lower(): page for page in pages}, {}
    for page in pages:
        line = page.field_lines.get("redirect_from", 1)
        for name in page.redirect_from:
            key = name.lower()
            if key in slugs:
                errors.append(PageError(page.path, line, f"redirect_from {name!r} collides "
                                                         f"with the page in {slugs[key].path}"))
            elif key in claimed and claimed[key] is not page:
                errors.append(PageError(page.path, line, f"redirect_from {name!r} is also "
                                                         f"claimed by {claimed[key].path}"))
            else:
                claimed[key] = page
    return errors


def find_unknown_next_pages(guide: "Guide") -> list[PageError]:
    """Return an error for each `next:` name that names no page."""
    return [PageError(page.path, page.field_lines.get("next", 1),
                      f"next names {name!r}, but there is no page with that slug")
            for page in guide.every_page for name in page.next_slugs
            if guide.named(name) is None]


def display_path(path: Path) -> str:
    """Return path relative to the working directory when it lies below it."""
    try:
        relative = Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive, on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


###############################################################################
# Using every core ############################################################
###############################################################################

def map_in_processes(function: Callable, items: list, *shared) -> Iterator:
    """Yield function(*shared, item) for each item in order, computed by a
    pool of forked processes when there are enough items to repay it.

    Forking (rather than spawning) means that workers start in milliseconds,
    never re-import this module, and inherit `shared` (the guide, the
    templates) without it being pickled: only items and results cross.
    Never call it while this module is being imported: a worker would wait
    for ever on the import lock the parent held when it forked."""
    processes = min(os.cpu_count() or 1, 8)
    if (len(items) < PARALLEL_MIN_ITEMS or processes < 2
            or "fork" not in multiprocessing.get_all_start_methods()
            # A fork copies only the calling thread; a lock another thread
            # held at that moment stays locked in the child for ever.
            or threading.active_count() > 1):
        yield from (function(*shared, item) for item in items)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_set_worker_task,
                             initargs=(function, shared)) as pool:
        # Chunks small enough that no worker is left with a long one at
        # the end while the others wait, large enough to keep messages few.
        yield from pool.map(_run_worker_task, items,
                            chunksize=max(1, min(POOL_CHUNK, len(items) // (processes * 8))))


_worker_task = None  # set in each pool worker only: (function, shared arguments)


def _set_worker_task(function: Callable, shared: tuple) -> None:
    global _worker_task
    _worker_task = (function, shared)
    gc.enable()  # a worker's heap is small: it collects as usual (see loading)


@contextlib.contextmanager
def loading(lives_on: bool = True) -> Iterator[None]:
    """Load a guide with the garbage collector paused: the heap only grows
    while a guide loads, and the collector would go through all of it again
    and again (a tenth of a cold start at 10 000 pages).  Then, for what
    lives on (a server's site), collect once and freeze what is left: the
    collector need not go through it ever again."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        if lives_on:
            gc.collect()
            gc.freeze()


def _run_worker_task(item):
    function, shared = _worker_task
    return function(*shared, item)


###############################################################################
# Rendering Markdown ##########################################################
###############################################################################

class MarkdownRenderer(mistune.HTMLRenderer):
    """mistune's HTML renderer, with self-linked headings and highlighted
    code, writing the labels it adds in words (see RENDERED_WORDS)."""

    def __init__(self, words: dict[str, str], **options):
        super().__init__(**options)
        self.words = words

    def heading(self, text: str, level: int, **attrs) -> str:
        if "id" not in attrs:  # in a footnote, which mistune renders after the hooks
            return f"<h{level}{class_attribute(attrs)}>{text}</h{level}>\n"
        anchor = html.escape(attrs["id"])
        alias = f'<span id="{html.escape(attrs["alias"])}"></span>' if "alias" in attrs else ""
        return (f'<h{level} id="{anchor}"{class_attribute(attrs)}>{alias}{text} <a '
                f'class="self-link" href="#{anchor}" '
                f'aria-label="{html.escape(self.words["link_to_section"])}">#</a>'
                f'</h{level}>\n')

    def block_html(self, html_text: str) -> str:
        return without_templates(html_text)

    def inline_html(self, html_text: str) -> str:
        return without_templates(html_text)

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

    def block_math(self, text: str) -> str:
        """Return a $$formula$$ as MathML, or as code if it cannot be."""
        mathml = formula_mathml(text, "block")
        if mathml is None:
            return f'<pre class="math" tabindex="0"><code>{html.escape(text)}</code></pre>\n'
        return mathml + "\n"

    def inline_math(self, text: str) -> str:
        """Return a $formula$ as MathML, or as code if it cannot be."""
        mathml = formula_mathml(text, "inline")
        return mathml if mathml is not None else f'<code class="math">{html.escape(text)}</code>'

    def paragraph(self, text: str, **attrs) -> str:
        """Return a paragraph, with the id and classes of its attribute
        list, or nothing for one that is empty (a line that held only
        template tags, say)."""
        if not text.strip():
            return ""
        anchor = f' id="{html.escape(attrs["id"])}"' if attrs.get("id") else ""
        return f"<p{anchor}{class_attribute(attrs)}>{text}</p>\n"

    def task_list_item(self, text: str, checked: bool = False) -> str:
        """Return a task list item whose checkbox says what it means (a
        method here wins over the one the task_lists plugin registers)."""
        state = html.escape(self.words["task_done" if checked else "task_not_done"])
        checkbox = (f'<input class="task-list-item-checkbox" type="checkbox" disabled'
                    f'{" checked" if checked else ""} aria-label="{state}">')
        if text.startswith("<p>"):
            text = text.replace("<p>", "<p>" + checkbox, 1)
        else:
            text = checkbox + text
        return f'<li class="task-list-item">{text}</li>\n'


def class_attribute(attrs: dict) -> str:
    """Return ` class="..."` for the classes of an attribute list, or ''."""
    classes = attrs.get("classes")
    return f' class="{html.escape(" ".join(classes))}"' if classes else ""


@functools.lru_cache(maxsize=1024)
def formula_mathml(formula: str, display: str) -> str | None:
    """Return a LaTeX formula as MathML (display: 'inline' or 'block'), or
    None without latex2mathml or for a formula it cannot convert (one with
    an error, or a command it does not know, which it would print)."""
    if latex2mathml is None:
        return None
    try:
        mathml = latex2mathml.converter.convert(formula, display=display)
    except Exception:  # noqa: BLE001 -- the library raises many kinds; any means "cannot"
        return None
    if "<merror" in mathml or UNKNOWN_COMMAND.search(mathml):
        return None
    # latex2mathml writes \text{a<b} as it is: escape what text holds.
    return MATH_TEXT.sub(lambda match: match.group(1) + html.escape(
        html.unescape(match.group(2)), quote=False) + "</mtext>", mathml)


UNKNOWN_COMMAND = re.compile(r"<mi\b[^>]*>\\[A-Za-z]+</mi>")  # latex2mathml prints one so
MATH_TEXT = re.compile(r"(<mtext\b[^>]*>)(.*?)</mtext>", re.S)


@functools.lru_cache(maxsize=None)
def pygments_formatter():
    return pygments.formatters.HtmlFormatter(nowrap=True)


@functools.lru_cache(maxsize=1024)
def highlight(code: str, language: str) -> str | None:
    """Return code highlighted as HTML spans, or None without Pygments or a
    lexer.  Guides repeat their snippets (install commands, a config file),
    so each distinct block is highlighted once."""
    if pygments is None:
        return None
    try:
        lexer = pygments.lexers.get_lexer_by_name(language)
    except pygments.util.ClassNotFound:
        return None
    return pygments.highlight(code, lexer, pygments_formatter())


@functools.lru_cache(maxsize=4)
def markdown_parser(words: tuple[tuple[str, str], ...]) -> mistune.Markdown:
    """Return the Markdown parser that writes words (see RENDERED_WORDS)."""
    return create_markdown(dict(words))


def create_markdown(words: dict[str, str]) -> mistune.Markdown:
    """Return a Markdown parser as the guide uses it, writing words."""
    md = mistune.Markdown(
        # Raw HTML and every link scheme pass through: pages are the author's
        # own, `check` reports unknown schemes, and the Content-Security-Policy
        # refuses inline script (javascript: links included) in the browser.
        renderer=MarkdownRenderer(words, escape=False, allow_harmful_protocols=True),
        block=SourceBlockParser(),
        plugins=[*(mistune.plugins.import_plugin(name) for name in MARKDOWN_PLUGINS), callouts,
                 tabs, template_tags, inline_attribute_lists])
    md.before_render_hooks.extend([add_heading_ids, apply_attribute_lists, number_tables])
    md.renderer.register("table", render_table)
    return md


def number_tables(md: mistune.Markdown, state: mistune.BlockState) -> None:
    """Number the page's tables, which name their regions (see render_table)."""
    tables = (token for token in walk_tokens(state.tokens) if token["type"] == "table")
    for number, token in enumerate(tables, 1):
        token["attrs"] = {"number": number}


def render_table(renderer: MarkdownRenderer, text: str, number: int = 1) -> str:
    """Return a table in a region of its own that scrolls sideways when the
    table is wider than the page, and that a keyboard can reach (a region
    needs a name, and a name of its own: 'Table 2')."""
    label = html.escape(renderer.words["table"].format(number=number))
    return (f'<div class="table-scroll" role="region" tabindex="0" '
            f'aria-label="{label}"><table>\n{text}</table></div>\n')


MARKDOWN_PLUGINS = ("table", "footnotes", "strikethrough", "task_lists", "url", "def_list",
                    "math")


def render_markdown(text: str, first_line: int = 1, wording: Wording = Wording()) -> Rendered:
    """Return what a page's Markdown renders to, in wording's words;
    first_line is the line of the file on which text starts, so that links
    know their lines."""
    text = with_template_urls_resolved(text)
    rendered_html, state = markdown_parser(wording.words).parse(text, SourceState())
    reader = TokenReader(text, first_line, state.env.get("reference_lines", {}))
    reader.read(state.tokens)
    reader.read_footnotes(state.env)
    return Rendered(html=rendered_html, toc=state.env["toc"],
                    ids=frozenset(state.env["heading_ids"]) | reader.ids,
                    text="\n".join(reader.blocks), summary=shorten(reader.first_paragraph),
                    links=tuple(reader.links),
                    images_without_alt=tuple(reader.images_without_alt),
                    templates=(len(reader.templates), reader.templates[0])
                    if reader.templates else (),
                    bad_formulas=tuple(reader.bad_formulas),
                    file_links=tuple(reader.file_links), sections=tuple(reader.sections))


class SourceBlockParser(mistune.BlockParser):
    """mistune's block parser, noting where each block and each link
    reference definition starts (its tokens carry no positions, and
    `check` names the line of every link)."""

    def parse_method(self, match: re.Match, state: "SourceState"):
        state.block_start = match.start()
        return super().parse_method(match, state)

    def parse_ref_link(self, match: re.Match, state: "SourceState"):
        key = mistune.util.unikey(match.group("reflink_1"))
        known = key in state.env["ref_links"]
        end = super().parse_ref_link(match, state)
        if not known and key in state.env["ref_links"] and state.parent is None:
            state.env.setdefault("reference_lines", {})[key] = state.line_at(match.start())
        return end


class SourceState(mistune.BlockState):
    """mistune's block state, which gives each top-level block token the
    number of the line it starts on, counted from 0 (as `line`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.block_start = 0
        self.counted_to, self.lines_before = 0, 0   # newlines before counted_to

    def append_token(self, token: dict) -> None:
        self.note_line(token, min(self.block_start, self.cursor))
        super().append_token(token)

    def add_paragraph(self, text: str) -> None:
        starts_one = not self.tokens or self.tokens[-1]["type"] != "paragraph"
        super().add_paragraph(text)
        if starts_one:
            self.note_line(self.tokens[-1], self.cursor)

    def note_line(self, token: dict, position: int) -> None:
        if self.parent is None:  # inside a list or quote, the outer block's line counts
            token["line"] = self.line_at(position)

    def line_at(self, position: int) -> int:
        """Return the line (from 0) of a position in the text, counting on
        from the last position asked about."""
        if position < self.counted_to:  # rare: count afresh
            self.counted_to, self.lines_before = 0, 0
        self.lines_before += self.src.count("\n", self.counted_to, position)
        self.counted_to = position
        return self.lines_before


def add_heading_ids(md: mistune.Markdown, state: mistune.BlockState) -> None:
    """Give every heading an id, as GitHub would, or as written
    (`## Title {#id}`), and keep the h2/h3 entries in state.env['toc'] (a
    before-render hook: state is per parse).  Each heading's inline
    Markdown is parsed here, once, since its text makes the id."""
    used = {identifier for token in walk_tokens(state.tokens)
            if token["type"] == "block_html" for identifier in html_ids(token["raw"])}
    toc, anchors, headings = [], [], []
    for siblings, index in walk_headings(state.tokens):
        token = siblings[index]
        text, anchor, classes = split_attribute_list(token.pop("text"))
        if anchor is None and not classes and index + 1 < len(siblings):
            anchor, classes = lone_attribute_list(siblings[index + 1])
        if classes:
            token["attrs"]["classes"] = classes
        token["children"] = md.inline(text.strip(" \r\n\t\f"), state.env)
        plain = inline_text(token["children"]).strip()
        if anchor is None:  # else given as written, which MkDocs would use too
            anchor = unique_id(github_id(plain), used)
            headings.append((token, plain))
        used.add(anchor)
        anchors.append(anchor)
        token["attrs"]["id"] = anchor
        if token["attrs"]["level"] in (2, 3):
            toc.append((token["attrs"]["level"], anchor, plain))
    # Guides written for MkDocs link to its ids (`#food-drink` for `Food &
    # Drink`, `_1` for a repeat): where one differs from ours, the heading
    # answers to it too (see MarkdownRenderer.heading).
    seen: collections.Counter = collections.Counter()
    for token, plain in headings:
        base = mkdocs_id(plain)
        alias = base if not seen[base] else f"{base}_{seen[base]}"
        seen[base] += 1
        if base and alias not in used:
            token["attrs"]["alias"] = alias
            used.add(alias)
            anchors.append(alias)
    state.env["toc"] = tuple(toc)
    state.env["heading_ids"] = tuple(anchors)


def mkdocs_id(text: str) -> str:
    """Return the id MkDocs (Python-Markdown's toc) gives a heading: ASCII
    letters, digits, '_' and '-', runs of spaces and hyphens one hyphen."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text).strip().lower())


ATTRIBUTE = r"""(?:[#.][A-Za-z_][\w:.-]*|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+))"""
ATTRIBUTE_LIST = re.compile(rf"[ \t]*\{{:?[ \t]*({ATTRIBUTE}(?:[ \t]+{ATTRIBUTE})*)[ \t]*\}}"
                            r"[ \t]*$")


def walk_tokens(tokens: list[dict]) -> Iterator[dict]:
    """Yield every block token, depth first, in document order."""
    for token in tokens:
        yield token
        yield from walk_tokens(token.get("children") or ())


def walk_headings(tokens: list[dict]) -> Iterator[tuple[list[dict], int]]:
    """Yield (its siblings, its index among them) for every heading, in
    document order (a heading in a quote or list comes where it stands)."""
    for index, token in enumerate(tokens):
        if token["type"] == "heading":
            yield tokens, index
        elif token.get("children"):
            yield from walk_headings(token["children"])


def html_ids(raw: str) -> set[str]:
    """Return the ids that elements of raw HTML are given."""
    reader = RawHTML()
    reader.feed(raw)
    reader.close()
    return reader.ids


def split_attribute_list(text: str) -> tuple[str, str | None, tuple[str, ...]]:
    """Return (text, id or None, classes) for text that may end with an
    attribute list: `Title {#id .class}` (Pandoc, Hugo, markdown-it,
    attr_list in MkDocs) or `Title {: #id .class}` (kramdown).  Other
    attributes (`key=value`) are dropped: they are never printed."""
    match = ATTRIBUTE_LIST.search(text)
    if match is None:
        return text, None, ()
    items = [item.group(0) for item in re.finditer(ATTRIBUTE, match.group(1))]
    anchor = next((item[1:] for item in reversed(items) if item.startswith("#")), None)
    classes = tuple(item[1:] for item in items if item.startswith("."))
    return text[:match.start()], anchor, classes


# An attribute list inside a line, after a link or an image (kramdown's
# `[site](url){:target="_blank"}`, `{: .btn}`; Pandoc's `{.class}`), or
# kramdown's `{:toc}`: read as nothing.  (At the end of a block, the
# before-render hook applies it: see apply_attribute_lists.)
INLINE_ATTRIBUTE_LIST = rf"\{{:[^}}\n]*\}}|\{{[ \t]*{ATTRIBUTE}(?:[ \t]+{ATTRIBUTE})*[ \t]*\}}"


def inline_attribute_lists(md: mistune.Markdown) -> None:
    """A mistune plugin: attribute lists inside a line are dropped, never printed."""
    md.inline.register("attribute_list", INLINE_ATTRIBUTE_LIST,
                       lambda inline, match, state: match.end(), before="link",
                       start_chars="{")


def lone_attribute_list(token: dict) -> tuple[str | None, tuple[str, ...]]:
    """Return (id, classes) of a paragraph that is only an attribute list
    (kramdown's `{: .class}` on the line below a block), and empty that
    paragraph; (None, ()) for any other token."""
    if token["type"] not in ("paragraph", "block_text") or "text" not in token:
        return None, ()
    written = token["text"].strip()
    text, anchor, classes = split_attribute_list(written)
    if text.strip() or text == written:  # more than an attribute list, or none
        return None, ()
    token.clear()
    token["type"] = "blank_line"
    return anchor, classes


def apply_attribute_lists(md: mistune.Markdown, state: mistune.BlockState) -> None:
    """Give a paragraph the id and classes of an attribute list at its
    end (`Text. {.class}`, or `{: .class}` on its last line) or on a line
    of its own below it, and drop every attribute list from the text (a
    before-render hook, run after add_heading_ids took the headings')."""
    for siblings, index in walk_paragraphs(state.tokens):
        token = siblings[index]
        if "{" not in token["text"]:
            continue  # the usual case
        lines = token["text"].rstrip("\n").split("\n")
        text, anchor, classes = split_attribute_list(lines[-1])
        if text == lines[-1] or (len(lines) == 1 and not text.strip()):
            continue  # none, or the paragraph is only one: see below
        token["text"] = "\n".join([*lines[:-1], text] if text.strip() else lines[:-1])
        if token["type"] == "paragraph":  # a tight list's item has no tag of its own
            set_attributes(token, anchor, classes)
    for siblings, index in walk_paragraphs(state.tokens):
        if "{" not in siblings[index]["text"]:
            continue
        anchor, classes = lone_attribute_list(siblings[index])
        if index and siblings[index - 1]["type"] == "paragraph" and "text" in siblings[index - 1]:
            set_attributes(siblings[index - 1], anchor, classes)


def set_attributes(token: dict, anchor: str | None, classes: tuple[str, ...]) -> None:
    """Give a block token an id and classes, for the renderer."""
    attrs = token.setdefault("attrs", {})
    if anchor:
        attrs["id"] = anchor
    if classes:
        attrs["classes"] = classes


def walk_paragraphs(tokens: list[dict]) -> Iterator[tuple[list[dict], int]]:
    """Yield (its siblings, its index) for every paragraph still to be
    parsed, and every item text of a tight list."""
    for index, token in enumerate(tokens):
        if token["type"] in ("paragraph", "block_text") and "text" in token:
            yield tokens, index
        elif token.get("children"):
            yield from walk_paragraphs(token["children"])


def github_id(text: str) -> str:
    """Return the id GitHub gives a heading with this text: lower case,
    punctuation and symbols removed, each space made a hyphen ('Food &
    Drink' -> 'food--drink'); letters of every script are kept."""
    kept = "".join(character for character in text.lower()
                   if character in " -_" or unicodedata.category(character)[0] in "LMN")
    return kept.replace(" ", "-")


def unique_id(base: str, used: set[str]) -> str:
    """Return base, or base-1, base-2... whichever is not used yet."""
    base = base or "section"
    anchor, counter = base, 0
    while anchor in used:
        counter += 1
        anchor = f"{base}-{counter}"
    return anchor


def inline_text(tokens: list[dict]) -> str:
    """Return the text a reader sees in inline tokens."""
    parts = []
    for token in tokens:
        if "children" in token:
            parts.append(inline_text(token["children"]))
        elif token["type"] == "text":  # entities (&amp;) are still written out
            parts.append(html.unescape(token["raw"]))
        elif token["type"] == "codespan":
            parts.append(token["raw"])
        elif token["type"] in ("softbreak", "linebreak"):
            parts.append(" ")
    return "".join(parts)


class TokenReader:
    """Reads what a page says from its rendered token tree: the text of each
    block, every link and image with the line of the file it is written
    on, and the ids, links and text of raw HTML."""

    def __init__(self, source: str, first_line: int, reference_lines: dict[str, int]):
        self.source, self.lines, self.first_line = source, source.split("\n"), first_line
        self.reference_lines = reference_lines  # where the parser met each definition
        self.blocks: list[str] = []          # text, one entry per block
        self.size = 0                        # of the blocks joined by newlines
        self.sections: list[tuple[int, str]] = []  # (where in the text, id) of each heading
        self.links: list[tuple[str, int]] = []
        self.images_without_alt: list[tuple[str, int]] = []
        self.file_links: list[tuple[str, str, str]] = []
        self.templates: list[int] = []       # the line of each template tag
        self.bad_formulas: list[tuple[str, int]] = []
        self.ids: set[str] = set()
        self.first_paragraph = ""
        self.floor = 0                       # no later link is written above this line
        self.definitions: dict[str, int] | None = None  # reference label -> line

    def read(self, tokens: list[dict]) -> None:
        for token in tokens:
            self.floor = max(self.floor, token.get("line", 0))
            self.read_block(token)

    def read_footnotes(self, env: dict) -> None:
        """Read the footnotes, which mistune renders after the page and not
        from its tokens (each is read as one paragraph)."""
        for number, key in enumerate(env.get("footnotes") or (), start=1):
            self.ids.add(f"fn-{number}")
            self.floor = next((index for index, line in enumerate(self.lines)
                               if line.lstrip().startswith(f"[^{key}]:")), self.floor)
            text = env["ref_footnotes"][key].strip()
            self.read_block({"type": "paragraph", "children": MARKDOWN.inline(text, env)})

    def read_block(self, token: dict) -> None:
        kind = token["type"]
        if kind == "paragraph" and (token.get("attrs") or {}).get("id"):
            self.ids.add(token["attrs"]["id"])  # from an attribute list
        if kind == "block_code":
            self.add_block(token["raw"].strip("\n"))
        elif kind == "block_math":
            self.read_formula(token["raw"], kind)
        elif kind == "block_html":  # its lines count from its own, if it has one
            self.read_html(token["raw"], exact="line" in token)
        if kind in INLINE_PARENTS:
            parts: list[str] = []
            self.read_inline(token.get("children", ()), parts)
            text = "".join(parts).strip()
            if kind == "paragraph" and not self.first_paragraph:
                self.first_paragraph = text
            if kind == "heading" and text and (token.get("attrs") or {}).get("id"):
                self.sections.append((self.size, token["attrs"]["id"]))
            if text:
                self.add_block(" ".join(text.split()) if kind == "heading" else text)
        elif kind != "block_code":
            for child in token.get("children", ()):
                self.read_block(child)

    def add_block(self, text: str) -> None:
        self.blocks.append(text)
        self.size += len(text) + 1  # and the newline that joins it to the next

    def read_inline(self, tokens: list[dict], parts: list[str]) -> None:
        for token in tokens:
            kind = token["type"]
            if kind == "text":  # entities (&amp;) are still written out
                parts.append(html.unescape(token["raw"]))
            elif kind == "codespan":
                parts.append(token["raw"])
            elif kind in ("softbreak", "linebreak"):
                parts.append(" ")
            elif kind == "inline_html":
                self.read_html(token["raw"], exact=False)
            elif kind == "footnote_ref":
                self.ids.add(f"fnref-{token['attrs']['index']}")
            elif kind == "template_tag" and is_template_code(token["raw"]):
                self.templates.append(self.line_of(token["raw"].split("\n")[0]))
            elif kind in ("inline_math", "block_math"):
                self.read_formula(token["raw"], kind)
            if kind in ("link", "image"):
                url, line = self.as_written(token["attrs"]["url"], token.get("ref"))
                self.links.append((url, line))
                if file_link(url) is not None:
                    self.file_links.append(("href" if kind == "link" else "src",
                                            MARKDOWN.renderer.safe_url(token["attrs"]["url"]),
                                            url))
                if kind == "image":
                    alt: list[str] = []
                    self.read_inline(token["children"], alt)
                    if not "".join(alt).strip():
                        self.images_without_alt.append((url, line))
                    continue
            self.read_inline(token.get("children", ()), parts)

    def read_formula(self, formula: str, kind: str) -> None:
        """Note a formula that cannot be shown as MathML (when it could be)."""
        display = "block" if kind == "block_math" else "inline"
        if latex2mathml is not None and formula_mathml(formula, display) is None:
            self.bad_formulas.append((formula, self.line_of(formula.split("\n")[0])))

    def read_html(self, raw: str, exact: bool) -> None:
        """Read raw HTML: a block's lines count from the block's own line
        (exact), an inline tag's are found by their text."""
        for tag in TEMPLATE_TAGS.finditer(raw):
            if is_template_code(tag.group()):
                self.templates.append(self.line_of(tag.group().split("\n")[0]))
        reader = RawHTML()
        reader.feed(without_templates(raw))
        reader.close()
        self.ids |= reader.ids
        text = " ".join("".join(reader.text).split())
        if text:
            self.add_block(text)
        for attribute, target, offset, is_image_without_alt in reader.targets:
            line = self.first_line + self.floor + offset - 1 if exact else self.line_of(target)
            self.links.append((target, line))
            if file_link(target) is not None and f'{attribute}="{target}"' in raw:
                self.file_links.append((attribute, target, target))
            if is_image_without_alt:
                self.images_without_alt.append((target, line))

    def as_written(self, url: str, reference: str | None) -> tuple[str, int]:
        """Return (url as the author wrote it, the line it is on): mistune
        gives a link's URL percent-encoded (#%E5%AE%89 for #安)."""
        written = urllib.parse.unquote(url)
        if written != url and url not in self.source and written in self.source:
            url = written
        return url, self.line_of(url, reference)

    def line_of(self, target: str, reference: str | None = None) -> int:
        """Return the line of the file where target is written: for a
        reference-style link, the definition's line; else the first line
        at or below the last one found that contains it."""
        if reference in self.reference_lines:
            return self.first_line + self.reference_lines[reference]
        if reference is not None:  # defined inside a list or quote: found by its text
            return self.first_line + self.definition_lines().get(reference, self.floor)
        for index in range(self.floor, len(self.lines)):
            if target in self.lines[index]:
                self.floor = index
                return self.first_line + index
        return self.first_line + self.floor

    def definition_lines(self) -> dict[str, int]:
        """Return {reference label, as mistune keys it: line} for `[label]: url` lines."""
        if self.definitions is None:
            self.definitions = {}
            for index, line in enumerate(self.lines):
                match = REFERENCE_DEFINITION.match(line)
                if match:
                    self.definitions.setdefault(mistune.util.unikey(match.group(1)), index)
        return self.definitions


# Blocks whose children are inline tokens: their text is one block of text.
INLINE_PARENTS = frozenset({"paragraph", "heading", "block_text", "table_cell",
                            "def_list_head", "def_list_item"})
REFERENCE_DEFINITION = re.compile(r" {0,3}\[((?:[^\]\\]|\\.)+)\]:")


class RawHTML(html.parser.HTMLParser):
    """Reads HTML an author wrote into a page: its text, the ids it gives,
    and each href and src with its line (counted from 1)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.ids: set[str] = set()
        # (attribute, target, line, image without alt)
        self.targets: list[tuple[str, str, int, bool]] = []
        self.hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name) is not None:
                without_alt = tag == "img" and name == "src" and not (values.get("alt") or "").strip()
                self.targets.append((name, values[name], self.getpos()[0], without_alt))
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)


def shorten(text: str, limit: int = 200) -> str:
    """Return text with its spaces tidied, shortened at a word to about limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


###############################################################################
# Callouts ####################################################################
###############################################################################

# The callouts of other tools, each read into one kind of ours: MkDocs'
# `!!! note "Title"` (and `??? note`, folded), Docusaurus' and VitePress'
# `:::tip Title ... :::`, and GitHub's `> [!WARNING]`.
CALLOUT_KINDS = {
    "note": "note", "abstract": "note", "summary": "note", "tldr": "note", "example": "note",
    "quote": "note", "cite": "note", "seealso": "note",
    "tip": "tip", "hint": "tip", "success": "tip", "check": "tip", "done": "tip",
    "info": "info", "important": "info", "todo": "info", "question": "info", "help": "info",
    "faq": "info",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "danger": "danger", "error": "danger", "failure": "danger", "fail": "danger",
    "missing": "danger", "bug": "danger",
}
# (Python-Markdown's admonitions need no space after the mark, and take
# more words after the kind, such as `inline end` or a class: those are
# left out.)
MKDOCS_CALLOUT = (r"^(?P<mkdocs_lead> {0,3})(?P<mkdocs_mark>!!!|\?\?\?\+?)[ \t]*(?P<mkdocs_kind>[A-Za-z][\w-]*)"
                  r"(?:[ \t]+[A-Za-z][\w-]*)*(?:[ \t]+\"(?P<mkdocs_title>[^\"\n]*)\")?[ \t]*$")
COLON_CALLOUT = (r"^(?P<colon_fence>:{3,})[ \t]*(?P<colon_kind>[A-Za-z][\w-]*)"
                 r"(?P<colon_title>[^\n]*)$")
GITHUB_ALERT = re.compile(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)", re.I)


def callouts(md: mistune.Markdown) -> None:
    """A mistune plugin: the callouts of other tools, as `callout` tokens."""
    register_everywhere(md, "mkdocs_callout", MKDOCS_CALLOUT, parse_mkdocs_callout)
    register_everywhere(md, "colon_callout", COLON_CALLOUT, parse_colon_callout)
    md.before_render_hooks.append(read_github_alerts)
    md.renderer.register("callout", render_callout)


def register_everywhere(md: mistune.Markdown, name: str, pattern: str,
                        parse: Callable) -> None:
    """Register a block rule of ours before the quote's, at the top of a
    page and inside list items and quotes (mistune keeps a list of rules
    for each), as MkDocs and Docusaurus read them there too."""
    md.block.register(name, pattern, parse, before="block_quote")
    for rules in (md.block.list_rules, md.block.block_quote_rules):
        if name not in rules:
            md.block.insert_rule(rules, name, before="block_quote")


def parse_mkdocs_callout(block: mistune.BlockParser, match: re.Match,
                         state: mistune.BlockState) -> int:
    """Read `!!! kind "Title"` and the lines indented under it."""
    end, body = indented_body(state, state.find_line_end_at(match.end()),
                              len(match.group("mkdocs_lead")))
    mark = match.group("mkdocs_mark")
    append_callout(block, state, body, match.group("mkdocs_kind"),
                   match.group("mkdocs_title"), folded=mark.startswith("?"), opened=mark == "???+")
    return end


def parse_colon_callout(block: mistune.BlockParser, match: re.Match,
                        state: mistune.BlockState) -> int | None:
    """Read `:::kind Title` up to its closing `:::` (else it is text)."""
    fence = match.group("colon_fence")
    start = state.find_line_end_at(match.end())
    closing = re.compile(rf"^{fence}[ \t]*$", re.M).search(state.src, start)
    if closing is None:
        return None
    title = match.group("colon_title").strip()
    if title.startswith("[") and title.endswith("]"):  # Docusaurus' :::tip[Title]
        title = title[1:-1]
    append_callout(block, state, state.src[start:closing.start()], match.group("colon_kind"),
                   title or None, folded=False, opened=False)
    return state.find_line_end_at(closing.end())


def append_callout(block: mistune.BlockParser, state: mistune.BlockState, body: str,
                   kind: str, title: str | None, folded: bool, opened: bool) -> None:
    """Parse body as the blocks inside a callout, and append the callout."""
    child = state.child_state(body)
    block.parse(child)
    written = kind.lower()
    state.append_token({"type": "callout", "children": child.tokens, "attrs": {
        "kind": CALLOUT_KINDS.get(written, "note"), "title": title, "written": written,
        "folded": folded, "opened": opened}})


def read_github_alerts(md: mistune.Markdown, state: mistune.BlockState) -> None:
    """Make each quote that starts with `[!NOTE]` (GitHub's alerts) a callout."""
    for token in walk_tokens(state.tokens):
        first = (token.get("children") or [{}])[0]
        if token["type"] != "block_quote" or first.get("type") != "paragraph":
            continue
        match = GITHUB_ALERT.match(first.get("text", ""))
        if match is None:
            continue
        first["text"] = first["text"][match.end():]
        if not first["text"].strip():
            token["children"] = token["children"][1:]
        token["type"] = "callout"
        token["attrs"] = {"kind": CALLOUT_KINDS[match.group(1).lower()],
                          "title": None, "written": match.group(1).lower(),
                          "folded": False, "opened": False}


def render_callout(renderer: MarkdownRenderer, text: str, kind: str, title: str | None,
                   written: str, folded: bool, opened: bool) -> str:
    """Return a callout: a note (role) with its title first, or, folded,
    a <details> whose summary is the title (it works without JavaScript).
    Without a title of its own, a callout is titled by the kind its author
    wrote (`!!! warning`: Warning, in the guide's words); a folded one needs
    a title even when its author gave an empty one (`??? note ""`)."""
    default = renderer.words[written] if written in CALLOUT_TITLES else written.capitalize()
    heading = html.escape(default if title is None else title)
    if folded:
        return (f'<details class="callout callout-{kind}"{" open" if opened else ""}>\n'
                f'<summary class="callout-title">{heading or html.escape(default)}</summary>\n'
                f'{text}</details>\n')
    title_html = f'<p class="callout-title">{heading}</p>\n' if heading else ""
    return f'<div class="callout callout-{kind}" role="note">\n{title_html}{text}</div>\n'


###############################################################################
# Tabs ########################################################################
###############################################################################

# MkDocs' content tabs: consecutive `=== "Title"` blocks, each with its body
# indented under it, make one tab set.  It works without JavaScript: each
# tab is a radio button and its label; CSS shows the panel of the checked one.
MKDOCS_TAB = r'^(?P<tab_lead> {0,3})(?P<tab_mark>===[!+]?)[ \t]+"(?P<tab_title>[^"\n]*)"[ \t]*$'


def tabs(md: mistune.Markdown) -> None:
    """A mistune plugin: MkDocs' content tabs, as `tab_set` tokens of `tab`s."""
    register_everywhere(md, "mkdocs_tab", MKDOCS_TAB, parse_mkdocs_tab)
    md.before_render_hooks.append(group_tabs)
    md.renderer.register("tab_set", render_tab_set)
    md.renderer.register("tab", render_tab)


def parse_mkdocs_tab(block: mistune.BlockParser, match: re.Match,
                     state: mistune.BlockState) -> int:
    """Read `=== "Title"` and the lines indented under it."""
    end, body = indented_body(state, state.find_line_end_at(match.end()),
                              len(match.group("tab_lead")))
    child = state.child_state(body)
    block.parse(child)
    state.append_token({"type": "tab", "children": child.tokens, "attrs": {
        "title": match.group("tab_title"), "new_set": match.group("tab_mark") == "===!",
        "selected": match.group("tab_mark") == "===+"}})
    return end


def indented_body(state: mistune.BlockState, position: int, lead: int = 0
                  ) -> tuple[int, str]:
    """Return (where it ends, the text) of the lines indented under a line
    that ends at position, itself indented by lead spaces (blank lines
    included; the line's indent and one more taken off)."""
    lines, indent = [], " " * (lead + 4)
    while position < state.cursor_max:
        end = state.find_line_end_at(position)
        line = state.src[position:end]
        if line.strip() and not line.startswith((indent, " " * lead + "\t")):
            break
        lines.append("\n" if not line.strip() else line[lead + 1:] if line[lead] == "\t"
                     else line[lead + 4:])
        position = end
    return position, "".join(lines)


def group_tabs(md: mistune.Markdown, state: mistune.BlockState) -> None:
    """Gather each run of `tab` tokens (blank lines between allowed) into
    one `tab_set`, numbered in the page so that its radio buttons are its own."""
    state.tokens[:] = tabs_grouped(state.tokens, state.env)


def tabs_grouped(tokens: list[dict], env: dict) -> list[dict]:
    """Return tokens with each run of tabs in one `tab_set`, all the way down."""
    grouped, run = [], None
    for token in tokens:
        if token.get("children"):
            token["children"] = tabs_grouped(token["children"], env)
        if token["type"] == "tab" and (run is None or token["attrs"]["new_set"]):
            env["tab_sets"] = env.get("tab_sets", 0) + 1
            run = {"type": "tab_set", "children": [], "attrs": {"number": env["tab_sets"]}}
            grouped.append(run)
        if token["type"] == "tab":
            run["children"].append(token)
        elif token["type"] == "blank_line" and run is not None:
            continue
        else:
            run = None
            grouped.append(token)
    for tab_set in (token for token in grouped if token["type"] == "tab_set"):
        tab_list = tab_set["children"]
        chosen = next((tab for tab in tab_list if tab["attrs"]["selected"]), tab_list[0])
        for place, tab in enumerate(tab_list, start=1):
            tab["attrs"] = {"title": tab["attrs"]["title"], "checked": tab is chosen,
                            "name": f"tabs-{tab_set['attrs']['number']}", "place": place}
    return grouped


def render_tab_set(renderer: mistune.HTMLRenderer, text: str, number: int) -> str:
    return f'<div class="tabs">\n{text}</div>\n'


def render_tab(renderer: mistune.HTMLRenderer, text: str, title: str,
               name: str = "", place: int = 1, checked: bool = True, **_parse_only) -> str:
    """Return one tab: its radio button, its label and its panel.  (A tab
    in a footnote, which mistune renders after the hooks, is a set alone.)"""
    if not name:
        return f'<div class="tabs">\n{render_tab(renderer, text, title, "tabs-note")}</div>\n'
    tab_id = f"{name}-{place}"
    return (f'<input class="tab-input" type="radio" name="{name}" id="{tab_id}"'
            f'{" checked" if checked else ""}>'
            f'<label class="tab-label" for="{tab_id}">{html.escape(title)}</label>\n'
            f'<div class="tab-panel">\n{text}</div>\n')


###############################################################################
# Template tags ###############################################################
###############################################################################

# Template code that other tools run and we do not: Liquid's {% tag %} and
# {{ value }} (Jekyll), and Hugo's {{< shortcode >}} and {{% shortcode %}}.
# Readers see nothing of it (a shortcode's inner Markdown stays), and check
# warns once per page.  A tag may span lines, and stand in raw HTML.  Code
# spans and blocks keep theirs: they show it.  What Liquid's {% raw %} ...
# {% endraw %} holds is shown as written, as Jekyll does.
TEMPLATE_TAG = (r"\{%-?\s*raw\s*-?%\}(?P<raw_text>[\s\S]{0,2000}?)\{%-?\s*endraw\s*-?%\}"
                r"|\{\{[<%](?:(?!\{\{|\}\})[\s\S]){0,500}?[%>]\}\}"
                r"|\{%(?:(?!\{%|%\})[\s\S]){0,500}?%\}"
                r"|\{\{(?:(?!\{\{|\}\})[\s\S]){0,500}?\}\}")  # never past another opening


# A template tag where a link's URL starts, that only says where the site
# is or names a file: Jekyll's {{ site.baseurl }}/x, {{ "/x" | relative_url }},
# {% link x.md %} and {% post_url 2020-01-02-x %}; Hugo's {{< ref "x.md" >}}.
TEMPLATE_URL = re.compile(
    r"""(?P<before>\]\(\s*<?|\b(?:href|src)=["'])(?:"""
    r"""(?P<site>(?:\{\{-?\s*site\.(?:base)?url\s*-?\}\})+)"""
    r"""|\{\{-?\s*(?P<quote>["'])(?P<path>[^"'{}]*)(?P=quote)\s*\|\s*(?:relative|absolute)_url\s*-?\}\}"""
    r"""|\{%-?\s*link\s+(?P<link>[^\s%]+)\s*-?%\}"""
    r"""|\{%-?\s*post_url\s+(?P<post>[^\s%]+)\s*-?%\}"""
    r"""|\{\{[<%]\s*(?:rel)?ref\s+["']?(?P<ref>[^"'\s<>%]+)["']?\s*[>%]\}\})""")
FENCE = re.compile(r" {0,3}(```|~~~)")


def with_template_urls_resolved(text: str) -> str:
    """Return Markdown text with each template tag that starts a link's URL
    replaced by what it means (TEMPLATE_URL: the site's root, a path, the
    file it names, which the link then leads to), so that the link works;
    outside fenced code, which shows what it holds."""
    if "{{" not in text and "{%" not in text:
        return text  # the usual case
    lines, fence = text.split("\n"), None
    for index, line in enumerate(lines):
        opening = FENCE.match(line)
        if opening and fence in (None, opening[1]):
            fence = None if fence else opening[1]
        elif fence is None and "{" in line:
            lines[index] = TEMPLATE_URL.sub(template_url, line)
    return "\n".join(lines)


def template_url(found: re.Match) -> str:
    if found["path"] is not None:
        url = found["path"]
    elif found["link"] or found["post"]:
        url = "/" + found["link"].lstrip("/") if found["link"] else f"/_posts/{found['post']}.md"
    else:
        url = found["ref"] or ""
    return found["before"] + url


TEMPLATE_TAGS = re.compile(TEMPLATE_TAG)


def template_tags(md: mistune.Markdown) -> None:
    """A mistune plugin: template tags become `template_tag` tokens, shown as nothing."""
    md.inline.register("template_tag", TEMPLATE_TAG, parse_template_tag, before="link",
                       start_chars="{")
    md.renderer.register("template_tag", lambda renderer, raw: "")


def parse_template_tag(inline: mistune.InlineParser, match: re.Match,
                       state: mistune.InlineState) -> int:
    if match.group("raw_text") is not None:
        state.append_token({"type": "text", "raw": match.group("raw_text")})
    else:
        state.append_token({"type": "template_tag", "raw": match.group(0)})
    return match.end()


RAW_MARK = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")


def is_template_code(tag: str) -> bool:
    """Return whether a template tag is code we cannot run (check warns of
    it): every tag but Liquid's raw and endraw, whose meaning we keep."""
    return RAW_MARK.match(tag) is None


def without_templates(text: str) -> str:
    """Return raw HTML text without its template tags (see TEMPLATE_TAG)."""
    return TEMPLATE_TAGS.sub(lambda found: found["raw_text"] or "", text)


# The parser for what does not depend on words (here: its plugins, above, come first).
MARKDOWN = markdown_parser(Wording().words)


###############################################################################
# The render cache ############################################################
###############################################################################

CACHE_FILE = "guide-cache-2.sqlite3"  # the number changes with the entries' layout


def open_cache(settings: Settings) -> "RenderCache":
    """Return the render cache settings ask for; refuse a folder inside the
    pages folder or the export (a cache is never published)."""
    folder = settings.cache_dir
    if folder is not None:
        for inside, what in ((settings.pages_dir, "pages"), (settings.out, "output"),
                             *((folder, "static") for folder in settings.static_dirs),
                             *((folder, "views") for folder in settings.views_dirs)):
            if inside is not None and folder.resolve().is_relative_to(inside.resolve()):
                raise GuideErrors([PageError(display_path(folder), None,
                                             f"the cache folder may not be inside the {what} "
                                             "folder; choose another with --cache")])
    return RenderCache(folder)


def render_key(body: str, first_line: int, wording: Wording) -> str:
    """Return the cache key of a body's rendering: another body, first line,
    wording, guide.py, mistune or Pygments makes another key."""
    digest = hashlib.sha256(f"{renderer_version()}\0{first_line}\0{wording!r}\0".encode())
    digest.update(body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def renderer_version() -> str:
    """Return what names the code that renders pages: this file's digest,
    and the versions of mistune and (if present) Pygments."""
    highlighter = f"pygments {pygments.__version__}" if pygments else "no pygments"
    formulas = f"latex2mathml {latex2mathml.__version__}" if latex2mathml else "no mathml"
    return f"{source_digest()} mistune {mistune.__version__} {highlighter} {formulas}"


@functools.cache
def source_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


class RenderCache:
    """Work kept between runs in one SQLite file in a folder of the user's
    (RenderCache(None) keeps nothing): pages' renderings, their search
    terms and their compressed answers, so that what did not change is
    never made twice.

    Each kind of entry is keyed by a digest of everything it is made from,
    so any number of guides can share one cache and no entry can be stale;
    entries made by another version of guide.py are dropped when new ones
    are written.  Several processes (gunicorn workers, a check beside a
    server) may use it at once: SQLite locks it, and each write is one
    transaction.  A cache that cannot be trusted is ignored, never
    believed: each entry carries a check (CRC-32) of its bytes and is checked
    against it; a file that is not a database, or is truncated, is
    replaced; a cache that stays locked is skipped.  The worst a broken
    cache can cost is the time to make things again."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_FILE if folder is not None else None
        self.swept = False  # whether other versions' entries were dropped yet
        if folder is not None and folder.is_dir() and folder.stat().st_mode & 0o002:
            # Whoever can write there could put HTML into the pages.
            print(f"{display_path(folder)}: cache ignored (anyone may write to that folder)",
                  file=sys.stderr)
            self.path = None

    def get_many(self, kind: str, keys: list[str], decode: Callable) -> dict:
        """Return {key: decode(bytes)} for each key of kind whose entry is
        present and intact (decode returns None for bytes it refuses)."""
        found: dict = {}
        if self.path is None or not keys:
            return found
        try:
            if not self.path.is_file():
                return found
            connection = self.connect()
            try:
                for start in range(0, len(keys), 500):  # SQLite's limit on parameters
                    chunk = keys[start:start + 500]
                    rows = connection.execute(
                        f"SELECT key, value FROM entries WHERE kind = ? AND key IN "
                        f"({', '.join('?' * len(chunk))})", [kind, *chunk])
                    for key, value in rows:
                        value = checked(value)
                        value = None if value is None else decode(value)
                        if value is not None:
                            found[key] = value
            finally:
                connection.close()
        except (sqlite3.Error, OSError) as error:
            self.set_aside(error)
        return found

    def put_many(self, kind: str, entries: dict[str, bytes]) -> None:
        """Keep entries of kind, in one transaction."""
        if self.path is None or not entries:
            return
        version = renderer_version()
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the user's alone
            connection = self.connect()
            try:
                with connection:
                    if not self.swept:  # once: it reads the whole table
                        connection.execute("DELETE FROM entries WHERE version != ?", (version,))
                    connection.executemany(
                        "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                        [(kind, key, version, entry_check(value) + value)
                         for key, value in entries.items()])
                self.swept = True
            finally:
                connection.close()
        except (sqlite3.Error, OSError) as error:
            self.set_aside(error)

    def connect(self) -> sqlite3.Connection:
        """Return a connection whose writes take the lock when they begin
        (BEGIN IMMEDIATE), so that two writers queue for CACHE_LOCK_WAIT
        instead of one failing at once.  (SQLite's default journal: the
        switch to WAL fails at once, not after a wait, when two processes
        open a new cache together.)"""
        connection = sqlite3.connect(self.path, timeout=CACHE_LOCK_WAIT,
                                     isolation_level="IMMEDIATE")
        # No waiting for the disk: a cache a crash damages is found out and replaced.
        connection.execute("PRAGMA synchronous=OFF")
        with connection:
            connection.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key "
                               "TEXT NOT NULL, version TEXT NOT NULL, value BLOB NOT NULL, "
                               "PRIMARY KEY (kind, key))")
        return connection

    def set_aside(self, error: sqlite3.Error | OSError) -> None:
        """Say why the cache is ignored.  A file that is not a sound
        database is removed, and a new one is started; a cache that is
        locked, full or unreadable is not used again in this run (one wait
        for a lock is enough)."""
        print(f"{display_path(self.path)}: cache ignored ({error})", file=sys.stderr)
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(
                error, sqlite3.OperationalError):
            for suffix in ("", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            self.path = None


CACHE_LOCK_WAIT = 10  # seconds to wait for another process's write


def checked(value) -> bytes | None:
    """Return a cache entry's bytes if its check matches them, else None."""
    if isinstance(value, bytes) and entry_check(value[4:]) == value[:4]:
        return value[4:]
    return None


def entry_check(value: bytes) -> bytes:
    """Return the check a cache entry carries: a CRC-32 of its bytes, which
    finds a damaged entry at a tenth of a digest's cost (the folder is the
    user's alone, so it guards against accidents, not against an author)."""
    return zlib.crc32(value).to_bytes(4, "big")


def encode_rendered(rendered: Rendered) -> bytes:
    """Return a Rendered as bytes for the cache (a pickle: six times
    quicker both ways than JSON; see CacheUnpickler for reading it back)."""
    return pickle.dumps(rendered, protocol=pickle.HIGHEST_PROTOCOL)


def decode_rendered(value: bytes) -> Rendered | None:
    """Return the Rendered in a cache entry, or None if it is not one (a
    Rendered whose fields are not of their types is not one)."""
    rendered = unpickled(value, Rendered)
    if rendered is None or any(type(getattr(rendered, name)) is not kind
                               for name, kind in RENDERED_FIELDS):
        return None
    return rendered


RENDERED_FIELDS = tuple((field.name, field.type) for field in dataclasses.fields(Rendered))


class CacheUnpickler(pickle.Unpickler):
    """Reads back what the cache keeps and nothing else: no class but
    Rendered can be named in an entry (builtin values need none), so an
    entry that was tampered with could at worst hold other text, as a
    changed page would; one that was damaged fails its check first (see
    checked)."""

    def find_class(self, module: str, name: str):
        if name == "Rendered" and module in ("guide", "__main__"):  # imported, or run
            return Rendered
        raise pickle.UnpicklingError(f"{module}.{name} is not kept in the cache")


def unpickled(value: bytes, kind: type):
    """Return the value of type kind that a cache entry holds, or None."""
    try:
        found = CacheUnpickler(io.BytesIO(value)).load()
    except Exception:  # noqa: BLE001 -- unpickling bad bytes raises many kinds: all mean "no"
        return None
    return found if type(found) is kind else None


###############################################################################
# The guide ###################################################################
###############################################################################

@dataclasses.dataclass(frozen=True, eq=False)
class Chapter:
    """A folder of pages: a part of the book, with its own page or not.

    Its title, description and order come from its own page (index.md,
    _index.md or README.md in it); without one, from the folder's name
    ('04-web-development' is 'Web development', fourth)."""
    folder: str                 # its path inside the pages folder; '' is the whole guide
    slug: str                   # the name of its address: 'web-development'
    title: str
    page: Page | None           # its own page
    entries: tuple              # its other pages and its chapters, in order
    number: str                 # '4', '4.2'; '' for the whole guide

    @property
    def label(self) -> str:
        return self.page.nav_title if self.page else self.title

    @property
    def description(self) -> str:
        return self.page.description if self.page else ""

    @property
    def url(self) -> str:
        """Return where the chapter starts: its own page, else its first."""
        if self.page is not None or not self.entries:
            return self.page.url if self.page else "/"
        return self.entries[0].url

    @property
    def anchor(self) -> str:
        """Return the id of the chapter on the index page."""
        return "chapter-" + self.slug.replace("/", "-") if self.slug else "contents"

    def book(self) -> Iterator[Page]:
        """Yield the chapter's pages in reading order, its own page first."""
        if self.page is not None and self.page.in_nav:
            yield self.page
        for entry in self.entries:
            if isinstance(entry, Chapter):
                yield from entry.book()
            else:
                yield entry


class NavEntry(NamedTuple):
    """One line of the guide's navigation.  kind is 'page'; 'chapter', a
    chapter at the top, listing its entries when it holds the page shown;
    'section', a chapter inside that one, listing its entries in a
    <details>, open when it holds the page shown; or 'more', a link to
    the contents for the entries a long list leaves out.  (A tuple: reload
    compares every page's navigation with the one it had, at C speed.)"""
    kind: str
    url: str
    label: str
    number: str = ""
    entries: tuple = ()
    open: bool = False


def window_start(length: int, here: int) -> int:
    """Return where the window of NAV_LIMIT entries of a list of length
    that shows entry here starts: a multiple of half a window, with here
    no nearer its edge than a quarter of it, unless the list ends there."""
    if length <= NAV_LIMIT:
        return 0
    step = NAV_LIMIT // 2
    return max(0, min((here - step // 2) // step * step, length - NAV_LIMIT))


def page_order(page: Page) -> tuple:
    """Return where a page goes among its folder's pages and chapters: by
    sort-order (or the number its file name starts with) compared as a
    number, then those without one by title; ties by title, then path."""
    return (page.sort_order is None, page.sort_order or 0, page.title.casefold(), page.path)


def folder_order(folder: str, page: Page | None) -> tuple:
    """Return where a chapter goes among its folder's pages and chapters:
    by its own page's sort-order, else the number its folder's name starts
    with, as pages go (see page_order)."""
    name = folder.rsplit("/", 1)[-1]
    order = page.sort_order if page is not None and page.sort_order is not None \
        else order_in_name(name)
    return (order is None, order or 0, folder_title(folder, page).casefold(), folder)


def folder_title(folder: str, page: Page | None) -> str:
    """Return a chapter's title: its own page's, else its folder's name
    written as words ('04-web-development' is 'Web development')."""
    if page is not None:
        return page.title
    name = ORDER_PREFIX.sub("", folder.rsplit("/", 1)[-1].lstrip("_"))
    words = re.sub(r"[-_]+", " ", name).strip() or name
    return words[:1].upper() + words[1:]


def build_contents(pages: Iterable[Page]) -> tuple[Chapter, dict[str, str]]:
    """Return the guide as a tree of chapters (every folder holding pages
    of the navigation is one), and each page's number in it ('4.3'): the
    numbers a reader sees in the navigation, the contents and titles."""
    own, loose = {}, collections.defaultdict(list)
    for page in pages:
        folder = posixpath.dirname(page.source)
        if page.folder_page and folder not in own:
            own[folder] = page
        else:
            loose[folder].append(page)
    folders = set()
    for folder in [*(folder for folder, page in own.items() if page.in_nav),
                   *(folder for folder, items in loose.items()
                     if any(page.in_nav for page in items))]:
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    inside = collections.defaultdict(list)
    for folder in folders:
        inside[posixpath.dirname(folder)].append(folder)
    numbers = {}

    def chapter(folder: str, number: str) -> Chapter:
        items = sorted([*((page_order(page), page) for page in loose[folder] if page.in_nav),
                        *((folder_order(name, own.get(name)), name) for name in inside[folder])],
                       key=lambda item: item[0])
        entries = []
        for count, (_order, item) in enumerate(items, 1):
            item_number = f"{number}.{count}" if number else str(count)
            if isinstance(item, str):
                entries.append(chapter(item, item_number))
            else:
                entries.append(item)
                numbers[item.slug] = item_number
        page = own.get(folder) if folder else None
        if page is not None and page.in_nav:
            numbers[page.slug] = number
        slug = path_url(f"{folder}/index.md", True).strip("/") if folder else ""
        return Chapter(folder, slug, folder_title(folder, page), page, tuple(entries), number)
    return chapter("", ""), numbers


def chapters_in(chapter: Chapter) -> Iterator[Chapter]:
    """Yield every chapter inside chapter, at any depth, parents first."""
    for entry in chapter.entries:
        if isinstance(entry, Chapter):
            yield entry
            yield from chapters_in(entry)


@dataclasses.dataclass(frozen=True, eq=False)
class Guide:
    """The ordered pages of a guide, in chapters; immutable once built."""
    title: str
    description: str
    pages: tuple[Page, ...]       # the ordered guide (posts are not in it)
    posts: tuple[Page, ...]       # category: post, newest first
    by_slug: dict[str, Page]      # pages and posts
    positions: dict[str, int]     # slug -> index in book
    redirects: dict[str, Page]    # old slug (redirect_from) -> page
    by_source: dict[str, Page]    # path inside the pages folder -> page
    broken: dict[str, tuple]      # URL of a page that did not load -> (file, problems)
    assets: dict[str, Path]       # path inside the pages folder -> an image, a download...
    home: Page | None = None      # the guide's own text, shown at / (index.md)
    logo: str = ""                # the URL of the guide's logo, shown in the header
    language: str = "en"          # of its pages, a BCP 47 tag (<html lang>)
    image: str = ""               # guide.toml's image for sharing: in the pages folder, or https
    words: dict = dataclasses.field(default_factory=lambda: words_for("en"))  # see WORDS
    contents: Chapter = Chapter("", "", "", None, (), "")  # the pages as the book's chapters
    chapters: dict[str, Chapter] = dataclasses.field(default_factory=dict)  # folder -> chapter
    numbers: dict[str, str] = dataclasses.field(default_factory=dict)  # slug -> '4.3'

    @classmethod
    def from_pages(cls, pages: list[Page], title: str, description: str = "",
                   broken: dict[str, tuple] | None = None,
                   assets: dict[str, Path] | None = None, logo: str = "",
                   language: str = "", image: str = "",
                   words: dict[str, str] | None = None) -> "Guide":
        """Return a Guide with pages in book order: each folder of pages is
        a chapter (see Chapter), ordered among the pages around it (see
        page_order and folder_order); pages out of the navigation follow.
        The home page (index.md at the top) is apart: its text is shown at
        /, and it gives the guide a title and description when guide.toml
        does not."""
        home = next((page for page in pages if page.home), None)
        pages = [page for page in pages if not page.home]
        contents, numbers = build_contents(page for page in pages if not page.is_post)
        book = list(contents.book())
        ordered = book + sorted((page for page in pages if not page.is_post
                                 and page.slug not in numbers), key=page_order)
        posts = sorted((page for page in pages if page.is_post),
                       key=lambda post: (post.date, post.title), reverse=True)
        if home is not None:
            title = title or home.title
            description = description or home.description
        every_page = [*ordered, *posts, *([home] if home else [])]
        by_slug = {page.slug: page for page in every_page}
        return cls(title=title or DEFAULT_GUIDE_TITLE, description=description,
                   pages=tuple(ordered), posts=tuple(posts), by_slug=by_slug,
                   positions={page.slug: index for index, page in enumerate(book)},
                   redirects=old_names(every_page, by_slug),
                   by_source={page.source: page for page in every_page},
                   broken=broken or {}, assets=assets or {}, home=home, logo=logo,
                   language=language or "en", image=image,
                   words=words_for(language or "en", words), contents=contents,
                   chapters={chapter.folder: chapter for chapter in chapters_in(contents)},
                   numbers=numbers)

    def swapping(self, swaps: dict[Page, Page]) -> "Guide":
        """Return the guide with each page of swaps in place of the page it
        replaces, which shows the others the same of itself (see
        page_shape): every place, number and name stays.  Only the chapters
        that hold a swapped page are made again."""
        chapters = {"": self.contents, **self.chapters}

        def put(folder: str, old: Page | Chapter, new: Page | Chapter) -> None:
            """Put new in place of old in the chapter of folder, and so that
            chapter in place of itself in the one around it."""
            chapter = chapters[folder]
            if chapter.page is old:
                changed = dataclasses.replace(chapter, page=new)
            else:
                at = chapter.entries.index(old)  # by identity: neither type compares values
                changed = dataclasses.replace(
                    chapter, entries=(*chapter.entries[:at], new, *chapter.entries[at + 1:]))
            chapters[folder] = changed
            if folder:
                put(posixpath.dirname(folder), chapter, changed)

        pages, posts = list(self.pages), list(self.posts)
        by_slug, by_source, redirects = dict(self.by_slug), dict(self.by_source), \
            dict(self.redirects)
        for old, new in swaps.items():
            folder = posixpath.dirname(old.source)
            if folder in chapters and (chapters[folder].page is old
                                       or old in chapters[folder].entries):
                put(folder, old, new)
            for listed in (pages, posts):
                if old in listed:
                    listed[listed.index(old)] = new
            by_slug[new.slug] = by_source[new.source] = new
            for name in (*old.redirect_from, old.flat_slug):
                if redirects.get(name) is old:
                    redirects[name] = new
        contents = chapters.pop("")
        return dataclasses.replace(
            self, pages=tuple(pages), posts=tuple(posts), by_slug=by_slug, by_source=by_source,
            redirects=redirects, contents=contents, chapters=chapters,
            home=swaps.get(self.home, self.home) if self.home else None)

    @functools.cached_property
    def book(self) -> tuple[Page, ...]:
        """Return the pages of the navigation in reading order."""
        return self.pages[:len(self.positions)]

    @functools.cached_property
    def chapter_at(self) -> dict[str, Chapter]:
        """Return {name of a chapter's address ('docs/install'): chapter}."""
        return {chapter.slug: chapter for chapter in self.chapters.values()}

    def trail(self, page: Page) -> tuple[Chapter, ...]:
        """Return the chapters page is in, outermost first (a chapter's own
        page is in the chapters around it): the breadcrumbs to it."""
        folder = posixpath.dirname(page.source)
        if self.opened_by(page) is not None:
            folder = posixpath.dirname(folder)
        trail = []
        while folder:
            if folder in self.chapters:
                trail.append(self.chapters[folder])
            folder = posixpath.dirname(folder)
        return tuple(reversed(trail))

    def open_folders(self, page: Page | None) -> tuple[str, ...]:
        """Return the folders of the chapters the navigation opens for page:
        those it is in, and the one it is the own page of."""
        if page is None:
            return ()
        folders = [chapter.folder for chapter in self.trail(page)]
        if self.opened_by(page) is not None:
            folders.append(self.opened_by(page).folder)
        return tuple(folders)

    def opened_by(self, page: Page) -> Chapter | None:
        """Return the chapter page is the own page of, if it is one."""
        chapter = self.chapters.get(posixpath.dirname(page.source))
        return chapter if chapter is not None and chapter.page is page else None

    def nav(self, page: Page | None) -> tuple[NavEntry, ...]:
        """Return the navigation shown beside page: every chapter at the
        top; the chapter page is in open, listing its pages, and its
        chapters as sections, the one page is in open too.  A list longer
        than NAV_LIMIT shows a window of it around page; windows move by
        half their length, so that the pages of a chapter share a few
        navigations (and their HTML: see SiteRenderer.nav_html)."""
        open_folders = self.open_folders(page)
        lists = [self.contents, *(self.chapters[folder] for folder in open_folders)]
        holders = [*(self.chapters[folder] for folder in open_folders), page]
        starts = tuple(window_start(len(chapter.entries), self.place.get(holder, 0))
                       for chapter, holder in zip(lists, holders))
        key = (open_folders, starts)
        if key not in self.navs:
            self.navs[key] = self.nav_list(self.contents, dict(zip(open_folders, starts[1:])),
                                           starts[0], top=True)
        return self.navs[key]

    @functools.cached_property
    def navs(self) -> dict[tuple, tuple[NavEntry, ...]]:
        """Return the navigations made so far (see nav)."""
        return {}

    @functools.cached_property
    def place(self) -> dict:
        """Return {page or chapter: its index among its chapter's entries}."""
        return {entry: index for chapter in (self.contents, *self.chapters.values())
                for index, entry in enumerate(chapter.entries)}

    def nav_list(self, chapter: Chapter, open_starts: dict[str, int] | None, start: int,
                 top: bool = False, section: bool = False) -> tuple[NavEntry, ...]:
        """Return the entries of chapter's list in the navigation, from
        start; open_starts gives the chapters opened and where their lists
        start (None: list sub-chapters as links, without opening them).  A
        section's list starts with its own page: its title is no link."""
        entries = chapter.entries
        end = min(len(entries), start + NAV_LIMIT)
        listed = []
        if start > 0:
            listed.append(NavEntry("more", f"/#{chapter.anchor}", f"{start} earlier pages"))
        if section and chapter.page is not None and chapter.page.in_nav and start == 0:
            listed.append(NavEntry("page", chapter.url, chapter.label, chapter.number))
        for entry in entries[start:end]:
            if not isinstance(entry, Chapter):
                listed.append(NavEntry("page", entry.url, entry.nav_title,
                                       self.numbers.get(entry.slug, "")))
            elif open_starts is None or (top and entry.folder not in open_starts):
                kind = "chapter" if top else "page"
                listed.append(NavEntry(kind, entry.url, entry.label, entry.number))
            elif top:
                listed.append(NavEntry("chapter", entry.url, entry.label, entry.number,
                                       self.nav_list(entry, open_starts,
                                                     open_starts[entry.folder]), True))
            else:
                holds_page = entry.folder in open_starts
                listed.append(NavEntry("section", entry.url, entry.label, entry.number,
                                       self.nav_list(entry, open_starts if holds_page else None,
                                                     open_starts.get(entry.folder, 0),
                                                     section=True),
                                       holds_page))
        if end < len(entries):
            listed.append(NavEntry("more", f"/#{chapter.anchor}",
                                   f"{len(entries) - end} later pages"))
        return tuple(listed)

    def named(self, name: str) -> Page | None:
        """Return the page with a name (a slug, or an old name that leads to
        it), as `next:` names pages."""
        return self.by_slug.get(name) or self.redirects.get(name)

    @functools.cached_property
    def name_pieces(self) -> dict[str, list[Page]]:
        """Return {three letters: pages whose slug or title has them}, made
        on the first 404: a reload after every save should not pay for it."""
        return index_name_pieces(self.pages)

    @property
    def one_page(self) -> bool:
        """Return whether the guide is offered on one page (/all.html): a book
        of thousands of pages is no use as one, and would cost memory."""
        return len(self.pages) <= ALL_IN_ONE_LIMIT

    @functools.cached_property
    def tags(self) -> dict[str, tuple[str, tuple[Page, ...]]]:
        """Return {URL of a tag's page: (the tag, its pages in order)}, by tag."""
        tagged: dict[str, tuple[str, list[Page]]] = {}
        for page in self.all_pages:
            for tag in page.tags:
                tagged.setdefault(self.tag_url(tag), (tag, []))[1].append(page)
        return {url: (tag, tuple(pages)) for url, (tag, pages) in
                sorted(tagged.items(), key=lambda item: fold(item[1][0]))}

    def tag_url(self, tag: str) -> str:
        return f"/tags/{slugify(tag, keep_unicode=True) or 'tag'}.html"

    @functools.cached_property
    def groups(self) -> list[tuple[str, str, tuple[Page, ...]]]:
        """Return the guide in reading order as (name, title, pages) groups:
        one per chapter at the top, and one for the pages between chapters
        ('Introduction to HTTP in brief')."""
        groups, loose = [], []
        for entry in (*self.contents.entries, None):
            if isinstance(entry, Page):
                loose.append(entry)
                continue
            if loose:
                title = loose[0].title if len(loose) == 1 else \
                    f"{loose[0].title} to {loose[-1].title}"
                groups.append((loose[0].slug.replace("/", "-"), title, tuple(loose)))
                loose = []
            if entry is not None:
                groups.append((entry.slug.replace("/", "-"), f"{entry.number} {entry.title}",
                               tuple(entry.book())))
        return groups

    @functools.cached_property
    def text_parts(self) -> dict[str, tuple[str, tuple[Page, ...]]]:
        """Return {URL: (title, pages)} of the parts the whole text of a
        guide too long for one page (see one_page) is offered in, in order:
        one per chapter at the top, /all/<its slug>.html, and one for the
        pages between chapters; a part of more than ALL_IN_ONE_LIMIT pages
        goes on in /all/<slug>-2.html and so on."""
        if self.one_page:
            return {}
        parts = {}
        for slug, title, pages in self.groups:
            for count, start in enumerate(range(0, len(pages), ALL_IN_ONE_LIMIT), 1):
                name = slug if count == 1 else f"{slug}-{count}"
                while f"/all/{name}.html" in parts:
                    name += "-"
                parts[f"/all/{name}.html"] = (title if count == 1 else f"{title} ({count})",
                                              pages[start:start + ALL_IN_ONE_LIMIT])
        return parts

    @property
    def all_pages(self) -> tuple[Page, ...]:
        """Return the guide's pages in order, then the posts."""
        return self.pages + self.posts

    @property
    def every_page(self) -> tuple[Page, ...]:
        """Return all_pages and the home page, if there is one."""
        return self.all_pages + ((self.home,) if self.home else ())

    @functools.cached_property
    def updated(self) -> datetime.datetime | None:
        """Return when a page of the guide last changed, as far as it is
        known (see Page.updated), or None."""
        return max((page.updated for page in self.every_page if page.updated), default=None)

    def neighbours(self, page: Page) -> tuple[Page | None, Page | None]:
        """Return (previous page, next page) around page in guide order
        (posts have none: they are not part of the guide's order)."""
        if page.slug not in self.positions:
            return None, None
        index = self.positions[page.slug]
        previous = self.book[index - 1] if index > 0 else None
        following = self.book[index + 1] if index + 1 < len(self.book) else None
        return previous, following

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
                             for name in (page.slug.rsplit("/", 1)[-1].lower(),
                                          page.title.lower()))
            if similarity >= 0.5:
                scored.append((-similarity, self.positions.get(page.slug, len(self.book)),
                               page.path, page))
        return [page for *_order, page in sorted(scored)[:count]]


NAME_CANDIDATES = 50


def old_names(pages: list[Page], by_slug: dict[str, Page]) -> dict[str, Page]:
    """Return {old name: page} for the names that lead to pages by a
    redirect: those each page says it had (redirect_from), and the name a
    page in a folder had at the top of the site before folders were part
    of addresses, when no other page has or had it."""
    names = {name: page for page in pages for name in page.redirect_from}
    flat = collections.Counter(page.flat_slug for page in pages if page.flat_slug)
    for page in pages:
        if (flat[page.flat_slug] == 1 and page.flat_slug not in by_slug
                and page.flat_slug not in names):
            names[page.flat_slug] = page
    return names


def name_pieces(text: str) -> set[str]:
    """Return the three-letter pieces of text (padded, so short names have some)."""
    padded = f" {text} "
    return {padded[index:index + 3] for index in range(len(padded) - 2)}


def index_name_pieces(pages: list[Page]) -> dict[str, list[Page]]:
    """Return {three letters: pages whose slug or title contains them}."""
    index: dict[str, list[Page]] = {}
    for page in pages:
        for piece in (name_pieces(page.slug.rsplit("/", 1)[-1].lower())
                      | name_pieces(page.title.lower())):
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
BONUS_BY_FLAGS = [max((bonus for flag, bonus in FIELD_BONUS.items() if flags & flag),
                      default=0.0) for flags in range(4)]  # the best bonus a posting has
PREFIX_ONLY = 0.8        # a page that matches only a longer word counts a little less
TYPO_ONLY = 0.7          # and one that matches only a word one typo away, less again
TYPO_MIN_LENGTH = 5      # words this long may be misspelt by one edit
QUERY_LIMIT = 200        # characters of a query that are read
QUERY_TERMS = 12         # terms of a query that are used
PREFIX_EXPANSIONS = 40   # words the last, unfinished word of a query may stand for
SEARCH_RESULTS = 20      # results on a page of results
SEARCH_PAGES = 50        # pages of results a reader may ask for

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


@functools.lru_cache(maxsize=1 << 16)  # a guide says its words over and over
def stem(word: str) -> str:
    """Return the stem of a folded English word, so that the forms of a
    word meet: servers and server, deploying and deploy, serve, served and
    serving, queries and query, caches and cache.  Only ASCII words of four
    letters or more change.

    A light stemmer of our own rather than Snowball's: the exported site's
    search (static/search.js) must stem exactly as the server does, and
    this one is written twice in a few lines (its twin is in search.js; a
    test holds them to the same results).  It strips the endings that
    matter in technical English; it may join words that differ (`news`
    and `new`), and it leaves a few irregular forms apart (`flies` and
    `fly`, `goes` and `go`)."""
    if len(word) < 4 or not (word.isascii() and word.isalpha()):
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "i"                       # queries -> queri
    elif word.endswith("sses"):
        word = word[:-2]                             # classes -> class
    elif word.endswith(("ss", "us", "is")):
        pass                                         # class, status, analysis
    elif word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        word = word[:-2]                             # boxes -> box, caches -> cach
    elif word.endswith("s"):
        word = word[:-1]                             # servers -> server
    if word.endswith("ing") and len(word) >= 6:
        word = undoubled(word[:-3])                  # deploying -> deploy, running -> run
    elif word.endswith("ed") and len(word) >= 5:
        word = undoubled(word[:-2])                  # deployed -> deploy, stopped -> stop
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]                             # serve -> serv, case -> cas
    elif word.endswith("y") and len(word) >= 4 and word[-2] not in "aeiou":
        word = word[:-1] + "i"                       # query -> queri
    return word


def undoubled(word: str) -> str:
    """Return word without a doubled last consonant (runn -> run), but ll, ss, zz."""
    if len(word) >= 3 and word[-1] == word[-2] and word[-1] not in "aeiouylsz":
        return word[:-1]
    return word


def unstemmed(word: str) -> str:
    """Return word: the stem of a word in a language search does not stem."""
    return word


STEMMERS = {"en": stem, "": unstemmed}  # by Wording.stemming


def page_term_counts(stemming: str, page: Page) -> dict[str, tuple[int, int]]:
    """Return {term: (weighted count, IN_TITLE | IN_HEADING flags)} for a page."""
    return term_counts(page.title, heading_text(page.toc, page.tags), page.text, stemming)


def stem_counts(words: list[str], stemming: str) -> collections.Counter:
    """Return how many times each stem is among words (each distinct word stemmed once)."""
    stemmer = STEMMERS[stemming]
    counts: collections.Counter = collections.Counter()
    for word, count in collections.Counter(words).items():
        counts[stemmer(word)] += count
    return counts


def heading_text(toc: tuple, tags: tuple[str, ...]) -> str:
    """Return what a page's search counts as its headings: those of its
    table of contents (h2 and h3), and its tags."""
    return " ".join([*(text for _level, _id, text in toc), *tags])


def term_counts(title: str, headings: str, text: str, stemming: str
                ) -> dict[str, tuple[int, int]]:
    """Return page_term_counts() of a page with this title, headings (see
    heading_text) and text: the terms are stems (see STEMMERS)."""
    title = stem_counts(search_terms(title), stemming)
    headings = stem_counts(search_terms(headings), stemming)
    counts = {term: (count * FIELD_WEIGHTS["body"], 0) for term, count in
              stem_counts(search_terms(text), stemming).items()}
    for field, flag, found in [("headings", IN_HEADING, headings), ("title", IN_TITLE, title)]:
        for term, count in found.items():
            weighted, flags = counts.get(term, (0, 0))
            counts[term] = (weighted + count * FIELD_WEIGHTS[field], flags | flag)
    return counts


def terms_key(title: str, headings: str, text: str, stemming: str) -> str:
    """Return the cache key of term_counts(title, headings, text, stemming)."""
    digest = hashlib.sha256(
        f"{renderer_version()}\0{stemming}\0{title}\0{headings}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def encode_terms(counts: dict[str, tuple[int, int]]) -> bytes:
    return pickle.dumps(counts, protocol=pickle.HIGHEST_PROTOCOL)  # see encode_rendered


def decode_terms(value: bytes) -> dict[str, tuple[int, int]] | None:
    """Return the term counts in a cache entry, or None if it holds none."""
    return unpickled(value, dict)


@dataclasses.dataclass(frozen=True)
class Query:
    """What a reader asks for: every term must match (stems; the last one
    may also begin a longer word), every phrase (words, in order) must be
    in the text, and no excluded term may be."""
    terms: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    prefix: str = ""  # the last term, when it may begin a longer word (deploy: deployment)

    @classmethod
    def read(cls, text: str, stemming: str = "en") -> "Query":
        """Return the query text asks: words, "a phrase" in quotes, -word;
        its terms stemmed as the guide's (see STEMMERS)."""
        stem = STEMMERS[stemming]
        terms, phrases, excluded, last = [], [], [], ""
        for found in QUERY_PART.finditer(fold(text[:QUERY_LIMIT])):
            if found["phrase"] is not None:
                words = search_terms(found["phrase"])
                terms += map(stem, words)
                if len(words) > 1:
                    phrases.append(tuple(WORD.findall(found["phrase"])))
                last = ""
            elif found["excluded"] is not None:
                excluded += map(stem, search_terms(found["excluded"]))
            else:
                words = search_terms(found["word"])
                terms += map(stem, words)
                last = words[-1] if words and not CJK.search(words[-1]) else ""
        terms = list(dict.fromkeys(terms))[:QUERY_TERMS]
        return cls(tuple(terms), tuple(phrases), tuple(dict.fromkeys(excluded)),
                   stem(last) if last and stem(last) in terms else "")


# A query's parts: "a phrase", -excluded, or a word.
QUERY_PART = re.compile(r'"(?P<phrase>[^"]*)"?|(?<!\w)-(?P<excluded>\w+)|(?P<word>[^\s"]+)')


@dataclasses.dataclass(frozen=True)
class SearchResult:
    page: Page
    score: float
    snippet: str      # HTML: escaped text with the matched words in <mark>
    anchor: str = ""  # the id of the heading of the section that matched best
    section: str = ""  # that heading's text

    @property
    def url(self) -> str:
        return self.page.url + (f"#{self.anchor}" if self.anchor else "")


@dataclasses.dataclass(frozen=True)
class SearchAnswer:
    """A page of the results of a query, and how many there are in all."""
    results: list[SearchResult]
    count: int
    terms: list[str]
    start: int = 0


class SearchIndex:
    """An inverted index of the guide, built at start-up (and updated by
    reload): for every term, the pages it occurs in, its weighted count
    and where it occurs (kept in compact arrays: a 10 000-page guide has
    millions of entries)."""

    def __init__(self, pages: tuple[Page | None, ...], stemming: str = "en"):
        """Start an empty index of pages, whose terms are stemmed as
        stemming says (see STEMMERS); add() each page's terms in order,
        then finish()."""
        self.pages = pages                  # by number; None for a page taken out
        self.stemming = stemming
        self.page_count = len(pages)
        self.order = range(len(pages))      # number -> place in the guide, for ties
        self.in_order = pages               # the pages in guide order (see updated)
        self.numbers: Sequence[int] = range(len(pages))  # place in the guide -> number
        self.lengths = array.array("f")
        # term -> (the numbers of the pages it is in, ascending; its count
        # in each; where in each it is: see BONUS_BY_FLAGS)
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

    def updated(self, pages: tuple[Page, ...]) -> "SearchIndex":
        """Return a copy of the index over pages: pages gone are taken out,
        new ones put in, and those whose words changed (title, headings or
        text) counted again.  Only the postings of the terms that change
        are copied; this index stays as it was, for the site that still
        answers with it.  (A page keeps its number; the number of a page
        that is gone is not used again.)"""
        slots = list(self.pages)
        changes: dict[int, tuple[dict, dict]] = {}  # number -> (old counts, new counts)

        def put(number: int, page: Page) -> None:
            """Put page in slot number, counting its words again if they changed."""
            old = slots[number]
            if old is not page and (old.title, old.toc, old.tags, old.text) != (
                    page.title, page.toc, page.tags, page.text):
                changes[number] = (page_term_counts(self.stemming, old),
                                   page_term_counts(self.stemming, page))
            slots[number] = page

        other = [place for place, (old, page) in enumerate(zip(self.in_order, pages))
                 if old is not page]
        if len(pages) == len(self.in_order) and all(
                self.in_order[place].slug == pages[place].slug for place in other):
            # The usual save: the same pages in the same order, a few of them read again.
            numbers, order = self.numbers, self.order
            for place in other:
                put(numbers[place], pages[place])
        else:
            number_of = {page.slug: number for number, page in enumerate(slots) if page}
            numbers = []
            for page in pages:
                number = number_of.pop(page.slug, None)
                if number is None:
                    number = len(slots)
                    slots.append(page)
                    changes[number] = ({}, page_term_counts(self.stemming, page))
                else:
                    put(number, page)
                numbers.append(number)
            for number in number_of.values():
                changes[number] = (page_term_counts(self.stemming, slots[number]), {})
                slots[number] = None
            places = {number: place for place, number in enumerate(numbers)}
            order = [places.get(number, len(slots)) for number in range(len(slots))]
        index = SearchIndex(tuple(slots), self.stemming)
        index.in_order, index.numbers, index.order = pages, numbers, order
        index.lengths = array.array("f", self.lengths)
        index.lengths.extend([0.0] * (len(slots) - len(self.lengths)))
        index.postings = dict(self.postings)
        copied: set[str] = set()

        def own(term: str) -> tuple:
            if term not in copied:
                copied.add(term)
                index.postings[term] = tuple(
                    part[:] for part in  # a copy at C speed
                    index.postings.get(term, (array.array("I"), array.array("I"),
                                              array.array("B"))))
            return index.postings[term]

        for number, (old, new) in changes.items():
            for term in old:
                held, counts, flags = own(term)
                where = bisect.bisect_left(held, number)  # numbers are kept in order
                for part in (held, counts, flags):
                    del part[where]
                if not held:
                    del index.postings[term]
                    copied.discard(term)
            for term, (count, where) in new.items():
                held, counts, flags = own(term)
                place = bisect.bisect_left(held, number)
                for part, value in ((held, number), (counts, count), (flags, where)):
                    part.insert(place, value)
            index.lengths[number] = sum(count for count, _flags in new.values())
        # The vocabulary (sorted, for prefixes and typos) changes by the
        # terms that came or went: a large guide has a hundred thousand.
        touched = {term for old, new in changes.values() for term in (*old, *new)}
        gone = [term for term in touched if term not in index.postings]
        come = [term for term in touched if term not in self.postings and term in index.postings]
        index.vocabulary = list(self.vocabulary) if gone or come else self.vocabulary
        for term in gone:
            del index.vocabulary[bisect.bisect_left(index.vocabulary, term)]
        for term in come:
            bisect.insort(index.vocabulary, term)
        index.page_count = len(pages)
        index.average_length = sum(index.lengths) / len(pages) if pages else 1.0
        return index

    def finish(self) -> "SearchIndex":
        """Return the index, ready to search."""
        self.vocabulary = sorted(self.postings)
        if self.lengths:
            self.average_length = sum(self.lengths) / len(self.lengths)
        return self

    def search(self, text: str, start: int = 0, limit: int = SEARCH_RESULTS) -> SearchAnswer:
        """Return the results from start on of the query text, best first,
        with the real count of all of them (see Query for what text may
        say).  A term matches its own stem, the longer words it begins if it
        is the last one, and, when nothing else does, the words one typo
        away from it (of TYPO_MIN_LENGTH letters or more)."""
        query = Query.read(text, self.stemming)
        if not query.terms:
            return SearchAnswer([], 0, [], start)
        scores: dict[int, float] | None = None
        matched: set[str] = set()
        for term in query.terms:
            words = self.matching_words(term, query.prefix if term == query.prefix else "")
            matched.update(words)
            term_scores = self.scores(term, words)
            scores = term_scores if scores is None else {
                number: score + term_scores[number]
                for number, score in scores.items() if number in term_scores}
        for term in query.excluded:
            for number in self.postings.get(term, ((),))[0]:
                scores.pop(number, None)
        if query.phrases:
            scores = {number: score for number, score in scores.items()
                      if has_phrases(self.pages[number], query.phrases)}
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.order[item[0]]))
        if start >= len(ranked):  # past the last page of results: the last one
            start = max(0, (len(ranked) - 1) // limit * limit)
        results, matcher = [], Matcher(matched, query.prefix, self.stemming)
        for number, score in ranked[start:start + limit]:
            page = self.pages[number]
            where, anchor, heading = best_section(page, matcher)
            results.append(SearchResult(page, score, snippet(page, matcher, where),
                                        anchor, heading))
        return SearchAnswer(results, len(ranked), list(query.terms), start)

    def matching_words(self, term: str, prefix: str) -> list[str]:
        """Return the terms of the guide that term stands for: itself, and
        the longer ones prefix begins; or, when there are none, those one
        typo away."""
        words = [term] if term in self.postings else []
        if prefix:
            words += [word for word in self.words_starting_with(prefix) if word != term]
        if words or len(term) < TYPO_MIN_LENGTH or not term.isalpha():
            return words or [term]
        return self.words_one_typo_from(term) or [term]

    def words_starting_with(self, prefix: str) -> list[str]:
        """Return up to PREFIX_EXPANSIONS words of the guide that start with prefix."""
        start = bisect.bisect_left(self.vocabulary, prefix)
        words = []
        for word in self.vocabulary[start:start + PREFIX_EXPANSIONS]:
            if not word.startswith(prefix):
                break
            words.append(word)
        return words

    def words_one_typo_from(self, term: str) -> list[str]:
        """Return the words of the guide one typo away from term that begin
        with its first two letters (a typo there is rare, and looking only
        there keeps this fast at any size)."""
        start = bisect.bisect_left(self.vocabulary, term[:2])
        words = []
        for word in itertools.takewhile(lambda word: word.startswith(term[:2]),
                                        self.vocabulary[start:]):
            if len(word) >= TYPO_MIN_LENGTH - 1 and one_edit_apart(term, word):
                words.append(word)
        return words

    def scores(self, term: str, words: list[str]) -> dict[int, float]:
        """Return {page number: score} for one query term matched by any of
        words (the term itself, longer words it begins, or words one typo
        away): BM25 over the pages' weighted counts, plus the title and
        heading bonuses."""
        typo = bool(words) and not any(word.startswith(term) for word in words)
        factor = 1.0 if words == [term] else TYPO_ONLY if typo else PREFIX_ONLY
        lengths, average, k1, b = self.lengths, self.average_length, BM25_K1, BM25_B
        if len(words) == 1:  # the usual case, in one pass over the term's postings
            numbers, counts, flags = self.postings.get(words[0], ((), (), ()))
            pages = self.page_count
            idf = math.log(1 + (pages - len(numbers) + 0.5) / (len(numbers) + 0.5))
            return {number: idf * (count * (k1 + 1) / (count + k1 * (
                        1 - b + b * lengths[number] / average)) + BONUS_BY_FLAGS[where]) * factor
                    for number, count, where in zip(numbers, counts, flags)}
        found: dict[int, list[int]] = {}   # page -> [count, flags, exact]
        for word in words:
            numbers, counts, flags = self.postings.get(word, ((), (), ()))
            for number, count, where in zip(numbers, counts, flags):
                entry = found.setdefault(number, [0, 0, 0])
                entry[0] += count
                entry[1] |= where
                entry[2] |= word == term
        pages = self.page_count
        idf = math.log(1 + (pages - len(found) + 0.5) / (len(found) + 0.5))
        return {number: idf * (count * (k1 + 1) / (count + k1 * (
                    1 - b + b * lengths[number] / average)) + BONUS_BY_FLAGS[where])
                * (1.0 if exact else TYPO_ONLY if typo else PREFIX_ONLY)
                for number, (count, where, exact) in found.items()}


def has_phrases(page: Page, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Return whether every phrase's words follow each other in the page's
    title, a heading or its text (folded, as queries are; Chinese, Japanese
    and Korean, written without spaces, as they are written)."""
    text = f"{page.title}\n{page.text}"
    if text.isascii():  # most pages: a regular expression, at C speed
        return all(phrase_pattern(phrase).search(text) for phrase in phrases)
    folded = fold(text)
    words = " " + " ".join(WORD.findall(folded)) + " "
    return all((" ".join(phrase) in folded) if CJK.search(" ".join(phrase)) else
               f" {' '.join(phrase)} " in words for phrase in phrases)


@functools.lru_cache(maxsize=64)
def phrase_pattern(phrase: tuple[str, ...]) -> re.Pattern:
    """Return a pattern finding phrase's words, in order, in ASCII text."""
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, phrase)) + r"(?!\w)",
                      re.IGNORECASE)


class Matcher:
    """Tells which words of a page a query matched: those whose stem is a
    matched term, that begin with the unfinished last word, or (Chinese,
    Japanese, Korean) that hold a matched pair of characters."""

    def __init__(self, matched: set[str], prefix: str = "", stemming: str = "en"):
        self.matched, self.prefix, self.stem = matched, prefix, STEMMERS[stemming]
        self.pairs = [term for term in matched if CJK.search(term)]
        self.known: dict[str, bool] = {}
        # A word whose stem is t begins with t but for t's last letter (see
        # stem): only such words need stemming, found at C speed.
        starts = {term[:-1] if len(term) >= 4 else term for term in matched
                  if term not in self.pairs} | ({prefix} if prefix else set())
        self.candidates = re.compile(r"(?<!\w)(?:" + "|".join(sorted(
            map(re.escape, starts), key=len, reverse=True)) + r")\w*", re.IGNORECASE) \
            if starts else None

    def __call__(self, word: str) -> bool:
        if word not in self.known:
            folded = fold(word)
            self.known[word] = (self.stem(folded) in self.matched
                                or bool(self.prefix and folded.startswith(self.prefix))
                                or any(pair in folded for pair in self.pairs))
        return self.known[word]

    def find(self, text: str) -> list[re.Match]:
        """Return the matched words of text, in order."""
        if self.pairs or not text.isascii() or self.candidates is None:
            return [found for found in WORD.finditer(text) if self(found.group())]
        return [found for found in self.candidates.finditer(text) if self(found.group())]


def sections_of(page: Page) -> list[tuple[int, int, str, str]]:
    """Return (start, end, heading id, heading) of each section of the page's
    text: its top, before any heading, then one per heading."""
    text, marks = page.text, page.rendered.sections
    sections, top_end = [], marks[0][0] if marks else len(text)
    if top_end:
        sections.append((0, top_end, "", ""))
    for index, (where, anchor) in enumerate(marks):
        end = marks[index + 1][0] if index + 1 < len(marks) else len(text)
        line_end = text.find("\n", where, end)
        heading_end = end if line_end < 0 else line_end
        sections.append((heading_end + 1, end, anchor, text[where:heading_end]))
    return sections


def best_section(page: Page, matcher: Matcher) -> tuple[tuple[int, int], str, str]:
    """Return ((start, end) in the page's text, heading id, heading) of the
    section that matches the query best: the most matched words, those in
    its heading counting three times; the first of equals, the page's top
    when none matches."""
    best, best_count = ((0, len(page.text)), "", ""), 0
    for start, end, anchor, heading in sections_of(page):
        count = len(matcher.find(page.text[start:end])) + 3 * len(matcher.find(heading))
        if count > best_count:
            best, best_count = ((start, end), anchor, heading), count
    return best


def snippet(page: Page, matcher: Matcher, where: tuple[int, int] | None = None,
            width: int = 220) -> str:
    """Return HTML: about width characters of the page's text in where (a
    section, or the whole text) around its first match, cut between words,
    escaped, with every matched word in <mark>."""
    start, end = where or (0, len(page.text))
    text = " ".join(page.text[start:end].split()) or " ".join(page.text.split())
    words = list(WORD.finditer(text))
    hits = matcher.find(text)
    first = hits[0].start() if hits else 0
    start = 0
    if first > width // 3:  # begin at a word, a third of the width before the match
        start = next((found.start() for found in words if found.start() >= first - width // 3),
                     first)
    end = len(text)
    if end - start > width:  # end after the last word that fits
        end = max((found.end() for found in words if found.end() <= start + width),
                  default=start + width)
    pieces, position = [], start
    for found in hits:
        if found.start() < start or found.end() > end:
            continue
        pieces += [html.escape(text[position:found.start()]),
                   f"<mark>{html.escape(found.group())}</mark>"]
        position = found.end()
    pieces.append(html.escape(text[position:end]))
    return ("… " if start else "") + "".join(pieces) + (" …" if end < len(text) else "")


###############################################################################
# Responses ###################################################################
###############################################################################

class Variant:
    """One encoding of a response: its body and complete header lists.
    A plain body of which a gzip copy is kept is made from it when first
    sent (most clients take the copy; see make_resource)."""
    __slots__ = ("_body", "_gzipped", "etag", "headers", "not_modified_headers")

    def __init__(self, body: bytes | None, etag: str, headers: list,
                 not_modified_headers: list, gzipped: bytes | None = None):
        self._body, self._gzipped = body, gzipped
        self.etag = etag
        self.headers = headers                # for 200 (or the resource's own status)
        self.not_modified_headers = not_modified_headers  # for 304

    @property
    def body(self) -> bytes:
        if self._body is None:  # two threads may both unzip it: the same bytes
            self._body = zlib.decompress(self._gzipped, wbits=31)
        return self._body


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


def make_resource(body: bytes | None, content_type: str, cache_control: str,
                  last_modified: float | None = None, status: str = "200 OK",
                  extra_headers: Iterable[tuple[str, str]] = (),
                  compressed: bytes | None = None, digest: str | None = None) -> Resource:
    """Return a Resource for body with its ETag, Last-Modified, security
    headers and, when it makes the body smaller, a gzip copy: compressed,
    when compress(body) is known already (from the cache), else made now.
    The ETags are made from digest when given (a digest of everything body
    is made from, such as answer_key's), else from the bytes.  With a
    digest and a gzip copy, body may be None: it is made from the copy
    when first sent (a page's answer kept in memory once, not twice)."""
    common = [("Cache-Control", cache_control), *SECURITY_HEADERS, *extra_headers]
    if last_modified is not None:
        common.append(("Last-Modified", email.utils.formatdate(last_modified, usegmt=True)))
    gzip_body = None
    if content_type.startswith(COMPRESSIBLE_TYPES):
        gzip_body = (compress(body) if compressed is None else compressed) or None
        common.append(("Vary", "Accept-Encoding"))  # even when not worth it: caches must know
    if body is None and (gzip_body is None or digest is None):
        body = zlib.decompress(compressed, wbits=31)

    def variant(data: bytes | None, encoding: str | None, length: int) -> Variant:
        if digest is None:
            etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        else:  # the two halves of one digest: each encoding has an ETag of its own
            etag = '"' + (digest[32:64] if encoding else digest[:32]) + '"'
        headers = [("ETag", etag), *common]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        return Variant(data, etag, [("Content-Type", content_type),
                                    ("Content-Length", str(length)), *headers], headers,
                       gzipped=gzip_body)

    # gzip's last four bytes say how long the body it holds is (RFC 1952)
    length = len(body) if body is not None else int.from_bytes(gzip_body[-4:], "little")
    return Resource(status=status, identity=variant(body, None, length),
                    gzipped=variant(gzip_body, "gzip", len(gzip_body)) if gzip_body else None,
                    last_modified=last_modified)


# gzip's level for answers: on our pages, 4 takes 40 % less time than the
# usual 6 for 2 % more bytes (bench: 0.21 against 0.35 ms a page, 5.4 against
# 5.3 kB); every page is compressed once per content, at a cold start.
GZIP_LEVEL = 4


def compress(body: bytes) -> bytes:
    """Return body gzipped, or b'' when that saves too little to be worth it."""
    gzip_body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    return gzip_body if len(gzip_body) <= len(body) * 0.9 else b""


class Views:
    """The SimpleTemplate views, each loaded once from the first of folders
    that has it: a guide's own views/ first, then ours (views/base.tpl in
    a guide's folder replaces ours; its page.tpl still uses it)."""

    def __init__(self, folders: Path | tuple[Path, ...] = VIEWS_DIR):
        self.folders = (folders,) if isinstance(folders, Path) else folders
        self.templates: dict[str, bottle.SimpleTemplate] = {}
        self.files, problems = files_in(self.folders, "*.tpl")
        if problems:
            raise GuideErrors(problems)
        self.compile_all()
        # What the views say: two Views with one digest fill pages alike.
        self.digest = hashlib.sha256(b"".join(
            name.encode() + b"\0" + path.read_bytes()
            for name, path in sorted(self.files.items()))).hexdigest()

    def compile_all(self) -> None:
        """Compile every view now, so that a mistake in one that is rarely
        used is reported at start-up and by `check`."""
        problems = []
        for name in self.files:
            try:
                self.template(name.removesuffix(".tpl")).co
            except Exception as error:  # any mistake in a view's Python
                problems.append(self.describe(name.removesuffix(".tpl"), error))
        if problems:
            raise GuideErrors(problems)

    def template(self, name: str) -> bottle.SimpleTemplate:
        if name not in self.templates:
            self.templates[name] = bottle.SimpleTemplate(
                name=name, lookup=[str(folder) for folder in self.folders])
        return self.templates[name]

    def render(self, name: str, **values) -> str:
        """Return the view filled with values.

        Views are the site owner's to edit, so a mistake in one is reported
        like a mistake in a page (`views/page.tpl:12: NameError: ...`)."""
        try:
            return self.template(name).render(**values)
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
            where, line = str(self.files.get(f"{name}.tpl", f"{name}.tpl")), None
        return PageError(display_path(Path(where)), line, f"{type(error).__name__}: {error}")


def files_in(folders: tuple[Path, ...], pattern: str = "**/*"
             ) -> tuple[dict[str, Path], list[PageError]]:
    """Return {name inside its folder: file} for the files of folders that
    match pattern, the first folder's winning, and what is wrong: a file
    that is a link leading out of its folder is never read (nothing
    outside a guide's folders is served)."""
    found, problems = {}, []
    for folder in reversed(folders):
        root = folder.resolve()
        for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
            name = path.relative_to(folder).as_posix()
            if any(part.startswith(".") for part in name.split("/")) or not path.is_file():
                continue
            if not path.resolve().is_relative_to(root):
                problems.append(PageError(display_path(path), None,
                                          f"is a link leading outside {display_path(folder)}"))
                continue
            found[name] = path
    return found, problems


@dataclasses.dataclass(frozen=True, eq=False)
class Site:
    """Everything the site answers: the guide, the complete answer of every
    URL that is answered from memory, the renderer that fills templates for
    the rest (searches, 404 pages), and the fixed error answers."""
    guide: Guide
    resources: dict[str, Resource]
    renderer: "SiteRenderer"
    error_pages: dict[int, Resource]
    # In reload mode only: what each page's and document's answer is made
    # from, as far as it was worked out (see inputs_of), so that the next
    # build can keep every answer whose inputs did not change (the layout's
    # inputs first in each), and what the pages show of each other (see
    # SiteRenderer.shape).
    inputs: dict[str, tuple] = dataclasses.field(default_factory=dict)
    layout: tuple = ()
    shape: tuple = ()
    max_age: int = Settings.max_age
    # The answers made on their first request, then kept (see made_later).
    kept_later: dict[str, Resource] = dataclasses.field(default_factory=dict)
    # In reload mode only: the paths (PATH_INFO form) of the pages and
    # documents, whose answers are made on their first request; the
    # answers earlier sites made, with what each was made from (see
    # preview_inputs); and what makes each document (see site_documents).
    on_request: frozenset[str] = frozenset()
    earlier: dict[str, tuple[tuple, Resource]] = dataclasses.field(default_factory=dict)
    documents: dict[str, tuple] = dataclasses.field(default_factory=dict)

    def answer(self, path: str) -> Resource | None:
        """Return the answer kept at path (in PATH_INFO form), making it now
        if it is a page's or a document's that waits for its first request
        (in reload mode, a save can change the navigation of every page,
        and only the pages a browser shows need to be made again): an
        earlier site's answer when it was made from the same."""
        resource = self.resources.get(path) or self.kept_later.get(path)
        if resource is None and path in self.on_request:
            made_from, earlier = self.inputs_of(path), self.earlier.get(path)
            cache_control = page_cache(self.max_age)
            if earlier is not None and earlier[0] == made_from:
                resource = earlier[1]
            elif path in self.documents:
                make, content_type, _shows = self.documents[path]
                updated = self.guide.updated
                resource = document_answer(make, content_type, cache_control,
                                           updated.timestamp() if updated else None)
            else:
                resource = page_answer(self.renderer, self.page_on_request(path), cache_control)
            self.kept_later[path] = resource
        return resource

    def inputs_of(self, path: str) -> tuple:
        """Return what the answer at path, one of on_request, is made from
        (worked out once: see SiteRenderer.layout_inputs and page_inputs,
        and site_documents)."""
        made_from = self.inputs.get(path)
        if made_from is None:
            if path in self.documents:
                made_from = (self.layout, self.shape, self.documents[path][2]())
            else:
                made_from = (self.layout, self.renderer.page_inputs(self.page_on_request(path)))
            self.inputs[path] = made_from
        return made_from

    def page_on_request(self, path: str) -> Page:
        """Return the page whose answer is at path, one of on_request."""
        return self.page_at(path.encode("latin-1").decode("utf-8"))

    def made_later(self, path: str) -> Resource | None:
        """Return the answer at path (in PATH_INFO form) that is made on
        its first request and then kept, or None for any other path (see
        later).  Few readers ask for these, and for a large guide they are
        large, so start-up does not pay for them; once made, they are
        answered like every other answer from memory (compressed, with an
        ETag)."""
        resource = self.answer(path)
        if resource is not None:
            return resource
        if path in self.later:
            body, content_type = self.later[path]()
        elif path.startswith("/search/") and path in self.renderer.search_files:
            body, content_type = self.renderer.search_files[path], JS_TYPE
        else:
            return None
        resource = make_resource(body.encode(), content_type, page_cache(self.max_age))
        self.kept_later[path] = resource
        return resource

    @functools.cached_property
    def later(self) -> dict[str, Callable[[], tuple[str, str]]]:
        """Return {path (PATH_INFO form): what makes its answer, and its type}
        for the answers made on request: the index the exported site
        searches in the browser, the parts of a long guide's whole text,
        the guide for language models (llms.txt, llms-full.txt) and each
        page's Markdown at its address with .md."""
        renderer = self.renderer
        later = {
            "/search-index.json": lambda: (renderer.search_data(), "application/json"),
            "/llms.txt": lambda: (renderer.llms_index(), TEXT_TYPE),
            "/llms-full.txt": lambda: (renderer.llms_full(), TEXT_TYPE),
        }
        for url in self.guide.text_parts:
            later[url] = functools.partial(lambda url: (renderer.text_part(url), HTML_TYPE), url)
        for page in self.guide.all_pages:
            later[markdown_url(page.url)] = functools.partial(
                lambda page: (markdown_source(page), MARKDOWN_TYPE), page)
        return {wsgi_path(url): make for url, make in later.items()}

    def search(self, path: str, query_string: str) -> Resource:
        """Return the answer to a search (`/search.html?q=...`, made on the
        server, so that it works without JavaScript; or `/search.json?q=...`,
        for scripts), compressed and with an ETag like every answer."""
        asked = urllib.parse.parse_qs(query_string.encode("latin-1").decode("utf-8", "replace"))
        query = next(iter(asked.get("q", [])), "")[:QUERY_LIMIT]
        page = next(iter(asked.get("page", [])), "1")
        page = int(page) if re.fullmatch(r"[0-9]{1,4}", page) else 1
        start = (min(max(page, 1), SEARCH_PAGES) - 1) * SEARCH_RESULTS
        if path == "/search.json":
            body, content_type = self.renderer.search_json(query, start), "application/json"
        elif not query.strip():
            return self.empty_search
        else:
            body, content_type = self.renderer.search(query, start), HTML_TYPE
        return make_resource(body.encode(), content_type, page_cache(self.max_age))

    @functools.cached_property
    def empty_search(self) -> Resource:
        """The search page without a query: the one `build` exports."""
        return make_resource(self.renderer.search("").encode(), HTML_TYPE,
                             page_cache(self.max_age))


    def answer_made(self, path: str) -> Resource | None:
        """Return the answer at path if it is made already (see answer)."""
        return self.resources.get(path) or self.kept_later.get(path)

    def redirect_for(self, path: str) -> str | None:
        """Return the URL a path leads to by a 301, or None: the other forms
        of a page's address (/docs/x, /docs/x/ and /docs/x.html lead to
        whichever is its URL; /docs/index.html to /docs/), its old names
        (redirect_from, and where a page in a folder was at the top), and
        /blog to /blog/."""
        name = path.strip("/")
        if not name or "//" in name:
            return None
        if name == "blog" and self.guide.posts:
            return "/blog/"
        name = slug_of(name.removesuffix("index.html"))
        if name == "index":
            return "/" if path != "/" else None
        page = self.guide.by_slug.get(name) or self.guide.redirects.get(name)
        if page is None and name in self.guide.chapter_at:  # a folder without its own page
            page = self.guide.by_slug.get(slug_of(self.guide.chapter_at[name].url))
        return page.url if page is not None and page.url != path else None

    def page_at(self, path: str) -> Page | None:
        """Return the page a site path leads to, directly or by a redirect."""
        page = self.guide.by_slug.get(slug_of(path))
        if page is not None and page.url == path:
            return page
        location = self.redirect_for(path)
        return self.guide.by_slug.get(slug_of(location)) if location else None

    def answers(self, path: str) -> bool:
        """Return whether GET path is answered 200 or 301 (no page is rendered)."""
        return (wsgi_path(path) in self.resources or wsgi_path(path) in self.on_request
                or path in SEARCH_PATHS
                or wsgi_path(path) in self.later
                or self.page_at(path) is not None or self.redirect_for(path) is not None)

    def html_at(self, url: str) -> str | None:
        """Return the HTML answered at url, or None where it answers none
        (a page's answer is made here when the site does not keep it)."""
        answer = self.answer(wsgi_path(url)) if url.endswith((".html", "/")) else None
        if answer is not None:
            return answer.identity.body.decode("utf-8", "replace")
        page = self.page_at(url)
        return self.renderer.page(page) if page is not None else None


SEARCH_PATHS = frozenset({"/search", "/search.html", "/search.json"})


SEARCH_CHUNK_POSTINGS = 4_000  # postings in a chunk of the export's search index, about
# What static/search.js needs to search as SearchIndex does (in meta.js).
SEARCH_CONSTANTS = {
    "weights": FIELD_WEIGHTS, "k1": BM25_K1, "b": BM25_B,
    "bonus": {"title": FIELD_BONUS[IN_TITLE], "heading": FIELD_BONUS[IN_HEADING]},
    "prefixOnly": PREFIX_ONLY, "typoOnly": TYPO_ONLY, "typoMinLength": TYPO_MIN_LENGTH,
    "queryLimit": QUERY_LIMIT, "queryTerms": QUERY_TERMS, "resultPages": SEARCH_PAGES,
    "prefixExpansions": PREFIX_EXPANSIONS, "results": SEARCH_RESULTS}


def chunk_keys(sizes: dict[str, int], limit: int = SEARCH_CHUNK_POSTINGS) -> dict[str, str]:
    """Return {term: the key of its chunk} for terms of the given number of
    postings: terms are grouped by their first letter, and a group larger
    than limit by their first two letters, and so on (a term is a chunk of
    its own when it alone is larger), so that a chunk holds about limit
    postings at most and a query loads few of them."""
    keys: dict[str, str] = {}

    def split(terms: list[str], depth: int) -> None:
        if sum(sizes[term] for term in terms) <= limit or len(terms) == 1:
            keys.update(dict.fromkeys(terms, terms[0][:depth]))
            return
        groups: dict[str, list[str]] = {}
        for term in terms:
            groups.setdefault(term[:depth + 1], []).append(term)
        for group in groups.values():
            split(group, depth + 1)
    for terms in itertools.groupby(sorted(sizes), key=lambda term: term[:1]):
        split(list(terms[1]), 1)
    return keys


def search_part(name: str, data) -> str:
    """Return a script handing data to static/search.js as the part name."""
    return (f"(window.guideSearchParts = window.guideSearchParts || {{}})[{json.dumps(name)}] = "
            + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n")


def markdown_url(url: str) -> str:
    """Return where a page's Markdown is: /flask.md for /flask.html,
    /docs/install/index.md for /docs/install/."""
    return url + "index.md" if url.endswith("/") else url.removesuffix(".html") + ".md"


def markdown_source(page: Page) -> str:
    """Return the Markdown of page as its author wrote it, without its front
    matter (read when asked for: the rendering does not keep it; the text
    readers see stands in for a file that has gone since)."""
    try:
        lines = Path(page.file).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return page.text + "\n"
    return "\n".join(lines[page.body_line - 1:]).strip("\n") + "\n"


def build_site(guide: Guide, settings: Settings, views: Views,
               static_dirs: Path | tuple[Path, ...] = STATIC_DIR, preview: "Preview | None" = None,
               cache: "RenderCache | None" = None, previous: Site | None = None,
               answer_pages: bool = True, problems: tuple[str, ...] = ()) -> Site:
    """Return the Site: every page, the index, feed, sitemap and static
    file answered from memory, and the renderer for the rest.  What the
    cache holds (pages' search terms, compressed pages) is not made again,
    and in reload mode neither is what the previous site already had:
    the answers whose inputs did not change, the search terms of the
    pages that did not.  Without answer_pages (for `check`, which needs to
    know what the site answers, not the bytes), pages' answers and the
    search index are left out."""
    cache = cache or RenderCache(None)
    static = build_static_resources(static_dirs, settings.max_age)
    index = build_search_index(guide.all_pages, cache, stemming_for(guide.language),
                               previous) if answer_pages else \
        SearchIndex(()).finish()
    renderer = SiteRenderer(guide, views, static.hashed_urls, index, settings, preview, problems)
    cache_control = page_cache(settings.max_age)
    # A page's Last-Modified is the date readers, the sitemap and the feed
    # see: when it last changed (see Page.updated), else none (a file's time
    # would make every page of a fresh clone look new).  A change around an
    # unchanged page (a neighbour's title in its navigation) changes its ETag,
    # which every browser asks with, not its date.  What lists pages is as
    # new as the newest of them.
    changed = guide.updated.timestamp() if guide.updated else None
    # A preview's images must show a change at once: no browser may keep them.
    resources = {**build_asset_resources(guide.assets, NO_STORE if preview else
                                         page_cache(settings.max_age), previous),
                 **static.resources}
    documents = site_documents(renderer)
    inputs, on_request, earlier, first = {}, frozenset(), {}, None
    layout = renderer.layout_inputs() if preview is not None else ()
    if previous is not None and previous.layout == layout:
        layout = previous.layout  # the same object: every answer's inputs are compared
    shape = renderer.shape(previous) if preview is not None else ()
    if preview is None:
        pages = guide.all_pages if answer_pages else guide.all_pages[:1]  # for check, a
        # page shows a view's mistake
        for page, (key, body, gzip_body) in zip(pages, answers_cached(renderer, pages, cache)):
            resources[wsgi_path(page.url)] = page_resource(page, body, cache_control, gzip_body,
                                                           digest=key)
        for url, (make, content_type, _shows) in documents.items():
            resources[url] = make_resource(make().encode(), content_type, cache_control, changed)
    else:
        inputs, on_request, earlier, first = preview_inputs(renderer, documents, layout, shape,
                                                            preview, previous)
    # A page that did not load answers what is wrong with it, not a 404.
    for url, (path, page_problems) in guide.broken.items():
        if wsgi_path(url) not in resources:
            resources[wsgi_path(url)] = make_resource(renderer.error(
                500, "This page cannot be shown yet",
                f"{path} has a problem: {'; '.join(page_problems)}").encode(),
                HTML_TYPE, NO_STORE, status="500 Internal Server Error")
    # What a static host serves for unknown URLs (see `build`); the server
    # itself answers unknown URLs with suggestions (make_bottle_app).
    resources["/404.html"] = make_resource(
        renderer.error(404, guide.words["page_not_found"], guide.words["no_page_here"]).encode(),
        HTML_TYPE, cache_control, status="404 Not Found")
    site = Site(guide, resources, renderer, build_error_pages(renderer), inputs, layout, shape,
                settings.max_age, on_request=on_request, earlier=earlier, documents=documents)
    if first is not None:
        site.answer(first)
    return site


def site_documents(renderer: "SiteRenderer") -> dict[str, tuple[Callable, str, Callable]]:
    """Return {URL: (what makes its text, its content type, what it shows)}
    for the site's documents beside its pages: the index, feed, sitemap,
    robots.txt, all.html, the blog and the tag pages.  What a document
    shows of the pages besides their shape (see SiteRenderer.shape) tells
    reload when it must be made again: a view that shows more of them than
    this must say so here."""
    guide = renderer.guide

    def renderings() -> tuple:
        return tuple(page.rendered for page in guide.every_page)

    def summaries() -> tuple:
        return tuple(page.summary for page in guide.every_page)

    def entries() -> tuple:  # its entries' dates, which may be the files' times, and authors
        return tuple((page.rendered, page.changed, tuple(page.meta.items()))
                     for page in guide.every_page)

    documents = {
        "/": (renderer.index, HTML_TYPE, lambda: guide.home and guide.home.rendered),
        "/feed.atom": (renderer.feed, "application/atom+xml; charset=utf-8", entries),
        "/sitemap.xml": (renderer.sitemap, "application/xml; charset=utf-8", tuple),
        "/robots.txt": (renderer.robots, "text/plain; charset=utf-8", tuple),
        "/all.html": (renderer.all_in_one, HTML_TYPE, renderings),
    }
    if guide.posts:
        documents["/blog/"] = (renderer.blog, HTML_TYPE, summaries)
    for url in ["/tags/", *guide.tags] if guide.tags else []:
        documents[url] = (functools.partial(renderer.tags, url), HTML_TYPE, summaries)
    return documents


def preview_inputs(renderer: "SiteRenderer", documents: dict, layout: tuple, shape: tuple,
                   preview: "Preview", previous: "Site | None"
                   ) -> tuple[dict[str, tuple], frozenset[str], dict[str, tuple], str | None]:
    """Return, for a preview (reload mode) of the guide whose layout inputs
    are layout and whose shape is shape (see SiteRenderer.shape): (what the
    answers of its pages and documents are made from, as far as it is known
    yet; the paths of those answers; {path: (what it was made from, the
    answer an earlier site made)}; the path of the page to make at once).
    Each answer is made on its first request (see Site.answer), and what
    it is made from is worked out then: a save can change every page's
    navigation, and a browser shows one page.  An earlier answer made from
    the same is kept.  The first page read again (else, after a change of
    views, the first page) is made at once: most often the page just
    saved, which the browser asks for next; and a mistake in a view shows
    in it (see Views.render), so that the last good site stays."""
    guide = renderer.guide
    read = sorted((page for source in preview.changed or ()  # the home page is at /
                   if (page := guide.by_source.get(source)) is not None and not page.home),
                  key=lambda page: (guide.positions.get(page.slug, len(guide.book)), page.source))
    usual = previous is not None and preview.changed is not None and \
        previous.shape is shape and previous.layout is layout
    if usual:
        # The usual save, which leaves what the pages show of each other as
        # it was: only the pages read again, and the documents, can be made
        # from anything else.
        inputs, paths = dict(previous.inputs), previous.on_request
        for path in [*(wsgi_path(page.url) for page in read), *documents]:
            inputs.pop(path, None)
    else:
        inputs = {}
        paths = frozenset([*(wsgi_path(page.url) for page in guide.all_pages), *documents])
    earlier: dict[str, tuple] = {}
    if previous is not None:
        earlier = dict(previous.earlier)
        for path, answer in dict(previous.kept_later).items():  # requests add to it
            if path in previous.inputs:  # not one of the answers made later (see made_later)
                earlier[path] = (previous.inputs[path], answer)
        if paths is not previous.on_request:  # pages may have gone
            earlier = {path: made for path, made in earlier.items() if path in paths}
    first = read[0] if read else None if usual or not guide.all_pages else guide.all_pages[0]
    return inputs, paths, earlier, first and wsgi_path(first.url)


def page_answer(renderer: "SiteRenderer", page: Page, cache_control: str) -> Resource:
    """Return the answer of a page in a preview (see Site.answer)."""
    return page_resource(page, renderer.page(page).encode(), cache_control, compressed=b"")


def document_answer(make: Callable[[], str], content_type: str, cache_control: str,
                    changed: float | None) -> Resource:
    """Return the answer of a document in a preview (see Site.answer)."""
    return make_resource(make().encode(), content_type, cache_control, changed, compressed=b"")


def page_resource(page: Page, body: bytes | None, cache_control: str,
                  compressed: bytes | None = None, digest: str | None = None) -> Resource:
    """Return a page's answer: its HTML body, with its date as Last-Modified
    (for compressed and digest, see make_resource)."""
    return make_resource(body, HTML_TYPE, cache_control,
                         page.updated.timestamp() if page.updated else None,
                         compressed=compressed, digest=digest)


def build_search_index(pages: tuple[Page, ...], cache: "RenderCache", stemming: str,
                       previous: Site | None = None) -> "SearchIndex":
    """Return the search index of pages, stemmed as stemming says: in
    reload mode, the previous site's with the pages that changed counted
    again (unless the guide changed language); else a new one."""
    if previous is not None and previous.renderer.search_index.stemming == stemming:
        return previous.renderer.search_index.updated(pages)
    index = SearchIndex(pages, stemming)
    for counts in page_term_counts_cached(list(pages), cache, stemming):
        index.add(counts)
    return index.finish()


def build_asset_resources(assets: dict[str, Path], cache_control: str,
                          previous: "Site | None") -> dict[str, Resource]:
    """Return a Resource at its path for each image or download beside the
    pages, cached like the plain static URLs; in reload mode, one whose
    file did not change is kept from the previous site, not read again."""
    resources = {}
    for relative, path in assets.items():
        url = wsgi_path("/" + relative)
        kept = previous.resources.get(url) if previous is not None else None
        try:
            status = path.stat()
            if kept is not None and kept.last_modified == status.st_mtime and \
                    len(kept.identity.body) == status.st_size:
                resources[url] = kept
                continue
            body = path.read_bytes()
        except OSError:  # gone since the folder was listed: the next reload says so
            continue
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        resources[url] = make_resource(body, content_type, cache_control, status.st_mtime)
    return resources


CACHE_CHUNK = 1000  # pages whose cached work is fetched (and held) at once


def page_term_counts_cached(pages: list[Page], cache: "RenderCache", stemming: str
                            ) -> Iterator[dict]:
    """Yield page_term_counts(stemming, page) for each page in order, counted by every
    core unless the cache holds them (a chunk of pages at a time, so that
    the terms of all pages are never held at once)."""
    for start in range(0, len(pages), CACHE_CHUNK):
        chunk = pages[start:start + CACHE_CHUNK]
        keys = [terms_key(page.title, heading_text(page.toc, page.tags), page.text, stemming)
                for page in chunk]
        found = cache.get_many("terms", keys, decode_terms)
        missing = {key: page for key, page in zip(keys, chunk) if key not in found}
        fresh = dict(zip(missing, map_in_processes(page_term_counts, list(missing.values()),
                                                   stemming)))
        cache.put_many("terms", {key: encode_terms(counts) for key, counts in fresh.items()})
        found.update(fresh)
        yield from (found[key] for key in keys)


def answers_cached(renderer: "SiteRenderer", pages: list[Page], cache: "RenderCache"
                   ) -> list[tuple[str, bytes | None, bytes]]:
    """Return (answer_key, renderer.page(page) as bytes, compress() of
    them) for each page: filled into the views and compressed by every
    core, unless the cache holds them already (keyed by everything the
    answer is made from: see answer_key).  The body is None when it is
    compressed (see Variant)."""
    layout = repr(renderer.layout_inputs())
    keys = [answer_key(renderer, layout, page) for page in pages]
    answers: dict[str, tuple[bytes, bytes]] = {}
    for start in range(0, len(keys), CACHE_CHUNK):
        answers.update(cache.get_many("answer", keys[start:start + CACHE_CHUNK], split_answer))
    missing = {key: number for number, key in enumerate(keys) if key not in answers}
    fresh = dict(zip(missing, map_in_processes(filled_answer, list(missing.values()),
                                               renderer, pages)))
    cache.put_many("answer", {key: answer_entry(body, gzip_body)
                              for key, (body, gzip_body) in fresh.items()})
    # Kept once: a plain body is made from the compressed one when first sent.
    answers.update((key, (None if gzip_body else body, gzip_body))
                   for key, (body, gzip_body) in fresh.items())
    return [(key, *answers[key]) for key in keys]


def filled_answer(renderer: "SiteRenderer", pages: list[Page], number: int
                  ) -> tuple[bytes, bytes]:
    """Return the answer of pages[number] and compress() of it: made by a
    worker of map_in_processes, which has the renderer and the pages
    already, so that only a number and the bytes cross."""
    body = renderer.page(pages[number]).encode()
    return body, compress(body)


def answer_entry(body: bytes, gzip_body: bytes) -> bytes:
    """Return an answer's cache entry: its compressed body, about a fifth
    of the body's bytes (the body is made from it when first sent: see
    Variant); or the body, when it is not compressed (see compress)."""
    return b"z" + gzip_body if gzip_body else b"p" + body


def split_answer(value: bytes) -> tuple[bytes | None, bytes] | None:
    """Return (body, compressed body) from an answer's cache entry (its
    check passed: see checked); the body is None when it is compressed:
    it is made from the compressed one when first sent (see Variant)."""
    kind, data = value[:1], value[1:]
    return (data, b"") if kind == b"p" else (None, data) if kind == b"z" and data else None


def answer_key(renderer: "SiteRenderer", layout: str, page: Page) -> str:
    """Return the cache key of a page's answer: a digest of guide.py's
    version, the layout's inputs and the page's (page_inputs, with the
    page's rendering stood for by what the views show of it)."""
    rendered, nav, *rest = renderer.page_inputs(page)
    shown = (hashlib.sha256(rendered.html.encode()).hexdigest(), rendered.toc, page.summary)
    return hashlib.sha256(f"{renderer_version()}\0{layout}\0{shown!r}\0"
                          f"{renderer.nav_digest(nav)}\0{rest!r}".encode(
                              "utf-8", "surrogatepass")).hexdigest()


def build_error_pages(renderer: "SiteRenderer") -> dict[int, Resource]:
    """Return the error answers that do not depend on the request, in the
    guide's words."""
    words = renderer.guide.words
    return {
        status: make_resource(renderer.error(status, words[key], words[f"{key}_text"]).encode(),
                              HTML_TYPE, NO_STORE, status=f"{status} {reason}",
                              extra_headers=[("Allow", "GET, HEAD")] if status == 405 else [])
        for status, reason, key in [(400, "Bad Request", "bad_request"),
                                    (405, "Method Not Allowed", "method_not_allowed"),
                                    (500, "Internal Server Error", "server_error")]}


class SiteRenderer:
    """Fills the views with the guide; the only place templates are rendered."""

    def __init__(self, guide: Guide, views: Views, static_urls: dict[str, str],
                 search_index: "SearchIndex", settings: Settings = Settings(),
                 preview: "Preview | None" = None, problems: tuple[str, ...] = ()):
        self.guide, self.views, self.static_urls = guide, views, static_urls
        self.search_index = search_index
        self.nav_htmls: dict[int, str] = {}
        self.nav_digests: dict[int, str] = {}
        self.base = settings.base_path
        # Where the site is published: the site URL's scheme and host, and the base path.
        self.site_url = site_origin(settings.site_url) + self.base if settings.site_url else ""
        self.edit_url = settings.edit_url
        self.preview = preview
        self.problems = preview.problems if preview else problems  # for the banner

    def static_url(self, name: str) -> str:
        """Return the content-hashed URL of a file in static/."""
        return self.static_urls[name]

    def absolute(self, url: str) -> str:
        """Return url on the published site (site-absolute without --site-url),
        percent-encoded as sitemaps and feeds want it."""
        return (self.site_url or self.base) + urllib.parse.quote(url)

    def html(self, name: str, **values) -> str:
        """Return an HTML view filled with values, its links to the site's
        own URLs under the base path when there is one.  Views and pages
        write a URL of the site as its path from the root (`/flask.html`);
        this is the one place a base path is put in front."""
        text = self.views.render(name, **values)
        return relink(text, self.under_base) if self.base else text

    def under_base(self, url: str) -> str:
        return self.base + url

    def nav_html(self, page: Page | None) -> str:
        """Return the navigation beside page as HTML.  Pages that show the
        same navigation share its HTML, made once (see Guide.nav); the page
        shown is then marked in it (aria-current), found by its link as
        views/nav_list.tpl writes it."""
        nav = self.guide.nav(page)
        if id(nav) not in self.nav_htmls:
            self.nav_htmls[id(nav)] = self.views.render("nav", guide=self.guide, nav=nav)
        text = self.nav_htmls[id(nav)]
        if page is None or not page.in_nav:
            return text
        url = html.escape(page.url)
        for link in (f'<a href="{url}">', f'<a class="nav-chapter" href="{url}">'):
            if link in text:
                return text.replace(link, f'{link[:-1]} aria-current="page">', 1)
        return text

    def nav_digest(self, nav: tuple[NavEntry, ...]) -> str:
        """Return a digest of a navigation (see Guide.nav), made once for
        the pages that share it: its text is long, and the same for a
        hundred pages."""
        if id(nav) not in self.nav_digests:
            self.nav_digests[id(nav)] = hashlib.sha256(repr(nav).encode(
                "utf-8", "surrogatepass")).hexdigest()
        return self.nav_digests[id(nav)]

    def layout_values(self, page: Page | None, title: str, description: str,
                      url: str | None) -> dict:
        image = shared_image(page, self.guide)[0]
        if image.startswith("/"):  # shared pages need absolute addresses: with a site URL
            image = self.site_url + image if self.site_url else self.base + image
        language = (page.meta.get("lang") or page.meta.get("language")) if page else None
        language = language if isinstance(language, str) and LANGUAGE_TAG.fullmatch(
            language) else self.guide.language
        return dict(guide=self.guide, title=title, description=description, image=image,
                    lang=language, words=self.guide.words,
                    dir="rtl" if language.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr",
                    date=lambda when: format_date(when, self.guide.words),
                    current=page, nav_html=self.nav_html(page), static_url=self.static_url,
                    extra_css=self.static_urls.get("extra.css"),
                    extra_js=self.static_urls.get("extra.js"), logo=self.guide.logo,
                    canonical=self.absolute(url) if self.site_url and url else None,
                    prev_page=None, next_page=None, preview=self.preview,
                    problems=self.problems)

    def index(self) -> str:
        """Return the contents page; a guide that does not describe itself
        is described by what it holds (search engines show a description)."""
        guide = self.guide
        chapters = sum(isinstance(entry, Chapter) for entry in guide.contents.entries)
        description = guide.description or f"{guide.title}: {plural(len(guide.book), 'page')}" + (
            f" in {plural(chapters, 'chapter')}." if chapters else ".")
        return self.html("index", contents=guide.contents, posts=guide.posts[:5],
                                 home=guide.home, numbers=guide.numbers,
                                 describe_all=len(guide.pages) <= ALL_IN_ONE_LIMIT,
                                 **self.layout_values(None, guide.title, description, "/"))

    def layout_inputs(self) -> tuple:
        """Return what every page is made from besides its own page_inputs."""
        guide = self.guide
        return (guide.title, guide.description, guide.logo, guide.language, guide.image,
                tuple(guide.words.items()),
                bool(guide.posts),
                guide.one_page,
                tuple(sorted(self.static_urls.items())), self.site_url, self.base, self.edit_url,
                self.problems, self.views.digest)

    def page_inputs(self, page: Page) -> tuple:
        """Return what page(page) is made from, besides layout_inputs():
        the page itself and what it shows of others (neighbours, the
        navigation, What's next).  Equal inputs make equal answers, so that
        reload fills again only the pages whose inputs changed; a view that
        shows more of other pages than this must say so here."""
        previous, following = self.guide.neighbours(page)
        return (page.rendered, self.guide.nav(page), page.title, page.slug, page.category,
                page.description, page.date, page.modified, page.committed, page.source,
                tuple(page.meta.items()), page.url, page.nav_title, page.in_nav, page.show_toc,
                self.guide.numbers.get(page.slug, ""),
                tuple((chapter.url, chapter.label) for chapter in self.guide.trail(page)),
                *((item.url, item.title) if item else None for item in (previous, following)),
                tuple((item.url, item.title, item.description)
                      for item in self.next_pages(page)))

    def shape(self, previous: "Site | None" = None) -> tuple:
        """Return what a page's answer may show of the guide's other pages
        (see page_inputs: their places, names and descriptions) and of the
        files beside them (links to them are resolved).  While it stays the
        same, a page's inputs change only with its own file.  The previous
        site's shape, the same object, when it is the same: only the pages
        that are not the previous site's are looked at."""
        pages, assets = self.guide.every_page, tuple(self.guide.assets)
        if previous is not None and previous.shape:
            before = previous.guide.every_page
            if len(before) == len(pages) and previous.shape[1] == assets and all(
                    old is page or page_shape(old) == page_shape(page)
                    for old, page in zip(before, pages)):
                return previous.shape
        return tuple(map(page_shape, pages)), assets

    def page(self, page: Page) -> str:
        previous, following = self.guide.neighbours(page)
        values = self.layout_values(page, page.title, page.summary, page.url)
        values.update(prev_page=previous, next_page=following)
        return self.html(
            "page", page=page, next_pages=self.next_pages(page),
            number=self.guide.numbers.get(page.slug, "") if self.guide.chapters else "",
            trail=self.guide.trail(page),
            edit_link=self.edit_url + urllib.parse.quote(page.source) if self.edit_url else None,
            **values)

    def next_pages(self, page: Page) -> list[Page]:
        """Return the pages page's `next:` names, for its What's next box."""
        return [item for item in map(self.guide.named, page.next_slugs) if item is not None]

    def blog(self) -> str:
        return self.html("blog", posts=self.guide.posts, **self.layout_values(
            None, self.guide.words["blog"], f"News and articles from {self.guide.title}.",
            "/blog/"))

    def tags(self, url: str = "/tags/") -> str:
        """Return /tags/, every tag with its number of pages, or a tag's page
        (url /tags/<tag>.html), its pages in the guide's order."""
        if url == "/tags/":
            return self.html("tags", tag=None, tags=self.guide.tags, pages=(),
                             **self.layout_values(None, self.guide.words["tags"], f"The topics of "
                                                  f"{self.guide.title}, by tag.", url))
        tag, pages = self.guide.tags[url]
        return self.html("tags", tag=tag, tags={}, pages=pages, **self.layout_values(
            None, self.guide.words["tagged"].format(tag=tag),
            f"{plural(len(pages), 'page')} of {self.guide.title} "
                                    f"tagged {tag}.", url))

    def all_in_one(self) -> str:
        """Return /all.html: the whole guide on one page (see whole_text),
        or, for a guide too long for that, the list of its parts."""
        guide = self.guide
        if guide.one_page:
            return self.whole_text(guide.pages, guide.title, f"{guide.title}: all pages",
                                   guide.description, "/all.html")
        parts = [(url, title, len(pages)) for url, (title, pages) in guide.text_parts.items()]
        return self.html("all", heading=guide.title, sections=[], parts=parts,
                                 **self.layout_values(None, f"{guide.title}: the whole text",
                                                      guide.description, "/all.html"))

    def text_part(self, url: str) -> str | None:
        """Return the part of the whole text at url (see Guide.text_parts)."""
        if url not in self.guide.text_parts:
            return None
        title, pages = self.guide.text_parts[url]
        return self.whole_text(pages, title, f"{self.guide.title}: {title}", "", url)

    def whole_text(self, pages: tuple[Page, ...], heading: str, title: str, description: str,
                   url: str) -> str:
        """Return pages on one page, each page's ids made unique by prefixing
        its slug, and its links to the others turned into links within it."""
        slugs = {page.slug for page in pages}
        numbers = self.guide.numbers if self.guide.chapters else {}  # as in the pages' titles
        sections = [(page, prefix_ids(page, slugs), numbers.get(page.slug, ""))
                    for page in pages]
        return self.html("all", heading=heading, sections=sections, parts=[],
                                 **self.layout_values(None, title, description, url))

    def search(self, query: str, start: int = 0) -> str:
        """Return the search page: the form, and when query has words, the
        results from start on, how many there are, and links to the others."""
        query = query[:QUERY_LIMIT]
        answer = self.search_index.search(query, start)
        start = answer.start
        title = self.guide.words["search"] + (f": {query}" if query.strip() else "")
        pages = {"previous": start // SEARCH_RESULTS if start else None,
                 "next": start // SEARCH_RESULTS + 2
                 if start + SEARCH_RESULTS < answer.count else None}
        return self.html("search", query=query, answer=answer, per_page=SEARCH_RESULTS,
                         search_page=True,
                         more=lambda number: "/search.html?" + urllib.parse.urlencode(
                             {"q": query, **({"page": number} if number > 1 else {})}),
                         **pages, **self.layout_values(None, title, "", None))

    def search_data(self) -> str:
        """Return /search-index.json, the whole index for tools: the search's
        constants and every page's text."""
        return json.dumps({
            **SEARCH_CONSTANTS, "stemming": self.search_index.stemming,
            "pages": [{"url": page.url, "title": page.title, "description": page.description,
                       "headings": heading_text(page.toc, page.tags),
                       "text": page.text, "sections": page.rendered.sections}
                      for page in self.guide.all_pages]},
            ensure_ascii=False, separators=(",", ":"))

    @functools.cached_property
    def search_files(self) -> dict[str, str]:
        """Return {URL: script} of the exported site's search index, split
        so that a query downloads only what it needs (static/search.js
        loads them; each script hands its part to the page, so that they
        load from the file system too):

        - /search/meta.js: SEARCH_CONSTANTS, the stemming (see STEMMERS), for every page
          number its length (for BM25) and place in the guide (for ties),
          the number of pages and their average length, and the keys of
          the terms' chunks;
        - /search/terms-<n>.js: the postings of the terms a chunk holds,
          {term: [page numbers as gaps from the one before, weighted
          counts, flags]}; a term's chunk is the one of the longest key
          (in meta.keys, by number) that begins it;
        - /search/page-<n>.js: what results show of page number n, and
          what phrases are looked for in: url, title, text, sections.
        """
        index, data = self.search_index, dict(SEARCH_CONSTANTS)
        keys = chunk_keys({term: len(numbers) for term, (numbers, _c, _f)
                           in index.postings.items()})
        ordered = sorted(set(keys.values()))
        numbered = {key: number for number, key in enumerate(ordered)}
        chunks: dict[int, dict] = {number: {} for number in range(len(ordered))}
        for term, (numbers, counts, flags) in index.postings.items():
            entries = sorted(zip(numbers, counts, flags))
            gaps = [number - before for (number, _c, _f), before
                    in zip(entries, [0, *(entry[0] for entry in entries[:-1])])]
            chunks[numbered[keys[term]]][term] = [gaps, [entry[1] for entry in entries],
                                                  [entry[2] for entry in entries]]
        data.update(stemming=index.stemming, pages=index.page_count, average=index.average_length,
                    lengths=[int(length) for length in index.lengths],
                    order=list(index.order), keys=ordered)
        files = {"/search/meta.js": search_part("meta", data)}
        for number, terms in chunks.items():
            files[f"/search/terms-{number}.js"] = search_part(f"terms-{number}", terms)
        for number, page in enumerate(index.pages):
            if page is not None:
                files[f"/search/page-{number}.js"] = search_part(f"page-{number}", {
                    "url": page.url, "title": page.title, "text": page.text,
                    "sections": page.rendered.sections})
        return files

    def search_json(self, query: str, start: int = 0) -> str:
        """Return the results of a search as JSON, for scripts: those from
        start on, with the count of all and the section each matched in."""
        answer = self.search_index.search(query, start)
        return json.dumps({"query": query, "terms": answer.terms, "count": answer.count,
                           "start": answer.start, "results": [
            {"url": self.base + result.url, "title": result.page.title,
             "section": result.section, "description": result.page.description,
             "snippet": result.snippet, "score": round(result.score, 4)}
            for result in answer.results]})

    def llms_index(self) -> str:
        """Return /llms.txt (llmstxt.org): the guide's title and description,
        then its pages in reading order, a section per group (see
        Guide.groups), each page a link to its Markdown with its one-line
        description."""
        guide = self.guide
        lines = [f"# {guide.title}", ""]
        if guide.description:
            lines += [f"> {' '.join(guide.description.split())}", ""]

        def item(page: Page) -> str:
            link = f"- [{page.title}]({self.absolute(markdown_url(page.url))})"
            return link + (f": {' '.join(page.summary.split())}" if page.summary else "")
        for _name, title, pages in guide.groups:
            lines += [f"## {title}", "", *map(item, pages), ""]
        if guide.posts:
            lines += ["## Posts", "", *map(item, guide.posts), ""]
        return "\n".join(lines)

    def llms_full(self) -> str:
        """Return /llms-full.txt: the whole guide as Markdown, in reading order."""
        guide = self.guide
        parts = [f"# {guide.title}\n" + (f"\n> {' '.join(guide.description.split())}\n"
                                         if guide.description else "")]
        for page in guide.all_pages:
            parts.append(f"# {page.title}\n\nSource: {self.absolute(page.url)}\n\n"
                         + markdown_source(page))
        return "\n---\n\n".join(parts)

    def redirect(self, page: Page) -> str:
        """Return the small page a static host serves at a page's old name."""
        return self.html("redirect", page=page, guide=self.guide)

    def error(self, status: int, heading: str, message: str,
              suggestions: list[Page] = ()) -> str:
        return self.html("error", status=status, heading=heading, message=message,
                                 suggestions=suggestions,
                                 **self.layout_values(None, heading, "", None))

    def feed(self, link: Callable[[str], str] | None = None) -> str:
        """Return an Atom feed (RFC 4287) of the posts, or, with no posts,
        of the guide's pages by their last change.  Its links, those inside
        the entries' HTML too, are made by link (a URL of the site, as HTML
        writes it, to where a reader finds it): on the published site by
        default, relative to the feed in an export with relative links."""
        link = link or (lambda url: (self.site_url or self.base) + url)
        entries = list(self.guide.posts) or sorted(
            self.guide.pages, key=lambda page: page.changed, reverse=True)
        entries = entries[:FEED_ENTRIES]
        updated = self.guide.updated or max(  # the feed's Last-Modified, when known
            (page.changed for page in entries),
            default=datetime.datetime.now(datetime.timezone.utc))
        return self.views.render(
            "feed", guide=self.guide, entries=entries, updated=updated,
            absolute=lambda url: link(urllib.parse.quote(url)), atom_id=self.atom_id,
            content=lambda page: relink(anchored(page.html, page.url), link))

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
                                 updated={page.url: page.updated for page in self.guide.all_pages
                                          if page.updated})

    def robots(self) -> str:
        """Return robots.txt: everything may be crawled; here is the sitemap
        (robots.txt needs an absolute sitemap URL, so only with --site-url)."""
        lines = ["User-agent: *", "Allow: /"]
        if self.site_url:
            lines.append(f"Sitemap: {self.absolute('/sitemap.xml')}")
        return "\n".join(lines) + "\n"


FEED_ENTRIES = 20
PAGE_LINK = re.compile(r"""(\bhref\s*=\s*["'])/([^"'#?]+?(?:\.html|/))(?:#([^"']*))?(["'])""")
ID_OR_ANCHOR = re.compile(r"""(\b(?:id\s*=\s*["']|for\s*=\s*["']|name\s*=\s*["']"""
                          r"""|href\s*=\s*["']#))([^"']+)""")  # tab sets use for= and name=
HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
TABLE_LABEL = re.compile(r'(<div class="table-scroll" role="region" tabindex="0" aria-label=")'
                         r'(Table \d+)')


def page_shape(page: Page) -> tuple:
    """Return what other pages' answers may show of page (see SiteRenderer.shape)."""
    return (page.url, page.slug, page.flat_slug, page.title, page.category, page.sort_order,
            page.description, page.draft, page.source, page.redirect_from, page.next_slugs,
            page.date, page.modified, page.home, page.folder_page, page.nav_title, page.in_nav,
            page.committed, page.tags)


def prefix_ids(page: Page, slugs: set[str]) -> str:
    """Return page.html ready to sit in all.html: ids and #anchors prefixed
    with the slug, links to other pages of the guide made in-page, and
    headings one level lower (the page's title is the section's heading)."""
    text = ID_OR_ANCHOR.sub(lambda match: f"{match.group(1)}{page.slug}--{match.group(2)}",
                            page.html)

    def in_page(match: re.Match) -> str:
        opening, written, anchor, closing = match.groups()
        slug = slug_of(urllib.parse.unquote(written))  # /%E5%AE%89.html is /安.html
        if slug not in slugs:
            return match.group(0)
        return f"{opening}#{slug}--{anchor}{closing}" if anchor else f"{opening}#{slug}{closing}"
    text = PAGE_LINK.sub(in_page, text)
    text = TABLE_LABEL.sub(lambda match: f'{match.group(1)}{html.escape(page.title)}, '
                                         f'{match.group(2).lower()}', text)
    return HEADING_TAG.sub(lambda match: f"<{match.group(1)}h{min(int(match.group(2)) + 1, 6)}",
                           text)


# An attribute holding a URL of the site itself (quoted, as views and
# Markdown write them, and a path from the root: /flask.html); a srcset's
# candidates; a refresh <meta>'s URL.  Each counts only inside a tag: text,
# such as an example in a code block, holds no '<' of its own (see in_tag).
SITE_URL = re.compile(r"""(\s(?:href|src|action|poster)=(["']))(/(?!/)[^"'<>]*)\2""",
                      re.IGNORECASE)
SRCSET = re.compile(r"""(\ssrcset=(["']))([^"'<>]*)\2""", re.IGNORECASE)
REFRESH = re.compile(r"""(\scontent=(["'])\d+;\s*url=)(/(?!/)[^"'<>]*)\2""", re.IGNORECASE)
FRAGMENT_LINK = re.compile(r"""(\shref=(["']))(#[^"'<>]*)\2""", re.IGNORECASE)


def in_tag(found: re.Match) -> bool:
    """Return whether found is inside a tag: the last '<' before it is
    closer than any '>' (in text, href="/x" is just words)."""
    return found.string.rfind("<", 0, found.start()) > found.string.rfind(">", 0, found.start())


def anchored(text: str, url: str) -> str:
    """Return a page's HTML text with its links within itself (`#setup`)
    leading to url#setup: read elsewhere (a feed), they would lead nowhere."""
    return FRAGMENT_LINK.sub(lambda found: f"{found[1]}{url}{found[3]}{found[2]}"
                             if in_tag(found) else found[0], text)


def relink(text: str, change: Callable[[str], str]) -> str:
    """Return HTML text with change(url) in place of each link to a URL of
    the site itself (a path from the root, `/flask.html#x`).  Links
    elsewhere (`https:`, `//host`, `#x`, `x.html`) are left as they are."""
    def own(url: str) -> str:
        return change(url) if url.startswith("/") and not url.startswith("//") else url

    def candidates(value: str) -> str:  # 'a.png 1x, b.png 2x'
        return ", ".join(" ".join([own(url), *descriptor]) for url, *descriptor in
                         (candidate.split() for candidate in value.split(",")) if url)

    text = SITE_URL.sub(lambda found: f"{found[1]}{change(found[3])}{found[2]}"
                        if in_tag(found) else found[0], text)
    if "srcset" in text:
        text = SRCSET.sub(lambda found: f"{found[1]}{candidates(found[3])}{found[2]}"
                          if in_tag(found) else found[0], text)
    if "url=" in text:
        text = REFRESH.sub(lambda found: f"{found[1]}{change(found[3])}{found[2]}"
                           if in_tag(found) else found[0], text)
    return text


def relative_url(url: str, from_file: str) -> str:
    """Return the site's URL url (`/docs/x.html#a`, `/docs/`) relative to
    the exported file from_file (`guide/flask.html`), with `index.html` for a
    folder: opened from the file system, a folder shows no index."""
    path, query = re.fullmatch(r"([^?#]*)(.*)", url, re.DOTALL).groups()
    if path.endswith("/"):
        path += "index.html"
    return posixpath.relpath(path, posixpath.dirname("/" + from_file)) + query


def site_origin(url: str) -> str:
    """Return the scheme and host of an http(s) URL: https://example.org."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclasses.dataclass(frozen=True)
class StaticFiles:
    resources: dict[str, Resource]
    hashed_urls: dict[str, str]   # 'guide.css' -> '/static/guide.3f9a1c2b.css'


def build_static_resources(folders: Path | tuple[Path, ...], max_age: int) -> StaticFiles:
    """Return a Resource for every file in the static folders (a guide's
    own first: its file wins over ours of the same name), under its plain
    URL and under a content-hashed URL that may be cached forever.

    The files are read once (and again only when one changes: reload asks
    at every save); a request can only ever name a file that was found
    here, so no request path can reach outside the folders.  A symbolic
    link that leads outside its folder is an error."""
    files, problems = files_in((folders,) if isinstance(folders, Path) else folders)
    if problems:
        raise GuideErrors(problems)
    stamps = []
    for name, path in files.items():
        status = path.stat()
        stamps.append((name, path, status.st_mtime_ns, status.st_size))
    return static_resources(tuple(stamps), max_age)


@functools.lru_cache(maxsize=4)
def static_resources(stamps: tuple[tuple[str, Path, int, int], ...], max_age: int
                     ) -> StaticFiles:
    """Return build_static_resources() of the files stamped (name, path,
    modification time, size)."""
    resources, hashed_urls = {}, {}
    for name, path, modified, _size in stamps:
        body = path.read_bytes()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "xml")):
            content_type += "; charset=utf-8"
        digest = hashlib.sha256(body).hexdigest()[:10]
        suffix = PurePosixPath(name).suffix
        hashed = f"/static/{name.removesuffix(suffix)}.{digest}{suffix}"
        mtime = modified / 1e9
        resources[wsgi_path(f"/static/{name}")] = make_resource(
            body, content_type, page_cache(max_age), mtime)
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
             static_dir: Path | tuple[Path, ...] | None = None,
             preview: "Preview | None" = None,
             cache: "RenderCache | None" = None, previous: Site | None = None,
             problems: tuple[str, ...] = ()) -> "GuideApp":
    """Return the WSGI application serving guide (with the live-reload
    script and problem banner when preview is given; keeping what it can
    of the previous site's answers, in reload mode; with a banner listing
    problems when some are given)."""
    views, static_dir = views or Views(settings.views_dirs), static_dir or settings.static_dirs
    site = build_site(guide, settings, views, static_dir, preview, cache, previous,
                      problems=problems)

    def mounted_at(base_path: str) -> GuideApp:
        return make_app(guide, dataclasses.replace(settings, base_path=base_path), views,
                        static_dir, preview, cache, problems=problems)
    return GuideApp(site, make_bottle_app(site), mounted_at)


class GuideApp:
    """The WSGI application: answers from memory first, then Bottle.

    Almost every request names a URL whose complete answer was built at
    start-up; for those, a dictionary lookup and a few header checks are the
    whole cost (Bottle's request and response objects would cost more than
    everything else together).  A search is answered the same way, once its
    page is made (see Site.search).  Redirects, 404 pages and any error go
    to the Bottle application."""

    def __init__(self, site: Site, fallback: bottle.Bottle,
                 mounted_at: Callable[[str], "GuideApp"] | None = None):
        self.site = site
        self.resources = site.resources
        self.fallback = fallback
        self.method_not_allowed = site.error_pages[405]
        self.bad_request = site.error_pages[400]
        self.base = site.renderer.base
        self.mounted_at = mounted_at
        self.mounts: dict[str, GuideApp] = {}
        self.mounting = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        if method != "GET" and method != "HEAD":
            return self.respond(self.method_not_allowed, environ, start_response)
        if not valid_host(environ.get("HTTP_HOST"), environ.get("SERVER_PROTOCOL")):
            return self.respond(self.bad_request, environ, start_response)
        if environ.get("SCRIPT_NAME", "") != self.base:
            return self.elsewhere(environ, start_response)
        path = environ.get("PATH_INFO", "")
        resource = self.resources.get(path) or self.site.made_later(path)
        if resource is None and path in SEARCH_PATHS:
            resource = self.site.search(path, environ.get("QUERY_STRING", ""))
        if resource is None:
            return self.fallback(environ, with_security_headers(start_response))
        return self.respond(resource, environ, start_response)

    def elsewhere(self, environ: dict, start_response: Callable) -> list[bytes]:
        """Answer a request from outside the base path the site was made for.

        A request under the base path that reached us whole (a proxy passing
        /docs/x.html on) is answered as if the host had mounted us there.
        A WSGI host that mounts the site at another path (SCRIPT_NAME, as
        mod_wsgi, `waitress-serve --url-prefix` and gunicorn's SCRIPT_NAME
        do) gets the site made for that path, once.  Other paths are not
        the site's: Bottle answers 404."""
        script, path = environ.get("SCRIPT_NAME", "").rstrip("/"), environ.get("PATH_INFO", "")
        if not script and self.base and (path == self.base or path.startswith(self.base + "/")):
            return self({**environ, "SCRIPT_NAME": self.base,
                         "PATH_INFO": path[len(self.base):]}, start_response)
        if not script or script == self.base or self.mounted_at is None:
            return self.fallback(environ, with_security_headers(start_response))
        try:
            base = base_path_of(script.encode("latin-1").decode("utf-8"))
        except (ValueError, UnicodeError):
            return self.respond(self.bad_request, environ, start_response)
        with self.mounting:
            if base not in self.mounts and len(self.mounts) < MOUNTS_LIMIT:
                self.mounts[base] = self.mounted_at(base)
        mounted = self.mounts.get(base)
        if mounted is None:
            return self.respond(self.bad_request, environ, start_response)
        return mounted({**environ, "SCRIPT_NAME": base}, start_response)

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


def make_bottle_app(site: Site) -> bottle.Bottle:
    """Return the Bottle application for what is not answered from memory:
    redirects to pages, 404 pages with suggestions, and errors.  Each
    route says which cache policy its answer has."""
    app = bottle.Bottle(catchall=True)
    renderer = site.renderer

    @app.get("/")
    @app.get("/<path:path>")
    def redirect_to_page(path=""):
        """Redirect the other forms of a page's address to its URL, and the
        base path without its '/' (an empty path: / is answered from memory)
        to the index."""
        # The Location is our own page's URL, never made from the request
        # path (CPython's http.server built it from the path and sent
        # '//evil.example' off-site: CVE-2021-28861).
        location = site.redirect_for(bottle.request.path) if path else "/"
        outside = bottle.request.environ.get("SCRIPT_NAME", "") != renderer.base
        if location is None or path and outside:  # no page's address, under the base path
            raise bottle.HTTPError(404)
        raise bottle.HTTPResponse(status=301, Cache_Control=REDIRECT_CACHE,
                                  Location=urllib.parse.quote(renderer.base + location))

    @app.error(404)
    def not_found(error):
        """Answer 404 with the pages whose names are closest to the path's
        (a full page with the navigation: compressed, like every answer)."""
        path = bottle.request.path
        name = path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        words = site.guide.words
        variant = make_resource(renderer.error(
            404, words["page_not_found"], words["no_page_at"].format(path=path),
            site.guide.closest(name)).encode(), HTML_TYPE, NO_STORE).select(
            bottle.request.get_header("Accept-Encoding", ""))
        for header, value in variant.headers:
            bottle.response.set_header(header, value)
        return variant.body

    @app.error(500)
    def server_error(error):
        # Bottle has already written the traceback to wsgi.errors (stderr).
        bottle.response.set_header("Cache-Control", NO_STORE)
        return site.error_pages[500].identity.body

    return app


def request_from(app: Callable, path: str) -> tuple[str, bytes]:
    """Return (status, body) of app's answer to GET path, called the way a
    server calls it (path in PATH_INFO form: see wsgi_path), at the base
    path the app was made for."""
    environ = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": getattr(app, "base", ""),
               "PATH_INFO": path,
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


def check_links(site: Site) -> LinkReport:
    """Return every broken link, missing anchor and warning in the guide.

    A link is good when the site answers it (pages, static files, the index,
    the search page, a redirect...) and, for `#anchor`, when the target page
    has an element with that id.  Links are read from the Markdown (a link
    in a code span or block is not a link) with the line each is written
    on.  Links to other sites are only checked for being well-formed:
    nothing is fetched."""
    problems, linked_slugs, count = [], set(), 0
    layout_ids: dict[str, frozenset[str]] = {}
    # A link means the same from every page at one address folder and in
    # one file folder (links to Markdown files start from the page's file),
    # but for #anchor alone; guides link to the same few pages over and over.
    known: dict[tuple[str, str, str], tuple[str | None, str | None]] = {}
    for page in site.guide.every_page:
        count += len(page.rendered.links)
        folders = (page.url.rsplit("/", 1)[0], posixpath.dirname(page.source))
        for target, line in page.rendered.links:
            key = (*folders, target)
            if target.startswith("#") or key not in known:
                known[key] = check_link(site, page, target, layout_ids)
            problem, slug = known[key]
            if problem:
                problems.append(PageError(page.path, line, f"broken link {target}: {problem}"))
            if slug and slug != page.slug:
                linked_slugs.add(slug)
        _url, written, problem = shared_image(page, site.guide)
        if problem:
            line = next((page.field_lines[key] for key in IMAGE_KEYS if key in page.field_lines), 1)
            problems.append(PageError(page.path, line, f"broken image {written}: {problem}"))
        for image, line in page.rendered.images_without_alt:
            problems.append(PageError(page.path, line, f"image {image} has no alt text",
                                      warning=True))
        for formula, line in page.rendered.bad_formulas:
            problems.append(PageError(page.path, line, f"formula {formula!r} cannot be shown "
                                                       "as MathML; it is shown as written",
                                      warning=True))
        if page.rendered.templates:
            tags, line = page.rendered.templates
            problems.append(PageError(
                page.path, line, f"{plural(tags, 'template tag')} ({{% %}}, {{{{ }}}} or a "
                                 "shortcode) shown as nothing: guide.py does not run Liquid "
                                 "or Hugo templates", warning=True))
    problems += find_unreachable_pages(site.guide, linked_slugs)
    problems += find_duplicate_sort_orders(site.guide)
    return LinkReport(len(site.guide.every_page), count,
                      sorted(problems, key=PageError.sort_key))


SCHEMES = {"http", "https", "mailto", "tel", "ftp", "ftps", "irc", "ircs", "data"}


def check_link(site: Site, page: Page, target: str, layout_ids: dict
               ) -> tuple[str | None, str | None]:
    """Return (what is wrong or None, slug of the page linked to or None)."""
    try:
        parts = urllib.parse.urlsplit(target)
    except ValueError as error:  # an unclosed [IPv6] bracket, say
        return f"malformed URL ({error})", None
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in SCHEMES:
            return f"unknown scheme {parts.scheme!r}", None
        if parts.scheme.lower() in ("http", "https") and not valid_host(parts.netloc, None):
            return f"malformed host {parts.netloc!r}", None
        if parts.scheme.lower() in ("http", "https") and not parts.netloc:
            return "no host after the scheme", None
        return None, None
    source = file_link(target, page.source)
    if source in site.guide.by_source:  # a link to a Markdown file leads to its page
        parts = parts._replace(path=site.guide.by_source[source].url)
    elif source in site.guide.assets:  # an image or a download beside the pages
        return None, None
    elif source is not None and source.lower().endswith(PAGE_SUFFIXES):
        return f"no page file {source!r}", None
    elif source is not None and not parts.path.startswith("/"):
        return f"no file {source!r}", None
    path = urllib.parse.urljoin(page.url, parts.path) if parts.path else page.url
    path = "/" + urllib.parse.unquote(path).lstrip("/")  # urljoin gives '../x' as 'x'
    target_page = site.page_at(path)
    if target_page is None and not site.answers(path):
        if path.startswith("/static/"):
            return f"no file {path.removeprefix('/')!r}", None
        name = path.strip("/").rsplit("/", 1)[-1].removesuffix(".html")
        return f"no page {name!r}", None
    fragment = urllib.parse.unquote(parts.fragment)
    url = target_page.url if target_page else path
    if fragment and (target_page is None or fragment not in target_page.rendered.ids):
        page_html = site.html_at(url)
        if page_html is None:
            return None, target_page.slug if target_page else None
        if url not in layout_ids:  # ids the layout gives, such as #content
            reader = RawHTML()
            reader.feed(page_html)
            layout_ids[url] = frozenset(reader.ids)
        if fragment not in layout_ids[url]:
            where = f"page {target_page.slug!r}" if target_page else f"{url!r}"
            return f"{where} has no heading {fragment!r}", None
    return None, target_page.slug if target_page else None


def find_unreachable_pages(guide: Guide, linked_slugs: set[str]) -> list[PageError]:
    """Return a warning for each page out of the navigation that no page
    links to: no reader can find it but by searching."""
    return [PageError(page.path, 1, f"page {page.slug!r} is not in the navigation and no "
                                    "page links to it", warning=True)
            for page in guide.pages
            if page.slug not in guide.positions and page.slug not in linked_slugs]


def find_duplicate_sort_orders(guide: Guide) -> list[PageError]:
    """Return a warning for each page whose sort-order an earlier page of
    its folder says too (each chapter counts from its own start)."""
    warnings, first = [], {}
    for page in guide.pages:
        if "sort-order" not in page.field_lines:
            continue
        folder = posixpath.dirname(page.source)  # a chapter's own page orders the chapter
        key = (posixpath.dirname(folder) if page.folder_page else folder, page.sort_order)
        if key in first:
            line = page.field_lines["sort-order"]
            written = next(value for key, value in page.meta.items()
                           if KEY_ALIASES.get(key, key) == "sort-order")
            warnings.append(PageError(page.path, line, f"sort-order {written} is also used by "
                                                       f"{first[key].path}", warning=True))
        else:
            first[key] = page
    return warnings


###############################################################################
# Static export ###############################################################
###############################################################################

BUILD_MARKER = ".guide-build"  # lists the files a build wrote, one per line


def export_files(app: "GuideApp", relative: bool = False) -> dict[str, bytes]:
    """Return {relative file path: bytes} for the whole site as static files.

    Each file is the body the server answers for the same URL ('/' is
    index.html), so the export and the server cannot drift apart.  Old
    names from redirect_from become small pages that send the reader on
    (a static host cannot answer 301).  With relative, each HTML file's
    links to the site are relative to the file (see relative_url), so that
    the site works from any folder and from the file system."""
    files = {}
    for url, resource in app.resources.items():
        if resource.status == "200 OK" or url == "/404.html":
            name = url.encode("latin-1").decode("utf-8")[1:]
            files[name + "index.html" if url.endswith("/") else name] = resource.identity.body
    files["search.html"] = ask(app, "/search.html")
    for url in app.site.guide.text_parts:
        files[url.removeprefix("/")] = ask(app, url)
    for url in ("/llms.txt", "/llms-full.txt", *app.site.renderer.search_files,
                *(markdown_url(page.url) for page in app.site.guide.all_pages)):
        files[url.removeprefix("/")] = ask(app, wsgi_path(url))
    guide = app.site.guide
    for name, page in guide.redirects.items():
        body = app.site.renderer.redirect(page).encode()
        files[f"{name}.html"] = body
        if "/" in name:  # an old address in a folder was most likely /docs/old/
            files.setdefault(f"{name}/index.html", body)
    for chapter in guide.chapters.values():  # a folder without its own page
        if chapter.page is None and chapter.entries:
            files.setdefault(f"{chapter.slug}/index.html",
                             app.site.renderer.redirect(guide.by_slug[slug_of(chapter.url)]).encode())
    if relative:
        for name, body in files.items():
            if name.endswith(".html"):
                files[name] = relink(body.decode("utf-8"), functools.partial(
                    relative_url, from_file=name)).encode("utf-8")
        files["feed.atom"] = app.site.renderer.feed(
            functools.partial(relative_url, from_file="feed.atom")).encode("utf-8")
        if not app.site.renderer.site_url:  # a sitemap lists absolute URLs, or nothing
            del files["sitemap.xml"]
    return files


def ask(app: Callable, path: str) -> bytes:
    """Return the body app answers to GET path, which must be found."""
    status, body = request_from(app, path)
    if not status.startswith("200"):
        raise RuntimeError(f"the app answered {status!r} for {path}")
    return body


def build(settings: Settings) -> int:
    """Write the site into settings.out; return the exit status."""
    refusal = refuse_output_folder(settings.out, settings)
    if refusal:
        print(f"{settings.out}: {refusal}", file=sys.stderr)
        return 2
    cache = open_cache(settings)
    with loading(lives_on=False):
        guide, problems = read_guide(settings.pages_dir, settings.drafts, cache,
                                      settings.config_file)
        if settings.relative:  # relative links lead wherever the files are
            settings = dataclasses.replace(settings, base_path="")
        left_out = errors_in(problems)
        if left_out and not (settings.keep_going and guide.all_pages):
            raise GuideErrors(problems)
        app = make_app(guide, settings, cache=cache)
        report = check_links(app.site)
    if settings.strict and report.broken:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(f"{report.summary()}; nothing written (--strict)", file=sys.stderr)
        return 1
    files = export_files(app, settings.relative)
    written, unchanged, removed = write_files(settings.out, files)
    size = sum(len(files[name]) for name in written)
    print(f"wrote {plural(len(written), 'file')}, {size / 1024:.0f} kB into {settings.out}"
          + (f"; {unchanged} unchanged" if unchanged else "")
          + (f"; removed {plural(removed, 'stale file')}" if removed else ""))
    warn_of_broken_links(report)
    if left_out:
        for problem in left_out:
            print(problem, file=sys.stderr)
        print(f"left out the pages with {plural(len(left_out), 'problem')} (--keep-going)",
              file=sys.stderr)
        return 1
    return 0


def warn_of_broken_links(report: "LinkReport") -> None:
    """Print one line on stderr when links are broken, so that nobody
    publishes them unknowingly (`check` lists them)."""
    if report.broken:
        print(f"{plural(report.broken, 'broken link')}; run 'guide.py check' for the list",
              file=sys.stderr, flush=True)


def refuse_output_folder(out: Path, settings: Settings) -> str | None:
    """Return why out may not receive a build, or None if it may."""
    target = out.resolve()
    for source in (settings.pages_dir, *settings.views_dirs, *settings.static_dirs):
        source = source.resolve()
        if target == source or target.is_relative_to(source) or source.is_relative_to(target):
            return f"refusing to build over or around {display_path(source)}; choose another folder"
    if target.is_file():
        return "is a file, not a folder"
    if (target.is_dir() and any(target.iterdir()) and not (target / BUILD_MARKER).is_file()
            and not settings.force):
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
    generation: int
    problems: tuple[str, ...]
    # The page files (their paths inside the pages folder) read again for
    # this build, when any other page's file is the one the last build read.
    changed: frozenset[str] | None = None


RELOAD_SCRIPT = b"""// guide.py --reload: reload this page when what it shows is rebuilt.
(function () {
  // The build this page was made in, from its Server-Timing header (on an
  // address that is not a secure context there is none: the first answer
  // of /_reload stands in for it).
  var entry = performance.getEntriesByType("navigation")[0];
  var named = (entry && entry.serverTiming || []).filter(function (timing) {
    return timing.name === "generation";
  });
  var build = named.length ? named[0].description : null;
  // Beside this script, wherever the site is (under a base path, say).
  var pollUrl = document.currentScript.src.replace(/_reload[.]js$/, "_reload?path=");
  function poll() {
    fetch(pollUrl + encodeURIComponent(location.pathname), {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (current) {
        if (build === null) { build = current; }
        if (current !== build) { location.reload(); } else { setTimeout(poll, 200); }
      })
      .catch(function () { setTimeout(poll, 1000); });  // restarting: try again
  }
  poll();
})();
"""


def warm_up(guide: Guide, wording: Wording) -> None:
    """Make ready in this process what rendering a saved page takes, so
    that the first save is shown as soon as the next ones: the Markdown
    parser, and a lexer for each language the guide's code is in (the
    first build rendered its pages in worker processes, or took them from
    the cache)."""
    render_markdown(WARM_UP_TEXT, 1, wording)
    languages = {language for page in guide.every_page
                 for language in HIGHLIGHTED_LANGUAGE.findall(page.html)}
    for language in sorted(languages)[:WARM_UP_LANGUAGES]:
        highlight("\n", html.unescape(language))


HIGHLIGHTED_LANGUAGE = re.compile(r'<pre class="highlight" tabindex="0"><code class="language-'
                                  r'([^"]+)">')  # as MarkdownRenderer.block_code writes it
WARM_UP_LANGUAGES = 32
WARM_UP_TEXT = """# A title {#a-title}

Some *words*, **strong**, `code`, [a link](other.md#part), ![an image](a.png) and a note.[^1]

- [ ] a task
- a list

| a | table |
|---|---|
| 1 | 2 |

> [!NOTE]
> A callout.

!!! tip "Tip"
    Another.

[^1]: The note.
"""


class ReloadingApp:
    """The WSGI application of `serve --reload`: a watcher thread rebuilds
    the site when a file in pages/, views/ or static/ changes.

    Only changed page files are read again, and only the answers whose
    inputs changed are made again (a saved page, and its neighbours when
    its title changes), each when it is first asked for; the search index
    has the words of the changed pages replaced.  A page saved with a
    mistake keeps its last good version on the site; the mistake is
    printed on stderr and shown in a banner on every page until it is
    mended.  Each rebuild makes a new
    GuideApp and swaps one reference, so a request sees either the old site
    or the new one, never half of each."""

    def __init__(self, settings: Settings, views_dir: Path | None = None,
                 static_dir: Path | None = None, interval: float = 0.2, log=None):
        self.settings = settings
        self.views_dirs = (views_dir,) if views_dir else settings.views_dirs
        self.static_dirs = (static_dir,) if static_dir else settings.static_dirs
        self.interval, self.log = interval, log or sys.stderr
        self.cache = open_cache(settings)
        self.dates = git_dates(settings.pages_dir)  # once: a commit while writing is rare
        self.views: tuple[tuple, Views] | None = None  # (the views' stamps, the views)
        self.read_results: dict[str, ReadResult] = {}  # file -> its last ReadResult
        self.read_stamps: dict[str, tuple] = {}     # the stamps when they were read
        self.files: tuple[list[Path] | None, list[str]] = (None, [])  # page files, as str
        self.wording: Wording | None = None         # the one the pages were read in
        self.relatives: dict[str, str] = {}         # watched path -> its path in pages/
        self.assembly = Assembly()                  # see assemble_guide
        self.unbuilt: set[str] = set()  # page files read again since the last site was built
        self.folder: tuple[tuple, PagesFolder] | None = None  # (its files' names, the folder)
        self.current: tuple[GuideApp, int] | None = None  # the app, its generation
        # {path: (what its answer was made from when first asked for as it
        # is now, the generation it was then)}: see made_in
        self.seen: dict[str, tuple[tuple, int]] = {}
        self.stamps = self.scan()
        self.stopping = threading.Event()
        # What the first build makes (the pages, most of what every later
        # site shares) lives on: the garbage collector need not go through
        # it at every save (at 10 000 pages, that was most of a save's
        # cost).  A later build's garbage is collected as usual.
        with loading():
            problems = self.rebuild()
        if self.current is None:  # not even a first version to show
            raise GuideErrors(problems)
        threading.Thread(target=warm_up, args=(self.current[0].site.guide, self.wording),
                         name="guide-warm-up", daemon=True).start()

    @property
    def generation(self) -> int:
        """Return how many times the site was built."""
        return self.current[1] if self.current else 0

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        app, generation = self.current
        path = environ.get("PATH_INFO") if environ["REQUEST_METHOD"] in ("GET", "HEAD") else None
        base = self.settings.base_path
        if path is not None and base and not environ.get("SCRIPT_NAME"):
            path = path.removeprefix(base)
        if path == "/_reload":  # ?path=/x.html: the generation of that answer
            asked = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("path", [""])[0]
            asked = urllib.parse.unquote(asked).removeprefix(environ.get("SCRIPT_NAME") or base)
            made = self.made_in(app.site, generation, wsgi_path(asked))
            return self.answer(start_response, str(made).encode(), "text/plain")
        if path == "/_reload.js":
            return self.answer(start_response, RELOAD_SCRIPT, "text/javascript")
        # The build an answer was made in travels in a header that the reload
        # script can read (PerformanceServerTiming), so that pages do not
        # change from one build to the next unless what they show does.
        timing = ("Server-Timing",
                  f'generation;desc="{self.made_in(app.site, generation, path)}"')

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, timing], exc_info)
        return app(environ, start)

    def made_in(self, site: Site, generation: int, path: str | None) -> int:
        """Return the generation the answer at path (PATH_INFO form) was
        made in, as far as an open tab can tell: the one in which it was
        first asked for as it is now (a tab asks for its page when it
        opens, and reloads when that moves); for an address the site does
        not answer, the current one."""
        if path in site.on_request:
            made_from = site.inputs_of(path)
        elif path in site.resources:  # a page that did not load, a static file, an image
            made_from = site.resources[path].identity.body
        else:
            return generation
        seen = self.seen.get(path)
        if seen is None or seen[0] != made_from:
            seen = self.seen[path] = (made_from, generation)
        return seen[1]

    @staticmethod
    def answer(start_response: Callable, body: bytes, content_type: str) -> list[bytes]:
        start_response("200 OK", [("Content-Type", content_type + "; charset=utf-8"),
                                  ("Content-Length", str(len(body))),
                                  ("Cache-Control", NO_STORE), *SECURITY_HEADERS])
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

    def scan(self) -> dict[str, tuple]:
        """Return {path: (modification time, size)} for every watched file,
        and for a link, where it leads (hidden folders, such as .git, are
        not looked into; nor are linked folders, as list_folder does not)."""
        stamps = {}
        try:  # a guide folder's guide.toml is outside pages/
            status = os.stat(self.settings.config_file)
            stamps[os.path.normpath(self.settings.config_file)] = (status.st_mtime_ns,
                                                                   status.st_size)
        except FileNotFoundError:
            pass
        folders = [os.path.normpath(folder) for folder in
                   (self.settings.pages_dir, *self.views_dirs, *self.static_dirs)]
        while folders:
            folder = folders.pop()
            prefix = "" if folder == os.curdir else folder + os.sep  # paths as normpath has them
            try:
                entries = os.scandir(folder)
            except OSError:  # not there (yet)
                continue
            with entries:
                for entry in entries:
                    try:
                        if entry.is_dir():
                            if not entry.name.startswith(".") and not entry.is_symlink():
                                folders.append(prefix + entry.name)
                            continue
                        status = entry.stat()
                        stamp = (status.st_mtime_ns, status.st_size)
                        if entry.is_symlink():  # and where it leads: see current_folder
                            stamp += (os.readlink(entry.path),)
                    except FileNotFoundError:  # removed while we looked
                        continue
                    stamps[prefix + entry.name] = stamp
        return stamps

    def rebuild(self) -> list[PageError]:
        """Build the site again from what is on disk now, swap it in, and
        return the problems found."""
        started = time.perf_counter()
        folder = self.current_folder()
        guide, problems = assemble_guide(self.settings.pages_dir,
                                         self.read_current_pages(folder.pages,
                                                                 folder.config.wording()),
                                         self.settings.drafts, folder, self.dates,
                                         self.assembly)
        preview = Preview(self.generation + 1, tuple(map(str, problems)),
                          frozenset(self.unbuilt))
        try:
            app = make_app(guide, self.settings, self.current_views(), self.static_dirs, preview,
                           self.cache, self.current[0].site if self.current else None)
        except GuideErrors as view_problems:  # a broken view: keep the last good site
            problems += view_problems.errors
        else:
            if self.current and self.current[0].site.on_request is not app.site.on_request:
                served = app.site.on_request | app.site.resources.keys()  # pages came or went
                self.seen = {path: seen for path, seen in self.seen.items() if path in served}
            self.current = (app, preview.generation)
            self.unbuilt.clear()
        for problem in problems:
            print(problem, file=self.log)
        print(f"{'built' if self.generation == 1 else 'rebuilt'} "
              f"{plural(len(guide.all_pages), 'page')} in "
              f"{(time.perf_counter() - started) * 1000:.0f} ms"
              + (f", {plural(len(problems), 'problem')}" if problems else ""),
              file=self.log, flush=True)
        return problems

    def current_folder(self) -> PagesFolder:
        """Return what the pages folder holds now: what the last build saw
        while no file came or went, no link changed where it leads and
        guide.toml did not change (a save does none of these).  Else the
        folder is looked at again, but for the files the last look saw
        (see look_at_folder): not the links, which may lead elsewhere now."""
        inside = tuple(self.relative(path) for path in self.stamps)
        links = tuple((self.relative(path), stamp[2]) for path, stamp in self.stamps.items()
                      if len(stamp) > 2)
        names = (inside, links, self.stamps.get(os.path.normpath(self.settings.config_file)))
        if self.folder is None or self.folder[0] != names:
            before = self.folder and self.folder[1]
            if before and links:
                linked = {relative for relative, _target in links}
                before = dataclasses.replace(before, kinds={
                    relative: kind for relative, kind in before.kinds.items()
                    if relative not in linked})
            self.folder = (names, look_at_folder(self.settings.pages_dir, [
                relative for relative in inside if not relative.startswith("../")],
                self.settings.config_file, before))
        return self.folder[1]

    def relative(self, path: str) -> str:
        """Return a watched path's path inside the pages folder ('../' for
        one outside it), worked out once per path (os.path.relpath costs
        more than the rest of a save's rebuild of a large guide)."""
        if path not in self.relatives:
            self.relatives[path] = os.path.relpath(path, self.settings.pages_dir).replace(
                os.sep, "/")
        return self.relatives[path]

    def current_views(self) -> Views:
        """Return the views as they are on disk: those of the last build
        while no view changed (compiling them all is a cost per save)."""
        folders = tuple(os.path.join(os.path.normpath(folder), "") for folder in self.views_dirs)
        stamps = tuple(sorted((path, stamp) for path, stamp in self.stamps.items()
                              if path.startswith(folders)))
        if self.views is None or self.views[0] != stamps:
            self.views = (stamps, Views(self.views_dirs))
        return self.views[1]

    def read_current_pages(self, page_files: list[Path], wording: Wording) -> list[ReadResult]:
        """Return what reading each page file gives in wording, re-reading
        only the files whose stamp changed (stamps are taken before reading:
        a save during it is seen next time) or all of them when the wording
        did, and with the last good version of a page that now has a
        mistake (its problems still reported).  A file not read again
        gives the same ReadResult object as before (see reassemble)."""
        if wording != self.wording:  # every file is read again
            self.read_stamps, self.wording = {}, wording
        if self.files[0] is not page_files:  # a file came or went
            self.files = (page_files, [str(path) for path in page_files])
        files = self.files[1]
        changed = {path for path, _stamp in self.stamps.items() - self.read_stamps.items()}
        stale = [path for path in files if path in changed or path not in self.read_results]
        for file, page, errors in read_pages(list(map(Path, stale)), self.settings.pages_dir,
                                             self.cache, wording):
            if page is None and str(file) in self.read_results:
                page = self.read_results[str(file)][1]  # the last good version
            self.read_results[str(file)] = (file, page, errors)
            self.unbuilt.add(self.relative(str(file)))
        for gone in self.read_results.keys() - set(files):
            del self.read_results[gone]
        self.read_stamps = self.stamps
        return [self.read_results[path] for path in files]


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
    report, problems = None, []
    if settings.reload:
        app = ReloadingApp(settings)
        threading.Thread(target=app.watch, name="guide-watcher", daemon=True).start()
        what = f"{display_path(settings.pages_dir)} with live reload"
    else:
        cache = open_cache(settings)
        with loading():
            guide, problems = read_guide(settings.pages_dir, settings.drafts, cache,
                                         settings.config_file)
            errors = tuple(map(str, errors_in(problems)))
            if errors and not guide.all_pages:  # nothing at all to show
                raise GuideErrors(problems)
            app = make_app(guide, settings, cache=cache, problems=errors)
            report = check_links(app.site)
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
          f"http://{host}:{listener.getsockname()[1]}{settings.base_path}/  (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    for problem in problems:  # one bad page never hides the others
        print(problem, file=sys.stderr)
    if errors_in(problems):
        print("pages with problems are left out, and their addresses say why, until they "
              "are mended; every page shows the list", file=sys.stderr, flush=True)
    if report is not None:
        warn_of_broken_links(report)
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
        if settings.command == "init":
            return init(settings.out)
        return serve(settings)
    except GuideErrors as problems:
        print(problems, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def check(settings: Settings) -> int:
    """Load every page, follow every link, print every problem; return 1
    if any is an error (warnings alone return 0)."""
    cache = open_cache(settings)
    with loading(lives_on=False):
        guide, problems = read_guide(settings.pages_dir, settings.drafts, cache,
                                      settings.config_file, searched=False)
        errors = errors_in(problems)
        if not errors:
            try:
                report = check_links(build_site(guide, settings, Views(settings.views_dirs),
                                                settings.static_dirs, cache=cache,
                                                answer_pages=False))
            except GuideErrors as view_problems:  # a mistake in a view
                errors = view_problems.errors
    if errors:
        report = LinkReport(0, 0, errors + [problem for problem in problems if problem.warning])
        summary = f"{plural(len(errors), 'problem')} found; links are checked " \
                  "once the pages load"
    else:
        report = LinkReport(report.pages, report.links,
                            sorted(report.problems + problems, key=PageError.sort_key))
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


def init(folder: Path) -> int:
    """Write a new guide into folder, which must be new or empty; return
    the exit status.  No file that exists is ever written over."""
    if folder.exists() and not folder.is_dir():
        print(f"{folder}: is a file; init writes a new guide into a new or empty folder",
              file=sys.stderr)
        return 2
    if folder.is_dir() and any(folder.iterdir()):
        print(f"{folder}: is not empty; init writes a new guide into a new or empty folder, "
              "and never over files", file=sys.stderr)
        return 2
    try:
        for name, text in NEW_GUIDE.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as file:  # 'x': never over a file
                file.write(text)
    except OSError as error:
        print(f"{error.filename or folder}: cannot write: {error.strerror}", file=sys.stderr)
        return 2
    here = Path(sys.argv[0]).resolve() if sys.argv[0].endswith("guide.py") else HERE / "guide.py"
    print(f"Wrote a new guide into {folder}. Serve it while you write:\n\n"
          f"    python {display_path(here)} serve --guide {display_path(folder)} --reload\n\n"
          f"then open http://127.0.0.1:8080/ (its first page says what comes next).")
    return 0


# What `init` writes: a guide that explains itself.
NEW_GUIDE = {
    "guide.toml": """\
# Settings of this guide. Each is optional; the command line and the
# environment (GUIDE_SITE_URL and so on) win over what is written here.
title = "My Guide"
description = "A short sentence on what this guide is about, for search engines."
language = "en"

# Where the site is published, for canonical links, the sitemap and the feed:
# site_url = "https://guide.example.org"
# "Edit this page" links: the page's path in pages/ is appended.
# edit_url = "https://github.com/me/my-guide/edit/main/pages/"
# The path the site lives under, when it is not the root of its host:
# base_path = "/docs/"
# An image in pages/ (or an https:// address) shown beside the title:
# logo = "logo.svg"
# Files and folders in pages/ that are not pages:
# exclude = ["notes", "*.draft.md"]
""",
    "pages/index.md": """\
title: My Guide

Welcome. This text is the top of the guide's home page, above its table of
contents; it comes from `pages/index.md`.

Every other Markdown file in `pages/` is a page, in the order of the numbers
its name starts with. A folder is a chapter, and the `index.md` inside it
opens the chapter.
""",
    "pages/01-writing-pages.md": """\
title: Writing pages
description: The format of a page: a few settings, a blank line, then Markdown.

A page starts with a few `key: value` lines, then a blank line, then the
text in Markdown. The keys that matter most:

- `title`: the page's title, shown in its heading and in the navigation.
- `description`: one sentence for search engines and the table of contents.
- `slug`: the page's address, when it should not come from the file name.
- `sort-order`: where the page goes, when the number in its name will not do.

Front matter between `---` lines, as Jekyll, Hugo and MkDocs write it, works
too, and so does `+++` TOML.

## Links

Link to another page by its file, as you would on GitHub:
[the chapter on chapters](02-chapters/index.md). The server turns it into the
page's address, and `python guide.py check` reports a link that leads nowhere,
with the file and line it is on.

## Code

```python
print("Code blocks are highlighted when Pygments is installed.")
```

> [!TIP]
> Callouts work in the spellings of GitHub, MkDocs and Docusaurus.
""",
    "pages/02-chapters/index.md": """\
title: Chapters
description: How folders become the chapters of the guide.

This folder is a chapter. Its pages are numbered in the navigation (2.1,
2.2, ...), and the reader moves through them with Previous and Next.
""",
    "pages/02-chapters/01-a-page-in-a-chapter.md": """\
title: A page in a chapter

A page in a folder is served at the folder's path:
`pages/02-chapters/01-a-page-in-a-chapter.md` is `/chapters/a-page-in-a-chapter.html`
(numbers at the start of names only give the order).
""",
    "pages/03-publishing.md": """\
title: Publishing
description: Serving the guide, or writing it out as static files.

- `python guide.py serve --guide .` serves the guide (from inside this
  folder, `python /path/to/guide.py` is enough: it finds `guide.toml`).
- `python guide.py check --guide .` lists every problem at once.
- `python guide.py build --guide . site` writes the site as static files
  into `site/`, for any static host; add `--relative` to open it from
  the file system.
""",
    "views/README.md": """\
Templates put here are used instead of guide.py's own, file by file: copy
one of guide.py's views/*.tpl here (page.tpl, base.tpl, ...) and change it.
They are Bottle SimpleTemplate files. A mistake in one is reported with its
file and line when the guide starts.
""",
    "static/README.md": """\
Files here are served at /static/ beside guide.py's own, and win over them
when the names are the same. Two names are special: extra.css is linked
from every page after our style sheets, and extra.js is loaded (deferred)
on every page, so that you can change the look without copying a template.
""",
}


###############################################################################
# The WSGI entry point ########################################################
###############################################################################

def load_app_from_environment() -> "GuideApp":
    """Return the app for a WSGI host, configured by GUIDE_* variables.

    A guide with problems stops the host at start-up, with the same
    file:line list as `check`, rather than serving a half-loaded site in
    production: the exit status is 3, which gunicorn takes for a worker
    that cannot boot and stops (any other status, it would start the
    worker again, and again)."""
    try:
        settings = read_settings(None, os.environ)
        if not settings.base_path:  # gunicorn mounts the app at $SCRIPT_NAME
            settings = dataclasses.replace(
                settings, base_path=environment_base_path(os.environ, "SCRIPT_NAME"))
        cache = open_cache(settings)
        # The site lives as long as the process: once it is loaded, the
        # garbage collector need not go through its millions of objects
        # again (a 10 000-page guide would pause a request for a tenth of a
        # second when it did).
        with loading():
            return make_app(load_guide(settings.pages_dir, settings.drafts, cache,
                                       settings.config_file), settings, cache=cache)
    except GuideErrors as problems:
        print(problems, file=sys.stderr, flush=True)
        raise SystemExit(WSGI_BOOT_ERROR) from None


WSGI_BOOT_ERROR = 3  # gunicorn's WORKER_BOOT_ERROR: the master stops instead of retrying


_app_lock = threading.Lock()


def __getattr__(name: str):
    """Return `app` (or its other name, `application`), built on first use
    (PEP 562): `import guide` stays cheap and cannot exit, and a WSGI host
    (`waitress-serve guide:app`, `gunicorn guide:app`, mod_wsgi's
    `application`) builds the site when it asks for the app at start-up."""
    if name not in ("app", "application"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _app_lock:
        if "app" not in globals():
            built = load_app_from_environment()
            globals().update(app=built, application=built)
    return globals()["app"]


if __name__ == "__main__":
    sys.exit(main())
