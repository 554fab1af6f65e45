"""Benchmark guide.py against its floors, in one run on one machine.

    python bench/bench.py                      # 100, 1000 and 10000 pages
    python bench/bench.py --pages 100 300 --skip-serving
    python bench/bench.py --pages 1000 --duration 5 --repeat 3

For each guide size it generates a deterministic synthetic guide, then
measures, side by side in the same run:

1. start-up: from process start until `python guide.py serve` answers `/`,
   with a fresh, empty cache folder (cold), then again with the cache that
   start filled (warm), against bare mistune rendering the same pages in
   one process (the floor);
2. `python guide.py check`, cold and warm, against the same floor;
3. live reload: with `serve --reload` running on a copy of the guide, the
   time from appending a sentence to one page until its URL shows it, and
   from adding a page until its URL answers (the median of 5 of each); in
   ms, and against bare mistune rendering the whole guide;
4. requests per second and latency under wrk (50 connections) for one page
   and for the index, against a bare waitress app that returns a fixed body
   of the same size (the ceiling);
5. resident memory of the warm serving process after that load, and once
   every page has also been sent plain (the server keeps each page
   compressed and makes its plain body when first asked for it).

Only ratios are meaningful: these machines are shared and noisy.  Nothing
is installed by this script; wrk comes from Debian (`apt-get install wrk`),
and without it the requests/s columns are skipped.  Every server listens on
127.0.0.1 only and is stopped when its measurement ends; every file written
lives in one temporary folder, removed at the end.
"""

import argparse
import contextlib
import dataclasses
import hashlib
import importlib.util
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Callable, Iterator

HERE = Path(__file__).resolve().parent
GUIDE = HERE.parent / "guide.py"
BARE_APP = HERE / "bare_app.py"
WORDS = ("request response server worker thread process template database query "
         "cache header route view model session cookie static deploy proxy socket "
         "python module package function object browser client network port log").split()

HOST = "127.0.0.1"       # every server listens here, and only here
START_TIMEOUT = 300      # seconds a server may take to answer its first request
RUN_TIMEOUT = 600        # seconds `check` or bare mistune may take
RELOAD_TIMEOUT = 60      # seconds a change may take to show through live reload
POLL = 0.005             # seconds between two polls of a URL
EDITS = 5                # edits of one page under live reload; the median is reported
# Seconds to wait before each change under live reload, spread over a second:
# a watcher that polls (every 0.5 s, say) would otherwise see each change at
# the same, worst moment, just after it finished showing the last one.
PAUSES = [(number + 0.5) / EDITS for number in range(EDITS)]


class BenchError(Exception):
    """A measurement that could not be made: a server that exited or never answered."""


class CacheFlagRejected(Exception):
    """guide.py's command line does not accept --cache (at all, or with --reload)."""


###############################################################################
# The synthetic guide #########################################################
###############################################################################

