"""What every browser test shares: Debian's Chromium, and a page watched for errors.

`watch(page, errors)` collects uncaught exceptions, console errors, static files answered
4xx/5xx, and every Content-Security-Policy violation (the `securitypolicyviolation` event,
reported through the console), so a test fails on any of them."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CSP_PREFIX = "CSP violation:"
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP_PREFIX " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber);
});
""".replace("CSP_PREFIX", CSP_PREFIX)


def watch(page, errors: list[str]) -> None:
    page.add_init_script(CSP_LISTENER)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # pages answered 403/404/422 on purpose are logged as failed resources: count only assets
    page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in
            msg.text and errors.append(msg.text))
    page.on("response", lambda r: r.status >= 400 and "/static/" in r.url
            and errors.append(f"{r.status} {r.url}"))
