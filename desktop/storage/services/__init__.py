"""Services: one function per use case. Each opens one write transaction on the
``Store``, goes through the lifecycle table for every status change, writes
rows and outbox operations together, and returns a ``Result`` with frozen
domain objects and what changed.
"""
