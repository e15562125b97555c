from django.apps import AppConfig


class EhcConfig(AppConfig):
    name = "ehc"
    verbose_name = "EHC assessments, plans and annual reviews"
