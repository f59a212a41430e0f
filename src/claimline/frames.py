"""Events → data frames: Arrow, pandas, polars and GeoPandas, one row per event.

Every frame has the columns of the Parquet export (`claimline.export.ARROW_SCHEMA`): the event
record with its location and evidence flattened, `date` and `date_end` typed as dates, `quantities`
as JSON text. polars and GeoPandas come with the `geo` extra and are imported only when asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyarrow as pa

from claimline.errors import BackendUnavailable
from claimline.export import ARROW_SCHEMA, arrow_batches
from claimline.model import Event

if TYPE_CHECKING:
    import geopandas
    import pandas
    import polars

__all__ = ["CRS", "to_arrow", "to_geopandas", "to_pandas", "to_polars"]

CRS = "EPSG:4326"
_GEO_EXTRA = "pip install 'claimline[geo]'"


def to_arrow(events: Iterable[Event]) -> pa.Table:
    """The events as a pyarrow Table of ARROW_SCHEMA."""
    return pa.Table.from_batches(list(arrow_batches(events)), schema=ARROW_SCHEMA)


def to_pandas(events: Iterable[Event]) -> pandas.DataFrame:
    """The events as a pandas DataFrame; `date` and `date_end` are datetime64 columns."""
    return to_arrow(events).to_pandas(date_as_object=False)


def to_polars(events: Iterable[Event]) -> polars.DataFrame:
    """The events as a polars DataFrame; `date` and `date_end` are Date columns."""
    try:
        import polars
    except ImportError as exc:
        raise BackendUnavailable("to_polars", install=_GEO_EXTRA) from exc
    frame = polars.from_arrow(to_arrow(events))
    assert isinstance(frame, polars.DataFrame)
    return frame


def to_geopandas(events: Iterable[Event]) -> geopandas.GeoDataFrame:
    """The events as a GeoDataFrame of Points in EPSG:4326 (longitude, latitude).

    Events without coordinates keep their row with an empty (None) geometry, so nothing is lost;
    `frame[frame.geometry.notna()]` keeps the located ones.
    """
    try:
        import geopandas
        import shapely
    except ImportError as exc:
        raise BackendUnavailable("to_geopandas", install=_GEO_EXTRA) from exc
    frame = to_pandas(events)
    located = frame["lon"].notna() & frame["lat"].notna()
    points = [shapely.Point(lon, lat) if ok else None
              for lon, lat, ok in zip(frame["lon"], frame["lat"], located, strict=True)]
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries(points, index=frame.index, crs=CRS))
