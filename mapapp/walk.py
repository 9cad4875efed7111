"""A walking tour through a dataset's Budapest sites, in an order that keeps the walk short.

The order is nearest neighbour from the chosen start, improved by 2-opt (reverse a stretch of the
walk whenever that shortens it), on geodesic distances between the sites (geopy, WGS84). No
street network is used, so every distance is "as the crow flies". Only sites inside the Budapest
region of regions.geojson take part, and a leg that would leave the region (possible where the
region is not convex) costs so much that the order avoids it whenever another order exists.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geopy.distance import geodesic
from shapely.geometry import LineString, Point, Polygon
from shapely.prepared import prep

from .checks import region_polygon
from .records import Dataset, Lesson, Site

WALKING_KMH = 4.5
DEFAULT_START = "bme"  # the Technical University, where 23 October began
WALK_REGION = "budapest"
OUTSIDE_PENALTY_KM = 1000.0  # added to a leg that leaves the region: avoided whenever possible
EPSILON_KM = 1e-9

Point2 = tuple[float, float]  # (lat, lon)


@dataclass(frozen=True)
class Walk:
    """Stops in walking order (the start first) and the straight legs between them."""

    site_ids: tuple[str, ...]
    legs_km: tuple[float, ...]  # legs_km[i]: from stop i to stop i + 1

    @property
    def total_km(self) -> float:
        return sum(self.legs_km)

    @property
    def minutes(self) -> int:
        """Walking time at WALKING_KMH, rounded to 5 minutes (and at least 5 with any leg)."""
        if not self.legs_km:
            return 0
        return max(5, 5 * round(self.total_km / WALKING_KMH * 60 / 5))


def distances(points: Sequence[Point2]) -> list[list[float]]:
    """Geodesic distance in km between every two points."""
    n = len(points)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i][j] = matrix[j][i] = geodesic(points[i], points[j]).km
    return matrix


def leg_costs(points: Sequence[Point2], dist: list[list[float]], area: Polygon | None) -> list[list[float]]:
    """Distances, plus OUTSIDE_PENALTY_KM for each straight leg that `area` does not cover."""
    if area is None:
        return dist
    covers = prep(area).covers
    cost = [row[:] for row in dist]
    for i, (lat_a, lon_a) in enumerate(points):
        for j in range(i + 1, len(points)):
            lat_b, lon_b = points[j]
            if not covers(LineString([(lon_a, lat_a), (lon_b, lat_b)])):
                cost[i][j] = cost[j][i] = dist[i][j] + OUTSIDE_PENALTY_KM
    return cost


def nearest_neighbour(cost: list[list[float]], start: int) -> list[int]:
    """From `start`, always on to the cheapest stop not yet visited (ties: the lower index)."""
    order, left = [start], set(range(len(cost))) - {start}
    while left:
        here = order[-1]
        step = min(left, key=lambda j: (cost[here][j], j))
        order.append(step)
        left.remove(step)
    return order


def two_opt(order: list[int], cost: list[list[float]]) -> list[int]:
    """Reverse any stretch order[i..j] that makes the open walk cheaper, until none does. The start
    (order[0]) stays; the walk may end anywhere."""
    order = list(order)
    n = len(order)
    improved = True
    while improved:
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                before = cost[order[i - 1]][order[i]]
                after = cost[order[i - 1]][order[j]]
                if j + 1 < n:
                    before += cost[order[j]][order[j + 1]]
                    after += cost[order[i]][order[j + 1]]
                if after < before - EPSILON_KM:
                    order[i:j + 1] = reversed(order[i:j + 1])
                    improved = True
    return order


def walk_length(order: Sequence[int], dist: list[list[float]]) -> float:
    return sum(dist[a][b] for a, b in zip(order, order[1:]))


def plan(points: Sequence[Point2], start: int, area: Polygon | None = None) -> list[int]:
    """Indexes of `points` in walking order, beginning at `start`."""
    dist = distances(points)
    cost = leg_costs(points, dist, area)
    return two_opt(nearest_neighbour(cost, start), cost)


def walk_area(dataset: Dataset) -> Polygon | None:
    """The Budapest region's polygon; None when the dataset has no such region (any site walks)."""
    region = dataset.regions.get(WALK_REGION)
    return region_polygon(region) if region else None


def in_area(site: Site, area: Polygon | None) -> bool:
    return area is None or area.covers(Point(site.lon, site.lat))


def lesson_site_ids(dataset: Dataset, lesson: Lesson) -> list[str]:
    """The sites a lesson's stops stand on, in stop order, each once."""
    events = {e.id: e for e in dataset.events}
    ids = [stop.site_id or events[stop.event_id].site_id for stop in lesson.stops]
    return list(dict.fromkeys(i for i in ids if i))


def walk_sites(dataset: Dataset, lesson: Lesson | None, area: Polygon | None) -> list[Site]:
    """The sites a walk visits, inside the walk's area: the lesson's, or every site where an event
    of the map took place (a site no event names has nothing to show a class)."""
    if lesson:
        ids = lesson_site_ids(dataset, lesson)
    else:
        named = {e.site_id for e in dataset.events}
        ids = [i for i in dataset.sites if i in named]
    return [dataset.sites[i] for i in ids if in_area(dataset.sites[i], area)]


def plan_walk(sites: Sequence[Site], start: Site, area: Polygon | None = None) -> Walk:
    """A walk from `start` through `sites` (the start is added when it is not among them)."""
    stops = [start, *(s for s in sites if s.id != start.id)]
    points = [(s.lat, s.lon) for s in stops]
    order = plan(points, 0, area)
    dist = distances(points)
    return Walk(site_ids=tuple(stops[i].id for i in order),
                legs_km=tuple(dist[a][b] for a, b in zip(order, order[1:])))
