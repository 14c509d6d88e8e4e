import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Creates (or resets) a local superuser with a fresh random password and prints it. Debug mode only."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("local_admin only runs with DJANGO_DEBUG=true; use createsuperuser in production.")
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": "admin@localhost"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(f"Local admin: http://127.0.0.1:8000/admin/  user {username}  password {password}")
        )
