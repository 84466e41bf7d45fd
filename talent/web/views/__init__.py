"""Server-rendered pages, one module per role's work; each module owns its routes (`urlpatterns`).

Pages add no business logic: they call the same services and selectors as the API.
"""
