from rest_framework.routers import SimpleRouter

from talent.notifications.api import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
urlpatterns = router.urls
