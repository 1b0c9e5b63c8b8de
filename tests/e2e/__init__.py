"""Browser tests (Playwright + system Chromium) against a live server."""
