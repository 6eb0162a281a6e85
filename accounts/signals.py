"""What accounts tells the rest of the system.

`role_changed` is sent inside the transaction that records a role change (with `change`, the
RoleChange row), and `second_factor_changed` inside the one that records a change to someone's
second factors (with `change`, the SecondFactorChange row), so a receiver (the audit chain) links
it in the same transaction or not at all.
"""

from django.dispatch import Signal

role_changed = Signal()
second_factor_changed = Signal()
