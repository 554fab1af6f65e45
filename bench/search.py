"""Benchmark the server's search on large guides, in one process.

    python bench/search.py                  # 1000 and 10000 pages
    python bench/search.py --pages 10000 --rounds 5

For each guide size it generates the same deterministic synthetic guide as
bench/bench.py, loads it as `serve` does (rendering every page, with no
cache), and then answers a fixed set of queries through the site the way a
request does (Site.search: the ranking, the best section, the snippets,
the filled search page and its gzip copy), each query `--rounds` times.
It prints, per size, the median and the 99th percentile of the time one
query takes, and the same figures as a ratio to the time bare mistune
takes to render one average page of that guide, measured in the same run
(these machines are shared and noisy: the ratio is what carries over).
Only one core is used.  Everything it writes lives in one temporary
folder, removed at the end.
"""

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import mistune  # noqa: E402

import guide  # noqa: E402
from bench import write_guide  # noqa: E402

# What readers type: single words, stems, a typo, an unfinished last word,
# two and three words, a phrase, an exclusion, a word that matches nothing.
QUERIES = ["server", "servers", "deploying", "configuration", "gunicron", "reques",
           "request handler", "cache session token", "\"request handler\"",
           "template -python", "zzzzqx", "the", "value upper", "handle"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3, help="times each query is asked")
    args = parser.parse_args()
    guide.PARALLEL_MIN_ITEMS = 10 ** 9  # one core, as the requirement says
    print(f"{'pages':>6}  {'median ms':>9}  {'p99 ms':>7}  {'median/page':>11}  "
          f"{'p99/page':>8}  (ratios: to bare mistune rendering one average page)")
    with tempfile.TemporaryDirectory(prefix="guide-search-bench-") as work:
        for count in args.pages:
            pages = Path(work) / f"pages-{count}"
            write_guide(pages, count)
            one_page = mistune_seconds_per_page(pages)
            site = guide.make_app(guide.load_guide(pages)).site
            gc.freeze()  # as `serve` and guide:app do once the site is built
            times = []
            for _round in range(args.rounds):
                for query in QUERIES:
                    started = time.perf_counter()
                    site.search("/search.html", "q=" + guide.urllib.parse.quote(query))
                    times.append(time.perf_counter() - started)
            times.sort()
            median = statistics.median(times)
            p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
            print(f"{count:>6}  {median * 1000:>9.1f}  {p99 * 1000:>7.1f}  "
                  f"{median / one_page:>10.1f}x  {p99 / one_page:>7.1f}x", flush=True)
    return 0


def mistune_seconds_per_page(pages: Path) -> float:
    """Return the time bare mistune takes to render one page of the folder, on average."""
    files = sorted(pages.glob("*.md"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    markdown = mistune.create_markdown()
    started = time.perf_counter()
    for text in texts:
        markdown(text)
    return (time.perf_counter() - started) / len(texts)


if __name__ == "__main__":
    sys.exit(main())
