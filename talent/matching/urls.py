"""Routes of the matching API (match runs, proposals, near misses), included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from talent.matching.api import MatchRunViewSet, NearMissViewSet, ProposalViewSet

router = SimpleRouter()
router.register("match-runs", MatchRunViewSet, basename="match-run")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("near-misses", NearMissViewSet, basename="near-miss")
urlpatterns = router.urls
