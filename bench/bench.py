"""Benchmark guide.py against its floors, in one run on one machine.

    python bench/bench.py                      # 100, 1000 and 10000 pages
    python bench/bench.py --pages 1000 --duration 5

For each guide size it generates a deterministic synthetic guide, then
measures, side by side:

1. start-up: from process start until `python guide.py serve` answers,
   against bare mistune rendering the same pages in one loop (the floor);
2. requests per second and latency under wrk (50 connections) for one page
   and for the index, against a bare waitress app that returns a fixed
   body of the same size (the ceiling);
3. resident memory of the serving process after the load, per 1000 pages.

Only ratios are meaningful: these machines are shared and noisy.  Nothing
is installed by this script; wrk comes from Debian (`apt-get install wrk`).
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
GUIDE = HERE.parent / "guide.py"
BARE_APP = HERE / "bare_app.py"
WORDS = ("request response server worker thread process template database query "
         "cache header route view model session cookie static deploy proxy socket "
         "python module package function object browser client network port log").split()


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
# Measurements ################################################################
###############################################################################

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_guide(pages: Path) -> tuple[subprocess.Popen, str, float]:
    """Start guide.py; return (process, base URL, seconds until it answered /)."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(GUIDE), "serve", "--pages", str(pages), "--port", str(port),
         "--quiet"], stdout=subprocess.DEVNULL, stderr=log_file("guide"))
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(url + "/", process)
    return process, url, time.perf_counter() - started


def start_bare(body_size: int) -> tuple[subprocess.Popen, str]:
    """Start the bare waitress app returning body_size bytes; return (process, URL)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(BARE_APP), str(port), str(body_size)],
                               stdout=subprocess.DEVNULL, stderr=log_file("bare"))
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(url + "/", process)
    return process, url


def log_file(name: str):
    """Return a file for a server's stderr (a pipe nobody reads would block it)."""
    return open(Path(tempfile.gettempdir()) / f"guide-bench-{name}.log", "w")


def wait_until_answering(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with status {process.returncode}; see "
                     f"{tempfile.gettempdir()}/guide-bench-*.log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.005)
    stop(process)
    sys.exit(f"server at {url} did not answer within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
    subprocess.run([sys.executable, "-c", BARE_MISTUNE, str(pages)], check=True)
    return time.perf_counter() - started


def wrk(url: str, seconds: int, connections: int = 50) -> tuple[float, float]:
    """Return (requests per second, mean latency in ms) for url under wrk."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"Latency\s+([\d.]+)(us|ms|s)", output).groups()
    latency = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if "Non-2xx" in output or "Socket errors" in output:
        print(f"  warning: wrk saw errors for {url}:\n{output}", file=sys.stderr)
    return rate, latency


def body_size(url: str) -> int:
    with urllib.request.urlopen(url) as response:
        return len(response.read())


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


###############################################################################
# The run #####################################################################
###############################################################################

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000, 10000],
                        help="guide sizes to measure (default: 100 1000 10000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: install it with `apt-get install wrk` (this script "
              "installs nothing itself).", file=sys.stderr)
        return 1

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"wrk -t2 -c50 -d{args.duration}s\n")
    rows = []
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as temporary:
        for count in args.pages:
            pages = Path(temporary) / f"pages-{count}"
            write_guide(pages, count)
            rows.append(measure(pages, count, args.duration))
    print_table(rows)
    return 0


def measure(pages: Path, count: int, duration: int) -> dict:
    """Measure one guide size; return a row of figures."""
    floor = bare_mistune_seconds(pages)
    process, url, startup = start_guide(pages)
    row = {"pages": count, "mistune": floor, "startup": startup}
    try:
        page_url = f"{url}/page-{count // 2:05}.html"
        for name, target in (("page", page_url), ("index", url + "/")):
            size = body_size(target)
            bare_process, bare_url = start_bare(size)
            try:
                wrk(bare_url + "/", 1)  # warm both up
                wrk(target, 1)
                bare_rate, bare_latency = wrk(bare_url + "/", duration)
                rate, latency = wrk(target, duration)
            finally:
                stop(bare_process)
            row[name] = dict(size=size, rate=rate, latency=latency,
                             bare_rate=bare_rate, bare_latency=bare_latency)
        row["rss"] = resident_mb(process.pid)
    finally:
        stop(process)
    print(f"measured {count} pages", file=sys.stderr)
    return row


def per_thousand(row: dict) -> str:
    """Return ', N MB per 1000 pages' for guides large enough to say so."""
    if row["pages"] < 1000:
        return ""
    return f", {row['rss'] / row['pages'] * 1000:.0f} MB per 1000 pages"


def print_table(rows: list[dict]) -> None:
    print("| pages | start-up / bare mistune | page req/s / bare waitress | "
          "index req/s / bare waitress | page latency / bare | resident memory |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        page, index = row["page"], row["index"]
        print(f"| {row['pages']} "
              f"| {row['startup'] / row['mistune']:.2f}× ({row['startup']:.2f} s / {row['mistune']:.2f} s) "
              f"| {page['rate'] / page['bare_rate']:.2f}× ({page['rate']:.0f} / {page['bare_rate']:.0f}) "
              f"| {index['rate'] / index['bare_rate']:.2f}× ({index['rate']:.0f} / {index['bare_rate']:.0f}) "
              f"| {page['latency'] / page['bare_latency']:.2f}× "
              f"| {row['rss']:.0f} MB{per_thousand(row)} |")
    print("\nBody sizes: " + ", ".join(
        f"{row['pages']} pages: page {row['page']['size'] / 1024:.1f} kB, "
        f"index {row['index']['size'] / 1024:.0f} kB" for row in rows))


if __name__ == "__main__":
    sys.exit(main())
