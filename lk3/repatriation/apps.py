from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepatriationConfig(AppConfig):
    name = "lk3.repatriation"
    label = "repatriation"
    verbose_name = _("Stranded people and repatriation")
