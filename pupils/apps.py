from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Pupils and the SEND register"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from . import models, session_limits, twofactor

        # Each sign-in decides once whether the session needs a second factor, and starts its clocks.
        user_logged_in.connect(twofactor.on_sign_in, dispatch_uid="send_mis_twofactor_on_sign_in")
        user_logged_in.connect(session_limits.on_sign_in, dispatch_uid="send_mis_session_limits_on_sign_in")

        # Every change to these is logged with its actor and old and new values; reads of a pupil's SEND
        # record are logged through auditlog's `accessed` signal (see services.pupil_record_viewed).
        auditlog.register(models.School)  # its set-up details, security and statutory calendar settings
        auditlog.register(models.Term)
        auditlog.register(models.SencoQualification)
        auditlog.register(models.AccessibilityPlan)
        auditlog.register(models.Pupil)
        auditlog.register(models.Contact)
        auditlog.register(models.RegisterEntry)
        auditlog.register(models.SenConcern)
        auditlog.register(models.PupilAccessGrant)
        auditlog.register(models.Membership)
        auditlog.register(models.SchoolClass, m2m_fields={"teachers"})
        auditlog.register(models.Disclosure)