def write_guide(folder: Path, count: int, seed: int = 8) -> None:
    """Write count deterministic pages resembling real guide pages into folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"page-{number:05}.md").write_text(page_text(rng, number, count))


def page_text(rng: random.Random, number: int, count: int) -> str:
    """Return one page: front matter, sections with prose, links, lists, code, a table."""
    def sentence(length: int = 14) -> str:
        words = [rng.choice(WORDS) for _ in range(length)]
        if rng.random() < 0.3 and length > 5:
            target = rng.randrange(count)
            words[3] = f"[{words[3]} {words[4]}](/page-{target:05}.html)"
        if rng.random() < 0.3:
            words[-2] = f"`{words[-2]}()`"
        return " ".join(words).capitalize() + "."

    def paragraph() -> str:
        return " ".join(sentence(rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))

    title = " ".join(rng.choice(WORDS) for _ in range(3)).title()
    parts = [f"title: {title} {number}", f"sort-order: {number}",
             f"description: {sentence(10)}", "", paragraph(), ""]
    for section in range(5):
        parts += [f"## {rng.choice(WORDS).title()} {section}", "", paragraph(), "",
                  paragraph(), ""]
        kind = section % 4
        if kind == 0:
            parts += [f"- {sentence(6)}" for _ in range(4)] + [""]
        elif kind == 1:
            parts += ["```python", f"def handle_{number}(request):",
                      f"    value = request.get({rng.choice(WORDS)!r})",
                      "    return value.upper()", "```", ""]
        elif kind == 2:
            parts += ["| Name | Kind | Notes |", "|---|---|---|"]
            parts += [f"| {rng.choice(WORDS)} | {rng.choice(WORDS)} | {sentence(5)} |"
                      for _ in range(4)] + [""]
        else:
            parts += [f"### {rng.choice(WORDS).title()} detail", "", paragraph(), ""]
    return "\n".join(parts)


###############################################################################
# The machine #################################################################
###############################################################################

def machine_lines(args: argparse.Namespace, has_wrk: bool) -> list[str]:
    """Return a Markdown list saying what the run ran on, and how."""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg()) \
        if hasattr(os, "getloadavg") else "unknown"
    if importlib.util.find_spec("pygments") is not None:
        import pygments
        highlighter = (f"importable (Pygments {pygments.__version__}): guide.py highlights "
                       "code blocks, bare mistune does not")
    else:
        highlighter = "not importable: guide.py leaves code blocks plain, as bare mistune does"
    if args.skip_serving:
        load_test = "skipped (--skip-serving)"
    elif has_wrk:
        load_test = f"wrk -t2 -c50 -d{args.duration}s"
    else:
        load_test = "skipped: wrk is missing (`apt-get install wrk`)"
    return [f"- Python {platform.python_version()} ({sys.executable})",
            f"- {os.cpu_count()} CPUs; {platform.platform()}",
            f"- load average at start: {load}",
            f"- Pygments: {highlighter}",
            f"- start-up and check: median of {args.repeat}; reload: median of {EDITS} "
            f"changes; load test: {load_test}"]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


###############################################################################
# guide.py's command line #####################################################
###############################################################################

# Modes ("serve", "reload", "check") whose command line rejected --cache:
# they run without it from then on.
WITHOUT_CACHE_FLAG: set[str] = set()


def guide_command(mode: str, pages: Path, cache: Path) -> list[str]:
    """Return the command running guide.py in mode on pages, with the cache
    folder unless guide.py rejected --cache in that mode."""
    command = [sys.executable, str(GUIDE), "check" if mode == "check" else "serve",
               "--pages", str(pages)]
    if mode == "reload":
        command.append("--reload")
    if mode not in WITHOUT_CACHE_FLAG:
        command += ["--cache", str(cache)]
    return command


def guide_environment(cache: Path) -> dict:
    """Return the environment for guide.py: its cache (should it take one
    from the environment) is the measurement's own, never the user's."""
    return {**os.environ, "GUIDE_CACHE": str(cache)}


def rejects_cache_flag(status: int, stderr: str) -> bool:
    """Return whether guide.py stopped because argparse refused --cache."""
    return status == 2 and any(": error:" in line and "--cache" in line
                               for line in stderr.splitlines())


def drop_cache_flag(mode: str, notes: list[str]) -> None:
    """Run mode without --cache from now on, and say so."""
    WITHOUT_CACHE_FLAG.add(mode)
    if mode == "reload":
        notes.append("`guide.py serve --reload` does not accept --cache yet: it ran without it")
    else:
        notes.append(f"`guide.py {mode}` does not accept --cache yet: it ran without it, "
                     "so its cold and warm figures measure the same thing twice")


###############################################################################
# Servers #####################################################################
###############################################################################

def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclasses.dataclass(frozen=True)
class Server:
    """A running guide.py: its process, base URL, stderr log, and the
    seconds from process start until it answered / with 200."""
    process: subprocess.Popen
    url: str
    log: Path
    seconds: float


@contextlib.contextmanager
def guide_server(mode: str, pages: Path, cache: Path, logs: Path, notes: list[str]
                 ) -> Iterator[Server]:
    """Run `guide.py serve` (mode "serve" or "reload") on pages; yield it, then stop it."""
    try:
        server = start_guide(mode, pages, cache, logs)
    except CacheFlagRejected:
        drop_cache_flag(mode, notes)
        server = start_guide(mode, pages, cache, logs)
    try:
        yield server
    finally:
        stop(server.process)


def start_guide(mode: str, pages: Path, cache: Path, logs: Path) -> Server:
    """Start guide.py and return it once / answers 200."""
    port = free_port()
    command = guide_command(mode, pages, cache) + [
        "--host", HOST, "--port", str(port), "--quiet"]
    log = logs / f"guide-{mode}-{port}.log"
    started = time.perf_counter()
    process = launch(command, log, guide_environment(cache))
    answered = False
    try:
        url = f"http://{HOST}:{port}"
        wait_until_answering(url + "/", process, log)
        answered = True
        return Server(process, url, log, time.perf_counter() - started)
    finally:
        if not answered:
            stop(process)


@contextlib.contextmanager
def bare_server(body_size: int, logs: Path) -> Iterator[str]:
    """Run the bare waitress app returning body_size bytes; yield its URL."""
    port = free_port()
    log = logs / f"bare-{port}.log"
    process = launch([sys.executable, str(BARE_APP), str(port), str(body_size)], log)
    try:
        url = f"http://{HOST}:{port}/"
        wait_until_answering(url, process, log)
        yield url
    finally:
        stop(process)


def launch(command: list[str], log: Path, environment: dict | None = None
           ) -> subprocess.Popen:
    """Start command with its stderr in log (a pipe nobody reads would block it)."""
    with log.open("w") as stream:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=stream, env=environment)


def wait_until_answering(url: str, process: subprocess.Popen, log: Path,
                         timeout: float = START_TIMEOUT) -> None:
    """Return once url answers 200; raise if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        check_alive(process, log)
        if fetch(url)[0] == 200:
            return
        time.sleep(POLL)
    raise BenchError(f"{url} did not answer 200 within {timeout} s; its log:\n"
                     f"{log_tail(log)}")


