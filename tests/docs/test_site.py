"""The docs site works offline: Mermaid ships with it, the theme fetches no fonts, and
tools/check_site.py (the browser check CI runs on the built site) fails when it should."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
MERMAID = DOCS / "assets" / "javascripts" / "mermaid"
CHECKER = REPO / "tools" / "check_site.py"


def _mkdocs_config() -> dict[str, object]:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml names Python objects (!!python/name:...), which only mkdocs resolves.
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert isinstance(config, dict)
    return config


@pytest.fixture(scope="module")
def check_site() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_site", CHECKER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mermaid_is_vendored_at_the_version_the_script_pins() -> None:
    script = (REPO / "tools" / "vendor-mermaid.sh").read_text(encoding="utf-8")
    (pinned,) = re.findall(r"^MERMAID_VERSION=(\S+)$", script, flags=re.M)
    assert (MERMAID / "VERSION").read_text(encoding="utf-8").strip() == pinned
    assert pinned.split(".")[0] == "11", "Material for MkDocs' Mermaid integration is written for Mermaid 11"
    code = (MERMAID / "mermaid.min.js").read_text(encoding="utf-8")
    assert pinned in code
    assert 'globalThis["mermaid"]' in code, "the build that defines the mermaid global Material looks for"
    assert "MIT License" in (MERMAID / "LICENSE").read_text(encoding="utf-8")


def test_the_site_loads_the_vendored_mermaid_and_no_web_fonts() -> None:
    config = _mkdocs_config()
    scripts = config["extra_javascript"]
    assert isinstance(scripts, list)
    assert "assets/javascripts/mermaid/mermaid.min.js" in scripts
    assert all(not str(script).startswith(("http:", "https:", "//")) for script in scripts)
    theme = config["theme"]
    assert isinstance(theme, dict)
    assert theme["font"] is False, "the default font is fetched from Google Fonts"


def test_the_checker_counts_the_diagrams_of_the_sources(check_site: ModuleType) -> None:
    expected = check_site.expected_diagrams(DOCS)
    assert expected["workflow/index.html"] == 4
    assert all(page.endswith("index.html") for page in expected)


def test_the_checker_lets_nothing_through_from_outside_the_site(check_site: ModuleType) -> None:
    base = "http://127.0.0.1:8123/"
    assert check_site.is_inside(base + "assets/x.js", base)
    assert check_site.is_inside("data:image/svg+xml;base64,AA==", base)
    for url in (
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
        "https://fonts.googleapis.com/css",
        "http://127.0.0.1:9999/",
        "http://localhost:8123/",
    ):
        assert not check_site.is_inside(url, base), url


def _browser() -> str:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists() or importlib.util.find_spec("playwright") is None:
        pytest.skip("needs Chromium and Playwright (.ci/run installs Chromium and runs the site check)")
    return chromium


@pytest.mark.slow
def test_the_checker_fails_clearly_on_a_broken_site(tmp_path: Path) -> None:
    chromium = _browser()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n```mermaid\nflowchart TD\n    a --> b\n```\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "<!doctype html><html><head><title>x</title>"
        '<script src="https://cdn.example.invalid/mermaid.min.js"></script>'
        '<link rel="stylesheet" href="missing.css"></head>'
        '<body><pre class="mermaid"><code>flowchart TD\n    a --> b</code></pre>'
        '<script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(site), "--docs", str(docs), "--chromium", chromium],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    for problem in (
        "check_site: FAIL index.html: 1 mermaid diagrams in the source, 0 drawn as SVG",
        "check_site: FAIL index.html: console error: boom",
        "check_site: FAIL index.html: HTTP 404: http://127.0.0.1:",
        "check_site: FAIL index.html: fetched from outside the site: https://cdn.example.invalid/mermaid.min.js",
        "check_site: FAIL search: the home page has no search box",
    ):
        assert problem in result.stderr, result.stderr
    assert "passed" not in result.stdout


def test_the_checker_will_not_pass_without_a_site_or_a_browser(tmp_path: Path) -> None:
    no_site = subprocess.run(
        [sys.executable, str(CHECKER), str(tmp_path / "nothing")], capture_output=True, text=True, check=False
    )
    assert no_site.returncode == 2 and "build the site first" in no_site.stderr
    (tmp_path / "site").mkdir()
    no_browser = subprocess.run(
        [sys.executable, str(CHECKER), str(tmp_path / "site"), "--chromium", str(tmp_path / "no-chromium")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert no_browser.returncode == 2 and "no Chromium at" in no_browser.stderr
