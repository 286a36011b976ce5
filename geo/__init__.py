"""Build the Atlas's boundary data from Natural Earth: `python -m geo.build`.

Only the build needs geopandas; importing this package must not pull it in, because the app
runs without it.
"""
