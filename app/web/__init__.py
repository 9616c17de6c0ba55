"""The web UI: static page shells (Jinja2 templates in `templates/`) and one small ES module per page
in `static/js/`. Pages hold no data: the browser fetches everything from the authenticated API with
the token it got from `POST /auth/token`, so the API's role checks are the only ones that matter.
"""
