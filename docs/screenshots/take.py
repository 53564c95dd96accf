"""Screenshots of the running demo (`make run`) for docs/screenshots/.

    .venv/bin/python docs/screenshots/take.py [http://127.0.0.1:8000]

Home page and the seed article, at desktop width and on a 390-pixel phone, in
Debian's chromium. PNGs are reduced to a 128-colour palette to stay small.
"""

import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
OUT = Path(__file__).resolve().parent


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def seed_article_path(base: str) -> str:
    """The seed article's current URL, found through its old portal address."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(f"{base}/tin-tuc/46/47082/x")
    except urllib.error.HTTPError as redirect:
        return redirect.headers["Location"].removeprefix(base)
    raise SystemExit("the seed article is not loaded: run `make run` first")


def main(base: str) -> None:
    pages = {"home": "/", "seed-article": seed_article_path(base)}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=shutil.which("chromium"), args=FLAGS
        )
        for device, (width, height) in SIZES.items():
            tab = browser.new_page()
            tab.set_viewport_size({"width": width, "height": height})
            for name, path in pages.items():
                tab.goto(base + path)
                # Lazy images load only when scrolled into view; load them all.
                tab.evaluate(
                    "document.querySelectorAll('img[loading=lazy]')"
                    ".forEach(i => i.loading = 'eager')"
                )
                tab.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{device}.png"
                tab.screenshot(path=target, full_page=True)
                Image.open(target).convert("RGB").quantize(128).save(
                    target, optimize=True
                )
                print(target)
            tab.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
