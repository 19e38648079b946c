"""Sync with the county server: the wire protocol (shared with the server), the
HTTP client, the push/pull/verify engine. Headless: nothing here imports Qt."""
