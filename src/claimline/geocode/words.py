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
