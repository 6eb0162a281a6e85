import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Sessions and CSRF tokens are signed with the secret key: a server must never run on the
# throw-away key that offline commands get (see config/settings.py).
if not settings.DEBUG and not settings.SECRET_KEY_FROM_ENVIRONMENT:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to serve the site unless DJANGO_DEBUG=1 "
        "(`make run` sets it for you)."
    )
