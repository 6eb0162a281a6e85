"""The settings the register benchmark serves the site with: the real ones, plus one trivial
page (register_site_urls). Used only by bench/register_bench.py
(DJANGO_SETTINGS_MODULE=register_site, with bench/ on the path)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "register_site_urls"
