"""Report benchmark (``make bench``, not a test): the impact report of the synthetic
province's root, with every commune in the annex, rendered by the app (data, template and
``reports.pdf.render_pdf``), next to WeasyPrint rendering the same saved HTML alone
(``weasyprint.HTML(string=..., base_url=...).write_pdf()``, its default URL fetcher).

Each side runs in its own child process, so their memory figures do not mix: the child
imports everything and renders a tiny warm-up page first (WeasyPrint stays loaded in a
real worker; importing it costs about 0.4 s), then renders the report ``--runs`` times
(the median time is kept) and once more under ``tracemalloc`` (``--no-trace``: not). Printed:
seconds, pages, the peak resident set size of the child and its growth over the warm-up
level, the tracemalloc peak of Python allocations, the ratio app / WeasyPrint (target <= 1.5)
and the seconds and MB (RSS growth) per page (targets about 0.3 s and 10 MB).

The saved HTML (``benchmarks/.data/report-*.html``) is the app's page with the bundled
font's ``@font-face`` rules inlined (``render_pdf`` adds them as a stylesheet), so
WeasyPrint alone lays out the same document with the same fonts.

    python -m benchmarks.report_bench [--scale 1] [--postgres URL] [--runs 1] [--no-trace]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.synthetic import cache_path, ensure_database

MB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")
DATA_DIR = Path(__file__).resolve().parent / ".data"
TARGET_RATIO = 1.5
TARGET_SECONDS_PER_PAGE = 0.3
TARGET_MB_PER_PAGE = 10.0
WARM_UP_HTML = "<html><body><p>Khởi động: Bình dân học AI</p></body></html>"


def rss() -> int:
    """The current resident set size in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def max_rss() -> int:
    """The highest resident set size of this process so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class PeakRSS:
    """Samples the resident set size every few milliseconds while a block runs."""

    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self.base = self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, rss())

    def __enter__(self) -> PeakRSS:
        gc.collect()
        self.base = self.peak = rss()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss())


@dataclass
class Measure:
    """One side's figures (filled in the child, sent back as JSON)."""

    side: str
    seconds: float = 0.0  # median of the timed runs
    runs: list[float] = field(default_factory=list)
    pages: int = 0
    pdf_bytes: int = 0
    rss_base: int = 0  # after imports and the warm-up page
    rss_peak: int = 0
    traced_peak: int = 0
    phases: dict[str, float] = field(default_factory=dict)  # app only: data, html, pdf

    @property
    def rss_growth(self) -> int:
        return max(self.rss_peak - self.rss_base, 0)


def page_count(pdf: bytes) -> int:
    """Pages of ``pdf`` (poppler's pdfinfo when installed, else the page objects)."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        done = subprocess.run([pdfinfo, "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
        for line in done.stdout.decode(errors="replace").splitlines():
            if line.startswith("Pages:"):
                return int(line.split(":", 1)[1])
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


# ---------------------------------------------------------------- the app's side (child)


def _report_html(campaign, head) -> tuple[str, dict[str, float]]:
    """The impact report's PDF page as HTML (``reports.data.build_report`` then
    ``reports.impact.report_html``), with the time of the data and of the template."""
    from datetime import date

    from surveyapp.reports import data, impact

    started = time.perf_counter()
    report = data.build_report(campaign, head, data.ReportOptions(), date.today())
    built = time.perf_counter()
    html = impact.report_html(report)
    return html, {"data": built - started, "html": time.perf_counter() - built}


def _app_once(campaign, head) -> tuple[bytes, str, dict[str, float]]:
    from surveyapp.reports import pdf as pdf_module

    html, phases = _report_html(campaign, head)
    started = time.perf_counter()
    pdf = pdf_module.render_pdf(html)
    phases["pdf"] = time.perf_counter() - started
    return pdf, html, phases


def standalone_html(html: str) -> str:
    """``html`` as ``render_pdf`` lays it out: the font's @font-face rules inlined and the
    SVG charts' generic families pointed at the bundled font."""
    from surveyapp.reports import pdf as pdf_module

    html = pdf_module.SVG_GENERIC_FONT.sub(f'font-family="{pdf_module.FONT_FAMILY}"', html)
    style = f"<style>\n{pdf_module.font_css()}\n</style>\n"
    if "</head>" in html:
        return html.replace("</head>", style + "</head>", 1)
    return style + html


def run_app(
    url: str, campaign_id: int, root_code: str, runs: int, html_out: Path, trace: bool = True
) -> Measure:
    from surveyapp import create_app
    from surveyapp.campaigns.models import Campaign
    from surveyapp.extensions import db
    from surveyapp.localities.models import Locality
    from surveyapp.reports import pdf as pdf_module

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark", "SERVER_NAME": "localhost",
                      "LANGUAGES": ("vi", "en")})  # fmt: skip
    with app.app_context(), app.test_request_context():
        campaign = db.session.get(Campaign, campaign_id)
        head = db.session.get(Locality, campaign.root_locality_id)
        assert head.code == root_code, (head.code, root_code)
        pdf_module.render_pdf(WARM_UP_HTML)
        measure = Measure("app")
        with PeakRSS() as peak:
            for _ in range(runs):
                started = time.perf_counter()
                pdf, html, phases = _app_once(campaign, head)
                measure.runs.append(time.perf_counter() - started)
                measure.phases = phases
                db.session.expire_all()
        measure.rss_base, measure.rss_peak = peak.base, max(peak.peak, max_rss())
        html_out.write_text(standalone_html(html), encoding="utf-8")
        if trace:
            tracemalloc.start()
            _app_once(campaign, head)
            measure.traced_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return _finish(measure, pdf)


