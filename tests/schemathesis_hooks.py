"""Schemathesis hooks for tests/test_web_fuzz.py: send a /bulk body of JSON lines as text."""

import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
