"""Interface text in English and Hungarian, and the category legend."""
from __future__ import annotations

from .records import CATEGORIES

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
CATEGORY_COLORS = {
    "demonstration": "#E69F00", "fighting": "#D55E00", "politics": "#0072B2", "soviet": "#000000",
    "workers": "#009E73", "refugees": "#CC79A7", "international": "#56B4E9",
}

CATEGORY_TEXT = {
    "en": {
        "demonstration": ("Demonstrations", "marches, rallies, crowds"),
        "fighting": ("Fighting", "armed clashes, sieges, shootings"),
        "politics": ("Politics", "government, parties, declarations"),
        "soviet": ("Soviet forces", "movements and actions of the Soviet army"),
        "workers": ("Workers' councils", "strikes and councils"),
        "refugees": ("Refugees", "the flight west"),
        "international": ("The world", "UN, Suez, foreign governments"),
    },
    "hu": {
        "demonstration": ("Tüntetések", "felvonulások, gyűlések, tömegek"),
        "fighting": ("Harcok", "fegyveres összecsapások, ostromok, sortüzek"),
        "politics": ("Politika", "kormány, pártok, nyilatkozatok"),
        "soviet": ("Szovjet csapatok", "a szovjet hadsereg mozgásai és akciói"),
        "workers": ("Munkástanácsok", "sztrájkok és tanácsok"),
        "refugees": ("Menekültek", "a menekülés nyugatra"),
        "international": ("A világ", "ENSZ, Szuez, külföldi kormányok"),
    },
}

UI = {
    "en": {
        "dayLabel": "Day", "previousDay": "Previous day", "nextDay": "Next day",
        "play": "▶ Play", "pause": "❚❚ Pause", "modeLegend": "Show",
        "modeDay": "This day", "modeCumulative": "Up to this day", "legend": "Categories",
        "close": "Close details", "sources": "Sources", "allSources": "All sources",
        "placeSame": "({name})", "placeRenamed": "(in 1956: {then}; today: {now})",
        "precision": "Position: {note}.",
        "claimsHeading": "Sources disagree",
        "claimValue": "Figure", "claimSource": "Source",
        "routeTooltip": "{name} ({km} km)",
        "badParam": "The link's {name}=“{value}” is not understood (expected {expected}); it was ignored.",
        "clamped": "{value} is outside the map's days; showing {day}.",
        "events": "Events", "eventsOfDay": "Events",
        "title": "Budapest 1956: a day-by-day map of the revolution",
        "sourcesPage": "Sources", "mapPage": "Map", "openFull": "Open the full map",
        "skip": "Skip to the event list", "citedBy": "Cited by",
        "fitDay": "Zoom to this day's places",
        "printDay": "Print this day", "print": "Print", "printMap": "Map of the day's places",
        "printMapNote": "The numbers on the map are the numbers of the events below.",
        "printEarlier": "Earlier events (faded on the map)",
        "printNone": "No events are recorded for this day.",
        "printQr": "Scan to open this day on the online map:",
    },
    "hu": {
        "dayLabel": "Nap", "previousDay": "Előző nap", "nextDay": "Következő nap",
        "play": "▶ Lejátszás", "pause": "❚❚ Szünet", "modeLegend": "Mutasd",
        "modeDay": "Ezt a napot", "modeCumulative": "Eddig a napig", "legend": "Kategóriák",
        "close": "Részletek bezárása", "sources": "Források", "allSources": "Minden forrás",
        "placeSame": "({name})", "placeRenamed": "(1956-ban: {then}; ma: {now})",
        "precision": "Helymeghatározás: {note}.",
        "claimsHeading": "A források eltérnek",
        "claimValue": "Adat", "claimSource": "Forrás",
        "routeTooltip": "{name} ({km} km)",
        "badParam": "A hivatkozás {name}=„{value}” paramétere érvénytelen (várt érték: {expected}); figyelmen kívül hagytuk.",
        "clamped": "{value} kívül esik a térkép napjain; ehelyett: {day}.",
        "events": "Események", "eventsOfDay": "Események",
        "title": "Budapest 1956: a forradalom napról napra",
        "sourcesPage": "Források", "mapPage": "Térkép", "openFull": "A teljes térkép megnyitása",
        "skip": "Ugrás az eseménylistára", "citedBy": "Hivatkozik rá",
        "fitDay": "Ráközelítés a nap helyszíneire",
        "printDay": "A nap nyomtatása", "print": "Nyomtatás", "printMap": "A nap helyszíneinek térképe",
        "printMapNote": "A térképen látható számok az alábbi események sorszámai.",
        "printEarlier": "Korábbi események (halványan a térképen)",
        "printNone": "Erre a napra nincs rögzített esemény.",
        "printQr": "A kód beolvasásával ez a nap megnyílik az online térképen:",
    },
}


def categories(lang: str) -> list[dict[str, str]]:
    text = CATEGORY_TEXT["hu" if lang == "hu" else "en"]
    return [{"id": c, "label": text[c][0], "help": text[c][1], "color": CATEGORY_COLORS[c]}
            for c in CATEGORIES]


def ui(lang: str) -> dict[str, str]:
    return UI["hu" if lang == "hu" else "en"]
