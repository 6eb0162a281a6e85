"""Documents (PDF): the print HTML of each part (html, charts), the engine that renders
it (engine), the cache of rendered parts (parts), the assembly of a pack (packs), the tables as
CSV attachments (attachments), what a document is made from and how it is built (content), and
the services and reads for the rest of the project (services, selectors)."""
