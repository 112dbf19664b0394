"""Renderers: report data → Markdown, JSON, HTML (with SVG charts), user templates."""