def check_alive(process: subprocess.Popen, log: Path) -> None:
    """Raise if process has exited (CacheFlagRejected if over --cache)."""
    if process.poll() is None:
        return
    text = log.read_text(errors="replace")
    if rejects_cache_flag(process.returncode, text):
        raise CacheFlagRejected
    raise BenchError(f"{' '.join(map(str, process.args))}\nexited with status "
                     f"{process.returncode}; its log:\n{log_tail(log)}")


def log_tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def fetch(url: str) -> tuple[int | None, bytes]:
    """Return (status, body) of GET url; (None, b"") when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError:
        return None, b""


def stop(process: subprocess.Popen) -> None:
    """Stop process by its PID: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


###############################################################################
# Measurements ################################################################
###############################################################################

BARE_MISTUNE = """
import sys, pathlib, mistune
md = mistune.create_markdown(escape=False, plugins=[
    "table", "footnotes", "strikethrough", "task_lists", "url", "def_list"])
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    md(path.read_text())
"""


def bare_mistune_seconds(pages: Path) -> float:
    """Return the time from process start until one process running bare
    mistune has read and rendered every page: the floor for start-up."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BARE_MISTUNE, str(pages)], check=True,
                   stdin=subprocess.DEVNULL, timeout=RUN_TIMEOUT)
    return time.perf_counter() - started


def check_run(pages: Path, cache: Path, notes: list[str]) -> tuple[float, int]:
    """Return (wall seconds, exit status) of `guide.py check` on pages."""
    for _attempt in range(2):
        command = guide_command("check", pages, cache)
        started = time.perf_counter()
        try:
            result = subprocess.run(command, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True, env=guide_environment(cache),
                                    timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise BenchError(f"guide.py check took more than {RUN_TIMEOUT} s") from None
        seconds = time.perf_counter() - started
        if not rejects_cache_flag(result.returncode, result.stderr):
            return seconds, result.returncode
        drop_cache_flag("check", notes)
    raise BenchError("guide.py check rejected its command line twice")


def start_and_check(pages: Path, repeat: int, work: Path, logs: Path, notes: list[str]
                    ) -> tuple[dict, Path]:
    """Measure bare mistune, cold and warm start, cold and warm check,
    repeat times each; return (their medians in seconds, with the exit
    statuses of check, and the filled cache of the last warm start)."""
    samples: dict[str, list[float]] = {"mistune": [], "cold": [], "warm": [],
                                       "check cold": [], "check warm": []}
    statuses: dict[str, set[int]] = {"check cold": set(), "check warm": set()}
    serve_cache = None
    for _run in range(repeat):
        samples["mistune"].append(bare_mistune_seconds(pages))
        if serve_cache is not None:
            shutil.rmtree(serve_cache)
        serve_cache = Path(tempfile.mkdtemp(prefix="cache-serve-", dir=work))
        for kind in ("cold", "warm"):
            with guide_server("serve", pages, serve_cache, logs, notes) as server:
                samples[kind].append(server.seconds)
        check_cache = Path(tempfile.mkdtemp(prefix="cache-check-", dir=work))
        for kind in ("check cold", "check warm"):
            seconds, status = check_run(pages, check_cache, notes)
            samples[kind].append(seconds)
            statuses[kind].add(status)
        shutil.rmtree(check_cache)
    row = {name: statistics.median(values) for name, values in samples.items()}
    row["statuses"] = statuses
    return row, serve_cache


def reload_latencies(pages: Path, count: int, cache: Path, work: Path, logs: Path,
                     notes: list[str]) -> dict:
    """Return the seconds live reload takes to show an edit of the middle
    page, and to serve a page just added (the median of EDITS of each),
    and the seconds of server work each took (its rebuild, as the server's
    log says: "rebuilt 3001 pages in 38 ms"); then the server work of EDITS
    more edits during which nothing asks the server anything (the bench's
    requests every POLL seconds slow a rebuild down: a tab asks every 0.2 s)."""
    copy = Path(tempfile.mkdtemp(prefix="pages-reload-", dir=work)) / "pages"
    shutil.copytree(pages, copy)
    middle = f"page-{count // 2:05}"
    try:
        with guide_server("reload", copy, cache, logs, notes) as server:
            edits = []
            for number, pause in enumerate(PAUSES):
                time.sleep(pause)
                sentence = f"Reload benchmark sentence {number} {uuid.uuid4().hex}."
                with (copy / f"{middle}.md").open("a") as stream:
                    stream.write(f"\n\n{sentence}\n")
                written = time.perf_counter()
                edits.append(seconds_until(
                    server, f"/{middle}.html", lambda status, body: sentence.encode() in body,
                    written))
            edit_work = rebuild_seconds(server.log)[-EDITS:]
            quiet_work = []
            for number, pause in enumerate(PAUSES):
                time.sleep(pause)
                done = len(rebuild_seconds(server.log))
                with (copy / f"{middle}.md").open("a") as stream:
                    stream.write(f"\n\nQuiet reload sentence {number}.\n")
                quiet_work.append(next_rebuild_seconds(server, done))
            added = []
            for number, pause in enumerate(PAUSES):
                time.sleep(pause)
                (copy / f"bench-new-{number}.md").write_text(
                    f"title: Bench New Page {number}\n\nA page added while reload ran.\n")
                written = time.perf_counter()
                added.append(seconds_until(server, f"/bench-new-{number}.html",
                                           lambda status, body: status == 200, written))
            added_work = rebuild_seconds(server.log)[-EDITS:]
    finally:
        shutil.rmtree(copy.parent)
    return {"edit": statistics.median(edits), "added": statistics.median(added),
            "edit work": statistics.median(edit_work) if edit_work else None,
            "added work": statistics.median(added_work) if added_work else None,
            "quiet edit work": statistics.median(quiet_work)}


def next_rebuild_seconds(server: Server, done: int) -> float:
    """Return the seconds of the first rebuild the server's log reports
    after the done ones it reported already (watching the log, not asking
    the server)."""
    deadline = time.monotonic() + RELOAD_TIMEOUT
    while time.monotonic() < deadline:
        check_alive(server.process, server.log)
        reported = rebuild_seconds(server.log)
        if len(reported) > done:
            return reported[done]
        time.sleep(POLL)
    raise BenchError(f"no rebuild reported within {RELOAD_TIMEOUT} s; see {server.log}")


def rebuild_seconds(log: Path) -> list[float]:
    """Return the seconds of each rebuild the log of `serve --reload` reports."""
    return [int(found) / 1000 for found in
            re.findall(r"^rebuilt \d+ pages? in (\d+) ms", log.read_text(), re.MULTILINE)]


def seconds_until(server: Server, path: str, wanted: Callable[[int | None, bytes], bool],
                  since: float) -> float:
    """Poll path on server every POLL seconds until wanted(status, body);
    return the seconds from since (a perf_counter reading) until then."""
    deadline = time.monotonic() + RELOAD_TIMEOUT
    while time.monotonic() < deadline:
        check_alive(server.process, server.log)
        if wanted(*fetch(server.url + path)):
            return time.perf_counter() - since
        time.sleep(POLL)
    raise BenchError(f"{path} did not show the change within {RELOAD_TIMEOUT} s; "
                     f"the server's log:\n{log_tail(server.log)}")


def serving(pages: Path, count: int, cache: Path, duration: int | None, logs: Path,
            notes: list[str]) -> dict:
    """Serve pages from a warm cache; measure requests/s against the bare app
    under wrk (unless duration is None), then the server's resident memory."""
    row = {}
    with guide_server("serve", pages, cache, logs, notes) as server:
        for name, target in (("page", f"{server.url}/page-{count // 2:05}.html"),
                             ("index", server.url + "/")):
            size = len(fetch(target)[1])
            row[name] = dict(size=size)
            if duration is None:
                continue
            with bare_server(size, logs) as bare_url:
                wrk(bare_url, 1)  # warm both up
                wrk(target, 1)
                bare_rate, bare_latency = wrk(bare_url, duration)
                rate, latency = wrk(target, duration)
            row[name].update(rate=rate, latency=latency, bare_rate=bare_rate,
                             bare_latency=bare_latency)
        row["rss"] = resident_mb(server.process.pid)
        # The server keeps each page compressed and makes its plain body when
        # a client that takes no gzip first asks (urllib asks so): the most
        # it can hold is once every page has been sent both ways.
        for url in re.findall(r"<loc>[^<]*?(/[^<]*)</loc>",
                              fetch(server.url + "/sitemap.xml")[1].decode()):
            fetch(server.url + url)
        row["rss_plain"] = resident_mb(server.process.pid)
    return row


