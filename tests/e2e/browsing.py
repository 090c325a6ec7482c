"""What the browser tests watch on every page: console errors, CSP violations, server errors,
and the text of every page and fragment the server sent (to look for unmasked numbers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page, expect

REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""
_SEPARATORS = re.compile(r"[\s\u00a0\-]+")


@dataclass
class PageWatch:
    """Everything noticed while a browser context was in use."""

    base_url: str
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)

    def attach(self, context: BrowserContext) -> None:
        """Start listening on the context (call before opening pages)."""
        context.expose_function("__reportCspViolation", self._on_csp_violation)
        context.add_init_script(REPORT_CSP)
        context.on("page", self._watch_page)

    def _watch_page(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))
        page.on("response", self._on_response)

    def _on_csp_violation(self, description: str) -> None:
        self.csp_violations.append(description)

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({where})" if where else message.text)

    def _on_response(self, response) -> None:
        if not response.url.startswith(self.base_url):
            return
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")
        kind = response.headers.get("content-type", "")
        if response.request.resource_type in ("document", "xhr", "fetch") and (
            "html" in kind or "json" in kind
        ):
            try:
                self.bodies[f"{response.request.method} {response.url}"] = response.text()
            except Exception:  # noqa: BLE001  (a redirect has no body to read)
                return

    def remember_dom(self, page: Page) -> None:
        """Keep the live page (fragments swapped in by htmx included) for the number check."""
        self.bodies[f"DOM {page.url} #{len(self.bodies)}"] = page.content()

    def assert_clean(self) -> None:
        """No console error, no CSP violation and no 5xx answer happened."""
        assert self.csp_violations == [], f"CSP violations: {self.csp_violations}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.server_errors == [], f"server errors: {self.server_errors}"

    def full_numbers_shown(self, numbers: set[str]) -> list[str]:
        """Which of the given card or ID numbers appear in clear in anything seen so far."""
        found = []
        for where, body in self.bodies.items():
            flat = _SEPARATORS.sub("", body)
            found += [f"{number[:4]}… in {where}" for number in numbers if number in flat]
        return found


def new_watched_page(context: BrowserContext, watch: PageWatch) -> Page:
    """A page in a context that PageWatch listens to."""
    watch.attach(context)
    return context.new_page()


def sign_in(page: Page, base_url: str, username: str, password: str, code_for) -> None:
    """Sign in through the pages: password first, then the authenticator code."""
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/auth/login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/auth/second-factor"))
    page.get_by_label("6-digit code").fill(code_for())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("whoami")).to_be_visible()
