"""whatap.conf, the object name, whatap-setting-config, and the hook log's error lines."""
import os
import shutil
import stat
import subprocess
import tempfile

import pytest

from conftest import AGENT, PYTHON, env_for
from whatap import conf as confmod


def test_options_defaults_typos_and_bad_values_are_reported_by_name():
    c = confmod.parse("licence=abc\nwhatap.server.port=66x\nwhatap.server.host = a.example, b.example\n"
                      "# comment\nprofile_sql_param_enabled=true\njunk line\n")
    assert c["whatap.server.host"] == ["a.example", "b.example"]
    assert c["whatap.server.port"] == 6600
    assert c["profile_sql_param_enabled"] is True
    assert c["profile_http_parameter_enabled"] is False
    assert c["profile_step_max_count"] == 1024
    assert c["net_udp_port"] == 6600
    assert c["object_name"] == "{type}-{ip2}-{ip3}-{process}"
    problems = "\n".join(c.problems)
    assert "unknown option 'licence' (did you mean license?)" in problems
    assert "whatap.server.port='66x' is not valid" in problems and "using the default 6600" in problems
    assert "line 6: expected key=value" in problems


def test_object_name_pattern_tokens():
    c = confmod.parse("app_name=shop\napp_process_name=gunicorn\n")
    assert confmod.object_name(c, ip="10.0.0.12", hostname="web-1") == "shop-0-12-gunicorn"
    c = confmod.parse("app_name=shop\napp_process_name=uwsgi\nobject_name={hostname}_{type}_{ip0}.{ip1}_{process}\n")
    assert confmod.object_name(c, ip="192.168.3.4", hostname="web-1") == "web-1_shop_192.168_uwsgi"


def test_upsert_keeps_other_lines_and_replaces_duplicates(tmp_path):
    path = str(tmp_path / "whatap.conf")
    with open(path, "w") as f:
        f.write("# mine\nlicense=old\nprofile_basetime=100\nlicense=older\n")
    confmod.upsert(path, {"license": "new", "app_name": "shop"})
    with open(path) as f:
        assert f.read() == "# mine\nlicense=new\nprofile_basetime=100\napp_name=shop\n"


def _run(venv, home, *args, **kw):
    return subprocess.run([os.path.join(venv, "bin", args[0])] + list(args[1:]), env=env_for(venv, home),
                          capture_output=True, text=True, timeout=60, **kw)


def test_setting_config_prints_usage_without_arguments(venv, tmp_path):
    r = _run(venv, str(tmp_path / "h"), "whatap-setting-config")
    assert r.returncode == 1
    assert "usage: whatap-setting-config --host" in r.stdout
    assert "--app_process_name" in r.stdout
    assert not os.path.exists(str(tmp_path / "h" / "whatap.conf"))


def test_setting_config_writes_then_updates_and_says_success(venv, tmp_path):
    home = str(tmp_path / "whatap")
    os.makedirs(home)
    key = "tsl_abcdefgh_LOOKUP22SECRETSECRETSECRETSECRET22CHECK2"
    r = _run(venv, home, "whatap-setting-config", "--host", "10.0.0.1, 10.0.0.2", "--license", key,
             "--app_name", "shop", "--app_process_name", "gunicorn")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("SUCCESS!")
    assert key not in r.stdout  # secrets are never printed in full
    conf = confmod.read(os.path.join(home, "whatap.conf"))
    assert conf["license"] == key
    assert conf["whatap.server.host"] == ["10.0.0.1", "10.0.0.2"]
    assert conf["app_name"] == "shop" and conf["app_process_name"] == "gunicorn"
    assert stat.S_IMODE(os.stat(os.path.join(home, "paramkey.txt")).st_mode) == 0o600
    # whatap.conf holds the license: readable by its owner only, and a looser file is tightened.
    assert stat.S_IMODE(os.stat(os.path.join(home, "whatap.conf")).st_mode) == 0o600
    os.chmod(os.path.join(home, "whatap.conf"), 0o644)
    with open(os.path.join(home, "whatap.conf"), "a") as f:
        f.write("profile_basetime=250\n")
    r = _run(venv, home, "whatap-setting-config", "--app_name", "shop2")
    assert "SUCCESS!" in r.stdout
    conf = confmod.read(os.path.join(home, "whatap.conf"))
    assert conf["app_name"] == "shop2" and conf["license"] == key and conf["profile_basetime"] == 250
    assert stat.S_IMODE(os.stat(os.path.join(home, "whatap.conf")).st_mode) == 0o600


