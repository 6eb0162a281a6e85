"""Finance annexes (DESIGN §6) arrive with their own issue; the app is in place for them."""
