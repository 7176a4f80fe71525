"""ml-lint: a repository-structure linter for machine-learning projects."""

__version__ = "0.1.0"
