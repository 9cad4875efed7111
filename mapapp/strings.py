"""Interface text in English and Hungarian, and the category legend.

The English text is the gettext msgid and lives in the tables below; every other language comes
from its catalog, ``translations/<lang>/LC_MESSAGES/messages.po``, read once at import with
Babel (no compiled .mo files). ``scripts/update-translations.sh`` re-extracts the msgids from
this file into ``translations/messages.pot`` and updates the catalogs; tests/test_i18n.py fails on
a missing, empty or fuzzy translation, or one whose {placeholders} differ from the English.
"""
from __future__ import annotations

import logging
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from .records import CATEGORIES

log = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).parent / "translations"
DOMAIN = "messages"
DEFAULT_LANG = "en"
LANGUAGES = ("en", "hu")  # English is the msgid, so only Hungarian has a catalog


def N_(message: str) -> str:
    """Mark a msgid for extraction (pybabel extract -k N_); the text itself is returned."""
    return message


# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
CATEGORY_COLORS = {
    "demonstration": "#E69F00", "fighting": "#D55E00", "politics": "#0072B2", "soviet": "#000000",
    "workers": "#009E73", "refugees": "#CC79A7", "international": "#56B4E9",
}

# Category id -> (label, help) msgids.
CATEGORY_MESSAGES: dict[str, tuple[str, str]] = {
    "demonstration": (N_("Demonstrations"), N_("marches, rallies, crowds")),
    "fighting": (N_("Fighting"), N_("armed clashes, sieges, shootings")),
    "politics": (N_("Politics"), N_("government, parties, declarations")),
    "soviet": (N_("Soviet forces"), N_("movements and actions of the Soviet army")),
    "workers": (N_("Workers' councils"), N_("strikes and councils")),
    "refugees": (N_("Refugees"), N_("the flight west")),
    "international": (N_("The world"), N_("UN, Suez, foreign governments")),
}

