"""One module per CLI command family; each has ``register(subparsers)``."""
