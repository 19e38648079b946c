"""Server use cases, one function per case. Each opens one session on the
``ServerDB``, owns its transaction and returns frozen objects, never rows."""
