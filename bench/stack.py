"""The production stack the bench measures, as the repository's recipe sets it up (deploy/, see
the README's Production section): gunicorn with deploy/gunicorn.conf.py, nginx with the site of
deploy/nginx.conf in front of it (the assets from `mapapp collect-static`), and beside it the same
nginx serving a `mapapp export` of the same data as a plain static site. All on 127.0.0.1, ports
from common.PORTS, in a scratch folder.

The two config files are read from one place, configs() (BENCH_GUNICORN_CONF / BENCH_NGINX_CONF
override them). The nginx site is used as the recipe's README says to install it, with the five
things an installer replaces (SITE_EDITS): the listen address, the server name, the assets'
folder, the cache's folder and gunicorn's address.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, free_port, log, run

BIN = Path(sys.executable).parent                  # the venv's gunicorn and mapapp
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"   # libnginx-mod-http-brotli-static
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Configs:
    gunicorn: Path
    nginx: Path


def configs() -> Configs:
    return Configs(gunicorn=Path(os.environ.get("BENCH_GUNICORN_CONF") or ROOT / "deploy" / "gunicorn.conf.py"),
                   nginx=Path(os.environ.get("BENCH_NGINX_CONF") or ROOT / "deploy" / "nginx.conf"))


def missing_tools() -> list[str]:
    wanted = {"nginx": NGINX, "nginx's brotli module": BROTLI_MODULE, "gunicorn": str(BIN / "gunicorn"),
              "mapapp": str(BIN / "mapapp")}
    missing = [name for name, path in wanted.items() if not os.path.exists(path)]
    cfg = configs()
    return missing + [str(p.relative_to(ROOT)) for p in (cfg.gunicorn, cfg.nginx) if not p.exists()]


# What an installer replaces in deploy/nginx.conf (its own comments say so): text -> field
SITE_EDITS = {"listen 80;": "listen {host}:{port};", "map.example.org": "{host}",
              "/srv/budapest1956/static/": "{static}/", "/var/cache/nginx/budapest1956": "{cache}",
              "server 127.0.0.1:8000;": "server 127.0.0.1:{app_port};"}

MAIN_CONF = """# written by bench/stack.py: deploy/nginx.conf's site, and the export as a plain static site
load_module {brotli};
worker_processes 2;
error_log {run}/nginx-error.log warn;
pid {run}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/site.conf;
    server {{
        listen {host}:{export_port};
        root {export};
    }}
}}
"""


class Stack:
    """Start with start() (or `with`), stop with stop(); app_url and export_url once started."""

    def __init__(self, data_dir: Path, work: Path):
        self.data_dir = data_dir
        self.work = work
        self.configs = configs()
        self.procs: list[subprocess.Popen[bytes]] = []
        self.app_url = self.export_url = ""

    def start(self) -> None:
        run_dir, export, static = self.work / "nginx", self.work / "export", self.work / "static"
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run_dir / name).mkdir(parents=True)
        gunicorn_port = free_port()
        port = free_port(exclude=(gunicorn_port,))
        export_port = free_port(exclude=(gunicorn_port, port))
        self.app_url, self.export_url = f"http://{HOST}:{port}", f"http://{HOST}:{export_port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAPAPP_", "GUNICORN_"))}
        env.update(MAPAPP_DATA_DIR=str(self.data_dir), MAPAPP_PUBLIC_URL=self.app_url + "/",
                   MAPAPP_PROXY_COUNT="1", XDG_RUNTIME_DIR=str(self.work))   # gunicorn's control socket
        for cmd in (["collect-static", str(static)], ["export", str(export), "--data", str(self.data_dir)]):
            done = run([str(BIN / "mapapp"), *cmd], env=env, timeout=300)
            if done.returncode:
                raise RuntimeError(f"mapapp {cmd[0]} failed: {done.stderr.strip()[-500:]}")
        readable(self.work)   # nginx workers run as another user when started as root
        self._spawn([str(BIN / "gunicorn"), "-c", str(self.configs.gunicorn), "--bind",
                     f"127.0.0.1:{gunicorn_port}"], env, self.work / "gunicorn.log")
        site = self.configs.nginx.read_text(encoding="utf-8")
        fields = {"host": HOST, "port": port, "static": static, "app_port": gunicorn_port, "cache": run_dir / "cache"}
        for old, new in SITE_EDITS.items():
            if old not in site:
                raise RuntimeError(f"{self.configs.nginx}: `{old}` is gone; update SITE_EDITS in bench/stack.py")
            site = site.replace(old, new.format(**fields))
        (run_dir / "site.conf").write_text(site, encoding="utf-8")
        conf = run_dir / "nginx.conf"
        conf.write_text(MAIN_CONF.format(run=run_dir, host=HOST, export_port=export_port, export=export,
                                         brotli=BROTLI_MODULE),
                        encoding="utf-8")
        self._spawn([NGINX, "-p", str(run_dir), "-c", str(conf), "-g", "daemon off;"], None, run_dir / "stderr.log")
        self._wait(self.app_url + "/healthz", "nginx and gunicorn")
        self._wait(self.export_url + "/index.html", "nginx (export)")
        log(f"stack: nginx {self.app_url} -> gunicorn :{gunicorn_port} ({self.configs.gunicorn.relative_to(ROOT)}, "
            f"{self.configs.nginx.relative_to(ROOT)}); the export at {self.export_url}")

    def _spawn(self, cmd: list[str], env: dict[str, str] | None, logfile: Path) -> None:
        with logfile.open("wb") as out:
            self.procs.append(subprocess.Popen(cmd, env=env, cwd=self.work, stdout=out, stderr=subprocess.STDOUT,
                                               start_new_session=True))

    def _wait(self, url: str, what: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.procs):
                break
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    response.read()
                return
            except OSError:
                time.sleep(0.2)
        logs = "".join(p.read_text(errors="replace")[-800:] for p in self.work.rglob("*.log"))
        self.stop()
        raise RuntimeError(f"{what} did not answer {url}: {logs}")

    def stop(self) -> None:
        """Stop the processes this stack started (each in its own session: master and workers)."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        self.procs.clear()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def readable(work: Path) -> None:
    """Everything under work world-readable, and the folders from the temporary root down to it
    traversable."""
    top = Path(tempfile.gettempdir())
    folder = work
    while folder != top and top in folder.parents:
        folder.chmod(0o755)
        folder = folder.parent
    for path in work.rglob("*"):
        if path.is_dir():
            path.chmod(0o777 if path.parent.name == "nginx" else 0o755)
        elif path.is_file():
            path.chmod(0o644)