def wrk(url: str, seconds: int, connections: int = 50) -> tuple[float, float]:
    """Return (requests per second, mean latency in ms) for url under wrk."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"Latency\s+([\d.]+)(us|ms|s)", output).groups()
    latency = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if "Non-2xx" in output or "Socket errors" in output:
        print(f"  warning: wrk saw errors for {url}:\n{output}", file=sys.stderr)
    return rate, latency


def resident_mb(pid: int) -> float | None:
    """Return the resident memory of process pid in MB (None off Linux)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


###############################################################################
# The run #####################################################################
###############################################################################

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000, 10000],
                        help="guide sizes to measure (default: 100 1000 10000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--repeat", type=positive_int, default=1,
                        help="runs of each start-up and check measurement; the median "
                             "is reported (default: 1)")
    parser.add_argument("--skip-serving", action="store_true",
                        help="no requests/s under wrk (memory is still measured, idle)")
    args = parser.parse_args()
    has_wrk = shutil.which("wrk") is not None
    duration = args.duration if has_wrk and not args.skip_serving else None

    print("## Machine\n\n" + "\n".join(machine_lines(args, has_wrk)) + "\n", flush=True)
    rows: list[dict] = []
    notes: list[str] = []
    status = 0
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as temporary:
        work = Path(temporary)
        logs = work / "logs"
        logs.mkdir()
        try:
            for count in args.pages:
                rows.append(measure(count, args.repeat, duration, work, logs, notes))
        except BenchError as error:
            print(f"\nbenchmark stopped: {error}", file=sys.stderr)
            status = 1
    print_tables(rows, duration, notes)
    return status


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def measure(count: int, repeat: int, duration: int | None, work: Path, logs: Path,
            notes: list[str]) -> dict:
    """Measure one guide size; return a row of figures."""
    digest = file_digest(GUIDE)
    pages = work / f"pages-{count}"
    write_guide(pages, count)
    row, cache = start_and_check(pages, repeat, work, logs, notes)
    row["pages"] = count
    print(f"measured {count} pages: start-up and check", file=sys.stderr, flush=True)
    row["reload"] = reload_latencies(pages, count, cache, work, logs, notes)
    print(f"measured {count} pages: reload", file=sys.stderr, flush=True)
    row["serving"] = serving(pages, count, cache, duration, logs, notes)
    print(f"measured {count} pages: serving", file=sys.stderr, flush=True)
    shutil.rmtree(cache)
    shutil.rmtree(pages)
    if file_digest(GUIDE) != digest:
        notes.append(f"guide.py changed while {count} pages were measured: its figures may "
                     "mix two versions, and its render cache is keyed by guide.py's digest, "
                     "so a warm figure may really be a cold one")
    return row


