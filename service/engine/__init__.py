"""The cleaning engine: one `Page` through the stages, in order (see docs/architecture.md)."""
