"""Check the built docs site in a real browser: headless Chromium driven by Playwright.

    python tools/check_site.py SITE_DIR [--artifacts DIR] [--docs DIR] [--chromium PATH]

SITE_DIR is what ``mkdocs build`` wrote. The site is served on 127.0.0.1 and every page is
loaded at 1280 px width. The check fails (exit status 1, one line per problem) when

- a page logs a console error, throws, or one of its own requests fails (4xx, 5xx, refused);
- anything is requested from outside the site (every request is intercepted: a font, a script
  or a stylesheet from a CDN is a problem, and is not fetched);
- a ```mermaid block of the sources is not an SVG on its page (raw text, a Mermaid error), or
  a diagram's labels are drawn smaller than ``MIN_LABEL_PX`` pixels;
- the search finds nothing for a word every page has.

Screenshots of two pages go to the artifacts directory. Exit status 2: the check could not run
(no Chromium, no Playwright, no site); it never passes without having checked.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

VIEWPORT = {"width": 1280, "height": 900}
MIN_LABEL_PX = 11.0
"""The smallest a diagram's label may be drawn at 1280 px width, in CSS pixels."""
SEARCH_WORD = "thrillpots"
SCREENSHOTS = {"workflow/index.html": "workflow.png", "pact/index.html": "pact.png"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
_MERMAID_FENCE = re.compile(r"^[ \t]*```mermaid[ \t]*$", re.M)

# Material for MkDocs draws each diagram into a closed shadow root; opened here so the check can
# look inside. Nothing else on the page changes.
_OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attachShadow.call(this, { ...init, mode: "open" }); };
"""

# Per diagram on the page: is it an SVG, does it say it has an error, and how small is its
# smallest label once the SVG is scaled to the page.
_DIAGRAMS = """
() => [...document.querySelectorAll("div.mermaid")].map((host) => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
  if (!svg) return { svg: false, text: host.textContent.slice(0, 80) };
  const box = svg.getBoundingClientRect();
  const viewBox = svg.viewBox && svg.viewBox.baseVal;
  const scale = viewBox && viewBox.width ? box.width / viewBox.width : 1;
  const sizes = [...svg.querySelectorAll(".nodeLabel, .edgeLabel, text, foreignObject span, foreignObject p")]
    .filter((label) => label.textContent.trim())
    .map((label) => ({ text: label.textContent.trim().slice(0, 40), px: parseFloat(getComputedStyle(label).fontSize) * scale }));
  sizes.sort((a, b) => a.px - b.px);
  return {
    svg: true,
    error: /Syntax error|Parse error/.test(svg.textContent) || svg.getAttribute("aria-roledescription") === "error",
    width: Math.round(box.width),
    smallest: sizes[0] || null,
  };
})
"""


def expected_diagrams(docs: Path | None) -> dict[str, int]:
    """``{page path in the site: number of mermaid blocks}``, from the Markdown sources."""
    found: dict[str, int] = {}
    if docs is None:
        return found
    for source in sorted(docs.rglob("*.md")):
        count = len(_MERMAID_FENCE.findall(source.read_text(encoding="utf-8")))
        if count:
            relative = source.relative_to(docs).with_suffix("")
            folder = relative.parent if relative.name in ("index", "README") else relative
            found[(folder / "index.html").as_posix()] = count
    return found


def is_inside(url: str, base: str) -> bool:
    """A request the site may make: to itself, or to no network at all."""
    return url.startswith(base) or url.startswith(("data:", "blob:", "about:"))


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site on 127.0.0.1, on a free port, for as long as the block runs."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def check(site: Path, *, docs: Path | None, artifacts: Path | None, chromium: str) -> tuple[list[str], list[str]]:
    """``(problems, notes)``: what is wrong with the site, and what was checked."""
    from playwright.sync_api import sync_playwright

    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    if not pages:
        return [f"{site}: no HTML pages: build the site first (mkdocs build)"], []
    from_sources = expected_diagrams(docs)
    problems: list[str] = []
    notes: list[str] = []
    outside: list[str] = []
    drawn = 0
    with serve(site) as base, tempfile.TemporaryDirectory(prefix="check-site-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,  # type: ignore[arg-type]
        )
        try:
            context.add_init_script(_OPEN_SHADOW_ROOTS)

            def route(request_route: Any) -> None:
                url = request_route.request.url
                if is_inside(url, base):
                    request_route.continue_()
                else:
                    outside.append(url)
                    request_route.abort("blockedbyclient")

            context.route("**/*", route)
            for name in pages:
                in_html = len(re.findall(r'class="mermaid"', (site / name).read_text(encoding="utf-8")))
                wanted = max(from_sources.get(name, 0), in_html)
                before = len(outside)
                page = context.new_page()  # a tab per page: one page's errors are never another's
                try:
                    drawn += _check_page(page, base, name, wanted, problems, notes)
                    if artifacts is not None and name in SCREENSHOTS:
                        artifacts.mkdir(parents=True, exist_ok=True)
                        shot = artifacts / SCREENSHOTS[name]
                        page.screenshot(path=str(shot), full_page=True)
                        notes.append(f"screenshot: {shot}")
                finally:
                    page.close()
                problems.extend(f"{name}: fetched from outside the site: {url}" for url in outside[before:])
            page = context.new_page()
            problems.extend(_check_search(page, base, notes))
            notes.append(f"{len(pages)} pages loaded, {drawn} diagrams drawn")
        finally:
            context.close()
    if artifacts is not None:
        problems.extend(f"{name}: no such page to take a screenshot of" for name in SCREENSHOTS if name not in pages)
    if sum(from_sources.values()) and not drawn:
        problems.append("no diagram was drawn on any page")
    return problems, notes


def _check_page(page: Any, base: str, name: str, wanted: int, problems: list[str], notes: list[str]) -> int:
    """Load one page; add its problems; return how many diagrams it drew."""
    from playwright.sync_api import Error as PlaywrightError

    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            errors.append(f"console error: {message.text}")

    def on_request_failed(request: Any) -> None:
        if is_inside(request.url, base):  # the ones from outside are reported as such
            errors.append(f"request failed: {request.url} ({request.failure})")

    def on_response(response: Any) -> None:
        if response.status >= 400:
            errors.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    try:
        page.goto(base + name, wait_until="load")
        if wanted:
            # Until every diagram is drawn, or at once when no Mermaid was loaded at all.
            with contextlib.suppress(PlaywrightError):  # a timeout is reported below, diagram by diagram
                page.wait_for_function(
                    "n => typeof mermaid === 'undefined' || [...document.querySelectorAll('div.mermaid')]"
                    ".filter(d => d.shadowRoot && d.shadowRoot.querySelector('svg')).length >= n",
                    arg=wanted,
                    timeout=20_000,
                )
        else:
            page.wait_for_load_state("networkidle")
        found = page.evaluate(_DIAGRAMS)
    except PlaywrightError as exc:
        problems.append(f"{name}: could not be loaded: {exc.message.splitlines()[0]}")
        return 0
    rendered = [diagram for diagram in found if diagram["svg"]]
    if len(rendered) < wanted:
        problems.append(
            f"{name}: {wanted} mermaid diagrams in the source, {len(rendered)} drawn as SVG"
            " (the rest are left as text: is Mermaid loaded?)"
        )
    for number, diagram in enumerate(rendered, 1):
        smallest = diagram["smallest"]
        if diagram["error"]:
            problems.append(f"{name}: diagram {number} is a Mermaid error, not a diagram")
        elif smallest and smallest["px"] < MIN_LABEL_PX:
            problems.append(
                f"{name}: diagram {number} draws its labels at {smallest['px']:.1f} px ({smallest['text']!r}),"
                f" under {MIN_LABEL_PX:g} px at {VIEWPORT['width']} px width: split it, or lay it out top-down"
            )
        elif smallest:
            notes.append(f"{name}: diagram {number}: smallest label {smallest['px']:.1f} px")
    problems.extend(f"{name}: {error}" for error in errors)
    return len(rendered)


def _check_search(page: Any, base: str, notes: list[str]) -> list[str]:
    """The search box of the home page finds pages for a word every page has."""
    from playwright.sync_api import Error as PlaywrightError

    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            errors.append(f"console error: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
    try:
        page.goto(base, wait_until="load")
        box = page.locator("input.md-search__input")
        if box.count() == 0:
            return ["search: the home page has no search box"]
        box.click(timeout=10_000)
        box.press_sequentially(SEARCH_WORD, delay=20, timeout=10_000)  # typed: Material searches on key events
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        count = results.count()
    except PlaywrightError as exc:
        return [f"search: no results for {SEARCH_WORD!r}: {exc.message.splitlines()[0]}", *errors]
    if count == 0:
        return [f"search: no results for {SEARCH_WORD!r}", *errors]
    meta = " ".join(page.locator(".md-search-result__meta").all_text_contents()).strip()
    notes.append(f"search for {SEARCH_WORD!r}: {meta or f'{count} results'}")
    return [f"search: {error}" for error in errors]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site (mkdocs build --site-dir)")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the Markdown sources (default: docs)")
    parser.add_argument("--artifacts", type=Path, default=None, help="where to write the screenshots")
    parser.add_argument(
        "--chromium",
        default=os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium"),
        help="the Chromium to drive (default: $CHROMIUM, or chromium on PATH)",
    )
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"check_site: {args.site} is not a directory: build the site first", file=sys.stderr)
        return 2
    if not Path(args.chromium).exists():
        print(f"check_site: no Chromium at {args.chromium}: apt-get install chromium", file=sys.stderr)
        return 2
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("check_site: Playwright is not installed: pip install playwright", file=sys.stderr)
        return 2
    problems, notes = check(
        args.site, docs=args.docs if args.docs.is_dir() else None, artifacts=args.artifacts, chromium=args.chromium
    )
    for note in notes:
        print(f"check_site: {note}")
    sys.stdout.flush()
    if problems:
        for problem in problems:
            print(f"check_site: FAIL {problem}", file=sys.stderr)
        print(f"check_site: {len(problems)} problems", file=sys.stderr)
        return 1
    print("check_site: the site passed: no console errors, every diagram drawn, search works, nothing from outside")
    return 0


if __name__ == "__main__":
    sys.exit(main())
