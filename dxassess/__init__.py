"""dxassess: measure a Japanese municipality's readiness for digital transformation."""

__version__ = "0.1.0"
