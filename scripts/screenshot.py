"""Take a screenshot of a running map with Debian's chromium (tiles answered with a plain tile).

Usage: python scripts/screenshot.py URL OUT.png [WIDTHxHEIGHT]
"""
from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

sys.path.insert(0, "tests")
from browser_support import CHROMIUM_ARGS, chromium_path, serve_tiles_locally


def main(url: str, out: str, size: str = "1280x800") -> None:
    width, height = (int(x) for x in size.split("x"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        serve_tiles_locally(page)
        page.on("console", lambda m: print(f"console {m.type}: {m.text}"))
        page.goto(url)
        page.wait_for_selector("#event-list li", timeout=10000)
        page.wait_for_timeout(500)
        page.screenshot(path=out, full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
