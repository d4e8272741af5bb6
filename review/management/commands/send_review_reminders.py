"""E-mail learners who asked for it when they have review cards due. Meant for a daily cron job."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from review.models import ReminderChoice, ReviewCard


class Command(BaseCommand):
    help = (
        "E-mail each learner who opted in and has review cards due. Sends at most one e-mail "
        "per learner per day, so running it twice in a day sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", "http://localhost:8000"),
            help="The site's address, for the link in the e-mail (default: %(default)s).",
        )

    def handle(self, *args, base_url, **options):
        now = timezone.now()
        today = timezone.localdate(now)
        due = ReviewCard.objects.filter(user=OuterRef("user"), due__lte=now)
        choices = (
            ReminderChoice.objects.filter(wanted=True, user__is_active=True)
            .exclude(user__email="")
            .exclude(last_sent_on=today)
            .filter(Exists(due))
            .select_related("user")
        )
        link = base_url.rstrip("/") + reverse("review:page")
        settings_link = base_url.rstrip("/") + reverse("onboarding:me") + "#reminders"
        sent = 0
        for choice in choices:
            count = ReviewCard.objects.filter(user=choice.user, due__lte=now).count()
            send_mail(
                subject=f"OpsGuide: {count} card{'s' if count != 1 else ''} to review",
                message=(
                    f"Hello {choice.user.get_username()},\n\n"
                    f"You have {count} card{'s' if count != 1 else ''} due for review. "
                    "A few minutes today keeps them from slipping.\n\n"
                    f"{link}\n\n"
                    "You get this because you turned on review reminders on your progress "
                    f"page; you can turn them off there: {settings_link}"
                ),
                from_email=None,
                recipient_list=[choice.user.email],
            )
            choice.last_sent_on = today
            choice.save(update_fields=["last_sent_on"])
            sent += 1
        self.stdout.write(f"Sent {sent} review reminder{'s' if sent != 1 else ''}.")
