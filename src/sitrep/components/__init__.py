"""Pipeline stages, one per module, each `component(doc) -> doc` with a batched `pipe`."""