###############################################################################
# The tables ##################################################################
###############################################################################

def print_tables(rows: list[dict], duration: int | None, notes: list[str]) -> None:
    """Print one Markdown table per group of measurements, then the notes."""
    if not rows:
        return
    print("## Start-up and check\n\nEach figure is a ratio to bare mistune rendering "
          "the same pages in one process (the floor), with guide.py's time in brackets. "
          "Cold: a fresh, empty --cache folder; warm: the same folder again.\n")
    print("| pages | bare mistune (floor) | cold start | warm start | check, cold "
          "| check, warm |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        floor = row["mistune"]
        cells = [f"{floor:.2f} s"] + [
            ratio(row[kind], floor) + check_statuses(row, kind)
            for kind in ("cold", "warm", "check cold", "check warm")]
        print(f"| {row['pages']} | " + " | ".join(cells) + " |")

    print(f"\n## Live reload\n\n`serve --reload` on a copy of the guide: an edit is a "
          f"sentence appended to the middle page (median of {EDITS}, polled every "
          f"{POLL * 1000:.0f} ms, each written {PAUSES[0]:.1f} to {PAUSES[-1]:.1f} s after "
          "the last change showed); a new page is a file added to the folder (median of "
          f"{EDITS} too). Latency in ms, "
          "and as a ratio to bare mistune rendering the whole guide (0.01× is 1% of a "
          "full render).\n")
    print("Server work is the rebuild alone, as the server's log reports it (the "
          "rest is the watcher's poll and the request); the bench asks for the page "
          f"every {POLL * 1000:.0f} ms meanwhile, which slows the rebuild down, so the "
          f"server work of {EDITS} more edits is measured with no request meanwhile "
          "(watching the log), as when a tab asks every 0.2 s.\n")
    print("| pages | edit shown after | server work | server work, no requests "
          "| edit ÷ whole-guide mistune "
          "| new page answers after | server work | new page ÷ whole-guide mistune |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")

    def ms(seconds: float | None) -> str:
        return "?" if seconds is None else f"{seconds * 1000:.0f} ms"
    for row in rows:
        reload, floor = row["reload"], row["mistune"]
        print(f"| {row['pages']} | {ms(reload['edit'])} | {ms(reload['edit work'])} "
              f"| {ms(reload['quiet edit work'])} "
              f"| {reload['edit'] / floor:.3f}× | {ms(reload['added'])} "
              f"| {ms(reload['added work'])} | {reload['added'] / floor:.3f}× |")

    memory = "resident memory after load" if duration else "resident memory (idle, no load)"
    print(f"\n## Serving\n\nRequests/s under wrk against a bare waitress app returning "
          f"a body of the same size (the ceiling); {memory} of the warm server.\n")
    print(f"| pages | page req/s / bare waitress | index req/s / bare waitress "
          f"| page latency / bare | {memory} | memory growth from the size before "
          f"| once every page was also sent plain |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for before, row in zip([None, *rows], rows):
        serve = row["serving"]
        if duration:
            page, index = serve["page"], serve["index"]
            load = (f"{page['rate'] / page['bare_rate']:.2f}× ({page['rate']:.0f} / "
                    f"{page['bare_rate']:.0f}) | {index['rate'] / index['bare_rate']:.2f}× "
                    f"({index['rate']:.0f} / {index['bare_rate']:.0f}) "
                    f"| {page['latency'] / page['bare_latency']:.2f}×")
        else:
            load = "skipped | skipped | skipped"
        print(f"| {row['pages']} | {load} | {memory_cell(serve['rss'], row['pages'])} "
              f"| {growth_cell(before, row)} | {memory_cell(serve['rss_plain'], row['pages'])} |")
    print("\nBody sizes: " + ", ".join(
        f"{row['pages']} pages: page {row['serving']['page']['size'] / 1024:.1f} kB, "
        f"index {row['serving']['index']['size'] / 1024:.0f} kB" for row in rows))
    if any(1 in row["statuses"][kind] for row in rows for kind in row["statuses"]):
        notes.append("check exited 1 (problems found) on the synthetic guide, which has "
                     "no broken links")
    if duration is None:
        notes.append("requests/s not measured: " + (
            "--skip-serving" if shutil.which("wrk") else
            "wrk is missing (`apt-get install wrk`)"))
    if notes:
        print("\nNotes:\n\n" + "\n".join(f"- {note}" for note in dict.fromkeys(notes)))


def ratio(seconds: float, floor: float) -> str:
    return f"{seconds / floor:.2f}× ({seconds:.2f} s)"


def check_statuses(row: dict, kind: str) -> str:
    """Return ', exit N' for a check that exited with neither 0 nor 1."""
    odd = sorted(row["statuses"].get(kind, set()) - {0, 1})
    return f", exit {', '.join(map(str, odd))}" if odd else ""


def memory_cell(rss: float | None, pages: int) -> str:
    if rss is None:
        return "n/a"
    return f"{rss:.0f} MB: {rss / pages * 1000:.0f} MB per 1000 pages"


def growth_cell(before: dict | None, row: dict) -> str:
    """Return the memory added per 1000 pages since the smaller guide before
    (the fixed cost of Python and the libraries left out)."""
    if before is None or None in (before["serving"]["rss"], row["serving"]["rss"]) \
            or before["pages"] >= row["pages"]:
        return "–"
    added = row["serving"]["rss"] - before["serving"]["rss"]
    return f"{added / (row['pages'] - before['pages']) * 1000:.0f} MB per 1000 pages"


if __name__ == "__main__":
    sys.exit(main())
