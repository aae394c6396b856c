"""The Django blog the full-stack suite runs under uWSGI (2 processes, --enable-threads)."""
import os

SECRET_KEY = "e2e-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "blog.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BLOG_DB"]}}
USE_TZ = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
