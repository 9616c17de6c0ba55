"""The web UI (a later issue): Jinja2 templates in `templates/`, assets in `static/`.

Nothing is served from here yet; the API is the whole service for now.
"""