# -- the hook log's error lines, in the situations of the manual (permissions) ----------------
def _as_other_user():
    """Runs the child as 'nobody' when we are root (root ignores file permissions)."""
    if os.getuid() != 0:
        return None

    def demote():
        os.setgid(65534)
        os.setuid(65534)
    return demote


@pytest.fixture(scope="module")
def readable_package():
    """A copy of the package that 'nobody' can read: the checkout itself may sit in a 0700 directory."""
    path = tempfile.mkdtemp(prefix="whatap-pkg-", dir="/tmp")
    shutil.copytree(os.path.join(AGENT, "src", "whatap"), os.path.join(path, "whatap"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    for root, dirs, files in os.walk(path):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def shared_dir(readable_package):
    path = tempfile.mkdtemp(prefix="whatap-perm-", dir="/tmp")
    os.chmod(path, 0o755)
    _PACKAGE_COPY[0] = readable_package
    yield path
    shutil.rmtree(path, ignore_errors=True)


_PACKAGE_COPY = [None]


def _import_whatap(home):
    env = {"PATH": "/usr/bin:/bin", "WHATAP_HOME": home, "PYTHONPATH": _PACKAGE_COPY[0],
           "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([PYTHON, "-c", "import whatap; print('app still runs')"], env=env, capture_output=True,
                          text=True, timeout=30, preexec_fn=_as_other_user(), cwd="/")


def _hook_log(home):
    with open(os.path.join(home, "logs", "whatap-hook.log")) as f:
        return f.read()


def test_conf_file_error_when_the_config_cannot_be_created(shared_dir):
    home = os.path.join(shared_dir, "home")
    os.makedirs(os.path.join(home, "logs"))
    os.chmod(home, 0o755)
    os.chmod(os.path.join(home, "logs"), 0o777)
    r = _import_whatap(home)
    assert "app still runs" in r.stdout
    assert "CONF FILE ERROR: cannot create %s/whatap.conf" % home in _hook_log(home)


def test_conf_read_error_when_the_config_cannot_be_read(shared_dir):
    home = os.path.join(shared_dir, "home")
    os.makedirs(os.path.join(home, "logs"))
    os.chmod(os.path.join(home, "logs"), 0o777)
    with open(os.path.join(home, "whatap.conf"), "w") as f:
        f.write("license=x\n")
    os.chmod(os.path.join(home, "whatap.conf"), 0o000)
    r = _import_whatap(home)
    assert "app still runs" in r.stdout
    assert "CONF READ ERROR: cannot read %s/whatap.conf" % home in _hook_log(home)


def test_log_file_error_when_the_logs_directory_cannot_be_created(shared_dir):
    home = os.path.join(shared_dir, "home")
    os.makedirs(home)
    with open(os.path.join(home, "whatap.conf"), "w") as f:
        f.write("license=x\n")
    os.chmod(home, 0o755)
    r = _import_whatap(home)
    assert "app still runs" in r.stdout
    # logs/ is the problem, so the line goes to the app's standard error.
    assert "LOG FILE ERROR: cannot create the logs directory %s/logs" % home in r.stderr


def test_logging_error_when_the_logs_directory_is_not_writable(shared_dir):
    home = os.path.join(shared_dir, "home")
    os.makedirs(os.path.join(home, "logs"))
    with open(os.path.join(home, "whatap.conf"), "w") as f:
        f.write("license=x\n")
    os.chmod(os.path.join(home, "logs"), 0o555)
    r = _import_whatap(home)
    assert "app still runs" in r.stdout
    assert "LOGGING ERROR: cannot write to the logs directory %s/logs" % home in r.stderr


def test_config_typos_are_written_to_the_boot_log(shared_dir):
    home = os.path.join(shared_dir, "home")
    os.makedirs(home)
    with open(os.path.join(home, "whatap.conf"), "w") as f:
        f.write("licnese=x\nenabled=false\n")
    os.chmod(home, 0o777)
    r = _import_whatap(home)
    assert "app still runs" in r.stdout
    logs = os.path.join(home, "logs")
    text = "".join(open(os.path.join(logs, n)).read() for n in os.listdir(logs) if n.startswith("whatap-boot-"))
    assert "unknown option 'licnese' (did you mean license?)" in text
    assert "enabled=false in whatap.conf: this process is not traced" in text