# ---------------------------------------------------------------- WeasyPrint alone (child)


def run_weasyprint(html_path: Path, runs: int, trace: bool = True) -> Measure:
    import weasyprint

    from surveyapp.reports.pdf import base_url

    html = html_path.read_text(encoding="utf-8")
    weasyprint.HTML(string=WARM_UP_HTML).write_pdf()
    measure = Measure("weasyprint")
    with PeakRSS() as peak:
        for _ in range(runs):
            started = time.perf_counter()
            pdf = weasyprint.HTML(string=html, base_url=base_url()).write_pdf()
            measure.runs.append(time.perf_counter() - started)
    measure.rss_base, measure.rss_peak = peak.base, max(peak.peak, max_rss())
    if trace:
        tracemalloc.start()
        weasyprint.HTML(string=html, base_url=base_url()).write_pdf()
        measure.traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return _finish(measure, pdf)


def _finish(measure: Measure, pdf: bytes) -> Measure:
    measure.seconds = statistics.median(measure.runs)
    measure.pages = page_count(pdf)
    measure.pdf_bytes = len(pdf)
    return measure


def child(args) -> int:
    if args.child == "app":
        measure = run_app(
            args.url, args.campaign, args.root, args.runs, Path(args.html), not args.no_trace
        )
    else:
        measure = run_weasyprint(Path(args.html), args.runs, not args.no_trace)
    print("RESULT " + json.dumps(asdict(measure)), flush=True)
    return 0


# ---------------------------------------------------------------- the parent


def spawn(argv: list[str]) -> Measure:
    """Run ``python -m benchmarks.report_bench --child ...`` and read its figures."""
    done = subprocess.run(  # noqa: S603  (this very module, with our own arguments)
        [sys.executable, "-m", "benchmarks.report_bench", *argv],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise RuntimeError(f"the {argv[1]} run failed (exit {done.returncode})")
    return Measure(**json.loads(lines[-1][len("RESULT ") :]))


def _line(m: Measure) -> str:
    return (
        f"  {m.side:11} {m.seconds:8.2f} s {m.pages:5} pages  "
        f"RSS peak {m.rss_peak / MB:7.1f} MB (+{m.rss_growth / MB:6.1f})  "
        f"traced peak {m.traced_peak / MB:7.1f} MB  "
        f"{m.seconds / max(m.pages, 1):5.2f} s/page  "
        f"{m.rss_growth / MB / max(m.pages, 1):5.1f} MB/page"
    )


def compare(info, engine: str, runs: int, scale: float, trace: bool = True) -> dict:
    """Render on both sides for one database; print and return the figures."""
    html = DATA_DIR / f"report-s{scale:g}-{engine.lower()}.html"
    DATA_DIR.mkdir(exist_ok=True)
    common = ["--runs", str(runs), "--html", str(html), *([] if trace else ["--no-trace"])]
    app = spawn(["--child", "app", "--url", info.url, "--campaign", str(info.campaign_id),
                 "--root", info.root_code, *common])  # fmt: skip
    alone = spawn(["--child", "weasyprint", *common])
    ratio = app.seconds / alone.seconds if alone.seconds else float("inf")
    phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in app.phases.items())
    print(_line(app))
    print(f"  {'':11} ({phases})")
    print(_line(alone))
    verdict = "ok" if ratio <= TARGET_RATIO else "over target"
    print(f"  ratio app / WeasyPrint alone: {ratio:.2f} (target <= {TARGET_RATIO}) {verdict}")
    per_page = app.seconds / max(app.pages, 1)
    mb_page = app.rss_growth / MB / max(app.pages, 1)
    print(f"  app per page: {per_page:.2f} s (target ~{TARGET_SECONDS_PER_PAGE}), "
          f"{mb_page:.1f} MB (target ~{TARGET_MB_PER_PAGE:g}); saved HTML: {html}")  # fmt: skip
    if app.pages != alone.pages:
        print(f"  note: page counts differ ({app.pages} vs {alone.pages})")
    return {"app": app, "weasyprint": alone, "ratio": ratio}


def parse(argv: list[str] | None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.report_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL database")
    parser.add_argument("--runs", type=int, default=1, help="timed renders per side (median)")
    parser.add_argument(
        "--no-trace", action="store_true", help="skip the tracemalloc run (slow on big reports)"
    )
    parser.add_argument("--child", choices=("app", "weasyprint"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--campaign", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--html", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.child:
        return child(args)
    results = {}
    for url in [None, args.postgres] if args.postgres else [None]:
        engine = "PostgreSQL" if url else "SQLite"
        info = ensure_database(url, args.scale)
        where = url or cache_path(args.scale)
        print(f"  {engine}: {where} (load average {os.getloadavg()[0]:.1f})", flush=True)
        results[engine] = compare(info, engine, max(args.runs, 1), args.scale, not args.no_trace)
    return 0 if results else 1


if __name__ == "__main__":
    raise SystemExit(main())
