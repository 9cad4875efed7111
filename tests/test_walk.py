"""The walking tour's order: nearest neighbour then 2-opt on geodesic distances, inside Budapest."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from shapely.geometry import LineString, Polygon

from mapapp.geodata import load_dataset
from mapapp.walk import (
    DEFAULT_START,
    Walk,
    distances,
    leg_costs,
    nearest_neighbour,
    plan,
    plan_walk,
    walk_area,
    walk_length,
    walk_sites,
)

SHIPPED = Path(__file__).parent.parent / "geodata"
KM_PER_DEGREE_LAT = 111.2  # a meridian degree near 47.5° N, within 0.1 %


def north(km: float) -> tuple[float, float]:
    """A point `km` north (negative: south) of (47.5, 19.05), on one meridian."""
    return (47.5 + km / KM_PER_DEGREE_LAT, 19.05)


def test_small_case_checked_by_hand() -> None:
    """Four stops on one street running north-south; the class starts at O.

        W ---- O -- E1 ------------ E3          (km: W -1.1, O 0, E1 1.0, E3 3.3)

    Nearest neighbour goes O, E1 (1.0), W (2.1, nearer than E3 at 2.3), E3 (4.4): 7.5 km. Going
    south first is shortest: O, W (1.1), E1 (2.1), E3 (2.3): 5.5 km. The other orders: O, E1, E3, W
    is 7.7; O, W, E3, E1 is 7.8; O, E3, ... begins with 3.3 and has at least 4.4 to go.
    """
    points = [north(0), north(1.0), north(-1.1), north(3.3)]  # O, E1, W, E3
    dist = distances(points)
    assert dist[0][1] == pytest.approx(1.0, rel=0.01) and dist[0][2] == pytest.approx(1.1, rel=0.01)
    assert nearest_neighbour(dist, 0) == [0, 1, 2, 3]
    assert walk_length([0, 1, 2, 3], dist) == pytest.approx(7.5, rel=0.01)
    best = plan(points, 0)
    assert best == [0, 2, 1, 3]
    assert walk_length(best, dist) == pytest.approx(5.5, rel=0.01)
    every = min(walk_length([0, *p], dist) for p in itertools.permutations([1, 2, 3]))
    assert walk_length(best, dist) == pytest.approx(every)


@pytest.mark.parametrize("seed", range(40))
def test_never_longer_than_nearest_neighbour_from_the_same_start(seed: int) -> None:
    rng = random.Random(seed)
    points = [(47.45 + rng.random() * 0.1, 19.0 + rng.random() * 0.15) for _ in range(rng.randint(3, 14))]
    start = rng.randrange(len(points))
    dist = distances(points)
    order = plan(points, start)
    assert order[0] == start and sorted(order) == list(range(len(points)))
    assert walk_length(order, dist) <= walk_length(nearest_neighbour(dist, start), dist) + 1e-9


def test_shipped_sites_from_every_start() -> None:
    data = load_dataset(SHIPPED)
    area = walk_area(data)
    sites = walk_sites(data, None, area)
    assert DEFAULT_START in {s.id for s in sites}
    points = [(s.lat, s.lon) for s in sites]
    dist = distances(points)
    for start in range(len(sites)):
        order = plan(points, start, area)
        assert walk_length(order, dist) <= walk_length(nearest_neighbour(dist, start), dist) + 1e-9
    walk = plan_walk(sites, data.sites[DEFAULT_START], area)
    assert walk.site_ids[0] == DEFAULT_START and sorted(walk.site_ids) == sorted(s.id for s in sites)
    assert all(area.covers(LineString([(data.sites[a].lon, data.sites[a].lat), (data.sites[b].lon, data.sites[b].lat)]))
               for a, b in zip(walk.site_ids, walk.site_ids[1:]))
    assert "andau_bridge" not in walk.site_ids, "only Budapest takes part"


def test_a_leg_that_would_leave_the_region_is_avoided() -> None:
    """A U-shaped region: the tips of its arms, A and B, are nearest to each other, but the straight
    leg between them crosses the gap; the walk goes down one arm and up the other instead.

        A        B
        |  gap   |
        D ------ E
    """
    u_shape = Polygon([(19.00, 47.50), (19.10, 47.50), (19.10, 47.60), (19.07, 47.60), (19.07, 47.53),
                       (19.03, 47.53), (19.03, 47.60), (19.00, 47.60)])
    a, b, d, e = (47.59, 19.015), (47.59, 19.085), (47.51, 19.015), (47.51, 19.085)
    points = [a, b, d, e]
    dist = distances(points)
    assert nearest_neighbour(dist, 0)[:2] == [0, 1], "without the region, A goes straight to B"
    assert not u_shape.covers(LineString([(a[1], a[0]), (b[1], b[0])]))
    assert plan(points, 0, u_shape) == [0, 2, 3, 1]
    cost = leg_costs(points, dist, u_shape)
    assert cost[0][1] > 100 and cost[0][2] == dist[0][2]


def test_walking_time_at_4_5_km_an_hour() -> None:
    assert Walk(("a", "b"), (4.5,)).minutes == 60
    assert Walk(("a", "b", "c"), (1.2, 2.0)).minutes == 45  # 3.2 km: 42.7 min, to 5 minutes
    assert Walk(("a",), ()).minutes == 0 and Walk(("a", "b"), (0.05,)).minutes == 5
