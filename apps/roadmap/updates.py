"""The stakeholder update as Markdown, for download and for email.

Markdown because stakeholders paste it into their own documents and chat; it reads the
same as plain text in any mail client.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .selectors import StakeholderUpdate


def as_markdown(update: StakeholderUpdate, *, base_url: str = "") -> str:
    return render_to_string(
        "roadmap/stakeholder_update.md",
        {"u": update, "base_url": base_url.rstrip("/"), "roadmap_url": reverse("roadmap:index")},
    )


def filename(update: StakeholderUpdate) -> str:
    return f"{update.group.slug}-update-{update.since:%Y%m%d}-{update.until:%Y%m%d}.md"


def subject(update: StakeholderUpdate) -> str:
    return (
        f"{update.group.name}: research plans update, "
        f"{update.since:%-d %b} – {update.until:%-d %b %Y}"
    )


def as_email(update: StakeholderUpdate, *, to, sender) -> EmailMessage:
    body = as_markdown(update, base_url=getattr(settings, "EXPR_BASE_URL", ""))
    message = EmailMessage(
        subject=subject(update),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to.email],
        reply_to=[sender.email] if sender.email else None,
    )
    message.attach(filename(update), body, "text/markdown")
    return message
