"""gunicorn for the bench until the repository has its production recipe (deploy/, issue 10):
the README's two sync workers, the app loaded once before forking. The bind address comes from
the command line (bench/stack.py)."""
workers = 2
preload_app = True
accesslog = None
