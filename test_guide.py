"""Tests for guide.py, in the order of its sections.

Run with `python -m pytest`.  Each test builds its own small guide in a
temporary folder; only test_bundled_pages_have_no_problems reads pages/.
"""

import functools
import html
import gzip
import concurrent.futures
import dataclasses
import datetime
import http.client
import http.server
import io
import json
import os
import pickle
import re
import shutil
import signal
import socket
import sqlite3
import string
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import wsgiref.util
import wsgiref.validate
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest
import waitress
import webtest

import guide

HERE = Path(__file__).resolve().parent


###############################################################################
# Fixtures ####################################################################
###############################################################################

@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory, monkeypatch):
    """Give each test its own render cache: no test reads or fills the
    user's, and none sees another's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("GUIDE_CACHE", str(folder))
    return folder


@pytest.fixture
def make_pages(tmp_path, monkeypatch):
    """Return a function writing {relative name: text} into tmp_path/pages.

    The working directory is tmp_path, so messages name 'pages/...'."""
    monkeypatch.chdir(tmp_path)

    def write(files: dict, folder: str = "pages") -> Path:
        root = tmp_path / folder
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return Path(folder)
    return write


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


THREE_PAGES = {
    "intro.md": """
        title: Introduction
        sort-order: 1
        description: Where to start.

        Welcome to the guide.

        ## First steps

        Read on.
        """,
    "servers.md": """
        title: Servers
        sort-order: 2

        Servers serve.
        """,
    "frameworks.md": """
        title: Frameworks
        sort-order: 3

        Frameworks frame.
        """,
}


@pytest.fixture
def small_guide(make_pages):
    return guide.load_guide(make_pages(THREE_PAGES))


@pytest.fixture
def client(small_guide):
    """A WebTest client: it also checks every response for WSGI compliance."""
    return webtest.TestApp(guide.make_app(small_guide))


@pytest.fixture
def live_server(small_guide):
    """Serve the small guide with waitress on a free loopback port; yield its URL."""
    yield from run_server(guide.make_app(small_guide))


def run_server(app):
    """Serve app with waitress on a free loopback port; yield its base URL."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2,
                                    **guide.WAITRESS_LIMITS)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def load_errors(pages_dir: Path) -> list[str]:
    """Return the messages load_guide raises for pages_dir."""
    with pytest.raises(guide.GuideErrors) as caught:
        guide.load_guide(pages_dir)
    return [str(error) for error in caught.value.errors]


def call_wsgi(app, path: str, headers: dict | None = None, errors=None, script_name: str = "",
              query: str = "") -> tuple[str, dict, bytes]:
    """Call app for GET path under wsgiref's validator, the way a WSGI host
    that mounts it at script_name does; return (status, headers, body)
    exactly as sent (WebTest would undo gzip)."""
    environ = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": script_name, "PATH_INFO": path,
               "QUERY_STRING": query,
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost",
               "wsgi.errors": errors or io.StringIO()}
    environ.update({"HTTP_" + name.upper().replace("-", "_"): value
                    for name, value in (headers or {}).items()})
    wsgiref.util.setup_testing_defaults(environ)
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen.update(status=status, headers=dict(response_headers))
    body = wsgiref.validate.validator(app)(environ, start_response)
    try:
        data = b"".join(body)
    finally:
        body.close()
    return seen["status"], seen["headers"], data