# Interface key (templates: t.key; the slider's JS: data.strings.key) -> msgid.
# Keys with the same English text share one catalog entry.
MESSAGES: dict[str, str] = {
    "dayLabel": N_("Day"),
    "previousDay": N_("Previous day"),
    "nextDay": N_("Next day"),
    "play": N_("▶ Play"),
    "pause": N_("❚❚ Pause"),
    "modeLegend": N_("Show"),
    "modeDay": N_("This day"),
    "modeCumulative": N_("Up to this day"),
    "legend": N_("Categories"),
    "close": N_("Close details"),
    "sources": N_("Sources"),
    "allSources": N_("All sources"),
    "placeSame": N_("({name})"),
    "placeRenamed": N_("(in 1956: {then}; today: {now})"),
    "precisionApproximate": N_("Approximate position: why?"),
    "precisionArea": N_("Only the area is known: why?"),
    "claimsHeading": N_("Sources disagree"),
    "claimValue": N_("Figure"),
    "claimSource": N_("Source"),
    "routeTooltip": N_("{name} ({km} km)"),
    "badParam": N_("The link's {name}=“{value}” is not understood (expected {expected}); "
                   "it was ignored."),
    "clamped": N_("{value} is outside the map's days; showing {day}."),
    "events": N_("Events"),
    "eventsOfDay": N_("Events"),
    "title": N_("Budapest 1956: a day-by-day map of the revolution"),
    "sourcesPage": N_("Sources"),
    "mapPage": N_("Map"),
    "openFull": N_("Open the full map"),
    "skip": N_("Skip to the event list"),
    "citedBy": N_("Cited by"),
    "fitDay": N_("Zoom to this day's places"),
    "printDay": N_("Print this day"),
    "print": N_("Print"),
    "printMap": N_("Map of the day's places"),
    "printMapNote": N_("The numbers on the map are the numbers of the events below."),
    "printEarlier": N_("Earlier events (faded on the map)"),
    "printNone": N_("No events are recorded for this day."),
    "printQr": N_("Scan to open this day on the online map:"),
    "share": N_("Share"),
    "shareTitle": N_("Share or embed this map"),
    "language": N_("Language"),
    "shareControls": N_("What the embed shows"),
    "shareSlider": N_("Day slider"),
    "shareList": N_("Event list"),
    "shareNoTiles": N_("No background map (no tile requests)"),
    "shareSize": N_("Size"),
    "shareResponsive": N_("Responsive: fills the page's width"),
    "sharePreview": N_("Preview"),
    "shareCode": N_("Embed code for a web page"),
    "shareLink": N_("Link to this view"),
    "shareCopyCode": N_("Copy embed code"),
    "shareCopyLink": N_("Copy link"),
    "shareCopied": N_("Copied."),
    "shareClose": N_("Close"),
    "mapLabel": N_("Map of the day's places"),
    # <meta name="description"> and og:description: what a link preview in an LMS shows
    "metaMap": N_("{title}, {day}: the day's events on a map, with their places and sources."),
    "metaSources": N_("{title}: every source of the map, with the events that cite it."),
    "metaPrint": N_("{title}, {day}: a printable handout of the day's events, places and sources."),
    "undated": N_("n.d."),
    "accessedOn": N_("read on {date}"),
    "sourceKind": N_("Kind of source"),
    # sources.csv `kind` -> label; keys are "kind_" + the kind (see records.SOURCE_KINDS)
    "kind_chronology": N_("chronology"),
    "kind_scholarship": N_("scholarship"),
    "kind_archive": N_("archive or official record"),
    "kind_institute": N_("museum or institute"),
    "kind_press": N_("press"),
    "kind_memoir": N_("memoir or eyewitness"),
    "kind_encyclopedia": N_("encyclopedia"),
    "kind_wiki": N_("wiki"),
    "kind_blog": N_("blog"),
    # /make: a map from a teacher's spreadsheet ({csv}, {utf}, {calc} ...: names kept as they are)
    "makeLink": N_("Make a map"),
    "makeTitle": N_("Make your own map from a spreadsheet"),
    "makeIntro": N_("Write one event in each row of a spreadsheet: when and where it happened, what happened "
                    "and who says so. Upload the file here: you will see every row that needs fixing, or a "
                    "preview of the map it makes, ready to download as a website."),
    "makeFile": N_("Your spreadsheet ({formats})"),
    "makeLimits": N_("At most {size} and {rows} rows. The file is read and then forgotten: nothing is stored "
                     "on this server."),
    "makeCoordsOwn": N_("Each place needs its latitude and longitude (columns {lat} and {lon}) in at least one "
                        "of its rows: this site does not look up place names."),
    "makeCoordsGeocoder": N_("A place without latitude and longitude (columns {lat} and {lon}) is looked up by "
                             "its name on this site's own map server, one name a second; for many new places, "
                             "fill them in yourself."),
    "makeMapTitle": N_("Title of the map (optional)"),
    "makeAnywhere": N_("My places may lie outside Hungary and eastern Austria"),
    "makeCheck": N_("Check and preview"),
    "makeBusy": N_("Reading the spreadsheet…"),
    "makeTemplates": N_("Templates"),
    "makeTemplatesIntro": N_("Start from a template with two example rows:"),
    "makeColumns": N_("Columns"),
    "makeColumnsIntro": N_("The first row holds the column names, in English or in Hungarian; a star marks "
                           "the columns every row needs. Any other row is one event."),
    "makeColumn": N_("Column"),
    "makeHungarianName": N_("In Hungarian"),
    "makeColumnMeaning": N_("What to write"),
    "col_date": N_("The day of the event: a cell formatted as a date, or 1956-10-23, or 1956. 10. 23."),
    "col_end_date": N_("The last day of an event that lasted several days"),
    "col_place": N_("The name of the place; rows with the same place share one marker"),
    "col_title": N_("A short title"),
    "col_description": N_("What happened, in a sentence or two"),
    "col_source": N_("Who says so: a web address, or a book with its author, title and year"),
    "col_lat": N_("Latitude in decimal degrees, such as 47.4979"),
    "col_lon": N_("Longitude in decimal degrees, such as 19.0402"),
    "col_category": N_("One of {categories}; empty means {default}"),
    "col_title_hu": N_("The title in Hungarian, when the one above is in English"),
    "col_description_hu": N_("The description in Hungarian, when the one above is in English"),
    "makeProblemCount": N_("Problems to fix: {count}"),
    "makeReadAs": N_("Read as: {how}"),
    "makeNothingMade": N_("No map was made. Fix these rows in your spreadsheet, save it and upload it again."),
    "makeInEnglish": N_("The problems are described in English."),
    "makeSheet": N_("Sheet"),
    "makeRow": N_("Row"),
    "makeProblem": N_("Problem"),
    "makeFix": N_("Should be"),
    "makeWholeFile": N_("whole file"),
    "makeUtf8Title": N_("How to save the file as {utf}"),
    "makeUtf8Best": N_("Simplest: upload the workbook itself ({xlsx} or {ods}) instead of a {csv} file."),
    "makeUtf8Calc": N_("In {calc}: File › Save As…, file type “Text {csv} ({dotcsv})”, tick “Edit filter "
                       "settings”, save, then choose the character set “Unicode ({utf})”."),
    "makeUtf8Excel": N_("In {excel}: File › Save As, then the file type “{csv} {utf} (Comma delimited)”."),
    "makeSlashTitle": N_("Dates with slashes"),
    "makeSlashText": N_("A date such as 10/11/1956 means 11 October in some countries and 10 November in "
                        "others. Format the cells as dates and upload the workbook, or write the dates as "
                        "1956-10-23 or 1956. 10. 23."),
    "makeCoordsTitle": N_("Places without coordinates"),
    "makeCoordsText": N_("Find the place on a map, for example on {osm}: right-click it and choose “Show "
                         "address” to see its coordinates. Write its latitude and longitude into the {lat} "
                         "and {lon} columns of one of its rows."),
    "makeTooBigTitle": N_("The file is too large"),
    "makeTooBigText": N_("This site accepts spreadsheets of at most {size}. Delete the pictures and the "
                         "sheets you do not need from the workbook, or share the events among several maps."),
    "makeNoFile": N_("Choose a spreadsheet file first."),
    "makePreviewTitle": N_("Preview: {title}"),
    "makeAgain": N_("Upload another file"),
    "makeDownloads": N_("Downloads"),
    "makeSummary": N_("events: {events}, places: {places}, from {first} to {last}"),
    "makeDownloadSite": N_("Download the website ({zip})"),
    "makeDownloadData": N_("Download the data folder ({zip})"),
    "makeAboutDownloads": N_("What do I download?"),
    "makeSiteHelp": N_("The website works opened from a computer or a memory stick and on any web space: "
                       "unzip it and open {index}, or copy the folder to your school's web space."),
    "makeDataHelp": N_("The data folder is the map's data as spreadsheet files, for this program's own "
                       "server: {serve}"),
    "makePreviewNote": N_("Nothing is kept on the server: each download sends your file again."),
    # lessons on the map (static/js/lessons.js), the worksheet and the walk (lessonviews.py, walkviews.py)
    "lessons": N_("Lessons"),
    "lessonsHelp": N_("Guided tours of the map, with a question for students at each stop."),
    "lessonAges": N_("Ages {low}–{high}"),
    "lessonStops": N_("{count} stops"),
    "lessonStopOf": N_("Stop {n} of {total}"),
    "question": N_("Question"),
    "previous": N_("Previous"),
    "next": N_("Next"),
    "leaveLesson": N_("Leave the lesson"),
    "lessonAbout": N_("About this lesson"),
    "lessonLeft": N_("You have left the lesson."),
    "lessonNoPlace": N_("This event has no place on the map."),
    "lessonStopClamped": N_("The link's stop=“{value}” is not a stop of this lesson (1–{total}); "
                            "showing stop {n}."),
    "worksheet": N_("Worksheet"),
    "wsName": N_("Name"),
    "wsClass": N_("Class"),
    "wsDate": N_("Date"),
    "wsMap": N_("Map of the lesson's stops"),
    "wsMapNote": N_("The numbers on the map are the numbers of the stops below. Measure distances "
                    "with the scale bar."),
    "wsOffMap": N_("Not on this map, far from Budapest: {stops}."),
    "wsQr": N_("Scan to open the lesson on the online map:"),
    "wsAnswer": N_("Answer"),
    "wsTeacher": N_("Teacher's page"),
    "wsTeacherNote": N_("What a good answer mentions, question by question. Keep this page back "
                        "from the students' copies."),
    "wsNoNotes": N_("No notes for this question."),
    "wsRouteLength": N_("On the map: {name}, {km} km as drawn."),
    "wsOpenMap": N_("Open the lesson on the map"),
    "walkPage": N_("Walking tour"),
    "walkTitle": N_("A walk through the places of 1956"),
    "walkLessonTitle": N_("Walking tour: {title}"),
    "walkLesson": N_("Walking tour of this lesson"),
    "walkSummary": N_("{stops} stops, {km} km, about {minutes} minutes on foot"),
    "walkCrow": N_("All distances are as the crow flies: straight lines between the places, with "
                   "no streets, so the walk itself is longer. Walking time at {speed} km/h."),
    "walkLeg": N_("{km} km from the previous stop, as the crow flies"),
    "walkStart": N_("Start"),
    "walkWalked": N_("{km} km walked so far"),
    "walkHappened": N_("What happened here"),
    "walkNothing": N_("No event of the map took place exactly here."),
    "walkLessonStops": N_("Lesson stops"),
    "walkMore": N_("and {count} more events here on the map"),
    "walkOptions": N_("Choose the walk"),
    "walkAllSites": N_("Every place near the start"),
    "walkStartFrom": N_("Start from"),
    "walkRadius": N_("Only places within (km of the start, as the crow flies)"),
    "walkNoLimit": N_("no limit"),
    "walkShow": N_("Show the walk"),
    "walkFarther": N_("{count} more places lie farther than {km} km from the start."),
    "walkOutside": N_("{count} places of this lesson are outside Budapest and not on the walk."),
    "walkPrint": N_("Print the walk"),
    "walkScreen": N_("The walk on screen"),
    "walkGeojson": N_("The route as GeoJSON"),
    "walkMap": N_("Map of the walk"),
    "walkMapNote": N_("Numbered stops joined by straight lines, as the crow flies."),
    "walkTotal": N_("Total"),
}


