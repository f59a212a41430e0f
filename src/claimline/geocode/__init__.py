"""Offline geocoding: place names in sentences → gazetteer entries, each with its reason.

The gazetteer (GeoNames cities and countries, ISO 3166-2 subdivisions, the Ukrainian settlement
register KATOTTG) is built on first use into the cache directory and only opened afterwards.
"""

from claimline.geocode.geocoder import GazetteerGeocoder

__all__ = ["GazetteerGeocoder"]
