from djsite.settings import *  # noqa: F401,F403  (the same site, other URLs)

ROOT_URLCONF = "routesite.urls"
