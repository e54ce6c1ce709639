from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts and working groups"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