def msgids() -> list[str]:
    """Every msgid this module uses, in table order, without repeats."""
    ids = list(MESSAGES.values()) + [m for pair in CATEGORY_MESSAGES.values() for m in pair]
    return list(dict.fromkeys(ids))


def catalog_path(lang: str, directory: Path = TRANSLATIONS) -> Path:
    return Path(directory) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str, directory: Path = TRANSLATIONS) -> Catalog:
    with open(catalog_path(lang, directory), "rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def untranslated(catalog: Catalog) -> list[str]:
    """The msgids this module uses that the catalog lacks, leaves empty or marks fuzzy."""
    problems = []
    for msgid in msgids():
        message = catalog.get(msgid)
        if message is None or message.fuzzy or not message.string:
            problems.append(msgid)
    return problems


def _translator(catalog: Catalog | None):
    def translate(msgid: str) -> str:
        message = catalog.get(msgid) if catalog is not None else None
        if message is None or message.fuzzy or not isinstance(message.string, str) or not message.string:
            return msgid  # reported by load_tables and failed by tests/test_i18n.py
        return message.string
    return translate


def load_tables(directory: Path = TRANSLATIONS) -> dict[str, tuple[dict[str, str], dict]]:
    """Per language: (interface key -> text, category id -> (label, help))."""
    tables = {}
    for lang in LANGUAGES:
        catalog = None if lang == DEFAULT_LANG else read_catalog(lang, directory)
        if catalog is not None and (missing := untranslated(catalog)):
            log.warning("%s: %d message(s) missing or fuzzy, shown in English: %s",
                        catalog_path(lang, directory), len(missing), missing)
        tr = _translator(catalog)
        tables[lang] = ({key: tr(msgid) for key, msgid in MESSAGES.items()},
                        {c: (tr(label), tr(help_)) for c, (label, help_)
                         in CATEGORY_MESSAGES.items()})
    return tables


_TABLES = load_tables()


def _lang(lang: str) -> str:
    return lang if lang in _TABLES else DEFAULT_LANG


def categories(lang: str) -> list[dict[str, str]]:
    text = _TABLES[_lang(lang)][1]
    return [{"id": c, "label": text[c][0], "help": text[c][1], "color": CATEGORY_COLORS[c]}
            for c in CATEGORIES]


def ui(lang: str) -> dict[str, str]:
    return _TABLES[_lang(lang)][0]
