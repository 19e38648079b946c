"""Pure-Python domain of a consultation room: entities, enums, lifecycle tables,
ids, clocks, masking and the canonical form of minutes. No Qt, no SQL.

The server imports this package too, so both sides obey one set of rules.
"""
