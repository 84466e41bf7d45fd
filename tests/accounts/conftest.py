from tests.registry.api.conftest import api_as, world  # noqa: F401 - fixtures shared with the API tests
