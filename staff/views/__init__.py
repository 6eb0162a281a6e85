"""The staff pages: the request as a whole (requests), writing it (drafting), and its workflow
(workflow)."""
