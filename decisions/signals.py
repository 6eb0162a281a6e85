"""What the workflow announces to the apps above it, which it must not import.

`state_changed` is sent once at the end of every workflow service (submit, approve, return,
sign-off, reject, withdraw, publication), inside its transaction, with the request as it now is.
A receiver that writes (documents asks for the PDFs of the new state) writes in that same
transaction: its rows commit with the transition, or not at all, so nothing asked for can be lost
between the two.
"""

from django.dispatch import Signal

state_changed = Signal()  # sender: the Decision class; decision: the request, locked
