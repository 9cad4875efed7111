"""gunicorn settings for Budapest 1956, behind nginx (deploy/nginx.conf).

    mapapp check                          # the dataset, before every start or reload
    MAPAPP_PUBLIC_URL=https://map.example.org/ MAPAPP_PROXY_COUNT=1 \
        gunicorn -c deploy/gunicorn.conf.py
    kill -HUP <master pid>                # reload the dataset after editing it

Any setting here can be overridden on the command line (`--bind ...`) or in GUNICORN_CMD_ARGS.
"""

wsgi_app = "mapapp.serving:application()"  # create_app(), or the dataset's problems and exit 1

# Only nginx talks to gunicorn: it buffers whole requests and responses, so slow clients (one
# header byte every few seconds) tie up nginx connections, never a worker. Never expose this port.
bind = "127.0.0.1:8000"

# The dataset is loaded and checked once, in the master, before forking. A worker that restarts
# is a copy of that app and reads no file, so a broken file on disk cannot stop the site; a HUP
# reloads the dataset through on_reload below, and keeps the old one if the new one has problems.
preload_app = True

# gthread: each worker is one process with a few threads sharing one page cache. Behind nginx a
# request only holds a thread while the app works (about a millisecond for a cached page), and a
# thread building a page or a large API answer does not stop the others. Two workers survive one
# crash; add workers for more cores (each holds its own page cache, PAGE_CACHE_BYTES).
worker_class = "gthread"
workers = 2
threads = 4

# A request that takes 30 s is a bug: the worker is restarted (from the preloaded app). On a HUP
# or stop, workers get 30 s to finish what they are answering. nginx keeps connections to us.
timeout = 30
graceful_timeout = 30
keepalive = 5
worker_tmp_dir = "/dev/shm"  # the workers' heartbeat files: never wait on a slow disk

# gunicorn's own reading of X-Forwarded-Proto: only from nginx on this machine (the app trusts the
# X-Forwarded-* headers through MAPAPP_PROXY_COUNT=1, werkzeug's ProxyFix).
forwarded_allow_ips = "127.0.0.1"

accesslog = "-"
errorlog = "-"
loglevel = "info"


def on_reload(arbiter):
    """HUP: load the dataset again in the master (see mapapp/serving.py)."""
    from mapapp.serving import reload_app
    reload_app(arbiter)
