"""The offline base map: country outlines and the approximated first-level divisions."""

import sqlite3

import pytest
from shapely.geometry import Point, Polygon

from tollwatch.basemap import country_outline, division_outlines
from tollwatch.gazetteer import SCHEMA, Gazetteer

# id, name, latitude, longitude, admin1 (GeoNames: 02 Latakia, 14 Tartus)
SYRIAN_COAST = [
    (1, "Al-Haffah", 35.5986, 36.0347, "02"),
    (2, "Qardaha", 35.4500, 36.0600, "02"),
    (3, "Safita", 34.8208, 36.1172, "14"),
    (4, "Dreikish", 34.8967, 36.1347, "14"),
    # GeoNames holds places that share a point: a town and its quarter, twin villages.
    # GEOS then made fewer Voronoi cells than points and `ordered=True` failed with
    # "Multiple input coordinates in cell" for 20 of 252 countries.
    (5, "Safita quarter", 34.8208, 36.1172, "02"),
    (6, "Qardaha again", 35.45000004, 36.06000004, "02"),
]


def small_gazetteer(tmp_path, places):
    conn = sqlite3.connect(tmp_path / "g.sqlite")
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO places VALUES (?, ?, 'place', 'SY', ?, ?, ?, 0)",
                     [(i, name, admin1, lat, lon) for i, name, lat, lon, admin1 in places])
    conn.commit()
    return Gazetteer(conn)


def _holding(rings, lat, lon):
    return [n for n, r in enumerate(rings) if Polygon(r).contains(Point(lon, lat))]


def test_places_sharing_a_point_keep_the_first_and_the_divisions_are_drawn(tmp_path):
    rings = division_outlines("SY", small_gazetteer(tmp_path, SYRIAN_COAST))
    assert len(rings) == 2
    (tartus,) = _holding(rings, 34.8208, 36.1172)  # Safita, the first place at its point
    (latakia,) = _holding(rings, 35.5986, 36.0347)  # Al-Haffah
    assert tartus != latakia
    assert _holding(rings, 34.8967, 36.1347) == [tartus]  # Dreikish
    assert _holding(rings, 35.4500, 36.0600) == [latakia]  # Qardaha


def test_one_division_draws_nothing(tmp_path):
    one = [(i, n, lat, lon, "02") for i, n, lat, lon, _ in SYRIAN_COAST]
    assert division_outlines("SY", small_gazetteer(tmp_path, one)) == []


@pytest.mark.parametrize(("iso", "lat", "lon"), [("AU", -33.87, 151.21), ("FR", 48.86, 2.35)])
def test_a_country_is_drawn_with_its_dependencies(iso, lat, lon):
    # Natural Earth gives Australia's code to the Coral Sea Islands too; the last record
    # read used to replace the country, so Sydney lay outside "Australia"
    assert _holding(country_outline(iso), lat, lon) != []
