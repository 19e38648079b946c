"""Logging in to the county's admin pages as a browser does: open the login
form (which sets the login CSRF cookie and hidden field), then post it."""

from __future__ import annotations

import re

import requests

_CSRF = re.compile(r'<input type="hidden" name="csrf" value="([^"]+)">')


def login_csrf(s: requests.Session, base: str) -> str:
    """Open the login page in this session; the hidden token it carries."""
    page = s.get(f"{base}/admin/login", timeout=30)
    found = _CSRF.search(page.text)
    assert found, page.text[:300]
    return found.group(1)


def admin_login(s: requests.Session, base: str, username: str, password: str) -> requests.Response:
    """The answer to posting the login form (after following its redirect)."""
    token = login_csrf(s, base)
    return s.post(f"{base}/admin/login", data={"username": username, "password": password, "csrf": token}, timeout=60)
