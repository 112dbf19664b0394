"""Command implementations: adapters between the CLI and the core, imported lazily."""
