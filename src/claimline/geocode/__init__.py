"""Offline geocoding: place names in sentences → gazetteer entries, each with its reason.

The gazetteer (GeoNames cities and countries, ISO 3166-2 subdivisions, the Ukrainian settlement
register KATOTTG) is built on first use into the cache directory and only opened afterwards;
`import_geonames_dump` adds a downloaded GeoNames country dump beside it.
"""

from claimline.geocode.dump import import_geonames_dump
from claimline.geocode.geocoder import GazetteerGeocoder

__all__ = ["GazetteerGeocoder", "import_geonames_dump"]
