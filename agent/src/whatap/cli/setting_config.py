"""whatap-setting-config: writes or updates $WHATAP_HOME/whatap.conf."""
import argparse
import os
import sys

from .. import conf as confmod
from .. import paramkey
from ..logs import CONF_FILE_ERROR, CONF_READ_ERROR
from . import license_hint, open_home, say

USAGE = """usage: whatap-setting-config --host HOST_ADDR --license LICENSE_KEY \\
                             --app_name APPLICATION_NAME --app_process_name APP_PROCESS_NAME

Writes (or updates) $WHATAP_HOME/whatap.conf:
  --host               collector address(es), comma separated for failover (whatap.server.host)
  --license            the project's license key from the console (license)
  --app_name           application name, {type} in object_name (app_name)
  --app_process_name   server process name, e.g. uwsgi, gunicorn; {process} in object_name
  --port               collector port (whatap.server.port, default 6600)

Set WHATAP_HOME first, e.g.  export WHATAP_HOME=/path/to/whatap"""

FLAGS = (("host", "whatap.server.host"), ("license", "license"), ("app_name", "app_name"),
         ("app_process_name", "app_process_name"), ("port", "whatap.server.port"))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        say(USAGE)
        return 0 if argv else 1
    parser = argparse.ArgumentParser(prog="whatap-setting-config", usage=USAGE, add_help=False)
    for flag, _ in FLAGS:
        parser.add_argument("--" + flag)
    args = parser.parse_args(argv)
    updates = {}
    for flag, key in FLAGS:
        value = getattr(args, flag)
        if value is None:
            continue
        value = value.strip()
        if flag == "host":
            value = ",".join(h.strip() for h in value.split(",") if h.strip())
        try:
            confmod.OPTIONS[key][0](value)
        except ValueError as e:
            say("whatap-setting-config: --%s %r is not valid: %s" % (flag, value, e), sys.stderr)
            return 2
        updates[key] = value
    if not updates:
        say(USAGE)
        return 1
    home, log, _ = open_home("setting-config")
    try:
        os.makedirs(home.path, exist_ok=True)
    except OSError as e:
        return _conf_file_error(log, home, e)
    try:
        confmod.read(home.conf)
    except confmod.ConfError as e:
        log.hook(CONF_READ_ERROR, "%s" % e)
        say("whatap-setting-config: CONF READ ERROR: %s. Give read and write permission on it." % e, sys.stderr)
        return 1
    existed = os.path.exists(home.conf)
    try:
        confmod.upsert(home.conf, updates)
    except OSError as e:
        return _conf_file_error(log, home, e)
    key, notes = paramkey.load_or_create(home.paramkey)
    say("WHATAP_HOME: %s" % home.path)
    say("Config: %s (%s)" % (home.conf, "updated" if existed else "created"))
    for key_name, value in updates.items():
        say("  %s=%s" % (key_name, license_hint(value) if key_name == "license" else value))
    if key is not None:
        say("Security key (paramkey): %s" % home.paramkey)
    for note in notes:
        say("  " + note)
    if "license" in updates and not updates["license"].startswith("tsl_"):
        say("WARNING: the license does not look like a Tapscope key (tsl_...); copy it from the console")
    say("SUCCESS!")
    return 0


def _conf_file_error(log, home, e):
    message = "cannot create or write %s: %s" % (home.conf, e.strerror or e)
    log.hook(CONF_FILE_ERROR, message)
    say("whatap-setting-config: CONF FILE ERROR: %s. Create it or give write permission on %s."
        % (message, home.path), sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
