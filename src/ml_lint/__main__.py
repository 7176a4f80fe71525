from ml_lint.cli import entry

entry()
