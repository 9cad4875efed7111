"""The production stack the bench measures: gunicorn running the app, nginx in front of it, and the
same nginx serving a static export of the same data, all on 127.0.0.1 (ports from common.PORTS).

Which configs: one place, CONFIGS below. The repository's production recipe (deploy/, issue 10)
takes over once it exists; until then the bench's own bench/conf/ files are used. The nginx file
is a complete nginx.conf in which the bench fills in @RUN@ (a scratch folder), @APP_LISTEN@,
@GUNICORN_PORT@, @STATIC@, @EXPORT_LISTEN@ and @EXPORT@. Both paths can be overridden with the
BENCH_GUNICORN_CONF and BENCH_NGINX_CONF environment variables.
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

from common import BENCH, ROOT, free_port, log, run

BIN = Path(sys.executable).parent                  # the venv's gunicorn and mapapp


@dataclass(frozen=True)
class Configs:
    gunicorn: Path
    nginx: Path


def configs() -> Configs:
    """The recipe's configs when deploy/ has them, else the bench's; env variables win."""
    def pick(env: str, recipe: Path, fallback: Path) -> Path:
        return Path(os.environ[env]) if os.environ.get(env) else recipe if recipe.exists() else fallback
    return Configs(
        gunicorn=pick("BENCH_GUNICORN_CONF", ROOT / "deploy" / "gunicorn.conf.py", BENCH / "conf" / "gunicorn.conf.py"),
        nginx=pick("BENCH_NGINX_CONF", ROOT / "deploy" / "nginx.bench.conf", BENCH / "conf" / "nginx.conf"),
    )


def missing_tools() -> list[str]:
    wanted = {"nginx": shutil.which("nginx") or "/usr/sbin/nginx", "gunicorn": str(BIN / "gunicorn"),
              "mapapp": str(BIN / "mapapp")}
    return [name for name, path in wanted.items() if not os.path.exists(path)]


class Stack:
    """Start with start(), stop with stop(); app_url and export_url once started."""

    def __init__(self, data_dir: Path, work: Path):
        self.data_dir = data_dir
        self.work = work
        self.configs = configs()
        self.procs: list[subprocess.Popen[bytes]] = []
        self.app_url = self.export_url = ""

    def start(self) -> None:
        run_dir, export = self.work / "nginx", self.work / "export"
        run_dir.mkdir(parents=True)
        done = run([str(BIN / "mapapp"), "export", str(export), "--data", str(self.data_dir)])
        if done.returncode:
            raise RuntimeError(f"mapapp export failed: {done.stderr.strip()[-500:]}")
        readable(self.work, export)   # nginx workers run as another user when started as root
        gunicorn_port = free_port()
        env = dict(os.environ, MAPAPP_DATA_DIR=str(self.data_dir))
        self._spawn([str(BIN / "gunicorn"), "-c", str(self.configs.gunicorn), "--bind",
                     f"127.0.0.1:{gunicorn_port}", "mapapp:create_app()"], env, self.work / "gunicorn.log")
        self._wait(f"http://127.0.0.1:{gunicorn_port}/", "gunicorn")
        app_port = free_port()
        export_port = free_port(exclude=(app_port,))
        text = self.configs.nginx.read_text(encoding="utf-8")
        for key, value in {"RUN": run_dir, "APP_LISTEN": app_port, "GUNICORN_PORT": gunicorn_port,
                           "STATIC": ROOT / "static", "EXPORT_LISTEN": export_port, "EXPORT": export}.items():
            text = text.replace(f"@{key}@", str(value))
        conf = run_dir / "nginx.conf"
        conf.write_text(text, encoding="utf-8")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self._spawn([nginx, "-p", str(run_dir), "-c", str(conf), "-g", "daemon off;"], None,
                    run_dir / "stderr.log")
        self.app_url, self.export_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{export_port}"
        self._wait(self.app_url + "/", "nginx")
        self._wait(self.export_url + "/index.html", "nginx (export)")
        log(f"stack: nginx {self.app_url} -> gunicorn :{gunicorn_port}; export {self.export_url} "
            f"({self.configs.gunicorn.relative_to(ROOT)}, {self.configs.nginx.relative_to(ROOT)})")

    def _spawn(self, cmd: list[str], env: dict[str, str] | None, logfile: Path) -> None:
        with logfile.open("wb") as out:
            self.procs.append(subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                               start_new_session=True))

    def _wait(self, url: str, what: str, timeout: float = 60) -> None:
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
        self.stop()
        logs = "".join(p.read_text(errors="replace")[-800:] for p in self.work.rglob("*.log"))
        raise RuntimeError(f"{what} did not answer {url}: {logs}")

    def stop(self) -> None:
        """Stop the processes this stack started (each its own session: master and workers)."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        self.procs.clear()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def readable(work: Path, export: Path) -> None:
    """World-readable export, and traversable folders from the temporary root down to it."""
    top = Path(tempfile.gettempdir())
    folder = work
    while folder != top and top in folder.parents:
        folder.chmod(0o755)
        folder = folder.parent
    for path in export.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
