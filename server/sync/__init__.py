"""Sync on the county server: applying pushed operations (``apply``), pages of
changes (``pull``), the divergence check (``verify``), photo blobs (``blobs``)
and the ``/api/v1/sync`` router (``routes``)."""
