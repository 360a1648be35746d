"""Language switches in the installed app: how many never finish loading.

Starts the real server (``web_load.start_server``: ``spasmwatch serve``, SQLite in a
temporary data dir) and Debian's Chromium at phone size. Each run is a fresh browser
context (a phone that has not seen the site): it opens the guide, lets the service worker
install, then switches the language three times (es, en, es), opening happening-now mode
and the guide after each switch. A run counts as stalled when a click or a page does not
finish within the time limit (10 s: a page of this site loads in well under a second
here); the step and the requests still waiting are printed.

Run: ``python benchmarks/web_language_switch.py [--runs N] [--time-limit S]``.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
from pathlib import Path
from typing import Any

from web_load import start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
SWITCHES = ("es", "en", "es")


def one_run(browser: Any, base: str, time_limit_ms: int) -> str | None:
    """One phone's switches; None when every page loaded, else what did not."""
    context = browser.new_context(
        base_url=base, viewport=PHONE, is_mobile=True, locale="en-GB", service_workers="allow"
    )
    context.set_default_timeout(time_limit_ms)
    page = context.new_page()
    waiting: dict[Any, str] = {}
    page.on("request", lambda r: waiting.__setitem__(r, f"{r.method} {r.url}"))
    page.on("requestfinished", lambda r: waiting.pop(r, None))
    page.on("requestfailed", lambda r: waiting.pop(r, None))
    step = "the guide"
    try:
        page.goto("/guide")
        page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
        for lang in SWITCHES:
            step = f"the switch to {lang}"
            page.locator(f".languages a[lang={lang}]").click()
            page.wait_for_url("**/guide")
            step = f"/now after the switch to {lang}"
            page.goto("/now")
            step = f"/guide after the switch to {lang}"
            page.goto("/guide")
        return None
    except Exception as error:  # a page that did not load in time: say which, and why
        first = str(error).splitlines()[0]
        return f"{step}: {first}; still waiting for {sorted(waiting.values())}"
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per step")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        process, base = start_server(Path(tmp), workers=1)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                stalled = 0
                for run in range(1, args.runs + 1):
                    problem = one_run(browser, base, int(args.time_limit * 1000))
                    if problem:
                        stalled += 1
                        print(f"run {run}: stalled at {problem}", flush=True)
                browser.close()
        finally:
            stop_server(process)
    print(
        f"{stalled} of {args.runs} runs stalled ({len(SWITCHES)} switches each, "
        f"{args.time_limit:g} s a step)"
    )


if __name__ == "__main__":
    main()
