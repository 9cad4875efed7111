"""The shipped dataset: loads, covers the revolution day by day, cites two publishers per event,
records the contested figures as claims, and keeps its geometry honest."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from geopy.distance import geodesic

from mapapp.geodata import load_dataset
from mapapp.timeline import events_shown

GEODATA = Path(__file__).parent.parent / "geodata"


@pytest.fixture(scope="module")
def data():
    return load_dataset(GEODATA)


def test_size_of_the_dataset(data) -> None:
    assert len(data.sites) >= 40
    assert len(data.events) >= 80


def test_every_day_from_22_october_to_11_november_has_an_event(data) -> None:
    day = date(1956, 10, 22)
    while day <= date(1956, 11, 11):
        assert events_shown(data, day, "day"), f"no event on {day}"
        day += timedelta(days=1)
    assert data.last_day >= date(1956, 11, 22)
    assert any(e.date_start == date(1956, 11, 22) for e in data.events), "Nagy's group leaves the embassy"


def test_every_event_cites_two_publishers_besides_wikis(data) -> None:
    """A wiki points to sources but is not one: two other publishers back every event."""
    for event in data.events:
        publishers = {data.sources[s].publisher.strip().lower() for s in event.source_ids}
        publishers = {p for p in publishers if "wiki" not in p}
        assert len(publishers) >= 2, f"events.csv:{event.line}: sources: {event.id} cites {publishers}"


def test_every_event_has_a_place_unless_international(data) -> None:
    for event in data.events:
        assert event.site_id or event.route_id or event.category == "international", event.id


def test_texts_are_bilingual_and_not_copies(data) -> None:
    for event in data.events:
        assert event.title.en != event.title.hu or event.title.en.isupper(), event.id
        assert event.summary.en != event.summary.hu, event.id
    assert any(ch in "őű" for e in data.events for ch in e.summary.hu), "Hungarian diacritics kept"


def test_the_five_seed_places_are_there(data) -> None:
    for site in ("bem_statue", "radio_building", "stalin_statue", "parliament", "kossuth_ter", "andau_bridge"):
        assert site in data.sites


@pytest.mark.parametrize("words", [
    ("Stalin", "statue"), ("Kossuth",), ("Mosonmagyaróvár",), ("tank",), ("refugee",),
])
def test_contested_figures_are_claims(data, words) -> None:
    texts = [" ".join([e.title.en, e.summary.en, *[c.measure.en for c in e.claims]])
             for e in data.events if len({c.source_id for c in e.claims}) >= 2]
    assert any(all(w.lower() in t.lower() for w in words) for t in texts), words


def test_claims_name_distinct_sources(data) -> None:
    for event in data.events:
        for claim in event.claims:
            assert claim.source_id in data.sources


def test_routes_cover_the_road_west_and_the_soviet_entries(data) -> None:
    assert len(data.routes) >= 4
    categories = Counter(r.category for r in data.routes.values())
    assert categories["refugees"] >= 2 and categories["soviet"] >= 2
    for route in data.routes.values():
        assert route.length_km > 1 and route.source_ids, route.id


def test_no_site_is_a_district_centre_without_saying_so(data) -> None:
    for site in data.sites.values():
        if site.precision != "exact":
            assert site.precision_note, site.id


def test_sites_are_distinct_places(data) -> None:
    sites = list(data.sites.values())
    for i, a in enumerate(sites):
        for b in sites[i + 1:]:
            assert geodesic((a.lat, a.lon), (b.lat, b.lon)).meters > 5, (a.id, b.id)


@pytest.mark.parametrize("event_id,figure", [
    ("1956-10-23-bme-march-sets-off", "20,000"),          # seed 000: 20,000 students
    ("1956-10-23-bem-statue-rally", "20,000"),            # seed 004: 20,000 protesters
    ("1956-10-23-kossuth-ter-crowd", "200,000"),          # seed 000: 200,000 by nightfall
    ("1956-10-23-stalin-statue-toppled", "9.1 m"),        # seeds: 30-foot / 9.1 m
    ("1956-10-27-tiszakecske-air-attack", "17"),          # seed 004: a jet attack killing 17
    ("1956-11-04-operation-whirlwind", "5,000"),          # seed 000: 5,000 tanks
    ("1956-11-11-csepel-falls", "4,000"),                 # seed 000: over 4,000 killed
    ("1956-11-11-csepel-falls", "10 November"),           # seed 000: resistance ended 10 November
    ("1956-11-04-refugee-wave-begins", "200,000"),        # seed 000: over 200,000 via Austria
])
def test_every_figure_the_seeds_state_is_a_claim_beside_others(data, event_id: str, figure: str) -> None:
    event = next(e for e in data.events if e.id == event_id)
    assert any(figure in c.value.en for c in event.claims), (event_id, figure)
    assert len({c.source_id for c in event.claims}) >= 3, "the seed's figure stands beside other sources'"
