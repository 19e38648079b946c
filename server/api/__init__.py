"""The JSON API under ``/api/v1`` (documented at ``/openapi.json``)."""
