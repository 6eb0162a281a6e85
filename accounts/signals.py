"""What accounts tells the rest of the system.

`role_changed` is sent inside the transaction that records a role change (with `change`, the
RoleChange row), so a receiver (the audit chain) links it in the same transaction or not at all.
"""

from django.dispatch import Signal

role_changed = Signal()
