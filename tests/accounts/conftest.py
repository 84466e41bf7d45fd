from tests.registry.api.conftest import _module_world, api_as, world  # noqa: F401 - fixtures shared with the API tests
