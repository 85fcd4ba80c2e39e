"""Shared browser check for the HTML pages the tests build (headless Debian Chromium)."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def page_widths(html: Path, name: str) -> dict[int, int]:
    """Open an HTML page in Chromium at phone (390 px) and desktop (1440 px) widths.

    Returns the page's scroll width at each width; saves full-page screenshots
    ``tests/artifacts/<name>-390.png`` and ``-1440.png`` (and checks no request leaves the
    file). A page wider than its viewport means the reader has to scroll sideways.
    """
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    widths = {}
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width in (390, 1440):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html.as_uri())
            widths[width] = int(page.evaluate("document.documentElement.scrollWidth"))
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            page.close()
        browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    return widths
