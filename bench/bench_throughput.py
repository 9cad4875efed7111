"""Throughput with wrk: the app through nginx in front of gunicorn, against nginx serving the export.

Each URL gets one warm-up request (with wrk's headers), then `wrk -t2 -c16 -d<seconds>s --latency`, with the
Accept-Encoding a browser sends (so compression counts once there is any). wrk is Debian's
package (`make bench` installs it).
"""
from __future__ import annotations

import re
import shutil
import urllib.request

from common import Check, Section, log, run, table

CONNECTIONS = 16
ACCEPT_ENCODING = "gzip, deflate, br"
HEADERS = ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
API = "/api/events.geojson?date=1956-11-04&mode=cumulative"
API_RATE, API_P99_MS = 2000, 30.0
PAGE_FRACTION = 0.5


def wrk(url: str, seconds: int) -> dict[str, float]:
    """req/s, p50 and p99 in ms, and errors (non-2xx/3xx and socket errors) of one wrk run."""
    # the warm-up is the request wrk sends (the same encoding, so the same copy in any cache)
    urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": ACCEPT_ENCODING}), timeout=30).read()
    done = run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", *HEADERS, url],
               timeout=seconds + 60)
    text = done.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if done.returncode or not rate:
        raise RuntimeError(f"wrk failed on {url}: {(done.stderr or text).strip()[-300:]}")
    out = {"rate": float(rate.group(1)), "errors": 0.0}
    for name, key in (("50%", "p50"), ("99%", "p99")):
        match = re.search(rf"^\s+{re.escape(name)}\s+([\d.]+)(us|ms|s)\b", text, re.M)
        if match:
            out[key] = float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
    for pattern in (r"Non-2xx or 3xx responses:\s+(\d+)", r"Socket errors:.*?(\d+)"):
        for found in re.findall(pattern, text):
            out["errors"] += float(found)
    return out


def leaflet_url(app_url: str) -> str:
    """leaflet.js's content-hashed URL, as the map page names it."""
    with urllib.request.urlopen(app_url + "/", timeout=30) as response:
        html = response.read().decode("utf-8")
    found = re.search(r'src="(/static/vendor/leaflet-[^"]+/leaflet\.[0-9a-f]{12}\.js)"', html)
    if not found:
        raise RuntimeError("the map page names no leaflet.js")
    return found.group(1)


def measure(app_url: str, export_url: str, seconds: int) -> Section:
    if not shutil.which("wrk"):
        from common import not_measured
        return not_measured("Throughput (wrk)", "wrk is not installed (apt-get install wrk)",
                            [("`/` through nginx", f"≥ {PAGE_FRACTION} × nginx's static rate"),
                             (f"`{API}`", f"≥ {API_RATE:,} req/s, p99 ≤ {API_P99_MS:.0f} ms")])
    leaflet = leaflet_url(app_url)
    targets = [("nginx serving the export: `/index.html`", export_url + "/index.html"),
               ("`/` through nginx", app_url + "/"),
               ("`/embed?date=1956-10-25` through nginx", app_url + "/embed?date=1956-10-25"),
               (f"`{API}` through nginx", app_url + API),
               (f"static file `{leaflet}` through nginx", app_url + leaflet)]
    measured = {}
    for label, url in targets:
        measured[label] = wrk(url, seconds)
        log(f"throughput: {label}: {measured[label]['rate']:,.0f} req/s")
    base = measured[targets[0][0]]["rate"]
    rows, checks = [], []
    for k, (label, _) in enumerate(targets):
        m = measured[label]
        value = (f"{m['rate']:,.0f} req/s, p50 {m.get('p50', 0):.2f} ms, p99 {m.get('p99', 0):.2f} ms"
                 + (f", {m['errors']:.0f} errors" if m["errors"] else ""))
        if k == 0:
            check = Check(label, value, "the reference rate", m["errors"] == 0)
        elif label.startswith(f"`{API}`"):
            check = Check(label, value, f"≥ {API_RATE:,} req/s and p99 ≤ {API_P99_MS:.0f} ms",
                          m["rate"] >= API_RATE and m.get("p99", 1e9) <= API_P99_MS and not m["errors"])
            checks.append(check)
        else:
            required = label.startswith("`/` ")
            check = Check(label, f"{value}; {m['rate'] / base:.2f} of nginx's static rate",
                          f"≥ {PAGE_FRACTION} × nginx's static rate" + ("" if required else " (reference only)"),
                          m["rate"] >= PAGE_FRACTION * base and not m["errors"])
            if required:
                checks.append(check)
        rows.append([check.what, check.value, check.target, check.result])
    lines = [f"`wrk -t2 -c{CONNECTIONS} -d{seconds}s --latency` with `Accept-Encoding: gzip, deflate, br`, "
             "one warm-up request each; the reference row passes when it had no errors.", "",
             *table(["URL", "measured", "target", "result"], rows, "llll")]
    return Section("Throughput (wrk)", lines, checks)
