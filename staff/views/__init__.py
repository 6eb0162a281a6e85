"""The staff pages: the request as a whole (requests), writing it (drafting), and its workflow
(workflow); the versions of the form, which governance manages (formversions)."""
