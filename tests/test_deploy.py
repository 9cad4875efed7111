"""The production recipe, run: Debian's nginx in front of gunicorn, both started from deploy/ on
127.0.0.1 (only ports, paths and the host name are filled in), then attacked and broken the ways
a real site is: slow clients, a broken dataset on disk, a killed worker, a reload, a foreign Host.
Every process the test starts is stopped by its own id."""
from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, PROJECT, set_cell

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUNICORN = Path(sys.executable).with_name("gunicorn")
HOST = "map.test"
# Debian's libnginx-mod-http-brotli-static (make test installs it); its own modules-enabled line is
# relative to nginx's prefix, which the test moves, so the module is loaded by its full path
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Stack:
    """nginx + gunicorn as deploy/ configures them, in a temporary folder readable by nginx's
    workers (which run as `nobody` when the test runs as root)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="mapapp-deploy-"))
        os.chmod(self.root, 0o755)
        self.data = self.root / "data"
        shutil.copytree(FIXTURES / "mini", self.data)
        self.static = self.root / "static"
        self.app_port, self.port = free_port(), free_port()
        self.public_url = f"http://{HOST}:{self.port}/"
        self.log = self.root / "gunicorn.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("MAPAPP_", "GUNICORN_"))}
        self.env.update(MAPAPP_DATA_DIR=str(self.data), MAPAPP_PUBLIC_URL=self.public_url,
                        MAPAPP_PROXY_COUNT="1", XDG_RUNTIME_DIR=str(self.root))  # gunicorn's control socket
        subprocess.run([str(Path(sys.executable).with_name("mapapp")), "collect-static", str(self.static)],
                       env=self.env, check=True, capture_output=True, timeout=60)
        self.gunicorn = subprocess.Popen(
            [str(GUNICORN), "-c", str(PROJECT / "deploy" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.app_port}"],
            env=self.env, cwd=self.root, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True)
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.root), "-c", str(self.nginx_conf()),
                                       "-g", "daemon off;"], start_new_session=True,
                                      stdout=subprocess.DEVNULL, stderr=(self.root / "nginx.out").open("wb"))
        try:
            wait_for(lambda: self.status("/healthz") == 200, 60, "the site to answer")
        except AssertionError:  # nginx or gunicorn did not come up: stop what did, and say why
            errors = (self.root / "nginx-error.log").read_text(errors="replace")[-800:] if (
                self.root / "nginx-error.log").exists() else ""
            self.stop()
            raise AssertionError(f"the site did not answer: {errors}") from None

    def nginx_conf(self) -> Path:
        site = (PROJECT / "deploy" / "nginx.conf").read_text()
        for old, new in (("listen 80;", f"listen 127.0.0.1:{self.port};"), ("map.example.org", HOST),
                         ("/srv/budapest1956/static/", f"{self.static}/"),
                         ("/var/cache/nginx/budapest1956", f"{self.root}/cache"),
                         ("server 127.0.0.1:8000;", f"server 127.0.0.1:{self.app_port};")):
            assert old in site, old
            site = site.replace(old, new)
        (self.root / "site.conf").write_text(site)
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.root / name).mkdir(mode=0o777)
            os.chmod(self.root / name, 0o777)
        main = f"""
            load_module {BROTLI_MODULE};
            worker_processes 1;
            error_log {self.root}/nginx-error.log;
            pid {self.root}/nginx.pid;
            events {{ worker_connections 512; }}
            http {{
                include /etc/nginx/mime.types;
                default_type application/octet-stream;
                access_log off;
                client_body_temp_path {self.root}/body;
                proxy_temp_path {self.root}/proxy;
                fastcgi_temp_path {self.root}/fastcgi;
                uwsgi_temp_path {self.root}/uwsgi;
                scgi_temp_path {self.root}/scgi;
                include {self.root}/site.conf;
            }}"""
        (self.root / "nginx.conf").write_text(main)
        return self.root / "nginx.conf"

    def get(self, path: str, headers: dict[str, str] | None = None, timeout: float = 10):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                         headers={"Host": f"{HOST}:{self.port}", **(headers or {})})
        try:
            return urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            return error

    def status(self, path: str) -> int | None:
        try:
            return self.get(path, timeout=2).status
        except OSError:
            return None

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        return {int(pid) for pid in children.read_text().split()} if children.exists() else set()

    def stop(self) -> None:
        for process, sig in ((self.nginx, signal.SIGQUIT), (self.gunicorn, signal.SIGTERM)):
            if process.poll() is None:
                process.send_signal(sig)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def stack():
    if not Path(NGINX).exists() or not GUNICORN.exists() or not BROTLI_MODULE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx, its brotli module or gunicorn is missing: run `make test`")
        pytest.skip("nginx, its brotli module or gunicorn is missing")
    site = Stack()
    try:
        yield site
    finally:
        site.stop()


def referenced_assets(html: bytes) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    urls = [t["src"] for t in page.find_all("script", src=True)]
    urls += [t["href"] for t in page.find_all("link", href=True) if t.get("rel") != ["alternate"]]
    return urls


def test_pages_and_assets_through_nginx_with_compression_and_caching(stack) -> None:
    page = stack.get("/?date=1956-10-25", {"Accept-Encoding": "gzip"})
    assert page.status == 200 and page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Cache-Control"] == "no-cache" and page.headers["ETag"]
    assert "Accept-Encoding" in page.headers["Vary"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Expires" not in page.headers, "nginx's own header stays with nginx"
    html = gzip.decompress(page.read())
    assert b"<h1" in html and f'href="{stack.public_url}oembed?'.encode() in html
    assets = referenced_assets(html)
    assert len(assets) >= 8 and all(url.startswith(("/static/", "/data/map.en.")) for url in assets), assets
    for url in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(js|css|svg)$", url), f"{url}: a content-hashed name"
        response = stack.get(url, {"Accept-Encoding": "gzip"})
        assert response.status == 200, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        body = response.read()
        if url.endswith((".js", ".css")):
            assert response.headers["Content-Encoding"] == "gzip", url
            assert "Accept-Encoding" in response.headers["Vary"], url
        if url.startswith("/static/") and url.endswith((".js", ".css")):
            assert body == (stack.static / url.removeprefix("/static/")).with_name(
                Path(url).name + ".gz").read_bytes(), f"{url}: the precompressed file itself"
            br = stack.get(url, {"Accept-Encoding": "gzip, deflate, br"})
            assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"], url
            assert br.read() == (stack.static / url.removeprefix("/static/")).with_name(
                Path(url).name + ".br").read_bytes(), f"{url}: the brotli copy itself"
    leaflet = next(url for url in assets if "leaflet-1.9.4/leaflet." in url and url.endswith(".js"))
    plain = stack.get(leaflet)
    assert plain.headers.get("Content-Encoding") is None and b"Leaflet" in plain.read()
    assert stack.status("/static/vendor/leaflet-1.9.4/leaflet.js") == 404, "only the hashed names are served"
    assert stack.get("/static/vendor/leaflet-1.9.4/LICENSE").headers["Cache-Control"] == "public, max-age=86400"
    assert stack.status("/static/.mapapp-export.json") == 404
    health = stack.get("/healthz")
    assert health.status == 200 and health.headers["Content-Type"] == "application/json"


def direct(stack, path: str, headers: dict[str, str]):
    """The same request straight to gunicorn, as nginx would pass it on."""
    request = urllib.request.Request(f"http://127.0.0.1:{stack.app_port}{path}",
                                     headers={"Host": f"{HOST}:{stack.port}", "X-Forwarded-Proto": "http",
                                              "X-Forwarded-Host": f"{HOST}:{stack.port}",
                                              "X-Forwarded-Port": str(stack.port), **headers})
    return urllib.request.urlopen(request, timeout=10)


@pytest.mark.parametrize("path", ["/?date=1956-10-24&mode=cumulative", "/api/events.geojson?date=1956-10-23&mode=cumulative"])
def test_nginx_caches_the_apps_compressed_bytes_and_passes_them_through(stack, path: str) -> None:
    """One request reaches the app; the next ones are nginx's copy of the app's own brotli bytes
    (never compressed again), one copy per encoding, and browsers still revalidate (304)."""
    first = stack.get(path, {"Accept-Encoding": "gzip, deflate, br, zstd"})
    body = first.read()
    assert first.headers["Content-Encoding"] == "br" and first.headers["X-Cache-Status"] in ("MISS", "EXPIRED")
    app_bytes = direct(stack, path, {"Accept-Encoding": "br"}).read()
    assert body == app_bytes, "the app's brotli bytes, as they are"
    again = stack.get(path, {"Accept-Encoding": "br, gzip"})  # another spelling, the same copy
    assert again.headers["X-Cache-Status"] == "HIT" and again.read() == body
    assert again.headers["ETag"] == first.headers["ETag"] and again.headers["Cache-Control"] == "no-cache"
    gz = stack.get(path, {"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.read())
    plain = stack.get(path)
    assert plain.headers.get("Content-Encoding") is None and plain.read().decode().strip()
    revalidated = stack.get(path, {"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert revalidated.status == 304


def test_the_data_file_is_one_cached_file_for_every_page(stack) -> None:
    sources = {re.search(rb'src="(/data/map\.en\.[0-9a-f]{12}\.js)"', stack.get(path).read()).group(1)
               for path in ("/", "/embed", "/?date=1956-10-25&mode=cumulative", "/embed?date=1956-10-23")}
    assert len(sources) == 1
    url = sources.pop().decode()
    stack.get(url, {"Accept-Encoding": "br"}).read()
    cached = stack.get(url, {"Accept-Encoding": "br"})
    assert cached.headers["X-Cache-Status"] == "HIT" and cached.headers["Content-Encoding"] == "br"
    assert cached.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def slow_client(port: int, stop: threading.Event, sockets: list[socket.socket]) -> None:
    """Half a request, then one header byte every 2 s (a slowloris)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sockets.append(sock)
    sock.sendall(f"GET / HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: ".encode())
    while not stop.wait(2):
        try:
            sock.sendall(b"a")
        except OSError:
            return


