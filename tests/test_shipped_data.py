"""The shipped dataset: loads, covers the revolution day by day, cites two publishers per event,
records the contested figures as claims, and keeps its geometry honest."""
from __future__ import annotations

import re
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


def test_every_source_says_what_kind_of_work_it_is(data) -> None:
    assert all(s.kind for s in data.sources.values())


def test_every_event_rests_on_a_chronology_study_archive_or_institute(data) -> None:
    """Also refused by `mapapp check`; here as a statement about what we ship."""
    for event in data.events:
        kinds = {data.sources[s].kind for s in event.source_ids}
        assert kinds & {"chronology", "scholarship", "archive", "institute"}, (event.id, kinds)


def test_no_source_is_dated_by_when_it_was_read(data) -> None:
    """An undated page has no year; the year it was read is never its date (31 rows once said 2026)."""
    assert not [s.id for s in data.sources.values() if s.year == s.accessed.year == 2026]


def test_citations_are_distinct_works_at_their_own_address(data) -> None:
    from urllib.parse import urlsplit
    urls = [s.url for s in data.sources.values() if s.url]
    assert len(urls) == len(set(urls)), "a work is listed once"
    for source in data.sources.values():
        host = urlsplit(source.url).hostname or ""
        assert not host.endswith("."), (source.id, source.url)
        if not source.url:  # a printed work: full bibliographic data
            assert source.author or source.kind == "blog", source.id
            assert source.publisher or source.kind == "blog", source.id


DEVELOPMENT_WORDS = re.compile(r"(?i)\bseed\b|project'?s (?:seed|start)|(?<![\d][ ,.-])(?<!\d)\b00[04]\b"
                               r"|\bthe project\b|\bproject's\b|\b(?:our|the project's|this) issue\b|\bissue #?\d|\bTODO\b"
                               r"|\bmust be (?:moved|checked)\b|\b(?:in )?this round\b")


def test_no_development_vocabulary_in_any_field() -> None:
    for path in sorted(GEODATA.glob("*.csv")) + sorted(GEODATA.glob("*.json")) + [GEODATA / "routes.geojson"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not DEVELOPMENT_WORDS.search(line), f"{path.name}:{number}: {line[:120]}"


def test_the_map_does_not_take_sides_in_its_own_voice(data) -> None:
    loaded = re.compile(r"(?i)\bhated\b|\bheroic\b|\bmartyrs?\b|\bthugs?\b|\bgyűlölt\b|\bhősies\b|\bbanditák?\b")
    for event in data.events:
        for text in (event.title.en, event.summary.en, event.title.hu, event.summary.hu):
            unquoted = re.sub(r"[„“\"‘'][^”\"’']*[”\"’']", "", text)
            assert not loaded.search(unquoted), (event.id, text)


# a sentence ends at . ! or ? before a capital, unless the dot closes an abbreviation, an initial
# ("B. Szabó István") or a Roman numeral ("II. világháború")
NOT_AN_END = re.compile(r"(?:\b(?:a\.m|p\.m|St|Dr|Gen|Lt|Col|Mr|Mrs|No|U\.S|U\.N|c|ca|e\.g|i\.e|vs|Jr|Sr|Maj|Capt"
                        r"|Sgt|Rev|Mt|dr|id|ifj|ún|stb|kb|ill|pl|vö|sz|u|ker|Bp)|\b[IVXLC]+|\b[A-ZÁÉÍÓÖŐÚÜŰ])\.$")
SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“„‘(]?[A-ZÁÉÍÓÖŐÚÜŰ])")


def sentences(text: str) -> list[str]:
    """The sentences of a summary, for FORMAT.md's two to four."""
    found, start = [], 0
    for end in SENTENCE_END.finditer(text):
        if not NOT_AN_END.search(text[start:end.start() + 1].rstrip("\"”’)")):
            found.append(text[start:end.end()].strip())
            start = end.end()
    return [*found, text[start:].strip()]


def test_sentences_are_split_as_a_reader_would() -> None:
    assert len(sentences("B. Szabó István spoke at 9 p.m. in Parliament. The crowd stayed.")) == 2
    assert len(sentences("A II. világháború után. „Ruszkik haza!” – kiáltották. Ment.")) == 3


def test_every_summary_has_two_to_four_sentences(data) -> None:
    for event in data.events:
        for text in (event.summary.en, event.summary.hu):
            assert 2 <= len(sentences(text)) <= 4, (event.id, sentences(text))


def test_hungarian_ranges_use_an_en_dash(data) -> None:
    for event in data.events:
        for text in (event.title.hu, event.summary.hu):
            assert not re.search(r"\d-\d", text), (event.id, text)


@pytest.mark.parametrize("site_id", ["hegyeshalom", "mosonmagyarovar_barracks", "prater_utca", "akademia_utca",
                                     "ministry_defence"])
def test_named_pins_say_how_they_were_placed(data, site_id: str) -> None:
    site = data.sites[site_id]
    assert site.coord_source and len(site.coord_source) > 40, site_id


def test_the_first_shots_and_the_last_resistance_outside_budapest(data) -> None:
    ids = " ".join(e.id for e in data.events)
    for place in ("debrecen", "dunapentele", "mecsek"):
        assert place in ids, place
