import os

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "djsite.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.environ.get("TEST_DB", os.path.join(os.path.dirname(__file__), "db.sqlite3"))}}
USE_TZ = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
