"""Storage: SQLAlchemy 2 typed models, the engine factory, sessions and Alembic migrations."""