def test_fifty_slow_clients_do_not_delay_normal_visitors(stack) -> None:
    stop, sockets = threading.Event(), []
    slow = [threading.Thread(target=slow_client, args=(stack.port, stop, sockets)) for _ in range(50)]
    for thread in slow:
        thread.start()
    try:
        wait_for(lambda: len(sockets) == 50, 10, "50 slow connections")
        time.sleep(2.5)  # every slow client has trickled at least one more byte
        timings: list[float] = []

        def visit(path: str) -> None:
            start = time.monotonic()
            response = stack.get(path, timeout=5)
            assert response.status == 200 and response.read()
            timings.append(time.monotonic() - start)

        paths = ["/", "/embed", "/sources", "/?date=1956-10-23", "/api/sites.geojson"] * 4
        visitors = [threading.Thread(target=visit, args=(path,)) for path in paths]
        for thread in visitors:
            thread.start()
        for thread in visitors:
            thread.join()
        print(f"20 visitors during 50 slow clients: max {max(timings):.3f} s, "
              f"mean {sum(timings) / len(timings):.3f} s")
        assert len(timings) == 20 and max(timings) < 2.0, timings
    finally:
        stop.set()
        for thread in slow:
            thread.join()
        for sock in sockets:
            sock.close()


def test_a_worker_killed_while_the_data_is_broken_comes_back_serving(stack) -> None:
    before = stack.get("/sources").read()
    set_cell(stack.data / "events.csv", 2, "date_start", "1956-02-30")
    try:
        victim = min(stack.workers())
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: len(stack.workers()) == 2 and victim not in stack.workers(), 20, "a new worker")
        for _ in range(10):
            response = stack.get("/sources")
            assert response.status == 200 and response.read() == before
        assert stack.gunicorn.poll() is None, "the master is still running"
    finally:
        set_cell(stack.data / "events.csv", 2, "date_start", "1956-10-23")


