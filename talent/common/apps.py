from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "talent.common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from talent.common import heartbeat, metrics, task_log

        task_log.connect()  # request ids into the tasks a request queues; one log line per task
        heartbeat.connect()  # a worker's heartbeat row, read by /readyz
        metrics.connect()  # a worker's own /metrics port, when WORKER_METRICS_PORT is set
