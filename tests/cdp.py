"""A small Chrome DevTools Protocol driver for the browser tests (headless Debian chromium).

Launches ``chromium --headless --remote-debugging-port=0``, talks to it over one websocket
(``websockets``, installed with ``uvicorn[standard]``) with flattened target sessions, and
records every network request and console/CSP message of a page, so a test can check that
a page loads nothing from another host, fill in and submit a form, and take screenshots.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect


def chromium() -> str:
    exe = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not exe:
        pytest.fail("Chromium is required for the browser tests (apt-get install chromium); see tests/README-ci.md",
                    pytrace=False)
    return exe


class Browser:
    """One headless chromium; ``page()`` opens a tab. Use as a context manager."""

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="quoth-cdp-")
        self.proc = subprocess.Popen(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", "--disable-extensions", "--window-size=1100,1400",
             f"--user-data-dir={self.profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 60
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if time.time() > deadline or self.proc.poll() is not None:
                self.close()
                pytest.fail("chromium did not open its DevTools port")
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self._conn = connect(f"ws://127.0.0.1:{port}{path}", max_size=64 * 1024 * 1024, open_timeout=30)
        self.ws = self._conn.__enter__()
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 60) -> dict[str, Any]:
        mid = next(self.ids)
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.time() + timeout
        while True:
            data = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.time())))
            if data.get("id") == mid:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})
            self.events.append(data)

    def wait_event(self, method: str, session: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method and e.get("sessionId") == session:
                    return self.events.pop(i)
            if time.time() > deadline:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv(timeout=max(0.1, deadline - time.time()))))

    def page(self) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        p = Page(self, session)
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        return p

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Page:
    """A tab: navigate, evaluate, screenshot; ``requests`` and ``console`` of the last load."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.b, self.session = browser, session
        self.requests: list[str] = []
        self.blocked: list[str] = []  # requests the browser refused to send (CSP, ...)
        self.console: list[str] = []
        self._ids: dict[str, str] = {}

    def _collect(self) -> None:
        keep = []
        for e in self.b.events:
            if e.get("sessionId") != self.session:
                keep.append(e)
                continue
            m, p = e.get("method"), e.get("params", {})
            if m == "Network.requestWillBeSent":
                self.requests.append(p["request"]["url"])
                self._ids[p["requestId"]] = p["request"]["url"]
            elif m == "Network.loadingFailed" and p.get("blockedReason"):
                self.blocked.append(self._ids.get(p["requestId"], "?"))
            elif m == "Log.entryAdded":
                self.console.append(f"{p['entry'].get('level')}: {p['entry'].get('text')}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning"):
                self.console.append(f"{p['type']}: {p.get('args')}")
            elif m == "Runtime.exceptionThrown":
                self.console.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
            else:
                keep.append(e)
        self.b.events = keep

    def goto(self, url: str, settle: float = 0.5) -> None:
        self.requests, self.blocked, self.console = [], [], []
        self.b.events = [e for e in self.b.events if e.get("sessionId") != self.session]
        self.b.send("Page.navigate", {"url": url}, session=self.session)
        self.wait_load(settle)

    def wait_load(self, settle: float = 0.5) -> None:
        self.b.wait_event("Page.loadEventFired", self.session)
        end = time.time() + settle  # late requests (images, scripts run on load)
        while time.time() < end:
            try:
                self.b.events.append(json.loads(self.b.ws.recv(timeout=0.1)))
            except TimeoutError:
                pass
        self._collect()

    def eval(self, expression: str) -> Any:
        r = self.b.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                             "awaitPromise": True}, session=self.session)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r.get("result", {}).get("value")

    def submit(self, form_selector: str, values: dict[str, str], settle: float = 0.5) -> None:
        """Fill a form's fields by name and submit it as a user would (then wait for the new page)."""
        self.requests, self.console = [], []
        js = ("(() => { const f = document.querySelector(%s); const v = %s;"
              " for (const [k, x] of Object.entries(v)) { f.elements[k].value = x; }"
              " f.requestSubmit(); return true; })()") % (json.dumps(form_selector), json.dumps(values))
        assert self.eval(js) is True
        self.wait_load(settle)

    def screenshot(self, path: Path) -> None:
        data = self.b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                           session=self.session)["data"]
        Path(path).write_bytes(base64.b64decode(data))
