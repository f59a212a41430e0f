"""Word lists the mention finder needs: what is never a place name on its own, and the words
that mark a name as a region, a district, a settlement or a facility."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


MONTHS = frozenset(_words(
    """january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec"""
))
WEEKDAYS = frozenset(_words(
    """monday tuesday wednesday thursday friday saturday sunday"""
))

# Titles and roles: a capitalised run stops at them ("Belgorod Oblast Governor Vyacheslav Gladkov").
TITLES = frozenset(_words(
    """president minister prime governor mayor head chief general colonel commander spokesman
    spokeswoman spokesperson secretary chancellor ambassador envoy king queen prince pope
    senator lieutenant major captain sergeant admiral marshal director chairman deputy official
    officials mr mrs ms dr gen col lt sgt adm sen rep gov st staffer advisor adviser expert
    analyst journalist correspondent"""
))

# Words naming an organisation, a document or an event: a run holding one is not a place.
ORGANISATION_WORDS = frozenset(_words(
    """ministry council service services agency forces force army navy guard guards command
    committee parliament assembly congress senate court office department bureau union alliance
    party group company corporation corp inc ltd bank fund foundation institute university
    college school center centre academy news press times post journal herald telegraph tribune
    daily weekly radio television tv agency network association organisation organization
    brigade battalion regiment division corps unit squadron fleet staff administration
    government commission directorate intelligence security defence defense police operation
    treaty summit conference forum talks program programme project initiative act accord pact
    agreement declaration charter format"""
))

# Words that follow a name and say what kind of place it names.
REGION_WORDS = frozenset(_words(
    """oblast oblasts region regions province provinces governorate state krai kray republic county"""
))
DISTRICT_WORDS = frozenset(_words(
    """raion rayon district districts"""
))
FACILITY_WORDS = frozenset(_words(
    """airfield airfields airbase airport port seaport harbour harbor base station refinery depot
    forestry forest bridge dam reservoir plant"""
))
AIR_BASE = ("air", "base")
# Words before "of": "the village of X", "the region of X".
SETTLEMENT_NOUNS = frozenset(_words(
    """village villages town towns city cities settlement settlements hamlet hamlets locality
    localities community communities"""
))
REGION_NOUNS = frozenset(_words(
    """region regions oblast province provinces"""
))

# Demonyms and other capitalised words English uses for people and languages, never a place.
DEMONYMS = frozenset(_words(
    """russian russians ukrainian ukrainians american americans british european europeans french
    german germans polish turkish chinese iranian belarusian belarusians soviet western english
    israeli israelis palestinian syrian korean japanese indian georgian moldovan romanian
    hungarian czech slovak finnish swedish norwegian danish dutch italian spanish crimean
    chechen kremlin nato un eu"""
))

# Common words that start sentences or headlines, and other capitalised words that are place
# names somewhere in the world ("Police" in Poland, "Of" in Turkey, "Mission" in Canada).
COMMON_WORDS = frozenset(_words(
    """a about above according across after again against ago all along also although among an and
    another any are around as at attack attacks be because been before being below between both
    but by can could day days despite did do does during each earlier early either even every
    few first following for former from further had has have he her here his how however i if in
    including into is it its just last late later least less like local many more most much must
    my near neither new next no nor not now of on once one only or other our out over own part
    people per police previously since so some still such than that the their them then there
    these they this those though three through thus to today too two under until up upon us very
    was we were what when where whether which while who whom whose why will with within without
    would yesterday yet you your victory peace freedom liberty hope unity independence glory
    mission union independent central north south east west northern southern eastern western
    upper lower old great little big long high deep green white black red blue golden silver
    grand royal national federal international global world earth sun moon star sea ocean river
    lake mountain valley island islands bay gulf coast beach park garden square street road
    avenue bridge tower castle church cathedral palace hall market station airport harbour port
    home house office centre center city town village county state republic kingdom empire
    capital front frontline line border zone area areas point base camp field fields forest wood
    rock stone air africa asia europe atlantic pacific arctic antarctica oceania peninsula see
    wing spring summer autumn winter christmas easter god lord saint holy reuters ap afp
    bbc cnn tass ria interfax telegram facebook twitter x instagram youtube whatsapp google
    apple microsoft amazon meta drone drones missile missiles su tu mig himars atacms storm
    shadow patriot iskander kinzhal kalibr shahed geran oreshnik leopard abrams bradley breaking
    update updated live video photo photos image source sources read more advertisement said
    says told added reported"""
))

NEVER_ALONE = MONTHS | WEEKDAYS | TITLES | DEMONYMS | COMMON_WORDS
CONTINENTS = frozenset({"africa", "asia", "europe"})

# Demonyms and adjectives of nationality → the country (or continent code "@EU" …) they stand for.
# Only `places` with demonyms turned on uses them: the event extractor reads them as actors.
DEMONYM_OF: dict[str, str] = {
    word: code
    for code, words in {
        "US": "american americans", "GB": "british briton britons", "RU": "russian russians",
        "UA": "ukrainian ukrainians", "FR": "french frenchman", "DE": "german germans",
        "CN": "chinese", "JP": "japanese", "IN": "indian indians", "PL": "polish pole poles",
        "TR": "turkish turk turks", "IR": "iranian iranians", "IQ": "iraqi iraqis",
        "SY": "syrian syrians", "IL": "israeli israelis", "PS": "palestinian palestinians",
        "BY": "belarusian belarusians", "GE": "georgian georgians", "MD": "moldovan moldovans",
        "RO": "romanian romanians", "HU": "hungarian hungarians", "CZ": "czech czechs",
        "SK": "slovak slovaks", "FI": "finnish finn finns", "SE": "swedish swede swedes",
        "NO": "norwegian norwegians", "DK": "danish dane danes", "NL": "dutch",
        "IT": "italian italians", "ES": "spanish spaniard spaniards", "PT": "portuguese",
        "GR": "greek greeks", "IE": "irish", "CA": "canadian canadians", "MX": "mexican mexicans",
        "BR": "brazilian brazilians", "AR": "argentine argentinian argentinians",
        "AU": "australian australians", "NZ": "zealander zealanders", "KR": "korean koreans",
        "VN": "vietnamese", "TH": "thai", "PK": "pakistani pakistanis",
        "AF": "afghan afghans", "EG": "egyptian egyptians", "SA": "saudi saudis",
        "NG": "nigerian nigerians", "KE": "kenyan kenyans",
        "ZW": "zimbabwean zimbabweans", "CU": "cuban cubans", "VE": "venezuelan venezuelans",
        "CO": "colombian colombians", "CL": "chilean chileans", "PE": "peruvian peruvians",
        "LT": "lithuanian lithuanians", "LV": "latvian latvians", "EE": "estonian estonians",
        "AM": "armenian armenians", "AZ": "azerbaijani azerbaijanis", "KZ": "kazakh kazakhs",
        "RS": "serbian serbs", "HR": "croatian croats", "BG": "bulgarian bulgarians",
        "AT": "austrian austrians", "CH": "swiss", "BE": "belgian belgians",
        "SI": "slovenian slovenians slovene", "JM": "jamaican jamaicans", "PH": "filipino filipinos",
        "ID": "indonesian indonesians", "MY": "malaysian malaysians", "LB": "lebanese",
        "JO": "jordanian jordanians", "YE": "yemeni yemenis", "QA": "qatari qataris",
        "AE": "emirati emiratis", "MU": "mauritian mauritians", "TW": "taiwanese",
        "@EU": "european europeans", "@AF": "africans", "@AS": "asian asians",
    }.items()
    for word in words.split()
}
# "African" alone is the continent; "South African" is matched as the two-word name. Two-word
# demonyms are set here, whole: split into words they would make "north" a demonym.
DEMONYM_OF["african"] = "@AF"
DEMONYM_OF["south african"] = "ZA"
DEMONYM_OF["latin american"] = "@SA"
DEMONYM_OF["south american"] = "@SA"
DEMONYM_OF["north american"] = "@NA"
DEMONYM_OF["north korean"] = "KP"
DEMONYM_OF["south korean"] = "KR"
DEMONYM_OF["new zealander"] = "NZ"

# Seats of power named for the government that sits in them ("the White House said"):
# the name → (country, the city the seat is in).
INSTITUTION_SEATS: dict[str, tuple[str, str]] = {
    "white house": ("US", "Washington"), "capitol hill": ("US", "Washington"),
    "pentagon": ("US", "Washington"), "kremlin": ("RU", "Moscow"), "duma": ("RU", "Moscow"),
    "state duma": ("RU", "Moscow"), "downing street": ("GB", "London"),
    "whitehall": ("GB", "London"), "elysee": ("FR", "Paris"), "elysee palace": ("FR", "Paris"),
    "bankova": ("UA", "Kyiv"), "verkhovna rada": ("UA", "Kyiv"), "knesset": ("IL", "Jerusalem"),
    "zhongnanhai": ("CN", "Beijing"), "quai d orsay": ("FR", "Paris"),
}
# Short forms that news uses for a country or a union as an actor far more than as a place.
ACTOR_ABBREVIATIONS: dict[str, str] = {
    "us": "US", "u s": "US", "usa": "US", "u s a": "US", "eu": "@EU",
}
# Words after a place name that make it a media outlet's name ("Kyiv Independent").
MEDIA_WORDS = frozenset(_words(
    """independent post times television tv radio channel newspaper daily herald tribune
    telegraph gazette journal pravda inform"""
))
