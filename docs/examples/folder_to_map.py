"""From a folder of articles to a GeoPandas frame and a saved map image.

    pip install 'claimline[geo]'
    python docs/examples/folder_to_map.py examples/corpus out/

Run top to bottom like a notebook; CI runs it on the example corpus (tests/test_docs.py).
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # draw to a file; no window, no display needed

import matplotlib.pyplot as plt

import claimline

corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("examples/corpus")
out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")
out.mkdir(parents=True, exist_ok=True)

# 1. Extract every article in the folder; the manifest gives each one its publication date.
events = claimline.extract(corpus, manifest=corpus / "manifest.csv")
print(f"{len(events)} events from {corpus}")

# 2. One row per event, a Point per located event, in EPSG:4326 (longitude, latitude).
frame = events.to_geopandas()
located = frame[frame.geometry.notna() & (frame["geo_precision"] != "country")]
print(f"{len(located)} located below country level, CRS {frame.crs}")
print(located.groupby("kind").size().sort_values(ascending=False).to_string())

# 3. Who claims what: strikes by attribution, as a plain pandas table.
strikes = frame[frame["kind"] == "strike"]
print(strikes.groupby("attribution")["event_id"].count().to_string())

# 4. The map of the front: events inside a box around Ukraine (GeoPandas' .cx picks by
#    coordinates), each a dot coloured by kind, the busiest places named. No tiles are fetched
#    (it runs offline); load the GeoPackage in QGIS for a basemap.
front = located.cx[22:41, 44:53]
elsewhere = sorted(set(located["location_name"]) - set(front["location_name"]))
print(f"{len(front)} of them in the box; elsewhere: {', '.join(elsewhere)}")
figure, axes = plt.subplots(figsize=(10, 7))
front.plot(ax=axes, column="kind", categorical=True, legend=True, markersize=40, alpha=0.7,
             legend_kwds={"loc": "lower left", "fontsize": 8})
busiest = front.groupby("location_name").agg(lon=("lon", "first"), lat=("lat", "first"), n=("event_id", "count"))
for name, place in busiest.sort_values("n", ascending=False).head(10).iterrows():
    axes.annotate(f"{name} ({int(place.n)})", (place.lon, place.lat), xytext=(4, 4), textcoords="offset points",
                  fontsize=8)
axes.set(title=f"{len(front)} claimed events, {corpus.name}", xlabel="longitude", ylabel="latitude")
axes.grid(color="0.9")
axes.set_aspect(1.5)  # roughly equal distances at these latitudes
figure.tight_layout()
figure.savefig(out / "events_map.png", dpi=100)
print(f"map written to {out / 'events_map.png'}")

# 5. The same events for QGIS: a GeoPackage layer with typed fields.
written = events.write(out / "events.gpkg")
print(f"{written} events written to {out / 'events.gpkg'}")