def parse_html(body: str):
    """Parse body as HTML5, failing the test on any parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(body)


###############################################################################
# Configuration ###############################################################
###############################################################################

def test_command_line_beats_environment_beats_default(tmp_path):
    environ = {"GUIDE_PAGES": str(tmp_path / "from-env"), "GUIDE_MAX_AGE": "60"}
    assert guide.read_settings(None, environ).pages_dir == tmp_path / "from-env"
    assert guide.read_settings(None, environ).max_age == 60
    settings = guide.read_settings(["--pages", "cli", "--port", "9000"], environ)
    assert (settings.command, settings.pages_dir, settings.port, settings.max_age) == (
        "serve", Path("cli"), 9000, 60)
    assert guide.read_settings([], {}).pages_dir == guide.DEFAULT_PAGES_DIR


def test_a_bad_environment_value_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setenv("GUIDE_MAX_AGE", "soon")
    assert guide.main(["check"]) == 2
    assert capsys.readouterr().err == (
        "GUIDE_MAX_AGE: must be a whole number of seconds, got 'soon'\n")


def test_a_bad_site_url_in_the_environment_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setenv("GUIDE_SITE_URL", "guide.example.org")
    assert guide.main(["check"]) == 2
    assert capsys.readouterr().err == (
        "GUIDE_SITE_URL: must be an http:// or https:// URL, got 'guide.example.org'\n")


def test_a_port_out_of_range_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_status:
        guide.main(["serve", "--port", "70000"])
    assert exit_status.value.code == 2
    assert "--port: must be from 0 to 65535, got '70000'" in capsys.readouterr().err


def test_a_port_in_use_is_a_clear_error(make_pages, capsys):
    make_pages(THREE_PAGES)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert guide.main(["serve", "--pages", "pages", "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"cannot listen on 127.0.0.1:{port}: Address already in use\n")


def make_guide_folder(root: Path, toml: str = "", files: dict | None = None) -> Path:
    """Write a guide folder at root: guide.toml, pages/ and what files adds."""
    files = {"pages/intro.md": "title: Intro\nsort-order: 1\n\nHello.\n", **(files or {})}
    if toml:
        files["guide.toml"] = toml
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def test_a_guide_folder_is_found_by_option_environment_or_working_directory(tmp_path):
    folder = make_guide_folder(tmp_path / "mine", 'pages = "content"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for settings in [guide.read_settings(["--guide", str(folder)], {}, elsewhere),
                     guide.read_settings([], {"GUIDE_DIR": str(folder)}, elsewhere),
                     guide.read_settings(["check"], {}, folder)]:
        assert (settings.guide_dir, settings.pages_dir, settings.config_file) == (
            folder, folder / "content", folder / "guide.toml")
    # Named pages win over the guide's own; without a guide.toml in the
    # working directory (or a named pages folder), the bundled guide is served.
    assert guide.read_settings(["--pages", "other"], {}, folder).guide_dir is None
    assert guide.read_settings(["--guide", str(folder), "--pages", "p"], {}, folder
                               ).pages_dir == Path("p")
    bundled = guide.read_settings([], {}, elsewhere)
    assert (bundled.guide_dir, bundled.pages_dir) == (None, guide.DEFAULT_PAGES_DIR)
    assert bundled.views_dirs == (guide.VIEWS_DIR,) and bundled.static_dirs == (
        guide.STATIC_DIR,)


def test_guide_toml_settings_give_way_to_environment_and_command_line(tmp_path):
    folder = make_guide_folder(tmp_path, """
        site_url = "https://toml.example/docs/"
        edit_url = "https://git.example/edit/main/pages/"
        """)
    settings = guide.read_settings(["--guide", str(folder)], {})
    assert (settings.site_url, settings.edit_url, settings.base_path) == (
        "https://toml.example/docs/", "https://git.example/edit/main/pages/", "/docs")
    settings = guide.read_settings(["--guide", str(folder), "--base-url", "/guide/"],
                                   {"GUIDE_SITE_URL": "https://env.example"})
    assert (settings.site_url, settings.base_path) == ("https://env.example", "/guide")


@pytest.mark.parametrize("toml, expected", [
    ('titel = "A"\n', ["guide.toml:1: unknown setting 'titel'; did you mean 'title'?"]),
    ('title = "A"\n"site-url" = "guide.example"\n',
     ["guide.toml:2: site-url must be an http:// or https:// URL, got 'guide.example'"]),
    ('language = "English!"\nbase_path = "docs"\nexclude = "drafts"\n',
     ["guide.toml:1: language must be a language tag such as en, de or pt-BR, got 'English!'",
      "guide.toml:2: base_path must be a path such as /docs/, got 'docs'",
      "guide.toml:3: exclude must be a list of strings, got 'drafts'"]),
    ('title = "A"\n\n[theme]\nname = "material"\n',
     ["guide.toml:3: unknown setting 'theme'; known: title, description, language, logo, "
      "image, exclude, site_url, edit_url, base_path, pages, words"]),
    ('title = "A\n', ["guide.toml:1: not valid TOML: Illegal character '\\n' (column 11)"]),
    ('base_path = "/a/../b"\n',
     ["guide.toml:1: base_path must be a path such as /docs/, got '/a/../b'"]),
    ('[words]\nmatches = "{total} hits"\nmonths = "Jan Feb"\n',
     ["guide.toml:2: words word 'matches' may hold only the placeholders {count}, {query}, "
      "got '{total} hits'"]),
], ids=["typo", "bad-url", "bad-values", "table", "syntax", "dot-dot", "word-placeholders"])
def test_every_mistake_in_guide_toml_is_named_at_its_line(tmp_path, monkeypatch, capsys,
                                                           toml, expected):
    monkeypatch.chdir(make_guide_folder(tmp_path, toml))
    assert guide.main(["check"]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == expected


@pytest.mark.parametrize("value", ["docs", "/a b/", "/docs/?x", '/"x"', "//evil.example"])
def test_a_base_path_that_is_not_a_path_is_refused(capsys, value):
    with pytest.raises(SystemExit) as exit_status:
        guide.main(["check", "--base-url", value])
    assert exit_status.value.code == 2
    assert f"--base-url: must be a path such as /docs/, got {value!r}" in capsys.readouterr().err


def test_a_guide_overrides_views_and_static_files_one_by_one(tmp_path):
    folder = make_guide_folder(tmp_path, 'title = "Mine"\nlanguage = "de"\n', {
        "views/page.tpl": (guide.VIEWS_DIR / "page.tpl").read_text().replace(
            "% rebase('base'", "<p class=own-view>Mine</p>\n% rebase('base'"),
        "static/extra.css": ".own-view { color: teal }\n",
        "static/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n"})
    settings = guide.read_settings(["--guide", str(folder)], {})
    client = webtest.TestApp(guide.make_app(guide.load_guide(
        settings.pages_dir, config_file=settings.config_file), settings))
    page = client.get("/intro.html")
    assert '<p class=own-view>Mine</p>' in page.text and '<html lang="de" dir="ltr">' in page.text
    assert "<title>Intro · Mine</title>" in page.text
    styles = [link.get("href") for link in parse_html(page.text).iterfind(".//link")
              if link.get("rel") == "stylesheet"]
    assert len(styles) == 3 and "/static/extra." in styles[-1]  # ours, then the guide's own
    assert client.get(styles[-1]).text == ".own-view { color: teal }\n"
    assert client.get("/static/favicon.svg").text.startswith("<svg xmlns='http")
    assert client.get("/static/guide.css").body == (guide.STATIC_DIR / "guide.css").read_bytes()
    assert "own-view" not in client.get("/").text  # index.tpl is still ours


def test_a_mistake_in_a_guide_s_view_is_named_at_its_file_and_line(tmp_path, monkeypatch,
                                                                     capsys):
    monkeypatch.chdir(make_guide_folder(tmp_path, 'title = "Mine"\n', {
        "views/page.tpl": "% rebase('base', **locals())\n<p>{{no_such_name}}</p>\n"}))
    assert guide.main(["check"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "views/page.tpl:2: NameError: name 'no_such_name' is not defined")
    (tmp_path / "views/page.tpl").write_text("<p>x</p>\n% for item in :\n<p>y</p>\n% end\n")
    assert guide.main(["check"]) == 1
    assert capsys.readouterr().out.startswith("views/page.tpl:2: SyntaxError: ")


def test_check_is_a_command_and_serve_the_default():
    assert guide.read_settings(["check"], {}).command == "check"
    assert guide.read_settings(["--drafts"], {}).command == "serve"
    assert guide.read_settings(["serve", "--threads", "8"], {}).threads == 8


###############################################################################
# Loading pages ###############################################################
###############################################################################

def test_front_matter_keys_are_case_insensitive_and_all_reach_meta(make_pages):
    pages = make_pages({"a.md": """
        Title: Alpha
        Sort-Order: 3
        Author: Ada
        Category: tutorial

        Body.
        """})
    page = guide.load_guide(pages).by_slug["a"]
    assert (page.title, page.sort_order, page.category) == ("Alpha", 3.0, "tutorial")
    assert page.meta["author"] == "Ada"
    assert page.meta["title"] == "Alpha"


def test_front_matter_fenced_by_dashes_is_accepted(make_pages):
    pages = make_pages({"a.md": """
        ---
        title: Alpha
        order: 2
        ---
        Body text.
        """})
    page = guide.load_guide(pages).by_slug["a"]
    assert (page.title, page.sort_order) == ("Alpha", 2.0)
    assert page.html == "<p>Body text.</p>\n"


def test_yaml_front_matter_is_read_as_its_authors_meant(make_pages):
    pages = make_pages({"a.md": """
        ---
        # A page written for Jekyll or Hugo
        title: "Flask: the \\"micro\\" framework"
        description: 'It''s small'   # a comment

        sort-order: "0402"
        date: "2017-01-02"
        redirect_from: [old-flask,
          "older-flask"]
        next:
          - django
          - 'bottle'
        summary: >
          Folded lines
          become one.
        notes: |
          Kept
          as lines.
        _build:
          render: always
        author:
          name: Ann
          links: [a, b]
        ---
        Body.
        """, "django.md": "title: Django\n\nx\n", "bottle.md": "title: Bottle\n\nx\n"})
    page = guide.load_guide(pages).by_slug["a"]
    assert page.title == 'Flask: the "micro" framework'
    assert (page.description, page.sort_order) == ("It's small", 402.0)
    assert page.redirect_from == ("old-flask", "older-flask")
    assert page.next_slugs == ("django", "bottle")
    assert page.meta["summary"] == "Folded lines become one."
    assert page.meta["notes"] == "Kept\nas lines."
    assert page.meta["author"] == {"name": "Ann", "links": ["a", "b"]}
    assert page.meta["_build"] == {"render": "always"}
    assert page.html == "<p>Body.</p>\n"


@pytest.mark.parametrize("files, slug, expected", [
    ({"a.md": '---\ntitle: "\\ud83d\\ude00 smile \\U0001F600"\n---\nx\n'}, "a",
     {"title": "😀 smile 😀"}),
    ({"a.md": "+++\r\ntitle = \"Windows\"\r\nweight = 2\r\n+++\r\nx\r\n"}, "a",
     {"title": "Windows", "sort_order": 2.0}),
    ({"a.md": "---\ntitle: A\nog:image: /a.png\nSort Order: 3\n\"quoted key\": q\n---\nx\n"},
     "a", {"meta": {"title": "A", "og:image": "/a.png", "sort order": "3",
                    "quoted key": "q", "description": ""}}),
    ({"a.md": "---\ntitle: A\ndescription:\n  A long description\n  on two lines.\n---\nx\n"},
     "a", {"description": "A long description on two lines."}),
    ({"a.md": "---\ntitle: A\nslug: /\n---\nx\n", "b.md": "---\ntitle: B\nslug: /docs/bee\n"
      "---\nx\n"}, "docs/bee", {"title": "B", "url": "/docs/bee.html"}),
    ({"a.md": "---\ntitle: A\nslug: /\n---\nx\n"}, "index", {"title": "A", "url": "/"}),
    ({"02-setup/_index.md": "---\ntitle: Setup\n---\nx\n"}, "setup",
     {"title": "Setup", "url": "/setup/"}),
    ({"docs/a.md": "---\ntitle: A\npermalink: /guide/a/\n---\nx\n"}, "guide/a",
     {"url": "/guide/a/"}),
    ({"docs/a.md": "---\ntitle: A\nurl: /guide/a.html\n---\nx\n"}, "guide/a",
     {"url": "/guide/a.html"}),
    ({"docs/README.md": "# Docs\n\nx\n"}, "docs", {"url": "/docs/"}),
    ({"docs/README.md": "# Docs\n\nx\n", "docs/index.md": "# Index\n\nx\n"}, "docs/readme",
     {"url": "/docs/readme.html"}),
    ({"README.md": "# Welcome\n\nx\n"}, "index", {"url": "/", "home": True}),
    ({"a.md": "---\ntitle: A\nposition: sticky\nupdated: yes\ndraft: off\ndate:\n---\nx\n"},
     "a", {"draft": False, "date": None, "meta": {
         "title": "A", "position": "sticky", "updated": "yes", "draft": "off", "date": "",
         "description": ""}}),
    ({"_posts/2020-05-06-hello-there.md": "---\nlayout: post\n---\nx\n"}, "hello-there",
     {"title": "Hello There", "category": "post"}),
    ({"a.md": "---\ntitle: A\n...\nBody.\n"}, "a", {"html": "<p>Body.</p>\n"}),
    ({"a.md": "---\ntitle: A\nauthors:\n  - name: Ann\n    url: https://a.example\n"
              "  - Bob\n---\nx\n"}, "a",
     {"meta": {"title": "A", "authors": [{"name": "Ann", "url": "https://a.example"}, "Bob"],
               "description": ""}}),
    ({"a.md": "Title: A\nStatus: draft\n\nx\n", "b.md": "title: B\n\nx\n"}, "b",
     {"title": "B"}),
], ids=["surrogates-and-long-escapes", "toml-crlf", "keys-with-colons-spaces-quotes",
        "text-below-an-empty-key", "docusaurus-slug-in-a-folder", "docusaurus-slug-root",
        "hugo-section-index", "jekyll-permalink", "hugo-url", "github-readme",
        "readme-beside-an-index", "readme-at-the-top", "generic-words-and-empty-values", "jekyll-post-without-title", "yaml-ends-with-dots", "list-of-maps",
        "pelican-status-draft"])
def test_front_matter_of_real_sites_is_read_as_their_tools_read_it(make_pages, files, slug,
                                                                   expected):
    page = guide.load_guide(make_pages(files)).by_slug[slug]
    for name, value in expected.items():
        got = page.meta if name == "meta" else getattr(page, name)
        assert got == value, name


def test_front_matter_nested_too_deep_is_cut_short_not_a_traceback(make_pages):
    text = ("---\ntitle: A\ndeep:\n" + "".join("  " * depth + f"k{depth}:\n"
                                               for depth in range(1, 600)) + "---\nx\n")
    assert guide.load_guide(make_pages({"a.md": text})).by_slug["a"].title == "A"


@pytest.mark.parametrize("text, message", [
    ('---\ntitle: "\\ud83d alone"\n---\nx\n',
     "pages/a.md:2: title: half of a character (a lone surrogate) in "
     "'\"\\\\ud83d alone\"'"),
], ids=["lone-surrogate"])
def test_front_matter_that_cannot_be_read_is_an_error_not_a_traceback(make_pages, text,
                                                                      message):
    assert load_errors(make_pages({"a.md": text})) == [message]


def test_toml_front_matter_is_read_with_tomllib(make_pages):
    pages = make_pages({"a.md": """
        +++
        title = "Deploying"
        weight = 30
        draft = false
        date = 2024-05-01T09:30:00Z
        aliases = ["old-deploying"]

        [params]
        icon = "rocket"
        +++

        Body.
        """})
    page = guide.load_guide(pages).by_slug["a"]
    assert (page.title, page.sort_order, page.draft) == ("Deploying", 30.0, False)
    assert page.redirect_from == ("old-deploying",)
    assert page.meta["params"] == {"icon": "rocket"}
    assert page.body_line == 11


def test_other_tools_keys_mean_what_they_mean_there(make_pages):
    pages = make_pages({
        "a.md": "---\ntitle: A\nnav_order: 2\nexcerpt: From Jekyll.\nlast_modified_at: "
                "2025-03-04\n---\nx\n",
        "b.md": "---\ntitle: B\nsidebar_position: 1\n---\nx\n",
        "c.md": "---\ntitle: C\npublished: false\n---\nx\n"})
    site = guide.load_guide(pages)
    assert [page.slug for page in site.pages] == ["b", "a"]  # c is not published
    assert site.by_slug["a"].description == "From Jekyll."
    assert site.by_slug["a"].meta["last_modified_at"] == "2025-03-04"


def test_typos_of_known_keys_and_repeated_names_are_warnings(make_pages, capsys):
    make_pages({"a.md": "---\ntitle: A\nsort-order: 1\nweight: 5\ndescripton: Oops.\n"
                        "sort_order: 2\n---\nx\n"})
    assert guide.main(["check", "--pages", "pages"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "pages/a.md:4: warning: 'weight' repeats 'sort-order' from line 3, which is used",
        "pages/a.md:5: warning: unknown key 'descripton'; did you mean 'description'?",
        "pages/a.md:6: warning: unknown key 'sort_order'; did you mean 'sort-order'?",
        "1 page, 0 links, 0 broken, 3 warnings"]


@pytest.mark.parametrize("text, fields", [
    ("Note: this page has no header.\n\nBody.\n", {}),
    ("Note: a first line\ntitle: then a title\n\nBody.\n",
     {"note": ("a first line", 1), "title": ("then a title", 2)}),
    ("title: A\nNote: a note\n\nBody.\n", {"title": ("A", 1), "note": ("a note", 2)}),
    ("Updated: in March\n\nBody.\n", {}),
    ("---\n# A heading\n\nSome text after a rule.\n\n---\n\nMore.\n", {}),
], ids=["a-sentence", "a-header-by-a-known-key", "a-header-by-its-first-key",
        "another-tools-name-first", "a-rule-at-the-top"])
def test_a_page_that_starts_with_text_has_no_front_matter(text, fields):
    errors = []
    assert guide.split_front_matter("a.md", text, errors)[0] == fields
    assert errors == []


def test_files_that_are_not_pages_are_left_out_as_their_tools_do(make_pages, capsys):
    make_pages({
        "guide.md": "title: Guide\nsort-order: 1\n\nx\n",
        "_includes/footer.md": "{% include nothing %}\n",
        "_layouts/page.md": "not a page\n",
        "_data/people.md": "not a page\n",
        "_partial.md": "not a page\n",
        ".hidden/secret.md": "not a page\n",
        "drafts/wip.md": "title: Work in progress\n\nx\n",
        "README.md": "How to build this site.\n",
        "_docs/usage.md": "---\ntitle: Usage\nsort-order: 2\n---\nA collection's page.\n",
        "_posts/2017-01-02-hello-world.md": "---\ntitle: Hello\n---\nA Jekyll post.\n",
        "_posts/2018-03-04-later.markdown": "---\ntitle: Later\ndate: 2018-03-04 10:00:00 "
                                            "+0100\n---\nAnother.\n",
        "component.mdx": "export const x = 1\n",
        "guide.toml": 'exclude = ["drafts", "README.md"]\n'})
    site = guide.load_guide(Path("pages"))
    assert [page.slug for page in site.pages] == ["guide", "docs/usage"]
    assert [(post.slug, post.date.isoformat()) for post in site.posts] == [
        ("later", "2018-03-04T10:00:00+01:00"), ("hello-world", "2017-01-02T00:00:00+00:00")]
    assert guide.main(["check", "--pages", "pages"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "pages: warning: 1 .mdx file left out: MDX mixes JavaScript into Markdown, and "
        "guide.py reads Markdown")


def test_old_addresses_in_folders_lead_on(make_pages, capsys):
    make_pages({"a.md": "---\ntitle: A\nsort-order: 1\naliases: [/docs/old-a/, old-a]\n---\nx\n"})
    assert guide.main(["check", "--pages", "pages"]) == 0
    assert capsys.readouterr().out == "1 page, 0 links, 0 broken, 0 warnings\n"
    site = guide.load_guide(Path("pages"))
    assert site.redirects.keys() == {"docs/old-a", "old-a"}
    client = webtest.TestApp(guide.make_app(site))
    for path in ["/docs/old-a/", "/docs/old-a", "/docs/old-a.html", "/docs/old-a/index.html"]:
        assert client.get(path, status=301).headers["Location"] == "/a.html"


def test_body_that_starts_with_a_sentence_is_not_front_matter(make_pages):
    pages = make_pages({"a.md": """
        Welcome to the guide.
        title: not front matter
        """})
    assert load_errors(pages) == [
        "pages/a.md:1: missing title: add 'title: ...' or start the page with '# Title'"]


def test_a_colon_in_the_first_sentence_does_not_make_front_matter(make_pages):
    pages = make_pages({"a.md": "# Alpha\n\nThis guide: it starts with a sentence.\n"})
    page = guide.load_guide(pages).by_slug["a"]
    assert page.title == "Alpha"
    assert page.html == "<p>This guide: it starts with a sentence.</p>\n"


def test_indented_lines_continue_a_front_matter_value(make_pages):
    pages = make_pages({"a.md": """
        title: Alpha
        description: A long description
          that goes on.

        Body.
        """})
    assert guide.load_guide(pages).by_slug["a"].description == (
        "A long description that goes on.")


def test_title_comes_from_a_leading_heading_when_front_matter_has_none(make_pages):
    pages = make_pages({"a.md": "sort-order: 1\n\n# From the heading\n\nBody.\n"})
    page = guide.load_guide(pages).by_slug["a"]
    assert page.title == "From the heading"
    assert "<h1" not in page.html


def test_leading_heading_equal_to_title_is_not_shown_twice(make_pages):
    pages = make_pages({"a.md": "title: Web Frameworks\n\n# Web frameworks\nBody.\n"})
    page = guide.load_guide(pages).by_slug["a"]
    assert "<h1" not in page.html
    assert page.body_line == 2  # the blank line after the front matter is line 1 of the body


def test_leading_heading_different_from_title_is_kept(make_pages):
    pages = make_pages({"a.md": "title: Alpha\n\n# Something else\n"})
    assert '<h1 id="something-else">' in guide.load_guide(pages).by_slug["a"].html


@pytest.mark.parametrize("name, slug", [
    ("Flask.md", "flask"),
    ("0801-web-servers.md", "web-servers"),
    ("12_Template Engines.markdown", "template-engines"),
    ("2024.md", "2024"),
    ("Café Crème.md", "cafe-creme"),
], ids=["lower-case", "order-prefix", "spaces-and-markdown-suffix", "number-only", "accents"])
def test_slug_defaults_to_the_file_name(make_pages, name, slug):
    pages = make_pages({name: "title: A page\n\nBody.\n"})
    assert list(guide.load_guide(pages).by_slug) == [slug]


def test_pages_in_folders_are_served_at_their_path(make_pages):
    pages = make_pages({"part-one/deep/a.md": "title: A\n\nBody.\n",
                        "b.md": "title: B\n\nBody.\n",
                        ".hidden/c.md": "title: C\n\nBody.\n",
                        "notes.txt": "not a page"})
    site = guide.load_guide(pages)
    assert sorted(site.by_slug) == ["b", "part-one/deep/a"]
    assert site.by_slug["part-one/deep/a"].url == "/part-one/deep/a.html"


def test_folders_are_part_of_addresses_and_every_form_leads_to_the_page(make_pages):
    site = guide.load_guide(make_pages({
        "docs/install/index.md": "title: Installing\n\nx\n",
        "docs/install/linux.md": "title: On Linux\n\nx\n",
        "docs/install/windows.md": "title: On Windows\nslug: windows\n\nx\n",
        "04-web-development/03-flask.markdown": "title: Flask\n\nx\n",
        "_docs/usage.md": "title: Usage\n\nx\n",
        "b.md": "title: B\n\nx\n",
        "other/b.md": "title: Another B\n\nx\n",
    }))
    assert {page.source: page.url for page in site.every_page} == {
        "docs/install/index.md": "/docs/install/",
        "docs/install/linux.md": "/docs/install/linux.html",
        "docs/install/windows.md": "/windows.html",  # a slug keeps its flat address
        "04-web-development/03-flask.markdown": "/web-development/flask.html",
        "_docs/usage.md": "/docs/usage.html",
        "b.md": "/b.html", "other/b.md": "/other/b.html"}
    client = webtest.TestApp(guide.make_app(site))
    for url in ["/docs/install/", "/docs/install/linux.html", "/web-development/flask.html"]:
        assert client.get(url).status_int == 200
    for path, location in [
            ("/docs/install/linux", "/docs/install/linux.html"),
            ("/docs/install/linux/", "/docs/install/linux.html"),
            ("/docs/install", "/docs/install/"),
            ("/docs/install.html", "/docs/install/"),
            ("/docs/install/index.html", "/docs/install/"),
            # Where a page in a folder was before folders were part of
            # addresses, unless another page has or had that name:
            ("/linux.html", "/docs/install/linux.html"),
            ("/install.html", "/docs/install/"),
            ("/flask", "/web-development/flask.html")]:
        assert client.get(path, status=301).headers["Location"] == location, path
    assert client.get("/b.html").status_int == 200  # b.md keeps its name
    client.get("/docs/install/linux.htm", status=404)
    client.get("/docs//install/", status=404)
    assert guide.main(["build", "site", "--pages", "pages"]) == 0
    for name in ["docs/install/index.html", "docs/install/linux.html", "windows.html",
                 "web-development/flask.html", "docs/usage.html", "other/b.html"]:
        assert "<h1>" in Path("site", name).read_text(), name
    stub = Path("site/linux.html").read_text()  # a static host cannot answer 301
    assert 'content="0; url=/docs/install/linux.html"' in stub


def test_sort_order_compares_as_number(make_pages):
    pages = make_pages({
        "ten.md": "title: Ten\nsort-order: 10\n\nx\n",
        "eight.md": "title: Eight\nsort-order: 08\n\nx\n",
        "big.md": "title: Big\nsort-order: 0801\n\nx\n",
        "half.md": "title: Half\nsortorder: 2.5\n\nx\n",
        "none-b.md": "title: Bravo\n\nx\n",
        "none-a.md": "title: alpha\n\nx\n",
    })
    titles = [page.title for page in guide.load_guide(pages).pages]
    assert titles == ["Half", "Eight", "Ten", "Big", "alpha", "Bravo"]


def test_equal_sort_orders_fall_back_to_title_then_path(make_pages):
    pages = make_pages({
        "b/same.md": "title: Same\nslug: same-b\nsort-order: 1\n\nx\n",
        "a/same.md": "title: Same\nslug: same-a\nsort-order: 1\n\nx\n",
        "z.md": "title: Apple\nsort-order: 1\n\nx\n",
    })
    assert [page.slug for page in guide.load_guide(pages).pages] == ["z", "same-a", "same-b"]


def test_description_also_comes_from_meta_and_category_defaults_to_page(make_pages):
    pages = make_pages({"a.md": "title: A\nmeta: Said the Full Stack Python way.\n\nBody.\n"})
    page = guide.load_guide(pages).by_slug["a"]
    assert page.description == "Said the Full Stack Python way."
    assert page.meta["description"] == "Said the Full Stack Python way."
    assert page.category == "page"


def test_summary_falls_back_to_the_first_paragraph(make_pages):
    pages = make_pages({"a.md": "title: A\n\n## Heading\n\nThe *first* paragraph &amp; more.\n"})
    assert guide.load_guide(pages).by_slug["a"].summary == "The first paragraph & more."


def test_drafts_are_hidden_unless_asked_for(make_pages):
    pages = make_pages({"a.md": "title: A\n\nx\n", "b.md": "title: B\ndraft: true\n\nx\n"})
    assert list(guide.load_guide(pages).by_slug) == ["a"]
    assert list(guide.load_guide(pages, drafts=True).by_slug) == ["a", "b"]


def test_guide_toml_sets_the_guide_title(make_pages):
    pages = make_pages({"a.md": "title: A\n\nx\n",
                        "guide.toml": 'title = "My Course"\ndescription = "All of it."\n'})
    site = guide.load_guide(pages)
    assert (site.title, site.description) == ("My Course", "All of it.")


BAD_PAGES = [
    ({"flask.md": "title: Flask\nsort-order: abc\n\nx\n"},
     ["pages/flask.md:2: sort-order must be a number, got 'abc'"], "sort-order-not-a-number"),
    ({"a.md": "title: A\nsort-order: nan\n\nx\n"},
     ["pages/a.md:2: sort-order must be a number, got 'nan'"], "sort-order-nan"),
    ({"a.md": "title: A\nthis line is wrong\n\nx\n"},
     ["pages/a.md:2: malformed front-matter line, expected 'key: value', "
      "got 'this line is wrong'"], "malformed-line"),
    ({"a.md": "category: page\n\nNo heading here.\n"},
     ["pages/a.md:1: missing title: add 'title: ...' or start the page with '# Title'"],
     "missing-title"),
    ({"a.md": "title: A\nslug: no spaces\n\nx\n"},
     ["pages/a.md:2: slug may contain only letters, digits, '-' and '_', "
      "got 'no spaces'"], "invalid-slug"),
    ({"a.md": "title: A\nslug: /docs/no spaces/\n\nx\n"},
     ["pages/a.md:2: address '/docs/no spaces/' may contain only folders and names of "
      "letters, digits, '-' and '_'"], "invalid-address"),
    ({"a.md": "title: A\npermalink: /static/a/\n\nx\n"},
     ["pages/a.md:2: address '/static/a/' is in /static/, which is the site's own; "
      "choose another"], "reserved-folder"),
    ({"a.md": "title: A\nslug: search\n\nx\n"},
     ["pages/a.md:2: slug 'search' is reserved for the site's own pages; choose another"],
     "reserved-slug"),
    ({"static.md": "title: A\n\nx\n"},
     ["pages/static.md:1: slug 'static' is reserved for the site's own pages; add "
      "'slug: ...' with another"],
     "reserved-slug-from-file-name"),
    ({"a.md": "title: One\n\nx\n", "sub/a.md": "title: Two\nslug: a\n\nx\n"},
     ["pages/sub/a.md:2: slug 'a' is already used by pages/a.md"], "duplicate-slug"),
    ({"setup.md": "title: One\n\nx\n", "setup/index.md": "title: Two\n\nx\n"},
     ["pages/setup.md:1: slug 'setup' is already used by pages/setup/index.md"],
     "page-beside-its-folder"),
    ({"static/a.md": "title: A\n\nx\n"},
     ["pages/static/a.md:1: folder 'static' makes addresses in /static/, which is the "
      "site's own; rename it or add 'slug: ...'"], "reserved-folder-name"),
    ({"a.md": "title: A\ntitle: B\n\nx\n"},
     ["pages/a.md:2: duplicate key 'title' (first on line 1)"], "duplicate-key"),
    ({"a.md": "---\ntitle: 'A\n---\nx\n"},
     ["pages/a.md:2: title: the quote opened in \"'A\" is never closed"], "unclosed-quote"),
    ({"a.md": "---\ntitle: A\nnext: [b, c\n---\nx\n"},
     ["pages/a.md:3: next: the list opened with '[' in '[b, c' is never closed"],
     "unclosed-list"),
    ({"a.md": "---\ntitle: [A, B]\n---\nx\n"},
     ["pages/a.md:2: title takes one value, got a list"], "list-for-one-value"),
    ({"a.md": "+++\ntitle = \"A\"\nweight = = 3\n+++\nx\n"},
     ["pages/a.md:3: not valid TOML: Invalid value (column 10)"], "bad-toml"),
    ({"a.md": "+++\ntitle = \"A\"\n\nx\n"},
     ["pages/a.md:1: front matter opened with '+++' is never closed"], "unclosed-toml"),
    ({"a.md": "---\ntitle: A\n\nx\n"},
     ["pages/a.md:1: front matter opened with '---' is never closed"], "unclosed-fence"),
    ({"a.md": "title: A\ndraft: maybe\n\nx\n"},
     ["pages/a.md:2: draft must be true or false, got 'maybe'"], "bad-draft"),
    ({"a.md": b"title: A\n\nfine\ncaf\xe9\n"},
     ["pages/a.md:4: not valid UTF-8 (byte 0xe9)"], "not-utf-8"),
    ({"---.md": "title: A\n\nx\n"},
     ["pages/---.md:1: cannot make an address from the name '---.md': add 'slug: ...'"],
     "no-slug-from-file-name"),
    ({"a.md": "title: A\n\nx\n", "guide.toml": 'colour = "red"\n'},
     ["pages/guide.toml:1: unknown setting 'colour'; known: title, description, language, "
      "logo, image, exclude, site_url, edit_url, base_path, pages, words"],
     "unknown-guide-setting"),
]


@pytest.mark.parametrize("files, expected", [case[:2] for case in BAD_PAGES],
                         ids=[case[2] for case in BAD_PAGES])
def test_bad_input_is_reported_with_file_and_line(make_pages, files, expected):
    assert load_errors(make_pages(files)) == expected


def test_empty_pages_folder_is_an_error(make_pages):
    assert load_errors(make_pages({})) == ["pages: no pages found (*.md or *.markdown files)"]


def test_missing_pages_folder_is_an_error(make_pages):
    assert load_errors(Path("nowhere")) == ["nowhere: pages folder does not exist"]


def test_every_problem_is_collected_and_sorted(make_pages):
    pages = make_pages({
        "b.md": "title: B\nsort-order: x\nslug: bad slug\n\nx\n",
        "a.md": "no front matter and no title\n",
    })
    assert load_errors(pages) == [
        "pages/a.md:1: missing title: add 'title: ...' or start the page with '# Title'",
        "pages/b.md:2: sort-order must be a number, got 'x'",
        "pages/b.md:3: slug may contain only letters, digits, '-' and '_', got 'bad slug'",
    ]


def test_large_guides_are_built_by_a_process_pool_with_the_same_result(make_pages, monkeypatch):
    files = {f"{n:03}-page.md": f"title: Page {n}\nslug: p{n}\nsort-order: {n}\n\n"
                                f"## Part {n}\n\nx\n"
             for n in range(guide.PARALLEL_MIN_ITEMS + 2)}
    files["broken.md"] = "title: Broken\nsort-order: zz\n\nx\n"
    pages = make_pages(files)
    pools = []

    class CountedPool(guide.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs["initargs"][0].__name__)  # the function it runs
            super().__init__(*args, **kwargs)
    monkeypatch.setattr(guide, "ProcessPoolExecutor", CountedPool)
    assert load_errors(pages) == ["pages/broken.md:2: sort-order must be a number, got 'zz'"]
    (Path("pages") / "broken.md").unlink()
    parallel = guide.load_guide(pages)
    parallel_app = guide.make_app(parallel)
    if (os.cpu_count() or 1) > 1:  # rendering, counting terms and compressing use every core
        assert pools == ["render_body", "render_body", "page_term_counts", "filled_answer"]
    monkeypatch.setattr(guide, "PARALLEL_MIN_ITEMS", 10**9)
    serial = guide.load_guide(pages)
    serial_app = guide.make_app(serial)
    assert [(page.slug, page.html) for page in parallel.pages] == [
        (page.slug, page.html) for page in serial.pages]
    assert parallel_app.resources.keys() == serial_app.resources.keys()
    for url, resource in serial_app.resources.items():
        assert parallel_app.resources[url].identity.body == resource.identity.body, url


###############################################################################
# Rendering Markdown ##########################################################
###############################################################################

def render(text: str) -> str:
    return guide.render_markdown(textwrap.dedent(text)).html


def test_headings_get_unique_ids_and_self_links():
    rendered = guide.render_markdown(
        "## Getting *started*\n\n### Install\n\n## Getting started\n\n#### Deep\n")
    assert ('<h2 id="getting-started">Getting <em>started</em> <a class="self-link" '
            'href="#getting-started" aria-label="Link to this section">#</a></h2>') in rendered.html
    assert '<h2 id="getting-started-1">' in rendered.html
    assert rendered.toc == ((2, "getting-started", "Getting started"), (3, "install", "Install"),
                            (2, "getting-started-1", "Getting started"))


def test_heading_ids_avoid_ids_in_raw_html_and_keep_non_latin_text():
    rendered = guide.render_markdown('<div id="setup"></div>\n\n## Setup\n\n## 安装\n').html
    assert '<h2 id="setup-1">' in rendered
    assert '<h2 id="安装">' in rendered


def test_ids_and_lines_ignore_what_code_blocks_say_and_follow_nesting():
    rendered = guide.render_markdown(textwrap.dedent("""\
        ```html
        <div id="usage"></div>
        [r]: /wrong.html
        ```

        ## Usage

        > ## Usage

        - ## Setup
        - <p>x</p>

          <div>
          <a href="/in-list.html">y</a>
          </div>

        ## Setup

        See [r].

        [r]: /right.html
        """))
    assert rendered.toc == ((2, "usage", "Usage"), (2, "usage-1", "Usage"),
                            (2, "setup", "Setup"), (2, "setup-1", "Setup"))
    # and MkDocs' names of the repeats, which guides written for it link to
    assert rendered.ids == {"usage", "usage-1", "setup", "setup-1", "usage_1", "setup_1"}
    assert rendered.links == (("/in-list.html", 14), ("/right.html", 21))


@pytest.mark.parametrize("markdown, expected", [
    ('!!! warning "Mind the gap"\n    Indented *body*.\n\n    Second.\n\nOut.\n',
     '<div class="callout callout-warning" role="note">\n<p class="callout-title">Mind the gap'
     '</p>\n<p>Indented <em>body</em>.</p>\n<p>Second.</p>\n</div>\n<p>Out.</p>\n'),
    ("??? tip\n    Folded.\n",
     '<details class="callout callout-tip">\n<summary class="callout-title">Tip</summary>\n'
     '<p>Folded.</p>\n</details>\n'),
    ('???+ note ""\n    Open.\n',
     '<details class="callout callout-note" open>\n<summary class="callout-title">Note'
     '</summary>\n<p>Open.</p>\n</details>\n'),
    (":::danger[Careful]\nDocusaurus *body*.\n:::\n",
     '<div class="callout callout-danger" role="note">\n<p class="callout-title">Careful</p>\n'
     '<p>Docusaurus <em>body</em>.</p>\n</div>\n'),
    (":::tip Keep going\nVitePress.\n:::\n",
     '<div class="callout callout-tip" role="note">\n<p class="callout-title">Keep going</p>\n'
     '<p>VitePress.</p>\n</div>\n'),
    ("> [!CAUTION]\n> GitHub.\n",
     '<div class="callout callout-warning" role="note">\n<p class="callout-title">Caution</p>\n'
     '<p>GitHub.</p>\n</div>\n'),
    ("> A quote.\n", "<blockquote>\n<p>A quote.</p>\n</blockquote>\n"),
    (":::note\nNever closed.\n", "<p>:::note\nNever closed.</p>\n"),
], ids=["mkdocs", "mkdocs-folded", "mkdocs-folded-open", "docusaurus", "vitepress", "github",
        "plain-quote", "unclosed"])
def test_callouts_of_other_tools_become_one_kind_of_callout(markdown, expected):
    assert render(markdown) == expected


def test_mkdocs_tabs_make_one_tab_set_that_works_without_javascript():
    html_text = render("""
        === "Python"

            Python *body*.

        === "Shell"
            Shell body.

        Between.

        === "Alone"
            Its own set.
        """)
    assert html_text == (
        '<div class="tabs">\n<input class="tab-input" type="radio" name="tabs-1" id="tabs-1-1"'
        ' checked><label class="tab-label" for="tabs-1-1">Python</label>\n'
        '<div class="tab-panel">\n<p>Python <em>body</em>.</p>\n</div>\n'
        '<input class="tab-input" type="radio" name="tabs-1" id="tabs-1-2"><label '
        'class="tab-label" for="tabs-1-2">Shell</label>\n<div class="tab-panel">\n'
        '<p>Shell body.</p>\n</div>\n</div>\n<p>Between.</p>\n<div class="tabs">\n'
        '<input class="tab-input" type="radio" name="tabs-2" id="tabs-2-1" checked><label '
        'class="tab-label" for="tabs-2-1">Alone</label>\n<div class="tab-panel">\n'
        '<p>Its own set.</p>\n</div>\n</div>\n')


def test_formulas_become_mathml_or_show_as_written(monkeypatch):
    rendered = guide.render_markdown("Euler: $e^{i\\pi} + 1 = 0$, prices $5 and $10.\n\n"
                                     "$$\nx^2\n$$\n\nBad: $\\nosuch{x}$.\n")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in rendered.html
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in rendered.html
    assert "prices $5 and $10." in rendered.html
    assert '<code class="math">\\nosuch{x}</code>' in rendered.html
    assert rendered.bad_formulas == (("\\nosuch{x}", 7),)
    monkeypatch.setattr(guide, "latex2mathml", None)  # optional, like Pygments
    guide.formula_mathml.cache_clear()
    without = guide.render_markdown("Euler: $e^{i\\pi}$\n")
    guide.formula_mathml.cache_clear()
    assert without.html == '<p>Euler: <code class="math">e^{i\\pi}</code></p>\n'
    assert without.bad_formulas == ()


def test_what_footnotes_hold_is_rendered_without_a_traceback():
    rendered = guide.render_markdown('Text[^1].\n\n[^1]: First.\n    === "A"\n        x\n\n'
                                     '    ## Head\n')
    assert '<section class="footnotes">' in rendered.html


def test_attribute_lists_cannot_break_out_of_an_attribute():
    rendered = guide.render_markdown("# T {k='a #x\"onclick=alert(1)'}\n\n"
                                     '## Tags {title="see #tags and .x here"}\n')
    assert "onclick" not in rendered.html.replace("&quot;", "")
    assert '<h2 id="tags">' in rendered.html and 'class="x"' not in rendered.html


def test_formulas_escape_their_text_and_refuse_what_they_cannot_show():
    rendered = guide.render_markdown("A $\\text{a<b}$ and $\\mathbf{\\foo}$.\n")
    assert "<mtext>a&lt;b</mtext>" in rendered.html
    assert rendered.bad_formulas == (("\\mathbf{\\foo}", 1),)


@pytest.mark.parametrize("name, slug", [
    ("हिंदी.md", "हिंदी"), ("安装 Docker.md", "安装-docker"), ("Über uns.md", "uber-uns"),
], ids=["devanagari-marks", "mixed-scripts", "latin-accents"])
def test_a_file_name_in_any_script_gives_a_slug_in_that_script(name, slug):
    assert guide.file_slug(Path(name)) == slug


def test_a_tab_marked_with_a_plus_is_the_one_shown_first():
    html_text = render('=== "A"\n    a\n\n===+ "B"\n    b\n')
    assert 'id="tabs-1-1">' in html_text and 'id="tabs-1-2" checked>' in html_text


@pytest.mark.parametrize("heading, anchor", [
    ("Food & Drink", "food--drink"),
    ("What's new in 2.0?", "whats-new-in-20"),
    ("`app.run()` options", "apprun-options"),
    ("Über die Größe", "über-die-größe"),
    ("安装 指南", "安装-指南"),
    ("snake_case and kebab-case", "snake_case-and-kebab-case"),
    ("Install {#setup}", "setup"),
    ("Install {: #setup }", "setup"),
], ids=["ampersand", "punctuation", "code", "accents", "cjk", "underscore", "explicit",
        "kramdown-inline"])
def test_heading_ids_follow_githubs_rules_or_are_given(heading, anchor):
    rendered = guide.render_markdown(f"## {heading}\n")
    assert rendered.toc[0][1] == anchor
    assert "{" not in rendered.toc[0][2]


def test_attribute_lists_are_applied_or_dropped_never_printed():
    rendered = guide.render_markdown(textwrap.dedent("""\
        ## Install {#setup .wide}

        One. {.lead}

        Two.
        {: .note #two}

        - a list

        {: key="value"}

        ## Kramdown
        {: #kd}
        """))
    assert rendered.html == (
        '<h2 id="setup" class="wide">Install <a class="self-link" href="#setup" '
        'aria-label="Link to this section">#</a></h2>\n<p class="lead">One.</p>\n'
        '<p id="two" class="note">Two.</p>\n<ul>\n<li>a list</li>\n</ul>\n'
        '<h2 id="kd">Kramdown <a class="self-link" href="#kd" '
        'aria-label="Link to this section">#</a></h2>\n')
    assert {"setup", "two", "kd"} <= rendered.ids


def test_attribute_lists_on_list_items_are_dropped_never_printed():
    html = guide.render_markdown("- one\n{: .special }\n- two {.x}\n- three {: #t}\n").html
    assert html == "<ul>\n<li>one</li>\n<li>two</li>\n<li>three</li>\n</ul>\n"


@pytest.mark.parametrize("markdown, expected", [
    ("- Step one\n\n    !!! note\n        In a list.\n",
     '<ul>\n<li><p>Step one</p>\n<div class="callout callout-note" role="note">\n'
     '<p class="callout-title">Note</p>\n<p>In a list.</p>\n</div>\n</li>\n</ul>\n'),
    ('!!!warning "Careful"\n    Body.\n',
     '<div class="callout callout-warning" role="note">\n<p class="callout-title">Careful</p>\n'
     '<p>Body.</p>\n</div>\n'),
    ('!!! tip inline end "Aside"\n    Side.\n',
     '<div class="callout callout-tip" role="note">\n<p class="callout-title">Aside</p>\n'
     '<p>Side.</p>\n</div>\n'),
    ("> :::info\n> In a quote.\n> :::\n",
     '<blockquote>\n<div class="callout callout-info" role="note">\n'
     '<p class="callout-title">Info</p>\n<p>In a quote.</p>\n</div>\n</blockquote>\n'),
], ids=["in-a-list", "no-space", "modifiers", "in-a-quote"])
def test_callouts_are_read_where_their_tools_read_them(markdown, expected):
    assert guide.render_markdown(markdown).html == expected


def test_tabs_in_a_list_item_are_a_tab_set():
    html = guide.render_markdown('- Item\n\n    === "A"\n\n        Tab A.\n\n'
                                 '    === "B"\n\n        Tab B.\n').html
    assert html.count('class="tab-panel"') == 2 and "===" not in html


def test_template_tags_over_lines_and_in_raw_html_show_as_nothing():
    rendered = guide.render_markdown(
        '<div class="x">{{ site.title }}</div>\n\nText {% include x.html\n   a="b" %} and '
        '{{< tabs\n name="x" >}}.\n\n`{{ kept }}`\n', first_line=5)
    assert rendered.html == ('<div class="x"></div>\n<p>Text  and .</p>\n'
                             '<p><code>{{ kept }}</code></p>\n')
    assert rendered.templates == (3, 5)  # how many, and the first one's line


def test_what_liquid_s_raw_holds_is_shown_as_written_and_warned_of_by_no_one():
    rendered = guide.render_markdown(
        "Write {% raw %}{{ page.title }}{% endraw %} in a layout, not {{ site.x }}.\n\n"
        "<p>{%- raw -%}{{ <b>y</b> }}{%- endraw -%}</p>\n\n"
        "{% raw %}\n```liquid\n{% if a %}{{ z }}{% endif %}\n```\n{% endraw %}\n", first_line=3)
    assert rendered.html.startswith("<p>Write {{ page.title }} in a layout, not .</p>\n"
                                    "<p>{{ <b>y</b> }}</p>\n<pre")  # the raw lines are gone
    assert "{% if a %}{{ z }}{% endif %}" in rendered.text  # the code block shows its own
    assert "raw" not in rendered.html
    assert rendered.templates == (1, 3)  # {{ site.x }} alone


def test_a_page_that_cannot_load_explains_itself_at_the_address_it_asked_for(make_pages):
    site, problems = guide.read_guide(make_pages({
        "chapter/flask.md": "---\ntitle: F\nslug: flask\nsort-order: x\n---\nF.\n",
        "perm.md": "---\ntitle: P\npermalink: /guides/perm/\ndate: notadate\n---\nP.\n",
        "good.md": "title: G\n\nGood.\n"}))
    assert len(problems) == 2
    client = webtest.TestApp(guide.make_app(site))
    for url, file in [("/flask.html", "pages/chapter/flask.md"), ("/guides/perm/", "pages/perm.md")]:
        answer = client.get(url, status=500)
        assert "This page cannot be shown yet" in answer.text and file in answer.text
    client.get("/chapter/flask.html", status=404)


def test_a_heading_underlined_with_equals_signs_is_a_title_not_front_matter(make_pages):
    site, problems = guide.read_guide(make_pages({
        "a.md": "Title: Setext heading\n=====\n\nText.\n",
        "b.md": "Plain heading\n=============\n\nMore.\n"}))
    assert problems == []
    assert [(page.title, page.html) for page in site.pages] == [
        ("Plain heading", "<p>More.</p>\n"), ("Title: Setext heading", "<p>Text.</p>\n")]


def test_jekyll_posts_of_one_name_on_different_days_are_both_served(make_pages):
    site = guide.load_guide(make_pages({
        "_posts/2017-01-01-weekly-update.md": "---\ntitle: Week 1\n---\nOne.\n",
        "_posts/2018-01-01-weekly-update.md": "---\ntitle: Week 2\n---\nTwo.\n",
        "a.md": "title: A\n\nA.\n"}))
    assert [(post.title, post.url) for post in site.posts] == [
        ("Week 2", "/weekly-update-2018-01-01.html"), ("Week 1", "/weekly-update.html")]


def test_template_tags_that_start_a_link_lead_where_they_mean(make_pages):
    pages = make_pages({
        "_posts/2020-01-02-news.md": "---\ntitle: News\ndate: 2020-01-02\n---\n\nNews.\n",
        "docs/b.md": "title: B\n\n## Part\n\nB.\n",
        "a.md": """\
            ---
            title: A
            nav_order: 1
            ---

            [1]({{ site.baseurl }}/docs/b.html) [2]({{ "/docs/b.html" | relative_url }})
            [3]({% link docs/b.md %}) [4]({{< ref "docs/b.md" >}}) [5]({% post_url 2020-01-02-news %})
            [6]({{ site.url }}{{ site.baseurl }}/docs/b.html#part) <a href="{{ site.baseurl }}/docs/b.html">7</a>

            ```
            [kept]({{ site.baseurl }}/docs/b.html)
            ```
            """})
    site = guide.load_guide(pages)
    links = re.findall(r'<a href="([^"]*)">(\d)</a>', site.by_slug["a"].html)
    assert links == [("/docs/b.html", "1"), ("/docs/b.html", "2"), ("/docs/b.html", "3"),
                     ("/docs/b.html", "4"), (site.posts[0].url, "5"),
                     ("/docs/b.html#part", "6"), ("/docs/b.html", "7")]
    assert "[kept]({{ site.baseurl }}/docs/b.html)" in site.by_slug["a"].html
    report = guide.check_links(guide.make_app(site).site)
    assert (report.broken, report.problems) == (0, [])


def test_links_to_files_in_raw_html_lead_to_the_page_or_file(make_pages):
    pages = make_pages({"chapter/a.md": "title: A\nslug: a\n\n<p><a href=\"b.md#x\">B</a> "
                                        "<img src=\"img/logo.png\" alt=\"Logo\"></p>\n",
                        "chapter/b.md": "title: B\n\n## X\n\nB.\n",
                        "chapter/img/logo.png": PNG})
    html = guide.load_guide(pages).by_slug["a"].html
    assert '<a href="/chapter/b.html#x">B</a>' in html
    assert '<img src="/chapter/img/logo.png" alt="Logo">' in html


def test_other_tools_keys_count_when_their_values_mean_ours(make_pages):
    site, problems = guide.read_guide(make_pages({
        "a.md": "---\ntitle: A\nposition: 2\nupdated: 2019-04-05\naliases:\n"
                "  [/old-a/, /older.html]\nkeywords:\n  [a,\n   b]\ntitles: x\n---\nA.\n",
        "b.md": "---\ntitle: B\nposition: sticky\nupdated: yes\n---\nB.\n"}))
    a, b = site.by_slug["a"], site.by_slug["b"]
    assert (a.sort_order, a.modified.date().isoformat(), a.redirect_from,
            a.meta["keywords"]) == (2.0, "2019-04-05", ("old-a", "older"), ["a", "b"])
    assert (b.sort_order, b.modified, b.meta["position"], b.meta["updated"]) == (
        None, None, "sticky", "yes")
    assert problems == []  # 'titles' is not taken for a misspelt 'title'


def test_a_page_or_folder_linked_from_outside_the_pages_folder_is_not_read(make_pages,
                                                                            tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text("title: Secret\n\nTOP SECRET\n")
    pages = make_pages({"a.md": "title: A\nsort-order: 1\n\nA.\n"})
    (pages / "secret.md").symlink_to(tmp_path / "outside" / "secret.md")
    (pages / "more").symlink_to(tmp_path / "outside")
    site, problems = guide.read_guide(pages)
    assert list(site.by_slug) == ["a"]
    assert [str(problem) for problem in problems] == [
        "pages/more: warning: not read: a linked folder",
        "pages/secret.md: warning: not read: it leads outside the pages folder"]


def test_toml_front_matter_problems_are_named_at_their_own_line(make_pages):
    pages = make_pages({"a.md": '+++\ntitle = "A"\nweight = 2\nbad = [1,\n+++\n\nx\n',
                        "b.md": '+++\ntitle = "B"\n\n[params]\nauthor = "me"\n+++\n\nx\n'})
    assert load_errors(pages) == [
        "pages/a.md:4: not valid TOML: Invalid value (at the end)"]
    (pages / "a.md").unlink()
    guide_, problems = guide.read_guide(pages)
    assert (guide_.by_slug["b"].title, problems) == ("B", [])
    (pages / "b.md").write_text('+++\ntitle = "B"\n\n[params]\nauthor = \n+++\n\nx\n')
    assert load_errors(pages) == ["pages/b.md:5: not valid TOML: Invalid value (at the end)"]


@pytest.mark.parametrize("markdown, expected", [
    ('[site](https://x.example){:target="_blank"} and more', 
     '<p><a href="https://x.example">site</a> and more</p>\n'),
    ('![i](a.png){: width="50%"} inline', '<p><img src="a.png" alt="i" /> inline</p>\n'),
    ("[x](y){: .btn} too {:toc}", '<p><a href="y">x</a> too </p>\n'),
    ("Code `{.x}` and {not a list} stay.",
     "<p>Code <code>{.x}</code> and {not a list} stay.</p>\n"),
], ids=["target", "width", "class-and-toc", "not-lists"])
def test_attribute_lists_inside_a_line_are_never_printed(markdown, expected):
    assert guide.render_markdown(markdown).html == expected


def test_a_heading_answers_to_the_id_mkdocs_gives_it_too(make_pages):
    rendered = guide.render_markdown("## Food & Drink\n\n## Food & Drink\n\n## Plain\n\n"
                                     "## Set up {#setup}\n")
    assert rendered.html.startswith(
        '<h2 id="food--drink"><span id="food-drink"></span>Food &amp; Drink <a')
    assert '<h2 id="food--drink-1"><span id="food-drink_1"></span>' in rendered.html
    assert '<h2 id="plain">Plain' in rendered.html and '<h2 id="setup">Set up' in rendered.html
    pages = make_pages({"a.md": "title: A\nsort-order: 1\n\n## Food & Drink\n\nx\n",
                        "b.md": "title: B\nsort-order: 2\n\n[menu](a.md#food-drink)\n"})
    report = guide.check_links(guide.make_app(guide.load_guide(pages)).site)
    assert report.broken == 0


def test_a_kramdown_attribute_line_gives_the_heading_above_its_id():
    rendered = guide.render_markdown("## Install\n{: #setup}\n\nText.\n")
    assert rendered.toc == ((2, "setup", "Install"),)
    assert "{:" not in rendered.html and "<p>Text.</p>" in rendered.html


def test_rendering_derives_text_links_and_ids_from_the_tokens():
    rendered = guide.render_markdown(textwrap.dedent("""\
        Intro with [a link](/a.html) and `[not a link](/b.html)`.

        ```
        [also not](/c.html)
        ```

        <div id="box"><a href="/d.html">raw</a></div>

        - item [ref][r]

        ![](e.png) ![Alt](f.png)

        Note[^1] &amp; more.

        [r]: /ref.html
        [^1]: See [g](/g.html).
        """), first_line=5)
    assert rendered.links == (("/a.html", 5), ("/d.html", 11), ("/ref.html", 19),
                              ("e.png", 15), ("f.png", 15), ("/g.html", 20))
    assert rendered.images_without_alt == (("e.png", 15),)
    assert {"box", "fn-1", "fnref-1"} <= rendered.ids
    assert rendered.summary == "Intro with a link and [not a link](/b.html)."
    assert rendered.text.split("\n") == [
        "Intro with a link and [not a link](/b.html).", "[also not](/c.html)", "raw",
        "item ref", "Note & more.", "See g."]


def test_fenced_code_keeps_its_language_and_is_highlighted():
    rendered = render("""
        ```python
        def f(): return "<b>"
        ```
        """)
    assert rendered.startswith(
        '<pre class="highlight" tabindex="0"><code class="language-python">')
    assert '<span class="k">def</span>' in rendered
    assert "&lt;b&gt;" in rendered


def test_code_in_an_unknown_language_or_without_pygments_is_escaped(monkeypatch):
    assert render("```nosuchlanguage\n<x>\n```\n") == (
        '<pre tabindex="0"><code class="language-nosuchlanguage">&lt;x&gt;\n</code></pre>\n')
    monkeypatch.setattr(guide, "pygments", None)
    assert render("```python\nx = '<'\n```\n") == (
        '<pre tabindex="0"><code class="language-python">x = \'&lt;\'\n</code></pre>\n')


def test_raw_html_passes_through():
    assert render('<aside class="note">Trusted.</aside>\n').strip() == (
        '<aside class="note">Trusted.</aside>')


@pytest.mark.parametrize("markdown, expected", [
    ("| a | b |\n|---|---|\n| 1 | 2 |\n", "<table>"),
    ("Text[^1].\n\n[^1]: Note.\n", '<section class="footnotes">'),
    ("~~gone~~\n", "<del>gone</del>"),
    ("- [x] done\n- [ ] todo\n",
     '<input class="task-list-item-checkbox" type="checkbox" disabled checked aria-label="done">'),
    ("See https://example.org now.\n", '<a href="https://example.org">https://example.org</a>'),
    ("Term\n: Definition.\n", "<dl>\n<dt>Term</dt>\n<dd>Definition.</dd>\n</dl>"),
], ids=["table", "footnote", "strikethrough", "task-list", "autolink", "definition-list"])
def test_markdown_extensions_are_enabled(markdown, expected):
    assert expected in render(markdown)


###############################################################################
# Guides written for other tools ##############################################
###############################################################################

# Small sites shaped like the ones users bring, each with the habits of its
# tool: each must load whole, serve every page, and check clean but for the
# one broken link planted in it (which the original tool would break too).
OTHER_TOOLS_SITES = {
    "jekyll": {
        "_config.yml": "title: A Jekyll site\n",
        "_includes/footer.html": "<footer>{{ site.title }}</footer>\n",
        "_layouts/default.html": "<html>{{ content }}</html>\n",
        "_data/nav.yml": "- title: Home\n",
        "index.md": "---\nlayout: home\ntitle: \"Home: start here\"\nnav_order: 1\n---\n\n"
                    "Welcome to {{ site.title }}. Read [the guide](guide.md).\n\n"
                    "{% include footer.html %}\n",
        "guide.md": "---\nlayout: page\ntitle: 'The guide'\nnav_order: 2\npermalink: /guide/\n"
                    "published: true\ntags: [start, learn]\n---\n\nIt's here. [Gone](/gone/)\n"
                    "{: .lead}\n",
        "_posts/2017-01-02-hello-world.md": "---\nlayout: post\ndate: 2017-01-02 10:00:00 "
                                            "+0100\ncategories: news\n---\nA first post.\n",
        "_drafts/unfinished.md": "---\ntitle: Unfinished\n---\nNot yet.\n",
        "assets/logo.png": PNG,
    },
    "hugo": {
        "_index.md": "+++\ntitle = \"Hugo home\"\n+++\nThe home page's text.\n",
        "docs/_index.md": "+++\ntitle = \"Docs\"\nweight = 10\n+++\nAll the docs.\n",
        "docs/install.md": "+++\ntitle = \"Install\"\nweight = 20\ndraft = false\n"
                           "aliases = [\"/old-install/\"]\n[params]\nicon = \"box\"\n+++\n\n"
                           "{{< note >}}\nUse **pip**.\n{{< /note >}}\n\nSee [usage](usage.md) "
                           "and [gone](missing.md).\n",
        "docs/usage.md": "---\ntitle: \"Usage\"\nweight: 30\nlastmod: 2024-02-03\n---\n\n"
                         "{{% notice warning %}}\nCareful.\n{{% /notice %}}\n",
    },
    "mkdocs": {
        "mkdocs.yml": "site_name: Material site\n",
        "index.md": "# Material site\n\n!!! tip \"Start\"\n    Read [setup](setup/index.md).\n",
        "setup/index.md": "---\ntitle: Setup\n---\n\n=== \"pip\"\n\n    ```bash\n    pip install "
                          "x\n    ```\n\n=== \"conda\"\n\n    Use conda.\n\n??? note \"More\"\n"
                          "    Hidden detail. [Gone](../nowhere.md)\n",
        "setup/img/screen.png": PNG,
        "about.md": "---\ntitle: About\nhide:\n  - navigation\n---\n\n![Screen](setup/img/"
                    "screen.png)\n\n## Food & Drink\n\nSee [here](#food--drink).\n",
    },
    "docusaurus": {
        "intro.md": "---\nslug: /\nsidebar_position: 1\ntitle: Intro\n---\n\n:::tip[Hello]\n"
                    "Docusaurus tip.\n:::\n\n[Next](tutorial/basics.md)\n",
        "tutorial/basics.md": "---\nsidebar_label: Basics\nsidebar_position: 2\ntitle: The basics"
                              "\nauthors:\n  - name: Ann\n    url: https://a.example\n---\n\n"
                              "> [!WARNING]\n> GitHub style too.\n\n[Gone](./missing.md)\n",
        "tutorial/component.mdx": "import X from './x';\n\n<X />\n",
    },
    "chinese-hugo": {
        "_index.md": "---\ntitle: \"文档\"\n---\n首页。\n",
        "安装.md": "---\ntitle: \"安装指南\"\nweight: 1\ndescription: \"如何安装\"\n---\n\n"
                  "## 准备工作\n\n先阅读[使用](使用.md#基本用法)。\n",
        "使用.md": "---\ntitle: \"使用\"\nweight: 2\n---\n\n## 基本用法\n\n见"
                  "[不存在的页面](不存在.md)。\n",
    },
}
PLANTED = {
    "jekyll": ["pages/guide.md:10: broken link /gone/: no page 'gone'"],
    "hugo": ["pages/docs/install.md:14: broken link missing.md: no page file "
             "'docs/missing.md'"],
    "mkdocs": ["pages/setup/index.md:16: broken link ../nowhere.md: no page file "
               "'nowhere.md'"],
    "docusaurus": ["pages/tutorial/basics.md:13: broken link ./missing.md: no page file "
                   "'tutorial/missing.md'"],
    "chinese-hugo": ["pages/使用.md:8: broken link 不存在.md: no page file '不存在.md'"],
}


@pytest.mark.parametrize("tool", sorted(OTHER_TOOLS_SITES))
def test_a_guide_written_for_another_tool_serves_every_page_and_checks_clean(make_pages,
                                                                           capsys, tool):
    pages = make_pages(OTHER_TOOLS_SITES[tool])
    guide.main(["check", "--pages", "pages"])
    errors = [line for line in capsys.readouterr().out.splitlines()[:-1]
              if ": warning: " not in line]
    assert errors == PLANTED[tool]
    site = guide.load_guide(pages)
    client = webtest.TestApp(guide.make_app(site))
    for page in site.all_pages:
        text = client.get(urllib.parse.quote(page.url)).text
        assert "{{" not in text.split("<main", 1)[1] and "{%" not in text.split("<main", 1)[1]
        assert '"' not in page.title[:1] and "'" not in page.title[:1]  # quotes were read
    if site.home is not None:  # index.md, _index.md or `slug: /`: the text at /
        index = client.get("/").text
        assert site.home.html in index and f"<title>{html.escape(site.title)}" in index


###############################################################################
# The render cache ############################################################
###############################################################################

@pytest.fixture
def count_renders(monkeypatch):
    """Render in this process only, and return the list of bodies rendered."""
    monkeypatch.setattr(guide, "PARALLEL_MIN_ITEMS", 10**9)
    rendered, render_markdown = [], guide.render_markdown

    def counting_render_markdown(text, first_line=1, wording=guide.Wording()):
        rendered.append(text.strip())
        return render_markdown(text, first_line, wording)
    monkeypatch.setattr(guide, "render_markdown", counting_render_markdown)
    return rendered


def cached_load(pages: Path, folder: Path) -> guide.Guide:
    """Return the guide in pages, loaded through the cache in folder."""
    return guide.load_guide(pages, cache=guide.RenderCache(folder))


def page_bodies(site: guide.Guide) -> list[tuple[str, str, str]]:
    return [(page.slug, page.html, page.text) for page in site.all_pages]


def test_an_unchanged_page_is_never_rendered_again(make_pages, own_cache_folder, count_renders):
    pages = make_pages(THREE_PAGES)
    first = cached_load(pages, own_cache_folder)
    assert len(count_renders) == 3
    again = cached_load(pages, own_cache_folder)
    assert len(count_renders) == 3
    assert page_bodies(again) == page_bodies(first)
    assert again.by_slug["intro"].rendered == first.by_slug["intro"].rendered
    save("pages/servers.md", "title: Servers, renamed\nsort-order: 2\n\nServers serve.\n")
    cached_load(pages, own_cache_folder)  # the title is not part of the rendering
    assert len(count_renders) == 3
    save("pages/servers.md", "title: Servers\nsort-order: 2\n\nServers serve well.\n")
    assert cached_load(pages, own_cache_folder).by_slug["servers"].text == "Servers serve well."
    assert count_renders[3:] == ["Servers serve well."]


@pytest.mark.parametrize("change", ["guide.py", "mistune", "pygments"])
def test_another_version_of_what_renders_renders_again(make_pages, own_cache_folder,
                                                       count_renders, monkeypatch, change):
    pages = make_pages(THREE_PAGES)
    cached_load(pages, own_cache_folder)
    if change == "guide.py":
        monkeypatch.setattr(guide, "source_digest", lambda: "an edited guide.py")
    elif change == "mistune":
        monkeypatch.setattr(guide.mistune, "__version__", "99.0")
    else:
        monkeypatch.setattr(guide, "pygments", None)
    cached_load(pages, own_cache_folder)
    assert len(count_renders) == 6


def test_search_terms_are_counted_with_the_rendering_and_kept(make_pages, own_cache_folder,
                                                            count_renders, monkeypatch):
    pages = make_pages(THREE_PAGES)
    cache = guide.RenderCache(own_cache_folder)
    counted, page_term_counts = [], guide.page_term_counts

    def counting_page_term_counts(stemming, page):
        counted.append(page.slug)
        return page_term_counts(stemming, page)
    monkeypatch.setattr(guide, "page_term_counts", counting_page_term_counts)
    app = guide.make_app(guide.load_guide(pages, cache=cache), cache=cache)
    assert counted == []  # counted while rendering, then read from the cache
    assert [result.page.slug for result in
            app.site.renderer.search_index.search("serve").results] == ["servers"]
    guide.make_app(guide.load_guide(pages), cache=None)
    assert counted == ["intro", "servers", "frameworks"]  # without a cache, counted here


def test_an_answer_whose_inputs_did_not_change_is_never_filled_again(make_pages, own_cache_folder,
                                                                     monkeypatch):
    monkeypatch.setattr(guide, "NAV_LIMIT", 4)
    make_pages({f"p{number:02}.md": f"title: Page {number}\nsort-order: {number}\n\nText {number}.\n"
                for number in range(12)})
    filled, page = [], guide.SiteRenderer.page

    def counting_page(renderer, this):
        filled.append(this.slug)
        return page(renderer, this)
    monkeypatch.setattr(guide.SiteRenderer, "page", counting_page)

    def start(views=None) -> guide.GuideApp:
        cache = guide.RenderCache(own_cache_folder)
        return guide.make_app(guide.load_guide(Path("pages"), cache=cache), views=views,
                              cache=cache)
    first = start()
    assert len(filled) == 12
    again = start()
    assert len(filled) == 12
    for url, resource in first.resources.items():
        assert again.resources[url].identity.body == resource.identity.body, url
        assert (again.resources[url].gzipped is None) == (resource.gzipped is None), url
        if resource.gzipped is not None:  # the cache keeps the compressed body alone
            assert again.resources[url].gzipped.body == resource.gzipped.body, url
            assert gzip.decompress(resource.gzipped.body) == resource.identity.body
    save("pages/p05.md", "title: Page Five\nsort-order: 5\n\nText 5.\n")
    start()  # the page, its neighbours, the pages whose navigation lists it
    assert sorted(filled[12:]) == ["p03", "p04", "p05", "p06"]
    views = Path(shutil.copytree(guide.VIEWS_DIR, "views"))
    (views / "page.tpl").write_text((views / "page.tpl").read_text() + "\n<!-- edited -->\n")
    start(guide.Views(views))
    assert len(filled) == 12 + 4 + 12  # a view changed: every answer is filled again


def test_an_answer_is_kept_once_as_its_compressed_body():
    body = b"<p>" + b"words " * 400 + b"</p>"
    gzip_body = guide.compress(body)
    entry = guide.answer_entry(body, gzip_body)
    assert len(entry) < len(body) // 5 and guide.split_answer(entry) == (None, gzip_body)
    assert guide.split_answer(guide.answer_entry(b"<p>x</p>", b"")) == (b"<p>x</p>", b"")
    assert guide.split_answer(b"?" + body) is None
    # The plain body is made from the compressed one when first sent, with
    # the length its headers said.
    resource = guide.make_resource(None, guide.HTML_TYPE, "no-cache", compressed=gzip_body,
                                   digest="0" * 64)
    assert resource.identity._body is None
    assert dict(resource.identity.headers)["Content-Length"] == str(len(body))
    assert resource.identity.body == body and resource.gzipped.body == gzip_body


class Mischief:
    """What a tampered cache entry could ask for: a call of anything."""
    def __reduce__(self):
        return (os.mkdir, ("made-by-an-entry",))


def test_a_cache_entry_holds_a_rendering_or_terms_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for decode in (guide.decode_rendered, guide.decode_terms):
        assert decode(pickle.dumps(Mischief())) is None
        assert decode(pickle.dumps([Mischief()])) is None
        assert decode(b"not a pickle") is None
    assert not Path("made-by-an-entry").exists()
    rendered = guide.render_markdown("## Setup\n\nText, [a link](b.md#x).\n")
    assert guide.decode_rendered(guide.encode_rendered(rendered)) == rendered
    terms = guide.term_counts("A title", "Setup", rendered.text, "en")
    assert guide.decode_terms(guide.encode_terms(terms)) == terms
    assert guide.decode_rendered(guide.encode_terms(terms)) is None  # not a rendering
    assert guide.decode_rendered(guide.encode_rendered(dataclasses.replace(rendered, toc=5))) \
        is None  # nor one whose fields are not what they are
    assert guide.decode_terms(guide.encode_rendered(rendered)) is None


def cache_file(folder: Path) -> Path:
    return folder / guide.CACHE_FILE


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_broken_cache_file_is_ignored_then_replaced(make_pages, own_cache_folder,
                                                      count_renders, capsys, damage):
    pages = make_pages(THREE_PAGES)
    expected = page_bodies(cached_load(pages, own_cache_folder))
    path = cache_file(own_cache_folder)
    data = path.read_bytes()
    path.write_bytes({"garbage": b"not a database at all " * 500,
                      "truncated": data[:len(data) // 3], "empty": b""}[damage])
    assert page_bodies(cached_load(pages, own_cache_folder)) == expected
    assert len(count_renders) == 6
    if damage != "empty":  # SQLite takes an empty file for a new database
        assert "cache ignored" in capsys.readouterr().err
    assert page_bodies(cached_load(pages, own_cache_folder)) == expected
    assert len(count_renders) == 6  # the next run trusts the new cache


def test_an_entry_that_does_not_match_its_digest_is_not_believed(make_pages, own_cache_folder,
                                                                 count_renders):
    pages = make_pages(THREE_PAGES)
    expected = page_bodies(cached_load(pages, own_cache_folder))
    with sqlite3.connect(cache_file(own_cache_folder)) as connection:
        for key, value in connection.execute("SELECT key, value FROM entries "
                                             "WHERE kind = 'rendered'").fetchall():
            if b"Servers serve" in value:
                connection.execute("UPDATE entries SET value = ? WHERE kind = 'rendered' AND "
                                   "key = ?", (value.replace(b"Servers", b"Hackers"), key))
    connection.close()
    assert page_bodies(cached_load(pages, own_cache_folder)) == expected
    assert count_renders[3:] == ["Servers serve."]  # only the altered entry is made again


def test_a_locked_cache_is_waited_for_once_then_left_alone(make_pages, own_cache_folder,
                                                         count_renders, monkeypatch, capsys):
    pages = make_pages(THREE_PAGES)
    expected = page_bodies(cached_load(pages, own_cache_folder))
    monkeypatch.setattr(guide, "CACHE_LOCK_WAIT", 0.1)
    holder = sqlite3.connect(cache_file(own_cache_folder), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing, and writing...
    try:
        cache = guide.RenderCache(own_cache_folder)
        assert page_bodies(guide.make_app(guide.load_guide(pages, cache=cache),
                                          cache=cache).site.guide) == expected
    finally:
        holder.rollback()
        holder.close()
    assert capsys.readouterr().err.count("cache ignored (database is locked)") == 1


def test_a_cache_folder_anyone_may_write_to_is_not_used(make_pages, tmp_path, count_renders,
                                                        capsys):
    pages = make_pages(THREE_PAGES)
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    cached_load(pages, shared)
    cached_load(pages, shared)
    assert len(count_renders) == 6 and not cache_file(shared).exists()
    assert "shared: cache ignored (anyone may write to that folder)" in capsys.readouterr().err


def test_a_page_that_cannot_be_read_is_a_problem_not_a_traceback(make_pages):
    pages = make_pages({"a.md": "title: A\n\nx\n"})
    source, problems = guide.read_page_source(pages, pages / "gone.md")
    assert source is None
    assert list(map(str, problems)) == [
        "pages/gone.md: cannot read the file: No such file or directory"]


def test_two_processes_can_fill_and_use_one_cache_at_once(make_pages, own_cache_folder):
    make_pages({f"page-{number}.md": f"title: Page {number}\nsort-order: {number}\n\n"
                                     f"## Part {number}\n\nText {number}.\n"
                for number in range(60)})
    command = [sys.executable, str(HERE / "guide.py"), "check", "--pages", "pages"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs[0] == outputs[1] == ("60 pages, 0 links, 0 broken, 0 warnings\n", "")
    with sqlite3.connect(cache_file(own_cache_folder)) as connection:
        kinds = dict(connection.execute("SELECT kind, count(*) FROM entries GROUP BY kind"))
    connection.close()
    assert kinds["rendered"] == 60
    assert "terms" not in kinds  # check searches nothing: no search terms are counted


def test_no_cache_keeps_nothing(make_pages, own_cache_folder, capsys):
    make_pages(THREE_PAGES)
    assert guide.main(["check", "--pages", "pages", "--no-cache"]) == 0
    assert not cache_file(own_cache_folder).exists()
    assert guide.main(["check", "--pages", "pages", "--cache", "elsewhere"]) == 0
    assert cache_file(Path("elsewhere")).is_file()


@pytest.mark.parametrize("arguments, message", [
    (["check", "--pages", "pages", "--cache", "pages/.cache"],
     "pages/.cache: the cache folder may not be inside the pages folder; choose another "
     "with --cache"),
    (["build", "site", "--pages", "pages", "--cache", "site/cache"],
     "site/cache: the cache folder may not be inside the output folder; choose another "
     "with --cache"),
    (["check", "--pages", "pages", "--cache", str(guide.STATIC_DIR / "cache")],
     "{static}/cache: the cache folder may not be inside the static folder; choose another "
     "with --cache"),
], ids=["in-pages", "in-export", "in-static"])
def test_the_cache_never_lives_in_the_pages_or_the_export(make_pages, capsys, arguments,
                                                          message):
    make_pages(THREE_PAGES)
    assert guide.main(arguments) == 2
    assert capsys.readouterr().err == message.format(static=guide.STATIC_DIR) + "\n"
    assert not Path("pages/.cache").exists() and not Path("site").exists()


###############################################################################
# The guide ###################################################################
###############################################################################

def test_neighbours_follow_guide_order(small_guide):
    intro, servers, frameworks = small_guide.pages
    assert small_guide.neighbours(intro) == (None, servers)
    assert small_guide.neighbours(servers) == (intro, frameworks)
    assert small_guide.neighbours(frameworks) == (servers, None)


def test_navigation_is_bounded_for_large_guides(make_pages, monkeypatch):
    monkeypatch.setattr(guide, "NAV_LIMIT", 4)
    pages = make_pages({f"p{n}.md": f"title: P{n}\nsort-order: {n}\n\nx\n" for n in range(10)})
    site = guide.load_guide(pages)

    def listed(slug: str) -> list[str]:
        return [entry.label for entry in site.nav(site.by_slug[slug])]
    # Windows of four move by two, with the page never at their edge but
    # at the list's ends, so that pages share their navigation.
    assert listed("p0") == listed("p1") == listed("p2") == ["P0", "P1", "P2", "P3", "6 later pages"]
    assert listed("p3") == listed("p4") == ["2 earlier pages", "P2", "P3", "P4", "P5",
                                            "4 later pages"]
    assert listed("p9") == ["6 earlier pages", "P6", "P7", "P8", "P9"]
    assert site.nav(site.by_slug["p3"]) is site.nav(site.by_slug["p4"])


###############################################################################
# Chapters ####################################################################
###############################################################################

# A guide shaped like a real one, of about a thousand pages: seven numbered
# chapter folders, each with its own page (_index.md or index.md) giving
# its title, description and `weight:`; sections inside the fourth one (two
# with their own page, one without); `---` YAML front matter with quoted
# titles and `sortorder: 0400`-style orders; and in the places of three
# generated pages of the fourth chapter, Flask, a page with a shorter
# `sidebar_label:` and one kept out of the navigation (`nav_exclude:`).
BOOK_TITLE = "Full Stack Guide"
BOOK_CHAPTERS = [  # (folder, title, its own page's file name, pages in it)
    ("01-introduction", "Introduction", "_index.md", 120),
    ("02-development-environments", "Development Environments", "index.md", 130),
    ("03-data", "Data", "_index.md", 140),
    ("04-web-development", "Web Development", "_index.md", 100),
    ("05-web-app-deployment", "Web App Deployment", "index.md", 150),
    ("06-devops", "DevOps", "_index.md", 150),
    ("07-meta", "Meta", "index.md", 100),
]
BOOK_SECTIONS = [  # in 04-web-development: (folder, title, its own page or None, pages in it)
    ("0455-frameworks", "Web Frameworks", "_index.md", 40),
    ("0465-template-engines", "Template Engines", "index.md", 30),
    ("0475-some-folder", "Some folder", None, 20),  # its title comes from its name
]
BOOK_SPECIAL = {  # in 04-web-development, instead of generated page number...
    3: ("03-flask.markdown", 'title: "Flask: a micro-framework"\nsortorder: 0030'),
    5: ("05-wsgi.md", 'title: "Web Server Gateway Interface (WSGI)"\nsidebar_label: WSGI\n'
                      "sortorder: 0050"),
    7: ("07-cgi-notes.md", 'title: "Old notes on CGI"\nsortorder: 0070\nnav_exclude: true'),
}
EXCLUDED = "04-web-development/07-cgi-notes.md"


def book_file(chapter: int, number: int) -> str:
    """Return the file name of page number of chapter (from 1) in the book."""
    special = BOOK_SPECIAL.get(number) if chapter == 4 else None
    return special[0] if special else f"{number:03}-topic-{chapter}-{number}.md"


def write_book(folder: Path) -> None:
    """Write the book described above into folder."""
    def write(name: str, front_matter: str, body: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front_matter}\n---\n\n{body}\n", encoding="utf-8")
    write("index.md", f'title: "{BOOK_TITLE}"\ndescription: "From an idea to a running site."',
          "Welcome to the guide.")
    for chapter, (name, title, own, count) in enumerate(BOOK_CHAPTERS, 1):
        write(f"{name}/{own}", f'title: "{title}"\ndescription: "Chapter {chapter}: all about '
              f'{title.lower()}."\nweight: {chapter * 10}', f"Chapter {chapter} starts here.")
        for number in range(1, count + 1):
            special = BOOK_SPECIAL.get(number) if chapter == 4 else None
            write(f"{name}/{book_file(chapter, number)}",
                  special[1] if special else
                  f'title: "Topic {chapter}-{number}: one idea"\nsortorder: {number * 10:04}\n'
                  f'description: "What topic {chapter}-{number} is."',
                  f"Topic {chapter}-{number} explains one idea.\n\n## Configuration\n\n"
                  "Set it up once.")
    for section, (name, title, own, count) in enumerate(BOOK_SECTIONS):
        if own:
            write(f"04-web-development/{name}/{own}",
                  f'title: "{title}"\ndescription: "{title}, side by side."\n'
                  f"weight: {name[:4]}", f"The section on {title.lower()}.")
        for number in range(1, count + 1):  # ordered by the number of their names
            write(f"04-web-development/{name}/{number:02}-item-{section}-{number}.md",
                  f'title: "{title} item {number}"', f"Item {number} of {title.lower()}.")


def book_order() -> list[str]:
    """Return the files of the book in the order a reader meets them, as
    the plan above says (the test's own reckoning, not guide.py's)."""
    order = []
    for chapter, (name, _title, own, count) in enumerate(BOOK_CHAPTERS, 1):
        entries = [(number * 10, [f"{name}/{book_file(chapter, number)}"])
                   for number in range(1, count + 1)
                   if f"{name}/{book_file(chapter, number)}" != EXCLUDED]
        if chapter == 4:
            entries += [(int(folder[:4]), [*([f"{name}/{folder}/{page}"] if page else []),
                                           *(f"{name}/{folder}/{number:02}-item-{section}-"
                                             f"{number}.md" for number in range(1, pages + 1))])
                        for section, (folder, _title, page, pages) in enumerate(BOOK_SECTIONS)]
        order.append(f"{name}/{own}")
        for _order, files in sorted(entries):
            order.extend(files)
    return order


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The book above, written, loaded and made into an app once for the
    tests of this section: (pages folder, Guide, app)."""
    folder = tmp_path_factory.mktemp("book") / "pages"
    write_book(folder)
    site = guide.load_guide(folder)
    return folder, site, guide.make_app(site)


@pytest.fixture(scope="module")
def book_pages(book):
    """{URL: HTML} of every page of the book, as the app answers it."""
    _folder, site, app = book
    client = webtest.TestApp(app)
    return {page.url: client.get(page.url).text for page in site.all_pages}


NAV_LINK = re.compile(r'<a (class="nav-chapter" )?href="([^"]*)"( aria-current="page")?>'
                      r'<span class="nav-number">([^<]*)</span> ([^<]*)</a>')
CONTENTS_LINK = re.compile(r'<span class="title-number">([^<]*)</span> '
                           r'<a (class="contents-chapter-title" )?href="([^"]*)">([^<]*)</a>')
TITLE = re.compile(r'<h1>(?:<span class="title-number">([^<]*)</span> )?([^<]*)</h1>')
PAGER = re.compile(r'<(?:link|a class="pager-(?:prev|next)") rel="(prev|next)" href="([^"]*)"')
ALL_SECTION = re.compile(r'<section class="all-section" id="([^"]*)"[^>]*>\s*<h2[^>]*>\s*'
                         r'(?:<span class="title-number">([^<]*)</span>)?\s*([^<]*?)\s*</h2>')


def guide_nav(text: str) -> str:
    """Return the guide's navigation in a page's HTML."""
    start = text.index('<nav id="guide-nav"')
    return text[start:text.index("</nav>", start)]


def test_a_guide_in_chapter_folders_is_read_chapter_by_chapter(book):
    _folder, site, _app = book
    assert [page.source for page in site.book] == book_order()
    assert len(site.book) == 988 and len(site.all_pages) == 989  # and the nav_excluded page
    assert [(chapter.number, chapter.title, chapter.url, chapter.description)
            for chapter in site.contents.entries] == [
        (str(number), title, "/" + name[3:] + "/", f"Chapter {number}: all about {title.lower()}.")
        for number, (name, title, _own, _count) in enumerate(BOOK_CHAPTERS, 1)]
    sections = [entry for entry in site.chapters["04-web-development"].entries
                if isinstance(entry, guide.Chapter)]
    assert [(section.number, section.title, section.url) for section in sections] == [
        ("4.45", "Web Frameworks", "/web-development/frameworks/"),
        ("4.47", "Template Engines", "/web-development/template-engines/"),
        ("4.49", "Some folder", "/web-development/some-folder/item-2-1.html")]
    flask = site.by_source["04-web-development/03-flask.markdown"]
    assert (flask.url, flask.title, site.numbers[flask.slug]) == (
        "/web-development/flask.html", "Flask: a micro-framework", "4.3")
    assert site.numbers["web-development"] == "4"  # the chapter's own page
    assert site.numbers["web-development/frameworks/item-0-3"] == "4.45.3"
    assert site.numbers["web-development/topic-4-8"] == "4.7"  # after the nav_excluded page
    assert site.numbers["meta/topic-7-100"] == "7.100"
    excluded = site.by_source[EXCLUDED]
    assert not excluded.in_nav and excluded.slug not in site.numbers
    assert excluded in site.pages and excluded not in site.book
    assert site.trail(site.by_slug["web-development/frameworks/item-0-3"]) == (
        site.chapters["04-web-development"], sections[0])
    assert site.trail(site.by_slug["web-development"]) == ()


def test_chapter_numbers_agree_in_navigation_contents_titles_and_whole_text(book, book_pages):
    _folder, site, app = book
    client = webtest.TestApp(app)
    chapter_links, page_links = {}, {}
    for number, chapter, url, _title in CONTENTS_LINK.findall(client.get("/").text):
        (chapter_links if chapter else page_links)[url] = number
    assert len(chapter_links) == 7 + 3 and len(page_links) == 988 - 7 - 2
    for page in site.book:
        number, text = site.numbers[page.slug], book_pages[page.url]
        assert TITLE.search(text).groups() == (number, html.escape(page.title)), page.url
        nav = {url: (chapter, current, shown, label)
               for chapter, url, current, shown, label in NAV_LINK.findall(guide_nav(text))}
        assert nav[page.url][1:3] == (' aria-current="page"', number), page.url
        assert text.count("aria-current") == 1, page.url
        listed = chapter_links if page.folder_page else page_links
        assert listed[page.url] == number, page.url
    # The whole text, if the guide has one at this size: on /all.html, or
    # in parts it links to.
    answer = client.get("/all.html", expect_errors=True)
    assert answer.status_int == 200 if site.one_page else answer.status_int in (200, 404)
    whole = answer.text if answer.status_int == 200 else ""
    texts = [whole, *(client.get(url).text
                      for url in re.findall(r'<a href="(/all/[^"#]+\.html)">', whole))]
    sections = ALL_SECTION.findall("".join(texts))
    if site.one_page or len(texts) > 1:
        assert {slug for slug, _number, _title in sections} >= {page.slug for page in site.book}
    for slug, number, title in sections:
        assert (number, title) == (site.numbers.get(slug, ""),
                                   html.escape(site.by_slug[slug].title)), slug


def test_previous_and_next_walk_the_whole_book_across_chapters(book, book_pages):
    _folder, site, _app = book
    for index, page in enumerate(site.book):
        expected = [*((rel, site.book[index + step].url)
                      for rel, step in (("prev", -1), ("next", 1))
                      if 0 <= index + step < len(site.book))]
        assert PAGER.findall(book_pages[page.url]) == expected * 2, page.url  # <link>s, pager
    crossings = {  # the last page of chapter 3 leads to chapter 4's own page, and so on
        "/data/topic-3-140.html": ("/data/topic-3-139.html", "/web-development/"),
        "/web-development/": ("/data/topic-3-140.html", "/web-development/topic-4-1.html"),
        "/web-development/topic-4-6.html": ("/web-development/wsgi.html",
                                            "/web-development/topic-4-8.html"),
        "/web-development/topic-4-45.html": ("/web-development/topic-4-44.html",
                                             "/web-development/frameworks/"),
        "/web-development/some-folder/item-2-20.html": (
            "/web-development/some-folder/item-2-19.html", "/web-development/topic-4-48.html"),
        "/web-development/topic-4-100.html": ("/web-development/topic-4-99.html",
                                              "/web-app-deployment/")}
    for url, (previous, following) in crossings.items():
        document = parse_html(book_pages[url])
        pager = document.find(".//nav[@class='pager']")
        assert [(link.get("rel"), link.get("href")) for link in pager.findall("a")] == [
            ("prev", previous), ("next", following)], url


def test_a_page_kept_out_of_the_navigation_is_served_searched_and_not_numbered(book, book_pages):
    _folder, site, app = book
    client = webtest.TestApp(app)
    url = "/web-development/cgi-notes.html"
    response = client.get(url)
    assert response.status_int == 200
    assert TITLE.search(response.text).groups() == (None, "Old notes on CGI")
    assert PAGER.findall(response.text) == []
    assert "aria-current" not in response.text
    for text in [response.text, book_pages["/web-development/topic-4-6.html"],
                 client.get("/").text]:
        assert f'href="{url}"' not in text
    assert "Old notes on CGI" not in client.get("/").text
    assert [result["url"] for result in client.get("/search.json", {"q": "CGI"}).json["results"]
            ] == [url]
    assert f"{url}</loc>" in client.get("/sitemap.xml").text


def test_a_short_navigation_title_is_used_in_the_navigation_and_the_full_one_elsewhere(
        book, book_pages):
    _folder, site, app = book
    url, title = "/web-development/wsgi.html", "Web Server Gateway Interface (WSGI)"
    for page_url in [url, "/web-development/topic-4-6.html", "/web-development/",
                     "/web-development/frameworks/item-0-1.html"]:
        nav = {link_url: (shown, label) for _chapter, link_url, _current, shown, label
               in NAV_LINK.findall(guide_nav(book_pages[page_url]))}
        assert nav[url] == ("4.5", "WSGI"), page_url
    document = parse_html(book_pages[url])
    assert document.find(".//title").text == f"{title} · {BOOK_TITLE}"
    assert TITLE.search(book_pages[url]).groups() == ("4.5", title)
    assert document.findall(".//nav[@class='breadcrumbs']//span[@itemprop='name']")[-1].text \
        == title
    assert f">{title}</a>" in webtest.TestApp(app).get("/").text  # the contents
    following = parse_html(book_pages["/web-development/topic-4-6.html"])
    assert following.find(".//a[@rel='prev']/span").tail.strip() == title  # the pager


def test_what_surrounds_a_pages_body_stays_small_in_a_large_guide(book, book_pages):
    limit, sizes = 40_000, {}
    for url, text in book_pages.items():
        opening = text.index('<article class="page">') + len('<article class="page">')
        body = text[opening:text.index("</article>", opening)]
        sizes[url] = len(text.encode()) - len(body.encode())
    largest = max(sizes, key=sizes.get)
    print(f"\nlargest page around its body: {sizes[largest]} bytes, at {largest}")
    assert sizes[largest] < limit, largest


def test_the_navigation_opens_the_section_of_the_page_and_marks_the_page_once(book, book_pages):
    _folder, site, _app = book
    url = "/web-development/frameworks/item-0-3.html"
    document = parse_html(book_pages[url])
    nav = document.find(".//nav[@id='guide-nav']")
    chapters = nav.findall("./details/ol/li")
    assert [item.get("class") for item in chapters] == ["nav-chapter-item"] * 3 + [
        "nav-chapter-item nav-open"] + ["nav-chapter-item"] * 3
    for number, item in enumerate(chapters, 1):
        link = item.find("a")
        assert (link.get("class"), link.get("href"), "".join(link.itertext())) == (
            "nav-chapter", site.contents.entries[number - 1].url,
            f"{number} {BOOK_CHAPTERS[number - 1][1]}")
        if number != 4:  # other chapters: one link, none of their pages
            assert item.findall(".//a") == [link], number
    web_development = chapters[3].find("ol")
    assert len(web_development.findall("./li")) == 102  # 99 pages and 3 sections
    sections = web_development.findall("./li[@class='nav-section']/details")
    assert [("".join(section.find("summary").itertext()), section.get("open"))
            for section in sections] == [("4.45 Web Frameworks", ""),
                                         ("4.47 Template Engines", None),
                                         ("4.49 Some folder", None)]
    # Closed sections still hold their links, for a click on their summary.
    assert [len(section.findall("./ol/li/a")) for section in sections] == [41, 31, 20]
    assert sections[1].find("./ol/li/a").get("href") == "/web-development/template-engines/"
    current = nav.findall(".//a[@aria-current]")
    assert [(link.get("aria-current"), link.get("href")) for link in current] == [("page", url)]
    assert len(document.findall(".//*[@aria-current]")) == 1
    # Breadcrumbs: the guide, the chapter, the section, the page, in order.
    crumbs = document.findall(".//nav[@class='breadcrumbs']/ol/li")
    assert document.find(".//nav[@class='breadcrumbs']/ol").get("itemtype") == \
        "https://schema.org/BreadcrumbList"
    assert [(crumb.get("itemtype"), crumb.find("meta[@itemprop='position']").get("content"),
             crumb.find(".//*[@itemprop='name']").text,
             next((link.get("href") for link in crumb.findall("a[@itemprop='item']")), None))
            for crumb in crumbs] == [
        ("https://schema.org/ListItem", "1", BOOK_TITLE, "/"),
        ("https://schema.org/ListItem", "2", "Web Development", "/web-development/"),
        ("https://schema.org/ListItem", "3", "Web Frameworks", "/web-development/frameworks/"),
        ("https://schema.org/ListItem", "4", "Web Frameworks item 3", None)]
    # A section's own page ends the trail of the chapters around it; a top
    # chapter's own page has none, and is marked as the chapter's link.
    own = parse_html(book_pages["/web-development/frameworks/"])
    assert [crumb.find(".//*[@itemprop='name']").text
            for crumb in own.findall(".//nav[@class='breadcrumbs']/ol/li")] == [
        BOOK_TITLE, "Web Development", "Web Frameworks"]
    top = parse_html(book_pages["/web-development/"])
    assert top.find(".//nav[@class='breadcrumbs']") is None
    assert [(link.get("class"), link.get("href"))
            for link in top.findall(".//nav[@id='guide-nav']//a[@aria-current='page']")] == [
        ("nav-chapter", "/web-development/")]
    # A folder without its own page is a crumb leading to its first page.
    loose = parse_html(book_pages["/web-development/some-folder/item-2-5.html"])
    assert [(crumb.find(".//*[@itemprop='name']").text, next(
             (link.get("href") for link in crumb.findall("a")), None))
            for crumb in loose.findall(".//nav[@class='breadcrumbs']/ol/li")][1:] == [
        ("Web Development", "/web-development/"),
        ("Some folder", "/web-development/some-folder/item-2-1.html"),
        ("Some folder item 5", None)]


def test_the_index_is_a_table_of_contents_by_chapter(book):
    _folder, site, app = book
    document = parse_html(webtest.TestApp(app).get("/").text)
    top = document.find(".//main/ol[@class='contents']")
    chapters = top.findall("./li")
    assert [item.get("id") for item in chapters] == [
        "chapter-" + name[3:] for name, *_rest in BOOK_CHAPTERS]
    for number, (item, (name, title, _own, count)) in enumerate(zip(chapters, BOOK_CHAPTERS), 1):
        assert item.get("class") == "contents-chapter-item"
        assert (item.find("span").text, item.find("a").text, item.find("a").get("href")) == (
            str(number), title, f"/{name[3:]}/")
        assert item.find("p").text == f"Chapter {number}: all about {title.lower()}."
        pages = item.find("ol").findall("./li/a")
        assert len(pages) == (count if number != 4 else 99 + 3)
        assert pages[0].get("href") == f"/{name[3:]}/topic-{number}-1.html"
    web_development = chapters[3].find("ol")
    sections = web_development.findall("./li[@class='contents-chapter-item']")
    assert [(section.get("id"), section.find("span").text, section.find("a").text,
             section.find("p").text if section.find("p") is not None else None,
             len(section.findall("./ol/li/a"))) for section in sections] == [
        ("chapter-web-development-frameworks", "4.45", "Web Frameworks",
         "Web Frameworks, side by side.", 40),
        ("chapter-web-development-template-engines", "4.47", "Template Engines",
         "Template Engines, side by side.", 30),
        ("chapter-web-development-some-folder", "4.49", "Some folder", None, 20)]
    assert [link.get("href") for link in sections[0].findall("./ol/li/a")][:2] == [
        "/web-development/frameworks/item-0-1.html", "/web-development/frameworks/item-0-2.html"]
    assert document.find(".//h1").text == BOOK_TITLE
    assert document.find(".//*[@aria-current]") is None


def test_a_guide_without_folders_keeps_its_addresses_and_has_no_chapters(make_pages):
    site = guide.load_guide(make_pages(THREE_PAGES))
    assert (site.chapters, site.numbers) == ({}, {"intro": "1", "servers": "2",
                                                  "frameworks": "3"})
    client = webtest.TestApp(guide.make_app(site))
    assert [page.url for page in site.book] == ["/intro.html", "/servers.html",
                                                "/frameworks.html"]
    for page in site.book:
        text = client.get(page.url).text
        document = parse_html(text)
        assert document.find(".//nav[@class='breadcrumbs']") is None
        assert "BreadcrumbList" not in text and "title-number" not in text
        assert document.find(".//main//h1").text == page.title
        assert list(document.find(".//main//h1")) == []  # no number inside
        nav = document.find(".//nav[@id='guide-nav']")
        assert nav.findall(".//details") == [nav.find("details")]  # the toggle, no sections
        assert [link.get("href") for link in nav.findall(".//a")] == [
            "/intro.html", "/servers.html", "/frameworks.html"]
    assert client.get("/servers", status=301).headers["Location"] == "/servers.html"
    assert guide.main(["build", "site", "--pages", "pages"]) == 0
    assert sorted(path.name for path in Path("site").glob("*.html")) == [
        "404.html", "all.html", "frameworks.html", "index.html", "intro.html", "search.html",
        "servers.html"]
    assert not any(path.is_dir() for path in Path("site").iterdir()
                   if path.name not in ("static", "blog", "search"))  # search: its index


def test_other_forms_of_addresses_in_chapters_lead_on_over_http(book, tmp_path):
    folder, _site, _app = book
    process, base = start_cli_server(tmp_path, "--pages", str(folder))
    try:
        for path, location in [
                ("/web-development/flask", "/web-development/flask.html"),
                ("/web-development/flask/", "/web-development/flask.html"),
                ("/web-development", "/web-development/"),
                ("/web-development/index.html", "/web-development/"),
                ("/web-development/frameworks", "/web-development/frameworks/"),
                ("/flask.html", "/web-development/flask.html"),  # its name before folders
                # A folder without its own page leads to its first page.
                ("/web-development/some-folder/", "/web-development/some-folder/item-2-1.html"),
                ("/web-development/some-folder", "/web-development/some-folder/item-2-1.html")]:
            request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            status, headers, _body = raw_request(base, request.encode())
            assert (status, headers.get("location")) == (301, location), path
            status, text = fetch(base + location)
            assert status == 200 and "<h1>" in text, location
        status, text = fetch(base + "/web-development/")
        assert TITLE.search(text).groups() == ("4", "Web Development")
        assert fetch(base + "/web-development/_index.html")[0] == 404
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        process.stderr.close()


def test_check_passes_and_build_writes_chapters_and_folder_stubs(book, tmp_path, capsys):
    folder, site, _app = book
    assert guide.main(["check", "--pages", str(folder)]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(r"990 pages, 0 links, 0 broken, \d+ warnings?", summary), summary
    out = tmp_path / "site"
    assert guide.main(["build", str(out), "--pages", str(folder)]) == 0
    chapter = (out / "web-development" / "index.html").read_text()
    assert TITLE.search(chapter).groups() == ("4", "Web Development")
    assert TITLE.search((out / "web-development/frameworks/index.html").read_text()).groups() == (
        "4.45", "Web Frameworks")
    assert TITLE.search((out / "web-development/flask.html").read_text()).groups() == (
        "4.3", "Flask: a micro-framework")
    stub = parse_html((out / "web-development/some-folder/index.html").read_text())
    assert stub.find(".//meta[@http-equiv='refresh']").get("content") == \
        "0; url=/web-development/some-folder/item-2-1.html"
    assert stub.find(".//link[@rel='canonical']").get("href") == \
        "/web-development/some-folder/item-2-1.html"
    missing = [page.url for page in site.all_pages if not (
        out / (page.url.lstrip("/") + ("index.html" if page.url.endswith("/") else ""))).exists()]
    assert missing == []


def test_a_chapters_order_is_compared_with_its_neighbours_not_its_own_pages(make_pages, capsys):
    make_pages({  # Hugo's way: a chapter's weight among chapters, its pages' among its pages
        "one/_index.md": "---\ntitle: One\nweight: 10\n---\n\nx\n",
        "one/a.md": "---\ntitle: A\nweight: 10\n---\n\nx\n",
        "one/b.md": "---\ntitle: B\nweight: 20\n---\n\nx\n",
        "two/_index.md": "---\ntitle: Two\nweight: 20\n---\n\nx\n",
        "two/c.md": "---\ntitle: C\nweight: 10\n---\n\nx\n",
        "three.md": "---\ntitle: Three\nweight: 20\n---\n\nx\n",  # beside chapter two
    })
    assert guide.main(["check", "--pages", "pages"]) == 0
    shared = [line for line in capsys.readouterr().out.splitlines() if "sort-order" in line]
    assert len(shared) == 1 and {"pages/two/_index.md", "pages/three.md"} <= set(
        re.findall(r"pages/[\w/.]+\.md", shared[0])), shared


def test_a_chapters_own_page_kept_out_of_the_navigation_is_still_served(make_pages):
    site = guide.load_guide(make_pages({
        "docs/index.md": "title: Docs\nnav_exclude: true\n\nWhat the docs hold.\n",
        "docs/a.md": "title: A\n\nx\n",
        "b.md": "title: B\n\nx\n"}))
    client = webtest.TestApp(guide.make_app(site))
    assert client.get("/docs/").status_int == 200
    assert [page.url for page in site.book] == ["/b.html", "/docs/a.html"]
    assert "docs" not in site.numbers  # out of the numbering, as any page out of the navigation
    assert [result["url"] for result in client.get("/search.json", {"q": "docs hold"}
                                                   ).json["results"]] == ["/docs/"]
    assert "<loc>/docs/</loc>" in client.get("/sitemap.xml").text


def test_a_closed_section_of_the_navigation_opens_on_a_click_without_javascript(browser, book):
    _folder, _site, app = book
    context = browser.new_context(java_script_enabled=False)
    tab, problems = context.new_page(), []
    tab.on("console", lambda message: message.type == "error" and problems.append(message.text))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    try:
        for base in run_server(app):
            tab.goto(base + "/web-development/frameworks/item-0-3.html")
            sections = tab.locator("#guide-nav li.nav-section > details")
            assert sections.count() == 3
            frameworks, engines = sections.nth(0), sections.nth(1)
            assert tab.locator("#guide-nav a[aria-current=page]").is_visible()
            assert frameworks.get_attribute("open") == ""
            assert engines.get_attribute("open") is None
            first = engines.locator("a[href='/web-development/template-engines/item-1-1.html']")
            assert not first.is_visible()
            engines.locator("summary").click()
            assert engines.get_attribute("open") == ""
            assert first.is_visible()
            assert engines.locator("a").count() == 31
            first.click()
            tab.wait_for_url("**/web-development/template-engines/item-1-1.html")
            assert tab.inner_text("main h1") == "4.47.1 Template Engines item 1"
            assert (sections.nth(0).get_attribute("open"), sections.nth(1).get_attribute("open")) \
                == (None, "")
    finally:
        context.close()
    assert problems == []


###############################################################################
# Serving pages ###############################################################
###############################################################################

def test_index_lists_every_page_in_order_with_descriptions(client):
    response = client.get("/")
    assert response.status_int == 200
    assert response.content_type == "text/html"
    document = parse_html(response.text)
    entries = document.findall(".//ol[@class='contents']/li")
    assert [(entry.find("span").text, entry.find("a").text) for entry in entries] == [
        ("1", "Introduction"), ("2", "Servers"), ("3", "Frameworks")]
    assert [entry.find("a").get("href") for entry in entries] == [
        "/intro.html", "/servers.html", "/frameworks.html"]
    assert entries[0].find("p").text == "Where to start."
    assert entries[1].find("p") is None


def test_page_has_title_body_toc_pager_and_marked_navigation(client):
    document = parse_html(client.get("/servers.html").text)
    assert document.find(".//title").text == "Servers · Guide"
    assert document.find(".//main//h1").text == "Servers"
    assert document.find(".//main//article/p").text == "Servers serve."
    current = document.findall(".//nav[@aria-label='Guide']//a[@aria-current='page']")
    assert [link.get("href") for link in current] == ["/servers.html"]
    pager = document.find(".//nav[@class='pager']")
    assert [(link.get("rel"), link.get("href")) for link in pager.findall("a")] == [
        ("prev", "/intro.html"), ("next", "/frameworks.html")]
    head_links = {link.get("rel"): link.get("href") for link in document.findall(".//head/link")}
    assert (head_links["prev"], head_links["next"]) == ("/intro.html", "/frameworks.html")


def test_page_lists_its_own_table_of_contents(client):
    document = parse_html(client.get("/intro.html").text)
    toc = document.find(".//nav[@class='page-toc']")
    assert [link.get("href") for link in toc.findall(".//a")] == ["#first-steps"]
    assert document.find(".//h2[@id='first-steps']") is not None


def test_first_and_last_pages_have_one_pager_link(client):
    first = parse_html(client.get("/intro.html").text).findall(".//nav[@class='pager']/a")
    last = parse_html(client.get("/frameworks.html").text).findall(".//nav[@class='pager']/a")
    assert [link.get("rel") for link in first] == ["next"]
    assert [link.get("rel") for link in last] == ["prev"]


@pytest.mark.parametrize("path", ["/servers", "/servers/"])
def test_slug_without_html_redirects_permanently(client, path):
    response = client.get(path)
    assert response.status_int == 301
    assert response.headers["Location"] == "/servers.html"


def test_unknown_url_is_a_404_page_that_suggests_close_titles(client):
    response = client.get("/server.html", status=404)
    assert response.content_type == "text/html"
    document = parse_html(response.text)
    assert document.find(".//main/h1").text == "Page not found"
    suggestions = [link.get("href") for link in document.findall(".//ul[@class='suggestions']//a")]
    assert suggestions[0] == "/servers.html"
    assert document.find(".//nav[@aria-label='Guide']") is not None


def test_404_page_escapes_the_requested_path(client):
    response = client.get("/<script>alert(1)</script>", status=404)
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_static_files_are_served(client):
    css = client.get("/static/guide.css")
    assert css.content_type == "text/css"
    assert css.body == (guide.STATIC_DIR / "guide.css").read_bytes()
    client.get("/static/missing.css", status=404)


def test_every_page_is_well_formed_html5(client, small_guide):
    for url in ["/", *(page.url for page in small_guide.pages)]:
        parse_html(client.get(url).text)


def test_live_server_answers_pages_over_http_front_to_back(live_server):
    url, seen = live_server + "/intro.html", []
    while url:
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
            document = parse_html(response.read().decode("utf-8"))
        seen.append(document.find(".//main//h1").text)
        following = document.find(".//nav[@class='pager']/a[@rel='next']")
        url = live_server + following.get("href") if following is not None else None
    assert seen == ["Introduction", "Servers", "Frameworks"]


###############################################################################
# HTTP ########################################################################
###############################################################################

def test_page_answer_carries_validators_and_length(client, small_guide):
    response = client.get("/intro.html")
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["ETag"])
    assert response.headers["Content-Length"] == str(len(response.body))
    assert response.headers["Cache-Control"] == "public, max-age=300"


@pytest.fixture
def dated_client(make_pages):
    """A client of THREE_PAGES where the introduction says when it changed."""
    return webtest.TestApp(guide.make_app(guide.load_guide(make_pages({
        **THREE_PAGES, "intro.md": THREE_PAGES["intro.md"].replace(
            "sort-order: 1", "sort-order: 1\n        modified: 2026-02-03 10:30")}))))


def test_last_modified_is_the_date_the_page_shows_and_never_its_file_s(dated_client):
    said = "Tue, 03 Feb 2026 10:30:00 GMT"
    page = dated_client.get("/intro.html")
    assert page.headers["Last-Modified"] == said
    assert '<time datetime="2026-02-03T10:30:00+00:00">' in page.text
    assert "Last-Modified" not in dated_client.get("/servers.html").headers  # no date known
    for url in ["/", "/sitemap.xml", "/feed.atom", "/all.html"]:  # as new as the newest page
        assert dated_client.get(url).headers["Last-Modified"] == said, url
    assert "<lastmod>2026-02-03</lastmod>" in dated_client.get("/sitemap.xml").text
    feed = ElementTree.fromstring(dated_client.get("/feed.atom").body)
    assert feed.findtext(f"{ATOM}updated") == "2026-02-03T10:30:00+00:00"
    entry = next(entry for entry in feed.iter(f"{ATOM}entry")
                 if entry.findtext(f"{ATOM}title") == "Introduction")
    assert entry.findtext(f"{ATOM}updated") == "2026-02-03T10:30:00+00:00"


def test_max_age_is_configurable(small_guide):
    settings = guide.Settings(max_age=42)
    client = webtest.TestApp(guide.make_app(small_guide, settings))
    assert client.get("/").headers["Cache-Control"] == "public, max-age=42"
    assert client.get("/search.html?q=servers").headers["Cache-Control"] == "public, max-age=42"


@pytest.mark.parametrize("header", [
    '{etag}', 'W/{etag}', '"other", {etag}', '*',
], ids=["exact", "weak", "list", "star"])
def test_if_none_match_answers_304(client, header):
    etag = client.get("/intro.html").headers["ETag"]
    response = client.get("/intro.html", headers={"If-None-Match": header.format(etag=etag)},
                          status=304)
    assert response.body == b""
    assert response.headers["ETag"] == etag
    assert "X-Content-Type-Options" in response.headers


def test_if_none_match_with_another_tag_answers_200(client):
    client.get("/intro.html", headers={"If-None-Match": '"stale"'}, status=200)


def test_if_modified_since_answers_304_unless_the_page_is_newer(dated_client):
    last_modified = dated_client.get("/intro.html").headers["Last-Modified"]
    dated_client.get("/intro.html", headers={"If-Modified-Since": last_modified}, status=304)
    for since in ["Mon, 01 Jan 2001 00:00:00 GMT", "not a date"]:
        dated_client.get("/intro.html", headers={"If-Modified-Since": since}, status=200)
    # A page whose date is not known is sent again.
    dated_client.get("/servers.html", headers={"If-Modified-Since": last_modified}, status=200)


def test_if_none_match_wins_over_if_modified_since(dated_client):
    last_modified = dated_client.get("/intro.html").headers["Last-Modified"]
    dated_client.get("/intro.html", headers={"If-None-Match": '"stale"',
                                             "If-Modified-Since": last_modified}, status=200)


def test_head_answers_the_same_headers_without_a_body(client):
    get, head = client.get("/intro.html"), client.head("/intro.html")
    assert head.body == b""
    assert dict(head.headers) == dict(get.headers)


@pytest.mark.parametrize("accept_encoding, compressed", [
    ("gzip", True), ("deflate, gzip;q=0.5", True), ("*", True), ("GZIP", True),
    ("gzip;q=0", False), ("*, gzip;q=0", False), ("identity", False), ("", False),
    ("br", False), ("*;q=0", False), ("gzip;q=0.000", False),
])
def test_gzip_is_negotiated_from_accept_encoding(small_guide, accept_encoding, compressed):
    app = guide.make_app(small_guide)
    _status, headers, body = call_wsgi(app, "/intro.html", {"Accept-Encoding": accept_encoding})
    _status, plain_headers, plain = call_wsgi(app, "/intro.html")
    assert headers["Vary"] == plain_headers["Vary"] == "Accept-Encoding"
    assert headers["Content-Length"] == str(len(body))
    if compressed:
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == plain
        assert headers["ETag"] != plain_headers["ETag"]
    else:
        assert "Content-Encoding" not in headers
        assert body == plain


def test_static_urls_carry_a_content_hash_and_are_immutable(client):
    page = client.get("/intro.html").text
    css_url = re.search(r'href="(/static/guide\.[0-9a-f]{10}\.css)"', page).group(1)
    response = client.get(css_url)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.body == (guide.STATIC_DIR / "guide.css").read_bytes()
    _status, headers, _body = call_wsgi(client.app, css_url, {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    client.get(css_url, headers={"If-None-Match": response.headers["ETag"]}, status=304)


def copy_of_static(folder: str = "own-static") -> Path:
    """Return a copy of the site's static/ folder, to add files to."""
    return Path(shutil.copytree(guide.STATIC_DIR, folder)).resolve()


def test_static_images_are_not_compressed(make_pages):
    site = guide.load_guide(make_pages({"a.md": "title: A\n\nx\n"}))
    static = copy_of_static()
    (static / "dot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    status, headers, _body = call_wsgi(guide.make_app(site, static_dir=static),
                                       "/static/dot.png", {"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Type"]) == ("200 OK", "image/png")
    assert "Content-Encoding" not in headers
    assert "Vary" not in headers


def test_static_files_with_any_name_are_found_by_their_encoded_url(make_pages):
    site = guide.load_guide(make_pages({"a.md": "title: A\n\nx\n"}))
    static = copy_of_static()
    (static / "v1.2").mkdir()
    (static / "v1.2" / "café au lait.svg").write_text("<svg></svg>")
    app = guide.make_app(site, static_dir=static)
    client = webtest.TestApp(app)
    assert client.get("/static/v1.2/caf%C3%A9%20au%20lait.svg").body == b"<svg></svg>"
    hashed = guide.build_static_resources(static, 0).hashed_urls["v1.2/café au lait.svg"]
    assert re.fullmatch(r"/static/v1\.2/caf%C3%A9%20au%20lait\.[0-9a-f]{10}\.svg", hashed)
    assert client.get(hashed).headers["Cache-Control"] == guide.IMMUTABLE


SECURITY_HEADER_NAMES = ["Content-Security-Policy", "X-Content-Type-Options",
                         "Referrer-Policy", "X-Frame-Options"]


def test_security_headers_are_on_every_response(small_guide):
    app = guide.make_app(small_guide)
    app.fallback.route("/fail", callback=lambda: 1 / 0)
    client = webtest.TestApp(app)
    responses = [
        client.get("/intro.html"),
        client.get("/", headers={"If-None-Match": "*"}, status=304),
        client.get("/nope", status=404),
        client.get("/intro", status=301),
        client.post("/intro.html", status=405),
        client.get("/fail", status=500, expect_errors=True),
        client.get("/static/guide.css"),
    ]
    for response in responses:
        for name in SECURITY_HEADER_NAMES:
            assert name in response.headers, (response.status, name)
        assert "Server" not in response.headers
    csp = responses[0].headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert responses[0].headers["X-Frame-Options"] == "DENY"


def test_an_exception_in_a_handler_is_logged_and_answered_with_a_plain_500(small_guide):
    app = guide.make_app(small_guide)
    app.fallback.route("/fail", callback=lambda: 1 / 0)
    errors = io.StringIO()
    status, headers, body = call_wsgi(app, "/fail", errors=errors)
    assert "Traceback" in errors.getvalue() and "ZeroDivisionError" in errors.getvalue()
    assert status == "500 Internal Server Error"
    assert headers["Content-Type"].lower() == "text/html; charset=utf-8"
    assert b"Traceback" not in body and b"ZeroDivisionError" not in body
    assert parse_html(body.decode()).find(".//main/h1").text == "Something went wrong"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_methods_other_than_get_and_head_are_405_with_allow(client, method):
    response = client.request("/intro.html", method=method, status=405,
                              headers={"X-Secret": "echo-me"})
    assert response.headers["Allow"] == "GET, HEAD"
    assert "echo-me" not in response.text


def test_query_strings_on_pages_are_ignored(client):
    assert client.get("/intro.html?utm_source=x&a=<b>").body == client.get("/intro.html").body


# A guide to serve under a base path (and to export for any folder):
# chapters, one with its own page and a section inside, one without;
# images beside pages, one also in a raw <img>'s srcset; old names, one of
# them in a folder; a post, so that /blog/ and the feed's entries exist;
# and links written from the root, to .md files, and in raw HTML.
SUBFOLDER_GUIDE = {
    "intro.md": """
        title: Introduction
        sort-order: 1
        description: Where to start.

        Read [Nginx](/servers/proxies/nginx.html), [Flask](flask.md#setup),
        [the servers](/servers/), [the blog](/blog/) and [home](/).

        ![Logo](logo.png)

        <p><img src='/logo.png' srcset="/logo.png 1x, /servers/proxies/diagram.png 2x"
        alt="Logo, sharper"></p>
        """,
    "logo.png": PNG,
    "flask.md": """
        title: Flask
        sort-order: 2

        ## Setup

        Put it behind [Nginx](servers/proxies/nginx.md#tls).
        """,
    "servers/index.md": "title: Servers\nsort-order: 3\n\nAll about [Nginx](proxies/nginx.md).\n",
    "servers/proxies/index.md": "title: Proxies\nsort-order: 4\n\nThey pass requests on.\n",
    "servers/proxies/nginx.md": """
        title: Nginx
        sort-order: 5
        redirect_from: old-nginx, servers/nginx

        Back to [the introduction](/intro.html). ![Diagram](diagram.png)

        ## TLS

        Certificates.
        """,
    "servers/proxies/diagram.png": PNG,
    "deploy/docker.md": "title: Docker\nsort-order: 6\n\nRun [Flask](../flask.md) in it.\n",
    "news.md": "title: News\ncategory: post\ndate: 2026-01-02\n\nRead [Flask](/flask.html).\n",
}

# What a reader reaches from the index of SUBFOLDER_GUIDE, below its base path.
SUBFOLDER_URLS = {"/", "/intro.html", "/flask.html", "/servers/", "/servers/proxies/",
                  "/servers/proxies/nginx.html", "/deploy/docker.html", "/news.html", "/blog/",
                  "/logo.png", "/servers/proxies/diagram.png", "/all.html", "/search.html",
                  "/feed.atom"}

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def links_in_html(document) -> list[str]:
    """Return every URL a parsed HTML document links to: each element's
    href, src, action and poster, each srcset candidate, a refresh's URL."""
    found = []
    for element in document.iter():
        found += [element.get(name) for name in ("href", "src", "action", "poster")
                  if element.get(name) is not None]
        found += [candidate.split()[0] for candidate in (element.get("srcset") or "").split(",")
                  if candidate.strip()]
        if (element.get("http-equiv") or "").lower() == "refresh":
            found.append(element.get("content").split("url=", 1)[1])
    return found


def links_of_answer(url: str, content_type: str, body: bytes) -> list[str] | None:
    """Return the URLs an answer links to: an HTML page's (links_in_html),
    a feed's <link>s and the links in its entries' HTML, a sitemap's
    <loc>s; None for any other answer."""
    path = urllib.parse.urlsplit(url).path
    if path.endswith((".atom", ".xml")):
        tree = ElementTree.fromstring(body)
        return ([link.get("href") for link in tree.iter(f"{ATOM}link")]
                + [loc.text for loc in tree.iter(f"{SITEMAP}loc")]
                + [link for content in tree.iter(f"{ATOM}content") for link in links_in_html(
                    html5lib.parse(content.text, namespaceHTMLElements=False))])
    if content_type.startswith("text/html"):
        return links_in_html(parse_html(body.decode("utf-8")))
    return None


def http_get(server: str, url: str, *header_lines: str) -> tuple[int, dict, bytes]:
    """GET url (a path and query) from server over a new connection."""
    headers = "".join(f"{line}\r\n" for line in header_lines)
    request = (f"GET {urllib.parse.quote(url, safe='/%?=&+')} HTTP/1.1\r\nHost: localhost\r\n"
               f"{headers}Connection: close\r\n\r\n")
    return raw_request(server, request.encode("ascii"))


def crawl_under_base(server: str, starts: list[str], base: str, origin: str = "",
          not_found: tuple[str, ...] = ()) -> set[str]:
    """Follow every link of the site at server (http://127.0.0.1:port),
    from starts; return the URLs (paths and queries) it asked for.

    A link of the site's own is a path, a link that resolves to server, or
    one on origin (the --site-url's scheme and host, where a sitemap, a
    feed and canonical links point).  Each must lie under base and answer
    200, or 301 to a URL under base that does; a feed or sitemap links to
    nothing else.  The URLs in not_found answer 404 and are followed too."""
    seen, queue = set(), list(starts)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, headers, body = http_get(server, url)
        if status == 301:
            location = headers["location"]
            assert location.startswith(base + "/") and not location.startswith("//"), (
                url, location)
            queue.append(location)
            continue
        assert status == (404 if url in not_found else 200), (url, status)
        links = links_of_answer(url, headers.get("content-type", ""), body)
        for link in links or ():
            if link.startswith("#"):
                continue
            absolute = urllib.parse.urljoin(server + url, link)
            if origin and absolute.startswith(origin + "/"):
                absolute = server + absolute.removeprefix(origin)
            parts = urllib.parse.urlsplit(absolute)
            if absolute.startswith(server + "/"):
                assert parts.path.startswith(base + "/"), f"{url} links to {link}"
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
            else:
                assert not url.endswith((".atom", ".xml")), f"{url} links to {link}"
    return seen


@pytest.mark.parametrize("options, base, origin", [
    (["--base-url", "/docs/"], "/docs", ""),
    (["--site-url", "https://guide.example.org/docs/"], "/docs", "https://guide.example.org"),
    ([], "", ""),
], ids=["base-url", "site-url-path", "root"])
def test_every_link_of_a_site_under_a_base_path_stays_under_it_and_answers(
        make_pages, tmp_path, options, base, origin):
    make_pages(SUBFOLDER_GUIDE)
    process, server = start_cli_server(tmp_path, "--pages", "pages", "--quiet", *options)
    try:
        missing = (base + "/nowhere.html", "/nowhere.html")  # 404 pages link in too
        seen = crawl_under_base(server, [base + "/", base + "/sitemap.xml",
                                         base + "/search.html?q=nginx", *missing],
                                base, origin, not_found=missing)
        _status, _headers, sitemap = http_get(server, base + "/sitemap.xml")
        _status, _headers, feed = http_get(server, base + "/feed.atom")
    finally:
        process.terminate()
        process.wait(timeout=10)
        rest = process.stderr.read()
        process.stderr.close()
    assert {base + url for url in SUBFOLDER_URLS} <= seen
    assert any(re.fullmatch(rf"{base}/static/guide\.[0-9a-f]{{10}}\.css", url) for url in seen)
    # The sitemap and the feed name their URLs in full: under the base path.
    site = (origin or "") + base
    assert [loc.text for loc in ElementTree.fromstring(sitemap).iter(f"{SITEMAP}loc")] == [
        site + url for url in ["/", "/intro.html", "/flask.html", "/servers/",
                               "/servers/proxies/", "/servers/proxies/nginx.html",
                               "/deploy/docker.html", "/news.html", "/blog/"]]
    assert [link.get("href") for link in ElementTree.fromstring(feed).iter(f"{ATOM}link")] == [
        site + "/", site + "/feed.atom", site + "/news.html"]
    assert "broken" not in rest and "Traceback" not in rest, rest


def test_a_site_under_a_base_path_leads_into_it_and_answers_nothing_outside(make_pages,
                                                                           tmp_path):
    make_pages(SUBFOLDER_GUIDE)
    process, server = start_cli_server(tmp_path, "--pages", "pages", "--quiet",
                                       "--base-url", "/docs/")
    location = lambda url: http_get(server, url)[1].get("location")
    try:
        for url, target in [("/docs", "/docs/"), ("/", "/docs/"),
                            ("/docs/old-nginx", "/docs/servers/proxies/nginx.html"),
                            ("/docs/old-nginx.html", "/docs/servers/proxies/nginx.html"),
                            ("/docs/servers/nginx/", "/docs/servers/proxies/nginx.html"),
                            ("/docs/flask", "/docs/flask.html"), ("/docs/blog", "/docs/blog/"),
                            ("/docs/index.html", "/docs/"),
                            ("/docs/deploy/", "/docs/deploy/docker.html")]:
            assert http_get(server, url)[0] == 301 and location(url) == target, url
            assert http_get(server, target)[0] == 200, target
        for url in ["/flask.html", "/intro.html", "/static/guide.css", "/logo.png",
                    "/search.html", "/search.json?q=nginx", "/feed.atom", "/sitemap.xml",
                    "/docsx/flask.html", "/docs.html"]:
            assert http_get(server, url)[0] == 404, url
        _status, _headers, body = http_get(server, "/docs/search.json?q=nginx")
        urls = [result["url"] for result in json.loads(body)["results"]]
        assert urls[0] == "/docs/servers/proxies/nginx.html" and len(urls) >= 2
        assert all(http_get(server, url.split("#")[0])[0] == 200 for url in urls)
        _status, plain_headers, plain = http_get(server, "/docs/flask.html")
        status, headers, body = http_get(server, "/docs/flask.html", "Accept-Encoding: gzip")
        assert (status, headers["content-encoding"]) == (200, "gzip")
        assert gzip.decompress(body) == plain and b'href="/docs/intro.html"' in plain
        assert "content-encoding" not in plain_headers
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def test_no_form_of_an_address_outside_the_base_path_is_answered(make_pages):
    app = guide.make_app(guide.load_guide(make_pages(SUBFOLDER_GUIDE)),
                         guide.Settings(base_path="/docs"))
    client = webtest.TestApp(app)
    client.get("/flask.html", status=404)  # as this one is
    for path in ["/flask", "/flask/", "/old-nginx", "/servers/nginx", "/blog/"]:
        client.get(path, status=404)


@pytest.mark.parametrize("settings, link", [
    (guide.Settings(base_path="/docs"), "/docs/flask.html"),
    (guide.Settings(base_path="/docs", site_url="https://guide.example.org"),
     "https://guide.example.org/docs/flask.html"),
], ids=["base-path", "site-url"])
def test_the_links_inside_the_feeds_entries_carry_the_base_path(make_pages, settings, link):
    app = guide.make_app(guide.load_guide(make_pages(SUBFOLDER_GUIDE)), settings)
    feed = ElementTree.fromstring(webtest.TestApp(app).get("/docs/feed.atom").body)
    content = feed.find(f"{ATOM}entry/{ATOM}content").text
    assert f'<a href="{link}">Flask</a>' in content


def test_the_links_of_a_feed_entry_within_its_page_lead_to_that_page(make_pages):
    pages = make_pages({"intro.md": "title: Intro\n\n## Setup\n\nSee [below](#setup)[^1], "
                                    "not href=\"#x\".\n\n[^1]: A note.\n"})
    app = guide.make_app(guide.load_guide(pages), guide.Settings(
        base_path="/docs", site_url="https://guide.example.org"))
    feed = ElementTree.fromstring(webtest.TestApp(app).get("/docs/feed.atom").body)
    content = feed.find(f"{ATOM}entry/{ATOM}content").text
    page = "https://guide.example.org/docs/intro.html"
    assert f'<a href="{page}#setup">below</a>' in content
    assert f'class="self-link" href="{page}#setup"' in content
    assert f'<a href="{page}#fn-1">1</a>' in content  # a footnote, and back
    assert 'not href=&quot;#x&quot;.' in content  # text is not a link
    assert {link[0] for link in re.findall(r'href="(.)', content)} == {"h"}


def test_a_host_mounting_the_site_at_a_path_gets_every_link_and_redirect_under_it(make_pages):
    app = guide.make_app(guide.load_guide(make_pages(SUBFOLDER_GUIDE)))  # made for the root
    status, _headers, body = call_wsgi(app, "/servers/proxies/nginx.html", script_name="/guide")
    assert status == "200 OK"
    links = [link for link in links_in_html(parse_html(body.decode()))
             if not link.startswith(("#", "https:"))]
    assert len(links) > 15 and all(link.startswith("/guide/") for link in links), links
    assert {"/guide/", "/guide/intro.html", "/guide/servers/proxies/diagram.png",
            "/guide/search.html"} <= set(links)
    for link in links:  # each answers, through the same mount
        path, _, query = link.removeprefix("/guide").partition("?")
        status = call_wsgi(app, path.split("#")[0], script_name="/guide", query=query)[0]
        assert status == "200 OK", link
    for path, target in [("", "/guide/"), ("/old-nginx", "/guide/servers/proxies/nginx.html"),
                         ("/servers", "/guide/servers/")]:
        status, headers, _body = call_wsgi(app, path, script_name="/guide")
        assert (status, headers["Location"]) == ("301 Moved Permanently", target), path
    _status, _headers, body = call_wsgi(app, "/search.json", script_name="/guide", query="q=nginx")
    assert json.loads(body)["results"][0]["url"] == "/guide/servers/proxies/nginx.html"
    # The site at the root is still the root's.
    _status, _headers, body = call_wsgi(app, "/servers/proxies/nginx.html")
    assert b'href="/intro.html"' in body and b"/guide/" not in body


def test_a_host_may_mount_one_app_at_a_few_paths_and_no_more(make_pages):
    app = guide.make_app(guide.load_guide(make_pages(SUBFOLDER_GUIDE)))
    scripts = [f"/mount-{number}" for number in range(guide.MOUNTS_LIMIT)]
    for script in scripts:
        status, _headers, body = call_wsgi(app, "/flask.html", script_name=script)
        assert status == "200 OK" and f'href="{script}/intro.html"'.encode() in body
    assert call_wsgi(app, "/flask.html", script_name="/one-too-many")[0] == "400 Bad Request"
    assert call_wsgi(app, "/flask.html", script_name=scripts[0])[0] == "200 OK"
    assert call_wsgi(app, "/flask.html")[0] == "200 OK"


@pytest.mark.parametrize("url", [
    "/", "/intro.html", "/servers/", "/servers/proxies/nginx.html", "/intro", "/old-nginx",
    "/nowhere.html", "/search.html?q=nginx", "/search.json?q=nginx", "/feed.atom",
    "/sitemap.xml", "/logo.png", "/static/guide.css", "/all.html",
])
def test_a_site_mounted_at_its_base_path_answers_as_to_the_whole_path(make_pages, url):
    pages = make_pages(SUBFOLDER_GUIDE)
    app = guide.make_app(guide.load_guide(pages), guide.Settings(base_path="/docs"))
    path, _, query = url.partition("?")
    mounted = call_wsgi(app, path, script_name="/docs", query=query)
    assert mounted == call_wsgi(app, "/docs" + path, query=query)
    assert mounted[0] != "404 Not Found" or path == "/nowhere.html"
    # and as an app made for the root, mounted there by its host
    assert mounted == call_wsgi(guide.make_app(guide.load_guide(pages)), path,
                                script_name="/docs", query=query)


###############################################################################
# HTTP over a real socket #####################################################
###############################################################################

def raw_request(base_url: str, request: bytes) -> tuple[int, dict, bytes]:
    """Send bytes to the live server exactly as given; return (status, headers, body)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


@pytest.mark.parametrize("host_lines, status", [
    (b"Host: localhost\r\n", 200),
    (b"Host: 127.0.0.1:8080\r\n", 200),
    (b"Host: [::1]:8080\r\n", 200),
    (b"", 400),
    (b"Host: a.example\r\nHost: b.example\r\n", 400),
    (b"Host: bad host\r\n", 400),
    (b"Host: a.example/path\r\n", 400),
], ids=["name", "address-and-port", "ipv6", "missing", "repeated", "space", "slash"])
def test_http11_host_header_is_required_once_and_valid(live_server, host_lines, status):
    request = b"GET /intro.html HTTP/1.1\r\n" + host_lines + b"Connection: close\r\n\r\n"
    assert raw_request(live_server, request)[0] == status


def test_http10_without_host_is_served(live_server):
    assert raw_request(live_server, b"GET /intro.html HTTP/1.0\r\n\r\n")[0] == 200


@pytest.mark.parametrize("path", [
    "/static/../guide.py", "/static/%2e%2e/guide.py", "/static/%2e%2e%2fguide.py",
    "/static/..%5cguide.py", "/static/..\\guide.py", "/static/%00guide.css",
    "/static//etc/passwd", "/static/" + "%2e%2e/" * 8 + "etc/passwd", "/../../etc/passwd",
], ids=lambda path: path)
def test_no_request_path_reaches_outside_static(make_pages, path):
    site = guide.load_guide(make_pages({"a.md": "title: A\n\nx\n"}))
    static = copy_of_static()
    (static.parent / "secret.txt").write_text("TOP SECRET\n")
    for base in run_server(guide.make_app(site, static_dir=static)):
        request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        status, _headers, body = raw_request(base, request.encode("latin-1"))
        assert status in (400, 404)
        assert b"TOP SECRET" not in body and b"import" not in body and b"root:" not in body


def test_a_static_file_leading_outside_its_folder_is_an_error(make_pages):
    site = guide.load_guide(make_pages({"a.md": "title: A\n\nx\n"}))
    static = copy_of_static()
    (static.parent / "secret.txt").write_text("TOP SECRET\n")
    (static / "link-outside.txt").symlink_to(static.parent / "secret.txt")
    with pytest.raises(guide.GuideErrors) as raised:
        guide.make_app(site, static_dir=static)
    assert [str(error) for error in raised.value.errors] == [
        f"{guide.display_path(static / 'link-outside.txt')}: is a link leading outside "
        f"{guide.display_path(static)}"]


@pytest.mark.parametrize("path", [
    "//evil.example/x", "/%2F%2Fevil.example", "/%2f%2fevil.example/", "//evil.example/",
    "/\\evil.example", "/%5Cevil.example/", "/intro%0d%0aSet-Cookie:%20x=1",
    "/intro%0aLocation:%20http://evil.example/", "///evil.example/intro",
], ids=lambda path: path)
def test_redirects_never_leave_the_site_or_inject_headers(live_server, path):
    request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    status, headers, _body = raw_request(live_server, request.encode("latin-1"))
    assert "set-cookie" not in headers
    location = headers.get("location")
    if location is not None:
        assert location.startswith("/") and not location.startswith("//"), location
        assert "evil" not in location


def test_live_head_and_conditional_get(live_server):
    host, port = live_server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("HEAD", "/intro.html", headers={"Accept-Encoding": "gzip"})
    head = connection.getresponse()
    head.read()
    assert head.status == 200 and head.getheader("Content-Encoding") == "gzip"
    connection.request("GET", "/intro.html", headers={
        "Accept-Encoding": "gzip", "If-None-Match": head.getheader("ETag")})
    conditional = connection.getresponse()
    assert (conditional.status, conditional.read()) == (304, b"")
    connection.close()


###############################################################################
# Checking links ##############################################################
###############################################################################

LINKED_PAGES = {
    "servers.md": """
        title: Servers
        sort-order: 1
        redirect_from: old-servers

        ## Gunicorn

        Text.
        """,
    "frameworks/flask.md": """
        title: Flask
        sort-order: 2

        ## Running it

        {links}
        """,
}


def check_output(make_pages, capsys, links: str, extra: dict | None = None
                 ) -> tuple[int, list[str]]:
    """Return check's exit status and output lines for a Flask page holding links."""
    files = dict(LINKED_PAGES, **(extra or {}))
    files["frameworks/flask.md"] = textwrap.dedent(files["frameworks/flask.md"]).replace(
        "{links}", links)
    make_pages(files)
    status = guide.main(["check", "--pages", "pages"])
    return status, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("link", [
    "[a](/servers.html)", "[a](../servers)", "[a](/servers)", "[a](/servers/)",
    "[a](../servers.html)", "[a](#running-it)", "[a](/servers.html#gunicorn)",
    "[a](../servers.html#gunicorn)", "[a](flask.html#running-it)", "[a](/frameworks/flask)", "[a](/)", "[a](/static/guide.css)", "[a](/old-servers.html)",
    "[a](/old-servers)", "[a](https://example.org/x?y=1#z)", "<mailto:someone@example.org>",
    '<a href="/servers.html">raw HTML</a>', "[a](/flask.html?print=1)",
    "[a](/search.html?q=flask)", "[a](/search?q=flask)", "[a](/feed.atom)",
    "[a](/sitemap.xml)",
], ids=lambda link: link)
def test_check_accepts_every_good_form_of_link(make_pages, capsys, link):
    status, output = check_output(make_pages, capsys, link)
    assert (status, output) == (0, ["2 pages, 1 link, 0 broken, 0 warnings"])


@pytest.mark.parametrize("link, message", [
    ("[a](/wsgi-servers.html)", "broken link /wsgi-servers.html: no page 'wsgi-servers'"),
    ("[a](servrs.html)", "broken link servrs.html: no page 'servrs'"),
    ("[a](/servers.html#uwsgi)",
     "broken link /servers.html#uwsgi: page 'servers' has no heading 'uwsgi'"),
    ("[a](#runing-it)",
     "broken link #runing-it: page 'frameworks/flask' has no heading 'runing-it'"),
    ("[a](servers.html)", "broken link servers.html: no page 'servers'"),
    ("[a](/static/logo.png)", "broken link /static/logo.png: no file 'static/logo.png'"),
    ("[a](/docs/servers.html)", "broken link /docs/servers.html: no page 'servers'"),
    ("[a](https://example.org:port/)",
     "broken link https://example.org:port/: malformed host 'example.org:port'"),
    ("[a](https://[::1/)", "broken link https://[::1/: malformed URL (Invalid IPv6 URL)"),
    ("[a](https:///nohost)", "broken link https:///nohost: no host after the scheme"),
    ("[a](foo://bar)", "broken link foo://bar: unknown scheme 'foo'"),
    ("[a](javascript:alert(1))", "broken link javascript:alert(1): unknown scheme 'javascript'"),
], ids=["missing-page", "missing-relative-page", "missing-heading", "missing-own-heading",
        "relative-page-not-in-this-folder",
        "missing-static-file", "nested-path", "bad-port", "bad-ipv6", "no-host", "unknown-scheme",
        "javascript"])
def test_check_reports_each_broken_link_with_its_markdown_line(make_pages, capsys, link,
                                                               message):
    status, output = check_output(make_pages, capsys, f"Before.\n\nSee {link} here.")
    assert status == 1
    assert output == [f"pages/frameworks/flask.md:8: {message}",
                      "2 pages, 1 link, 1 broken, 0 warnings"]


def test_check_follows_the_links_in_posts_too(make_pages, capsys):
    status, output = check_output(make_pages, capsys, "Fine.", extra={
        "news.md": "title: News\ncategory: post\ndate: 2026-11-24\n\nSee [x](/gone.html).\n"})
    assert status == 1
    assert output == ["pages/news.md:5: broken link /gone.html: no page 'gone'",
                      "3 pages, 1 link, 1 broken, 0 warnings"]


def test_check_never_follows_a_link_written_as_code(make_pages, capsys):
    links = "Write `[a](/gone.html)` for a link.\n\n```markdown\n[b](/gone.html)\n```\n\n" \
            "    [c](/gone.html)\n"
    assert check_output(make_pages, capsys, links) == (
        0, ["2 pages, 0 links, 0 broken, 0 warnings"])


def test_check_names_the_line_each_kind_of_link_is_written_on(make_pages, capsys):
    make_pages({"a.md": textwrap.dedent("""\
        ---
        title: A
        sort-order: 1
        ---

        # A

        Text with [inline](/gone-1.html), and a [reference][ref].

        - A list item
          continued with [a link](/gone-2.html).

        > Quoted: <https://example.org/ok> and [one](/gone-3.html).

        <div class="note">
        <p>Raw HTML,</p>
        <a href="/gone-4.html">on its line</a>
        </div>

        Repeated: [again](/gone-1.html) and `[code](/gone-1.html)`.

        [ref]: /gone-5.html
        """)})
    assert guide.main(["check", "--pages", "pages"]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == [
        "pages/a.md:8: broken link /gone-1.html: no page 'gone-1'",
        "pages/a.md:11: broken link /gone-2.html: no page 'gone-2'",
        "pages/a.md:13: broken link /gone-3.html: no page 'gone-3'",
        "pages/a.md:17: broken link /gone-4.html: no page 'gone-4'",
        "pages/a.md:20: broken link /gone-1.html: no page 'gone-1'",
        "pages/a.md:22: broken link /gone-5.html: no page 'gone-5'",
    ]


def test_check_prints_targets_and_values_as_written(make_pages, capsys):
    status, output = check_output(make_pages, capsys, "[a](#不存在) [b](/servers.html#安装)", extra={
        "twin.md": "title: Twin\nsort-order: 500020001\n\nx\n",
        "triplet.md": "title: Triplet\norder: 500020001\n\nx\n"})
    assert status == 1
    assert output == [
        "pages/frameworks/flask.md:6: broken link #不存在: page 'frameworks/flask' has no "
        "heading '不存在'",
        "pages/frameworks/flask.md:6: broken link /servers.html#安装: page 'servers' has no "
        "heading '安装'",
        "pages/twin.md:2: warning: sort-order 500020001 is also used by pages/triplet.md",
        "4 pages, 2 links, 2 broken, 1 warning"]


def test_build_and_serve_say_in_one_line_when_links_are_broken(make_pages, capsys, tmp_path):
    make_pages({"a.md": "title: A\n\n[x](/gone.html) and [y](/lost.html)\n"})
    assert guide.main(["build", "site", "--pages", "pages"]) == 0
    assert capsys.readouterr().err == "2 broken links; run 'guide.py check' for the list\n"
    process, _url = start_cli_server(tmp_path, "--pages", str(tmp_path / "pages"))
    try:
        assert process.stderr.readline() == "2 broken links; run 'guide.py check' for the list\n"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def test_links_to_markdown_files_lead_to_their_pages(make_pages, capsys):
    pages = make_pages({
        "deployment/nginx.md": "---\ntitle: Nginx\nsort-order: 1\n---\n\n## TLS\n\nx\n",
        "frameworks/flask.md": "title: Flask\nsort-order: 2\n\n"
                               "[a](../deployment/nginx.md#tls) [b](/deployment/nginx.md) "
                               "[c](flask.md) [d](../deployment/nginx.md#nope) [e](gone.md)\n"})
    flask = guide.load_guide(pages).by_slug["frameworks/flask"]
    assert ('<a href="/deployment/nginx.html#tls">a</a> <a href="/deployment/nginx.html">b</a> '
            '<a href="/frameworks/flask.html">c</a> <a href="/deployment/nginx.html#nope">d</a> '
            '<a href="gone.md">e</a>') in flask.html
    assert guide.main(["check", "--pages", "pages"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "pages/frameworks/flask.md:4: broken link ../deployment/nginx.md#nope: page "
        "'deployment/nginx' has no heading 'nope'",
        "pages/frameworks/flask.md:4: broken link gone.md: no page file 'frameworks/gone.md'",
        "2 pages, 5 links, 2 broken, 0 warnings"]


def test_the_same_link_to_a_markdown_file_is_checked_from_each_folder(make_pages, capsys):
    make_pages({"a/one.md": "title: One\nsort-order: 1\n\n[two](two.md)\n",
                "a/two.md": "title: Two\nsort-order: 2\n\nx\n",
                "b/three.md": "title: Three\nsort-order: 3\n\n[two](two.md)\n"})
    assert guide.main(["check", "--pages", "pages"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "pages/b/three.md:4: broken link two.md: no page file 'b/two.md'",
        "3 pages, 2 links, 1 broken, 0 warnings"]


def test_a_moved_page_moves_the_links_to_its_file_with_it(make_pages, own_cache_folder):
    pages = make_pages({"a.md": "title: A\n\n[b](b.md)\n", "b.md": "title: B\n\nx\n"})
    assert '<a href="/b.html">' in cached_load(pages, own_cache_folder).by_slug["a"].html
    save("pages/b.md", "title: B\nslug: bee\n\nx\n")  # a.md is unchanged, and cached
    assert '<a href="/bee.html">' in cached_load(pages, own_cache_folder).by_slug["a"].html


def test_images_and_downloads_beside_the_pages_are_served_checked_and_built(make_pages,
                                                                           capsys, tmp_path):
    pages = make_pages({
        "chapter/flask.md": "title: Flask\nsort-order: 1\n\n![Logo](img/logo.png) "
                            "[the PDF](files/guide.pdf)\n\n![Gone](img/none.png)\n",
        "chapter/img/logo.png": PNG, "chapter/files/guide.pdf": b"%PDF-1.4\n",
        "secrets.yml": "password: hunter2\n", ".env": "KEY=1\n"})
    (tmp_path / "outside.txt").write_text("not for the web\n")
    (pages / "passwd.txt").symlink_to(tmp_path / "outside.txt")
    site = guide.load_guide(pages)
    assert ('<img src="/chapter/img/logo.png" alt="Logo" /> '
            '<a href="/chapter/files/guide.pdf">the PDF</a>') in site.by_slug["chapter/flask"].html
    client = webtest.TestApp(guide.make_app(site))
    image = client.get("/chapter/img/logo.png")
    assert (image.content_type, image.body) == ("image/png", PNG)
    assert client.get("/chapter/files/guide.pdf").body == b"%PDF-1.4\n"
    for path in ["/secrets.yml", "/.env", "/passwd.txt"]:
        client.get(path, status=404)
    # A page's Markdown is served at its address with .md, without its front matter.
    assert client.get("/chapter/flask.md").text.startswith("![Logo](img/logo.png)")
    assert guide.main(["check", "--pages", "pages"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "pages/chapter/flask.md:6: broken link img/none.png: no file 'chapter/img/none.png'",
        "pages/passwd.txt: warning: not served: it leads outside the pages folder",
        "1 page, 3 links, 1 broken, 1 warning"]
    assert guide.main(["build", "site", "--pages", "pages"]) == 0
    assert Path("site/chapter/img/logo.png").read_bytes() == PNG
    assert not Path("site/passwd.txt").exists()


def test_template_tags_of_other_tools_show_as_nothing_and_check_warns_once(make_pages,
                                                                          capsys):
    make_pages({"a.md": "---\ntitle: A\nsort-order: 1\n---\n\nHello {{ site.title }}.\n\n"
                        "{% include footer.html %}\n\n{{% notice tip %}}\nInner **text**.\n"
                        "{{% /notice %}}\n\n`{{ in code }}`\n"})
    page = guide.load_guide(Path("pages")).by_slug["a"]
    assert page.html == ("<p>Hello .</p>\n<p>\nInner <strong>text</strong>.\n</p>\n"
                         "<p><code>{{ in code }}</code></p>\n")
    assert guide.main(["check", "--pages", "pages"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "pages/a.md:6: warning: 4 template tags ({% %}, {{ }} or a shortcode) shown as "
        "nothing: guide.py does not run Liquid or Hugo templates")


def test_the_home_page_is_at_its_other_addresses_too(make_pages, capsys):
    make_pages({"index.md": "---\ntitle: Home\nredirect_from: start\n---\n\nSee [a](a.md), "
                            "{{ site.x }} and [b](b.md).\n",
                "a.md": "title: A\nsort-order: 1\n\n[home](index.md) [root](/) "
                        "[file](/index.html)\n",
                "b.md": "---\ntitle: B\nslug: /\n---\nA second home.\n"})
    client = webtest.TestApp(guide.make_app(guide.read_guide(Path("pages"))[0]))
    for path in ["/index.html", "/index", "/start", "/start.html"]:
        assert client.get(path, status=301).headers["Location"].endswith("/"), path
    assert guide.main(["check", "--pages", "pages"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "pages/b.md:3: a second home page: pages/index.md is the home page",
        "1 problem found; links are checked once the pages load"]


def test_check_counts_pages_and_links_with_the_home_page(make_pages, capsys):
    make_pages({"index.md": "# Home\n\n[a](a.md) {{ x }} {{ y }}\n",
                "a.md": "title: A\nsort-order: 1\n\n[home](/) [again](index.md) [x](#t)\n\n## T\n"})
    assert guide.main(["check", "--pages", "pages"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 pages, 4 links, 0 broken, 1 warning"


def test_unicode_addresses_in_all_html_sitemap_and_feed(make_pages):
    pages = make_pages({"安装.md": "title: 安装\nsort-order: 1\n\n[使用](/%E4%BD%BF%E7%94%A8.html)\n",
                        "使用.md": "title: 使用\nsort-order: 2\n\nx\n"})
    app = guide.make_app(guide.load_guide(pages), guide.Settings(site_url="https://g.example"))
    client = webtest.TestApp(app)
    assert 'href="#使用"' in client.get("/all.html").text
    assert "<loc>https://g.example/%E5%AE%89%E8%A3%85.html</loc>" in client.get(
        "/sitemap.xml").text


def test_files_whose_names_are_not_utf8_are_left_out_with_a_warning(make_pages, capsys):
    pages = make_pages({"a.md": "title: A\nsort-order: 1\n\nx\n"})
    (pages / os.fsdecode(b"\xff.png")).write_bytes(PNG)
    (pages / os.fsdecode(b"b\xfe.md")).write_text("title: B\n\nx\n")
    assert guide.main(["check", "--pages", "pages"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "pages: warning: left out, as their names are not UTF-8: '\\udcff.png', 'b\\udcfe.md'")


def test_check_finds_the_line_of_each_repeat_of_a_link(make_pages, capsys):
    links = "[a](/gone.html)\n\n[b](/servers.html)\n\nAgain: [c](/gone.html)"
    status, output = check_output(make_pages, capsys, links)
    assert output[:2] == ["pages/frameworks/flask.md:6: broken link /gone.html: no page 'gone'",
                          "pages/frameworks/flask.md:10: broken link /gone.html: no page 'gone'"]


def test_check_warns_but_passes_for_unlinked_pages_shared_orders_and_missing_alt(
        make_pages, capsys):
    status, output = check_output(make_pages, capsys, "![](/static/guide.css)", extra={
        "orphan.md": "title: Orphan\nnav: false\n\nNobody links here.\n",
        "listed.md": "title: Listed\n\nIn the navigation: readers find it there.\n",
        "frameworks/twin.md": "title: Twin\nsort-order: 2\n\nSame place as Flask.\n",
        "other.md": "title: Other\nsort-order: 2\n\nThe same order in another chapter.\n",
    })
    assert status == 0
    assert output == [
        "pages/frameworks/flask.md:6: warning: image /static/guide.css has no alt text",
        "pages/frameworks/twin.md:2: warning: sort-order 2 is also used by "
        "pages/frameworks/flask.md",
        "pages/orphan.md:1: warning: page 'orphan' is not in the navigation and no page links "
        "to it",
        "6 pages, 1 link, 0 broken, 3 warnings",
    ]


def test_check_can_speak_json(make_pages, capsys):
    make_pages({"a.md": "title: A\nsort-order: 1\n\n[x](/b.html)\n"})
    assert guide.main(["check", "--pages", "pages", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "pages": 1, "links": 1, "broken": 1, "warnings": 0,
        "problems": [{"path": "pages/a.md", "line": 4, "severity": "error",
                      "message": "broken link /b.html: no page 'b'"}]}


def test_redirect_from_answers_301_from_old_names(make_pages):
    site = guide.load_guide(make_pages({"new.md": "title: New\nredirect_from: old, /older.html\n\nx\n"}))
    client = webtest.TestApp(guide.make_app(site))
    for path in ["/old.html", "/old", "/old/", "/older.html", "/older", "/new", "/new/",
                 "/new.html/"]:
        response = client.get(path, status=301)
        assert response.headers["Location"] == "/new.html"
    client.get("/new.htm", status=404)


@pytest.mark.parametrize("files, expected", [
    ({"a.md": "title: A\nredirect_from: b\n\nx\n", "b.md": "title: B\n\nx\n"},
     ["pages/a.md:2: redirect_from 'b' collides with the page in pages/b.md"]),
    ({"a.md": "title: A\nredirect_from: old\n\nx\n",
      "b.md": "title: B\nredirect_from: x, old\n\nx\n"},
     ["pages/b.md:2: redirect_from 'old' is also claimed by pages/a.md"]),
    ({"a.md": "title: A\nredirect_from: no way\n\nx\n"},
     ["pages/a.md:2: redirect_from names pages (slugs of letters, digits, '-' and '_', "
      "or addresses), got 'no way'"]),
], ids=["collides-with-page", "claimed-twice", "invalid-name"])
def test_redirect_from_problems_are_errors(make_pages, files, expected):
    assert load_errors(make_pages(files)) == expected


###############################################################################
# Static export ###############################################################
###############################################################################

def test_build_writes_every_url_byte_for_byte_as_the_server_answers(make_pages, capsys):
    files = dict(THREE_PAGES)
    files["servers.md"] = files["servers.md"].replace(
        "sort-order: 2", "sort-order: 2\n        redirect_from: old-servers")
    pages = make_pages(files)
    assert guide.main(["build", "site", "--pages", "pages"]) == 0
    written = sorted(path.relative_to("site").as_posix()
                     for path in Path("site").rglob("*") if path.is_file())
    assert ".guide-build" in written
    assert capsys.readouterr().out.startswith(f"wrote {len(written) - 1} files, ")
    app = guide.make_app(guide.load_guide(pages))
    urls = {"index.html": "/"}
    for base in run_server(app):
        for name in written:
            if name in (".guide-build", "old-servers.html"):
                continue
            url = urls.get(name, "/" + urllib.parse.quote(name))
            status, _headers, body = raw_request(
                base, f"GET {url} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .encode())
            assert status == (404 if name == "404.html" else 200), name
            assert body == (Path("site") / name).read_bytes(), name
    assert {"index.html", "intro.html", "servers.html", "frameworks.html", "404.html",
            "old-servers.html"} <= set(written)
    assert any(re.fullmatch(r"static/guide\.[0-9a-f]{10}\.css", name) for name in written)
    stub = parse_html((Path("site") / "old-servers.html").read_text())
    assert stub.find(".//link[@rel='canonical']").get("href") == "/servers.html"
    assert stub.find(".//meta[@http-equiv='refresh']").get("content") == "0; url=/servers.html"


def test_build_refuses_a_folder_it_did_not_make_unless_forced(make_pages, capsys):
    make_pages(THREE_PAGES)
    Path("mine").mkdir()
    (Path("mine") / "notes.txt").write_text("keep me")
    assert guide.main(["build", "mine", "--pages", "pages"]) == 2
    assert capsys.readouterr().err == (
        "mine: is not empty and was not made by guide.py build; use --force to write into it\n")
    assert sorted(path.name for path in Path("mine").iterdir()) == ["notes.txt"]
    assert guide.main(["build", "mine", "--pages", "pages", "--force"]) == 0
    assert (Path("mine") / "notes.txt").read_text() == "keep me"
    assert (Path("mine") / "index.html").is_file()


@pytest.mark.parametrize("out", ["pages", "pages/site", "."], ids=["pages", "inside", "around"])
def test_build_never_writes_into_the_pages_folder(make_pages, capsys, out):
    pages = make_pages(THREE_PAGES)
    before = {path: path.read_bytes() for path in pages.rglob("*")}
    assert guide.main(["build", out, "--pages", "pages", "--force"]) == 2
    assert "refusing to build over or around pages" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in pages.rglob("*")} == before


def test_rebuild_keeps_unchanged_files_and_removes_only_its_own_stale_ones(make_pages, capsys):
    pages = make_pages(THREE_PAGES)
    assert guide.main(["build", "site", "--pages", "pages"]) == 0
    (Path("site") / "mine.txt").write_text("not from guide.py")
    css = next(Path("site/static").glob("guide.*.css"))
    os.utime(css, (1_000_000_000, 1_000_000_000))
    (pages / "frameworks.md").unlink()
    assert guide.main(["build", "site", "--pages", "pages"]) == 0
    output = capsys.readouterr().out.splitlines()[-1]
    # .html, .md and its search/page-2.js (frameworks is the third page)
    assert "removed 3 stale files" in output and "unchanged" in output
    assert not (Path("site") / "frameworks.html").exists()
    assert not (Path("site") / "search" / "page-2.js").exists()
    assert (Path("site") / "mine.txt").exists()
    assert css.stat().st_mtime == 1_000_000_000


def test_build_with_page_errors_writes_nothing(make_pages, capsys):
    make_pages({"flask.md": "title: Flask\nsort-order: abc\n\nx\n"})
    assert guide.main(["build", "site", "--pages", "pages"]) == 2
    assert capsys.readouterr().err == "pages/flask.md:2: sort-order must be a number, got 'abc'\n"
    assert not Path("site").exists()


def test_strict_build_refuses_broken_links(make_pages, capsys):
    make_pages({"a.md": "title: A\nsort-order: 1\n\n[x](/b.html)\n"})
    assert guide.main(["build", "site", "--pages", "pages", "--strict"]) == 1
    assert capsys.readouterr().err == ("pages/a.md:4: broken link /b.html: no page 'b'\n"
                                       "1 page, 1 link, 1 broken, 0 warnings; "
                                       "nothing written (--strict)\n")
    assert not Path("site").exists()


@pytest.mark.parametrize("options", [[], ["--site-url", "https://guide.example.org/docs/"],
                                     ["--base-url", "/docs/"]],
                         ids=["root", "site-url-path", "base-url"])
def test_a_relative_build_links_every_file_to_files_beside_it(make_pages, tmp_path, options):
    make_pages(SUBFOLDER_GUIDE)
    out = (tmp_path / "out").resolve()
    assert guide.main(["build", str(out), "--pages", "pages", "--relative", *options]) == 0
    names = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    assert {"index.html", "all.html", "search.html", "search/meta.js", "404.html",
            "servers/proxies/nginx.html", "servers/proxies/diagram.png", "logo.png",
            "old-nginx.html", "servers/nginx/index.html", "deploy/index.html",
            "blog/index.html"} <= names
    followed = set()
    for name in sorted(name for name in names if name.endswith(".html")):
        for link in links_in_html(parse_html((out / name).read_text(encoding="utf-8"))):
            parts = urllib.parse.urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("#"):
                continue  # elsewhere, or within the page
            assert parts.path and not parts.path.startswith("/"), f"{name} links to {link}"
            target = ((out / name).parent / urllib.parse.unquote(parts.path)).resolve()
            assert target.is_file() and target.is_relative_to(out), f"{name} links to {link}"
            followed.add(target.relative_to(out).as_posix())
    assert {"index.html", "intro.html", "flask.html", "servers/index.html",
            "servers/proxies/index.html", "servers/proxies/nginx.html", "deploy/docker.html",
            "blog/index.html", "news.html", "all.html", "search.html", "feed.atom",
            "logo.png", "servers/proxies/diagram.png"} <= followed
    assert any(re.fullmatch(r"static/guide\.[0-9a-f]{10}\.css", name) for name in followed)
    page = (out / "servers/proxies/nginx.html").read_text(encoding="utf-8")
    assert 'href="../../intro.html"' in page and 'src="diagram.png"' in page
    stub = parse_html((out / "servers/nginx/index.html").read_text(encoding="utf-8"))
    assert stub.find(".//meta[@http-equiv='refresh']").get("content") == (
        "0; url=../proxies/nginx.html")
    # The feed's links, those in its entries too, lead to files beside it.
    feed_links = links_of_answer("/feed.atom", "", (out / "feed.atom").read_bytes())
    assert "news.html" in feed_links and "flask.html" in feed_links
    for link in feed_links:
        if not link.startswith("#"):
            assert (out / urllib.parse.unquote(link)).resolve().is_file(), link


def test_a_build_under_a_base_path_links_under_it_and_serves_from_there(make_pages, tmp_path):
    make_pages(SUBFOLDER_GUIDE)
    out = tmp_path / "host" / "docs"
    assert guide.main(["build", str(out), "--pages", "pages", "--base-url", "/docs/"]) == 0
    index = links_in_html(parse_html((out / "index.html").read_text(encoding="utf-8")))
    from_root = [link for link in index if link.startswith("/")]
    assert len(from_root) > 15 and all(link.startswith("/docs/") for link in from_root), index
    for name in out.rglob("*.html"):
        for link in links_in_html(parse_html(name.read_text(encoding="utf-8"))):
            assert not link.startswith("/") or link.startswith("/docs/"), f"{name}: {link}"
    # A static host serving the folder at /docs/: everything is found there.
    for server in serve_folder(tmp_path / "host"):
        seen = crawl_under_base(server, ["/docs/", "/docs/sitemap.xml",
                                         "/docs/old-nginx.html"], "/docs")
        assert {"/docs" + url for url in SUBFOLDER_URLS} <= seen


###############################################################################
# Searching ###################################################################
###############################################################################

SEARCHABLE = {
    "flask.md": """
        title: Flask
        sort-order: 1

        A microframework. Deploy it behind nginx.
        """,
    "deploying.md": """
        title: Going live
        sort-order: 2

        ## Deployment checklist

        Flask apps, Django apps: all need care. The café serves <b>coffee</b>.
        """,
    "body-only.md": """
        title: Notes
        sort-order: 3

        Flask flask flask flask flask flask flask flask flask flask flask flask.
        """,
    "chinese.md": """
        title: 部署
        sort-order: 4

        这是关于部署网络应用的页面。
        """,
}


@pytest.fixture
def search_client(make_pages):
    return webtest.TestApp(guide.make_app(guide.load_guide(make_pages(SEARCHABLE))))


def result_urls(client, query: str) -> list[str]:
    return [result["url"] for result in client.get("/search.json", {"q": query}).json["results"]]


def test_search_ranks_a_title_match_above_any_number_of_body_matches(search_client):
    assert result_urls(search_client, "flask") == ["/flask.html", "/body-only.html",
                                                   "/deploying.html#deployment-checklist"]


def test_search_ranks_a_heading_match_above_body_matches(search_client):
    assert result_urls(search_client, "deployment")[0] == "/deploying.html#deployment-checklist"


@pytest.mark.parametrize("query, expected", [
    ("FLASK", "/flask.html"), ("Café", "/deploying.html#deployment-checklist"),
    ("cafe", "/deploying.html#deployment-checklist"),
    ("microfr", "/flask.html"), ("deploy nginx", "/flask.html"), ("部署", "/chinese.html"),
    ("网络应用", "/chinese.html"),
], ids=["case", "accent", "no-accent", "prefix", "every-word-must-match", "chinese-title",
        "chinese-text"])
def test_search_finds_pages_regardless_of_case_accents_and_spaces(search_client, query,
                                                                   expected):
    assert result_urls(search_client, query)[0] == expected


def test_search_needs_every_word(search_client):
    assert result_urls(search_client, "flask unicorn") == []


@pytest.mark.parametrize("query, status_text", [
    ("", "Search the titles, headings and text of every page."),
    ("?!… ---", "Type one or more words to search for."),
    ("zebra", "No pages match “zebra”."),
    ("flask " * 100, "3 pages match"),
], ids=["empty", "punctuation-only", "no-match", "very-long"])
def test_search_page_answers_every_kind_of_query(search_client, query, status_text):
    response = search_client.get("/search.html", {"q": query})
    assert response.status_int == 200
    status = parse_html(response.text).find(".//p[@class='search-status']")
    assert status.text.startswith(status_text.split("“")[0])
    if "“" in status_text:
        assert status.text == status_text


def test_search_marks_matched_words_and_escapes_everything(search_client):
    response = search_client.get("/search", {"q": "coffee <script>alert(1)</script>"})
    assert "<script>alert(1)" not in response.text
    assert response.text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2
    response = search_client.get("/search", {"q": "coffee"})
    result = parse_html(response.text).find(".//ol[@class='results']/li")
    assert result.find("a").get("href") == "/deploying.html#deployment-checklist"
    assert [mark.text for mark in result.iter("mark")] == ["coffee"]
    snippet = "".join(result.find("p").itertext())
    assert "The café serves coffee." in snippet  # the page's <b> is text, not markup here


def test_search_box_is_on_every_page(search_client):
    for url in ["/", "/flask.html", "/no-such-page"]:
        response = search_client.get(url, expect_errors=True)
        form = parse_html(response.text).find(".//header//form[@role='search']")
        assert form.get("action") == "/search.html"
        assert form.find(".//input").get("name") == "q"
    for url in ["/search.html", "/search.html?q=flask"]:  # one box: the search page's own
        forms = parse_html(search_client.get(url).text).findall(".//form[@role='search']")
        assert [form.find(".//input").get("value") for form in forms] == [
            "flask" if "q=" in url else ""]


def test_search_json_describes_each_result(search_client):
    data = search_client.get("/search.json", {"q": "micro"}).json
    assert data["query"] == "micro" and data["terms"] == ["micro"]
    [result] = data["results"]
    assert (result["url"], result["title"]) == ("/flask.html", "Flask")
    assert "<mark>microframework</mark>" in result["snippet"]


# A guide for what a query may ask: the forms of a word, typos, "phrases",
# -words, and the section of a page it matches in.
SEARCH_FEATURES = {
    "deploying.md": """
        title: Going live
        sort-order: 1

        Before you deploy, check the servers twice.

        ## Deployment checklist

        The café serves coffee while the model trains.

        ## Gunicorn workers

        Run gunicorn with four workers behind nginx.

        ## Rolling back

        If a release fails, roll back to the one before it.
        """,
    "hosting.md": """
        title: Hosting
        sort-order: 2

        A server answers requests after deployment; queries wait in line.

        ## Integrations

        Each integration talks to the server through a socket.
        """,
    "word-order.md": """
        title: Word order
        sort-order: 3

        The workers gunicorn runs are processes, not threads. A modal
        dialog asks first; one integration test checks it.
        """,
    "network.md": """
        title: 部署
        sort-order: 4

        这是关于部署网络应用的页面。

        ## 服务器

        网络服务器和应用服务器。
        """,
    "pairs.md": """
        title: 网络
        sort-order: 5

        网络很好。络应？应用很多。
        """,
}


@pytest.fixture
def features_client(make_pages):
    return webtest.TestApp(guide.make_app(guide.load_guide(make_pages(SEARCH_FEATURES))))


# Words and their stems: the forms of a word meet, short and non-English
# words are left alone.
STEMS = [
    ("servers", "server"), ("server", "server"), ("deploying", "deploy"),
    ("deployed", "deploy"), ("deploys", "deploy"), ("deploy", "deploy"),
    ("deployment", "deployment"), ("integrations", "integration"),
    ("integration", "integration"), ("queries", "queri"), ("query", "queri"),
    ("caches", "cach"), ("cache", "cach"), ("caching", "cach"), ("cached", "cach"),
    ("classes", "class"), ("class", "class"), ("status", "status"),
    ("analysis", "analysis"), ("boxes", "box"), ("wishes", "wish"), ("matches", "match"),
    ("buzzes", "buzz"), ("running", "run"), ("stopped", "stop"), ("serving", "serv"),
    ("served", "serv"), ("serve", "serv"), ("calling", "call"), ("falls", "fall"),
    ("rolled", "roll"), ("fizzing", "fizz"), ("studies", "studi"), ("study", "studi"),
    ("days", "day"), ("keys", "key"), ("ties", "tie"), ("being", "being"),
    ("api", "api"), ("go", "go"), ("http2", "http2"), ("café", "café"),
    ("部署", "部署"),
]


@pytest.mark.parametrize("word, expected", STEMS, ids=[word for word, _stem in STEMS])
def test_stem_gives_the_forms_of_an_english_word_one_stem(word, expected):
    assert guide.stem(word) == expected


def result_sections(client, query: str, **params) -> list[tuple[str, str]]:
    return [(result["url"], result["section"]) for result in
            client.get("/search.json", {"q": query, **params}).json["results"]]


@pytest.mark.parametrize("queries, expected", [
    (["servers", "server"], ["/deploying.html", "/hosting.html"]),
    (["deploying", "deployed", "deploy"], ["/deploying.html#deployment-checklist",
                                           "/hosting.html"]),
    (["integrations", "integration"], ["/hosting.html#integrations", "/word-order.html"]),
], ids=["servers", "deploying", "integrations"])
def test_search_finds_every_form_of_a_word(features_client, queries, expected):
    for query in queries:
        assert sorted(result_urls(features_client, query)) == expected, query
    # The last word also begins longer ones: deploying finds "after deployment".
    [hosting] = [result for result in features_client.get(
        "/search.json", {"q": "deploying"}).json["results"] if result["title"] == "Hosting"]
    assert "<mark>deployment</mark>" in hosting["snippet"]


def test_search_forgives_one_typo_in_a_long_word_only(features_client, make_pages):
    for typo in ["gunicron", "gunicorm", "gunicrn", "gunicornn", "ngixn"]:
        assert result_urls(features_client, typo)[0] == "/deploying.html#gunicorn-workers", typo
    mark = parse_html(features_client.get("/search.html", {"q": "gunicron"}).text).find(
        ".//ol[@class='results']/li/p/mark")
    assert mark.text == "gunicorn"
    assert result_urls(features_client, "ngnx") == []  # four letters: no typo is guessed
    assert result_urls(features_client, "gnuicorn") == []  # first two letters must be right
    # A word that is in the guide is never taken for a typo of another one.
    assert result_urls(features_client, "model") == ["/deploying.html#deployment-checklist"]
    assert result_urls(features_client, "modal") == ["/word-order.html"]
    index = guide.make_app(guide.load_guide(Path("pages"))).site.renderer.search_index
    exact, typo = index.search("gunicorn").results[0], index.search("gunicron").results[0]
    assert exact.page is typo.page and typo.score == pytest.approx(exact.score * guide.TYPO_ONLY)


def test_search_finds_a_quoted_phrase_only_with_its_words_in_order(features_client):
    assert result_urls(features_client, "gunicorn workers") == [
        "/deploying.html#gunicorn-workers", "/word-order.html"]
    assert result_urls(features_client, '"gunicorn workers"') == [
        "/deploying.html#gunicorn-workers"]
    assert result_urls(features_client, '"workers gunicorn"') == ["/word-order.html"]
    assert result_urls(features_client, '"gunicorn threads"') == []
    assert result_urls(features_client, '"four workers" nginx') == [
        "/deploying.html#gunicorn-workers"]
    # Chinese is written without spaces: the phrase is the characters in a row.
    assert sorted(result_urls(features_client, "网络应用")) == ["/network.html", "/pairs.html"]
    assert result_urls(features_client, '"网络应用"') == ["/network.html"]


def test_search_leaves_out_the_pages_with_a_minus_word(features_client):
    assert result_urls(features_client, "gunicorn -threads") == [
        "/deploying.html#gunicorn-workers"]
    assert result_urls(features_client, "gunicorn -thread") == [  # any form of it
        "/deploying.html#gunicorn-workers"]
    assert result_urls(features_client, "gunicorn -nginx") == ["/word-order.html"]
    assert result_urls(features_client, "roll-back") == ["/deploying.html#rolling-back"]
    page = parse_html(features_client.get("/search.html", {"q": "-gunicorn"}).text)
    assert page.find(".//p[@class='search-status']").text == (
        "Type one or more words to search for.")


def test_each_result_leads_to_the_section_that_matches_best(features_client):
    assert result_sections(features_client, "coffee") == [
        ("/deploying.html#deployment-checklist", "Deployment checklist")]
    assert result_sections(features_client, "release") == [
        ("/deploying.html#rolling-back", "Rolling back")]
    assert result_sections(features_client, "twice") == [("/deploying.html", "")]  # its top
    assert result_sections(features_client, "服务器") == [("/network.html#服务器", "服务器")]
    page = parse_html(features_client.get("/search.html", {"q": "coffee release"}).text)
    [result] = page.findall(".//ol[@class='results']/li")
    # Both words are in the page, in two sections: the first of equals is shown.
    assert result.find("a").get("href") == "/deploying.html#deployment-checklist"
    assert result.find("span[@class='result-section']").text == "› Deployment checklist"
    assert "".join(result.find("p").itertext()) == "The café serves coffee while the model trains."
    page = parse_html(features_client.get("/search.html", {"q": "twice"}).text)
    [result] = page.findall(".//ol[@class='results']/li")
    assert result.find("a").get("href") == "/deploying.html"
    assert result.find("span") is None


def test_a_snippet_is_cut_between_words_around_the_first_match(make_pages):
    words = " ".join(f"alpha{number}" for number in range(80)) + " needle " + " ".join(
        f"omega{number}" for number in range(80))
    pages = make_pages({"long.md": f"title: Long\n\nIntro.\n\n## Hay\n\n{words}\n"})
    client = webtest.TestApp(guide.make_app(guide.load_guide(pages)))
    [result] = client.get("/search.json", {"q": "needle"}).json["results"]
    assert result["section"] == "Hay"
    snippet = result["snippet"]
    assert snippet.startswith("… alpha") and snippet.endswith(" …")
    inner = snippet[2:-2].replace("<mark>needle</mark>", "needle")
    assert f" {inner} " in f" {words} "  # begins and ends with whole words
    assert len(inner) <= 220 and inner.index("needle") <= 220 // 3 + len("alpha00 ")
    [result] = client.get("/search.json", {"q": "alpha1"}).json["results"]
    assert result["snippet"].startswith("alpha0 <mark>alpha1</mark> alpha2")  # from the start
    assert result["snippet"].endswith(" …") and "… " not in result["snippet"]


@pytest.fixture
def many_client(make_pages):
    """A guide of 45 pages that match "lamp", each a little less than the one before."""
    pages = {f"lamp-{number:02}.md": f"title: Page {number}\nsort-order: {number}\n\n"
             + "The lamp is lit. " * (45 - number) + "Other words.\n"
             for number in range(45)}
    return webtest.TestApp(guide.make_app(guide.load_guide(make_pages(pages))))


def results_page(client, url: str, params: dict | None = None):
    page = parse_html(client.get(url, params).text)
    status = page.find(".//p[@class='search-status']").text
    results = page.find(".//ol[@class='results']")
    links = {link.get("rel"): (link.text, link.get("href"))
             for link in page.findall(".//nav[@class='search-more']/a")}
    return status, results, links


def test_search_counts_every_match_and_shows_them_twenty_at_a_time(many_client):
    status, results, links = results_page(many_client, "/search.html", {"q": "lamp"})
    assert status == "45 pages match “lamp”. Showing 1 to 20."
    assert [item.find("a").text for item in results] == [f"Page {n}" for n in range(20)]
    assert links == {"next": ("Next 20", "/search.html?q=lamp&page=2")}
    status, results, links = results_page(many_client, links["next"][1])
    assert status == "45 pages match “lamp”. Showing 21 to 40."
    assert results.get("start") == "21"
    assert [item.find("a").text for item in results] == [f"Page {n}" for n in range(20, 40)]
    assert links == {"prev": ("Previous 20", "/search.html?q=lamp"),
                     "next": ("Next 5", "/search.html?q=lamp&page=3")}
    status, results, links = results_page(many_client, links["next"][1])
    assert status == "45 pages match “lamp”. Showing 41 to 45."
    assert [item.find("a").text for item in results] == [f"Page {n}" for n in range(40, 45)]
    assert links == {"prev": ("Previous 20", "/search.html?q=lamp&page=2")}
    data = many_client.get("/search.json", {"q": "lamp", "page": "3"}).json
    assert (data["count"], data["start"], len(data["results"])) == (45, 40, 5)
    assert data["results"][0]["title"] == "Page 40"
    status, results, links = results_page(many_client, "/search.html", {"q": "lamp page"})
    assert status == "45 pages match “lamp page”. Showing 1 to 20."  # a query of two words
    assert links["next"][1] == "/search.html?q=lamp+page&page=2"


@pytest.mark.parametrize("page", ["0", "abc", "-1", "", "1.5", "²", "1" * 5000])
def test_a_page_of_results_that_is_not_a_page_number_is_the_first(many_client, page):
    status, results, links = results_page(many_client, "/search.html", {"q": "lamp", "page": page})
    assert status == "45 pages match “lamp”. Showing 1 to 20."
    assert len(results) == 20 and "prev" not in links
    assert many_client.get("/search.json", {"q": "lamp", "page": page}).json["start"] == 0


@pytest.mark.parametrize("page", ["4", "50", "999", "9999"])
def test_a_page_of_results_past_the_last_shows_the_last(many_client, page):
    status, results, links = results_page(many_client, "/search.html", {"q": "lamp", "page": page})
    assert status == "45 pages match “lamp”. Showing 41 to 45."
    assert len(results) == 5 and results.get("start") == "41"
    assert links == {"prev": ("Previous 20", "/search.html?q=lamp&page=2")}
    data = many_client.get("/search.json", {"q": "lamp", "page": page}).json
    assert (data["count"], data["start"], len(data["results"])) == (45, 40, 5)


###############################################################################
# Posts, feeds and what crawlers read #########################################
###############################################################################


def test_language_models_read_the_guide_as_markdown(make_pages, tmp_path):
    pages = make_pages({
        "index.md": "title: Course\ndescription: A short course.\n\nWelcome.\n",
        "01-start.md": "title: Start\ndescription: Where to begin.\n\n# Start\n\nBegin *here*.\n",
        "02-part/index.md": "title: Part two\n\nThe part.\n",
        "02-part/01-deep.md": "---\ntitle: \"Deep: down\"\n---\n\nSee [start](../01-start.md).\n",
        "03-end.md": "title: End\n\nDone.\n"})
    client = webtest.TestApp(guide.make_app(guide.load_guide(pages)))
    index = client.get("/llms.txt")
    assert index.content_type == "text/plain" and index.text == (
        "# Course\n\n> A short course.\n\n"
        "## Start\n\n- [Start](/start.md): Where to begin.\n\n"
        "## 2 Part two\n\n- [Part two](/part/index.md): The part.\n"
        "- [Deep: down](/part/deep.md): See start.\n\n"
        "## End\n\n- [End](/end.md): Done.\n")
    source = client.get("/part/deep.md")  # the Markdown as written, front matter left out
    assert (source.content_type, source.text) == ("text/markdown",
                                                   "See [start](../01-start.md).\n")
    assert client.get("/start.md").text == "# Start\n\nBegin *here*.\n"
    full = client.get("/llms-full.txt").text
    assert full.startswith("# Course\n\n> A short course.\n\n---\n\n# Start\n\n"
                           "Source: /start.html\n\n# Start\n\nBegin *here*.\n")
    assert [line for line in full.splitlines() if line.startswith("Source: ")] == [
        "Source: /start.html", "Source: /part/", "Source: /part/deep.html", "Source: /end.html"]
    client.get("/index.md", status=404)  # the home page's text is the index's
    assert guide.main(["build", str(tmp_path / "site"), "--pages", str(pages)]) == 0
    for name in ["llms.txt", "llms-full.txt", "start.md", "part/index.md", "part/deep.md"]:
        assert (tmp_path / "site" / name).read_bytes() == client.get("/" + name).body, name


def test_every_page_shares_with_an_image_and_check_names_a_missing_one(make_pages, capsys):
    pages = make_pages({
        "guide.toml": 'image = "img/card.png"\n',
        "img/card.png": PNG, "docs/shot.png": PNG,
        "a.md": "title: A\nsort-order: 1\nimage: /img/card.png\n\nA.\n",
        "docs/b.md": "---\ntitle: B\nsort-order: 2\nimages:\n  - shot.png\n---\nB.\n",
        "c.md": "title: C\nsort-order: 3\nimage: https://cdn.example/c.png\n\nC.\n",
        "d.md": "title: D\nsort-order: 4\n\nD.\n",
        "e.md": "---\ntitle: E\nsort-order: 5\ncover:\n  image: gone.png\n---\nE.\n"})
    site = guide.load_guide(pages)

    def shared(client, url):
        text = client.get(url).text
        return (re.findall(r'<meta property="og:image" content="([^"]*)">', text),
                re.findall(r'<meta name="twitter:card" content="([^"]*)">', text))
    client = webtest.TestApp(guide.make_app(site, guide.Settings(site_url="https://g.example")))
    assert shared(client, "/a.html") == (["https://g.example/img/card.png"], ["summary_large_image"])
    assert shared(client, "/docs/b.html") == (["https://g.example/docs/shot.png"],
                                              ["summary_large_image"])
    assert shared(client, "/c.html") == (["https://cdn.example/c.png"], ["summary_large_image"])
    assert shared(client, "/d.html") == (["https://g.example/img/card.png"],
                                         ["summary_large_image"])  # the guide's own
    assert shared(client, "/e.html") == ([], ["summary"])  # its image is missing
    client = webtest.TestApp(guide.make_app(site, guide.Settings(base_path="/docs")))
    assert shared(client, "/docs/a.html")[0] == ["/docs/img/card.png"]  # no site URL known
    assert guide.main(["check", "--pages", "pages"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "pages/e.md:4: broken image gone.png: no file 'gone.png'",
        "5 pages, 0 links, 1 broken, 0 warnings"]
    (pages / "guide.toml").write_text('image = "img/none.png"\n')
    assert guide.main(["check", "--pages", "pages"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "pages/guide.toml: image 'img/none.png' is neither an image in the pages folder nor "
        "an https:// address")


def test_tags_make_a_page_each_linked_from_their_pages_searched_and_in_the_feed(make_pages,
                                                                                tmp_path):
    pages = make_pages({
        "a.md": "---\ntitle: Gunicorn\nsort-order: 1\ntags: [wsgi, deployment]\n---\nUse it.\n",
        "b.md": "title: Nginx\nsort-order: 2\ntags: deployment, Web Servers\n\nA proxy.\n",
        "c.md": "---\ntitle: Notes\nsort-order: 3\ntags:\n  - wsgi\n---\nNotes.\n",
        "d.md": "title: Untagged\nsort-order: 4\n\nNothing about servers.\n"})
    client = webtest.TestApp(guide.make_app(guide.load_guide(pages)))
    page = parse_html(client.get("/a.html").text)
    assert [(link.get("href"), link.text) for link in page.iterfind(".//a[@rel='tag']")] == [
        ("/tags/wsgi.html", "wsgi"), ("/tags/deployment.html", "deployment")]
    index = parse_html(client.get("/tags/").text)
    assert [("".join(item.itertext()).strip()) for item in index.iterfind(
        ".//ul[@class='tags-index']/li")] == ["deployment (2)", "Web Servers (1)", "wsgi (2)"]
    tagged = parse_html(client.get("/tags/deployment.html").text)
    assert tagged.find(".//h1").text == "Tagged “deployment”"
    assert [link.get("href") for link in tagged.iterfind(".//ul[@class='tagged-pages']/li/a")] \
        == ["/a.html", "/b.html"]
    assert [result["title"] for result in client.get(
        "/search.json", {"q": "deployment"}).json["results"]] == ["Gunicorn", "Nginx"]
    assert sorted(re.findall(r'<category term="([^"]+)"/>', client.get("/feed.atom").text)) \
        == ["Web Servers", "deployment", "deployment", "wsgi", "wsgi"]
    assert 'rel="tag"' not in client.get("/d.html").text
    assert guide.main(["build", str(tmp_path / "site"), "--pages", str(pages)]) == 0
    assert (tmp_path / "site/tags/web-servers.html").read_bytes() == client.get(
        "/tags/web-servers.html").body


def commit(folder: Path, when: str, message: str) -> None:
    """Commit everything in folder's repository, dated when (ISO 8601)."""
    environment = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
                   "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
                   "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org"}
    for command in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *command], cwd=folder, check=True, env=environment)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_last_updated_comes_from_git_or_front_matter_never_the_file_time(make_pages, tmp_path,
                                                                         monkeypatch):
    pages = make_pages({"a.md": "title: A\nsort-order: 1\n\nA.\n",
                        "b.md": "title: B\nsort-order: 2\nmodified: 2026-02-03\n\nB.\n",
                        "c d.md": "title: C\nsort-order: 3\n\nC.\n"})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    commit(tmp_path, "2024-05-06T07:08:09+00:00", "first")
    (pages / "a.md").write_text("title: A\nsort-order: 1\n\nA, again.\n")
    commit(tmp_path, "2025-01-02T03:04:05+00:00", "second")
    runs = []
    real_run = subprocess.run
    monkeypatch.setattr(guide.subprocess, "run",
                        lambda *args, **kwargs: runs.append(args) or real_run(*args, **kwargs))
    site = guide.load_guide(pages)
    assert len(runs) == 1  # one `git log` for the whole guide, not one per page
    client = webtest.TestApp(guide.make_app(site))
    shown = {url: re.findall(r'Last updated <time datetime="([^"]+)">([^<]+)</time>',
                             client.get(url).text) for url in ["/a.html", "/b.html", "/c-d.html"]}
    assert shown == {"/a.html": [("2025-01-02T03:04:05+00:00", "2 January 2025")],
                     "/b.html": [("2026-02-03T00:00:00+00:00", "3 February 2026")],
                     "/c-d.html": [("2024-05-06T07:08:09+00:00", "6 May 2024")]}
    sitemap = client.get("/sitemap.xml").text
    assert re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap) == [
        ("/a.html", "2025-01-02"), ("/b.html", "2026-02-03"), ("/c-d.html", "2024-05-06")]
    feed = client.get("/feed.atom").text
    assert re.findall(r"<link href=\"([^\"]+)\"/>\s*<updated>([^<]+)</updated>", feed) == [
        ("/b.html", "2026-02-03T00:00:00+00:00"), ("/a.html", "2025-01-02T03:04:05+00:00"),
        ("/c-d.html", "2024-05-06T07:08:09+00:00")]
    # Outside a repository (a fresh copy, every file new): no date is made up.
    copy = Path(shutil.copytree(pages, tmp_path / "copy"))
    shutil.rmtree(tmp_path / ".git")
    client = webtest.TestApp(guide.make_app(guide.load_guide(copy)))
    assert "Last updated" not in client.get("/a.html").text
    assert "Last updated" in client.get("/b.html").text  # said in its front matter
    assert client.get("/sitemap.xml").text.count("<lastmod>") == 1



POSTS = {
    "guide.md": "title: The guide\nsort-order: 1\nnext: newer-post\n\nRead this.\n",
    "older.md": "title: Older post\ncategory: post\ndate: 2024-01-05\n\nFirst news.\n",
    "newer.md": """
        title: Newer post
        slug: newer-post
        category: post
        date: 2026-11-20 09:30
        modified: 2026-11-22
        description: What changed this week.
        author: Ada

        Second news.
        """,
}


@pytest.fixture
def posts_client(make_pages):
    site = guide.load_guide(make_pages(POSTS))
    settings = guide.Settings(site_url="https://guide.example.org",
                              edit_url="https://git.example.org/guide/edit/main/pages/")
    return webtest.TestApp(guide.make_app(site, settings))


def test_posts_are_listed_newest_first_and_kept_out_of_the_guide(posts_client, make_pages):
    site = guide.load_guide(Path("pages"))
    assert [page.slug for page in site.pages] == ["guide"]
    assert [post.slug for post in site.posts] == ["newer-post", "older"]
    blog = parse_html(posts_client.get("/blog/").text)
    assert [link.text for link in blog.findall(".//ol[@class='posts']/li/a")] == [
        "Newer post", "Older post"]
    assert posts_client.get("/blog", status=301).headers["Location"] == "/blog/"
    page = parse_html(posts_client.get("/newer-post.html").text)
    assert page.find(".//p[@class='post-date']/time").get("datetime") == (
        "2026-11-20T09:30:00+00:00")
    assert page.find(".//nav[@class='pager']") is None


@pytest.mark.parametrize("front_matter, message", [
    ("category: post", "pages/a.md:1: a post needs a date: add 'date: YYYY-MM-DD'"),
    ("category: post\ndate: last week",
     "pages/a.md:3: date must be a date such as 2026-11-24 or 2026-11-24 09:30, got 'last week'"),
], ids=["missing-date", "bad-date"])
def test_a_post_without_a_valid_date_is_an_error(make_pages, front_matter, message):
    assert load_errors(make_pages({"a.md": f"title: A\n{front_matter}\n\nx\n"})) == [message]


def test_feed_is_valid_atom_with_the_newest_post_first(posts_client):
    response = posts_client.get("/feed.atom")
    assert response.content_type == "application/atom+xml"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(response.body)
    assert feed.tag == f"{atom}feed"
    for required in ["id", "title", "updated", "author"]:
        assert feed.find(f"{atom}{required}") is not None, required
    entries = feed.findall(f"{atom}entry")
    assert [entry.find(f"{atom}title").text for entry in entries] == ["Newer post", "Older post"]
    newer = entries[0]
    assert newer.find(f"{atom}id").text == "https://guide.example.org/newer-post.html"
    assert newer.find(f"{atom}updated").text == "2026-11-22T00:00:00+00:00"
    assert newer.find(f"{atom}author/{atom}name").text == "Ada"
    assert "<p>Second news.</p>" in newer.find(f"{atom}content").text
    for entry in entries:
        assert datetime.datetime.fromisoformat(entry.find(f"{atom}updated").text).tzinfo


def test_without_posts_the_feed_lists_guide_pages_with_permanent_ids(client):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(client.get("/feed.atom").body)
    entries = feed.findall(f"{atom}entry")
    assert sorted(entry.find(f"{atom}title").text for entry in entries) == [
        "Frameworks", "Introduction", "Servers"]
    assert all(entry.find(f"{atom}id").text.startswith("urn:uuid:") for entry in entries)


def test_sitemap_and_robots_use_the_site_url(posts_client):
    sitemap = ElementTree.fromstring(posts_client.get("/sitemap.xml").body)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert [loc.text for loc in sitemap.iter(f"{namespace}loc")] == [
        "https://guide.example.org/", "https://guide.example.org/guide.html",
        "https://guide.example.org/newer-post.html", "https://guide.example.org/older.html",
        "https://guide.example.org/blog/"]
    assert posts_client.get("/robots.txt").text == (
        "User-agent: *\nAllow: /\nSitemap: https://guide.example.org/sitemap.xml\n")


def test_pages_carry_canonical_description_and_opengraph(posts_client, client):
    head = parse_html(posts_client.get("/newer-post.html").text).find(".//head")
    assert head.find("link[@rel='canonical']").get("href") == (
        "https://guide.example.org/newer-post.html")
    properties = {meta.get("property"): meta.get("content") for meta in head.findall("meta")
                  if meta.get("property")}
    assert properties == {"og:title": "Newer post", "og:site_name": "Guide",
                          "og:type": "article", "og:description": "What changed this week.",
                          "og:url": "https://guide.example.org/newer-post.html"}
    head = parse_html(client.get("/servers.html").text).find(".//head")
    assert head.find("link[@rel='canonical']") is None  # no --site-url, no guess
    assert head.find("meta[@name='description']").get("content") == "Servers serve."


def test_edit_link_and_whats_next_box(posts_client):
    page = parse_html(posts_client.get("/guide.html").text)
    assert page.find(".//a[@class='edit-link']").get("href") == (
        "https://git.example.org/guide/edit/main/pages/guide.md")
    box = page.find(".//aside[@class='whats-next']")
    assert [(link.get("href"), link.text) for link in box.findall(".//a")] == [
        ("/newer-post.html", "Newer post")]
    assert box.find(".//p").text == "What changed this week."


def test_next_must_name_existing_pages(make_pages):
    pages = make_pages({"a.md": "title: A\nnext: b, nowhere\n\nx\n", "b.md": "title: B\n\nx\n"})
    assert load_errors(pages) == ["pages/a.md:2: next names 'nowhere', but there is no page "
                                  "with that slug"]


def test_all_html_holds_the_whole_guide_with_unique_ids(make_pages):
    pages = make_pages({
        "one.md": "title: One\nsort-order: 1\n\n## Setup\n\nSee [two](/two.html#setup).\n",
        "two.md": "title: Two\nsort-order: 2\n\n## Setup\n\nBack to [one](/one.html).\n",
    })
    text = webtest.TestApp(guide.make_app(guide.load_guide(pages))).get("/all.html").text
    document = parse_html(text)
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert {"one", "two", "one--setup", "two--setup"} <= set(ids)
    links = [link.get("href") for link in document.iter("a")]
    assert "#two--setup" in links and "#one" in links
    assert [section.find("h2").text for section in document.iter("section")] == ["One", "Two"]
    assert document.find(".//section[@id='one']//h3[@id='one--setup']") is not None


def test_a_guide_too_long_for_one_page_is_offered_part_by_part(make_pages, monkeypatch):
    monkeypatch.setattr(guide, "ALL_IN_ONE_LIMIT", 2)
    files = dict(THREE_PAGES, **{"deploy/index.md": "title: Deploying\nsort-order: 4\n\nx\n",
                                 "deploy/nginx.md": "title: Nginx\n\nSee [TLS](#tls).\n\n"
                                                    "## TLS\n\nx\n"})
    client = webtest.TestApp(guide.make_app(guide.load_guide(make_pages(files))))
    listing = parse_html(client.get("/all.html").text)
    parts = [(link.get("href"), link.text) for link in listing.findall(".//ol[@class='contents']//a")]
    assert parts == [("/all/intro.html", "Introduction to Frameworks"),
                     ("/all/intro-2.html", "Introduction to Frameworks (2)"),
                     ("/all/deploy.html", "4 Deploying")]
    first, chapter = (parse_html(client.get(url).text) for url in ("/all/intro.html",
                                                                     "/all/deploy.html"))
    assert [section.get("id") for section in first.iter("section")] == ["intro", "servers"]
    assert [section.get("id") for section in chapter.iter("section")] == ["deploy",
                                                                         "deploy/nginx"]
    assert "#deploy/nginx--tls" in [link.get("href") for link in chapter.iter("a")]
    client.get("/all/nowhere.html", status=404)
    assert guide.main(["build", "site", "--pages", "pages"]) == 0
    assert Path("site/all/deploy.html").read_text() == client.get("/all/deploy.html").text


def test_search_index_file_holds_every_page_for_the_exported_search(client):
    data = client.get("/search-index.json").json
    assert [page["url"] for page in data["pages"]] == [
        "/intro.html", "/servers.html", "/frameworks.html"]
    assert data["pages"][0]["headings"] == "First steps"
    assert data["pages"][1]["text"] == "Servers serve."
    assert client.get("/search-index.json").body == client.get("/search-index.json").body


###############################################################################
# Live reload #################################################################
###############################################################################

@pytest.fixture
def live_reload(make_pages):
    """Serve a small guide with live reload; yield (base URL, ReloadingApp, log)."""
    pages = make_pages(THREE_PAGES)
    views = Path(shutil.copytree(guide.VIEWS_DIR, "views"))
    log = io.StringIO()
    live = guide.ReloadingApp(guide.Settings(pages_dir=pages, reload=True), views_dir=views,
                           static_dir=copy_of_static(), interval=0.02, log=log)
    watcher = threading.Thread(target=live.watch, daemon=True)
    watcher.start()
    try:
        for base in run_server(live):
            yield base, live, log
    finally:
        live.stop()
        watcher.join(timeout=5)


def fetch(url: str) -> tuple[int, str]:
    """Return (status, text) for a GET of url, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(condition, timeout: float = 10.0):
    """Return condition()'s first true value, polling until timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def save(path: str, text: str) -> None:
    """Write a file the way an editor saves it (the size or time changes)."""
    Path(path).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def save_at_once(path: Path, text: str) -> None:
    """Write a file the way an editor that saves atomically does: the
    new version is written beside it, then takes its name."""
    beside = path.with_name(path.name + ".saving")
    beside.write_text(text, encoding="utf-8")
    os.replace(beside, path)


def test_reload_readies_the_lexers_of_the_guides_code_for_the_first_save(make_pages,
                                                                          monkeypatch):
    pages = make_pages({"a.md": "title: A\n\n```python\nx = 1\n```\n\n```c++\nint x;\n```\n",
                        "b.md": "title: B\n\n```toml\n[a]\n```\n\n```\nplain\n```\n"})
    loaded, readied = guide.load_guide(pages), []
    monkeypatch.setattr(guide, "highlight", lambda code, language: readied.append(language))
    guide.warm_up(loaded, guide.Wording())
    assert sorted(readied) == ["c++", "python", "toml"]


def test_reload_watches_every_file_but_hidden_and_linked_folders(make_pages, tmp_path):
    pages = make_pages({"a.md": "title: A\n\nA.\n", "ch/b.md": "title: B\n\nB.\n",
                        "ch/img/c.png": PNG, ".git/HEAD": "ref\n", ".notes.md": "x\n"})
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "d.md").write_text("title: D\n\nD.\n")
    (pages / "linked").symlink_to(tmp_path / "elsewhere")
    live = guide.ReloadingApp(guide.Settings(pages_dir=pages, reload=True), log=io.StringIO())
    assert sorted(path for path in live.scan() if path.startswith(str(pages))) == sorted(
        str(pages / name) for name in ["a.md", "ch/b.md", "ch/img/c.png", ".notes.md"])
    assert str(guide.VIEWS_DIR / "page.tpl") in live.scan()
    stamp = live.scan()[str(pages / "a.md")]
    save(str(pages / "a.md"), "title: A\n\nA, longer.\n")
    assert live.scan()[str(pages / "a.md")] != stamp


def test_reload_works_on_the_working_directory_as_pages_folder(make_pages, monkeypatch):
    pages = make_pages({"a.md": "title: A\nsort-order: 1\n\nA.\n", "NOTES.txt": "notes\n"})
    monkeypatch.chdir(pages)
    live = guide.ReloadingApp(guide.Settings(pages_dir=Path("."), reload=True),
                              log=io.StringIO())
    Path("b.md").write_text("title: B\nsort-order: 2\n\nB.\n")
    live.stamps = live.scan()
    assert live.rebuild() == []
    assert [page.slug for page in live.current[0].site.guide.pages] == ["a", "b"]


def test_reload_serves_an_edited_page(live_reload):
    base, live, _log = live_reload
    assert "Servers serve." in fetch(base + "/servers.html")[1]
    save("pages/servers.md", "title: Servers\nsort-order: 2\n\nServers now serve faster.\n")
    wait_for(lambda: "Servers now serve faster." in fetch(base + "/servers.html")[1])
    assert live.generation == 2


def test_reload_rereads_only_the_changed_page(live_reload, monkeypatch):
    base, _live, _log = live_reload
    read, read_page_source = [], guide.read_page_source

    def counting_read_page_source(pages_dir, path):
        read.append(path.name)
        return read_page_source(pages_dir, path)
    monkeypatch.setattr(guide, "read_page_source", counting_read_page_source)
    save("pages/servers.md", "title: Servers\nsort-order: 2\n\nChanged.\n")
    wait_for(lambda: "Changed." in fetch(base + "/servers.html")[1])
    assert read == ["servers.md"]


def test_reload_adds_removes_and_renames_pages(live_reload):
    base, _live, _log = live_reload
    save("pages/databases.md", "title: Databases\nsort-order: 4\n\nTables.\n")
    wait_for(lambda: fetch(base + "/databases.html")[0] == 200)
    assert "/databases.html" in fetch(base + "/")[1]
    assert 'rel="next" href="/databases.html"' in fetch(base + "/frameworks.html")[1]
    Path("pages/intro.md").unlink()
    wait_for(lambda: fetch(base + "/intro.html")[0] == 404)
    assert "/intro.html" not in fetch(base + "/")[1]
    Path("pages/servers.md").rename("pages/web-servers.md")
    wait_for(lambda: fetch(base + "/web-servers.html")[0] == 200)
    assert fetch(base + "/servers.html")[0] == 404


def test_a_broken_save_keeps_the_last_good_page_and_shows_the_error(live_reload):
    base, _live, log = live_reload
    save("pages/servers.md", "title: Servers\nsort-order: two\n\nHalf-written.\n")
    message = "pages/servers.md:2: sort-order must be a number, got 'two'"
    page = wait_for(lambda: (lambda text: "preview-problems" in text and text)(
        fetch(base + "/servers.html")[1]))
    banner = parse_html(page).find(".//div[@class='preview-problems']")
    assert [item.text for item in banner.findall(".//code")] == [message]
    assert "Servers serve." in page and "Half-written." not in page
    assert message in log.getvalue()
    save("pages/servers.md", "title: Servers\nsort-order: 2\n\nMended.\n")
    page = wait_for(lambda: (lambda text: "Mended." in text and text)(
        fetch(base + "/servers.html")[1]))
    assert "preview-problems" not in page


def test_reload_shows_a_next_that_names_no_page_and_keeps_serving(live_reload):
    base, _live, log = live_reload
    save("pages/servers.md", "title: Servers\nsort-order: 2\nnext: nowhere\n\nStill here.\n")
    page = wait_for(lambda: (lambda text: "Still here." in text and text)(
        fetch(base + "/servers.html")[1]))
    assert "pages/servers.md:3: next names &#039;nowhere&#039;" in page
    assert "pages/servers.md:3: next names 'nowhere', but there is no page" in log.getvalue()


def test_reload_rerenders_when_a_view_changes_and_survives_a_broken_view(live_reload):
    base, _live, log = live_reload
    view = Path("views/page.tpl")
    original = view.read_text()
    # Each version replaces the file at once: the watcher must not see a
    # half-written view, which would build (and be kept as the last good).
    save_at_once(view, original.replace("<article", "<p>Edited view</p>\n<article"))
    wait_for(lambda: "Edited view" in fetch(base + "/servers.html")[1])
    save_at_once(view, original.replace("{{page.title}}", "{{page.no_such_thing}}"))
    wait_for(lambda: "AttributeError" in log.getvalue())
    line = next(number for number, text in enumerate(original.splitlines(), 1)
                if text == "<h1>{{page.title}}</h1>")  # a flat guide's title
    assert f"views/page.tpl:{line}: AttributeError" in log.getvalue()
    assert "Edited view" in fetch(base + "/servers.html")[1]


def test_pages_carry_the_reload_script_only_in_reload_mode(small_guide, live_reload):
    # (small_guide writes the pages before live reload starts: written after
    # it, they would make a second build, which this page is not part of.)
    base, live, _log = live_reload
    page = parse_html(fetch(base + "/servers.html")[1])
    assert "/_reload.js" in [script.get("src") for script in page.iter("script")]
    with urllib.request.urlopen(base + "/servers.html", timeout=5) as response:
        assert response.headers["Server-Timing"] == f'generation;desc="{live.generation}"'
    assert fetch(base + "/_reload") == (200, str(live.generation))
    assert "location.reload()" in fetch(base + "/_reload.js")[1]
    normal = webtest.TestApp(guide.make_app(small_guide))
    assert "/_reload.js" not in normal.get("/intro.html").text
    normal.get("/_reload", status=404)
    normal.get("/_reload.js", status=404)


@pytest.fixture
def reloading(make_pages, monkeypatch):
    """Return a ReloadingApp (no watcher thread) over twelve pages, and a
    function that saves a page and rebuilds, returning the answers whose
    bytes changed."""
    monkeypatch.setattr(guide, "NAV_LIMIT", 4)
    make_pages({f"p{number:02}.md": f"title: Page {number}\nsort-order: {number}\n\n"
                                    f"Words of page {number}.\n" for number in range(12)})
    live = guide.ReloadingApp(guide.Settings(pages_dir=Path("pages"), reload=True),
                              log=io.StringIO())

    def save_and_rebuild(name: str, text: str) -> set[str]:
        site = live.current[0].site
        before = dict(site.resources)
        before_inputs = {url: site.inputs_of(url) for url in site.on_request}
        save(f"pages/{name}", text)
        live.stamps = live.scan()
        live.rebuild()
        after = live.current[0].site
        # A page's or document's answer is made again (on its first request)
        # when its inputs change; the others at every build.
        return {url for url in after.resources if url.endswith(".html")
                and after.resources[url] is not before.get(url)
                } | {url for url in after.on_request
                     if url.endswith(".html") and before_inputs.get(url) != after.inputs_of(url)}
    return live, save_and_rebuild


def search(live: guide.ReloadingApp, query: str) -> list[str]:
    return [result.page.slug for result in live.current[0].site.renderer.search_index.search(
        query).results]


def test_reload_makes_again_only_the_page_whose_body_was_saved(reloading):
    live, save_and_rebuild = reloading
    client = webtest.TestApp(live)
    for url in ("/p05.html", "/p06.html"):  # tabs show them
        assert client.get(url).headers["Server-Timing"] == 'generation;desc="1"'
    changed = save_and_rebuild("p05.md", "title: Page 5\nsort-order: 5\n\nNew zebra words.\n")
    # with the documents made at every build: all pages in one, the 404 page
    assert changed == {"/p05.html", "/all.html", "/404.html"}
    assert "New zebra words." in live.current[0].site.answer("/p05.html").identity.body.decode()
    assert search(live, "zebra") == ["p05"]
    assert search(live, "of page 5") == []
    assert search(live, "of page 6") == ["p06"]
    # Only a tab showing the saved page reloads: each answer says when it was made.
    assert client.get("/_reload?path=/p05.html").text == "2"
    assert client.get("/_reload?path=%2Fp06.html").text == "1"
    assert client.get("/p06.html").headers["Server-Timing"] == 'generation;desc="1"'
    assert client.get("/p05.html").headers["Server-Timing"] == 'generation;desc="2"'
    assert client.get("/_reload?path=/gone.html").text == "2"


def test_reload_serves_an_image_added_beside_the_pages(reloading):
    live, save_and_rebuild = reloading
    Path("pages/img").mkdir()
    Path("pages/img/new.png").write_bytes(PNG)
    save_and_rebuild("p05.md", "title: Page 5\nsort-order: 5\n\n![New](img/new.png)\n")
    client = webtest.TestApp(live)
    image = client.get("/img/new.png")
    assert image.body == PNG
    assert image.headers["Cache-Control"] == "no-store"  # a preview shows a new image at once
    assert '<img src="/img/new.png" alt="New" />' in client.get("/p05.html").text


def test_reload_makes_again_the_pages_that_show_a_changed_title(reloading):
    live, save_and_rebuild = reloading
    client = webtest.TestApp(live)
    for url in ("/p04.html", "/p09.html"):  # tabs show them
        client.get(url)
    changed = save_and_rebuild("p05.md", "title: Page Five\nsort-order: 5\n\nWords of page 5.\n")
    # The tab whose page shows the new title reloads; the other does not.
    assert client.get("/_reload?path=/p04.html").text == "2"
    assert client.get("/_reload?path=/p09.html").text == "1"
    # its own answer, its neighbours (4 and 6) and the pages whose navigation
    # lists it (the windows of four that start at pages 2 and 4: pages 3 to 6)
    assert changed == {"/p03.html", "/p04.html", "/p05.html", "/p06.html",
                       "/all.html", "/404.html"}
    assert search(live, "five") == ["p05"]
    assert "Page Five" in live.current[0].site.answer("/p04.html").identity.body.decode()


def test_reload_places_again_only_the_pages_whose_links_lead_elsewhere(reloading):
    live, save_and_rebuild = reloading
    Path("pages/img").mkdir()
    Path("pages/img/cat.png").write_bytes(PNG)
    for number in (1, 2):
        save(f"pages/p0{number}.md", f"title: Page {number}\nsort-order: {number}\n\n"
             f"See [page 7](p07.md#words) and ![A cat](img/cat.png).\n")
    save_and_rebuild("p05.md", "title: Page 5\nsort-order: 5\n\nWords of page 5.\n")
    site = live.current[0].site
    assert '<a href="/p07.html#words">page 7</a>' in site.answer("/p01.html").identity.body.decode()
    assert '<img src="/img/cat.png" alt="A cat" />' in site.page_at("/p02.html").html
    linking = [site.guide.by_slug[slug] for slug in ("p01", "p02")]
    # A save elsewhere leaves the pages that link as they were placed.
    save_and_rebuild("p05.md", "title: Page 5\nsort-order: 5\n\nNew words of page 5.\n")
    assert [live.current[0].site.guide.by_slug[slug] for slug in ("p01", "p02")] == linking
    assert_same_as_a_fresh_start(live)
    # The page they link to moves: their links follow it, and only theirs.
    changed = save_and_rebuild("p07.md", "title: Page 7\nsort-order: 7\nslug: seventh\n\n"
                                         "Words of page 7.\n")
    assert {"/p01.html", "/p02.html", "/seventh.html"} <= changed
    site = live.current[0].site
    assert '<a href="/seventh.html#words">page 7</a>' in \
        site.answer("/p01.html").identity.body.decode()
    assert site.guide.by_slug["p02"] is not linking[1]
    assert site.guide.by_slug["p03"].rendered is live.read_results[
        str(Path("pages/p03.md"))][1].rendered
    assert_same_as_a_fresh_start(live)


def test_reload_of_a_save_anywhere_in_a_guide_of_chapters_gives_what_a_fresh_start_gives(
        make_pages):
    files = {"index.md": "title: Home\n\nWelcome.\n",
             "01-start/index.md": "title: Start\n\nThe start.\n",
             "01-start/01-install.md": "title: Install\n\nInstall it.\n",
             "01-start/02-deep/01-more.md": "title: More\n\nMore words.\n",
             "01-start/02-deep/02-most.md": "title: Most\n\nMost words.\n",
             "02-use.md": "title: Use\nredirect_from: using\n\nUse it.\n",
             "news.md": "title: News\ncategory: post\ndate: 2024-01-02\n\nNews.\n",
             "aside.md": "title: Aside\nnav: false\n\nNot listed.\n"}
    make_pages(files)
    live = guide.ReloadingApp(guide.Settings(pages_dir=Path("pages"), reload=True),
                              log=io.StringIO())
    animals = ["zebra", "walrus", "otter", "heron", "bison", "lemur", "tapir", "okapi"]
    for (name, text), animal in zip(files.items(), animals):
        before = live.current[0].site.guide
        save(f"pages/{name}", text.replace("\n\n", f"\n\nWords saved by a {animal}. "))
        live.stamps = live.scan()
        assert live.rebuild() == []
        site = live.current[0].site
        saved = site.guide.by_source[name]
        assert animal in saved.text
        assert search(live, animal) == ([] if saved.home else [saved.slug])  # / lists pages
        # The same guide with the saved page in place of the one it was.
        assert [page.source for page in site.guide.every_page] == \
            [page.source for page in before.every_page]
        assert [page for page in site.guide.every_page if page is not before.by_source.get(
            page.source)] == [saved]
        assert site.guide.book == tuple(site.guide.contents.book())
        # made again: only the chapters that hold the saved page
        assert [folder for folder, chapter in site.guide.chapters.items()
                if chapter is not before.chapters[folder]] == \
            [folder for folder in before.chapters if name.startswith(folder + "/")]
        assert_same_as_a_fresh_start(live)


def test_reload_looks_again_only_at_the_files_that_came(reloading, monkeypatch):
    live, save_and_rebuild = reloading
    looked, look_at = [], guide.look_at
    monkeypatch.setattr(guide, "look_at", lambda pages_dir, root, relative, exclude: (
        looked.append(relative), look_at(pages_dir, root, relative, exclude))[1])
    Path("pages/img").mkdir()
    Path("pages/img/new.png").write_bytes(PNG)
    save_and_rebuild("p12.md", "title: Page 12\nsort-order: 12\n\n![New](img/new.png)\n")
    assert sorted(looked) == ["img/new.png", "p12.md"]
    assert "/img/new.png" in live.current[0].site.resources
    save_and_rebuild("guide.toml", 'title = "Renamed"\n')  # the settings: every file again
    assert len(looked) == 2 + 15
    assert_same_as_a_fresh_start(live)


def test_reload_never_reads_a_page_that_became_a_link_leading_outside(make_pages, tmp_path):
    make_pages({"a.md": "title: A\n\nAlpha.\n", "inside.md": "title: Inside\n\nIn.\n"})
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text("title: Secret\n\nSecret words.\n")
    live = guide.ReloadingApp(guide.Settings(pages_dir=Path("pages"), reload=True),
                              log=io.StringIO())
    client = webtest.TestApp(live)
    steps = [  # a page replaced by a link while another page comes; a link re-pointed
        lambda: (Path("pages/a.md").unlink(),
                 Path("pages/a.md").symlink_to(tmp_path / "outside" / "secret.md"),
                 save("pages/b.md", "title: B\n\nBeta.\n")),
        lambda: Path("pages/link.md").symlink_to(Path("inside.md")),
        lambda: (Path("pages/link.md").unlink(),
                 Path("pages/link.md").symlink_to(tmp_path / "outside" / "secret.md"))]
    for step in steps:
        step()
        live.stamps = live.scan()
        problems = live.rebuild()
        assert "pages/a.md: warning: not read: it leads outside the pages folder" in map(
            str, problems)
        assert "Secret words" not in client.get("/a.html", status="*").text
        assert "Secret words" not in client.get("/link.html", status="*").text
    assert "pages/link.md: warning: not read: it leads outside the pages folder" in map(
        str, problems)


def test_reload_reads_a_file_that_guide_toml_no_longer_leaves_out(make_pages):
    make_pages({"guide.toml": 'exclude = ["notes.md"]\n', "a.md": "title: A\n\nAlpha.\n",
                "notes.md": "title: Notes\n\nNotes.\n"})
    live = guide.ReloadingApp(guide.Settings(pages_dir=Path("pages"), reload=True),
                              log=io.StringIO())
    for toml, slugs in [("", ["a", "notes"]), ('exclude = ["notes.md"]\n', ["a"]),
                        ("", ["a", "notes"])]:
        save("pages/guide.toml", toml)  # notes.md itself never changes
        live.stamps = live.scan()
        assert live.rebuild() == []
        assert [page.slug for page in live.current[0].site.guide.all_pages] == slugs
        assert_same_as_a_fresh_start(live)


def test_reload_keeps_a_tab_on_a_page_that_did_not_load_until_it_changes(reloading):
    live, save_and_rebuild = reloading
    save_and_rebuild("p12.md", "title: Page 12\ndraft: maybe\n\nWords of page 12.\n")
    client = webtest.TestApp(live)
    assert client.get("/p12.html", status=500).headers["Server-Timing"] == 'generation;desc="2"'
    save_and_rebuild("p05.md", "title: Page 5\nsort-order: 5\n\nNew words of page 5.\n")
    assert client.get("/_reload?path=/p12.html").text == "2"
    save_and_rebuild("p12.md", "title: Page 12\nsort-order: 12\n\nMended.\n")
    assert client.get("/_reload?path=/p12.html").text == "4"
    assert "Mended." in client.get("/p12.html").text


def test_reload_gives_the_feed_the_dates_of_the_files_as_they_are_now(reloading):
    live, save_and_rebuild = reloading
    live.current[0].site.answer("/feed.atom")  # a reader has it
    text = Path("pages/p05.md").read_text()
    for when in (1_700_000_000, 1_700_000_100):  # a save, then its undo: the file's time moves
        save_and_rebuild("p05.md", text if when % 200 else text.replace("Words", "Other words"))
        os.utime("pages/p05.md", (when, when))
        live.stamps = live.scan()
        live.rebuild()
    assert "2023-11-14T22:15:00+00:00" in live.current[0].site.answer(
        "/feed.atom").identity.body.decode()
    assert_same_as_a_fresh_start(live)


def assert_same_as_a_fresh_start(live: guide.ReloadingApp) -> None:
    """Assert that what live answers is what a fresh start on its pages answers."""
    fresh = guide.make_app(guide.load_guide(Path("pages")), preview=guide.Preview(
        live.generation, ()), views=guide.Views())
    site, fresh_site = live.current[0].site, fresh.site
    assert {*site.resources, *site.on_request} == {*fresh_site.resources,
                                                   *fresh_site.on_request}
    for url in {*fresh_site.resources, *fresh_site.on_request}:
        assert site.answer(url).identity.body == fresh_site.answer(url).identity.body, url
    for query in ["words", "page 7", "between", "pag", "page 3", "zebra"]:
        assert search(live, query) == [result.page.slug for result in
                                       fresh.site.renderer.search_index.search(query).results]
    index, fresh_index = site.renderer.search_index, fresh_site.renderer.search_index
    assert index.vocabulary == fresh_index.vocabulary
    assert [page.slug for page in index.in_order] == [page.slug for page in fresh_index.in_order]


def test_reload_after_an_added_or_removed_page_gives_the_site_a_fresh_start_gives(reloading):
    live, save_and_rebuild = reloading
    save_and_rebuild("p05b.md", "title: Page 5b\nsort-order: 5.5\n\nBetween five and six.\n")
    assert search(live, "between") == ["p05b"]
    assert_same_as_a_fresh_start(live)
    # A new page that ties with an old one comes first if the guide puts it first.
    save_and_rebuild("copy.md", "title: Page 3\nsort-order: 2.5\n\nWords of page 3.\n")
    assert search(live, "page 3") == ["copy", "p03"]
    assert_same_as_a_fresh_start(live)
    Path("pages/p07.md").unlink()
    save_and_rebuild("p05b.md", "title: Page 5b\nsort-order: 5.5\n\nBetween five and six.\n")
    assert search(live, "page 7") == []
    assert_same_as_a_fresh_start(live)


def test_reload_keeps_what_a_save_did_not_change_and_makes_the_rest_on_request(reloading):
    live, save_and_rebuild = reloading
    before = live.current[0].site
    index, sitemap = before.answer("/"), before.answer("/sitemap.xml")
    save_and_rebuild("p05.md", "title: Page 5\nsort-order: 5\n\nNew zebra words.\n")
    site = live.current[0].site
    # The index and sitemap show nothing of a page's text: kept as they were.
    assert site.answer("/") is index and site.answer("/sitemap.xml") is sitemap
    # What shows every page's text is made again, when it is asked for.
    assert not {"/feed.atom", "/all.html"} & site.kept_later.keys()
    assert "New zebra words." in site.answer("/all.html").identity.body.decode()
    assert_same_as_a_fresh_start(live)
    # A title is shown everywhere: the index too.
    save_and_rebuild("p06.md", "title: Page Six\nsort-order: 6\n\nWords of page 6.\n")
    assert "Page Six" in live.current[0].site.answer("/").identity.body.decode()
    assert_same_as_a_fresh_start(live)


def test_reload_shows_a_page_saved_while_a_view_was_broken_once_it_is_mended(reloading):
    live, save_and_rebuild = reloading
    views = Path("views")
    shutil.copytree(HERE / "views", views)
    live.views_dirs = [views, *live.views_dirs]
    page_view = views / "page.tpl"
    original = page_view.read_text()
    page_view.write_text(original + "\n{{undefined_name}}\n")
    save_and_rebuild("p05.md", "title: Page 5\nsort-order: 5\n\nNew zebra words.\n")
    assert "New zebra words." not in live.current[0].site.answer("/p05.html").identity.body.decode()
    page_view.write_text(original)
    save_and_rebuild("p06.md", "title: Page 6\nsort-order: 6\n\nWords of page 6, again.\n")
    assert "New zebra words." in live.current[0].site.answer("/p05.html").identity.body.decode()
    assert_same_as_a_fresh_start(live)


###############################################################################
# In a real browser ###########################################################
###############################################################################

CHROMIUM = "/usr/bin/chromium"  # Debian's; never a downloaded browser
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
VNU = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(present: bool, what: str) -> None:
    """Skip a test whose outside checker is missing here; in CI, where
    GUIDE_REQUIRE_CHECKERS=1, fail it instead."""
    if not present:
        if os.environ.get("GUIDE_REQUIRE_CHECKERS"):
            pytest.fail(f"{what} is missing")
        pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright."""
    require(Path(CHROMIUM).exists(), CHROMIUM)
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def watch_problems(page):
    """Record in page.problems the page's console errors (CSP violations
    among them), script errors and failed requests (but those the browser
    gave up itself because the tab went to another page: a favicon still
    on its way, say); return page."""
    page.problems = []
    page.on("console", lambda message: message.type == "error"
            and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("requestfailed", lambda request: request.failure != "net::ERR_ABORTED"
            and page.problems.append(f"failed: {request.url} ({request.failure})"))
    return page


@pytest.fixture
def tab(browser):
    """A fresh browser tab that records console errors and failed requests."""
    context = browser.new_context()
    yield watch_problems(context.new_page())
    context.close()


@pytest.fixture(scope="module")
def bundled_server():
    """Serve the bundled guide (for the screenshots) on a free loopback port."""
    yield from run_server(guide.make_app(guide.load_guide(HERE / "pages")))


def test_reader_walks_the_guide_with_next_and_previous(tab, bundled_server):
    site = guide.load_guide(HERE / "pages")
    tab.goto(bundled_server + "/")
    tab.click(f"ol.contents a[href='{site.pages[0].url}']")
    seen = [tab.inner_text("main h1")]
    while tab.locator("a[rel=next]").count():
        tab.click("a[rel=next]")
        seen.append(tab.inner_text("main h1"))
    # The reading order crosses into the frameworks chapter and out again.
    assert seen == [f"{site.numbers[page.slug]} {page.title}" for page in site.pages]
    assert "6.2 Flask" in seen
    tab.click("a[rel=prev]")
    assert tab.inner_text("main h1").endswith(site.pages[-2].title)
    assert tab.problems == []  # no console errors, CSP violations or failed requests


def test_a_tab_set_switches_panels_by_click_and_keyboard_without_a_script(tab, bundled_server):
    tab.goto(bundled_server + "/wsgi-servers.html")
    panels = tab.locator(".tabs .tab-panel")
    assert [panels.nth(index).is_visible() for index in range(3)] == [True, False, False]
    tab.click("label:has-text('Gunicorn')")
    assert [panels.nth(index).is_visible() for index in range(3)] == [False, True, False]
    tab.keyboard.press("ArrowRight")  # the focused radio button moves to the next tab
    assert [panels.nth(index).is_visible() for index in range(3)] == [False, False, True]
    assert "WSGIScriptAlias" in panels.nth(2).inner_text()
    assert tab.problems == []


@pytest.mark.parametrize("width, height", [(1280, 900), (360, 740)], ids=["desktop", "phone"])
def test_index_and_page_render_without_errors_at_every_width(browser, bundled_server,
                                                             width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    problems = []
    tab.on("console", lambda message: message.type == "error" and problems.append(message.text))
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in [("index", "/"), ("page", "/wsgi-servers.html")]:
        tab.goto(bundled_server + path)
        tab.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=False)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"
    if width < 600:  # the guide's navigation follows the content, one tap away
        tab.click("a.nav-jump")
        assert tab.evaluate("location.hash") == "#guide-nav"
        assert tab.locator("#guide-nav a[aria-current=page]").is_visible()
    context.close()
    assert problems == []


def test_reader_searches_from_the_header_and_opens_a_result(tab, bundled_server):
    tab.goto(bundled_server + "/introduction.html")
    tab.fill("header input[name=q]", "gunicorn workers")
    tab.press("header input[name=q]", "Enter")
    tab.wait_for_url("**/search.html?q=gunicorn+workers")
    first = tab.locator("ol.results li a").first
    assert first.inner_text() == "WSGI servers"
    assert tab.locator("ol.results mark").first.inner_text().lower() == "gunicorn"
    first.click()
    assert tab.inner_text("main h1") == "5 WSGI servers"
    assert tab.problems == []


class QuietFileHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve_folder(folder: Path):
    """Serve a folder of files the way a static host does; yield its URL."""
    handler = functools.partial(QuietFileHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_exported_site_searches_in_the_browser(tab, tmp_path):
    assert guide.main(["build", str(tmp_path / "site"), "--pages", str(HERE / "pages")]) == 0
    for base in serve_folder(tmp_path / "site"):
        tab.goto(base + "/search.html?q=Gunicorn%20work")
        tab.locator("ol.results li").first.wait_for(timeout=5000)
        assert tab.locator("ol.results li a").first.inner_text() == "WSGI servers"
        assert tab.locator("ol.results li a").first.evaluate("a => a.href") == (
            base + "/wsgi-servers.html#gunicorn")  # the section that matches
        assert tab.locator("ol.results li").first.locator(".result-section").inner_text() == (
            "› Gunicorn")
        marks = tab.locator("ol.results li").first.locator("mark").all_inner_texts()
        assert {mark.lower() for mark in marks} >= {"gunicorn", "worker"}
        assert tab.inner_text(".search-status").endswith("match “Gunicorn work”.")
        server_side = webtest.TestApp(guide.make_app(guide.load_guide(HERE / "pages")))
        expected = [result["title"] for result in server_side.get(
            "/search.json", {"q": "Gunicorn work"}).json["results"]]
        assert tab.locator("ol.results li > a").all_inner_texts() == expected
    assert tab.problems == []


# The exported search (static/search.js) answers as the server does.  A
# guide with what every kind of query needs (SEARCH_FEATURES), 22 pages
# that match "proxy" (more than one page of results), and one whose text
# is full of emoji, which JavaScript counts as two characters and Python
# as one, before a section and around a match.
PARITY_PAGES = {
    **SEARCH_FEATURES,
    **{f"proxy-{number:02}.md": f"title: Proxy recipe {number}\nsort-order: {10 + number}\n\n"
       f"Recipe {number} puts a proxy 🚦 in front{' of the proxies' if number % 3 else ''}.\n\n"
       f"## Step {number}\n\n" + "Cache it. " * (number % 4) + "Then reload.\n"
       for number in range(22)},
    "emoji.md": "title: Signals\nsort-order: 40\n\n"
                + " ".join(f"flag{number} 🚩" for number in range(50)) + " the needle "
                + " ".join(f"light{number} 🚥" for number in range(50))
                + "\n\n## Lamp room 💡\n\nThe lantern 🏮 is lit at dusk.\n",
}

PARITY_QUERIES = [
    ("servers", None), ("deploying", None), ("integration", None),  # forms of a word
    ("deplo", None), ("cach", None),                                 # the last word's start
    ("gunicron", None), ("ngixn", None), ("ngnx", None),             # typos, too short
    ('"gunicorn workers"', None), ('"workers gunicorn"', None),      # phrases
    ("gunicorn -threads", None), ("proxy -cache", None),             # left out
    ("网络应用", None), ('"网络应用"', None), ("服务器", None),        # Chinese
    ("café coffee", None), ("needle", None), ("lantern", None),      # sections, snippets
    ("zebra", None), ("?!…", None), ("?!…", "3"), ("-proxy", None),  # nothing to show
    ("proxy", None), ("proxy", "2"), ("proxy", "0"), ("proxy", "9"),  # pages of results
]

SHOWN_RESULTS = """() => ({
    title: document.title,
    status: document.querySelector('.search-status').textContent,
    start: document.querySelector('ol.results').getAttribute('start'),
    results: Array.from(document.querySelectorAll('ol.results > li')).map(item => ({
        title: item.querySelector('a').textContent,
        href: item.querySelector('a').href,
        section: item.querySelector('.result-section')
            ? item.querySelector('.result-section').textContent : null,
        snippet: item.querySelector('p').textContent,
        marks: Array.from(item.querySelectorAll('p mark')).map(mark => mark.textContent)})),
    more: Array.from(document.querySelectorAll('nav.search-more a')).map(
        link => [link.rel, link.textContent, link.href]),
    moreLabel: document.querySelector('nav.search-more')
        ? document.querySelector('nav.search-more').getAttribute('aria-label') : null})"""


def server_shown_results(client, tab, params: dict) -> dict:
    """Return SHOWN_RESULTS of the server's search page, its links made
    absolute as the browser makes them, from the page open in tab."""
    page = parse_html(client.get("/search.html", params).text)
    absolute = functools.partial(tab.evaluate, "url => new URL(url, location.href).href")
    results = []
    for item in page.findall(".//ol[@class='results']/li"):
        section = item.find("span[@class='result-section']")
        results.append({"title": item.find("a").text, "href": absolute(item.find("a").get("href")),
                        "section": None if section is None else section.text,
                        "snippet": "".join(item.find("p").itertext()),
                        "marks": [mark.text for mark in item.iter("mark")]})
    more = page.find(".//nav[@class='search-more']")
    return {"title": page.find(".//title").text,
            "status": "".join(page.find(".//p[@class='search-status']").itertext()),
            "start": page.find(".//ol[@class='results']").get("start"), "results": results,
            "more": [[link.get("rel"), link.text, absolute(link.get("href"))]
                     for link in page.findall(".//nav[@class='search-more']/a")],
            "moreLabel": None if more is None else more.get("aria-label")}


def test_the_exported_search_answers_every_query_as_the_server_does(tab, tmp_path, make_pages):
    pages = make_pages(PARITY_PAGES)
    assert guide.main(["build", str(tmp_path / "site"), "--pages", str(pages)]) == 0
    client = webtest.TestApp(guide.make_app(guide.load_guide(pages)))
    for base in serve_folder(tmp_path / "site"):
        for query, page in PARITY_QUERIES:
            params = {"q": query, **({"page": page} if page else {})}
            tab.goto(base + "/search.html?" + urllib.parse.urlencode(params))
            tab.wait_for_function("!document.querySelector('.search-status')"
                                  ".hasAttribute('aria-busy')", timeout=5000)
            shown = tab.evaluate(SHOWN_RESULTS)
            assert shown == server_shown_results(client, tab, params), params
            data = client.get("/search.json", params).json
            assert [(result["title"], tab.evaluate("url => new URL(url, location.href).href",
                                                    base + result["url"]),
                     f"› {result['section']}" if result["section"] else None)
                    for result in data["results"]] == [
                (result["title"], result["href"], result["section"])
                for result in shown["results"]], params
            assert shown["start"] == str(data["start"] + 1)
            if data["results"]:
                assert shown["status"].startswith(f"{data['count']} page")
    # What the queries cover: more than a page, sections, typos, phrases.
    assert data["count"] == 22 and data["start"] == 20  # page 9, past the last: the last
    proxy = client.get("/search.json", {"q": "proxy"}).json
    assert proxy["count"] == 22 and len(proxy["results"]) == 20
    assert problems_but_icons(tab) == []


def test_the_exported_search_answers_in_the_guide_s_language(tab, tmp_path, make_pages):
    pages = make_pages({**GERMAN_GUIDE, **{
        f"server-{number:02}.md": f"title: Server {number}\nsort-order: {10 + number}\n\n"
                                  "Ein Server.\n" for number in range(21)},
        # Not stemmed as English, which would take Kurs (a course) to kur (a cure).
        "kur.md": "title: Kur\n\nEine Kur.\n", "kurs.md": "title: Kurs\n\nEin Kurs.\n"})
    assert guide.main(["build", str(tmp_path / "site"), "--pages", str(pages)]) == 0
    client = webtest.TestApp(guide.make_app(guide.load_guide(pages)))
    statuses = []
    for base in serve_folder(tmp_path / "site"):
        for params in [{"q": "Server"}, {"q": "Server", "page": "2"}, {"q": "Willkommen"},
                       {"q": "Kurs"}, {"q": "Zebra"}, {"q": "-"}]:
            tab.goto(base + "/search.html?" + urllib.parse.urlencode(params))
            tab.wait_for_function("!document.querySelector('.search-status')"
                                  ".hasAttribute('aria-busy')", timeout=5000)
            shown = tab.evaluate(SHOWN_RESULTS)
            assert shown == server_shown_results(client, tab, params), params
            statuses.append(shown["status"])
    assert statuses[1] == "23 Seiten passen zu „Server“. Angezeigt: 21 bis 23."
    assert statuses[3] == "1 Seite passt zu „Kurs“."
    assert shown["moreLabel"] is None and statuses[-1] == guide.WORDS["de"]["search_words"]
    assert problems_but_icons(tab) == []


def problems_but_icons(tab) -> list[str]:
    """Return the tab's problems but a request for the page's icon that
    failed: going on to the next page may cancel it."""
    return [problem for problem in tab.problems
            if not (problem.startswith("failed: ") and "/static/favicon." in problem)]


# Words for the two stemmers to agree on: STEMS, the forms they split or
# join in odd ways, and words they leave alone (short, not ASCII letters).
STEM_WORDS = [word for word, _stem in STEMS] + [
    "uses", "cases", "goes", "hoping", "hoped", "hope", "tries", "tried", "trying", "flies",
    "fly", "agreed", "agree", "needs", "news", "buses", "addresses", "processes", "releases",
    "databases", "proxies", "proxy", "hopping", "installing", "installed", "falling",
    "buzzed", "played", "says", "seeing", "eeing", "canning", "sss", "ies", "sses", "aaed",
    "xyzing", "Flask", "ASGI", "naïve", "𐐨𐐯𐐻𐐼", "x", "", "日本語"]


def test_the_exported_search_stems_every_word_as_the_server_does(tab, tmp_path, make_pages):
    out = tmp_path / "out"
    build_lighthouse_guide(make_pages, out, "--relative")
    tab.goto(out.as_uri() + "/search.html")  # without a query: search.js only loads
    assert tab.evaluate("Object.keys(window.guideSearch)") == ["stem"]
    stems = tab.evaluate("words => words.map(window.guideSearch.stem)", STEM_WORDS)
    assert len(STEM_WORDS) >= 60
    assert dict(zip(STEM_WORDS, stems)) == {word: guide.stem(word) for word in STEM_WORDS}
    assert tab.problems == []


LIGHTHOUSE_PAGES = {
    "intro.md": """
        title: Introduction
        sort-order: 1

        Welcome. The manual tells how a lighthouse is kept.
        """,
    "manual/index.md": """
        title: Lighthouse manual
        sort-order: 2

        How a lighthouse is kept, chapter by chapter.
        """,
    "manual/lamps.md": """
        title: Lamps
        sort-order: 3

        The lamps of the lighthouse are trimmed at dusk.
        """,
}


def build_lighthouse_guide(make_pages, out: Path, *options: str) -> None:
    """Export a small guide with a folder page (/manual/) into out."""
    make_pages(LIGHTHOUSE_PAGES)
    assert guide.main(["build", str(out), "--pages", "pages", *options]) == 0
    assert (out / "search" / "meta.js").is_file() and (out / "manual" / "index.html").is_file()


def test_the_exported_search_finds_its_index_and_pages_under_a_prefix(tab, tmp_path,
                                                                       make_pages):
    # A static host that serves the export at /sub/, and nothing at its
    # root: search.js must find its index (search/...) and the pages from
    # search.html's own address, not from the host's root.
    build_lighthouse_guide(make_pages, tmp_path / "host" / "sub", "--base-url", "/sub/")
    requested = []
    tab.on("request", lambda request: requested.append(request.url))
    for base in serve_folder(tmp_path / "host"):
        tab.goto(base + "/sub/search.html?q=lighthouse")
        tab.locator("ol.results li").first.wait_for(timeout=5000)
        assert tab.inner_text(".search-status") == "3 pages match “lighthouse”."
        links = tab.locator("ol.results li > a")
        assert links.all_inner_texts()[0] == "Lighthouse manual"
        assert sorted(links.evaluate_all("links => links.map(a => a.href)")) == [
            base + "/sub/intro.html", base + "/sub/manual/", base + "/sub/manual/lamps.html"]
        assert base + "/sub/search/meta.js" in requested
        assert {base + f"/sub/search/page-{number}.js" for number in range(3)} <= set(requested)
        assert all(url.startswith(base + "/sub/") for url in requested), requested
        links.first.click()
        tab.wait_for_url(base + "/sub/manual/")
        assert tab.inner_text("main h1").endswith("Lighthouse manual")
    assert tab.problems == []


def test_the_exported_search_works_from_the_file_system(tab, tmp_path, make_pages):
    out = tmp_path / "out"
    build_lighthouse_guide(make_pages, out, "--relative")
    tab.goto(out.as_uri() + "/search.html?q=lighthouse")
    tab.locator("ol.results li").first.wait_for(timeout=5000)
    links = tab.locator("ol.results li > a")
    assert links.all_inner_texts()[0] == "Lighthouse manual"
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    # A folder's page is its index.html: file:// has no directory index.
    assert hrefs[0] == out.as_uri() + "/manual/index.html"
    assert sorted(hrefs) == [out.as_uri() + "/intro.html", out.as_uri() + "/manual/index.html",
                             out.as_uri() + "/manual/lamps.html"]
    for href in hrefs:
        path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(href).path))
        assert path.is_file() and path.is_relative_to(out)
    assert tab.problems == []
    (out / "search" / "meta.js").unlink()  # a copy without the index says so
    tab.reload()
    tab.wait_for_function("document.querySelector('.search-status').textContent"
                          " === 'Search is not available here.'", timeout=5000)
    assert tab.locator("ol.results li").count() == 0


# What readers of a large guide type: one or two words, the last one
# unfinished, a typo; and a phrase, which reads the text of every page that
# has its words (phrases are rare: that one may download more).
LARGE_QUERIES = ["configuration", "waitress install", "settings star", "configuraton",
                 '"settings are read"']


def test_a_query_of_the_exported_search_downloads_little_of_a_large_guide(browser, tmp_path):
    # The whole index of 700 pages is about 800 kB compressed; a query
    # downloads search.js, search/meta.js, the chunks of its terms and the
    # pages of the results it shows: at most 100 kB, compressed as a
    # static host serves it, with everything else the search page loads.
    pages, out = tmp_path / "pages", tmp_path / "site"
    write_large_guide(pages, 700)
    assert guide.main(["build", str(out), "--pages", str(pages)]) == 0
    client = webtest.TestApp(guide.make_app(guide.load_guide(pages)))
    downloaded = {}
    for base in serve_folder(out):
        for query in LARGE_QUERIES:
            context = browser.new_context()  # nothing cached from the query before
            tab = watch_problems(context.new_page())
            urls = []
            tab.on("response", lambda response: urls.append(response.url))
            tab.goto(base + "/search.html?" + urllib.parse.urlencode({"q": query}))
            tab.wait_for_function("!document.querySelector('.search-status')"
                                  ".hasAttribute('aria-busy')", timeout=20000)
            shown = tab.evaluate(SHOWN_RESULTS)
            assert shown == server_shown_results(client, tab, {"q": query}), query
            count = client.get("/search.json", {"q": query}).json["count"]
            assert shown["status"].startswith(f"{count} pages match"), query
            assert tab.problems == []
            context.close()
            paths = set()
            for url in urls:
                assert url.startswith(base + "/"), url
                path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
                paths.add(out / (path.lstrip("/") + ("index.html" if path.endswith("/") else "")))
            assert any(path.name.startswith("search.") and path.suffix == ".js"
                       for path in paths)  # search.js counts too
            assert not any(path.name == "search-index.js" for path in paths)
            downloaded[query] = sum(len(gzip.compress(path.read_bytes(), 6)) for path in paths)
    print("bytes a query downloads, compressed:", downloaded)
    assert all(downloaded[query] <= 100_000 for query in LARGE_QUERIES[:-1]), downloaded
    assert count == 700  # the phrase: on every page, as the server counts


def styled_by_guide_css(page) -> bool:
    """Return whether guide.css applies to page, once page has made every
    request it makes on its own (the icon among them, which a click away
    too soon would cancel): the browser's own style gives <body> an 8px
    margin and the header display: block."""
    page.wait_for_load_state("networkidle")
    return page.evaluate("""() => getComputedStyle(document.body).marginTop === '0px'
        && getComputedStyle(document.querySelector('.site-header')).display === 'flex'""")


def test_a_relative_build_works_from_the_file_system(tab, tmp_path, make_pages):
    make_pages(SUBFOLDER_GUIDE)
    out = (tmp_path / "out").resolve()
    assert guide.main(["build", str(out), "--pages", "pages", "--relative"]) == 0
    tab.goto((out / "servers/proxies/nginx.html").as_uri())
    assert tab.inner_text("main h1").endswith("Nginx") and styled_by_guide_css(tab)
    assert tab.eval_on_selector("main article img[alt=Diagram]",
                                "image => image.complete && image.naturalWidth") > 0
    tab.click("#guide-nav a:has-text('Flask')")
    tab.wait_for_url((out / "flask.html").as_uri())
    assert tab.inner_text("main h1").endswith("Flask") and styled_by_guide_css(tab)
    tab.click("a[rel=next]")  # to a chapter's own page: a folder's index.html
    tab.wait_for_url((out / "servers/index.html").as_uri())
    assert tab.inner_text("main h1").endswith("Servers") and styled_by_guide_css(tab)
    tab.click("#guide-nav a.nav-chapter:has-text('Deploy')")  # a folder without its own page
    tab.wait_for_url((out / "deploy/docker.html").as_uri())
    assert tab.inner_text("main h1").endswith("Docker") and styled_by_guide_css(tab)
    tab.goto((out / "servers/nginx/index.html").as_uri())  # an old name sends the reader on
    tab.wait_for_url((out / "servers/proxies/nginx.html").as_uri())
    assert tab.inner_text("main h1").endswith("Nginx") and styled_by_guide_css(tab)
    assert tab.problems == []  # no console errors or failed requests: every file was found


def test_a_relative_build_works_from_any_folder_of_a_static_host(tab, tmp_path, make_pages):
    make_pages(SUBFOLDER_GUIDE)
    out = tmp_path / "root" / "some" / "sub" / "folder"
    assert guide.main(["build", str(out), "--pages", "pages", "--relative"]) == 0
    for base in serve_folder(tmp_path / "root"):
        site = base + "/some/sub/folder/"
        tab.goto(site + "servers/proxies/nginx.html")
        assert styled_by_guide_css(tab)
        assert tab.eval_on_selector("main article img[alt=Diagram]",
                                    "image => image.complete && image.naturalWidth") > 0
        tab.click("#guide-nav a:has-text('Servers')")
        tab.wait_for_url(site + "servers/index.html")
        assert styled_by_guide_css(tab)
        tab.fill("header input[name=q]", "nginx")
        tab.press("header input[name=q]", "Enter")
        tab.wait_for_url(site + "search.html?q=nginx")
        first = tab.locator("ol.results li > a").first
        first.wait_for(timeout=5000)
        assert first.evaluate("a => a.href") == site + "servers/proxies/nginx.html"
        assert styled_by_guide_css(tab)
        first.click()
        tab.wait_for_url(site + "servers/proxies/nginx.html")
        assert styled_by_guide_css(tab)
    assert tab.problems == []


AXE_PAGES = ["/", "/wsgi-servers.html", "/search.html?q=wsgi", "/no-such-page", "/all.html"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_accessibility_violations(browser, bundled_server, scheme):
    require(AXE.exists(), "axe-core (npm install)")
    # Injecting axe is an inline script: let this context ignore the CSP.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    tab = context.new_page()
    found = {}
    for path in AXE_PAGES:
        tab.goto(bundled_server + path)
        violations, _passed = run_axe(tab)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}, json.dumps(found, indent=1)


def run_axe(page) -> tuple[list[str], set[str]]:
    """Run axe-core on page (in a context that bypasses the CSP); return
    its violations ('rule: elements') and the rules that applied and passed."""
    page.add_script_tag(path=str(AXE))
    violations, passed = page.evaluate("""async () => {
        const results = await axe.run();
        return [results.violations.map(violation => violation.id + ": "
                    + violation.nodes.map(node => node.target).join(", ")),
                results.passes.map(rule => rule.id)];
    }""")
    return violations, set(passed)


def test_every_exported_page_is_valid_html(tmp_path):
    require(VNU.exists() and shutil.which("java") is not None, "vnu.jar and java")
    (tmp_path / "pages").mkdir()
    for source in (HERE / "pages").rglob("*"):
        if source.is_file():
            target = tmp_path / "pages" / source.relative_to(HERE / "pages")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    (tmp_path / "pages" / "news.md").write_text(
        "title: News\ncategory: post\ndate: 2026-11-24\n\nA post.\n")
    site = tmp_path / "site"
    assert guide.main(["build", str(site), "--pages", str(tmp_path / "pages"),
                       "--site-url", "https://guide.example.org",
                       "--edit-url", "https://git.example.org/edit/pages/"]) == 0
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             "--skip-non-html", str(site)],
                            capture_output=True, text=True, timeout=180)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert [f"{message.get('url')}:{message.get('lastLine')}: {message['message']}"
            for message in messages] == []
    assert len(list(site.rglob("*.html"))) >= 15


def test_an_open_tab_refreshes_itself_after_a_save(tab, live_reload):
    base, _live, _log = live_reload
    tab.goto(base + "/servers.html")
    assert tab.inner_text("main article p") == "Servers serve."
    save("pages/servers.md", "title: Servers\nsort-order: 2\n\nSaved a moment ago.\n")
    # No reload or navigation by the test: the page's own script must do it.
    tab.locator("main article p", has_text="Saved a moment ago.").wait_for(timeout=5000)
    assert tab.problems == []


# The theme, the page's own contents, tables and the header ###################

def luminance(colour: str) -> float:
    """Return the relative luminance (WCAG 2) of a computed opaque rgb()
    colour: 0 for black, 1 for white."""
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", colour)
    assert match and float(match.group(4) or 1) == 1, f"not an opaque colour: {colour}"
    red, green, blue = [channel / 12.92 if channel <= 0.03928
                        else ((channel + 0.055) / 1.055) ** 2.4
                        for channel in (int(part) / 255 for part in match.groups()[:3])]
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def colour_luminance(page, selector: str = "body", which: str = "backgroundColor") -> float:
    """Return the luminance of a computed colour of selector's first element."""
    return luminance(page.locator(selector).first.evaluate(
        "(element, which) => getComputedStyle(element)[which]", which))


def theme_state(page) -> dict:
    """Return what theme.js says on <html> and keeps in localStorage."""
    return page.evaluate("""() => ({
        theme: document.documentElement.getAttribute("data-theme"),
        choice: document.documentElement.getAttribute("data-theme-choice"),
        stored: localStorage.getItem("guide-theme"),
        colorScheme: document.querySelector('meta[name="color-scheme"]').content})""")


def choose_theme(page, choice: str) -> None:
    """Press the header's theme switch until it shows choice (it has three)."""
    for _press in range(3):
        if theme_state(page)["choice"] == choice:
            break
        page.click("button.theme-switch")
    assert theme_state(page)["choice"] == choice


def pausing_after(app, path: str, marker: bytes, go_on: threading.Event):
    """Wrap app to send the page at path up to the end of marker, then to
    wait for go_on (10 s at most) before sending the rest, as a slow
    network would: meanwhile the browser paints the part it has."""
    def paused(environ, start_response):
        if environ["PATH_INFO"] != path:
            return app(environ, start_response)
        environ = {name: value for name, value in environ.items() if name not in (
            "HTTP_ACCEPT_ENCODING", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")}
        answer = app(environ, start_response)
        try:
            body = b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()
        cut = body.index(marker) + len(marker)

        def parts():
            yield body[:cut]
            go_on.wait(timeout=10)
            yield body[cut:]
        return parts()
    return paused


def test_a_chosen_theme_holds_on_every_page_from_the_first_paint_until_auto(tab):
    site = guide.load_guide(HERE / "pages")
    go_on = threading.Event()  # the rest of /wsgi-servers.html after its header
    app = pausing_after(guide.make_app(site), "/wsgi-servers.html", b"</header>", go_on)
    try:
        for base in run_server(app):  # waitress sends each part as it comes
            tab.goto(base + "/")
            other = watch_problems(tab.context.new_page())  # another tab of the guide
            other.goto(base + "/http.html")
            assert theme_state(tab) == {"theme": None, "choice": "auto", "stored": None,
                                        "colorScheme": "light dark"}
            assert colour_luminance(tab) > 0.8  # the system's theme: light
            assert tab.get_by_role("button", name="Theme: Auto").is_visible()

            choose_theme(tab, "dark")
            assert theme_state(tab) == {"theme": "dark", "choice": "dark", "stored": "dark",
                                        "colorScheme": "dark"}
            assert colour_luminance(tab) < 0.05
            assert tab.get_by_role("button", name="Theme: Dark").is_visible()
            other.wait_for_function("() => document.documentElement.dataset.theme === 'dark'",
                                    timeout=5000)
            assert colour_luminance(other) < 0.05

            # The next page is dark from its first paint: it has painted
            # its header while the rest of it is still on its way.
            tab.click("ol.contents a[href='/wsgi-servers.html']")
            tab.wait_for_function("""() => location.pathname === "/wsgi-servers.html"
                && performance.getEntriesByType("paint").some(
                    entry => entry.name === "first-contentful-paint")""", timeout=5000)
            assert tab.evaluate("[document.readyState, document.querySelector('main')]") == [
                "loading", None]
            assert theme_state(tab)["theme"] == "dark"
            assert colour_luminance(tab) < 0.05
            assert colour_luminance(tab, "a.site-title", "color") > 0.5  # light on dark
            go_on.set()
            tab.wait_for_load_state("load")
            assert theme_state(tab)["theme"] == "dark"
            assert colour_luminance(tab) < 0.05
            # highlight.css, which knows only the system's theme, follows too.
            assert colour_luminance(tab, "pre.highlight") < 0.05

            tab.reload()
            assert theme_state(tab) == {"theme": "dark", "choice": "dark", "stored": "dark",
                                        "colorScheme": "dark"}
            assert colour_luminance(tab) < 0.05
            assert colour_luminance(tab, "pre.highlight") < 0.05

            choose_theme(tab, "auto")
            assert theme_state(tab) == {"theme": None, "choice": "auto", "stored": None,
                                        "colorScheme": "light dark"}
            assert colour_luminance(tab) > 0.8
            assert colour_luminance(tab, "pre.highlight") > 0.8
            other.wait_for_function("() => !document.documentElement.hasAttribute('data-theme')",
                                    timeout=5000)
            assert colour_luminance(other) > 0.8
            assert other.problems == []
    finally:
        go_on.set()
    assert tab.problems == []  # no script errors, CSP violations or failed requests


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_without_javascript_the_switch_is_hidden_and_the_systems_theme_applies(
        browser, bundled_server, scheme):
    context = browser.new_context(java_script_enabled=False, color_scheme=scheme)
    try:
        tab = watch_problems(context.new_page())
        tab.goto(bundled_server + "/wsgi-servers.html")
        assert tab.locator("button.theme-switch").is_hidden()
        assert theme_state(tab)["choice"] is None
        if scheme == "dark":
            assert colour_luminance(tab) < 0.05
            assert colour_luminance(tab, "pre.highlight") < 0.05
        else:
            assert colour_luminance(tab) > 0.8
            assert colour_luminance(tab, "pre.highlight") > 0.8
        assert tab.problems == []
    finally:
        context.close()


def test_on_this_page_is_a_sticky_column_on_wide_screens_and_inline_on_phones(tab,
                                                                              bundled_server):
    toc, text = tab.locator("nav.page-toc"), tab.locator("article.page > p").first
    tab.set_viewport_size({"width": 1400, "height": 900})
    tab.goto(bundled_server + "/wsgi-servers.html")
    box, text_box = toc.bounding_box(), text.bounding_box()
    assert box["x"] >= text_box["x"] + text_box["width"]  # right of the text, not over it
    assert box["x"] + box["width"] <= 1400
    assert tab.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    tab.evaluate("window.scrollTo(0, 1500)")
    assert tab.evaluate("scrollY") > 1000  # as far down as the page goes
    box = toc.bounding_box()
    assert 0 <= box["y"] <= 100 and box["height"] > 50  # still in view, at the top
    assert box["x"] >= text.bounding_box()["x"] + text_box["width"]

    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(bundled_server + "/wsgi-servers.html")
    box, text_box = toc.bounding_box(), text.bounding_box()
    content = tab.locator("main#content").bounding_box()
    assert abs(box["x"] - content["x"]) <= 2 and abs(box["width"] - content["width"]) <= 2
    assert box["y"] + box["height"] <= text_box["y"]  # above the text, in its column
    tab.evaluate("window.scrollTo(0, 1500)")
    assert tab.evaluate("scrollY") == 1500
    box = toc.bounding_box()
    assert box["y"] + box["height"] < 0  # scrolled away with the text
    assert tab.problems == []


WIDE_WORDS = ["configuration", "authentication", "serialisation", "internationalisation",
              "middleware"]
WIDE_TABLE_GUIDE = {  # a logo, and a page with a table far wider than a phone
    "guide.toml": 'title = "Deploying Python Web Applications"\nlogo = "img/logo.png"\n',
    "img/logo.png": PNG,
    "intro.md": "title: Introduction\nsort-order: 1\n\nWelcome.\n",
    "settings.md": "title: Settings\nsort-order: 2\n\nEvery setting at once.\n\n"
                   + "| " + " | ".join(f"Setting {column} {WIDE_WORDS[column % 5]}"
                                       for column in range(20)) + " |\n"
                   + "|" + "---|" * 20 + "\n"
                   + "".join("| " + " | ".join(f"{WIDE_WORDS[(column + row) % 5]}-{row}"
                                               for column in range(20)) + " |\n"
                             for row in range(3))
                   + "\n## After the table\n\nMore text.\n",
}


def test_a_wide_table_scrolls_in_a_region_the_keyboard_reaches_and_axe_passes(browser,
                                                                               make_pages):
    app = guide.make_app(guide.load_guide(make_pages(WIDE_TABLE_GUIDE)))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        for base in run_server(app):
            tab = watch_problems(context.new_page())
            tab.goto(base + "/settings.html")
            region = tab.get_by_role("region", name="Table 1")
            assert region.evaluate("element => element.scrollWidth > 2 * element.clientWidth")
            for _press in range(30):  # from the top of the page
                tab.keyboard.press("Tab")
                if tab.evaluate("document.activeElement.classList.contains('table-scroll')"):
                    break
            assert region.evaluate("element => element === document.activeElement")
            assert region.evaluate("element => element.scrollLeft") == 0
            # (Chromium lets the keyboard into a scrolling box even without
            # tabindex="0"; axe, below, asks for it for other browsers.)
            tab.keyboard.press("ArrowRight")
            tab.wait_for_function("() => document.activeElement.scrollLeft > 0", timeout=5000)
            # The table scrolls inside its region; the page does not move.
            assert tab.evaluate("[scrollX, document.documentElement.scrollWidth - innerWidth]"
                                ) == [0, 0]
            assert tab.problems == []
    finally:
        context.close()

    require(AXE.exists(), "axe-core (npm install)")
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    found = {}
    try:
        for base in run_server(app):
            tab = context.new_page()
            for width, scheme in [(390, "light"), (390, "dark"), (1280, "light"),
                                  (1280, "dark")]:
                tab.set_viewport_size({"width": width, "height": 844})
                tab.emulate_media(color_scheme=scheme)
                tab.goto(base + "/settings.html")
                dark = colour_luminance(tab) < 0.05
                assert dark == (scheme == "dark")
                violations, passed = run_axe(tab)
                assert "scrollable-region-focusable" in passed  # the rule applied
                if violations:
                    found[f"{width} {scheme}"] = violations
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1)


def test_the_header_stays_one_short_line_on_a_phone_with_or_without_a_logo(
        browser, bundled_server, make_pages):
    app = guide.make_app(guide.load_guide(make_pages(WIDE_TABLE_GUIDE)))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = watch_problems(context.new_page())
        for base in run_server(app):
            for url, logo in [(bundled_server + "/", False),
                              (bundled_server + "/wsgi-servers.html", False),
                              (base + "/settings.html", True)]:
                tab.goto(url)
                header = tab.locator("header.site-header").bounding_box()
                assert header["height"] <= 64, url
                assert tab.locator("img.site-logo").count() == logo
                if logo:
                    image = tab.locator("header img.site-logo")
                    assert image.is_visible()
                    assert image.evaluate("image => image.complete && image.naturalWidth") > 0
                for part in ["a.site-title", "#search-box", "a.nav-jump", "button.theme-switch"]:
                    box = tab.locator(part).bounding_box()
                    assert box and box["y"] >= 0 and box["y"] + box["height"] <= header["height"], \
                        (url, part)
        assert tab.problems == []
    finally:
        context.close()


def test_a_headings_link_shows_only_on_hover_or_keyboard_focus(tab, bundled_server):
    tab.goto(bundled_server + "/wsgi-servers.html")
    heading = tab.locator("article h2:has(> a.self-link)").first
    link = heading.locator("a.self-link")
    opacity = lambda: float(link.evaluate("link => getComputedStyle(link).opacity"))
    tab.mouse.move(0, 0)
    assert opacity() == 0
    assert link.get_attribute("aria-label") == "Link to this section"  # still read out
    link.focus()
    assert opacity() > 0
    link.blur()
    assert opacity() == 0
    heading.hover()
    assert opacity() > 0
    tab.mouse.move(0, 0)
    assert opacity() == 0
    tab.reload()  # reached with Tab from the top of the page, as a keyboard user would
    for _press in range(40):
        tab.keyboard.press("Tab")
        if link.evaluate("link => link === document.activeElement"):
            break
    assert link.evaluate("link => link === document.activeElement")
    assert opacity() > 0
    assert tab.problems == []


# The theme's words are the guide's language's (guide.toml's `language`),
# reworded where guide.toml's [words] says so; a right-to-left language
# mirrors the layout.

GERMAN_GUIDE = {
    "guide.toml": 'title = "Der Leitfaden"\nlanguage = "de"\n',
    "intro.md": "title: Einführung\nsort-order: 1\n\nWillkommen bei der Server-Kunde.\n\n"
                "## Erste Schritte\n\n"
                "Lies weiter.\n\n## Danach\n\nMehr.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
                "!!! warning\n    Vorsicht.\n\n> [!TIP]\n> Ein Tipp.\n\n"
                "- [x] fertig\n- [ ] offen\n",
    "server.md": "title: Server\nsort-order: 2\nmodified: 2026-02-03\n\nServer dienen.\n",
    "neu.md": "title: Neuigkeiten\ncategory: post\ndate: 2026-02-03\n\nEtwas Neues.\n",
}


def english_words_in(text: str, language: str = "de") -> list[str]:
    """Return the theme's English words (those language says otherwise) in text."""
    return [english for key, english in guide.WORDS["en"].items()
            if "{" not in english and key not in ("date", "months")
            and english != guide.WORDS[language][key]
            and re.search(rf"(?<!\w){re.escape(english)}(?!\w)", text)]


def test_a_german_guide_speaks_german_everywhere_and_writes_german_dates(make_pages):
    client = webtest.TestApp(guide.make_app(guide.load_guide(make_pages(GERMAN_GUIDE))))
    text = client.get("/intro.html").text
    assert '<html lang="de" dir="ltr">' in text
    for shown in [
            '<a class="skip-link" href="#content">Zum Inhalt springen</a>',  # the header
            'aria-label="Suche auf der Website"', '>Im Leitfaden suchen</label>',
            'placeholder="Suchen"', '<span class="button-text">Suchen</span>',
            '<a class="nav-jump" href="#guide-nav">Inhalt</a>',
            'title="Farbschema: automatisch, hell oder dunkel"',
            '<span class="visually-hidden">Farbschema: </span>',
            '<span class="theme-switch-name theme-light">Hell</span>',
            '<nav id="guide-nav" class="guide-nav" aria-label="Leitfaden">',  # the navigation
            '<summary>Inhalt</summary>', '<a href="/blog/">Blog</a>',
            '<nav class="page-toc" aria-label="Auf dieser Seite">',  # the page's contents
            '<h2>Auf dieser Seite</h2>',
            '<nav class="pager" aria-label="Vorige und nächste Seite">',  # the pager
            '<span>Weiter</span> Server</a>',
            '>der ganze Leitfaden auf einer Seite</a>', '>Atom-Feed</a>',  # the footer
            'aria-label="Link zu diesem Abschnitt">#</a>',  # what rendering wrote
            'aria-label="Tabelle 1"><table>', '<p class="callout-title">Warnung</p>',
            '<p class="callout-title">Tipp</p>', 'checked aria-label="erledigt">',
            'aria-label="nicht erledigt">']:
        assert shown in text
    assert english_words_in(text) == []
    text = client.get("/server.html").text
    assert '<span>Zurück</span> Einführung</a>' in text
    assert re.search(r'Zuletzt aktualisiert <time datetime="2026-02-03[^"]*">'
                     r'3\. Februar 2026</time>', text)
    assert re.search(r'Veröffentlicht <time datetime="2026-02-03[^"]*">3\. Februar 2026</time>',
                     client.get("/neu.html").text)
    assert re.search(r'<time datetime="2026-02-03[^"]*">3\. Februar 2026</time>',
                     client.get("/blog/").text)

    search = client.get("/search.html").text  # its form, a hint, then its answers
    main = search[search.index("<main"):search.index("</main>")]
    assert '<form role="search" aria-label="Erneut suchen"' in main
    assert '<label for="search-query">Im Leitfaden suchen</label>' in main
    assert "Durchsucht Titel, Überschriften und Text jeder Seite." in main
    assert english_words_in(main) == []
    # The words the exported site's search (static/search.js) answers in.
    said = json.loads(parse_html(search).find(".//div[@class='search-page']").get("data-words"))
    assert said["matches"] == "{count} Seiten passen zu „{query}“."
    assert said["next_n"] == "Nächste {n}"
    for query, status in [("Willkommen", "1 Seite passt zu „Willkommen“."),
                          ("Server", "2 Seiten passen zu „Server“."),
                          ("Zebra", "Keine Seite passt zu „Zebra“."),
                          ("-", "Geben Sie ein oder mehrere Suchwörter ein.")]:
        page = parse_html(client.get("/search.html", {"q": query}).text)
        assert page.find(".//p[@class='search-status']").text == status

    missing = client.get("/intro-page", status=404).text  # with a suggestion
    main = missing[missing.index("<main"):missing.index("</main>")]
    assert "<h1>Seite nicht gefunden</h1>" in main
    assert "<p>Unter /intro-page gibt es keine Seite.</p>" in main
    assert "<p>Vielleicht suchten Sie:</p>" in main and ">Einführung</a>" in main
    assert '<a href="/">Zum Inhaltsverzeichnis</a>' in main
    assert english_words_in(missing) == []
    refused = client.post("/intro.html", status=405).text
    assert "<h1>Methode nicht erlaubt</h1>" in refused and english_words_in(refused) == []


def test_every_language_has_every_word_with_the_same_placeholders():
    english = guide.WORDS["en"]

    def placeholders(text):
        return sorted(name for _text, name, _spec, _conversion in string.Formatter().parse(text)
                      if name is not None)
    for language, words in guide.WORDS.items():
        assert words.keys() == english.keys(), language
        for key, text in words.items():
            if key == "date":  # a date may be written with the month's name or number
                assert {"day", "year"} <= set(placeholders(text)) <= {
                    "day", "month", "month_number", "year"}, language
            else:
                assert placeholders(text) == placeholders(english[key]), (language, key)
            assert text or (key == "months" and language in ("zh", "ja")), (language, key)
        assert len(words["months"].split()) in (0, 12), language


@pytest.mark.parametrize("language, skip_link, all_pages", [
    ("ar", "تخطي إلى المحتوى", "عدد الصفحات: 2"), ("he", "דילוג לתוכן", "2 דפים"),
    ("fa", "رفتن به محتوا", "۲ صفحه")])
def test_a_right_to_left_guide_speaks_its_language_with_no_words_of_its_own(
        make_pages, language, skip_link, all_pages):
    client = webtest.TestApp(guide.make_app(guide.load_guide(make_pages({
        **{name: text for name, text in GERMAN_GUIDE.items() if name != "guide.toml"},
        "guide.toml": f'title = "T"\nlanguage = "{language}"\n'}))))
    text = client.get("/intro.html").text
    assert f'<html lang="{language}" dir="rtl">' in text
    assert f'<a class="skip-link" href="#content">{skip_link}</a>' in text
    for key in ["link_to_section", "task_done", "warning", "tip", "on_this_page", "next"]:
        assert html.escape(guide.WORDS[language][key]) in text, key
    assert english_words_in(text, language) == []
    for path, status in [("/nowhere", 404), ("/search.html?q=Server", 200)]:
        assert english_words_in(client.get(path, status=status).text, language) == []
    assert english_words_in(client.post("/", status=405).text, language) == []


def test_search_stems_english_words_only_in_an_english_guide(make_pages, own_cache_folder):
    # English rules would take "Kurs" (German: a course) to "kur" (a cure).
    spa = {"kur.md": "title: Kur\n\nEine Kur am Meer.\n", "b.md": "title: B\n\nEin Kurs.\n"}
    cache = guide.RenderCache(own_cache_folder)  # shared: the language is in its keys
    for number, (language, found) in enumerate([
            ("de", ["b"]), ("en", ["b", "kur"]), ("", ["b", "kur"]), ("en-GB", ["b", "kur"]),
            ("pt-BR", ["b"]), ("de", ["b"])]):
        setting = f'language = "{language}"\n' if language else ""
        pages = make_pages({**spa, "guide.toml": f'title = "T"\n{setting}'},
                           folder=f"pages-{number}")
        site = guide.make_app(guide.load_guide(pages, cache=cache), cache=cache).site
        index = site.renderer.search_index
        assert sorted(result.page.slug for result in index.search("Kurs").results) == found, \
            language
        meta = site.renderer.search_files["/search/meta.js"]  # the export stems alike
        assert f'"stemming":"{"en" if len(found) == 2 else ""}"' in meta


def test_a_guide_s_own_wording_wins_and_an_unknown_word_is_named_with_a_suggestion(
        make_pages, capsys):
    pages = make_pages({**GERMAN_GUIDE, "guide.toml": 'title = "Der Leitfaden"\n'
                        'language = "de"\n\n[words]\nnext = "Weiter geht\'s"\n'
                        'link_to_section = "Zum \\"Abschnitt\\""\n'})
    text = webtest.TestApp(guide.make_app(guide.load_guide(pages))).get("/intro.html").text
    assert "<span>Weiter geht&#039;s</span> Server</a>" in text
    assert 'aria-label="Zum &quot;Abschnitt&quot;">#</a>' in text  # written into the pages
    assert "<span>Weiter</span>" not in text
    assert '<summary>Inhalt</summary>' in text  # the other words stay German

    (pages / "guide.toml").write_text(
        'title = "Der Leitfaden"\nwords = {next = "Weiter", previus = "Zurück"}\n')
    assert guide.main(["check", "--pages", str(pages)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "pages/guide.toml:2: words has an unknown word 'previus'; did you mean 'previous'?")


def test_an_unknown_word_in_a_words_table_is_named_at_its_own_line(make_pages, capsys):
    pages = make_pages({**GERMAN_GUIDE, "guide.toml": 'title = "Der Leitfaden"\n\n[words]\n'
                        'next = "Weiter"\nprevius = "Zurück"\n'})
    assert guide.main(["check", "--pages", str(pages)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "pages/guide.toml:5: words has an unknown word 'previus'; did you mean 'previous'?")


def test_a_page_in_another_language_says_so_and_dates_are_written_in_the_guide_s(make_pages):
    for language, last_updated in [("zh", "最后更新"), ("ja", "最終更新")]:
        pages = make_pages({"guide.toml": f'title = "T"\nlanguage = "{language}"\n',
                            "a.md": "title: A\nsort-order: 1\nmodified: 2026-02-03\n\nx\n",
                            "b.md": "title: B\nsort-order: 2\nlang: fr\n\nx\n"},
                           folder=f"pages-{language}")
        client = webtest.TestApp(guide.make_app(guide.load_guide(pages)))
        text = client.get("/a.html").text
        assert f'<html lang="{language}" dir="ltr">' in text
        assert re.search(f'{last_updated} <time datetime="2026-02-03[^"]*">2026年2月3日</time>',
                         text)
        assert '<html lang="fr" dir="ltr">' in client.get("/b.html").text
    assert guide.format_date(datetime.date(2026, 12, 31), guide.words_for("ja")) == (
        "2026年12月31日")
    assert guide.format_date(datetime.date(2026, 2, 3), guide.words_for("en")) == (
        "3 February 2026")


ARABIC_GUIDE = {  # a few words of its own in guide.toml; the built-in Arabic set says the rest
    "guide.toml": 'title = "دليل الويب"\nlanguage = "ar"\n\n[words]\ncontents = "المحتويات"\n'
                  'previous = "السابق"\nnext = "التالي"\non_this_page = "في هذه الصفحة"\n',
    "intro.md": "title: مقدمة\nsort-order: 1\n\nمرحبًا بك في الدليل.\n",
    "servers/index.md": "title: الخوادم\nsort-order: 2\n\nالخوادم تخدم.\n",
    "servers/waitress.md": """
        title: ويتريس
        sort-order: 3

        ويتريس خادم WSGI، يُثبَّت بالأمر `pip install waitress`.

        ## التثبيت

        !!! warning "انتبه"
            ملاحظة مهمة.

        ```python
        serve(app, port=8080)
        ```

        ## التشغيل

        | الخيار | المعنى |
        |---|---|
        | threads | عدد الخيوط |

        === "بايثون"
            نص.

        === "الصدفة"
            نص آخر.
        """,
    "frameworks.md": "title: أطر العمل\nsort-order: 4\n\nأطر العمل.\n",
}


def test_a_right_to_left_guide_is_mirrored_and_passes_axe(browser, make_pages):
    site = guide.load_guide(make_pages(ARABIC_GUIDE))
    app = guide.make_app(site)
    text = webtest.TestApp(app).get("/servers/waitress.html").text
    assert '<html lang="ar" dir="rtl">' in text
    require(AXE.exists(), "axe-core (npm install)")
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    found = {}
    try:
        for base in run_server(app):
            tab = watch_problems(context.new_page())
            for width, scheme in [(390, "light"), (390, "dark"), (1280, "light"),
                                  (1280, "dark")]:
                tab.set_viewport_size({"width": width, "height": 844})
                tab.emulate_media(color_scheme=scheme)
                for path in ["/servers/waitress.html", "/", "/search.html?q=خادم"]:
                    tab.goto(base + path)
                    assert (colour_luminance(tab) < 0.05) == (scheme == "dark")
                    violations, _passed = run_axe(tab)
                    if violations:
                        found[f"{width} {scheme} {path}"] = violations
                    assert tab.evaluate("document.documentElement.scrollWidth - innerWidth"
                                        ) <= 0, (width, path)  # nothing sticks out sideways

            # Wide: the navigation on the right of the text, "On this page"
            # on its left; the previous page on the right, the next on the left.
            tab.goto(base + "/servers/waitress.html")
            main, nav = (tab.locator(selector).bounding_box()
                         for selector in ["main#content", "nav#guide-nav"])
            assert nav["x"] >= main["x"] + main["width"]
            toc, text_box = (tab.locator(selector).bounding_box()
                             for selector in ["nav.page-toc", "article.page > p"])
            assert toc["x"] + toc["width"] <= text_box["x"]
            assert tab.locator("nav.breadcrumbs li").first.bounding_box()["x"] > (
                tab.locator("nav.breadcrumbs li").last.bounding_box()["x"])
            previous, following = (tab.locator(selector).bounding_box()
                                   for selector in ["a.pager-prev", "a.pager-next"])
            assert previous["x"] >= following["x"] + following["width"]
            assert abs(previous["x"] + previous["width"] - main["x"] - main["width"]) <= 2
            assert tab.locator("a.pager-prev span").inner_text() == "السابق"
            # Code stays left to right, at the left of its box.
            code = tab.locator("pre").first
            assert code.evaluate("element => getComputedStyle(element).direction") == "ltr"

            tab.set_viewport_size({"width": 390, "height": 844})
            tab.goto(base + "/servers/waitress.html")
            main = tab.locator("main#content").bounding_box()
            previous, following = (tab.locator(selector).bounding_box()
                                   for selector in ["a.pager-prev", "a.pager-next"])
            assert previous["x"] >= following["x"] + following["width"]
            assert abs(previous["x"] + previous["width"] - main["x"] - main["width"]) <= 2
            # The guide's name at the right of the header, the theme switch at its left.
            title, switch = (tab.locator(selector).bounding_box()
                             for selector in ["a.site-title", "button.theme-switch"])
            assert title["x"] > switch["x"] + switch["width"]
            assert tab.problems == []
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


###############################################################################
# Serving: access log and signals #############################################
###############################################################################

def test_access_log_writes_one_combined_format_line(small_guide):
    stream = io.StringIO()
    client = webtest.TestApp(guide.AccessLog(guide.make_app(small_guide), stream))
    client.get("/intro.html?x=1", headers={"Referer": "http://r.example/",
                                           "User-Agent": 'ua "quoted"'},
               extra_environ={"REMOTE_ADDR": "192.0.2.7", "REQUEST_URI": "/intro.html?x=1"})
    client.get("/missing", status=404)
    first, second = stream.getvalue().splitlines()
    assert re.fullmatch(
        r'192\.0\.2\.7 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] '
        r'"GET /intro\.html\?x=1 HTTP/1\.0" 200 \d+ "http://r\.example/" "ua \\x22quoted\\x22"',
        first), first
    assert re.search(r'"GET /missing HTTP/1\.0" 404 \d+ "-" "-"$', second), second


def test_access_log_can_leave_out_a_path(small_guide):
    stream = io.StringIO()
    client = webtest.TestApp(guide.AccessLog(guide.make_app(small_guide), stream,
                                             unlogged_paths=["/intro.html"]))
    client.get("/intro.html")
    client.get("/servers.html")
    assert [line.split('"')[1] for line in stream.getvalue().splitlines()] == [
        "GET /servers.html HTTP/1.0"]


def test_access_log_cannot_be_forged_by_a_request():
    line = guide.access_log_line({"REQUEST_METHOD": "GET", "PATH_INFO": "/a\n1.2.3.4 - - fake",
                                  "SERVER_PROTOCOL": "HTTP/1.1"}, "404", "12")
    assert line.count("\n") == 1 and "\\x0a1.2.3.4" in line


def start_cli_server(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start `python guide.py serve` on a free port; return (process, base URL)."""
    process = subprocess.Popen(
        [sys.executable, str(HERE / "guide.py"), "serve", "--port", "0", *extra],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert match, line
    return process, f"http://127.0.0.1:{match.group(1)}"


def test_sigterm_stops_the_server_cleanly(tmp_path):
    process, base = start_cli_server(tmp_path, "--pages", str(HERE / "pages"))
    try:
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            assert response.status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        rest = process.stderr.read()
        assert '"GET / HTTP/1.1" 200' in rest
        assert "Traceback" not in rest
    finally:
        process.kill()
        process.stderr.close()


###############################################################################
# Command line ################################################################
###############################################################################

def test_check_lists_every_problem_at_once_and_exits_1(make_pages, capsys):
    make_pages({"flask.md": "title: Flask\nsort-order: abc\n\nx\n",
                "django.md": "title: Django\nslug: search\n\nx\n"})
    assert guide.main(["check", "--pages", "pages"]) == 1
    assert capsys.readouterr().out == (
        "pages/django.md:2: slug 'search' is reserved for the site's own pages; choose another\n"
        "pages/flask.md:2: sort-order must be a number, got 'abc'\n"
        "2 problems found; links are checked once the pages load\n")


def test_check_prints_a_summary_and_exits_0_on_good_pages(make_pages, capsys):
    make_pages(THREE_PAGES)
    assert guide.main(["check", "--pages", "pages"]) == 0
    assert capsys.readouterr().out == "3 pages, 0 links, 0 broken, 0 warnings\n"


def test_init_writes_a_guide_that_serves_and_checks_clean(tmp_path):
    result = subprocess.run([sys.executable, str(HERE / "guide.py"), "init", "my-guide"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stderr) == (0, "")
    assert "serve --guide my-guide --reload" in result.stdout
    folder = tmp_path / "my-guide"
    written = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                     if path.is_file())
    assert written == sorted(guide.NEW_GUIDE)
    assert {"guide.toml", "views/README.md", "static/README.md"} <= set(written)
    # Run from inside the folder, guide.py finds the guide by its guide.toml.
    result = subprocess.run([sys.executable, str(HERE / "guide.py"), "check"],
                            cwd=folder, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "5 pages, 1 link, 0 broken, 0 warnings\n")
    settings = guide.read_settings(["--guide", str(folder)], {})
    client = webtest.TestApp(guide.make_app(guide.load_guide(
        settings.pages_dir, config_file=settings.config_file), settings))
    assert "My Guide" in client.get("/").text
    client.get("/chapters/a-page-in-a-chapter.html")


@pytest.mark.parametrize("existing", ["file", "folder with a file"])
def test_init_never_writes_over_anything(tmp_path, capsys, existing):
    target = tmp_path / "target"
    if existing == "file":
        target.write_text("mine\n")
    else:
        target.mkdir()
        (target / "notes.md").write_text("mine\n")
    before = sorted((path, path.read_bytes()) for path in tmp_path.rglob("*") if path.is_file())
    assert guide.main(["init", str(target)]) == 2
    assert sorted((path, path.read_bytes()) for path in tmp_path.rglob("*")
                  if path.is_file()) == before
    assert capsys.readouterr().err == f"{target}: " + (
        "is a file; init writes a new guide into a new or empty folder\n" if existing == "file"
        else "is not empty; init writes a new guide into a new or empty folder, and never "
             "over files\n")


def test_serve_with_bad_pages_exits_2_without_a_traceback(make_pages, tmp_path):
    make_pages({"flask.md": "title: Flask\nsort-order: abc\n\nx\n"})
    result = subprocess.run([sys.executable, str(HERE / "guide.py"), "--pages", "pages"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr == "pages/flask.md:2: sort-order must be a number, got 'abc'\n"


def test_serve_starts_with_the_pages_that_load_and_says_what_is_wrong(make_pages, tmp_path):
    make_pages({"good.md": "title: Good\nsort-order: 1\n\nFine.\n",
                "02-bad.md": "title: Bad\nsort-order: abc\n\nBroken.\n"})
    process, base = start_cli_server(tmp_path, "--pages", "pages")
    problem = "pages/02-bad.md:2: sort-order must be a number, got 'abc'"
    try:
        assert process.stderr.readline() == problem + "\n"
        status, good = fetch(base + "/good.html")
        assert status == 200 and "Fine." in good
        banner = parse_html(good).find(".//div[@class='preview-problems']")
        assert [item.text for item in banner.findall(".//code")] == [problem]
        status, bad = fetch(base + "/bad.html")
        assert status == 500 and "pages/02-bad.md has a problem:" in bad and "abc" in bad
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def test_build_keep_going_writes_the_pages_that_load(make_pages, capsys):
    make_pages({"good.md": "title: Good\nsort-order: 1\n\nFine.\n",
                "bad.md": "title: Bad\nsort-order: abc\n\nBroken.\n"})
    assert guide.main(["build", "site", "--pages", "pages"]) == 2
    assert not Path("site").exists()
    assert guide.main(["build", "site", "--pages", "pages", "--keep-going"]) == 1
    assert Path("site/good.html").is_file() and not Path("site/bad.html").exists()
    assert capsys.readouterr().err.splitlines()[-2:] == [
        "pages/bad.md:2: sort-order must be a number, got 'abc'",
        "left out the pages with 1 problem (--keep-going)"]


@pytest.mark.parametrize("preload", [True, False], ids=["preload", "each-worker-loads"])
def test_gunicorn_stops_on_a_broken_guide_instead_of_restarting_workers(make_pages, tmp_path,
                                                                        preload):
    make_pages({"a.md": "title: A\nsort-order: abc\n\nx\n"})
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), *(["--preload"] if preload else []),
         "--workers", "2", "--bind", "127.0.0.1:0", "guide:app"], cwd=tmp_path,
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(HERE), "GUIDE_PAGES": "pages"})
    problem = "pages/a.md:2: sort-order must be a number, got 'abc'\n"
    if preload:  # loaded once, in the master, which stops with our status and our words
        assert (result.returncode, result.stderr) == (3, problem)
    else:  # each worker stops with status 3; the master stops rather than start more
        assert result.returncode != 0
        assert problem in result.stderr and "Worker failed to boot" in result.stderr
        assert result.stderr.count("Booting worker") == 2


def test_help_explains_commands_and_options_from_another_directory(tmp_path):
    run = lambda *args: subprocess.run([sys.executable, str(HERE / "guide.py"), *args],
                                       cwd=tmp_path, capture_output=True, text=True, timeout=30)
    top = run("--help")
    assert top.returncode == 0 and "serve" in top.stdout and "check" in top.stdout
    serve = run("serve", "--help")
    for option in ["--host", "--port", "--pages", "--threads", "--drafts", "--max-age", "--quiet"]:
        assert option in serve.stdout


def test_wsgi_entry_point_works_from_another_directory(make_pages, tmp_path):
    make_pages(THREE_PAGES)
    code = ("import guide, webtest; "
            "assert guide.app is guide.application; "
            "print(webtest.TestApp(guide.app).get('/servers.html').status)")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=30,
        env={**os.environ, "PYTHONPATH": str(HERE), "GUIDE_PAGES": str(tmp_path / "pages")})
    assert (result.returncode, result.stdout, result.stderr) == (0, "200 OK\n", "")


def test_the_garbage_collector_is_paused_only_while_a_guide_loads(make_pages, tmp_path):
    # Run apart: the collector's state belongs to the process.
    make_pages(THREE_PAGES)
    code = ("import gc, guide; "
            "guide.main(['check', '--pages', 'pages', '--no-cache']); "
            "guide.main(['build', 'out', '--pages', 'pages', '--no-cache']); "
            "print(gc.isenabled(), gc.get_freeze_count()); "
            "guide.app.site; "  # a server's site is collected once, then frozen
            "print(gc.isenabled(), gc.get_freeze_count() > 1000)")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(HERE), "GUIDE_PAGES": str(tmp_path / "pages"),
             "GUIDE_CACHE": "off"})
    assert result.stdout.splitlines()[-2:] == ["True 0", "True True"], result.stderr


def test_waitress_serve_runs_guide_app_unchanged(make_pages, tmp_path):
    make_pages(THREE_PAGES)
    waitress_serve = Path(sys.executable).parent / "waitress-serve"
    process = subprocess.Popen(
        [str(waitress_serve), "--listen=127.0.0.1:0", "guide:app"], cwd=tmp_path,
        stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(HERE), "GUIDE_PAGES": str(tmp_path / "pages")})
    try:
        line = process.stderr.readline()
        port = re.search(r"http://127\.0\.0\.1:(\d+)", line).group(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/servers.html", timeout=5) as reply:
            assert reply.status == 200 and b"Servers serve." in reply.read()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


LARGE_GUIDE_CHAPTERS = ["01-basics", "02-web-servers", "03-frameworks", "04-deployment", "05-data"]


def large_guide_url(number: int, count: int) -> str:
    """Return the URL of page number of a guide write_large_guide wrote."""
    chapter = LARGE_GUIDE_CHAPTERS[number * len(LARGE_GUIDE_CHAPTERS) // count]
    return f"/{chapter[3:]}/topic-{number}.html"


def write_large_guide(folder: Path, count: int) -> None:
    """Write count pages shaped like a real guide's: numbered chapter
    folders, `---` front matter, sections, repeated and distinct code
    blocks, a table, a callout, CJK text and links between pages."""
    for number in range(count):
        chapter = LARGE_GUIDE_CHAPTERS[number * len(LARGE_GUIDE_CHAPTERS) // count]
        path = folder / chapter / f"{number:04}-topic-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(f"""\
            ---
            title: Topic {number} in {chapter[3:].replace("-", " ")}
            sort-order: {number:04}
            description: What topic {number} is and how to use it.
            ---

            Topic {number} explains one idea; see [the next one]({large_guide_url((number + 1) % count, count)})
            and [the section below](#configuration).

            ## Configuration

            > **Note:** settings are read once, at start-up.

            ```python
            def handle_{number}(request):
                return request.get("value-{number}")
            ```

            ```bash
            pip install waitress
            ```

            | Setting | Default |
            |---|---|
            | threads | {number % 8 + 1} |

            ## 部署

            在生产环境中使用 WSGI 服务器。第 {number} 页。
            """), encoding="utf-8")


@pytest.mark.parametrize("host", ["waitress-serve", "gunicorn"])
def test_wsgi_hosts_serve_a_guide_of_a_thousand_pages(tmp_path, host):
    write_large_guide(tmp_path / "pages", 1000)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scripts = Path(sys.executable).parent
    command = {"waitress-serve": [str(scripts / "waitress-serve"),
                                  f"--listen=127.0.0.1:{port}", "guide:app"],
               "gunicorn": [str(scripts / "gunicorn"), "--workers", "2",
                            "--bind", f"127.0.0.1:{port}", "guide:app"]}[host]
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(HERE), "GUIDE_PAGES": str(tmp_path / "pages")})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: process.poll() is None and answers(base + "/"), timeout=120)
        for number in (0, 499, 999):  # each on a new connection: both workers answer
            status, text = fetch(base + large_guide_url(number, 1000))
            assert status == 200 and f"Topic {number} explains one idea" in text
            assert "第 " in text and '<code class="language-python">' in text
        status, index = fetch(base + "/")
        assert status == 200
        assert all(f'href="{large_guide_url(number, 1000)}"' in index for number in range(1000))
    finally:
        process.terminate()
        process.wait(timeout=20)


def answers(url: str) -> bool:
    """Return whether url answers 200 within a minute (False while nothing listens)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status == 200
    except OSError:
        return False


def test_wsgi_entry_point_with_bad_pages_exits_3_with_the_problem_list(make_pages, tmp_path):
    make_pages({"a.md": "no title here\n"})
    environment = {**os.environ, "PYTHONPATH": str(HERE), "GUIDE_PAGES": "pages"}
    imported = subprocess.run([sys.executable, "-c", "import guide"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=30, env=environment)
    assert (imported.returncode, imported.stdout, imported.stderr) == (0, "", "")
    result = subprocess.run(
        [sys.executable, "-c", "import guide; guide.app"], cwd=tmp_path, capture_output=True,
        text=True, timeout=30, env=environment)
    assert result.returncode == 3  # what gunicorn takes for a worker that cannot boot
    assert result.stderr == ("pages/a.md:1: missing title: add 'title: ...' "
                             "or start the page with '# Title'\n")


###############################################################################
# Production recipes ##########################################################
###############################################################################

# Each recipe of the README's "Publishing: recipes" runs here for real: the
# processes it names, bound to loopback ports, then a crawl through the front
# door from the top URL that follows every link of the site's own.


@pytest.fixture(scope="module")
def recipe_guide(tmp_path_factory) -> Path:
    """A guide made by `guide.py init`, with 60 pages in five chapter
    folders added (write_large_guide): 65 pages and their index."""
    folder = tmp_path_factory.mktemp("recipe") / "guide"
    made = subprocess.run([sys.executable, str(HERE / "guide.py"), "init", str(folder)],
                          capture_output=True, text=True, timeout=30)
    assert made.returncode == 0, made.stderr
    write_large_guide(folder / "pages", 60)
    return folder


def free_port() -> int:
    """Return a loopback port that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(*processes: subprocess.Popen) -> None:
    """Stop each process by its PID: SIGTERM, then SIGKILL if it lingers."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """GET url on a connection of its own, following no redirect; return
    (status, headers with lower-case names, body)."""
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.quote(parts.path, safe="/%!$&'()*+,;=:@~") + (
        "?" + parts.query if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        return (response.status, {name.lower(): value for name, value in response.getheaders()},
                response.read())
    finally:
        connection.close()


def links_in(url: str, headers: dict, body: bytes) -> list[str]:
    """Return the URLs an answer links to, resolved and without fragment:
    an HTML page's href, src and action (and a refresh's url=); a feed's
    links and the links in its entries' HTML; a sitemap's locations."""
    kind = headers.get("content-type", "")
    found = []
    if "html" in kind:
        for element in html5lib.parse(body, namespaceHTMLElements=False).iter():
            found += [element.get(name) for name in ("href", "src", "action") if element.get(name)]
            refresh = re.match(r"\s*\d+\s*;\s*url=(.+)", element.get("content", ""), re.I)
            if element.tag == "meta" and element.get("http-equiv", "").lower() == "refresh" \
                    and refresh:
                found.append(refresh.group(1).strip())
    elif "xml" in kind:
        for element in ElementTree.fromstring(body).iter():
            name = element.tag.rpartition("}")[2]
            if name == "loc":
                found.append(element.text.strip())
            elif name == "link" and element.get("href"):
                found.append(element.get("href"))
            elif name == "content" and element.get("type") == "html":
                found += links_in(url, {"content-type": "text/html"}, element.text.encode())
    return [urllib.parse.urldefrag(urllib.parse.urljoin(url, link))[0] for link in found
            if urllib.parse.urlsplit(link).scheme in ("", "http", "https")]


def crawl(top: str, also: tuple[str, ...] = ("feed.atom", "sitemap.xml")) -> dict:
    """Crawl a site from its top URL (http://host:port/prefix/) and the
    URLs also names below it, eight requests at a time, following every
    link to the same host and port; return {"answers": {URL: status},
    "pages": [HTML URLs answered 200], "broken": [...], "outside": [...],
    "listed_outside": [...]}.

    A URL is broken unless it answers 200, or 301 to a URL of the site
    that answers 200; outside lists every link to the site on a page or
    in a redirect whose path leaves the prefix, with the URL it is on;
    listed_outside the same for the feed's and the sitemap's links."""
    site = urllib.parse.urlsplit(top)
    prefix = site.path
    seen = {top, *(top + path for path in also)}
    queue, answers, pages, referrers, moved = list(seen), {}, [], {}, {}
    outside, listed_outside = [], []
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        while queue:
            fetched = list(pool.map(get, queue))
            next_queue = []
            for url, (status, headers, body) in zip(queue, fetched):
                answers[url] = status
                if status == 301:
                    links = [urllib.parse.urljoin(url, headers.get("location", ""))]
                    moved[url] = links[0]
                elif status == 200:
                    links = links_in(url, headers, body)
                    if "html" in headers.get("content-type", ""):
                        pages.append(url)
                else:
                    links = []
                for link in links:
                    parts = urllib.parse.urlsplit(link)
                    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
                        continue
                    if not parts.path.startswith(prefix):
                        listed = "xml" in headers.get("content-type", "")
                        (listed_outside if listed else outside).append(f"{link} (on {url})")
                    elif link not in seen:
                        seen.add(link)
                        referrers[link] = url
                        next_queue.append(link)
            queue = next_queue
    broken = [f"{url} answers {status} (linked from {referrers.get(url, 'the start')})"
              for url, status in sorted(answers.items())
              if not (status == 200 or status == 301 and answers.get(moved[url]) == 200)]
    return {"answers": answers, "pages": sorted(pages), "broken": broken,
            "outside": sorted(set(outside)), "listed_outside": sorted(set(listed_outside))}


def assert_whole_site_under(top: str, crawled: dict) -> None:
    """Assert that a crawl from top met no broken link and no link leaving
    the prefix, and reached the index and every page of recipe_guide."""
    assert crawled["broken"] == []
    assert crawled["outside"] == []
    for number in range(60):
        assert top + large_guide_url(number, 60)[1:] in crawled["pages"]
    for path in ("", "writing-pages.html", "chapters/a-page-in-a-chapter.html",
                 "publishing.html", "all.html", "search.html"):
        assert top + path in crawled["pages"]


def assert_other_addresses_lead_on(top: str) -> None:
    """Assert that a server under a prefix answers a page's other forms
    of address with a 301 that stays under the prefix."""
    for url, target in [(top.removesuffix("/"), top),
                        (top + "index.html", top),
                        (top + "writing-pages", top + "writing-pages.html"),
                        (top + "chapters/a-page-in-a-chapter/",
                         top + "chapters/a-page-in-a-chapter.html")]:
        status, headers, _ = get(url)
        assert (status, urllib.parse.urljoin(url, headers.get("location", ""))) == (
            301, target), url


# The recipes, as the README shows them: GUIDE, PORT and OUT stand for the
# guide's folder, a port and the export's folder (README_VALUES there); the
# tests run these very lines, and nginx with these very location blocks.
RECIPES = {
    "waitress": "GUIDE_DIR=GUIDE waitress-serve --url-prefix=/docs "
                "--listen=127.0.0.1:PORT --ident= guide:app",
    "gunicorn": "SCRIPT_NAME=/docs GUIDE_DIR=GUIDE gunicorn --workers 3 "
                "--bind 127.0.0.1:PORT guide:app",
    "proxy": "python guide.py serve --guide GUIDE --base-url /docs/ --port PORT",
    "export": "python guide.py build OUT --guide GUIDE --base-url /docs/",
    "relative": "python guide.py build OUT --guide GUIDE --relative",
}
NGINX_LOCATIONS = {
    "proxy": """\
        location /docs/ {
            proxy_pass http://127.0.0.1:PORT;
            proxy_set_header Host $host;
        }""",
    "export": """\
        location /docs/ {
            alias OUT/;
            error_page 404 /docs/404.html;
        }""",
    "relative": """\
        location /any/sub/folder/ {
            alias OUT/;
            index index.html;
        }""",
}
README_VALUES = {"GUIDE": "/srv/guide", "PORT": "8080", "OUT": "/srv/guide/site"}


def recipe_text(text: str, **values: object) -> str:
    """Return a recipe's text with GUIDE, PORT and OUT filled in (with the
    README's values unless given)."""
    values = {**README_VALUES, **{name: str(value) for name, value in values.items()}}
    return re.sub(r"\b(GUIDE|PORT|OUT)\b", lambda found: values[found[1]],
                  textwrap.dedent(text))


def start_recipe(name: str, *extra: str, cwd: Path | None = None,
                 **values: object) -> subprocess.Popen:
    """Start the command of recipe name as written (its leading NAME=value
    words are its environment; `python`, waitress-serve and gunicorn are
    this virtual environment's) in cwd, with extra arguments at its end."""
    words = recipe_text(RECIPES[name], **values).split()
    environment = {**os.environ, "PYTHONPATH": str(HERE)}  # guide:app is importable
    while "=" in words[0]:
        variable, value = words.pop(0).split("=", 1)
        environment[variable] = value
    if words[:2] == ["python", "guide.py"]:
        words[:2] = [sys.executable, str(HERE / "guide.py")]
    else:
        words[0] = str(Path(sys.executable).parent / words[0])
    return subprocess.Popen([*words, *extra], cwd=cwd, env=environment, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def run_recipe(name: str, cwd: Path, **values: object) -> None:
    """Run the command of recipe name to its end; fail on a non-zero status."""
    process = start_recipe(name, cwd=cwd, **values)
    try:
        _, errors = process.communicate(timeout=120)
    finally:
        stop(process)
    assert process.returncode == 0, errors


def test_recipe_waitress_serve_under_a_prefix_serves_every_link(recipe_guide, tmp_path):
    port = free_port()
    host = start_recipe("waitress", cwd=tmp_path, GUIDE=recipe_guide, PORT=port)
    top = f"http://127.0.0.1:{port}/docs/"
    try:
        wait_for(lambda: host.poll() is None and answers(top), timeout=60)
        assert_whole_site_under(top, crawl(top))
        assert_other_addresses_lead_on(top)
        assert "server" not in get(top)[1]
    finally:
        stop(host)
        host.stderr.close()


def test_recipe_gunicorn_workers_under_script_name_serve_every_link(recipe_guide, tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    host = start_recipe("gunicorn", "--access-logfile", str(log), "--access-logformat",
                        "%(p)s %(s)s %(U)s", cwd=tmp_path, GUIDE=recipe_guide, PORT=port)
    top = f"http://127.0.0.1:{port}/docs/"
    try:
        wait_for(lambda: host.poll() is None and answers(top), timeout=60)
        assert_whole_site_under(top, crawl(top))
        assert_other_addresses_lead_on(top)
    finally:
        stop(host)
        host.stderr.close()
    workers = {line.split()[0] for line in log.read_text().splitlines()}
    assert len(workers) > 1  # the crawl's connections were answered by several workers


def nginx_location(recipe: str, **values: object) -> str:
    """Return the nginx location block of a recipe, with the README's
    port and folder unless given."""
    return recipe_text(NGINX_LOCATIONS[recipe], **values)


def nginx_config(prefix: Path, port: int, location: str) -> str:
    """Return an nginx.conf serving location on 127.0.0.1:port, keeping
    every file it writes in prefix, and running as one process of the
    user who starts it (pytest's folders are readable by that user alone)."""
    return textwrap.dedent(f"""\
        master_process off;
        pid {prefix}/nginx.pid;
        events {{ worker_connections 256; }}
        http {{
            include /etc/nginx/mime.types;
            access_log {prefix}/access.log;
            client_body_temp_path {prefix}/client_body;
            proxy_temp_path {prefix}/proxy;
            fastcgi_temp_path {prefix}/fastcgi;
            uwsgi_temp_path {prefix}/uwsgi;
            scgi_temp_path {prefix}/scgi;
            server {{
                listen 127.0.0.1:{port};
                {textwrap.indent(location, " " * 16).lstrip()}
            }}
        }}
        """)


def start_nginx(tmp_path: Path, location: str) -> tuple[subprocess.Popen, int]:
    """Start Debian's nginx in the foreground with location; return
    (process, port).  Missing nginx skips, or fails under
    GUIDE_REQUIRE_CHECKERS=1."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    require(os.access(binary, os.X_OK), "nginx (Debian's nginx package)")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    port = free_port()
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(prefix, port, location), encoding="utf-8")
    process = subprocess.Popen(
        [binary, "-c", str(config), "-p", str(prefix), "-e", str(prefix / "error.log"),
         "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return process, port


def wait_for_nginx(process: subprocess.Popen, url: str) -> None:
    """Wait until url answers 200 through nginx; fail with nginx's words
    if it stopped."""
    try:
        wait_for(lambda: process.poll() is None and answers(url), timeout=30)
    except AssertionError:
        raise AssertionError(process.poll() is not None and process.stderr.read()
                             or f"{url} did not answer 200") from None


@pytest.mark.parametrize("behind", ["proxy", "waitress", "gunicorn"],
                         ids=["guide.py-serve", "waitress-serve", "gunicorn"])
def test_recipe_nginx_in_front_of_guide_py_under_a_prefix_serves_every_link(
        recipe_guide, tmp_path, behind):
    if behind == "proxy":  # the recipe itself; the WSGI hosts' recipes behind the same location
        server = start_recipe("proxy", "--quiet", cwd=tmp_path, GUIDE=recipe_guide, PORT=0)
    else:
        port = free_port()
        server = start_recipe(behind, cwd=tmp_path, GUIDE=recipe_guide, PORT=port)
    nginx = None
    try:
        if behind == "proxy":
            line = server.stderr.readline()
            port = re.search(r"http://127\.0\.0\.1:(\d+)/docs/", line)
            assert port, line
            port = port.group(1)
        else:
            wait_for(lambda: server.poll() is None and answers(
                f"http://127.0.0.1:{port}/docs/"), timeout=60)
        nginx, nginx_port = start_nginx(tmp_path, nginx_location("proxy", PORT=port))
        top = f"http://127.0.0.1:{nginx_port}/docs/"
        wait_for_nginx(nginx, top)
        assert_whole_site_under(top, crawl(top))
        assert_other_addresses_lead_on(top)
        page = top + large_guide_url(7, 60)[1:]
        status, headers, body = get(page, {"Accept-Encoding": "gzip"})
        assert status == 200 and headers["content-encoding"] == "gzip"
        assert b"Topic 7 explains one idea" in gzip.decompress(body)
        status, headers, body = get(page)
        assert status == 200 and "content-encoding" not in headers and headers["etag"]
        assert get(page, {"If-None-Match": headers["etag"]})[:1] == (304,)
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
    finally:
        stop(*[process for process in (nginx, server) if process is not None])
        server.stderr.close()
        if nginx is not None:
            nginx.stderr.close()


def exported_behind_nginx(recipe: str, guide_folder: Path, tmp_path: Path, path: str):
    """Build the export as recipe says, serve it with nginx at path, and
    yield (the export's folder, its top URL); stop nginx after."""
    out = tmp_path / "site"
    run_recipe(recipe, cwd=tmp_path, GUIDE=guide_folder, OUT=out)
    nginx, port = start_nginx(tmp_path, nginx_location(recipe, OUT=out))
    top = f"http://127.0.0.1:{port}{path}"
    try:
        wait_for_nginx(nginx, top)
        yield out, top
    finally:
        stop(nginx)
        nginx.stderr.close()


def test_recipe_the_export_on_a_static_host_under_a_prefix_has_every_link(
        recipe_guide, tmp_path):
    for out, top in exported_behind_nginx("export", recipe_guide, tmp_path, "/docs/"):
        assert_whole_site_under(top, crawl(top))
        missing = top + "basics/no-such-page.html"
        status, headers, body = get(missing)
        assert status == 404 and body == (out / "404.html").read_bytes()
        for link in set(links_in(missing, headers, body)) - {missing}:  # '#content' is itself
            assert link.startswith(top) and get(link)[0] == 200, link


def test_recipe_the_relative_export_works_in_any_folder_of_a_static_host(
        recipe_guide, tmp_path):
    for out, top in exported_behind_nginx("relative", recipe_guide, tmp_path,
                                          "/any/sub/folder/"):
        assert not (out / "sitemap.xml").exists()  # a sitemap lists absolute URLs, or nothing
        assert_whole_site_under(top, crawl(top, also=("feed.atom",)))


@pytest.mark.parametrize("how", ["served", "relative"])
def test_the_feed_and_the_sitemap_list_only_addresses_under_the_prefix(recipe_guide, tmp_path,
                                                                        how):
    root = tmp_path / "root"
    if how == "served":
        settings = guide.read_settings(["--guide", str(recipe_guide), "--base-url", "/docs/"], {})
        server = run_server(guide.make_app(guide.load_guide(
            settings.pages_dir, config_file=settings.config_file), settings))
        path = "/docs/"
    else:  # (an export with --base-url holds the feed the server answers, byte for byte)
        path = "/any/sub/folder/"
        assert guide.main(["build", str(root / path.strip("/")), "--guide", str(recipe_guide),
                           "--relative"]) == 0
        server = serve_folder(root)
    try:
        top = next(server) + path
        crawled = crawl(top, also=("feed.atom", "sitemap.xml") if how == "served" else
                        ("feed.atom",))
        assert crawled["broken"] == [] and crawled["outside"] == []
        assert crawled["listed_outside"] == []
    finally:
        server.close()


def test_readme_shows_the_recipes_the_tests_run():
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Publishing: recipes\n", 1)[1].split("\n## ", 1)[0]
    for name, text in [*RECIPES.items(), *NGINX_LOCATIONS.items()]:
        assert recipe_text(text) in section, name


# The bundled guide ###########################################################
###############################################################################

def test_bundled_pages_have_no_problems_and_their_links_resolve(monkeypatch):
    monkeypatch.chdir(HERE)
    site = guide.load_guide(Path("pages"))
    assert len(site.pages) >= 10
    seed = (HERE.parent / "shared" / "seed" / "web-frameworks.md")
    if seed.exists():
        assert (HERE / "pages" / "frameworks" / "index.md").read_bytes() == seed.read_bytes()
    client = webtest.TestApp(guide.make_app(site))
    for page in site.pages:
        for target in re.findall(r'href="(/[^"#]*)', page.html):
            client.get(target, status=200)