def test_a_reload_with_broken_data_keeps_serving_and_logs_the_report(stack) -> None:
    title = "Mini fixture"
    assert title in stack.get("/").read().decode()
    set_cell(stack.data / "events.csv", 2, "date_start", "1956-02-30")
    old_workers = stack.workers()
    stack.gunicorn.send_signal(signal.SIGHUP)
    wait_for(lambda: "was NOT reloaded" in stack.log.read_text(errors="replace"), 30, "the report")
    wait_for(lambda: not (stack.workers() & old_workers) and len(stack.workers()) == 2, 40, "new workers")
    log = stack.log.read_text(errors="replace")
    assert "events.csv:2: date_start: '1956-02-30' is not a date that exists" in log
    for _ in range(6):
        assert title in stack.get("/").read().decode()
    # fixed, the next reload takes the new data
    set_cell(stack.data / "events.csv", 2, "date_start", "1956-10-23")
    (stack.data / "dataset.json").write_text((stack.data / "dataset.json").read_text().replace(
        title, "Mini fixture, edited"))
    for path in ("/", "/api/events.geojson?date=1956-10-23"):
        stack.get(path).read()  # in nginx's cache now
    stack.gunicorn.send_signal(signal.SIGHUP)
    wait_for(lambda: b"Mini fixture, edited" in direct(stack, "/", {}).read(), 40, "the app's new title")
    reloaded = time.monotonic()
    wait_for(lambda: "Mini fixture, edited" in stack.get("/").read().decode(), 10, "the edited title through nginx")
    seconds = time.monotonic() - reloaded
    print(f"a reload showed through nginx's cache after {seconds:.1f} s")
    assert seconds <= 5 + 2, "within PROXY_CACHE_SECONDS (5) and a moment"
    assert stack.gunicorn.poll() is None


def test_an_untrusted_host_gets_400_and_never_reaches_a_page(stack) -> None:
    for headers in ({"Host": "evil.example"}, {"Host": f"evil.example:{stack.port}"}):
        response = stack.get("/print?date=1956-10-23", headers)
        assert response.status == 400 and b"evil" not in response.read()
    for path in ("/", "/embed", "/print?date=1956-10-23", "/oembed?url=" + stack.public_url):
        body = stack.get(path, {"X-Forwarded-Host": "evil.example", "X-Host": "evil.example",
                                "Forwarded": "host=evil.example"}).read()
        assert b"evil" not in body, path
        assert re.search(rb"https?://", body) and stack.public_url.encode() in body, path


def test_gunicorn_refuses_to_start_on_a_broken_dataset_with_the_report(tmp_path: Path) -> None:
    if not GUNICORN.exists():
        pytest.fail("gunicorn is missing: run `make test`")
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", data)
    set_cell(data / "sites.csv", 2, "lat", "97")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAPAPP_", "GUNICORN_"))}
    result = subprocess.run(
        [str(GUNICORN), "-c", str(PROJECT / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{free_port()}"],
        env={**env, "MAPAPP_DATA_DIR": str(data), "XDG_RUNTIME_DIR": str(tmp_path)}, cwd=tmp_path,
        check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "sites.csv:2: lat: 97 is out of range" in result.stderr and "Traceback" not in result.stderr
